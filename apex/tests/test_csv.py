import csv
import io

import pytest

from apex import csv as apex_csv


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+A1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_cells_are_written_as_text(value):
    assert apex_csv.escape(value) == "'" + value


@pytest.mark.parametrize("value", ["32.451", "Genk", "", "a=b", "1:02.004", None])
def test_other_cells_are_written_as_they_are(value):
    assert apex_csv.escape(value) == ("" if value is None else value)


def test_writer_escapes_every_cell():
    out = io.StringIO()
    apex_csv.writer(out).writerows([["=cmd", "ok", 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=cmd", "ok", "3"]]
