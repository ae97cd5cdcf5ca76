from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from profiles.models import User
from racing import legacy_csv


class Command(BaseCommand):
    help = (
        "Write one user's racers, baselines (the current version of each), library setups they added "
        "and track logs as the four legacy CSV files, in the format import_legacy_csv reads."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="Folder to write the four CSV files into.")
        parser.add_argument("--owner", required=True, help="Username of the account to export.")
        parser.add_argument("--force", action="store_true", help="Overwrite files already in the folder.")

    def handle(self, *args: Any, folder: Path, owner: str, force: bool, **options: Any) -> None:
        try:
            user = User.objects.get(username=owner)
        except User.DoesNotExist:
            raise CommandError(f"No user with username {owner!r}.") from None
        existing = [name for name in legacy_csv.FILES if (folder / name).exists()]
        if existing and not force:
            raise CommandError(f"{folder} already has {', '.join(existing)}; use --force to overwrite.")
        try:
            counts = legacy_csv.export_folder(user, folder)
        except OSError as exc:
            raise CommandError(f"Could not write to {folder}: {exc}") from None
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} row(s)")
