"""The rewind timeline: scrub to a past step and see it (fit, parameters, status, loss marker),
step back and forward with Shift+← / Shift+→, go on from a past step on a new branch (the old
continuation pinned), and keep the timeline in a saved session."""

from __future__ import annotations

import json

import numpy as np
import pyqtgraph as pg
import pytest
from guihelpers import (
    action,
    button,
    child,
    click,
    data_plot,
    drawn_curves,
    loss_history,
    loss_plot,
    shown_step,
    status_text,
    table_values,
    take_steps,
    train_to,
    wait_settled,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QSlider

from regstudio.core.modelfile import original_units


def slider(window) -> QSlider:
    return child(window, QSlider, "timelineSlider")


def timeline_text(window) -> str:
    return child(window, QLabel, "timelineLabel").text()


def clicked_line(qtbot, window) -> None:
    action(window, "actionClearPoints").trigger()
    for x, y in ((-2, -3), (-1, -1.2), (0, 1.1), (1, 2.9), (2, 5.2)):
        click(qtbot, window, x, y)


def drawn_line(window) -> tuple[np.ndarray, np.ndarray]:
    curves = [item.getData() for item in drawn_curves(data_plot(window))]
    assert len(curves) == 1
    return curves[0]


def line_of(window, theta) -> tuple[float, float]:
    units = original_units(window.controller.problem, np.asarray(theta))
    (slope,) = units["coefficients"].values()
    return slope, units["intercept"]


def wait_shown(qtbot, window, step: int) -> None:
    qtbot.waitUntil(lambda: window.controller.shown is not None and window.controller.shown.shown == step
                    and window.controller.settled)


def shown_marker(window) -> float | None:
    line = loss_plot(window).plotItem.getViewBox().allChildren()
    markers = [item for item in line if isinstance(item, pg.InfiniteLine) and item.isVisible()
               and item.pen.color().name() == "#cc79a7"]
    return markers[0].value() if markers else None


def test_scrubbing_shows_the_run_as_it_was_at_that_step(qtbot, window):
    clicked_line(qtbot, window)
    take_steps(qtbot, window, 12)
    assert slider(window).maximum() == 12 and slider(window).value() == 12
    newest_fit = drawn_line(window)
    slider(window).setValue(4)
    wait_shown(qtbot, window, 4)
    theta_4 = window.controller.timeline.nearest(4).theta
    slope, intercept = line_of(window, theta_4)
    xs, ys = drawn_line(window)
    np.testing.assert_allclose(ys, slope * xs + intercept, atol=1e-9)
    assert not np.allclose(ys, newest_fit[1])
    assert table_values(window)["x"] == pytest.approx(slope, rel=1e-4)
    assert shown_step(window) == 4 and "step 4 of 12" in timeline_text(window)
    assert shown_marker(window) == 4
    # The run itself is still at step 12: its loss history is whole, and back at the newest step the
    # newest fit returns.
    assert loss_history(window)[0].tolist() == list(range(12))
    slider(window).setValue(12)
    qtbot.waitUntil(lambda: shown_step(window) == 12)
    np.testing.assert_allclose(drawn_line(window)[1], newest_fit[1])
    assert shown_marker(window) is None


def test_shift_arrows_step_through_the_past_and_back_to_the_newest(qtbot, window):
    clicked_line(qtbot, window)
    take_steps(qtbot, window, 5)
    action(window, "actionStepBack").trigger()
    wait_shown(qtbot, window, 4)
    action(window, "actionStepBack").trigger()
    wait_shown(qtbot, window, 3)
    assert slider(window).value() == 3
    action(window, "actionStepForward").trigger()
    wait_shown(qtbot, window, 4)
    action(window, "actionStepForward").trigger()   # the newest step again
    qtbot.waitUntil(lambda: window.controller.shown_step is None and shown_step(window) == 5)
    assert action(window, "actionStepBack").shortcut().toString() == "Shift+Left"


def test_dragging_while_playing_pauses_and_play_goes_on_from_the_past_step_on_a_new_branch(qtbot, window):
    clicked_line(qtbot, window)
    train_to(qtbot, window, 60)
    newest = window.controller.newest_step
    button(window, "playButton").click()   # playing again
    qtbot.waitUntil(lambda: window.controller.newest_step > newest)
    slider(window).setValue(20)
    qtbot.waitUntil(lambda: not button(window, "playButton").isChecked())
    wait_shown(qtbot, window, 20)
    pins_before = len(window.document.pins)
    theta_21 = np.array(window.controller.timeline.nearest(21).theta)
    button(window, "stepButton").click()
    qtbot.waitUntil(lambda: window.controller.shown_step is None and shown_step(window) == 21)
    wait_settled(qtbot, window)
    # Full-batch gradient descent is deterministic: the new step 21 is the old one.
    np.testing.assert_array_equal(window.controller.timeline.nearest(21).theta, theta_21)
    assert window.controller.timeline.last_step == 21
    assert loss_history(window)[0].tolist() == list(range(21))
    assert len(window.document.pins) == pins_before + 1
    assert window.pins.labels()[-1] == "before going back to step 20"
    assert window.document.pins[-1].steps.max() > 60   # the old continuation, pinned whole
    assert slider(window).maximum() == 21


def test_a_saved_session_keeps_the_timeline(qtbot, window, tmp_path, monkeypatch):
    clicked_line(qtbot, window)
    take_steps(qtbot, window, 30)
    theta_7 = np.array(window.controller.timeline.nearest(7).theta)
    path = tmp_path / "run.regstudio"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    action(window, "actionSaveSessionAs").trigger()
    saved = json.loads(path.read_text(encoding="utf-8"))["training"]["timeline"]
    assert [kept["step"] for kept in saved] == list(range(30))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    action(window, "actionOpenSession").trigger()
    qtbot.waitUntil(lambda: shown_step(window) == 30 and window.controller.settled)
    slider(window).setValue(7)
    wait_shown(qtbot, window, 7)
    np.testing.assert_array_equal(window.controller.shown.timeline.nearest(7).theta, theta_7)
    assert "step 7 of 30" in timeline_text(window)


def test_the_slider_is_keyboard_reachable_and_named(window):
    bar = slider(window)
    assert bar.accessibleName() == "Timeline"
    assert bar.focusPolicy() != Qt.FocusPolicy.NoFocus
    assert status_text(window) is not None


def test_the_landscape_shows_the_path_as_it_was_at_the_past_step(qtbot, window):
    clicked_line(qtbot, window)
    window.findChild(type(window.loss_dock), "landscapeDock").show()
    take_steps(qtbot, window, 10)
    view = window.view_docks.live["landscape"]
    plot = view.plot
    qtbot.waitUntil(lambda: plot._path.getData()[0] is not None and len(plot._path.getData()[0]) == 11)
    slider(window).setValue(3)
    wait_shown(qtbot, window, 3)
    qtbot.waitUntil(lambda: len(plot._path.getData()[0]) == 4)
    i, j = view._pair
    expected = window.controller.timeline.path((i, j), 3)
    np.testing.assert_array_equal(plot._path.getData()[0], expected[:, 0])
    np.testing.assert_array_equal(plot._path.getData()[1], expected[:, 1])
    slider(window).setValue(10)
    qtbot.waitUntil(lambda: len(plot._path.getData()[0]) == 11)


def test_a_diverged_run_rewound_before_it_left_goes_on_with_a_smaller_rate(qtbot, window):
    from regstudio.core.lessons import LESSONS
    from regstudio.core.training import STOP_DIVERGED

    item = next(lesson for lesson in LESSONS if lesson.key == "LearningRate")
    action(window, item.action_name).trigger()
    qtbot.waitUntil(lambda: len(window.loss_plot.pins()) == 2)
    window.document.update(steps_per_second=None)
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: not button(window, "playButton").isChecked(), timeout=10_000)
    diverged = window.controller.latest.snapshot
    assert diverged.stop_reason == STOP_DIVERGED and diverged.step > 3
    slider(window).setValue(2)
    wait_shown(qtbot, window, 2)
    window.document.update(lr=0.01)   # η for the branch: the past step stays on show
    qtbot.wait(50)
    assert window.controller.shown_step == 2
    button(window, "stepButton").click()
    qtbot.waitUntil(lambda: window.controller.shown_step is None and shown_step(window) == 3)
    wait_settled(qtbot, window)
    snapshot = window.controller.latest.snapshot
    assert snapshot.stop_reason is None and snapshot.metrics["train"]["objective"] < 1e3
    assert window.controller.latest.lr == pytest.approx(0.01)


def test_an_edit_or_reset_while_rewound_returns_to_the_newest_step(qtbot, window):
    clicked_line(qtbot, window)
    take_steps(qtbot, window, 8)
    slider(window).setValue(3)
    wait_shown(qtbot, window, 3)
    click(qtbot, window, 0.5, 0.5)   # a new point: training goes on from the newest step on it
    qtbot.waitUntil(lambda: window.controller.shown_step is None and window.controller.settled)
    assert shown_step(window) == 8 and slider(window).value() == 8
    assert shown_marker(window) is None
    slider(window).setValue(5)
    wait_shown(qtbot, window, 5)
    button(window, "resetButton").click()
    qtbot.waitUntil(lambda: shown_step(window) == 0 and window.controller.settled)
    assert slider(window).maximum() == 0 and window.controller.shown_step is None


def test_the_empty_canvas_has_a_still_timeline(qtbot, window):
    action(window, "actionClearPoints").trigger()
    qtbot.wait(50)
    slider(window).setValue(5)
    action(window, "actionStepBack").trigger()
    qtbot.wait(50)
    assert slider(window).maximum() == 0 and slider(window).value() == 0
    assert window.controller.shown_step is None


def test_frames_lay_nothing_out_while_the_readouts_change(qtbot, window):
    """The timeline's line, the status line and the note under the plot change at every frame;
    none of them may ask the window to lay out its docks again (a QLabel's new text does)."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    from regstudio.core.lessons import LESSONS

    item = next(lesson for lesson in LESSONS if lesson.key == "Logistic")   # separable: ‖w‖ grows in the note
    action(window, item.action_name).trigger()
    window.document.update(steps_per_second=None)
    requests = []

    class Count(QObject):
        def eventFilter(self, watched, event):
            # The main window's own layout places every dock and toolbar (a table's inner layout is its own).
            if event.type() == QEvent.Type.LayoutRequest and watched is window:
                requests.append(type(watched).__name__)
            return False

    counter = Count()
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: window.controller.newest_step > 50)
    notes = {window.formula_label.text()}
    QCoreApplication.instance().installEventFilter(counter)
    try:
        start = window.controller.newest_step
        qtbot.waitUntil(lambda: window.controller.newest_step > start + 200 and len(notes.add(
            window.formula_label.text()) or notes) > 3, timeout=10_000)
    finally:
        QCoreApplication.instance().removeEventFilter(counter)
    button(window, "playButton").click()
    assert requests == []
