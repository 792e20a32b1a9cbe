"""CSV files from Chinese Excel: GB18030 ("CSV"), UTF-16 with a BOM ("Unicode text"), UTF-8 with a BOM; from
Western European Excel: Windows-1252; UTF-16 without a BOM; and binary files, refused."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from regstudio.cli import main as cli_main
from regstudio.core.data import load_csv
from regstudio.core.errors import DataError

ROWS = [("-1.5", "-1.4", "甲"), ("-1.2", "-1.6", "甲"), ("-1.7", "-1.1", "甲"), ("-1.3", "-1.3", "甲"),
        ("1.5", "1.4", "乙"), ("1.2", "1.6", "乙"), ("1.7", "1.1", "乙"), ("1.3", "1.3", "乙")]
HEADER = ("身高", "体重", "类别")


def text(delimiter=",") -> str:
    return "\n".join(delimiter.join(row) for row in [HEADER, *ROWS]) + "\n"


@pytest.mark.parametrize("encoding, data, expected", [
    ("gb18030", lambda: text().encode("gb18030"), "GB18030"),
    ("gbk", lambda: text().encode("gbk"), "GB18030"),          # GBK is a subset of GB18030
    ("utf-16", lambda: text("\t").encode("utf-16"), "UTF-16"),  # Excel's "Unicode text": tabs, BOM
    ("utf-16-be", lambda: b"\xfe\xff" + text().encode("utf-16-be"), "UTF-16"),
    ("utf-8-sig", lambda: text().encode("utf-8-sig"), "UTF-8"),
    ("utf-8", lambda: text().encode("utf-8"), "UTF-8"),
])
def test_chinese_headers_and_labels_read_the_same_in_every_encoding(tmp_path, encoding, data, expected):
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(data())
    table = load_csv(path)
    assert table.header == HEADER and table.encoding == expected
    assert table.column("类别") == tuple(row[2] for row in ROWS)
    assert bool(table.encoding_note) == (expected != "UTF-8")
    assert expected in table.encoding_note or expected == "UTF-8"


def test_a_gb18030_file_trains_and_predicts_with_its_chinese_names_and_says_how_it_was_read(tmp_path, capsys):
    data = tmp_path / "excel.csv"
    data.write_bytes(text().encode("gb18030"))
    model = tmp_path / "model.json"
    assert cli_main(["train", str(data), "--y", "类别", "--model", "logistic", "--quiet", "--out", str(model)]) == 0
    assert "read as GB18030 text" in capsys.readouterr().err
    document = json.loads(model.read_text(encoding="utf-8"))
    assert document["classes"] == ["乙", "甲"]
    out = tmp_path / "predictions.csv"
    assert cli_main(["predict", str(model), str(data), "--out", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["prediction"] for row in rows] == [row[2] for row in ROWS]
    assert np.allclose([float(row["p_甲"]) + float(row["p_乙"]) for row in rows], 1.0)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(tmp_path, encoding):
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(text("\t").encode(encoding))
    table = load_csv(path)
    assert table.header == HEADER and table.delimiter == "\t"
    assert table.column("类别") == tuple(row[2] for row in ROWS)
    name = encoding.upper().replace("-16-", "-16")
    assert table.encoding == name and name in table.encoding_note


# Windows-1252 bytes that GB18030 reads too, as rare hanzi: "Größe" → "Gr鲞e", "naïve" → "na飗e";
# "Café" at the end of a cell is no GB18030 at all.
@pytest.mark.parametrize("word", ["Größe", "naïve", "Café", "Übergröße", "façade", "Crème brûlée"])
def test_western_european_files_read_as_windows_1252(tmp_path, word):
    path = tmp_path / "excel.csv"
    path.write_bytes(f"x;{word}\n1,5;{word}\n2,5;ok\n".encode("cp1252"))
    table = load_csv(path)
    assert table.header == ("x", word) and table.column(word) == (word, "ok")
    assert table.encoding == "Windows-1252"
    assert table.encoding_note == f"{path}: read as Windows-1252 text (not UTF-8)"


def test_a_windows_1252_file_trains_with_its_names(tmp_path, capsys):
    data = tmp_path / "messungen.csv"
    rows = [("Größe", "Gewicht", "Qualität")] + [(f"{x:.1f}", f"{2 * x + 1:.1f}", "naïve" if x < 0 else "Café")
                                                   for x in np.linspace(-2, 2, 9)]
    data.write_bytes("".join(";".join(row) + "\r\n" for row in rows).encode("cp1252"))
    model = tmp_path / "model.json"
    assert cli_main(["train", str(data), "--y", "Qualität", "--model", "logistic", "--quiet", "--out", str(model)]) == 0
    assert "read as Windows-1252 text" in capsys.readouterr().err
    document = json.loads(model.read_text(encoding="utf-8"))
    assert document["inputs"] == ["Größe", "Gewicht"] and document["classes"] == ["Café", "naïve"]


@pytest.mark.parametrize("header, cells", [
    (("姓名", "分数"), [("张鑫", "90"), ("王淼", "85"), ("李璐", "77")]),  # half the hanzi are less common
    (("丂", "x"), [("丂", "1")]),  # rare, and no Windows-1252 (byte 0x81)
], ids=["names", "rare"])
def test_chinese_files_with_less_common_hanzi_stay_gb18030(tmp_path, header, cells):
    path = tmp_path / "names.csv"
    path.write_bytes("\n".join(",".join(row) for row in [header, *cells]).encode("gb18030"))
    table = load_csv(path)
    assert table.encoding == "GB18030" and table.header == header
    assert table.column(header[0]) == tuple(row[0] for row in cells)


ICON = Path(__file__).resolve().parents[2] / "resources" / "icons" / "regstudio-32.png"


@pytest.mark.parametrize("data", [
    lambda: ICON.read_bytes(),
    lambda: gzip.compress(text().encode("utf-8"), mtime=0),
    lambda: np.arange(64, dtype=np.int32).tobytes(),
    lambda: np.linspace(0, 1, 64).tobytes(),
    lambda: b"x,y\n1,\x00\n",  # UTF-8 text and a stray NUL
], ids=["png", "gzip", "int32", "float64", "stray-nul"])
def test_binary_files_are_still_refused(tmp_path, data):
    path = tmp_path / "binary.csv"
    path.write_bytes(data())
    with pytest.raises(DataError, match=r"binary\.csv: not a text CSV file \(it contains binary data\)"):
        load_csv(path)


def test_bytes_that_are_no_supported_encoding_name_the_file_and_the_offset(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"x,y\n1,\x81\n")  # no character in Windows-1252, a lead byte without its trail in GB18030
    with pytest.raises(DataError, match=r"broken\.csv: not UTF-8, UTF-16, GB18030 or Windows-1252 text "
                                        r"\(bad byte at offset 6\)"):
        load_csv(path)
