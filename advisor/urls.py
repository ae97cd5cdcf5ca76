from django.urls import path

from advisor import views

urlpatterns = [
    # The theory library (public to read; staff add documents).
    path("theory/", views.theory_list, name="theory_list"),
    path("theory/upload/", views.theory_upload, name="theory_upload"),
    path("theory/<int:pk>/", views.theory_detail, name="theory_detail"),
]
