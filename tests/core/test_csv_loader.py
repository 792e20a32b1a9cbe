"""``load_csv`` and ``Table.dataset``: sniffing, encodings, quoting, names, the missing-value policy,
and a fuzz showing that no file, however broken, raises anything but a ``RegstudioError``."""

from __future__ import annotations

import os
import signal
import tempfile

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regstudio.core.data import load_csv
from regstudio.core.errors import DataError, RegstudioError


def write(tmp_path, text: str | bytes, name: str = "data.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return os.fspath(path)


def load_text(tmp_path, text, name="data.csv"):
    return load_csv(write(tmp_path, text, name))


# ----------------------------------------------------------------------------------------------
# delimiters, encodings, quoting


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    rows = [["x1", "x2", "y"], ["1", "2.5", "3"], ["4", "-5", "6e1"], ["7", "8", "9"]]
    table = load_text(tmp_path, "\n".join(delimiter.join(r) for r in rows) + "\n")
    assert table.delimiter == delimiter
    assert table.header == ("x1", "x2", "y")
    assert table.columns == {"x1": ("1", "4", "7"), "x2": ("2.5", "-5", "8"), "y": ("3", "6e1", "9")}
    assert len(table) == 3


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_delimiter_is_sniffed_with_crlf_and_no_final_newline(tmp_path, delimiter):
    text = "\r\n".join(delimiter.join(r) for r in [["a", "b"], ["1", "2"], ["3", "4"]])
    table = load_text(tmp_path, text)
    assert table.header == ("a", "b")
    assert table.columns == {"a": ("1", "3"), "b": ("2", "4")}


def test_semicolon_file_with_decimal_commas_keeps_cells(tmp_path):
    table = load_text(tmp_path, "x;y\n1,5;2,5\n3,5;4,5\n")
    assert table.delimiter == ";"
    assert table.columns == {"x": ("1,5", "3,5"), "y": ("2,5", "4,5")}


@pytest.mark.parametrize("text, header, values", [
    ("y\n1.5\n2.5\n3\n", "y", ("1.5", "2.5", "3")),
    ("city name\nNew York\nLos Angeles\n", "city name", ("New York", "Los Angeles")),
    ('"a,b"\n1\n2\n', "a,b", ("1", "2")),
    ("value\n-1\n\n2\n", "value", ("-1", "2")),
], ids=["numbers", "spaces", "quoted-comma-header", "blank-line"])
def test_one_column_file(tmp_path, text, header, values):
    table = load_text(tmp_path, text)
    assert table.header == (header,)
    assert table.columns == {header: values}


def test_one_column_file_gives_no_inputs_error(tmp_path):
    table = load_text(tmp_path, "y\n1\n2\n", name="single.csv")
    with pytest.raises(DataError, match="single.csv.*no input columns"):
        table.dataset(y="y")


def test_utf8_bom_is_not_part_of_the_first_name(tmp_path):
    table = load_text(tmp_path, "\ufeffx;y\n1;2\n3;4\n")
    assert table.header == ("x", "y")
    assert table.delimiter == ";"
    assert table.dataset(y="y").x_names == ("x",)


def test_blank_lines_are_skipped(tmp_path):
    table = load_text(tmp_path, "\n\nx,y\n\n1,2\n   \n3,4\n\n")
    assert table.header == ("x", "y")
    assert table.columns == {"x": ("1", "3"), "y": ("2", "4")}


def test_quoted_fields_with_delimiter_quote_and_newline(tmp_path):
    text = ('id,"note, free text",y\n'
            '1,"a, b",10\n'
            '2,"first line\nsecond line",20\n'
            '3,"she said ""hi""",30\n'
            '4,"",40\n')
    table = load_text(tmp_path, text)
    assert table.delimiter == ","
    assert table.header == ("id", "note, free text", "y")
    assert table.column("note, free text") == ("a, b", "first line\nsecond line", 'she said "hi"', "")
    assert table.column("y") == ("10", "20", "30", "40")


def test_quoted_fields_in_a_semicolon_file(tmp_path):
    table = load_text(tmp_path, 'x;label\n1;"a;b"\n2;"c\nd"\n3;e\n')
    assert table.delimiter == ";"
    assert table.column("label") == ("a;b", "c\nd", "e")


def test_quoted_newline_counts_lines_in_messages(tmp_path):
    # data row 1 spans file lines 2-3; data row 2 (line 4) has text in a numeric column
    path = write(tmp_path, 'x,note,y\n1,"two\nlines",5\nbad,ok,6\n', "q.csv")
    table = load_csv(path)
    with pytest.raises(DataError) as info:
        table.dataset(y="y", x=["x"])
    message = str(info.value)
    assert "q.csv" in message and "row 2" in message and "line 4" in message and "'x'" in message


def test_blank_lines_do_not_count_as_rows_in_messages(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n\n\n3,oops\n", "b.csv")
    with pytest.raises(DataError) as info:
        load_csv(path).dataset(y="y")
    message = str(info.value)
    assert "row 2" in message and "line 5" in message and "'y'" in message and "oops" in message


class _TookTooLong(BaseException):
    pass


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")
def test_sniffing_a_file_full_of_quotes_is_fast(tmp_path):
    path = write(tmp_path, '"a\n' * 20_000, "quotes.csv")

    def give_up(*_):
        raise _TookTooLong("load_csv took more than 5 s on a 60 kB file (it once took 18 s)")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(5)
    try:
        load_csv(path)
    except DataError:
        pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ----------------------------------------------------------------------------------------------
# column names


NAMES = ["price [USD]", "rate (%)", "température °C", "名前", "a b  c", " padded ", "x.1", "#", "Ω"]


def test_column_names_kept_exactly(tmp_path):
    header = ",".join(f'"{n}"' if n.strip() != n else n for n in NAMES) + ",y"
    row = ",".join(str(i) for i in range(len(NAMES))) + ",1"
    table = load_text(tmp_path, "\n".join([header, row, row.replace("0", "9")]) + "\n")
    assert table.header == (*NAMES, "y")
    data = table.dataset(y="y", x=["名前", "price [USD]", " padded "])
    assert data.x_names == ("名前", "price [USD]", " padded ")
    np.testing.assert_array_equal(data.X[0], [3.0, 0.0, 5.0])


def test_unknown_column_message_names_it_and_the_file(tmp_path):
    table = load_text(tmp_path, "price [USD],y\n1,2\n", name="prices.csv")
    with pytest.raises(DataError) as info:
        table.dataset(y="y", x=["price"])
    assert "prices.csv" in str(info.value) and "'price'" in str(info.value)
    with pytest.raises(DataError, match="'target'"):
        table.dataset(y="target")


def test_duplicate_header_names_are_an_error(tmp_path):
    with pytest.raises(DataError, match="dup.csv.*'x'"):
        load_text(tmp_path, "x,y,x\n1,2,3\n", name="dup.csv")


# ----------------------------------------------------------------------------------------------
# errors of the file itself


@pytest.mark.parametrize("content, needle", [
    (b"", "empty"),
    (b"\n \n\t\n", "empty"),
    (b"x,y\n", "no data rows"),
    (b"x,y\n\n\n", "no data rows"),
    (b"x,y\n1,\x002\n", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"x,y\ncaf\x81,1\n", "UTF-8"),  # byte 0x81: no Windows-1252, no GB18030 before a comma
    (b"\xff\xfex\x00,\x00y\x00", "no data rows"),  # UTF-16 with a BOM is text: a header alone
], ids=["empty", "whitespace", "header-only", "header-and-blank-lines", "nul", "png", "no-encoding", "utf-16"])
def test_unreadable_files(tmp_path, content, needle):
    path = write(tmp_path, content, "broken.csv")
    with pytest.raises(DataError) as info:
        load_csv(path)
    assert "broken.csv" in str(info.value) and needle in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DataError, match="absent.csv"):
        load_csv(tmp_path / "absent.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(DataError, match="folder.csv"):
        load_csv(tmp_path / "folder.csv")


@pytest.mark.parametrize("text, row, line, fields", [
    ("x,y\n1,2\n3,4,5\n", 2, 3, 3),
    ("x,y\n1,2\n3\n", 2, 3, 1),
    ("x,y\n\n1,2\n\n3,4\n5\n", 3, 6, 1),
    ('x,y\n"a\nb",2\n3,4,5\n', 2, 4, 3),
], ids=["long", "short", "after-blank-lines", "after-quoted-newline"])
def test_ragged_rows_name_row_and_line(tmp_path, text, row, line, fields):
    with pytest.raises(DataError) as info:
        load_text(tmp_path, text, name="ragged.csv")
    message = str(info.value)
    assert "ragged.csv" in message and f"row {row} " in message and f"line {line})" in message, message
    assert f"has {fields} field{'s' if fields != 1 else ''} but" in message


@pytest.mark.parametrize("text", [",\n", ",,\n,,\n", ";;\n\n", '"",""\n', " , \n\t,\n"])
def test_file_of_only_delimiters_is_an_error(tmp_path, text):
    """Regression: the loader raised IndexError (rows[0] of an empty list) for these."""
    with pytest.raises(DataError, match="delims.csv"):
        load_text(tmp_path, text, name="delims.csv")


# ----------------------------------------------------------------------------------------------
# the missing-value policy and numbers


@pytest.mark.parametrize("token", ["", "NA", "na", "nan", "NaN", "null", "None", "N/A", "?", " NA ", "  "])
def test_missing_tokens_drop_the_row(tmp_path, token):
    text = f"x,y\n1,10\n{token},20\n3,30\n"
    data = load_text(tmp_path, text).dataset(y="y")
    assert data.dropped == 1
    np.testing.assert_array_equal(data.X[:, 0], [1.0, 3.0])
    np.testing.assert_array_equal(data.y, [10.0, 30.0])


def test_dropped_counts_rows_not_cells_and_only_used_columns(tmp_path):
    text = ("a,b,c,y,unused\n"
            "1,2,3,4,\n"       # missing only in the unused column: kept
            ",,3,4,x\n"        # two missing cells, one row
            "1,2,3,,x\n"       # missing target
            "1,2,3,4,NA\n"
            "1,NA,3,4,x\n")    # missing only in b
    table = load_text(tmp_path, text)
    everything = table.dataset(y="y", x=["a", "b", "c"])
    assert everything.dropped == 3 and len(everything) == 2
    without_b = table.dataset(y="y", x=["a", "c"])
    assert without_b.dropped == 2 and len(without_b) == 3
    only_c = table.dataset(y="y", x=["c"])
    assert only_c.dropped == 1 and len(only_c) == 4


def test_missing_group_and_label_cells_drop_rows(tmp_path):
    text = "x,label,g\n1,cat,A\n2,,A\n3,dog,NA\n4,dog,B\n5,N/A,B\n"
    table = load_text(tmp_path, text)
    data = table.dataset(y="label", x=["x"], group="g", task="classification")
    assert data.dropped == 3
    assert list(data.y) == ["cat", "dog"]
    assert list(data.groups) == ["A", "B"]


def test_no_complete_rows_is_an_error(tmp_path):
    table = load_text(tmp_path, "x,y\n,1\n2,NA\n", name="holes.csv")
    with pytest.raises(DataError, match="holes.csv"):
        table.dataset(y="y")


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "+INF", "1e999", "-1e400"])
def test_infinite_number_is_an_error_naming_row_and_column(tmp_path, cell):
    path = write(tmp_path, f"x,y\n1,2\n3,4\n{cell},6\n", "inf.csv")
    with pytest.raises(DataError) as info:
        load_csv(path).dataset(y="y")
    message = str(info.value)
    assert "inf.csv" in message and "row 3" in message and "line 4" in message and "'x'" in message, message


def test_infinite_target_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"row 1 .*'y'"):
        load_text(tmp_path, "x,y\n1,inf\n2,3\n").dataset(y="y")


def test_infinity_in_an_unused_column_is_fine(tmp_path):
    data = load_text(tmp_path, "x,y,z\n1,2,inf\n3,4,text\n").dataset(y="y", x=["x"])
    assert len(data) == 2 and data.dropped == 0


@pytest.mark.parametrize("cell", ["abc", "1,5", "1.2.3", "0x1F", "--1", "1e", "twelve"])
def test_text_in_numeric_column_names_row_and_column(tmp_path, cell):
    text = f'x,y\n1,2\n"{cell}",4\n'
    with pytest.raises(DataError) as info:
        load_text(tmp_path, text, name="text.csv").dataset(y="y")
    message = str(info.value)
    assert "text.csv" in message and "row 2" in message and "'x'" in message and cell in message, message
    assert "\n" not in message


def test_numbers_are_parsed(tmp_path):
    data = load_text(tmp_path, "x,y\n 1 ,2\n-3.5e2,+4\n.5,6.\n").dataset(y="y")
    np.testing.assert_array_equal(data.X[:, 0], [1.0, -350.0, 0.5])
    np.testing.assert_array_equal(data.y, [2.0, 4.0, 6.0])
    assert data.X.dtype == np.float64 and data.y.dtype == np.float64


@pytest.mark.parametrize("labels", [
    ["cat", "dog", "Cat", "dog"],
    ["1.0", "2.0", "2.0", "1.0"],
    ["1", "01", "1.0", "1"],
    ["versi color", "[x]", "é", "名前"],
    ["0", "1", "0", "1"],
])
def test_label_columns_keep_their_spelling(tmp_path, labels):
    text = "x,label\n" + "".join(f'{i},"{label}"\n' for i, label in enumerate(labels))
    table = load_text(tmp_path, text)
    data = table.dataset(y="label", task="classification")
    assert [str(v) for v in data.y] == labels
    assert table.column("label") == tuple(labels)


def test_group_column_keeps_its_spelling(tmp_path):
    data = load_text(tmp_path, "x,y,g\n1,2,2.0\n3,4,2\n5,6,species B\n").dataset(y="y", group="g")
    assert data.x_names == ("x",)
    assert [str(v) for v in data.groups] == ["2.0", "2", "species B"]


def test_target_cannot_be_input_or_group(tmp_path):
    table = load_text(tmp_path, "x,y,g\n1,2,a\n")
    with pytest.raises(DataError, match="'y'"):
        table.dataset(y="y", x=["x", "y"])
    with pytest.raises(DataError, match="'y'"):
        table.dataset(y="y", group="y")
    with pytest.raises(DataError):
        table.dataset(y="y", x=["x", "x"])


# ----------------------------------------------------------------------------------------------
# fuzz: nothing but RegstudioError, whatever the file holds


def _load_and_use(data: bytes) -> None:
    """Write ``data`` to a file, load it and build data sets from it; RegstudioError is fine."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz.csv")
        with open(path, "wb") as f:
            f.write(data)
        try:
            table = load_csv(path)
        except RegstudioError as exc:
            assert str(exc) and "\n" not in str(exc), repr(str(exc))
            return
        assert table.header and len(table) >= 1
        assert all(len(column) == len(table) for column in table.columns.values())
        for task in ("regression", "classification"):
            try:
                data_set = table.dataset(y=table.header[0], task=task)
            except RegstudioError as exc:
                assert str(exc) and "\n" not in str(exc), repr(str(exc))
                continue
            assert len(data_set) + data_set.dropped == len(table)
            assert data_set.X.shape == (len(data_set), len(data_set.x_names))
            assert np.isfinite(data_set.X).all()
            if task == "regression":
                assert np.isfinite(data_set.y).all()


CSV_ALPHABET = st.sampled_from(list(",;\t\n\r\"' 0123456789.-+eEinfNaA?xy\u00e9\ufeff"))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=120), st.text(CSV_ALPHABET, max_size=120)))
@example(text=",\n")
@example(text='"unterminated,\n1,2')
@example(text="x,y\n1,2\r3,4\n")
def test_fuzz_text_raises_only_regstudio_errors(text):
    _load_and_use(text.encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=120))
@example(data=b"\xef\xbb\xbf")
@example(data=b"x,y\n\xff,1\n")
def test_fuzz_bytes_raises_only_regstudio_errors(data):
    _load_and_use(data)


CELL = st.one_of(
    st.sampled_from(["1", "-2.5", "3e2", "", " ", "NA", "nan", "?", "inf", "-Infinity", "1e999", "cat",
                     "a b", "0x10", "1_000", "٣", "1,5", "\"", "\"q\"", "x\ny", "\r"]),
    st.text(max_size=4),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=8),
       delimiter=st.sampled_from([",", ";", "\t"]), newline=st.sampled_from(["\n", "\r\n"]),
       bom=st.booleans())
def test_fuzz_tables_raise_only_regstudio_errors(rows, delimiter, newline, bom):
    text = newline.join(delimiter.join(row) for row in rows)
    _load_and_use(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
