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
site's forms, so a file cannot hold a driver the site would refuse.
"""

import csv
import io

from sims.forms import ResultRowForm
from sims.services import ResultRow

COLUMNS = list(ResultRowForm.base_fields)


class ResultsFileError(Exception):
    """The file as a whole cannot be read (empty, binary, wrong header)."""


def decode(data: bytes) -> str:
    if not data.strip():
        raise ResultsFileError("The file is empty.")
    if b"\x00" in data:
        raise ResultsFileError("The file looks binary, not a CSV text file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResultsFileError("The file is not UTF-8 text.") from None


def _reasons(form: ResultRowForm, record: dict[str, str]) -> list[str]:
    """Each bad field as ``position 'x': Enter a whole number.``"""
    reasons: list[str] = []
    for column, messages in form.errors.items():
        raw = record.get(column, "").strip()
        shown = f"{column} {raw!r}" if raw else column
        reasons.extend(f"{shown}: {message}" for message in messages)
    return reasons


def parse(text: str) -> tuple[list[ResultRow], list[str]]:
    """The rows, and one message per bad field ("line 4: position 'x': Enter a whole number.")."""
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
        form = ResultRowForm(record)
        if not form.is_valid():
            errors.extend(f"line {line}: {reason}" for reason in _reasons(form, record))
            continue
        data = form.cleaned_data
        if data["identifier"] in seen:
            errors.append(
                f"line {line}: identifier {data['identifier']} is already on line {seen[data['identifier']]}"
            )
            continue
        seen[data["identifier"]] = line
        rows.append(
            ResultRow(
                line=line,
                identifier=data["identifier"],
                name=data["name"],
                position=data["position"],
                laps=data["laps"],
                best_lap_ms=data["best_lap"],
                points=data["points"],
            )
        )
    if not rows and not errors:
        raise ResultsFileError("The file has a header but no results.")
    return rows, errors
