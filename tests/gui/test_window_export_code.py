"""File → Export as code… and Export points…: the script predicts as the window's model, the
scikit-learn snippet reaches the same optimum, the points re-open in the window and in `regstudio train`;
an untrained model or no points is one line above the plot and writes nothing."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest
from guihelpers import (
    WAIT,
    action,
    button,
    choose,
    displayed,
    message_label,
    predict,
    shown_step,
    theta,
    train_to,
    wait_settled,
    wait_step,
)
from PySide6.QtWidgets import QMessageBox
from test_window_files import Recorder, patch_open_dialog, patch_save_dialog, read_csv
from test_window_training import click_line, click_two_classes

from regstudio.cli import main as cli_main
from regstudio.gui.dialogs import ColumnDialog


def run_script(path, data):
    """Run a generated script on a CSV; its output rows."""
    run = subprocess.run([sys.executable, str(path), str(data)], check=False, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return list(csv.DictReader(run.stdout.splitlines()))


def load_snippet(path) -> dict:
    namespace = {"__name__": "snippet"}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102 -- under test
    return namespace


def test_exported_code_of_an_exactly_solved_line_predicts_as_the_window(qtbot, window, tmp_path, monkeypatch):
    click_line(qtbot, window)
    choose(window, "optimizerCombo", "exact")
    wait_step(qtbot, window, 1)   # a run solved exactly starts solved
    wait_settled(qtbot, window)
    script = tmp_path / "line"
    dialog = patch_save_dialog(monkeypatch, script)
    action(window, "actionExportCode").trigger()
    assert len(dialog.calls) == 1
    script, snippet = tmp_path / "line.py", tmp_path / "line_sklearn.py"
    assert script.exists() and snippet.exists()
    assert "line.py" in message_label(window).text() and "line_sklearn.py" in message_label(window).text()
    assert '"""regstudio model: linear regression' in script.read_text(encoding="utf-8")

    new_x = np.array([-2.5, -0.4, 0.0, 1.7, 3.0, 11.0])
    data = tmp_path / "new.csv"
    data.write_text("x\n" + "".join(f"{float(x)!r}\n" for x in new_x))
    rows = run_script(script, data)
    expected = predict(window, new_x[:, None])
    np.testing.assert_allclose([float(r["prediction"]) for r in rows], expected, rtol=1e-9, atol=1e-9)

    pytest.importorskip("sklearn")
    namespace = load_snippet(snippet)
    problem = window.controller.problem
    rows = problem.train_rows
    pipeline = namespace["fit"](problem.dataset.X[rows], problem.dataset.y[rows])
    np.testing.assert_allclose(namespace["predict"](pipeline, new_x[:, None]), expected, rtol=1e-6, atol=1e-6)


def test_exported_code_of_a_classifier_gives_the_windows_labels_and_probabilities(qtbot, window, tmp_path,
                                                                                   monkeypatch):
    X, _ = click_two_classes(qtbot, window)
    train_to(qtbot, window, 200)
    script = tmp_path / "blobs.py"
    patch_save_dialog(monkeypatch, script)
    action(window, "actionExportCode").trigger()
    text = script.read_text(encoding="utf-8")
    assert f"{shown_step(window):,} steps" in text

    new = np.vstack([X, X.mean(axis=0, keepdims=True) + [[0.1, 0.0]]])
    data = tmp_path / "drawn.csv"
    data.write_text("x1,x2,label\n" + "".join(f"{float(a)!r},{float(b)!r},\n" for a, b in new))
    rows = run_script(script, data)
    P = predict(window, new)
    assert [r["prediction"] for r in rows] == [("0", "1")[k] for k in np.argmax(P, axis=1)]
    np.testing.assert_allclose([[float(r["p_0"]), float(r["p_1"])] for r in rows], P, rtol=1e-9, atol=1e-12)
    # the exported parameters are the window's, bit for bit
    namespace = load_snippet(script)
    np.testing.assert_array_equal(np.concatenate([namespace["W"].ravel(), namespace["b"]]), theta(window))


def test_export_code_asks_before_replacing_the_snippet_beside_the_script(qtbot, window, tmp_path, monkeypatch):
    click_line(qtbot, window)
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    wait_settled(qtbot, window)
    script, snippet = tmp_path / "model.py", tmp_path / "model_sklearn.py"
    snippet.write_text("# my own notes\n")
    patch_save_dialog(monkeypatch, script)  # the dialog confirms replacing the script only
    keep = Recorder(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(keep))
    action(window, "actionExportCode").trigger()
    assert len(keep.calls) == 1 and displayed(keep.calls[0][2]) == f"{snippet} already exists. Replace it?"
    assert snippet.read_text() == "# my own notes\n" and not script.exists()

    replace = Recorder(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(replace))
    action(window, "actionExportCode").trigger()
    assert len(replace.calls) == 1 and script.exists() and "sklearn" in snippet.read_text()
    assert "model_sklearn.py (scikit-learn)" in message_label(window).text()


def test_untrained_or_empty_says_so_in_one_line_and_writes_nothing(qtbot, window, tmp_path, monkeypatch):
    click_line(qtbot, window)
    wait_settled(qtbot, window)
    dialog = patch_save_dialog(monkeypatch, tmp_path / "never.py")
    action(window, "actionExportCode").trigger()
    label = message_label(window)
    assert label.isVisible() and "untrained (step 0)" in label.text() and "\n" not in label.text()
    assert dialog.calls == []

    action(window, "actionClearPoints").trigger()
    qtbot.waitUntil(lambda: window.controller.problem is None, timeout=WAIT)
    action(window, "actionExportCode").trigger()
    assert "Nothing to export as code" in label.text()
    action(window, "actionExportPoints").trigger()
    assert "No points to export" in label.text()
    assert dialog.calls == [] and list(tmp_path.iterdir()) == []


def test_exported_drawn_points_reopen_in_the_window_and_train_from_the_command_line(qtbot, make_window, tmp_path,
                                                                                   monkeypatch):
    first = make_window()
    click_line(qtbot, first)
    regression = first.document.points["regression"].data
    points = tmp_path / "line-points"
    patch_save_dialog(monkeypatch, points)
    action(first, "actionExportPoints").trigger()
    points = tmp_path / "line-points.csv"
    assert points.read_text().splitlines()[0] == "x,y"
    X, labels = click_two_classes(qtbot, first)
    classes = tmp_path / "classes.csv"
    patch_save_dialog(monkeypatch, classes)
    action(first, "actionExportPoints").trigger()
    assert classes.read_text().splitlines()[0] == "x1,x2,label"

    second = make_window()
    for path in (points, classes):
        patch_open_dialog(monkeypatch, path)
        action(second, "actionOpenData").trigger()  # obvious columns: no dialog
    reopened = second.document.points
    np.testing.assert_array_equal(reopened["regression"].data.X, regression.X)
    np.testing.assert_array_equal(reopened["regression"].data.y, regression.y)
    np.testing.assert_array_equal(reopened["classification"].data.X, X)
    assert reopened["classification"].data.y.tolist() == labels.tolist()

    model = tmp_path / "model.json"
    assert cli_main(["train", str(points), "--y", "y", "--model", "linear", "--quiet", "--test-fraction", "0",
                     "--out", str(model)]) == 0
    assert json.loads(model.read_text())["training"]["rows"]["train"] == len(regression)
    assert cli_main(["train", str(classes), "--y", "label", "--model", "logistic", "--quiet",
                     "--out", str(model)]) == 0
    assert json.loads(model.read_text())["classes"] == ["0", "1"]


def test_exported_points_keep_the_group_column(qtbot, make_window, tmp_path, monkeypatch):
    first = make_window()
    choose(first, "generatorCombo", "hidden_factor")
    button(first, "generateButton").click()
    data = first.document.points["regression"].data
    assert data.group_name == "group"
    path = tmp_path / "species.csv"
    patch_save_dialog(monkeypatch, path)
    action(first, "actionExportPoints").trigger()
    rows = read_csv(path)
    assert list(rows[0]) == ["x", "y", "group"]
    assert [r["group"] for r in rows] == data.groups.tolist()

    def no_column_picker(dialog):
        raise AssertionError("the columns of exported points are obvious: no picker should open")

    monkeypatch.setattr(ColumnDialog, "exec", no_column_picker)
    second = make_window()
    patch_open_dialog(monkeypatch, path)
    action(second, "actionOpenData").trigger()
    reopened = second.document.points["regression"].data
    np.testing.assert_array_equal(reopened.X, data.X)
    np.testing.assert_array_equal(reopened.y, data.y)
    assert reopened.groups.tolist() == data.groups.tolist() and reopened.group_name == "group"

    model = tmp_path / "model.json"
    assert cli_main(["train", str(path), "--y", "y", "--group", "group", "--model", "linear", "--quiet",
                     "--out", str(model)]) == 0
    assert json.loads(model.read_text())["features"]["group"]["levels"] == sorted(set(data.groups.tolist()))
