from allauth.account.views import login as account_login
from django.contrib import admin
from django.urls import include, path

from apex import views
from api.main import api
from profiles.login_limits import login_limited
from profiles.views import email_verification_resend, email_verification_sent, login_unlock

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Both log-in pages go through the same limits (profiles/login_limits.py).
    path("accounts/login/", login_limited("login")(account_login), name="account_login"),
    path("accounts/unlock/<str:token>/", login_unlock, name="login_unlock"),
    # "Check your e-mail" in Apex's words, with a button that sends the e-mail again.
    path("accounts/confirm-email/", email_verification_sent, name="account_email_verification_sent"),
    path(
        "accounts/confirm-email/resend/", email_verification_resend, name="account_email_verification_resend"
    ),
    # Installing Apex on a phone: the manifest and the service worker (static/js/sw.js) at the root.
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", login_limited("username")(admin.site.login)),
    path("admin/", admin.site.urls),
    path("racers/", include("profiles.urls")),
    path("", include("racing.urls")),
    path("library/", include("library.urls")),
    path("", include("sims.urls")),
    path("", include("advisor.urls")),
    path("api/", api.urls),
    path("api-tokens/", include("api.urls")),
]

handler403 = "apex.views.permission_denied"
handler500 = "apex.views.server_error"
