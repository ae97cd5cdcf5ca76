"""CSV that Apex writes: cells a spreadsheet would run as a formula are written as text.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to Excel and LibreOffice (OWASP "CSV injection"); ``escape``
puts a single quote in front, so the spreadsheet shows the text instead.
"""

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape(value: object) -> str:
    text = "" if value is None else str(value)
    return ESCAPE + text if text.startswith(FORMULA_STARTS) else text


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class Writer:
    """``csv.writer`` that escapes every cell."""

    def __init__(self, handle: _Writable) -> None:
        self._writer = csv.writer(handle)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([escape(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: _Writable) -> Writer:
    return Writer(handle)
