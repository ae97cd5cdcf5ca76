from django.contrib import admin
from django.urls import include, path

from apex import views
from api.main import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
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
