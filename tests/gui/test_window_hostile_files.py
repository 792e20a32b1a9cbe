"""Regression tests for defects a hostile test of the previous window found in its files: grouped
sessions reopened in place, damaged sessions, FIFOs and folders, plot images, CSVs with missing cells
and exports without an extension.

Each test judges what the window shows (dialogs, message bar, status, combos) or writes (files).
"""

from __future__ import annotations

import json
import os
import threading

import pytest
from guihelpers import (
    action,
    button,
    choose,
    click,
    combo,
    displayed,
    message_label,
    round_trip,
    shown_step,
    status_text,
    take_steps,
    wait_settled,
    wait_step,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from test_window_hostile import Recorder, empty_spot, focus

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def patch_dialog(monkeypatch, name: str, path) -> Recorder:
    recorder = Recorder((str(path), ""))
    monkeypatch.setattr(QFileDialog, name, staticmethod(recorder))
    return recorder


def record_errors(monkeypatch) -> Recorder:
    critical = Recorder(QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    return critical



def what_the_window_shows(window) -> tuple:
    state = window.document
    return (state.config, {task: state.points[task] for task in state.points}, window.windowTitle(),
            state.path, combo(window, "modelCombo").currentData())


# --- 5: a grouped session reopened in the same window ----------------------------------------------

def test_grouped_session_reopened_in_the_same_window_keeps_its_group_and_step(qtbot, window, tmp_path,
                                                                              monkeypatch):
    focus(qtbot, window)
    choose(window, "generatorCombo", "hidden_factor")
    button(window, "generateButton").click()
    group = combo(window, "groupCombo")
    assert group.isVisible() and group.currentData() == "group" and group.currentText() == "group"
    take_steps(qtbot, window, 30)
    shown = status_text(window)
    session = tmp_path / "species.regstudio"
    patch_dialog(monkeypatch, "getSaveFileName", session)
    action(window, "actionSaveSession").trigger()
    saved = json.loads(session.read_text())
    assert saved["training"]["step"] == 30 and saved["view"]["use_group"] is True

    patch_dialog(monkeypatch, "getOpenFileName", session)
    action(window, "actionOpenSession").trigger()
    wait_step(qtbot, window, 30)
    wait_settled(qtbot, window)
    assert group.currentData() == "group" and group.currentText() == "group"
    assert status_text(window).split("·")[:3] == shown.split("·")[:3]  # step, epoch, train loss
    assert window.windowTitle().startswith("species.regstudio —")

    os.utime(session, (0, 0))
    saves = Recorder(("", ""))  # Ctrl+S must not ask for a name again
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(saves))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saves.calls == [] and session.stat().st_mtime > 0
    again = json.loads(session.read_text())
    assert again["training"]["step"] == 30 and again["view"]["use_group"] is True
    assert again["training"]["theta"] == saved["training"]["theta"]
    assert shown_step(window) == 30  # neither opening nor saving trained


# --- 6, 7: damaged sessions change nothing ----------------------------------------------------------

@pytest.fixture
def good_session(qtbot, window, tmp_path):
    """A session saved by the window: a polynomial on the drawn points, trained a few steps."""
    choose(window, "modelCombo", "polynomial")
    take_steps(qtbot, window, 3)
    path = tmp_path / "good.regstudio"
    assert window.files.save_session(str(path))
    return json.loads(path.read_text())


def damaged(document: dict, change) -> dict:
    document = json.loads(json.dumps(document))
    change(document)
    return document


def _set(*keys_and_value):
    *keys, value = keys_and_value

    def change(document):
        entry = document
        for key in keys[:-1]:
            entry = entry[key]
        entry[keys[-1]] = value
    return change


BAD_SESSIONS = {
    "speed-text": (_set("view", "steps_per_second", "fast"), "steps_per_second"),
    "speed-1e300": (_set("view", "steps_per_second", 1e300), "steps_per_second"),
    "seed-2**40": (_set("settings", "seed", 2**40), "seed"),
    "axes-text": (_set("view", "axes", ["a", "b"]), "axes"),
    "unknown-model": (_set("settings", "model", "transformer"), "model"),
    "theta-text": (_set("training", "theta", ["one", "two"]), "theta"),
    "group-name-without-groups": (_set("points", "regression", "group_name", "species"), "group"),
}


def test_damaged_sessions_change_nothing_and_the_window_still_trains(qtbot, window, tmp_path, monkeypatch,
                                                                     good_session):
    focus(qtbot, window)
    window.document.mark_saved(None)
    before = what_the_window_shows(window)
    step_before = shown_step(window)
    critical = record_errors(monkeypatch)
    for number, (name, (change, field)) in enumerate(BAD_SESSIONS.items()):
        path = tmp_path / f"bad{number}.regstudio"
        path.write_text(json.dumps(damaged(good_session, change)))
        patch_dialog(monkeypatch, "getOpenFileName", path)
        action(window, "actionOpenSession").trigger()
        assert len(critical.calls) == 1, (name, critical.calls)
        message = displayed(critical.calls[0][2])
        assert str(path) in message and field in message, message
        critical.calls.clear()
        assert what_the_window_shows(window) == before, name
    round_trip(qtbot, window)  # nothing was sent to train: the runner's answer shows the same step
    assert shown_step(window) == step_before
    button(window, "stepButton").click()
    wait_step(qtbot, window, step_before + 1)


def test_session_with_a_group_name_but_no_groups_is_refused_and_groups_still_work(qtbot, window, tmp_path,
                                                                                 monkeypatch, good_session):
    choose(window, "generatorCombo", "hidden_factor")
    button(window, "generateButton").click()
    wait_settled(qtbot, window)
    path = tmp_path / "groupless.regstudio"
    document = damaged(good_session, _set("points", "regression", "group_name", "group"))
    document["view"]["use_group"] = True
    path.write_text(json.dumps(document))
    critical = record_errors(monkeypatch)
    assert not window.files.open_session(str(path))
    assert len(critical.calls) == 1 and "group" in displayed(critical.calls[0][2])
    # choosing the group column off and on, and clicking, still work on the window's own groups
    group = combo(window, "groupCombo")
    assert group.currentData() == "group"
    group.setCurrentIndex(group.findData(None))
    assert not window.document.config.use_group
    group.setCurrentIndex(group.findData("group"))
    assert window.document.config.use_group
    count = len(window.document.points["regression"])
    click(qtbot, window, *empty_spot(window))
    assert len(window.document.points["regression"]) == count + 1
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    assert critical.calls[1:] == []


def test_saved_parameters_of_the_wrong_length_are_reported_not_dropped(qtbot, window, tmp_path, monkeypatch,
                                                                       good_session):
    path = tmp_path / "short-theta.regstudio"
    path.write_text(json.dumps(damaged(good_session, _set("training", "theta", [0.5, 0.25]))))
    patch_dialog(monkeypatch, "getOpenFileName", path)
    action(window, "actionOpenSession").trigger()  # a valid file: no dialog (the fixture fails on one)
    wait_step(qtbot, window, 0)
    wait_settled(qtbot, window)
    round_trip(qtbot, window)  # the frames that follow do not take the note away
    label = message_label(window)
    assert label.isVisible() and "could not be restored" in label.text() and "short-theta" in label.text()
    assert "has 2" in label.text()
    assert window.windowTitle().startswith("short-theta.regstudio —")
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)


# --- 8: FIFOs and folders ------------------------------------------------------------------------

class HangGuard:
    """If the window blocks opening ``fifo``, a writer appears and leaves after ``seconds`` (the
    blocked reader gets end-of-file), so the test fails instead of hanging."""

    def __init__(self, fifo, seconds: float = 3.0):
        self.fifo, self.fired = fifo, False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(seconds,), daemon=True)

    def _watch(self, seconds):
        if self._done.wait(seconds):
            return
        self.fired = True
        for _ in range(50):
            try:
                os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))
                return
            except OSError:  # no reader (yet)
                if self._done.wait(0.05):
                    return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join(5)
        assert not self.fired, f"the window blocked opening the FIFO {self.fifo}"


@needs_fifo
@pytest.mark.parametrize("kind", ["data", "session"])
def test_a_fifo_is_refused_with_a_dialog_without_hanging(qtbot, window, tmp_path, monkeypatch, kind):
    fifo = tmp_path / ("pipe.csv" if kind == "data" else "pipe.regstudio")
    os.mkfifo(fifo)
    before = what_the_window_shows(window)
    critical = record_errors(monkeypatch)
    patch_dialog(monkeypatch, "getOpenFileName", fifo)
    with HangGuard(fifo):
        action(window, "actionOpenData" if kind == "data" else "actionOpenSession").trigger()
    assert len(critical.calls) == 1
    assert displayed(critical.calls[0][2]) == f"{fifo}: is not a regular file (it is a FIFO)"
    assert what_the_window_shows(window) == before


@pytest.mark.parametrize("kind", ["data", "session"])
def test_a_folder_is_refused_with_a_dialog(qtbot, window, tmp_path, monkeypatch, kind):
    folder = tmp_path / ("folder.csv" if kind == "data" else "folder.regstudio")
    folder.mkdir()
    before = what_the_window_shows(window)
    critical = record_errors(monkeypatch)
    patch_dialog(monkeypatch, "getOpenFileName", folder)
    action(window, "actionOpenData" if kind == "data" else "actionOpenSession").trigger()
    assert len(critical.calls) == 1
    assert displayed(critical.calls[0][2]) == f"{folder}: is a directory"
    assert what_the_window_shows(window) == before
    # the recent-files menu offers only what opened
    assert str(folder) not in window.files.recent()


# --- 10: plot images ------------------------------------------------------------------------------

def test_plot_export_reports_bad_places_and_writes_svg_and_png(qtbot, window, tmp_path, monkeypatch):
    wait_settled(qtbot, window)
    critical = record_errors(monkeypatch)
    missing = tmp_path / "no such folder" / "plot.png"
    assert not window.files.export_plot(str(missing))
    assert len(critical.calls) == 1 and str(missing) in displayed(critical.calls[0][2])
    assert not missing.parent.exists()

    folder = tmp_path / "taken.png"
    folder.mkdir()
    assert not window.files.export_plot(str(folder))
    assert len(critical.calls) == 2 and str(folder) in displayed(critical.calls[1][2])
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.png"]  # no temporary files left behind

    svg = tmp_path / "plot.svg"
    assert window.files.export_plot(str(svg))
    text = svg.read_text()
    assert "<svg" in text and "</svg>" in text and svg.stat().st_size > 5000
    png = tmp_path / "plot.png"
    assert window.files.export_plot(str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    bare = tmp_path / "shot"
    assert window.files.export_plot(str(bare))
    assert (tmp_path / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(critical.calls) == 2


def test_plot_export_writes_the_format_its_extension_names(qtbot, window, tmp_path, monkeypatch):
    wait_settled(qtbot, window)
    critical = record_errors(monkeypatch)
    jpg = tmp_path / "plot.jpg"
    patch_dialog(monkeypatch, "getSaveFileName", jpg)
    action(window, "actionExportPlot").trigger()
    assert jpg.read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG's start-of-image marker, not PNG's signature
    for name, start in (("PLOT.JPEG", b"\xff\xd8\xff"), ("plot.bmp", b"BM"), ("plot.png", b"\x89PNG\r\n\x1a\n")):
        assert window.files.export_plot(str(tmp_path / name))
        assert (tmp_path / name).read_bytes()[:len(start)] == start, name
    assert critical.calls == []
    unknown = tmp_path / "plot.xyz"
    assert not window.files.export_plot(str(unknown))
    assert len(critical.calls) == 1 and not unknown.exists()
    assert displayed(critical.calls[0][2]) == f"{unknown}: cannot write .xyz images; name it .png, .jpg or .svg"


# --- 12: a CSV with missing cells ---------------------------------------------------------------

def test_dropped_rows_note_stays_in_the_message_bar(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "gaps.csv"
    rows = [f"{x},{2 * x + 1}" for x in range(-4, 5)]
    rows[2], rows[5] = "-2,", ",3"
    path.write_text("x,y\n" + "\n".join(rows) + "\n")
    patch_dialog(monkeypatch, "getOpenFileName", path)
    action(window, "actionOpenData").trigger()
    assert len(window.document.points["regression"]) == 7
    label = message_label(window)
    note = "gaps.csv: dropped 2 rows with missing values."
    assert label.text() == note
    wait_step(qtbot, window, 0)
    wait_settled(qtbot, window)
    round_trip(qtbot, window)
    assert label.isVisible() and label.text() == note
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    round_trip(qtbot, window)
    assert label.isVisible() and label.text() == note


# --- 14: exports ----------------------------------------------------------------------------------

def test_export_without_extension_writes_json_and_step_zero_is_called_untrained(qtbot, window, tmp_path,
                                                                                monkeypatch):
    wait_step(qtbot, window, 0)
    target = tmp_path / "mymodel"
    patch_dialog(monkeypatch, "getSaveFileName", target)
    action(window, "actionExportParameters").trigger()
    written = tmp_path / "mymodel.json"
    assert written.exists() and not target.exists()
    assert json.loads(written.read_text())["training"]["steps"] == 0
    label = message_label(window)
    assert label.isVisible() and "untrained" in label.text() and "mymodel.json" in label.text()

    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    # mymodel.json is not the file the dialog confirmed replacing ("mymodel"): asked first
    keep = Recorder(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(keep))
    action(window, "actionExportParameters").trigger()
    assert len(keep.calls) == 1 and displayed(keep.calls[0][2]) == f"{written} already exists. Replace it?"
    assert json.loads(written.read_text())["training"]["steps"] == 0
    monkeypatch.setattr(QMessageBox, "question", staticmethod(Recorder(QMessageBox.StandardButton.Yes)))
    action(window, "actionExportParameters").trigger()
    assert json.loads(written.read_text())["training"]["steps"] == 1
    assert "untrained" not in label.text() and "step 1 " in label.text()
