"""Reading a results file: one row per driver.

Header (exactly these columns, in any order)::

    identifier,name,position,laps,best_lap,points

- identifier: the simulator's own driver ID (no spaces or slashes)
- name: the driver name on the simulator
- position: finishing position, 1 or more
- laps: laps completed (blank = 0)
- best_lap: ``m:ss.fff`` (``1:23.456``) or seconds (``83.456``); blank = none
- points: a number with at most two decimals, blank = 0

Each row is checked by ``sims.forms.ResultRowForm``: the same fields as the
site's forms, so a file cannot hold a driver the site would refuse, nor a
number beyond the database's column.

The file is read through ``apex.csv`` (formula escapes taken off) a row at
a time, twice: ``check_rows`` validates every row and keeps only the
errors, then ``rows`` feeds the clean file to ``results_import``, which
writes it in batches. Memory does not grow with the file; files over
``MAX_FILE_BYTES`` are refused before they are read.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from apex import csv as apex_csv
from sims.forms import ResultRowForm
from sims.services import ResultRow

COLUMNS = list(ResultRowForm.base_fields)
# Far more than one event's results (a row is about 40 bytes); the file is
# read a row at a time, this bounds what one import holds (identifiers seen,
# the error list).
MAX_FILE_BYTES = 10 * 2**20


class ResultsFileError(Exception):
    """The file as a whole cannot be read (too big, empty, binary, wrong header, a CSV error)."""


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def check_file(path: Path) -> None:
    """Size, binary and UTF-8 checks, before any row is read; raises ``ResultsFileError``."""
    try:
        apex_csv.check_text(path, MAX_FILE_BYTES)
    except apex_csv.CsvError as exc:
        raise ResultsFileError(_sentence(str(exc))) from None


def _sentence(reason: str) -> str:
    return reason + "."


def _reasons(form: ResultRowForm, record: dict[str, str]) -> list[str]:
    """Each bad field as ``position 'x': Enter a whole number.``"""
    reasons: list[str] = []
    for column, messages in form.errors.items():
        raw = record.get(column, "").strip()
        shown = f"{column} {raw!r}" if raw else column
        reasons.extend(f"{shown}: {message}" for message in messages)
    return reasons


def read(path: Path) -> Iterator[ResultRow | RowError]:
    """Every row of a checked file, in order, as a result or as one error per bad field.

    Streams the file. A CSV error (a field over the csv module's limit)
    raises ``ResultsFileError`` with its line.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = apex_csv.reader(handle)
        try:
            yield from _rows(reader)
        except apex_csv.CsvError as exc:
            raise ResultsFileError(_sentence(str(exc))) from None


def _rows(reader: apex_csv.Reader) -> Iterator[ResultRow | RowError]:
    found = next(reader, None)
    if found is None or not any(cell.strip() for cell in found):
        raise ResultsFileError("The file is empty.")
    header = [h.strip().lower() for h in found]
    if sorted(header) != sorted(COLUMNS):
        raise ResultsFileError(f"The header must be {','.join(COLUMNS)}; got {','.join(found) or 'nothing'}.")
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != len(COLUMNS):
            yield RowError(line, f"expected {len(COLUMNS)} columns")
            continue
        record = dict(zip(header, cells, strict=True))
        form = ResultRowForm(record)
        if not form.is_valid():
            for reason in _reasons(form, record):
                yield RowError(line, reason)
            continue
        data = form.cleaned_data
        if data["identifier"] in seen:
            yield RowError(
                line, f"identifier {data['identifier']} is already on line {seen[data['identifier']]}"
            )
            continue
        seen[data["identifier"]] = line
        yield ResultRow(
            line=line,
            identifier=data["identifier"],
            name=data["name"],
            position=data["position"],
            laps=data["laps"],
            best_lap_ms=data["best_lap"],
            points=data["points"],
        )


def check_rows(path: Path) -> tuple[int, list[RowError]]:
    """(rows that would be imported, errors) for a checked file; the rows are not kept."""
    count, errors = 0, []
    for item in read(path):
        if isinstance(item, RowError):
            errors.append(item)
        else:
            count += 1
    if not count and not errors:
        raise ResultsFileError("The file has a header but no results.")
    return count, errors


def rows(path: Path) -> Iterator[ResultRow]:
    """The rows of a file ``check_rows`` found clean, read again one at a time."""
    for item in read(path):
        if isinstance(item, RowError):
            raise ResultsFileError(f"The file changed while it was imported ({item}).")
        yield item
