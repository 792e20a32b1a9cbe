"""CSV files from Chinese Excel: GB18030 ("CSV"), UTF-16 with a BOM ("Unicode text"), UTF-8 with a BOM."""

from __future__ import annotations

import csv
import json

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


def test_bytes_that_are_no_supported_encoding_name_the_file_and_the_offset(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"x,y\n1,\xff\n")
    with pytest.raises(DataError, match=r"broken\.csv: not UTF-8, UTF-16 or GB18030 text \(bad byte at offset 6\)"):
        load_csv(path)
