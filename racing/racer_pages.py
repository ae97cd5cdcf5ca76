"""Which racer a racing page belongs to, and where its section starts: where switching racer lands.

Switching racer on a race day must not leave the screen on the previous
racer's race day (under the new racer's name): it lands on the same section
for the new racer, here the race days list. A page of the new racer itself
(the banner's "Switch to …" on that racer's own page) stays where it is.
"""

from urllib.parse import parse_qsl, urlsplit

from django.db.models import Model
from django.urls import Resolver404, resolve, reverse

from profiles.models import RacerProfile
from racing.models import BaselineVersion, RaceDay, TrackLog, Vehicle

# URL name of a page about one racer's row → (its model, the section's list page).
_VEHICLE = (Vehicle, "vehicle_list")
_RACE_DAY = (RaceDay, "raceday_list")
_TRACK_LOG = (TrackLog, "tracklog_list")
ROW_PAGES: dict[str, tuple[type[Model], str]] = {
    "vehicle_detail": _VEHICLE,
    "vehicle_edit": _VEHICLE,
    "vehicle_delete": _VEHICLE,
    "baseline_edit": _VEHICLE,
    "baseline_versions": _VEHICLE,
    "baseline_version_detail": _VEHICLE,
    "baseline_restore": _VEHICLE,
    "baseline_diff": _VEHICLE,
    "baseline_advice": _VEHICLE,
    "vehicle_lap_history": _VEHICLE,
    "raceday_detail": _RACE_DAY,
    "raceday_close": _RACE_DAY,
    "raceday_promote": _RACE_DAY,
    "raceday_advice": _RACE_DAY,
    "raceday_analysis": _RACE_DAY,
    "raceday_laps_import": _RACE_DAY,
    "tracklog_edit": _TRACK_LOG,
    "tracklog_delete": _TRACK_LOG,
}
# The active racer's lists: their filters and page numbers were the previous racer's.
LIST_PAGES = {"vehicle_list", "raceday_list", "tracklog_list", "laps_compare"}


def _compare_is_racers(query: str, racer: RacerProfile) -> bool:
    """Whether every owned setup the compare page shows (``a``/``b``) is ``racer``'s."""
    owned = {
        "raceday": RaceDay.objects.filter(racer=racer),
        "baseline": BaselineVersion.objects.filter(vehicle__racer=racer),
    }
    for key, ref in parse_qsl(query):
        kind, _, pk = ref.partition(":")
        if key not in ("a", "b") or kind not in owned:
            continue  # a library setup is anyone's; anything else the page refuses itself
        # A huge number would overflow SQLite's integer: such a row cannot be the racer's anyway.
        if not (pk.isdigit() and len(pk) < 19 and owned[kind].filter(pk=int(pk)).exists()):
            return False
    return True


def landing_after_switch(path: str, racer: RacerProfile) -> str:
    """The page to show after switching to ``racer`` from ``path`` (a safe local path)."""
    parts = urlsplit(path)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return path
    name = match.url_name or ""
    if name in LIST_PAGES:
        return parts.path
    if name == "compare":
        return path if _compare_is_racers(parts.query, racer) else reverse("compare")
    if name not in ROW_PAGES:
        return path  # not one racer's page: the account's, the library's, the directory's
    model, section = ROW_PAGES[name]
    pk = match.kwargs.get("pk")
    if isinstance(pk, int) and model._default_manager.filter(pk=pk, racer=racer).exists():
        return path
    return reverse(section)
