from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from racing import services
from racing.models import RaceDay, RaceDayRound
from racing.timing_import import FORMATS, TimingFileError


class Command(BaseCommand):
    help = (
        "Import one round's laps into an open race day from a timing system's export (a MyLaps "
        "Speedhive laps CSV or a LiveRC lap table saved as CSV). The race day's racer is found in the "
        "file by the vehicle's or the racer's transponder, else by name. Every problem is listed with "
        "file and line, and then nothing is imported (exit 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The timing export (CSV).")
        parser.add_argument("--race-day", type=int, required=True, help="The race day's id (in its URL).")
        parser.add_argument("--kind", choices=RaceDayRound.Kind.values, default=RaceDayRound.Kind.PRACTICE)
        parser.add_argument(
            "--format", choices=list(FORMATS), default="", help="Default: told from the file."
        )

    def handle(self, *args: Any, file: Path, race_day: int, kind: str, format: str, **options: Any) -> None:
        try:
            day = RaceDay.objects.select_related("racer", "vehicle").get(pk=race_day)
        except RaceDay.DoesNotExist:
            raise CommandError(f"No race day with id {race_day}.") from None
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read it: {error.strerror}.") from None
        try:
            round_, match = services.race_day_laps_import(
                race_day=day, data=data, kind=kind, format=format, source=file.name
            )
        except services.RaceDayClosed:
            raise CommandError(f"Race day {race_day} is closed; laps go into an open race day.") from None
        except TimingFileError as error:
            for line, reason in error.problems:
                self.stderr.write(f"{file}:{line}: {reason}" if line else f"{file}: {reason}")
            raise CommandError("Nothing imported.", returncode=1) from None
        self.stdout.write(
            f"{round_.get_kind_display()} added to {day}: {len(match.laps)} laps of "
            f"{match.competitor.name or match.competitor.transponder} (matched by {match.by})."
        )
