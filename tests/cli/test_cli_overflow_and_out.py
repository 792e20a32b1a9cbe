"""The command line on values too large for float64, and on an --out path that cannot be written:
one line ``regstudio: error: …`` naming what is wrong, exit code 2, before any training."""

from __future__ import annotations

import csv
import io
import os
import stat
import warnings

import numpy as np
import pytest

from regstudio.cli import main


def _run(capsys, *argv):
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str, *needles: str) -> str:
    assert "Traceback" not in err and "Warning" not in err, err
    (line,) = err.splitlines()
    assert line.startswith("regstudio: error: ") and "internal error" not in line, line
    for needle in needles:
        assert needle in line, f"{needle!r} not in {line!r}"
    return line


def _csv(path, x, y, header="x,y"):
    path.write_text(header + "\n" + "".join(f"{a!r},{b!r}\n" for a, b in zip(x, y)), encoding="utf-8")
    return path


@pytest.fixture
def line_csv(tmp_path):
    x = np.linspace(-1.0, 1.0, 30).tolist()
    return _csv(tmp_path / "line.csv", x, [2.0 * v + 1.0 for v in x])


@pytest.mark.parametrize("optimizer", ["exact", "gd", "sgd"])
def test_targets_too_large_to_square_exit_2_naming_the_column(tmp_path, capsys, optimizer):
    x = np.linspace(-1.0, 1.0, 40).tolist()
    data = _csv(tmp_path / "big.csv", x, [(3.0 * v + 1.0) * 1e200 for v in x], header="x,price")
    out = tmp_path / "m.json"
    code, stdout, err = _run(capsys, "train", data, "--y", "price", "--model", "linear", "--optimizer", optimizer,
                             "--out", out)
    _one_error_line(err, os.fspath(data), "column 'price'", "too large to square in float64",
                    "rescale the target column")
    assert code == 2 and stdout == "" and not out.exists()


def test_inputs_whose_monomials_overflow_exit_2_naming_the_feature(tmp_path, capsys):
    data = _csv(tmp_path / "bigx.csv", [1e120, 2e120, 3e120, 4e120], [1.0, 2.0, 3.0, 4.0])
    code, _, err = _run(capsys, "train", data, "--y", "y", "--model", "polynomial", "--degree", "3",
                        "--out", tmp_path / "m.json")
    _one_error_line(err, "feature 'x^3' overflows float64", "rescale")
    assert code == 2


# --out is checked before training: with a learning rate that diverges, a late check would report
# the divergence (exit 1) instead.

def _diverging_train(data, out):
    return ["train", data, "--y", "y", "--model", "linear", "--lr", "1000", "--tol", "0", "--out", out]


def test_out_into_a_missing_folder_fails_before_training(tmp_path, capsys, line_csv):
    out = tmp_path / "missing" / "m.json"
    code, stdout, err = _run(capsys, *_diverging_train(line_csv, out))
    line = _one_error_line(err, os.fspath(out), "does not exist")
    assert code == 2 and stdout == "" and "diverged" not in line


def test_out_that_is_a_folder_fails_before_training(tmp_path, capsys, line_csv):
    code, _, err = _run(capsys, *_diverging_train(line_csv, tmp_path))
    _one_error_line(err, f"--out {tmp_path}: is a folder")
    assert code == 2


def test_out_below_a_file_fails_before_training(tmp_path, capsys, line_csv):
    out = line_csv / "m.json"
    code, _, err = _run(capsys, *_diverging_train(line_csv, out))
    _one_error_line(err, os.fspath(out), "is not a folder")
    assert code == 2


def test_out_into_an_unwritable_folder_fails_before_training(tmp_path, capsys, line_csv, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.access(locked, os.W_OK):  # root may write anywhere: make the check see the folder as it is for others
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if os.fspath(p) == os.fspath(locked)
                            else real_access(p, mode))
    out = locked / "m.json"
    code, _, err = _run(capsys, *_diverging_train(line_csv, out))
    _one_error_line(err, os.fspath(out), "not writable")
    assert code == 2 and not out.exists()
    locked.chmod(0o700)


def test_predict_out_into_a_missing_folder_names_the_path(tmp_path, capsys, line_csv):
    model = tmp_path / "m.json"
    assert _run(capsys, "train", line_csv, "--y", "y", "--model", "linear", "--quiet", "--out", model)[0] == 0
    out = tmp_path / "nowhere" / "p.csv"
    code, stdout, err = _run(capsys, "predict", model, line_csv, "--out", out)
    _one_error_line(err, os.fspath(out), "does not exist")
    assert code == 2 and stdout == ""


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_out_dev_null_is_refused_and_stays_a_device(tmp_path, capsys, line_csv, monkeypatch):
    from regstudio.core import atomic

    replace = atomic.os.replace

    def guarded(source, destination):  # a regression must not turn this machine's /dev/null into a file
        if os.path.realpath(destination) == "/dev/null":
            raise AssertionError("the save would have replaced /dev/null")
        replace(source, destination)

    monkeypatch.setattr(atomic.os, "replace", guarded)
    code, stdout, err = _run(capsys, "train", line_csv, "--y", "y", "--model", "linear", "--quiet",
                             "--out", "/dev/null")
    if os.access("/dev", os.W_OK):
        _one_error_line(err, "--out /dev/null: cannot write: it is not a regular file (it is a device)")
    else:
        _one_error_line(err, "--out /dev/null: the folder /dev is not writable")
    assert code == 2 and stdout == ""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_out_that_is_a_fifo_fails_before_training(tmp_path, capsys, line_csv):
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    code, _, err = _run(capsys, *_diverging_train(line_csv, fifo))
    _one_error_line(err, f"--out {fifo}: cannot write: it is not a regular file (it is a FIFO)")
    assert code == 2 and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_predict_out_that_is_read_only_fails_naming_it(tmp_path, capsys, line_csv):
    model = tmp_path / "m.json"
    assert _run(capsys, "train", line_csv, "--y", "y", "--model", "linear", "--quiet", "--out", model)[0] == 0
    out = tmp_path / "p.csv"
    out.write_text("kept")
    out.chmod(0o444)
    code, stdout, err = _run(capsys, "predict", model, line_csv, "--out", out)
    _one_error_line(err, f"--out {out}: cannot write: the file is read-only")
    assert code == 2 and stdout == "" and out.read_text() == "kept"


def _predict_quietly(capsys, model, data):
    """``predict`` with every warning recorded: numpy's overflow warnings must not reach the user."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, out, err = _run(capsys, "predict", model, data)
    assert not caught, [str(w.message) for w in caught]
    return code, list(csv.reader(io.StringIO(out))), err


def test_predict_rows_that_overflow_get_empty_cells_and_one_note(tmp_path, capsys, line_csv):
    model = tmp_path / "m.json"
    assert _run(capsys, "train", line_csv, "--y", "y", "--model", "linear", "--quiet", "--out", model)[0] == 0
    data = tmp_path / "huge.csv"
    data.write_text("x\n0.5\n1.7e308\n-1.7e308\n1e300\n", encoding="utf-8")  # standardising 1.7e308 overflows
    code, rows, err = _predict_quietly(capsys, model, data)
    assert code == 0
    assert err == (f"regstudio: {data}: no prediction for 2 rows: the model's numbers overflow float64 there "
                   "(first: row 2); rescale the inputs\n")
    assert rows[0] == ["prediction"] and rows[2] == rows[3] == [""]
    assert float(rows[1][0]) == pytest.approx(2.0) and np.isfinite(float(rows[4][0]))


def test_a_classifier_names_no_class_for_a_row_that_overflows(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    labels = np.where(X[:, 0] > 0.5, "c", np.where(X.sum(axis=1) > 0, "a", "b"))
    train = tmp_path / "three.csv"
    train.write_text("x1,x2,label\n" + "".join(f"{a:.6f},{b:.6f},{k}\n" for (a, b), k in zip(X, labels)))
    model = tmp_path / "m.json"
    assert _run(capsys, "train", train, "--y", "label", "--model", "softmax", "--quiet", "--out", model)[0] == 0
    data = tmp_path / "huge.csv"
    data.write_text("x1,x2\n1.7e308,1\n2,0\n", encoding="utf-8")
    code, rows, err = _predict_quietly(capsys, model, data)
    assert code == 0 and "no prediction for 1 row" in err and "(first: row 1)" in err
    assert rows[0] == ["prediction", "p_a", "p_b", "p_c"]
    assert rows[1] == ["", "", "", ""]  # NaN probabilities would have named class a
    assert rows[2][0] == "c"
