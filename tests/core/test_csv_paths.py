"""The loader's fast path (plain splitting) agrees with the csv module wherever it is used."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from regstudio.core.data import _columns_by_csv_module, _columns_by_splitting, _is_simple, _line_of_row
from regstudio.core.errors import DataError

# Only texts the fast path takes: no quote, and a carriage return only as part of CRLF (a token of
# its own), so every example is used and none is filtered out.
cells = st.lists(st.sampled_from(["a", "b", "1", ".", "-", "e", " ", ";", ",", "\t", "\n", "\r\n", "\u00a0",
                                  "\u2028", "x"]), max_size=6).map("".join)
texts = st.tuples(st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=6),
                  st.sampled_from([",", ";", "\t"]), st.booleans())


def _text(rows, delimiter, crlf):
    text = ("\r\n" if crlf else "\n").join(delimiter.join(r) for r in rows)
    assert _is_simple(text)
    return text


def _outcome(parse, path, text, delimiter):
    try:
        return parse(str(path), text, delimiter)
    except DataError as exc:
        return type(exc), str(exc)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_fast_path_equals_csv_module(tmp_path_factory, generated):
    rows, delimiter, crlf = generated
    text = _text(rows, delimiter, crlf)
    path = tmp_path_factory.mktemp("csv") / "f.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert _outcome(_columns_by_splitting, path, text, delimiter) == _outcome(_columns_by_csv_module, path, text,
                                                                              delimiter)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_fast_path_names_the_lines_the_csv_module_counts(tmp_path_factory, generated):
    rows, delimiter, crlf = generated
    text = _text(rows, delimiter, crlf)
    path = tmp_path_factory.mktemp("csv") / "f.csv"
    path.write_text(text, encoding="utf-8", newline="")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row_ends = [reader.line_num for fields in reader if delimiter.join(fields).strip()]
    assert [_line_of_row(str(path), delimiter, row) for row in range(len(row_ends) - 1)] == row_ends[1:]
