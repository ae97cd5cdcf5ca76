from django.urls import path

from profiles import views

urlpatterns = [
    path("", views.racer_list, name="racer_list"),
    path("new/", views.racer_create, name="racer_create"),
    path("<int:pk>/", views.racer_detail, name="racer_detail"),
    path("<int:pk>/edit/", views.racer_edit, name="racer_edit"),
    path("<int:pk>/delete/", views.racer_delete, name="racer_delete"),
    path("<int:pk>/switch/", views.racer_switch, name="racer_switch"),
    path("<int:pk>/default/", views.racer_set_default, name="racer_set_default"),
]
