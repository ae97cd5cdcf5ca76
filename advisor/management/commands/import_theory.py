"""``manage.py import_theory PATH...``: Markdown, text and PDF files (or folders of them) into the theory library."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor import services, theory
from advisor.models import Topic


class Command(BaseCommand):
    help = (
        "Import theory documents (.md, .txt, .pdf; folders are searched for them). "
        "Importing a file again updates its document; nothing is stored twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--category",
            choices=Topic.values,
            default="",
            help="The topic of every file imported (default: guessed from the file name and title).",
        )

    def handle(self, *args: Any, paths: list[str], category: str, **options: Any) -> None:
        counts = dict.fromkeys(services.ImportOutcome, 0)
        self.failed = 0
        for path in self._files(paths):
            try:
                if path.is_file() and path.stat().st_size > theory.MAX_FILE_BYTES:
                    raise theory.UnreadableDocument(
                        f"larger than {theory.MAX_FILE_BYTES // (1024 * 1024)} MB"
                    )
                data = path.read_bytes()
                document, outcome = services.theory_document_import(
                    filename=path.name, data=data, file_path=str(path), category=category
                )
            except (OSError, theory.UnreadableDocument) as error:
                reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                self._fail(path, reason)
                continue
            counts[outcome] += 1
            self.stdout.write(f"{path}: {outcome} “{document.title}” ({document.get_category_display()})")
        summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
        self.stdout.write(f"{summary}, {self.failed} failed.")
        if self.failed:
            plural = "s" if self.failed != 1 else ""
            raise CommandError(f"{self.failed} path{plural} could not be imported (see above).")

    def _fail(self, path: Path, reason: str) -> None:
        self.stderr.write(f"{path}: {reason}")
        self.failed += 1

    def _files(self, paths: list[str]) -> Iterator[Path]:
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                found = sorted(
                    p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in theory.SUFFIXES
                )
                if not found:
                    self._fail(path, "no .md, .txt or .pdf files in this folder")
                yield from found
            else:
                # A missing or unsupported file is reported by the import itself.
                yield path
