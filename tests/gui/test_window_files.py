"""Files: export → `regstudio predict`, session round trip, bad CSVs, and closing with unsaved changes."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from guihelpers import (
    WAIT,
    action,
    button,
    choose,
    click,
    combo,
    displayed,
    last_snapshot,
    loss_curve,
    loss_history,
    message_label,
    pause,
    predict,
    shown_step,
    spin,
    status_text,
    theta,
    train_to,
    training_thread,
    wait_settled,
    wait_step,
)
from PySide6.QtWidgets import QFileDialog, QMessageBox
from test_window_hostile import empty_spot
from test_window_training import click_line, click_two_classes, play_until_converged

from regstudio.cli import main as cli_main


class Recorder:
    """Stands in for a static dialog function: records its calls and returns a fixed answer."""

    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def __call__(self, *args, **kwargs):
        self.calls.append(args)
        return self.answer


def patch_save_dialog(monkeypatch, path):
    recorder = Recorder((str(path), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(recorder))
    return recorder


def patch_open_dialog(monkeypatch, path):
    recorder = Recorder((str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(recorder))
    return recorder


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_exported_regression_of_drawn_points_predicts_with_the_cli(qtbot, window, tmp_path, monkeypatch):
    click_line(qtbot, window)
    play_until_converged(qtbot, window)
    model = tmp_path / "model.json"
    dialog = patch_save_dialog(monkeypatch, model)
    action(window, "actionExportParameters").trigger()
    assert len(dialog.calls) == 1
    document = json.loads(model.read_text())
    assert document["inputs"] == ["x"] and document["target"] == "y"
    assert document["training"]["steps"] == shown_step(window)

    data = tmp_path / "new.csv"
    new_x = np.array([-2.5, -0.4, 0.0, 1.7, 3.0])
    data.write_text("x,y\n" + "".join(f"{float(x)!r},0\n" for x in new_x))
    out = tmp_path / "pred.csv"
    assert cli_main(["predict", str(model), str(data), "--out", str(out)]) == 0
    rows = read_csv(out)
    predicted = np.array([float(r["prediction"]) for r in rows])
    np.testing.assert_allclose(predicted, predict(window, new_x[:, None]), rtol=1e-12, atol=1e-12)


def test_exported_classifier_of_drawn_points_predicts_with_the_cli(qtbot, window, tmp_path, monkeypatch):
    X, labels = click_two_classes(qtbot, window)
    train_to(qtbot, window, 300)
    model = tmp_path / "model.json"
    patch_save_dialog(monkeypatch, model)
    action(window, "actionExportParameters").trigger()
    assert json.loads(model.read_text())["classes"] == ["0", "1"]

    new = np.vstack([X, X.mean(axis=0, keepdims=True) + [[0.1, 0.0]]])
    data = tmp_path / "drawn.csv"
    data.write_text("x1,x2,label\n" + "".join(f"{float(a)!r},{float(b)!r},\n" for a, b in new))
    out = tmp_path / "pred.csv"
    assert cli_main(["predict", str(model), str(data), "--out", str(out)]) == 0
    rows = read_csv(out)
    P = predict(window, new)
    assert [r["prediction"] for r in rows] == [("0", "1")[k] for k in np.argmax(P, axis=1)]
    assert [r["prediction"] for r in rows[:6]] == labels.tolist()
    np.testing.assert_allclose([[float(r["p_0"]), float(r["p_1"])] for r in rows], P, rtol=1e-12, atol=1e-15)


def test_session_round_trip_restores_points_settings_parameters_and_losses(qtbot, make_window, tmp_path,
                                                                          monkeypatch):
    first = make_window()
    choose(first, "modelCombo", "polynomial")
    spin(first, "degreeSpin").setValue(2)
    choose(first, "optimizerCombo", "momentum")
    spin(first, "learningRateSpin").setValue(0.05)
    spin(first, "seedSpin").setValue(7)
    click(qtbot, first, -1.7, 4.2)
    click(qtbot, first, 1.3, -3.1)
    button(first, "playButton").click()  # 20 steps/s
    qtbot.waitUntil(lambda: (shown_step(first) or 0) >= 8, timeout=WAIT)
    pause(qtbot, first)
    session = tmp_path / "s.regstudio"
    patch_save_dialog(monkeypatch, session)
    action(first, "actionSaveSession").trigger()
    assert session.exists()
    assert first.windowTitle().startswith("s.regstudio —") and not first.is_modified()

    second = make_window()
    patch_open_dialog(monkeypatch, session)
    action(second, "actionOpenSession").trigger()
    wait_step(qtbot, second, shown_step(first))
    wait_settled(qtbot, second)
    for task in ("regression", "classification"):
        a, b = first.document.points[task], second.document.points[task]
        np.testing.assert_array_equal(a.data.X, b.data.X)
        np.testing.assert_array_equal(a.data.y, b.data.y)
        np.testing.assert_array_equal(a.test, b.test)
    assert combo(second, "modelCombo").currentData() == "polynomial"
    assert combo(second, "optimizerCombo").currentData() == "momentum"
    assert spin(second, "degreeSpin").value() == 2
    assert spin(second, "learningRateSpin").value() == 0.05
    assert spin(second, "seedSpin").value() == 7
    assert last_snapshot(second).step == last_snapshot(first).step
    np.testing.assert_array_equal(theta(second), theta(first))
    assert status_text(second).split("·")[:3] == status_text(first).split("·")[:3]  # step, epoch, train loss
    np.testing.assert_array_equal(loss_history(second)[1], loss_history(first)[1])
    np.testing.assert_array_equal(loss_history(second)[0], loss_history(first)[0])
    np.testing.assert_array_equal(loss_curve(second)[1], loss_curve(first)[1])
    assert second.windowTitle().startswith("s.regstudio —") and not second.is_modified()


@pytest.mark.parametrize("content, problem", [
    (b"x,y\n1,2\nabc,4\n5,6\n", ["row 2", "'x'", "'abc' is not a number"]),
    (b"x,y\n1,2\n3,oops\n5,6\n", ["row 2", "'y'", "'oops' is not a number"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ["binary"]),
], ids=["text-in-number-column", "text-in-x-y-target", "binary-file"])
def test_bad_csv_reports_the_problem_and_keeps_the_points(qtbot, window, tmp_path, monkeypatch, content, problem):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    before = {task: window.document.points[task] for task in window.document.points}
    patch_open_dialog(monkeypatch, path)
    critical = Recorder(QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    action(window, "actionOpenData").trigger()
    assert len(critical.calls) == 1
    message = displayed(critical.calls[0][2])
    assert str(path) in message
    for part in problem:
        assert part in message, message
    assert window.document.points == before
    assert not window.document.undo_stack.can_undo
    assert combo(window, "modelCombo").currentData() == "linear"


def test_closing_with_unsaved_changes_asks(qtbot, window, tmp_path, monkeypatch):
    click(qtbot, window, -1.7, 4.2)
    assert window.is_modified()
    cancel = Recorder(QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(cancel))
    assert not window.close()
    assert len(cancel.calls) == 1 and window.isVisible() and training_thread(window).isRunning()
    # the window still works
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)

    discard = Recorder(QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(discard))
    thread = training_thread(window)
    assert window.close()
    assert len(discard.calls) == 1 and thread.isFinished()


def test_closing_and_choosing_save_writes_the_session(qtbot, window, tmp_path, monkeypatch):
    click(qtbot, window, -1.7, 4.2)
    session = tmp_path / "closing.regstudio"
    patch_save_dialog(monkeypatch, session)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(Recorder(QMessageBox.StandardButton.Save)))
    count = len(window.document.points["regression"])
    thread = training_thread(window)
    assert window.close()
    assert thread.isFinished()
    saved = json.loads(session.read_text())
    assert len(saved["points"]["regression"]["y"]) == count


def test_unmodified_window_closes_without_asking(qtbot, window, monkeypatch):
    def fail(*args):
        raise AssertionError("asked about unsaved changes in an unmodified window")

    monkeypatch.setattr(QMessageBox, "question", staticmethod(fail))
    thread = training_thread(window)
    assert window.close()
    assert thread.isFinished()


def test_a_file_opened_at_start_counts_as_unmodified(qtbot, window):
    from regstudio.core.data import load_sample

    assert window.open_file(load_sample("xor").path)
    assert window.is_modified()  # the model switched to logistic for the labels
    window.mark_unmodified()
    assert not window.is_modified() and not window.windowTitle().startswith("untitled*")
    assert combo(window, "modelCombo").currentData() == "logistic"


@pytest.mark.parametrize("encoding, name", [("gb18030", "GB18030"), ("utf-16", "UTF-16")])
def test_a_csv_from_chinese_excel_trains_exports_and_predicts_with_its_chinese_names(
        qtbot, window, tmp_path, monkeypatch, encoding, name):
    path = tmp_path / "鸢尾花.csv"
    text = "身高,体重,类别\n-1.5,-1.4,山鸢尾\n-1.2,-1.6,山鸢尾\n1.5,1.4,变色鸢尾\n1.2,1.6,变色鸢尾\n"
    path.write_bytes(text.encode(encoding))
    from PySide6.QtWidgets import QDialog

    from regstudio.gui.dialogs import ColumnDialog

    def choose_the_label_column(dialog):
        dialog.target.setCurrentText("类别")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ColumnDialog, "exec", choose_the_label_column)
    patch_open_dialog(monkeypatch, path)
    action(window, "actionOpenData").trigger()
    data = window.document.points["classification"].data
    assert data.x_names == ("身高", "体重") and data.y_name == "类别"
    assert sorted(set(data.y.tolist())) == ["变色鸢尾", "山鸢尾"]
    assert f"read as {name} text" in window.message_bar.text()

    train_to(qtbot, window, 200)
    model = tmp_path / "模型.json"
    patch_save_dialog(monkeypatch, model)
    action(window, "actionExportParameters").trigger()
    document = json.loads(model.read_text(encoding="utf-8"))
    assert document["inputs"] == ["身高", "体重"] and document["classes"] == ["变色鸢尾", "山鸢尾"]
    out = tmp_path / "预测.csv"
    assert cli_main(["predict", str(model), str(path), "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["prediction"] for r in rows] == ["山鸢尾", "山鸢尾", "变色鸢尾", "变色鸢尾"]


def test_export_right_after_an_edit_writes_the_edited_problems_parameters(qtbot, window, tmp_path, monkeypatch,
                                                                          hold_prepare):
    """Export waits for the first frame of the problem the window shows: never the parameters of the
    points before an edit paired with the edited points."""
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    count = len(window.document.points["regression"])
    release = hold_prepare()  # the training thread cannot answer the edit until released
    click(qtbot, window, *empty_spot(window))
    assert len(window.document.points["regression"]) == count + 1
    assert window.controller.problem is None and window.controller.consistent() is None
    model = tmp_path / "model.json"
    patch_save_dialog(monkeypatch, model)
    action(window, "actionExportParameters").trigger()
    assert not model.exists()
    assert "as soon as training has caught up" in message_label(window).text()
    release.set()
    qtbot.waitUntil(model.exists, timeout=WAIT)
    document = json.loads(model.read_text())
    assert document["training"]["rows"]["train"] == count + 1
    assert document["training"]["steps"] == 1
    problem, frame = window.controller.consistent()
    assert problem.n_train == count + 1
    np.testing.assert_array_equal(document["parameters"]["W"], frame.snapshot.params["W"])
