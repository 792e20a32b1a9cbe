"""``regstudio train`` on a CSV with a cell over the csv module's 128 KiB field limit: one error line
naming the file and line, exit 2 (it was an "internal error" with exit 1)."""

from __future__ import annotations

import os

import pytest

from regstudio.cli import main


@pytest.mark.parametrize("text, needle", [
    ("x,y\n1,2\n" + "a" * 200_000 + ",3\n", "row 2 (line 3), column 'x'"),
    ('x,y\n1,"2"\n"' + "9" * 200_000 + '",3\n', "line 3: a cell is longer than 131,072 characters"),
], ids=["unquoted", "quoted"])
def test_train_on_a_cell_over_the_field_limit(tmp_path, capsys, text, needle):
    data = tmp_path / "long.csv"
    data.write_text(text, encoding="utf-8")
    code = main(["train", os.fspath(data), "--y", "y", "--model", "linear", "--out", os.fspath(tmp_path / "m.json")])
    err = capsys.readouterr().err
    assert code == 2, err[:300]
    assert err.count("\n") == 1 and err.startswith(f"regstudio: error: {data}: "), err[:300]
    assert needle in err and len(err) < 300, err[:300]
    assert not (tmp_path / "m.json").exists()
