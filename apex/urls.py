from django.contrib import admin
from django.urls import include, path

from apex import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("racers/", include("profiles.urls")),
    path("", include("racing.urls")),
    path("", include("sims.urls")),
    path("", include("advisor.urls")),
]

handler500 = "apex.views.server_error"
