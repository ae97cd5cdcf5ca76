from django.urls import path

from racing.views import analysis, baselines, compare, garage, laps, race_days, track_log

urlpatterns = [
    # Garage: the active racer's vehicles and their baselines.
    path("garage/", garage.vehicle_list, name="vehicle_list"),
    path("garage/vehicles/new/", garage.vehicle_create, name="vehicle_create"),
    path("garage/vehicles/<int:pk>/", garage.vehicle_detail, name="vehicle_detail"),
    path("garage/vehicles/<int:pk>/edit/", garage.vehicle_edit, name="vehicle_edit"),
    path("garage/vehicles/<int:pk>/delete/", garage.vehicle_delete, name="vehicle_delete"),
    path("garage/vehicles/<int:pk>/baseline/", baselines.baseline_edit, name="baseline_edit"),
    path(
        "garage/vehicles/<int:pk>/baseline/versions/", baselines.baseline_versions, name="baseline_versions"
    ),
    path(
        "garage/vehicles/<int:pk>/baseline/versions/<int:number>/",
        baselines.baseline_version_detail,
        name="baseline_version_detail",
    ),
    path(
        "garage/vehicles/<int:pk>/baseline/versions/<int:number>/restore/",
        baselines.baseline_restore,
        name="baseline_restore",
    ),
    path("garage/vehicles/<int:pk>/lap-history/", analysis.vehicle_lap_history, name="vehicle_lap_history"),
    path("garage/vehicles/<int:pk>/baseline/diff/", baselines.baseline_diff, name="baseline_diff"),
    # Race days.
    path("race-days/", race_days.raceday_list, name="raceday_list"),
    path("race-days/new/", race_days.raceday_start, name="raceday_start"),
    path("race-days/<int:pk>/", race_days.raceday_detail, name="raceday_detail"),
    path("race-days/<int:pk>/changes/", race_days.raceday_change_add, name="raceday_change_add"),
    path(
        "race-days/<int:pk>/changes/old-value/",
        race_days.raceday_change_old_value,
        name="raceday_change_old_value",
    ),
    path(
        "race-days/<int:pk>/changes/<int:change_pk>/status/",
        race_days.raceday_change_status,
        name="raceday_change_status",
    ),
    path("race-days/<int:pk>/rounds/", race_days.raceday_round_add, name="raceday_round_add"),
    path("race-days/<int:pk>/analysis/", analysis.raceday_analysis, name="raceday_analysis"),
    path("race-days/<int:pk>/laps.csv", laps.raceday_laps_csv, name="raceday_laps_csv"),
    path("race-days/laps/compare/", analysis.laps_compare, name="laps_compare"),
    path("race-days/<int:pk>/laps/import/", laps.raceday_laps_import, name="raceday_laps_import"),
    path("race-days/<int:pk>/close/", race_days.raceday_close, name="raceday_close"),
    path("race-days/<int:pk>/promote/", race_days.raceday_promote, name="raceday_promote"),
    # Track log.
    path("track-log/", track_log.tracklog_list, name="tracklog_list"),
    path("track-log/new/", track_log.tracklog_create, name="tracklog_create"),
    path("track-log/<int:pk>/edit/", track_log.tracklog_edit, name="tracklog_edit"),
    path("track-log/<int:pk>/delete/", track_log.tracklog_delete, name="tracklog_delete"),
    # Side-by-side comparison of any two setups.
    path("compare/", compare.compare, name="compare"),
    # The user's data in the legacy CSV format.
    path("export/legacy-csv.zip", garage.legacy_csv_download, name="legacy_csv_download"),
]
