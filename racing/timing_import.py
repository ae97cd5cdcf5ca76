"""Lap times from a timing system's export: find this racer's laps in the file.

Two formats, told apart by their header row:

- **MyLaps Speedhive** "all laps" CSV: one row per lap, with ``Lap Number``
  and ``Lap Time`` columns, the competitor in ``Name`` (or ``Team/Name``,
  ``Driver``) and, when the club exports it, ``Transponder``. The start-line
  crossing (a row with no lap time) is skipped.
- **LiveRC** race result's lap table, saved as CSV: the first column is
  ``Lap`` (1, 2, 3 …) and every other column is a driver, headed by the
  driver's name; a cell is ``32.451`` or LiveRC's ``position/time``
  (``3/32.451``); a driver who stopped leaves the rest of the column empty.

The racer is matched by transponder first (the vehicle's or the racer's),
then by name; nothing is written here, so a caller stores all or nothing.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from apex.csv import error_reason
from racing.laps import parse_lap

SPEEDHIVE = "speedhive"
LIVERC = "liverc"
FORMATS = {SPEEDHIVE: "MyLaps Speedhive laps CSV", LIVERC: "LiveRC lap table saved as CSV"}

_NAME_COLUMNS = ("name", "team/name", "driver", "competitor", "driver name")
_TRANSPONDER_COLUMNS = ("transponder", "transponder number", "transponder no", "tx")
_LIVERC_CELL = re.compile(r"^(?:\d+\s*/\s*)?(?P<time>.+)$")


class TimingFileError(Exception):
    """A file that cannot give laps: each problem with its line number (0 for the whole file)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"line {line}: {reason}" if line else reason for line, reason in problems))


@dataclass
class Competitor:
    name: str
    transponder: str = ""
    # (lap number, time), as the file numbers them.
    laps: list[tuple[int, Decimal]] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    competitor: Competitor
    by: str  # "transponder" or "name"

    @property
    def laps(self) -> list[Decimal]:
        return [time for _number, time in sorted(self.competitor.laps)]


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TimingFileError(
            [(0, "The file is not UTF-8 text; save it from the timing system as CSV.")]
        ) from None
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    try:
        return [[cell.strip() for cell in row] for row in rows]
    except csv.Error as error:
        raise TimingFileError([(rows.line_num, f"{error_reason(error).capitalize()}.")]) from None


def detect_format(header: list[str]) -> str:
    names = [_normal(cell) for cell in header]
    if "lap number" in names and "lap time" in names:
        return SPEEDHIVE
    if names and names[0] in ("lap", "laps", "lap #") and len(names) > 1:
        return LIVERC
    raise TimingFileError(
        [
            (
                1,
                "This is neither a Speedhive laps file (Lap Number, Lap Time columns) nor a LiveRC lap table (Lap, then one column per driver).",
            )
        ]
    )


def _lap(text: str, line: int, problems: list[tuple[int, str]]) -> Decimal | None:
    try:
        return parse_lap(text)
    except ValidationError as error:
        problems.append((line, error.messages[0]))
        return None


def _speedhive(rows: list[list[str]]) -> list[Competitor]:
    header = [_normal(cell) for cell in rows[0]]
    name_col = next((header.index(c) for c in _NAME_COLUMNS if c in header), None)
    if name_col is None:
        raise TimingFileError([(1, "No Name column: which driver is each lap?")])
    tx_col = next((header.index(c) for c in _TRANSPONDER_COLUMNS if c in header), None)
    lap_col, time_col = header.index("lap number"), header.index("lap time")
    competitors: dict[tuple[str, str], Competitor] = {}
    problems: list[tuple[int, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        row = row + [""] * (len(header) - len(row))
        name, transponder = row[name_col], row[tx_col] if tx_col is not None else ""
        if not name and not transponder:
            problems.append((line, "No driver name or transponder."))
            continue
        if not row[time_col]:  # the start-line crossing has no lap time
            continue
        if not row[lap_col].isdigit():
            problems.append((line, f"“{row[lap_col]}” is not a lap number."))
            continue
        time = _lap(row[time_col], line, problems)
        if time is None:
            continue
        key = (_normal(name), transponder)
        competitor = competitors.setdefault(key, Competitor(name=name, transponder=transponder))
        number = int(row[lap_col])
        if any(n == number for n, _t in competitor.laps):
            problems.append((line, f"Lap {number} of {name or transponder} is in the file twice."))
            continue
        competitor.laps.append((number, time))
    if problems:
        raise TimingFileError(problems)
    return list(competitors.values())


def _liverc(rows: list[list[str]]) -> list[Competitor]:
    competitors = [Competitor(name=name) for name in rows[0][1:]]
    problems: list[tuple[int, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if not row[0].isdigit():
            problems.append((line, f"“{row[0]}” is not a lap number."))
            continue
        for competitor, cell in zip(competitors, row[1:], strict=False):
            if not cell:
                continue
            match = _LIVERC_CELL.match(cell)
            time = _lap(match["time"] if match else cell, line, problems)
            if time is not None:
                competitor.laps.append((int(row[0]), time))
    if problems:
        raise TimingFileError(problems)
    return [c for c in competitors if c.name]


def read_competitors(data: bytes, format: str = "") -> list[Competitor]:
    """Every competitor in the file with their laps; ``TimingFileError`` lists every bad line."""
    rows = [row for row in _rows(data) if any(row)]
    if not rows:
        raise TimingFileError([(0, "The file is empty.")])
    format = format or detect_format(rows[0])
    return _speedhive(rows) if format == SPEEDHIVE else _liverc(rows)


def find_racer(competitors: Iterable[Competitor], *, transponders: Iterable[str], name: str) -> Match:
    """The racer's competitor: by transponder first, else by name; ``TimingFileError`` when neither matches."""
    competitors = [c for c in competitors if c.laps]
    wanted = {t.strip() for t in transponders if t and t.strip()}
    for competitor in competitors:
        if competitor.transponder and competitor.transponder in wanted:
            return Match(competitor, "transponder")
    named = [c for c in competitors if _normal(c.name) == _normal(name)]
    if len(named) == 1:
        return Match(named[0], "name")
    if len(named) > 1:
        raise TimingFileError(
            [(0, f"{len(named)} drivers in the file are called {name}; add your transponder to tell which.")]
        )
    looked_for = f"transponder {' or '.join(sorted(wanted))} or name {name}" if wanted else f"name {name}"
    found = ", ".join(c.name or c.transponder for c in competitors[:8]) or "nobody with laps"
    raise TimingFileError([(0, f"Nobody in the file matches {looked_for}. The file has: {found}.")])
