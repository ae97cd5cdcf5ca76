from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from profiles.models import User
from racing import legacy_csv


class Command(BaseCommand):
    help = (
        "Import a folder of legacy CSV files (racer_profiles.csv, car_configs.csv, master_library.csv, "
        "track_logs.csv) into one user's account. Rows already imported are counted as already present, "
        "so running it again adds nothing. Rejected rows are listed with file, line and reason in a "
        "report folder (summary.csv + rejects-<file>.csv); the exit status is 1 when any row was "
        "rejected. The four files are imported in one transaction: all or nothing. Default racer: the row marked "
        "Default=yes becomes the default only when the account has no default racer yet; an existing "
        "default is never taken away. With no row marked, the usual rule picks one "
        '("Default Racer" by name, else the oldest racer). Track-log timestamps are read as local '
        "time in the TIME_ZONE setting. Existing racers keep their details; missing sponsors and "
        "vehicles are added."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="Folder holding the four CSV files.")
        parser.add_argument("--owner", required=True, help="Username of the account to import into.")
        parser.add_argument(
            "--create-owner",
            action="store_true",
            help="Create the account when there is none by that username, with no usable password "
            "(the owner sets one through password reset, which needs --email). Nothing is created "
            "when the folder is refused or with --dry-run.",
        )
        parser.add_argument(
            "--email", default="", help="E-mail address of an account that --create-owner creates."
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument(
            "--report-dir",
            type=Path,
            help="Where to write the report (default: FOLDER/import-report-<timestamp>).",
        )

    def handle(
        self,
        *args: Any,
        folder: Path,
        owner: str,
        create_owner: bool,
        email: str,
        dry_run: bool,
        report_dir: Path | None,
        **options: Any,
    ) -> None:
        user = User.objects.filter(username=owner).first()
        if user is None and not create_owner:
            raise CommandError(f"No user with username {owner!r} (--create-owner creates the account).")
        if user is None:
            new_owner = _new_owner(owner, email)
        try:
            legacy_csv.check_folder(folder)
            report_dir = report_dir or _new_report_dir(folder)
            # Before importing: a report that cannot be written must not cost an import.
            report_dir.mkdir(parents=True, exist_ok=True)
            creating = user is None
            with transaction.atomic() if creating else nullcontext():
                if user is None:
                    # With the import: refused or dry run, no account is left behind.
                    new_owner.save()
                    user = new_owner
                    self.stdout.write(
                        f"Created the account {owner!r} with no usable password: "
                        + (
                            "its owner sets one through password reset."
                            if email
                            else "give it an e-mail address "
                            "(admin) so its owner can set one through password reset."
                        )
                    )
                result = legacy_csv.import_folder(folder, user, dry_run=dry_run)
                if creating and dry_run:
                    transaction.set_rollback(True)
        except legacy_csv.LegacyCsvError as exc:
            raise CommandError(f"Nothing imported: {exc}") from None
        except OSError as exc:
            raise CommandError(f"Nothing imported: cannot write the report to {report_dir}: {exc}") from None
        try:
            legacy_csv.write_report(result, report_dir)
        except OSError as exc:
            raise CommandError(f"Imported, but the report could not be written: {exc}") from None

        for f in result.files:
            for reject in f.rejects:
                self.stdout.write(f"{f.name}:{reject.line}: {reject.reason}")
            for warning in f.warnings:
                self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(
            ("Dry run, nothing written.\n" if dry_run else "") + legacy_csv.format_summary(result)
        )
        self.stdout.write(f"Report: {report_dir}")
        if result.rejected:
            raise CommandError(f"{result.rejected} row(s) rejected; see {report_dir}.", returncode=1)


def _new_owner(username: str, email: str) -> User:
    """The account --create-owner will save, checked as the sign-up form checks username and e-mail."""
    user = User(username=username, email=User.objects.normalize_email(email))
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        raise CommandError(f"Cannot create the account {username!r}: {problems}") from None
    if email and User.objects.filter(email__iexact=email).exists():
        raise CommandError(f"Cannot create the account {username!r}: another account uses {email}.")
    return user


def _new_report_dir(folder: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    candidate, n = folder / f"import-report-{stamp}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"import-report-{stamp}-{n}"
    return candidate
