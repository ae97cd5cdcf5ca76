"""apex.csv: formula cells written as text, read back unchanged; read errors with their line."""

import csv
import io
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apex import csv as apex_csv


def written(rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO(newline="")
    apex_csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def read_back(text: str) -> list[list[str]]:
    return list(apex_csv.reader(io.StringIO(text, newline="")))


def as_a_spreadsheet_sees_it(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("-1e5", "'-1e5"),
        ("'=already quoted", "''=already quoted"),
        ("''", "'''"),
        # Plain numbers are values, not formulas: a spreadsheet can still sum them.
        ("-31.2", "-31.2"),
        ("-5", "-5"),
        ("42", "42"),
        ("'til dusk", "'til dusk"),
        ("'", "'"),
        ("Xray T4", "Xray T4"),
        ("", ""),
    ],
)
def test_formula_cells_are_written_as_text_and_read_back_unchanged(value, cell):
    text = written([[value, "after"]])
    assert as_a_spreadsheet_sees_it(text) == [[cell, "after"]]
    assert read_back(text) == [[value, "after"]]


def test_numbers_and_none_are_written_as_text():
    assert as_a_spreadsheet_sees_it(written([[-31.2, 7, None]])) == [["-31.2", "7", ""]]


def test_a_file_written_before_escaping_reads_unchanged():
    assert read_back("'til dusk,'quoted',-0.5,=1+1\r\n") == [["'til dusk", "'quoted'", "-0.5", "=1+1"]]


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), max_size=4))
def test_any_rows_round_trip_and_no_cell_starts_a_formula(rows):
    text = written(rows)
    assert read_back(text) == rows
    for row in as_a_spreadsheet_sees_it(text):
        for cell in row:
            assert not cell.startswith(apex_csv.FORMULA_STARTS) or apex_csv.escape(cell) == cell


def test_a_field_over_the_csv_limit_is_an_error_with_its_line():
    limit = csv.field_size_limit()
    text = 'a,b\n1,2\n3,"multi\nline"\n4,' + "x" * (limit + 1) + "\n5,6\n"
    reader = apex_csv.reader(io.StringIO(text, newline=""))
    assert next(reader) == ["a", "b"]
    assert next(reader) == ["1", "2"]
    assert next(reader) == ["3", "multi\nline"] and reader.line == 3
    with pytest.raises(apex_csv.CsvError) as error:
        next(reader)
    assert error.value.line == 5
    assert str(error.value) == f"line 5: a field is longer than {limit:,} characters"


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(3 * 2**20 + 1)  # sparse: instant, whatever the size
    with pytest.raises(apex_csv.CsvError, match=r"3\.0 MiB, over the 3 MiB limit; split it") as error:
        apex_csv.check_size(path, 3 * 2**20)
    assert error.value.line is None
    apex_csv.check_size(path, 4 * 2**20)


def test_check_text_counts_lines_a_chunk_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(apex_csv, "CHUNK_BYTES", 4)
    path = tmp_path / "ok.csv"
    path.write_bytes("\ufeffname\nMüller\nZoë\n".encode())
    assert apex_csv.check_text(path, 2**20) == 3


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"a,b\n1,\x00\n", "binary content, not a CSV text file"),
        ("a,b\nM\u00fcller\n".encode("latin-1"), r"not UTF-8 text \(bad byte at offset 5\)"),
        (b"a,b\nM\xc3", r"not UTF-8 text \(the file ends inside a character\)"),
    ],
)
def test_check_text_refuses_binary_and_non_utf8(tmp_path, monkeypatch, content, reason):
    monkeypatch.setattr(apex_csv, "CHUNK_BYTES", 3)  # the bad byte lands in a later chunk
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(apex_csv.CsvError, match=reason):
        apex_csv.check_text(path, 2**20)


def test_numbers_escaped_by_the_strict_owasp_rule_read_back_as_numbers():
    """Other tools quote every cell starting with "-", numbers too; the import still reads -31.2."""
    assert read_back("'-31.2,'-5,'+3\r\n") == [["-31.2", "-5", "+3"]]
