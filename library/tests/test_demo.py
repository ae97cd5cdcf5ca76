from library.demo import load_demo
from library.models import LibrarySetup
from profiles.demo import load_demo as load_accounts


def test_demo_setups_are_added_once(db):
    user = load_accounts()
    load_demo(user)
    count = LibrarySetup.objects.filter(added_by=user).count()
    load_demo(user)
    assert LibrarySetup.objects.filter(added_by=user).count() == count == 4
