"""Demo garage for ``make run``: vehicles, baselines, a race day with lap times, track logs.

Safe to run again: every row is looked up before it is added.
"""

import datetime
from decimal import Decimal as D

from django.utils import timezone

from profiles.models import RacerProfile, User
from racing import services
from racing.models import RaceDay, TrackLog, Vehicle

BASE_SETUP = {
    "df": 7000,
    "dc": 10000,
    "dr": 3000,
    "so_f": 550,
    "so_r": 450,
    "sp_f": "Silver",
    "sp_r": "Gold",
    "sb_f": D("2.4"),
    "sb_r": D("2.6"),
    "p_f": "1.6x6",
    "p_r": "1.6x6",
    "toe_o": D("-1"),
    "rh_f": D("27"),
    "rh_r": D("29"),
    "c_f": D("-1.5"),
    "c_r": D("-2"),
    "st_f": 2,
    "st_r": 3,
    "tread": "Kosmos",
    "compound": "Blue",
    "venturi": D("7"),
    "pipe": "REDS 2143",
    "clutch": "Alu shoes / 1.1 springs",
    "bell": 14,
}

_VEHICLES = [
    ("Mugen", "MBX8R", "", "3301045"),
    ("Xray", "XB8 2024", "Spare", ""),
]


def load_demo(user: User) -> None:
    for racer in RacerProfile.objects.owned_by(user):
        for brand, model, nickname, transponder in _VEHICLES:
            vehicle, _ = Vehicle.objects.get_or_create(
                racer=racer,
                brand=brand,
                model=model,
                nickname=nickname,
                defaults={"transponder": transponder},
            )
            if not vehicle.baseline_versions.exists():
                services.baseline_save(vehicle=vehicle, values=BASE_SETUP, note="Kit setup")
                services.baseline_save(
                    vehicle=vehicle,
                    values={**BASE_SETUP, "dc": 12000, "so_r": 500},
                    note="More steering on power",
                )
        first = Vehicle.objects.for_racer(racer).order_by("id").first()
        for days_ago, track, event, note in [
            (3, "Rijswijk", "Club race", "Rear felt loose in the rhythm section; 500 rear shock oil helped."),
            (10, "Genk", "Practice", "New tyres scrubbed in. Engine a little rich in the morning."),
        ]:
            when = (timezone.now() - datetime.timedelta(days=days_ago)).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            TrackLog.objects.get_or_create(
                racer=racer,
                track=track,
                event=event,
                defaults={"timestamp": when, "note": note, "vehicle": first},
            )
        if first is not None and not RaceDay.objects.for_racer(racer).exists():
            _race_day_with_laps(racer, first)
            _open_race_day(racer, first)


# Lap times of a club day, as a timing screen shows them: a practice, a rear
# diff change, and two qualifiers that are quicker and more consistent.
_ROUNDS = [
    ("practice", "", "34.210 33.874 33.502 34.951 33.318 33.402 33.911 33.126"),
    ("qualifier", "P4", "33.012 32.874 32.990 33.455 32.702 32.810 32.944"),
    ("qualifier", "P2", "32.806 32.611 32.590 32.702 32.488 32.655 32.571"),
]


def _open_race_day(racer: RacerProfile, vehicle: Vehicle) -> None:
    """Today's race day, still open: a planned change and a practice round to carry on from."""
    day = services.race_day_start(
        racer=racer,
        vehicle=vehicle,
        track="Rijswijk",
        date=timezone.localdate(),
        surface="carpet",
        grip="medium",
    )
    services.race_day_change_add(
        race_day=day,
        parameter="so_f",
        old_value="550",
        new_value="500",
        reason="pushes wide into the hairpin",
        symptom="entry_understeer",
        status="planned",
    )
    services.race_day_round_add(
        race_day=day, kind="practice", laps=[D(t) for t in ["31.902", "31.655", "31.870", "31.544", "31.701"]]
    )


def _race_day_with_laps(racer: RacerProfile, vehicle: Vehicle) -> None:
    day = services.race_day_start(
        racer=racer,
        vehicle=vehicle,
        track="Genk",
        date=timezone.localdate() - datetime.timedelta(days=17),
        surface="clay",
        grip="high",
    )
    for number, (kind, result, laps) in enumerate(_ROUNDS):
        if number == 1:
            services.race_day_change_add(
                race_day=day,
                parameter="dr",
                old_value="3000",
                new_value="5000",
                reason="rear steps out on exit",
                status="kept",
            )
        services.race_day_round_add(race_day=day, kind=kind, result=result, laps=[D(t) for t in laps.split()])
    services.race_day_close(race_day=day, note="Happy with the thicker rear diff.")
