from django.contrib import admin
from django.urls import include, path

from apex import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Installing Apex on a phone: the manifest and the service worker (static/js/sw.js) at the root.
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("racers/", include("profiles.urls")),
    path("", include("racing.urls")),
    path("library/", include("library.urls")),
    path("", include("sims.urls")),
    path("", include("advisor.urls")),
]

handler403 = "apex.views.permission_denied"
handler500 = "apex.views.server_error"
