"""Every CSV file Apex writes or reads goes through here.

Formula cells (OWASP "CSV injection"): a spreadsheet runs a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula. ``escape`` writes such a value with a single quote in front, so the
spreadsheet shows it as text; ``unescape`` takes exactly that quote off
again, so export then import gives back the value unchanged.

- A plain number (``-31.2``, ``-5``) is a value, not a formula: it is
  written as it is, so a spreadsheet still sums camber and toe, and it
  reads back as the same number.
- A value that already looks escaped (a quote followed by one of those
  characters or by another quote, ``'=x`` or ``''x``) gets a quote too, so
  it reads back with its own quote. Any other value starting with a quote
  (``'til dusk``) is written and read unchanged, as are files written
  before this rule.

Reading: a field longer than ``csv.field_size_limit()`` (128 KiB) is a
``CsvError`` with the line it starts on, never a traceback. ``check_text``
refuses a file over the reader's own size limit, binary or not UTF-8, a
chunk at a time, before any row is used.
"""

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
CHUNK_BYTES = 2**20


class CsvError(Exception):
    """A file that cannot be read as CSV: the line where reading stopped (None: the whole file)."""

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        super().__init__(reason if line is None else f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def _looks_escaped(text: str) -> bool:
    return len(text) >= 2 and text[0] == ESCAPE and (text[1] == ESCAPE or text[1] in FORMULA_STARTS)


def escape(value: object) -> str:
    """The cell as written: formula-like text behind a quote (see the module docstring)."""
    text = "" if value is None else str(value)
    if _looks_escaped(text) or (text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)):
        return ESCAPE + text
    return text


def unescape(text: str) -> str:
    """The value of a cell as read: the quote ``escape`` added taken off."""
    return text[1:] if _looks_escaped(text) else text


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


class Reader:
    """``csv.reader`` that unescapes every cell and reports errors with their line.

    ``line`` is the physical line the last record started on (a quoted
    field may span several lines); ``line_num`` the last line read.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._reader = csv.reader(lines)
        self.line = 0

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        start = self._reader.line_num + 1
        try:
            cells = next(self._reader)
        except csv.Error as exc:
            raise CsvError(error_reason(exc), line=start) from None
        self.line = start
        return [unescape(cell) for cell in cells]


def reader(lines: Iterable[str]) -> Reader:
    return Reader(lines)


def error_reason(exc: csv.Error) -> str:
    """What a ``csv.Error`` means, said for the person who made the file."""
    message = str(exc)
    if "field larger than field limit" in message:
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return f"not valid CSV ({message})"


def check_size(path: Path, limit: int) -> None:
    """Raise ``CsvError`` when ``path`` is over ``limit`` bytes, before anything is read."""
    size = path.stat().st_size
    if size > limit:
        raise CsvError(
            f"the file is {size / 2**20:,.1f} MiB, over the {limit / 2**20:,.0f} MiB limit; split it"
        )


def check_text(path: Path, limit: int) -> int:
    """The number of lines of a UTF-8 text file of at most ``limit`` bytes, read a chunk at a time.

    Raises ``CsvError`` for a file over the limit, binary content (a NUL
    byte) or bytes that are not UTF-8.
    """
    check_size(path, limit)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    lines = offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            if b"\x00" in chunk:
                raise CsvError("binary content, not a CSV text file")
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise CsvError(
                    f"not UTF-8 text (bad byte at offset {offset - pending + exc.start})"
                ) from None
            lines += chunk.count(b"\n")
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise CsvError("not UTF-8 text (the file ends inside a character)") from None
    return lines
