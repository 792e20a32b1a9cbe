"""A cell longer than the csv module's field limit (128 KiB) is a one-line DataError naming the file
and line, never the csv module's own exception, and loading leaves that process-wide limit alone."""

from __future__ import annotations

import csv

import pytest

from regstudio.core.data import load_csv
from regstudio.core.errors import DataError

LONG = 200_000  # characters, above csv.field_size_limit()'s default of 131072


def _error(tmp_path, text: str) -> str:
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8", newline="")
    limit = csv.field_size_limit()
    with pytest.raises(DataError) as info:
        load_csv(path).dataset("y")
    assert csv.field_size_limit() == limit
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def test_long_text_in_a_numeric_column_without_quotes(tmp_path):
    message = _error(tmp_path, "x,y\n1,2\n" + "a" * LONG + ",3\n")
    assert "row 2 (line 3), column 'x': 'aaaa" in message and "is not a number" in message


def test_ragged_row_after_a_long_cell_without_quotes(tmp_path):
    message = _error(tmp_path, "x,y\n" + "7" * LONG + ",2\n1,2,3\n")
    assert "row 2 (line 3) has 3 fields but the header has 2" in message


def test_long_quoted_cell(tmp_path):
    message = _error(tmp_path, 'x,y\n1,"2"\n"' + "9" * LONG + '",3\n')
    assert message.endswith(": line 3: a cell is longer than 131,072 characters (is a closing quote missing?)")


def test_unclosed_quote_is_named_where_its_row_starts(tmp_path):
    message = _error(tmp_path, 'x,y\n1,2\n\n3,"4\n' + "5,6\n" * 40_000)
    assert ": line 4: a cell is longer than 131,072 characters" in message


def test_long_unquoted_cell_still_loads(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("x,label\n1,a\n2," + "b" * LONG + "\n", encoding="utf-8")
    assert load_csv(path).column("label")[1] == "b" * LONG
