"""Regression tests for defects a hostile test of the previous window found: edits, classes and
exports while playing, drags cut by an undo, runs that stop by themselves, divergence, the loss plot,
memory on large data sets, the keyboard, and failures of the training process.

Everything is driven through object names, mouse events and the keyboard, and judged by what the
window shows or writes.
"""

from __future__ import annotations

import gc
import json
import os
import re
import threading
import tracemalloc

import numpy as np
import pyqtgraph as pg
import pytest
from faults import fail_once
from guihelpers import (
    WAIT,
    _send,
    action,
    button,
    child,
    choose,
    click,
    combo,
    data_plot,
    displayed,
    drag,
    drain_events,
    full_speed,
    loss_curve,
    loss_plot,
    message_label,
    pause,
    pixel_size,
    round_trip,
    settle_layout,
    shown_step,
    spin,
    status_text,
    table_cells,
    to_viewport,
    training_thread,
    wait_settled,
    wait_step,
)
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QMessageBox,
    QSlider,
    QWidget,
)

from regstudio.core.session import load_session
from regstudio.core.training import STOP_DIVERGED, Trainer
from regstudio.gui.panels import SPEEDS


class Recorder:
    """Stands in for a static dialog function: records its calls and returns a fixed answer."""

    def __init__(self, answer=None):
        self.answer, self.calls = answer, []

    def __call__(self, *args, **kwargs):
        self.calls.append(args)
        return self.answer


def focus(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitActive(window)


def drawn_points(window) -> np.ndarray:
    """(n, 2) positions of every point drawn on the data plot (the scatter items' data)."""
    parts = [np.column_stack(item.getData()) for item in data_plot(window).plotItem.items
             if isinstance(item, pg.ScatterPlotItem) and item.getData()[0] is not None and len(item.getData()[0])]
    return np.vstack(parts) if parts else np.empty((0, 2))


def empty_spot(window, avoid=(), pixels: float = 25.0) -> tuple[float, float]:
    """Data coordinates inside the view at least ``pixels`` from every drawn point (and from ``avoid``)."""
    xy = np.vstack([drawn_points(window), np.reshape(avoid, (-1, 2))])
    (x0, x1), (y0, y1) = data_plot(window).plotItem.vb.viewRange()
    sx, sy = pixel_size(window)
    best, best_distance = None, -1.0
    for fx in np.linspace(0.15, 0.85, 15):
        for fy in np.linspace(0.15, 0.85, 15):
            x, y = x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)
            d = np.min(np.hypot((xy[:, 0] - x) / sx, (xy[:, 1] - y) / sy)) if len(xy) else np.inf
            if d > best_distance:
                best, best_distance = (float(x), float(y)), d
    assert best_distance >= pixels, "no empty spot on the canvas"
    return best


def wait_until_stopped(qtbot, window, timeout: int = WAIT) -> int:
    """Wait until the training thread has answered the last command sent and says it does not play
    (so it takes no more steps); return the step the status bar shows."""
    controller = window.controller
    try:
        qtbot.waitUntil(lambda: controller.settled and not controller.latest.playing, timeout=timeout)
    except qtbot.TimeoutError:
        raise AssertionError(f"training never stopped: {status_text(window)!r}") from None
    return shown_step(window)


def table_names(window) -> list[str]:
    return [row[0] for row in table_cells(window)]


def table_classes(window) -> set[str]:
    """The classes the parameters table's rows name ("[k] w x1" → k)."""
    return {m.group(1) for name in table_names(window) for m in [re.match(r"\[(.+?)\] ", name)] if m}


def two_blob_classifier(window, model: str) -> None:
    choose(window, "modelCombo", model)
    assert sorted(set(window.document.points["classification"].data.y.tolist())) == ["0", "1"]
    full_speed(window)


# --- 1, 2: classes added while playing ---------------------------------------------------------------

@pytest.mark.parametrize("model", ["softmax", "cascade"])
def test_new_class_clicked_while_playing_is_exported_at_once(qtbot, window, tmp_path, monkeypatch, model):
    two_blob_classifier(window, model)
    play = button(window, "playButton")
    play.click()
    qtbot.waitUntil(lambda: (shown_step(window) or 0) >= 50, timeout=WAIT)
    assert play.isChecked()

    choose(window, "classCombo", "2")
    spot = empty_spot(window)
    settle_layout(qtbot, window)
    count = len(window.document.points["classification"])
    qtbot.mouseClick(data_plot(window).viewport(), Qt.MouseButton.LeftButton, pos=to_viewport(window, *spot))
    assert len(window.document.points["classification"]) == count + 1
    path = tmp_path / "model.json"
    # Never waiting for the trainer: written as soon as it has caught up with the click.
    assert window.files.export_parameters(str(path))
    qtbot.waitUntil(path.exists, timeout=WAIT)

    document = json.loads(path.read_text())
    assert document["classes"] == ["0", "1", "2"]
    params = document["parameters"]
    if model == "softmax":
        W = np.array(params["W"])
        assert W.shape == (3, len(document["inputs"])) and np.array(params["b"]).shape == (3,)
    else:
        hidden = document["architecture"]["hidden"]
        assert np.array(params["W2"]).shape == (3, hidden) and np.array(params["b2"]).shape == (3,)
        assert np.array(params["W1"]).shape == (hidden, len(document["inputs"]))
    assert "Exported the parameters" in message_label(window).text()

    # training goes on after the export
    exported_at = document["training"]["steps"]
    qtbot.waitUntil(lambda: (shown_step(window) or 0) > exported_at + 50, timeout=WAIT)
    assert play.isChecked()

    session = tmp_path / "s.regstudio"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(Recorder((str(session), ""))))
    action(window, "actionSaveSession").trigger()
    saved = load_session(session)
    assert sorted(set(saved.points["classification"].data.y.tolist())) == ["0", "1", "2"]
    assert saved.theta is not None and saved.step > exported_at
    assert window.windowTitle().startswith("s.regstudio —")
    pause(qtbot, window)


def test_adding_and_undoing_a_class_while_playing_leaves_the_table_with_the_current_classes(qtbot, window):
    focus(qtbot, window)
    two_blob_classifier(window, "softmax")
    play = button(window, "playButton")
    play.click()
    qtbot.waitUntil(lambda: (shown_step(window) or 0) >= 20, timeout=WAIT)
    spot = empty_spot(window)
    count = len(window.document.points["classification"])
    for _ in range(8):
        choose(window, "classCombo", "2")
        click(qtbot, window, *spot)
        assert len(window.document.points["classification"]) == count + 1
        qtbot.wait(30)
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert len(window.document.points["classification"]) == count
        qtbot.wait(10)
    assert play.isChecked()
    before = shown_step(window)
    qtbot.waitUntil(lambda: (shown_step(window) or 0) > before + 20, timeout=WAIT)
    pause(qtbot, window)
    assert table_classes(window) == {"0", "1"}
    # … and a class that stays is in the table
    choose(window, "classCombo", "2")
    click(qtbot, window, *spot)
    button(window, "stepButton").click()
    qtbot.waitUntil(lambda: table_classes(window) == {"0", "1", "2"}, timeout=WAIT)


# --- 3: runs that stop by themselves while points are edited ---------------------------------------

@pytest.mark.parametrize("optimizer", ["exact", "gd"])
def test_play_is_released_when_a_run_stops_during_edits(qtbot, window, optimizer):
    if optimizer == "gd":
        spin(window, "learningRateSpin").setValue(0.5)  # converges within a few hundred steps
    else:
        choose(window, "optimizerCombo", "exact")
    full_speed(window)
    play = button(window, "playButton")
    spots = []
    for _ in range(6):
        spots.append(empty_spot(window, avoid=spots))
    play.click()
    for spot in spots:
        click(qtbot, window, *spot)
    wait_until_stopped(qtbot, window)
    assert not play.isChecked() and play.text() == "Play", status_text(window)
    assert button(window, "playButton").accessibleName() == "Play"
    # and Play still works on the edited points: it trains to a stop again and lets go
    click(qtbot, window, *empty_spot(window))
    stopped_at = shown_step(window)
    play.click()
    qtbot.waitUntil(lambda: (shown_step(window) or 0) > stopped_at, timeout=WAIT)
    wait_until_stopped(qtbot, window)
    assert not play.isChecked() and play.text() == "Play"
    assert "onverged" in message_label(window).text() or "olved" in message_label(window).text()


# --- 4: an undo in the middle of a drag ------------------------------------------------------------

def test_ctrl_z_during_a_drag_cancels_it_and_the_history_stays_consistent(qtbot, window):
    focus(qtbot, window)

    def points():
        return window.document.points["regression"]

    n0 = len(points())
    start = empty_spot(window)
    click(qtbot, window, *start)
    assert len(points()) == n0 + 1
    placed = points().data.X[-1, 0]
    settle_layout(qtbot, window)
    viewport = data_plot(window).viewport()
    left = Qt.MouseButton.LeftButton
    p0 = to_viewport(window, *start)

    def move(k):
        _send(viewport, QEvent.Type.MouseMove, p0 + QPoint(6 * k, 4 * k), Qt.MouseButton.NoButton, left)
        qtbot.wait(5)

    _send(viewport, QEvent.Type.MouseButtonPress, p0, left, left)
    qtbot.wait(5)
    for k in range(1, 5):  # drag the new point right and down
        move(k)
    moved = points().data.X[-1, 0]
    assert moved > placed
    # Ctrl+Z with the button held undoes the move; the rest of the gesture moves nothing
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(points()) == n0 + 1 and points().data.X[-1, 0] == placed
    for k in range(5, 8):
        move(k)
    assert points().data.X[-1, 0] == placed
    # a second Ctrl+Z undoes the click that made the point being dragged
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(points()) == n0
    for k in range(8, 11):
        move(k)
    _send(viewport, QEvent.Type.MouseButtonRelease, p0 + QPoint(60, 40), left, Qt.MouseButton.NoButton)
    drain_events(qtbot)  # whatever the release set off has happened
    assert len(points()) == n0
    stack = window.document.undo_stack
    assert (stack.index, len(stack)) == (0, 2)  # add and move, both undone; nothing new
    undo, redo = action(window, "actionUndo"), action(window, "actionRedo")
    assert not undo.isEnabled() and redo.isEnabled() and "Add point" in redo.text()

    redo.trigger()
    assert len(points()) == n0 + 1 and points().data.X[-1, 0] == placed
    assert "Move point" in redo.text() and "Add point" in undo.text()
    redo.trigger()
    assert len(points()) == n0 + 1 and points().data.X[-1, 0] == moved
    assert not redo.isEnabled()
    undo.trigger()
    undo.trigger()
    assert len(points()) == n0

    # the mouse still works: a click adds, a drag moves
    other = empty_spot(window)
    click(qtbot, window, *other)
    assert len(points()) == n0 + 1 and len(stack) == 1  # the new edit replaced the undone ones
    drag(qtbot, window, other, (other[0] + 0.5, other[1] + 0.5))
    assert points().data.X[-1, 0] == pytest.approx(other[0] + 0.5, abs=3 * pixel_size(window)[0])
    assert len(stack) == 2 and "Move point" in undo.text()
    wait_settled(qtbot, window)
    assert window.controller.problem.n_train == len(points())


# --- Steps pressed faster than the runner reads them ------------------------------------------------

def test_quick_steps_show_the_loss_of_the_step_they_reach(qtbot, window):
    wait_settled(qtbot, window)
    mailbox = training_thread(window).mailbox
    busy = threading.Event()
    receive = mailbox.receive

    def held(timeout):  # the runner reads all five Steps at once, as when it is busy
        busy.wait(10)
        return receive(timeout)

    mailbox.receive = held
    try:
        for _ in range(5):
            button(window, "stepButton").click()
    finally:
        busy.set()
    wait_step(qtbot, window, 5)
    qtbot.waitUntil(lambda: len(loss_curve(window)[0]) == 6, timeout=WAIT)
    steps, losses = loss_curve(window)
    np.testing.assert_array_equal(steps, np.arange(6))  # the curve ends at the step the status shows
    assert "train loss" in status_text(window), status_text(window)
    shown = re.search(r"train loss (\S+)", status_text(window)).group(1)
    assert f"{losses[-1]:.6g}" == shown


def test_closing_a_window_at_once_stops_its_training_thread(qtbot, make_window):
    window = make_window()
    thread = training_thread(window)
    window.document.mark_saved(None)
    assert window.close()
    assert thread.isFinished()


# --- 17: the batch size box and the run agree ------------------------------------------------------

def test_sgd_batch_size_shown_is_the_batch_size_used(qtbot, window):
    choose(window, "optimizerCombo", "sgd")
    box = spin(window, "batchSizeSpin")
    assert box.isVisible()
    assert box.value() == 32 and box.text() == "32" and "full" not in box.text()
    assert window.controller.spec.settings.batch_size == 32
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "10")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.text() == "10"
    assert window.controller.spec.settings.batch_size == 10
    box.selectAll()
    qtbot.keyClicks(box, "1")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.text() == "1" and window.controller.spec.settings.batch_size == 1  # one row, not "full"
    box.selectAll()
    qtbot.keyClicks(box, "10")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.text() == "10" and window.controller.spec.settings.batch_size == 10
    # a hurried student clears the box: sgd has no "full", the box and the run still agree
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    box.clearFocus()
    assert "full" not in box.text() and int(box.text()) == window.controller.spec.settings.batch_size
    # back to gd and sgd again: 32, not a leftover "full"
    choose(window, "optimizerCombo", "gd")
    choose(window, "optimizerCombo", "sgd")
    assert box.text() == str(window.controller.spec.settings.batch_size)
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)


# --- 19: divergence -----------------------------------------------------------------------------

NUMBER = re.compile(r"[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def long_numbers(text: str) -> list[str]:
    """Numbers in ``text`` written with more than 8 digits and not in scientific notation."""
    return [n for n in NUMBER.findall(text) if "e" not in n.lower() and len(re.sub(r"\D", "", n)) > 8]


def test_diverging_learning_rate_stops_with_a_message_and_readable_numbers(qtbot, window):
    lr = spin(window, "learningRateSpin")
    lr.setFocus()
    lr.selectAll()
    qtbot.keyClicks(lr, "1.78")
    qtbot.keyClick(lr, Qt.Key.Key_Return)
    assert lr.value() == pytest.approx(1.78)
    full_speed(window)
    play = button(window, "playButton")
    play.click()
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=WAIT)
    # It stopped at the step where the run diverges, not later: a fresh trainer on the same problem
    # diverges at the same step (full-batch descent from zero is deterministic).
    wait_settled(qtbot, window)
    problem, frame = window.controller.consistent()
    trainer = Trainer(problem)
    trainer.lr = frame.lr
    assert frame.lr == pytest.approx(1.78)
    *_, final = trainer.run(max_steps=10_000, chunk_seconds=1.0)
    assert final.stop_reason == STOP_DIVERGED
    assert shown_step(window) == final.step
    label = message_label(window)
    assert label.isVisible() and "Diverged" in label.text(), label.text()
    assert play.text() == "Play"
    wait_settled(qtbot, window)
    text = status_text(window)
    assert "train loss" in text
    assert long_numbers(text) == [], text
    for name in table_names(window):
        assert long_numbers(name) == []
    values = [row[1] for row in table_cells(window)]
    assert values and all(long_numbers(v) == [] for v in values), values


# --- 21: the loss plot ----------------------------------------------------------------------------

def legend_labels(window) -> list[str]:
    return [label.text for _, label in window.loss_plot.plotItem.legend.items]


def tick_labels(window, axis_name: str = "left") -> list[str]:
    """The tick labels the loss plot's axis draws for its current range."""
    axis = loss_plot(window).getAxis(axis_name)
    low, high = axis.range
    length = axis.geometry().height() if axis_name in ("left", "right") else axis.geometry().width()
    labels = []
    for spacing, values in axis.tickValues(low, high, length):
        labels += axis.tickStrings(values, axis.autoSIPrefixScale, spacing)
    return labels


def significant_digits(label: str) -> int:
    mantissa = re.split(r"[eE]", label.replace("−", "-"))[0]
    return len(re.sub(r"\D", "", mantissa).lstrip("0"))


def test_loss_plot_shows_the_steps_the_status_shows(qtbot, window):
    wait_step(qtbot, window, 0)
    button(window, "resetButton").click()
    wait_step(qtbot, window, 0)
    wait_settled(qtbot, window)
    steps, losses = loss_curve(window)
    y = window.document.points["regression"].data.y.astype(float)
    np.testing.assert_array_equal(steps, [0])
    assert losses[0] == pytest.approx(np.mean(y ** 2), rel=1e-12)
    labels = tick_labels(window)
    assert labels and max(map(significant_digits, labels)) <= 7, labels  # a single value: a flat curve

    choose(window, "optimizerCombo", "exact")
    wait_step(qtbot, window, 1)   # a run solved exactly starts solved
    wait_settled(qtbot, window)
    steps, losses = loss_curve(window)
    np.testing.assert_array_equal(steps, [0, 1])
    shown = re.search(r"train loss (\S+)", status_text(window)).group(1)
    assert f"{losses[1]:.6g}" == shown

    assert not any("test" in label for label in legend_labels(window))
    spin(window, "testFractionSpin").setValue(0.3)
    qtbot.waitUntil(lambda: any("test" in label for label in legend_labels(window)), timeout=WAIT)
    choose(window, "optimizerCombo", "gd")
    (sample,) = [sample for sample, label in window.loss_plot.plotItem.legend.items if "test" in label.text]
    test_curve = sample.item  # the legend sample's plot item: the test error as drawn
    slider = child(window, QSlider, "speedSlider")
    slider.setValue(SPEEDS.index(100))
    play = button(window, "playButton")
    play.click()
    # the test error is sampled a few times a second
    qtbot.waitUntil(lambda: test_curve.getData()[0] is not None and len(test_curve.getData()[0]) >= 3,
                    timeout=WAIT)
    assert test_curve.opts["symbol"] is not None and test_curve.opts["pen"] is None  # samples, no line
    full_speed(window)
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=WAIT)  # converges
    wait_settled(qtbot, window)
    assert "onverged" in message_label(window).text()
    labels = tick_labels(window)
    assert labels and max(map(significant_digits, labels)) <= 7, labels

    spin(window, "testFractionSpin").setValue(0.0)
    qtbot.waitUntil(lambda: not any("test" in label for label in legend_labels(window)), timeout=WAIT)


def test_the_test_errors_legend_sample_is_drawn_in_their_colour(qtbot, window):
    """The legend is painted from a cached pixmap, its samples are not: the test error's symbols take
    their colour with their first data, after the legend entry is made, and a cached sample kept
    pyqtgraph's default grey-blue dot."""
    spin(window, "testFractionSpin").setValue(0.3)
    qtbot.waitUntil(lambda: any("test" in label for label in legend_labels(window)), timeout=WAIT)
    (sample,) = [sample for sample, label in window.loss_plot.plotItem.legend.items if "test" in label.text]
    test_curve = sample.item
    full_speed(window)
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: test_curve.getData()[0] is not None and len(test_curve.getData()[0]) >= 2,
                    timeout=WAIT)
    button(window, "playButton").click()
    wait_settled(qtbot, window)
    plot = window.loss_plot
    symbol_centre = sample.mapToScene(sample.boundingRect().topLeft() + pg.QtCore.QPointF(10, 10))
    image = plot.grab().toImage()
    drawn = image.pixelColor(plot.mapFromScene(symbol_centre))
    wanted = pg.mkBrush(test_curve.opts["symbolBrush"]).color()
    assert abs(drawn.red() - wanted.red()) + abs(drawn.green() - wanted.green()) + \
        abs(drawn.blue() - wanted.blue()) < 60, (drawn.getRgb(), wanted.getRgb())


def test_flat_loss_axis_has_readable_ticks(qtbot, window):
    """A long, converged run whose loss no longer changes: the axis must not print 12-digit ticks."""
    plot = window.loss_plot
    flat = np.full(5000, 1234.56789012345) + np.linspace(0, 1e-9, 5000)
    window.controller.play(False)
    window.document.new_history()
    window.document.history.add(0, flat, [])
    plot.new_run()
    qtbot.wait(50)
    labels = tick_labels(window)
    assert labels and max(map(significant_digits, labels)) <= 7, labels


# --- 22: memory -----------------------------------------------------------------------------------

def test_clicks_on_a_large_data_set_do_not_copy_it_into_the_undo_history(qtbot, window):
    # Traced from before the data set exists, so what replaces it on each click is weighed against
    # what it replaced (one copy of 200,000 rows is about 3.4 MB).
    tracemalloc.start()
    try:
        choose(window, "generatorCombo", "line")
        spin(window, "sizeSpin").setValue(200_000)
        button(window, "generateButton").click()
        assert len(window.document.points["regression"]) == 200_000
        wait_settled(qtbot, window)
        settle_layout(qtbot, window)
        spots = []
        for _ in range(10):
            spots.append(empty_spot(window, avoid=spots, pixels=15))
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for spot in spots:
            click(qtbot, window, *spot)
        assert len(window.document.points["regression"]) == 200_010
        wait_settled(qtbot, window)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(window.document.undo_stack) == 11
    assert growth < 5e6, f"10 clicks kept {growth / 1e6:.1f} MB"
    action(window, "actionUndo").trigger()
    assert len(window.document.points["regression"]) == 200_009


def test_five_million_losses_stay_small_in_memory_and_in_the_session(qtbot, window, tmp_path):
    wait_settled(qtbot, window)
    small = tmp_path / "small.regstudio"
    assert window.files.save_session(str(small))
    plot = window.loss_plot
    rng = np.random.default_rng(0)
    chunk = 100_000
    for first in range(0, 5_000_000, chunk):
        steps = np.arange(first, first + chunk)
        window.document.history.add(first, 1.0 / (1.0 + steps) + 0.01 * rng.random(chunk), [])
    plot.redraw()
    assert window.document.history.train.nbytes < 16e6
    big = tmp_path / "big.regstudio"
    assert window.files.save_session(str(big))
    assert big.stat().st_size < small.stat().st_size + 2e6
    assert load_session(big).history is not None


# --- 23: the keyboard -----------------------------------------------------------------------------

def test_bare_shortcut_keys_go_to_the_focused_input_and_the_plot_takes_them(qtbot, window):
    focus(qtbot, window)
    wait_settled(qtbot, window)
    play, check = button(window, "playButton"), child(window, QCheckBox, "logScaleCheck")
    check.setFocus()
    assert QApplication.focusWidget() is check
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert check.isChecked() and not play.isChecked()
    assert window.document.config.log_loss
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert not check.isChecked() and not play.isChecked()

    optimizer = combo(window, "optimizerCombo")
    optimizer.setFocus()
    assert QApplication.focusWidget() is optimizer
    qtbot.keyClick(optimizer, Qt.Key.Key_S)
    # By the time the training thread has answered the last command sent, a Step would show.
    qtbot.waitUntil(lambda: window.controller.settled, timeout=WAIT)
    round_trip(qtbot, window)
    assert shown_step(window) == 0 and not play.isChecked()

    plot = data_plot(window)
    plot.setFocus()
    assert QApplication.focusWidget() is plot
    steps_before = shown_step(window)
    qtbot.keyClick(plot, Qt.Key.Key_S)
    wait_step(qtbot, window, steps_before + 1)
    qtbot.keyClick(plot, Qt.Key.Key_Space)
    assert play.isChecked() and play.text() == "Pause"
    qtbot.keyClick(plot, Qt.Key.Key_Space)
    assert not play.isChecked() and play.text() == "Play"

    for name, label in (("learningRateSpin", "Learning rate"), ("playButton", "Play"), ("stepButton", "Step"),
                        ("resetButton", "Reset"), ("modelCombo", "Model"), ("seedSpin", "Seed")):
        widget = child(window, QWidget, name)
        assert widget.accessibleName() == label
    for widget in window.findChildren(QWidget):
        name = widget.objectName()
        if widget.accessibleName() and re.fullmatch(r"[a-z]+[A-Z]\w*", name or ""):
            assert widget.accessibleName() != name and not re.fullmatch(r"[a-z]+[A-Z]\w*",
                                                                        widget.accessibleName()), name


# --- W1, W2: failures of the training process -----------------------------------------------------

@pytest.mark.training_errors_expected
def test_a_failure_in_the_training_thread_is_shown_and_the_run_goes_on_from_where_it_stopped(
        qtbot, window, tmp_path, monkeypatch, fail_on_training_errors):
    wait_settled(qtbot, window)
    fail_once(monkeypatch, on_call=5)
    full_speed(window)
    play = button(window, "playButton")
    play.click()
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=WAIT)
    label = message_label(window)
    qtbot.waitUntil(lambda: "injected" in label.text(), timeout=WAIT)
    assert label.isVisible() and "RuntimeError" in label.text()
    assert "#a40000" in label.styleSheet()  # red
    details = button(window, "messageDetailsButton")
    assert details.isVisible() and details.text() == "Details…"
    shown = Recorder(QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "information", staticmethod(shown))
    details.click()
    assert len(shown.calls) == 1
    traceback = displayed(shown.calls[0][2])
    assert "Traceback" in traceback and "RuntimeError: injected" in traceback
    assert sum("injected" in r.getMessage() for r in fail_on_training_errors) == 1, "reported once"
    assert label.text().endswith("the run stopped at its last good step."), label.text()
    qtbot.waitUntil(lambda: shown_step(window) == 4, timeout=WAIT)
    assert not play.isChecked()
    # Nothing is lost: Step goes on from step 4, an edit trains on from there, and export has the steps.
    button(window, "stepButton").click()
    wait_step(qtbot, window, 5)
    count = len(window.document.points["regression"])
    click(qtbot, window, *empty_spot(window))
    assert len(window.document.points["regression"]) == count + 1
    button(window, "stepButton").click()
    wait_step(qtbot, window, 6)
    path = tmp_path / "after-failure.json"
    assert window.files.export_parameters(str(path))
    assert json.loads(path.read_text())["training"]["steps"] == 6
    play.click()
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=WAIT)  # trains to convergence
    assert "onverged" in label.text() and (shown_step(window) or 0) > 10, (label.text(), status_text(window))
