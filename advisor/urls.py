from django.urls import path

from advisor import views

urlpatterns = [
    # The theory library (public to read; staff add documents).
    path("theory/", views.theory_list, name="theory_list"),
    path("theory/upload/", views.theory_upload, name="theory_upload"),
    path("theory/<int:pk>/", views.theory_detail, name="theory_detail"),
    # The advisor, on a race day (where "Try it" plans a change) and on a vehicle's baseline.
    path("race-days/<int:pk>/advice/", views.raceday_advice, name="raceday_advice"),
    path("race-days/<int:pk>/advice/try/", views.raceday_advice_try, name="raceday_advice_try"),
    path("garage/vehicles/<int:pk>/baseline/advice/", views.baseline_advice, name="baseline_advice"),
]
