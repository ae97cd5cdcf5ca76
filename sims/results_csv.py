"""Reading a results file: one row per driver.

Header (exactly these columns, in any order)::

    identifier,name,position,laps,best_lap,points

- identifier: the simulator's own driver ID (no spaces or slashes)
- name: the driver name on the simulator
- position: finishing position, 1 or more
- laps: laps completed (blank = 0)
- best_lap: ``m:ss.fff`` (``1:23.456``) or seconds (``83.456``); blank = none
- points: a number, blank = 0
"""

import csv
import io
import re
from decimal import Decimal, InvalidOperation

from sims.models import IDENTIFIER_RE
from sims.services import ResultRow

COLUMNS = ["identifier", "name", "position", "laps", "best_lap", "points"]
_LAP_RE = re.compile(r"^(?:(\d+):)?(\d+)(?:\.(\d{1,3}))?$")


class ResultsFileError(Exception):
    """The file as a whole cannot be read (empty, binary, wrong header)."""


def parse_lap(raw: str) -> int | None:
    """``1:23.456`` or ``83.456`` to milliseconds; blank is None. Raises ValueError."""
    raw = raw.strip()
    if not raw:
        return None
    match = _LAP_RE.match(raw)
    if not match:
        raise ValueError(f"best_lap {raw!r} is not m:ss.fff or seconds")
    minutes, seconds, fraction = match.groups()
    if minutes is not None and int(seconds) >= 60:
        raise ValueError(f"best_lap {raw!r} has {seconds} seconds")
    ms = int((fraction or "0").ljust(3, "0"))
    total = (int(minutes or 0) * 60 + int(seconds)) * 1000 + ms
    if total == 0:
        raise ValueError("best_lap cannot be zero")
    return total


def _int(raw: str, column: str, *, minimum: int, blank: int | None = None) -> int:
    raw = raw.strip()
    if not raw and blank is not None:
        return blank
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{column} {raw!r} is not a whole number") from None
    if value < minimum:
        raise ValueError(f"{column} must be {minimum} or more")
    return value


def _points(raw: str) -> Decimal:
    raw = raw.strip()
    if not raw:
        return Decimal("0")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"points {raw!r} is not a number") from None
    if not value.is_finite() or abs(value) >= 100_000:
        raise ValueError(f"points {raw!r} is out of range")
    return value.quantize(Decimal("0.01"))


def decode(data: bytes) -> str:
    if not data.strip():
        raise ResultsFileError("The file is empty.")
    if b"\x00" in data:
        raise ResultsFileError("The file looks binary, not a CSV text file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResultsFileError("The file is not UTF-8 text.") from None


def parse(text: str) -> tuple[list[ResultRow], list[str]]:
    """The rows, and one message per bad row ("line 4: position 'x' is not a whole number")."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if sorted(header) != sorted(COLUMNS):
        raise ResultsFileError(
            f"The header must be {','.join(COLUMNS)}; got {','.join(reader.fieldnames or []) or 'nothing'}."
        )
    reader.fieldnames = header
    rows: list[ResultRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if None in record or any(v is None for v in record.values()):
            errors.append(f"line {line}: expected {len(COLUMNS)} columns")
            continue
        if not any(v.strip() for v in record.values()):
            continue  # blank line
        try:
            identifier = record["identifier"].strip()
            if not identifier or not re.match(IDENTIFIER_RE, identifier) or len(identifier) > 100:
                raise ValueError("identifier is missing or has spaces or slashes (or is over 100 characters)")
            name = record["name"].strip()
            if not name or len(name) > 100:
                raise ValueError("name is missing or over 100 characters")
            if identifier in seen:
                raise ValueError(f"identifier {identifier} is already on line {seen[identifier]}")
            row = ResultRow(
                line=line,
                identifier=identifier,
                name=name,
                position=_int(record["position"], "position", minimum=1),
                laps=_int(record["laps"], "laps", minimum=0, blank=0),
                best_lap_ms=parse_lap(record["best_lap"]),
                points=_points(record["points"]),
            )
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        seen[identifier] = line
        rows.append(row)
    if not rows and not errors:
        raise ResultsFileError("The file has a header but no results.")
    return rows, errors
