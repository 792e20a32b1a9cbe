"""``regstudio train --features distances [--references X1,Y1,X2,Y2]`` and predictions from its model file."""

from __future__ import annotations

import csv
import io
import json
import os

import numpy as np
import pytest

from regstudio.cli import main
from regstudio.core.generators import generate


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code: int, err: str) -> str:
    lines = err.splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("regstudio: error: "), err
    return lines[0]


@pytest.fixture
def xor_csv(tmp_path):
    data = generate("xor", 200, 0.2, seed=5)
    path = tmp_path / "xor.csv"
    rows = [f"{a!r},{b!r},{label}" for (a, b), label in zip(data.X.tolist(), data.y.tolist())]
    path.write_text("x1,x2,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path, data


def _accuracy(capsys, model, csv_path, data) -> float:
    code, out, err = run(capsys, "predict", model, csv_path)
    assert code == 0, err
    predicted = [row["prediction"] for row in csv.DictReader(io.StringIO(out))]
    return float(np.mean(np.array(predicted) == data.y))


def test_distance_features_separate_xor_through_train_and_predict(tmp_path, capsys, xor_csv):
    csv_path, data = xor_csv
    accuracy = {}
    for features in ("raw", "distances"):
        out = tmp_path / f"{features}.json"
        code, _, err = run(capsys, "train", csv_path, "--y", "label", "--model", "logistic", "--lr", "1",
                           "--features", features, "--quiet", "--out", out)
        assert code == 0, err
        accuracy[features] = _accuracy(capsys, out, csv_path, data)
    assert accuracy["distances"] > 0.95 and accuracy["raw"] <= 0.8
    document = json.loads((tmp_path / "distances.json").read_text(encoding="utf-8"))
    assert document["features"]["names"] == ["dist to (1.5, 1.5)", "dist to (-1.5, -1.5)"]


def test_references_flag_moves_the_reference_points(tmp_path, capsys, xor_csv):
    csv_path, data = xor_csv
    out = tmp_path / "m.json"
    code, _, err = run(capsys, "train", csv_path, "--y", "label", "--model", "logistic", "--lr", "1",
                       "--features", "distances", "--references", "1.5,-1.5,-1.5,1.5", "--quiet", "--out", out)
    assert code == 0, err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["features"]["distances_to"] == [[1.5, -1.5], [-1.5, 1.5]]
    assert document["hyperparameters"]["references"] == [[1.5, -1.5], [-1.5, 1.5]]
    assert _accuracy(capsys, out, csv_path, data) > 0.95  # the class-1 corners work as well


@pytest.mark.parametrize("extra, needle", [
    (["--features", "distances", "--references", "1,2,3"], "four finite numbers"),
    (["--features", "distances", "--references", "1,2,3,x"], "four finite numbers"),
    (["--features", "distances", "--references", "1,2,nan,4"], "four finite numbers"),
    (["--features", "distances", "--references", "1,2,1,2"], "two different points"),
    (["--references", "1,2,3,4"], "--references applies to --features distances"),
    (["--features", "squares"], "--features"),
])
def test_bad_feature_flags_give_one_error_line(tmp_path, capsys, xor_csv, extra, needle):
    code, _, err = run(capsys, "train", xor_csv[0], "--y", "label", "--model", "logistic", *extra,
                       "--out", tmp_path / "m.json")
    assert needle in one_error_line(code, err)
    assert not (tmp_path / "m.json").exists()


def test_distances_on_three_inputs_say_they_need_two(tmp_path, capsys):
    path = tmp_path / "three.csv"
    path.write_text("a,b,c,label\n0,0,0,0\n1,1,1,1\n0,1,0,0\n1,0,1,1\n", encoding="utf-8")
    code, _, err = run(capsys, "train", path, "--y", "label", "--model", "logistic", "--features", "distances",
                       "--out", tmp_path / "m.json")
    assert "--features distances needs exactly two input columns" in one_error_line(code, err)
