"""The command line's error contract (README, "Command line") and the shape of its successful output.

Every bad input exits with code 2 and prints exactly one line on stderr, starting with
``regstudio: error:`` and naming the file, row, column or flag involved; a run that fails
(divergence) exits with 1; nothing ever prints a traceback.  Most cases drive
``regstudio.cli.main`` in-process; a few go through ``python -m regstudio`` to show the real
entry point behaves the same.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regstudio.cli import main

ERROR_PREFIX = "regstudio: error: "
HUGE = "1" + "0" * 400  # beyond the float range
LONG = "1" + "0" * 5000  # beyond Python's 4,300-digit limit for int(text)


# ----------------------------------------------------------------------------------------------
# helpers


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run the command line in-process; return (exit code, stdout, stderr)."""
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_error_line(code: int, err: str, *needles: str, exit_code: int = 2) -> str:
    """Exit ``exit_code``, exactly one stderr line ``regstudio: error: …`` containing every needle."""
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {len(lines)}:\n{err}"
    line = lines[0]
    assert line.startswith(ERROR_PREFIX), line
    assert "internal error" not in line, line
    for needle in needles:
        assert needle in line, f"{needle!r} not in {line!r}"
    assert code == exit_code, f"exit code {code}, expected {exit_code}: {line}"
    return line


def write_text(path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return os.fspath(path)


def write_rows(path, header, rows) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return write_text(path, buffer.getvalue())


def regression_rows(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = 1.5 * X[:, 0] - 2.0 * X[:, 1] + 0.5 + 0.1 * rng.normal(size=n)
    return [[f"{a:.4f}", f"{b:.4f}", f"{t:.4f}"] for (a, b), t in zip(X, y)]


def class_rows(labels, n=60, seed=1):
    """Two inputs; the label is chosen by which of len(labels) angular sectors (x1, x2) falls in."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    sector = ((np.arctan2(X[:, 1], X[:, 0]) + math.pi) / (2 * math.pi) * len(labels)).astype(int)
    sector = np.minimum(sector, len(labels) - 1)
    return [[f"{a:.4f}", f"{b:.4f}", labels[k]] for (a, b), k in zip(X, sector)]


def read_csv_text(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


@pytest.fixture
def reg_csv(tmp_path):
    return write_rows(tmp_path / "reg.csv", ["x1", "x2", "y"], regression_rows())


@pytest.fixture
def pets_csv(tmp_path):
    return write_rows(tmp_path / "pets.csv", ["x1", "x2", "label"], class_rows(["cat", "dog"]))


@pytest.fixture
def three_csv(tmp_path):
    return write_rows(tmp_path / "three.csv", ["x1", "x2", "label"], class_rows(["a", "b", "c"], n=90))


@pytest.fixture
def one_class_csv(tmp_path):
    return write_rows(tmp_path / "one.csv", ["x1", "x2", "label"], class_rows(["only"]))


@pytest.fixture
def reg_model(tmp_path, reg_csv, capsys):
    out = tmp_path / "reg_model.json"
    code, _, err = run(capsys, "train", reg_csv, "--y", "y", "--model", "linear", "--out", out, "--quiet")
    assert code == 0, err
    return out


@pytest.fixture
def pets_model(tmp_path, pets_csv, capsys):
    out = tmp_path / "pets_model.json"
    code, _, err = run(capsys, "train", pets_csv, "--y", "label", "--model", "logistic", "--out", out,
                       "--quiet")
    assert code == 0, err
    return out


# ----------------------------------------------------------------------------------------------
# bad data files


def train_args(data, out, *extra, y="y", model="linear"):
    return ["train", data, "--y", y, "--model", model, "--out", out, "--quiet", *extra]


def test_missing_data_file(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    code, out, err = run(capsys, *train_args(missing, tmp_path / "m.json"))
    assert_one_error_line(code, err, "nope.csv")
    assert out == ""


def test_data_file_is_a_directory(tmp_path, capsys):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    code, _, err = run(capsys, *train_args(folder, tmp_path / "m.json"))
    assert_one_error_line(code, err, "folder.csv")


@pytest.mark.parametrize("content", ["", "\n\n", "   \n\t\n"], ids=["empty", "newlines", "whitespace"])
def test_empty_data_file(tmp_path, capsys, content):
    data = write_text(tmp_path / "empty.csv", content)
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "empty.csv", "empty")


def test_header_only_file(tmp_path, capsys):
    data = write_text(tmp_path / "header.csv", "x1,x2,y\n")
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "header.csv", "no data rows")


def test_binary_file(tmp_path, capsys):
    data = tmp_path / "blob.csv"
    data.write_bytes(b"x1,x2,y\n\x00\x01\x02\xff\xfe\x00binary\x00\n")
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "blob.csv", "binary")


def test_latin1_file_is_read_as_windows_1252_and_says_so(tmp_path, capsys):
    # GB18030 would read "température" as "temp閞ature": a rare hanzi, so not Chinese text.
    data = write_text(tmp_path / "latin.csv", "température,x2,y\n1,2,3\n4,5,6\n", encoding="latin-1")
    model = tmp_path / "m.json"
    code, _, err = run(capsys, *train_args(data, model))
    assert code == 0
    assert "latin.csv: read as Windows-1252 text (not UTF-8)" in err
    assert json.loads(model.read_text(encoding="utf-8"))["inputs"] == ["température", "x2"]


@pytest.mark.parametrize("content", [",\n", ",,\n,,\n", '"",""\n'])
def test_file_of_only_delimiters(tmp_path, capsys, content):
    """Regression: this raised IndexError (exit 1, internal error) before the loader rewrite."""
    data = write_text(tmp_path / "delims.csv", content)
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "delims.csv")


def test_unknown_y_column(tmp_path, capsys, reg_csv):
    code, _, err = run(capsys, *train_args(reg_csv, tmp_path / "m.json", y="target"))
    assert_one_error_line(code, err, "reg.csv", "'target'")


def test_unknown_x_column(tmp_path, capsys, reg_csv):
    code, _, err = run(capsys, *train_args(reg_csv, tmp_path / "m.json", "--x", "x1", "--x", "x3"))
    assert_one_error_line(code, err, "reg.csv", "'x3'")


def test_unknown_group_column(tmp_path, capsys, reg_csv):
    code, _, err = run(capsys, *train_args(reg_csv, tmp_path / "m.json", "--group", "species"))
    assert_one_error_line(code, err, "reg.csv", "'species'")


def test_x_column_is_also_the_target(tmp_path, capsys, reg_csv):
    code, _, err = run(capsys, *train_args(reg_csv, tmp_path / "m.json", "--x", "x1", "--x", "y"))
    assert_one_error_line(code, err, "reg.csv", "'y'")


def test_text_in_numeric_column(tmp_path, capsys):
    rows = regression_rows(10)
    rows[2][1] = "banana"  # data row 3, file line 4
    data = write_rows(tmp_path / "text.csv", ["x1", "x2", "y"], rows)
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "text.csv", "row 3", "line 4", "'x2'", "banana")


def test_text_in_target_column(tmp_path, capsys):
    rows = regression_rows(10)
    rows[6][2] = "seven"
    data = write_rows(tmp_path / "text.csv", ["x1", "x2", "y"], rows)
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "text.csv", "row 7", "'y'")


def test_infinite_number(tmp_path, capsys):
    rows = regression_rows(10)
    rows[4][0] = "inf"
    data = write_rows(tmp_path / "inf.csv", ["x1", "x2", "y"], rows)
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "inf.csv", "row 5", "'x1'")


@pytest.mark.parametrize("extra, wanted", [(",9", "4 fields"), ("", "2 fields")], ids=["long", "short"])
def test_ragged_row(tmp_path, capsys, extra, wanted):
    lines = ["x1,x2,y"] + [",".join(r) for r in regression_rows(6)]
    lines[3] = lines[3] + extra if extra else ",".join(lines[3].split(",")[:2])  # data row 3, line 4
    data = write_text(tmp_path / "ragged.csv", "\n".join(lines) + "\n")
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "ragged.csv", "row 3", "line 4", wanted)


def test_no_complete_rows(tmp_path, capsys):
    data = write_text(tmp_path / "holes.csv", "x1,x2,y\n1,,3\nNA,2,3\n1,2,\n")
    code, _, err = run(capsys, *train_args(data, tmp_path / "m.json"))
    assert_one_error_line(code, err, "holes.csv")


@pytest.mark.parametrize("model", ["logistic", "softmax", "cascade"])
def test_classifier_on_one_class(tmp_path, capsys, one_class_csv, model):
    code, _, err = run(capsys, *train_args(one_class_csv, tmp_path / "m.json", y="label", model=model))
    assert_one_error_line(code, err, "'label'", "one class")
    assert not (tmp_path / "m.json").exists()


def test_logistic_on_three_classes_suggests_softmax(tmp_path, capsys, three_csv):
    code, _, err = run(capsys, *train_args(three_csv, tmp_path / "m.json", y="label", model="logistic"))
    assert_one_error_line(code, err, "logistic regression needs exactly 2 classes (found 3); use --model softmax")


def test_regression_on_a_label_column(tmp_path, capsys, pets_csv):
    code, _, err = run(capsys, *train_args(pets_csv, tmp_path / "m.json", y="label"))
    assert_one_error_line(code, err, "pets.csv", "row 1", "'label'")


# ----------------------------------------------------------------------------------------------
# bad flags


FLAG_CASES = [
    # (extra arguments, --model, needles in the message)
    (["--lr", "-1"], "linear", ["--lr"]),
    (["--lr", "0"], "linear", ["--lr"]),
    (["--lr", "nan"], "linear", ["--lr"]),
    (["--lr", "inf"], "linear", ["--lr"]),
    (["--lr", "fast"], "linear", ["--lr"]),
    (["--degree", "0"], "polynomial", ["--degree"]),
    (["--degree", "-2"], "polynomial", ["--degree"]),
    (["--degree", "3"], "linear", ["--degree"]),
    (["--batch-size", "0", "--optimizer", "sgd"], "linear", ["--batch-size"]),
    (["--batch-size", "8"], "linear", ["--batch-size", "gd"]),
    (["--batch-size", "8", "--optimizer", "gd"], "linear", ["--batch-size", "gd"]),
    (["--batch-size", "8", "--optimizer", "exact"], "linear", ["--batch-size"]),
    (["--steps", "0"], "linear", ["--steps"]),
    (["--steps", "1e3"], "linear", ["--steps"]),
    (["--test-fraction", "1.5"], "linear", ["--test-fraction"]),
    (["--test-fraction", "1"], "linear", ["--test-fraction"]),
    (["--test-fraction", "-0.1"], "linear", ["--test-fraction"]),
    (["--hidden", "0"], "cascade", ["--hidden"]),
    (["--l2", "-1"], "ridge", ["--l2"]),
    (["--l2", "nan"], "ridge", ["--l2"]),
    (["--tol", "-1"], "linear", ["--tol"]),
    (["--seed", "-1"], "linear", ["--seed"]),
    (["--optimizer", "exact"], "cascade", ["exact", "cascade"]),
    (["--optimizer", "newton"], "linear", ["--optimizer", "newton"]),
    (["--loss", "mse"], "softmax", ["--loss", "softmax"]),
    (["--loss", "mse"], "cascade", ["--loss"]),
    (["--loss", "hinge"], "logistic", ["--loss", "hinge"]),
    (["--loss", "mse", "--optimizer", "exact"], "logistic", ["--optimizer exact", "use gd with --loss mse"]),
    (["--frobnicate"], "linear", ["--frobnicate"]),
    (["--model", "forest"], "linear", ["--model", "forest"]),
]


@pytest.mark.parametrize("extra, model, needles", FLAG_CASES,
                         ids=[" ".join(c[0]) + f" [{c[1]}]" for c in FLAG_CASES])
def test_bad_flag(tmp_path, capsys, reg_csv, pets_csv, three_csv, extra, model, needles):
    data, y = {"linear": (reg_csv, "y"), "polynomial": (reg_csv, "y"), "ridge": (reg_csv, "y"),
               "logistic": (pets_csv, "label"), "cascade": (pets_csv, "label"),
               "softmax": (three_csv, "label")}[model]
    out = tmp_path / "m.json"
    code, stdout, err = run(capsys, *train_args(data, out, *extra, y=y, model=model))
    assert_one_error_line(code, err, *needles)
    assert stdout == ""
    assert not out.exists()


def wide_rows(n=40, inputs=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, inputs))
    return [[f"{v:.4f}" for v in row] + [f"{row.sum():.4f}"] for row in X]


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGALRM"), reason="needs SIGALRM")
@pytest.mark.parametrize("degree, features", [(5, "324,631"), (6, "1,947,791")])
def test_a_degree_with_too_many_features_is_refused_at_once(tmp_path, capsys, degree, features):
    import signal

    data = write_rows(tmp_path / "wide.csv", [f"x{i}" for i in range(30)] + ["y"], wide_rows())
    out = tmp_path / "m.json"

    def give_up(*_):
        raise _TookTooLong(f"train --degree {degree} on 30 inputs took more than 5 s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(5)
    try:
        code, stdout, err = run(capsys, *train_args(data, out, "--degree", str(degree), model="polynomial"))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    line = assert_one_error_line(code, err)
    assert line == (f"{ERROR_PREFIX}degree {degree} on 30 inputs makes {features} features; at most 10,000 are "
                    "allowed: lower --degree, or choose fewer inputs with --x")
    assert stdout == ""
    assert not out.exists()
    code, _, err = run(capsys, *train_args(data, out, "--degree", "6", "--x", "x0", "--x", "x1",
                                           model="polynomial"))
    assert code == 0, err  # the advice works: degree 6 of two inputs is 27 features
    assert out.exists()


@pytest.mark.parametrize("flag", ["--seed", "--steps", "--hidden", "--batch-size"])
def test_a_whole_number_flag_beyond_the_float_range_is_a_usage_error(tmp_path, capsys, reg_csv, flag):
    code, stdout, err = run(capsys, *train_args(reg_csv, tmp_path / "m.json", flag, HUGE, "--optimizer", "sgd"))
    assert_one_error_line(code, err, f"argument {flag}: is too large (401 digits)")
    assert stdout == ""


@pytest.mark.parametrize("drop", ["--y", "--out", "--model"])
def test_missing_required_flag(tmp_path, capsys, reg_csv, drop):
    args = {"--y": "y", "--model": "linear", "--out": os.fspath(tmp_path / "m.json")}
    del args[drop]
    argv = ["train", reg_csv] + [s for pair in args.items() for s in pair]
    code, _, err = run(capsys, *argv)
    assert_one_error_line(code, err, drop)


def test_missing_data_argument(tmp_path, capsys):
    code, _, err = run(capsys, "train", "--y", "y", "--model", "linear", "--out", tmp_path / "m.json")
    assert_one_error_line(code, err, "DATA.csv")


def test_unknown_predict_option(tmp_path, capsys, reg_model, reg_csv):
    code, out, err = run(capsys, "predict", reg_model, reg_csv, "--threshold", "0.5")
    assert_one_error_line(code, err, "--threshold")
    assert out == ""


def test_out_into_missing_directory(tmp_path, capsys, reg_csv):
    out = tmp_path / "no" / "such" / "dir" / "m.json"
    code, stdout, err = run(capsys, *train_args(reg_csv, out))
    assert_one_error_line(code, err, os.fspath(out))
    assert not out.exists()


def test_predict_out_into_missing_directory(tmp_path, capsys, reg_model, reg_csv):
    out = tmp_path / "missing" / "pred.csv"
    code, _, err = run(capsys, "predict", reg_model, reg_csv, "--out", out)
    assert_one_error_line(code, err, os.fspath(out))


# ----------------------------------------------------------------------------------------------
# predict with bad model files and bad data


def _mutated(model_path, mutate) -> dict:
    document = json.loads(model_path.read_text(encoding="utf-8"))
    mutate(document)
    return document


def _set(key, value):
    def mutate(document):
        document[key] = value
    return mutate


def _delete(key):
    def mutate(document):
        del document[key]
    return mutate


def _reshape_w(document):
    W = document["parameters"]["W"]
    document["parameters"]["W"] = [row + [0.5] for row in W]  # one weight too many per row


def _transpose_w(document):
    document["parameters"]["W"] = np.array(document["parameters"]["W"]).T.tolist()


def _nan_parameter(document):
    document["parameters"]["b"] = [float("nan")] * len(document["parameters"]["b"])


def _unknown_model(document):
    document["model"] = "forest"


def _inputs_not_list(document):
    document["inputs"] = "x1"


def _features_broken(document):
    del document["features"]["std"]


CORRUPT_DOCUMENTS = [
    ("wrong format", _set("format", "sklearn-pickle"), ["format"]),
    ("no format", _delete("format"), ["format"]),
    ("version 99", _set("version", 99), ["version", "99"]),
    ("version string", _set("version", "1"), ["version"]),
    ("missing parameters", _delete("parameters"), ["parameters"]),
    ("parameters not a dict", _set("parameters", [1, 2, 3]), ["parameters"]),
    ("wrong parameter shape", _reshape_w, ["parameters"]),
    ("transposed parameter", _transpose_w, ["parameters"]),
    ("nan parameter", _nan_parameter, ["not finite"]),
    ("unknown model kind", _unknown_model, ["forest"]),
    ("inputs not a list", _inputs_not_list, ["inputs"]),
    ("missing inputs", _delete("inputs"), ["inputs"]),
    ("broken features", _features_broken, ["features"]),
    ("missing features", _delete("features"), ["features"]),
]


@pytest.mark.parametrize("name, mutate, needles", CORRUPT_DOCUMENTS, ids=[c[0] for c in CORRUPT_DOCUMENTS])
def test_predict_with_corrupt_model_document(tmp_path, capsys, reg_model, reg_csv, name, mutate, needles):
    bad = tmp_path / "bad_model.json"
    bad.write_text(json.dumps(_mutated(reg_model, mutate)), encoding="utf-8")
    code, out, err = run(capsys, "predict", bad, reg_csv)
    assert_one_error_line(code, err, "bad_model.json", *needles)
    assert out == ""


@pytest.mark.parametrize("section, key, literal, field", [
    ("hyperparameters", "lr", HUGE, "hyperparameters.lr"),
    ("hyperparameters", "lr", "1e400", "hyperparameters.lr"),
    ("training", "steps", LONG, "training.steps"),
    ("parameters", "b", f"[{HUGE}]", "parameters.b[0]"),
    ("parameters", "b", f"[{LONG}]", "parameters.b[0]"),
], ids=["lr digits", "lr 1e400", "steps 5000 digits", "theta digits", "theta 5000 digits"])
def test_predict_with_numbers_beyond_the_float_range_names_the_field(tmp_path, capsys, reg_model, reg_csv,
                                                                    section, key, literal, field):
    document = json.loads(reg_model.read_text(encoding="utf-8"))
    document[section][key] = "@@"
    bad = tmp_path / "bad_model.json"
    bad.write_text(json.dumps(document).replace('"@@"', literal), encoding="utf-8")
    code, out, err = run(capsys, "predict", bad, reg_csv)
    assert_one_error_line(code, err, "bad_model.json", f"field {field!r} is not finite")
    assert out == ""


@pytest.mark.parametrize("mutate, needles", [
    (lambda d: d["classes"].__setitem__(1, d["classes"][0]), ["'classes'", "distinct"]),
    (lambda d: d["features"].__setitem__("standardize", "no"), ["'features'", "standardize"]),
], ids=["duplicate classes", "standardize no"])
def test_predict_with_a_lenient_model_file_exits_2(tmp_path, capsys, pets_model, pets_csv, mutate, needles):
    bad = tmp_path / "bad_model.json"
    bad.write_text(json.dumps(_mutated(pets_model, mutate)), encoding="utf-8")
    code, out, err = run(capsys, "predict", bad, pets_csv)
    assert_one_error_line(code, err, "bad_model.json", *needles)
    assert out == ""


def test_predict_with_classifier_of_one_class(tmp_path, capsys, pets_model, pets_csv):
    bad = tmp_path / "bad_model.json"
    bad.write_text(json.dumps(_mutated(pets_model, _set("classes", ["cat"]))), encoding="utf-8")
    code, _, err = run(capsys, "predict", bad, pets_csv)
    assert_one_error_line(code, err, "bad_model.json", "classes")


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00garbage",
    b"\xff\xfe\xfd not utf-8 at all",
    b"{\"format\": \"regstudio-model\", \"version\": 1,",
    b"this is not json",
    b"",
    b"[1, 2, 3]",
    b"\"regstudio-model\"",
    b"null",
    b"42",
], ids=["garbage bytes", "not utf-8", "truncated json", "text", "empty", "json list", "json string",
        "json null", "json number"])
def test_predict_with_garbage_model_file(tmp_path, capsys, reg_csv, content):
    bad = tmp_path / "bad_model.json"
    bad.write_bytes(content)
    code, out, err = run(capsys, "predict", bad, reg_csv)
    assert_one_error_line(code, err, "bad_model.json")
    assert out == ""


def test_predict_with_deeply_nested_json(tmp_path, capsys, reg_csv):
    bad = tmp_path / "deep.json"
    bad.write_text("[" * 100_000, encoding="utf-8")
    code, _, err = run(capsys, "predict", bad, reg_csv)
    assert_one_error_line(code, err, "deep.json")


def _group_model(tmp_path, capsys):
    rows = regression_rows(40)
    data = write_rows(tmp_path / "grouped.csv", ["x1", "x2", "y", "g"],
                      [r + [("A", "B")[i % 2]] for i, r in enumerate(rows)])
    out = tmp_path / "grouped.json"
    code, _, err = run(capsys, "train", data, "--y", "y", "--model", "linear", "--group", "g", "--out", out,
                       "--quiet", "--steps", "50")
    assert code == 0, err
    return out, data


@pytest.mark.parametrize("degree", [0, -1, False])
def test_predict_model_with_degree_below_one(tmp_path, capsys, reg_model, reg_csv, degree):
    document = json.loads(reg_model.read_text(encoding="utf-8"))
    document["features"]["degree"] = degree
    bad = tmp_path / "bad_model.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(capsys, "predict", bad, reg_csv)
    assert_one_error_line(code, err, "bad_model.json", "degree")


class _TookTooLong(BaseException):
    pass


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGALRM"), reason="needs SIGALRM")
def test_predict_model_with_huge_degree_fails_fast(tmp_path, capsys, reg_model, reg_csv):
    import signal

    document = json.loads(reg_model.read_text(encoding="utf-8"))
    document["features"]["degree"] = 1_000_000
    bad = tmp_path / "bad_model.json"
    bad.write_text(json.dumps(document), encoding="utf-8")

    def give_up(*_):
        raise _TookTooLong("predict took more than 5 s on a 1 kB model file")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(5)
    try:
        code, _, err = run(capsys, "predict", bad, reg_csv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert_one_error_line(code, err, "bad_model.json")


def test_predict_model_with_inconsistent_group(tmp_path, capsys):
    model, data = _group_model(tmp_path, capsys)
    document = json.loads(model.read_text(encoding="utf-8"))
    document["group"] = "x1"
    bad = tmp_path / "bad_model.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(capsys, "predict", bad, data)
    assert_one_error_line(code, err, "bad_model.json", "group")


def test_predict_grouped_model_with_unknown_group_level(tmp_path, capsys):
    model, _ = _group_model(tmp_path, capsys)
    data = write_text(tmp_path / "newgroup.csv", "x1,x2,g\n0.1,0.2,A\n0.3,0.4,C\n")
    code, _, err = run(capsys, "predict", model, data)
    assert_one_error_line(code, err, "newgroup.csv", "row 2", "'C'", "'g'")


def test_predict_grouped_model_without_group_column(tmp_path, capsys):
    model, _ = _group_model(tmp_path, capsys)
    data = write_text(tmp_path / "nogroup.csv", "x1,x2\n0.1,0.2\n")
    code, _, err = run(capsys, "predict", model, data)
    assert_one_error_line(code, err, "nogroup.csv", "'g'")


def test_predict_with_missing_model_file(tmp_path, capsys, reg_csv):
    code, out, err = run(capsys, "predict", tmp_path / "ghost.json", reg_csv)
    assert_one_error_line(code, err, "ghost.json")
    assert out == ""


def test_predict_with_model_directory(tmp_path, capsys, reg_csv):
    folder = tmp_path / "model_dir.json"
    folder.mkdir()
    code, _, err = run(capsys, "predict", folder, reg_csv)
    assert_one_error_line(code, err, "model_dir.json")


def test_predict_with_missing_input_column(tmp_path, capsys, reg_model):
    data = write_text(tmp_path / "partial.csv", "x1,y\n1,2\n3,4\n")
    code, out, err = run(capsys, "predict", reg_model, data)
    assert_one_error_line(code, err, "partial.csv", "'x2'")
    assert out == ""


def test_predict_with_text_in_input_column(tmp_path, capsys, reg_model):
    data = write_text(tmp_path / "words.csv", "x1,x2\n1,2\n3,four\n")
    code, _, err = run(capsys, "predict", reg_model, data)
    assert_one_error_line(code, err, "words.csv", "row 2", "'x2'")


def test_predict_with_missing_data_file(tmp_path, capsys, reg_model):
    code, _, err = run(capsys, "predict", reg_model, tmp_path / "absent.csv")
    assert_one_error_line(code, err, "absent.csv")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=6,
)
# 'features.degree' is left to the explicit tests above (its known bugs would mask others here).
MODEL_PATHS = ["format", "version", "model", "task", "inputs", "target", "group", "classes", "features",
               "features.inputs", "features.monomials", "features.group",
               "features.standardize", "features.mean", "features.std", "architecture",
               "architecture.hidden", "parameters", "parameters.W", "parameters.b", "objective",
               "objective.loss"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(MODEL_PATHS), value=JSON_VALUES, delete=st.booleans())
def test_fuzz_model_document_fields(tmp_path, capsys, pets_model, pets_csv, key, value, delete):
    """Replacing or deleting any field of a model file gives exit 0 or a clean exit 2, never a crash."""
    document = json.loads(pets_model.read_text(encoding="utf-8"))
    *parents, last = key.split(".")
    node = document
    for part in parents:
        node = node[part]
    if delete:
        node.pop(last, None)
    else:
        node[last] = value
    bad = tmp_path / "fuzzed.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run(capsys, "predict", bad, pets_csv)
    assert "Traceback" not in err
    if code == 0:
        header, rows = read_csv_text(out)
        assert "prediction" in header and len(rows) == 60
    else:
        assert_one_error_line(code, err, "fuzzed.json")


@pytest.mark.parametrize("separator", ["\x85", "\u2028"])
def test_a_line_separator_in_a_bad_field_keeps_the_error_on_one_line(tmp_path, capsys, pets_model, pets_csv,
                                                                      separator):
    document = json.loads(pets_model.read_text(encoding="utf-8"))
    document["parameters"]["W"] = {separator: None}
    bad = tmp_path / "separator.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(capsys, "predict", bad, pets_csv)
    assert_one_error_line(code, err, "separator.json", "parameters.W")


# ----------------------------------------------------------------------------------------------
# successful runs: the shape of the output


def test_train_summary_line(tmp_path, capsys, reg_csv):
    out = tmp_path / "m.json"
    code, stdout, err = run(capsys, "train", reg_csv, "--y", "y", "--model", "linear", "--out", out,
                            "--quiet", "--test-fraction", "0.25")
    assert code == 0, err
    assert err == ""
    lines = stdout.splitlines()
    assert len(lines) == 1, stdout
    summary = lines[0]
    assert "train mse=" in summary and "test mse=" in summary and "r2=" in summary, summary
    assert os.fspath(out) in summary
    assert out.exists()
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["inputs"] == ["x1", "x2"] and document["target"] == "y"


def test_train_classifier_summary_line(tmp_path, capsys, pets_csv):
    out = tmp_path / "m.json"
    code, stdout, err = run(capsys, "train", pets_csv, "--y", "label", "--model", "logistic", "--out", out,
                            "--quiet")
    assert code == 0, err
    assert err == ""
    (summary,) = stdout.splitlines()
    assert "train " in summary and "test " in summary and "accuracy=" in summary, summary
    assert os.fspath(out) in summary


def test_train_without_test_rows_says_so(tmp_path, capsys, reg_csv):
    out = tmp_path / "m.json"
    code, stdout, err = run(capsys, "train", reg_csv, "--y", "y", "--model", "linear", "--out", out,
                            "--quiet", "--test-fraction", "0")
    assert code == 0, err
    (summary,) = stdout.splitlines()
    assert "train mse=" in summary and os.fspath(out) in summary


def test_train_notes_dropped_rows_in_one_line(tmp_path, capsys):
    rows = regression_rows(20)
    rows[3][0] = ""
    rows[7][2] = "NA"
    data = write_rows(tmp_path / "gaps.csv", ["x1", "x2", "y"], rows)
    code, stdout, err = run(capsys, "train", data, "--y", "y", "--model", "linear", "--out", tmp_path / "m.json",
                            "--quiet")
    assert code == 0, err
    (note,) = err.splitlines()
    assert note.startswith("regstudio: ") and "2 row" in note and "error" not in note
    assert len(stdout.splitlines()) == 1


def test_predict_regression_to_stdout(tmp_path, capsys, reg_model, reg_csv):
    code, out, err = run(capsys, "predict", reg_model, reg_csv)
    assert code == 0, err
    assert err == ""
    header, rows = read_csv_text(out)
    assert "prediction" in header
    assert not [h for h in header if h.startswith("p_")]
    assert len(rows) == 40
    column = header.index("prediction")
    values = [float(r[column]) for r in rows]
    assert all(math.isfinite(v) for v in values)
    # the fit is good: predictions track the target
    truth = [float(r[2]) for r in regression_rows()]
    assert np.corrcoef(values, truth)[0, 1] > 0.95


def test_predict_writes_out_file(tmp_path, capsys, reg_model, reg_csv):
    target = tmp_path / "pred.csv"
    code, out, err = run(capsys, "predict", reg_model, reg_csv, "--out", target)
    assert code == 0, err
    assert out == "" and err == ""
    header, rows = read_csv_text(target.read_text(encoding="utf-8"))
    assert "prediction" in header and len(rows) == 40


def test_predict_empty_input_cells_give_empty_predictions(tmp_path, capsys, reg_model):
    data = write_text(tmp_path / "gaps.csv", "x1,x2\n1,2\n,3\n0.5,NA\n-1,0\n")
    code, out, err = run(capsys, "predict", reg_model, data)
    assert code == 0, err
    header, rows = read_csv_text(out)
    column = header.index("prediction")
    assert len(rows) == 4
    assert [r[column] == "" for r in rows] == [False, True, True, False]
    float(rows[0][column]), float(rows[3][column])
    (note,) = err.splitlines()
    assert note.startswith("regstudio: ") and "error" not in note and "gaps.csv" in note and "2 row" in note


def test_predict_all_inputs_empty(tmp_path, capsys, reg_model):
    data = write_text(tmp_path / "blank.csv", "x1,x2,note\n,nan,a\nNA,1,b\n")
    code, out, err = run(capsys, "predict", reg_model, data)
    assert code == 0, err
    header, rows = read_csv_text(out)
    assert len(rows) == 2 and all(r[header.index("prediction")] == "" for r in rows)


def test_predict_row_with_every_cell_empty_keeps_its_place(tmp_path, capsys, reg_model):
    data = write_text(tmp_path / "holes.csv", "x1,x2\n1,2\n,\n3,4\n")
    code, out, err = run(capsys, "predict", reg_model, data)
    assert code == 0, err
    header, rows = read_csv_text(out)
    column = header.index("prediction")
    assert [r[column] == "" for r in rows] == [False, True, False]


def test_predict_ignores_extra_columns_and_order(tmp_path, capsys, reg_model, reg_csv):
    code, out_plain, _ = run(capsys, "predict", reg_model, reg_csv)
    assert code == 0
    shuffled = [["id" + str(i), r[1], "junk text", r[0]] for i, r in enumerate(regression_rows())]
    data = write_rows(tmp_path / "extra.csv", ["id", "x2", "comment", "x1"], shuffled)
    code, out_extra, err = run(capsys, "predict", reg_model, data)
    assert code == 0, err
    assert err == ""
    h1, r1 = read_csv_text(out_plain)
    h2, r2 = read_csv_text(out_extra)
    assert [r[h1.index("prediction")] for r in r1] == [r[h2.index("prediction")] for r in r2]


@pytest.mark.parametrize("labels, model", [
    (["cat", "dog"], "logistic"),
    (["1.0", "2.0"], "logistic"),
    (["1.0", "2.0"], "cascade"),
    (["a", "b", "c"], "softmax"),
    (["Setosa", "versi color", "10"], "cascade"),
])
def test_predict_classifier_labels_spelled_as_in_training(tmp_path, capsys, labels, model):
    rows = class_rows(labels, n=30 * len(labels))
    data = write_rows(tmp_path / "labels.csv", ["x1", "x2", "label"], rows)
    out = tmp_path / "m.json"
    code, _, err = run(capsys, "train", data, "--y", "label", "--model", model, "--out", out, "--quiet",
                       "--steps", "200")
    assert code == 0, err
    inputs = write_rows(tmp_path / "in.csv", ["x1", "x2"], [r[:2] for r in rows] + [["", "1"]])
    code, stdout, err = run(capsys, "predict", out, inputs)
    assert code == 0, err
    header, predicted = read_csv_text(stdout)
    assert sorted(h for h in header if h.startswith("p_")) == sorted(f"p_{label}" for label in labels)
    assert len(predicted) == len(rows) + 1
    column = header.index("prediction")
    assert {r[column] for r in predicted[:-1]} <= set(labels)
    assert all(cell == "" for cell in predicted[-1])
    for r in predicted[:-1]:
        probabilities = [float(r[header.index(f"p_{label}")]) for label in labels]
        assert all(0 <= p <= 1 for p in probabilities)
        assert math.isclose(sum(probabilities), 1.0, abs_tol=1e-9)
        assert r[column] == labels[int(np.argmax(probabilities))]


# ----------------------------------------------------------------------------------------------
# divergence and determinism


@pytest.mark.parametrize("extra", [
    ["--model", "linear"],
    ["--model", "linear", "--optimizer", "sgd", "--batch-size", "4"],
    ["--model", "polynomial"],
    ["--model", "ridge", "--optimizer", "momentum"],
])
def test_divergence_exits_1_without_model_or_warnings(tmp_path, capsys, reg_csv, extra):
    out = tmp_path / "m.json"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, stdout, err = run(capsys, "train", reg_csv, "--y", "y", *extra, "--lr", "1000", "--tol", "0",
                                "--out", out)
    line = assert_one_error_line(code, err, "step", "learning rate", exit_code=1)
    assert "RuntimeWarning" not in err and "Warning" not in err, err
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in caught]
    assert "diverged" in line
    assert stdout == ""
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".regstudio-")]


@pytest.mark.parametrize("extra, data", [
    (["--model", "linear", "--optimizer", "gd", "--steps", "300"], "reg"),
    (["--model", "ridge", "--optimizer", "sgd", "--batch-size", "7", "--steps", "300", "--seed", "5"], "reg"),
    (["--model", "cascade", "--hidden", "3", "--optimizer", "adam", "--steps", "300", "--seed", "3"], "pets"),
    (["--model", "cascade", "--optimizer", "gd", "--steps", "200"], "pets"),
])
def test_same_command_twice_gives_identical_model_files(tmp_path, capsys, reg_csv, pets_csv, extra, data):
    path, y = (reg_csv, "y") if data == "reg" else (pets_csv, "label")
    outputs = []
    for name in ("first.json", "second.json"):
        out = tmp_path / name
        code, _, err = run(capsys, "train", path, "--y", y, *extra, "--out", out, "--quiet")
        assert code == 0, err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


# ----------------------------------------------------------------------------------------------
# CLI fuzz: arbitrary small CSV tables through `train`


CELLS = st.sampled_from(["1", "2.5", "-3", "0", "1e3", "", "NA", "nan", "?", "inf", "abc", "x y", "1,5",
                         '"q"', "cat", "dog", " 7 "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.sampled_from(["x", "y", "z", "x", "", "a b"]), min_size=1, max_size=4),
       body=st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=8),
       model=st.sampled_from(["linear", "logistic", "softmax", "cascade", "polynomial"]),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_fuzz_train_never_crashes(tmp_path, capsys, header, body, model, delimiter):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    data = write_text(tmp_path / "fuzz.csv", buffer.getvalue())
    out = tmp_path / "fuzz.json"
    code, stdout, err = run(capsys, "train", data, "--y", header[0], "--model", model, "--steps", "5",
                            "--quiet", "--out", out)
    assert "Traceback" not in err
    if code == 0:
        assert len(stdout.splitlines()) == 1 and out.exists()
    else:
        assert_one_error_line(code, err)


# ----------------------------------------------------------------------------------------------
# the real entry point: python -m regstudio


def cli(*argv, cwd=None):
    return subprocess.run([sys.executable, "-m", "regstudio", *map(os.fspath, argv)], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_subprocess_missing_file(tmp_path):
    result = cli("train", tmp_path / "nope.csv", "--y", "y", "--model", "linear", "--out", tmp_path / "m.json")
    assert_one_error_line(result.returncode, result.stderr, "nope.csv")
    assert result.stdout == ""


def test_subprocess_bad_flag_and_bad_model_file(tmp_path, reg_csv):
    result = cli("train", reg_csv, "--y", "y", "--model", "linear", "--lr", "-1", "--out", tmp_path / "m.json")
    assert_one_error_line(result.returncode, result.stderr, "--lr")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"[1, 2]")
    result = cli("predict", bad, reg_csv)
    assert_one_error_line(result.returncode, result.stderr, "bad.json")


def test_subprocess_divergence(tmp_path, reg_csv):
    out = tmp_path / "m.json"
    result = cli("train", reg_csv, "--y", "y", "--model", "linear", "--lr", "1000", "--tol", "0", "--out", out)
    assert_one_error_line(result.returncode, result.stderr, "step", "learning rate", exit_code=1)
    assert "Warning" not in result.stderr
    assert not out.exists()


def test_subprocess_train_and_predict(tmp_path, pets_csv):
    out = tmp_path / "m.json"
    result = cli("train", pets_csv, "--y", "label", "--model", "logistic", "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1 and os.fspath(out) in result.stdout
    result = cli("predict", out, pets_csv)
    assert result.returncode == 0, result.stderr
    header, rows = read_csv_text(result.stdout)
    assert {"prediction", "p_cat", "p_dog"} <= set(header) and len(rows) == 60
