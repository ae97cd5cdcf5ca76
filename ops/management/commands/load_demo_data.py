from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from profiles.demo import DEMO_PASSWORD, DEMO_USERNAME
from profiles.demo import load_demo as load_account

# Each app keeps its own demo rows in ``<app>/demo.py`` with ``load_demo(user)``,
# next to the models and services they use; the demo account comes first.
DEMO_APPS = ["racing", "library", "sims"]


class Command(BaseCommand):
    help = (
        "Load the demo account and sample data (safe to run again: nothing is duplicated). "
        "It resets the demo account's password, so with DEBUG off it runs only with --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (e.g. a staging site)."
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                f"DEBUG is off: load_demo_data would reset the password of the {DEMO_USERNAME!r} account "
                f"to the published {DEMO_PASSWORD!r}. Pass --force if this really is a demo site."
            )
        with transaction.atomic():
            user = load_account()
            for app in DEMO_APPS:
                import_module(f"{app}.demo").load_demo(user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Log in at http://127.0.0.1:8000/accounts/login/ "
                f"as {DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )
