"""Small factories for library tests."""

from library.models import LibrarySetup
from profiles.models import User
from racing.tests.factories import SETUP


def make_library_setup(added_by: User | None = None, **fields) -> LibrarySetup:
    defaults = {"track": "Rijswijk", "brand": "Mugen", "vehicle": "MBX8R", "condition": "dry", **SETUP}
    return LibrarySetup.objects.create(added_by=added_by, **{**defaults, **fields})
