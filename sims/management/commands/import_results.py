import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sims import results_csv, services
from sims.models import Simulator


class Command(BaseCommand):
    help = (
        "Import one event's results from a CSV file with the header "
        "identifier,name,position,laps,best_lap,points (best_lap as m:ss.fff or seconds). "
        "Drivers not in the directory become unlinked public profiles. All or nothing: any bad row "
        "is reported with its line and nothing is imported. Running it again changes nothing. "
        f"Files over {results_csv.MAX_FILE_BYTES // 2**20} MiB are refused: split them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the results CSV file")
        parser.add_argument("--simulator", required=True, help="Simulator slug, e.g. iracing")
        parser.add_argument("--event", required=True, help="Event name (unique per simulator)")
        parser.add_argument("--start", help="Event start, ISO 8601 with time zone (new events only)")

    def handle(
        self, *args: Any, file: str, simulator: str, event: str, start: str | None, **options: Any
    ) -> None:
        try:
            sim = Simulator.objects.get(slug=simulator)
        except Simulator.DoesNotExist:
            raise CommandError(f"No simulator with slug {simulator!r}.") from None
        event = event.strip()
        if not event or len(event) > 150:
            raise CommandError("--event must be a name of 1 to 150 characters.")
        start_time = None
        if start:
            try:
                start_time = dt.datetime.fromisoformat(start)
            except ValueError:
                raise CommandError(f"--start {start!r} is not an ISO 8601 date and time.") from None
            if start_time.tzinfo is None:
                raise CommandError("--start needs a time zone, e.g. 2026-11-21T19:00+00:00.")

        path = Path(file)
        try:
            results_csv.check_file(path)
            count, errors = results_csv.check_rows(path)
        except results_csv.ResultsFileError as exc:
            raise CommandError(f"{file}: {exc} Nothing was imported.") from None
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from None
        if errors:
            for error in errors:
                self.stderr.write(f"{file} {error}")
            raise CommandError(f"{len(errors)} bad row(s): nothing was imported. Fix them and run again.")

        try:
            summary = services.results_import(
                simulator=sim,
                event_name=event,
                rows=results_csv.rows(path),
                source=f"import: {path.name}",
                start_time=start_time,
            )
        except results_csv.ResultsFileError as exc:
            raise CommandError(f"{file}: {exc} Nothing was imported.") from None
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}. Nothing was imported.") from None
        if not summary.changed:
            self.stdout.write(f"Nothing to change: {event} already has these {count} results.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{event}: {'new event, ' if summary.event_created else ''}"
                f"{summary.results_created} result(s) added, {summary.results_updated} updated, "
                f"{summary.results_unchanged} unchanged; {summary.profiles_created} new driver profile(s)."
            )
        )
