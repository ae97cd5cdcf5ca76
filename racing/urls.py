from django.urls import path

from racing import views

urlpatterns = [
    # Garage: the active racer's vehicles and their baselines.
    path("garage/", views.vehicle_list, name="vehicle_list"),
    path("garage/vehicles/new/", views.vehicle_create, name="vehicle_create"),
    path("garage/vehicles/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("garage/vehicles/<int:pk>/edit/", views.vehicle_edit, name="vehicle_edit"),
    path("garage/vehicles/<int:pk>/delete/", views.vehicle_delete, name="vehicle_delete"),
    path("garage/vehicles/<int:pk>/baseline/", views.baseline_edit, name="baseline_edit"),
    path("garage/vehicles/<int:pk>/baseline/versions/", views.baseline_versions, name="baseline_versions"),
    path(
        "garage/vehicles/<int:pk>/baseline/versions/<int:number>/",
        views.baseline_version_detail,
        name="baseline_version_detail",
    ),
    path(
        "garage/vehicles/<int:pk>/baseline/versions/<int:number>/restore/",
        views.baseline_restore,
        name="baseline_restore",
    ),
    path("garage/vehicles/<int:pk>/baseline/diff/", views.baseline_diff, name="baseline_diff"),
    # Race days.
    path("race-days/", views.raceday_list, name="raceday_list"),
    path("race-days/new/", views.raceday_start, name="raceday_start"),
    path("race-days/<int:pk>/", views.raceday_detail, name="raceday_detail"),
    path("race-days/<int:pk>/changes/", views.raceday_change_add, name="raceday_change_add"),
    path(
        "race-days/<int:pk>/changes/old-value/",
        views.raceday_change_old_value,
        name="raceday_change_old_value",
    ),
    path(
        "race-days/<int:pk>/changes/<int:change_pk>/status/",
        views.raceday_change_status,
        name="raceday_change_status",
    ),
    path("race-days/<int:pk>/rounds/", views.raceday_round_add, name="raceday_round_add"),
    path("race-days/<int:pk>/close/", views.raceday_close, name="raceday_close"),
    path("race-days/<int:pk>/promote/", views.raceday_promote, name="raceday_promote"),
    # Track log.
    path("track-log/", views.tracklog_list, name="tracklog_list"),
    path("track-log/new/", views.tracklog_create, name="tracklog_create"),
    path("track-log/<int:pk>/edit/", views.tracklog_edit, name="tracklog_edit"),
    path("track-log/<int:pk>/delete/", views.tracklog_delete, name="tracklog_delete"),
    # Side-by-side comparison of any two setups.
    path("compare/", views.compare, name="compare"),
    # The user's data in the legacy CSV format.
    path("export/legacy-csv.zip", views.legacy_csv_download, name="legacy_csv_download"),
]
