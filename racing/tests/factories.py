"""Small factories for racing tests."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from profiles import services as profile_services
from profiles.models import RacerProfile, User
from racing import services
from racing.models import BaselineVersion, RaceDay, TrackLog, Vehicle

_n = itertools.count(1)

SETUP = {
    "df": 7000,
    "dc": 10000,
    "dr": 3000,
    "so_f": 550,
    "sp_f": "Silver",
    "sb_f": Decimal("2.4"),
    "c_f": Decimal("-1.5"),
    "rh_f": Decimal("27"),
    "compound": "Blue",
    "bell": 14,
}


def racer_of(user: User) -> RacerProfile:
    """The user's default racer (the one the session loads on login)."""
    return profile_services.get_or_create_default_profile(user)


def make_vehicle(racer: RacerProfile, brand: str = "Mugen", model: str | None = None, **fields) -> Vehicle:
    return Vehicle.objects.create(racer=racer, brand=brand, model=model or f"MBX{next(_n)}", **fields)


def make_baseline(vehicle: Vehicle, note: str = "", **values) -> BaselineVersion:
    return services.baseline_save(vehicle=vehicle, values={**SETUP, **values}, note=note)


def make_race_day(racer: RacerProfile, vehicle: Vehicle | None = None, **fields) -> RaceDay:
    vehicle = vehicle or make_vehicle(racer)
    return services.race_day_start(
        racer=racer,
        vehicle=vehicle,
        track=fields.pop("track", "Genk"),
        date=fields.pop("date", datetime.date(2025, 5, 4)),
        **fields,
    )


def make_track_log(racer: RacerProfile, **fields) -> TrackLog:
    fields.setdefault("timestamp", timezone.now())
    fields.setdefault("track", "Genk")
    return TrackLog.objects.create(racer=racer, **fields)
