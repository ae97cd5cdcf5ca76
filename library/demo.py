"""Demo library setups for ``make run``, shared by the demo account.

Safe to run again: every row is looked up before it is added.
"""

import datetime
from decimal import Decimal as D
from typing import Any

from library.models import LibrarySetup
from profiles.models import User
from racing.demo import BASE_SETUP

_LIBRARY: list[tuple[str, str, str, str, datetime.date | None, dict[str, Any]]] = [
    (
        "Rijswijk",
        "Mugen",
        "MBX8R",
        "dry blue groove",
        datetime.date(2024, 6, 1),
        {"dr": 5000, "compound": "Super soft"},
    ),
    ("Rijswijk", "Xray", "XB8 2024", "wet", datetime.date(2024, 9, 14), {"so_f": 450, "tread": "Gridiron"}),
    ("Genk", "Mugen", "MBX8R", "dusty", datetime.date(2023, 8, 20), {"df": 5000, "rh_f": D("28")}),
    ("Genk", "Associated", "RC8B4", "dry", None, {"dc": 7000}),
]


def load_demo(user: User) -> None:
    for track, brand, vehicle, condition, date, changes in _LIBRARY:
        LibrarySetup.objects.get_or_create(
            track=track,
            brand=brand,
            vehicle=vehicle,
            condition=condition,
            added_by=user,
            defaults={"date": date, "source": "Apex demo", **BASE_SETUP, **changes},
        )
