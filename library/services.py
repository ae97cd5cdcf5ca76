"""Writes of the setup library that reach into the garage."""

from library.models import LibrarySetup
from racing.models import BaselineVersion, Vehicle
from racing.services import baseline_save


def library_setup_use_as_baseline(*, setup: LibrarySetup, vehicle: Vehicle) -> BaselineVersion:
    """Copy a library setup into the vehicle's baseline, as a new version."""
    return baseline_save(
        vehicle=vehicle,
        values=setup.setup_values(),
        note=f"From the setup library: {setup}"[:200],
    )
