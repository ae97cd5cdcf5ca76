from django.urls import path

from library import views

# Mounted at /library/: public to browse; the author (or staff) edits.
urlpatterns = [
    path("", views.library_list, name="library_list"),
    path("new/", views.library_create, name="library_create"),
    path("<int:pk>/", views.library_detail, name="library_detail"),
    path("<int:pk>/edit/", views.library_edit, name="library_edit"),
    path("<int:pk>/delete/", views.library_delete, name="library_delete"),
    path("<int:pk>/use/", views.library_use, name="library_use"),
]
