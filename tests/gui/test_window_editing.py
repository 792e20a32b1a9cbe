"""Editing points on the canvas with the mouse, and undoing/redoing the edits."""

from __future__ import annotations

import json

import numpy as np
import pytest
from guihelpers import (
    action,
    button,
    choose,
    click,
    combo,
    data_plot,
    drag,
    message_label,
    pixel_size,
    wait_settled,
    wait_step,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from test_window_hostile import Recorder, empty_spot


def regression(window):
    data = window.document.points["regression"].data
    return data.X[:, 0].copy(), data.y.astype(float).copy()


def focus(qtbot, window):
    window.activateWindow()
    qtbot.waitActive(window)


def test_click_adds_undo_removes_redo_restores(qtbot, window):
    focus(qtbot, window)
    x0, y0 = regression(window)
    clicks = [(-1.7, 4.2), (1.3, -3.1)]  # empty canvas: no point within a few pixels
    for x, y in clicks:
        click(qtbot, window, x, y)
    x2, y2 = regression(window)
    assert len(x2) == len(x0) + 2
    sx, sy = pixel_size(window)
    np.testing.assert_allclose(np.column_stack([x2[-2:], y2[-2:]]), clicks, atol=1.5 * max(sx, sy))
    assert window.windowTitle().startswith("untitled*")

    action(window, "actionUndo").trigger()
    assert len(regression(window)[0]) == len(x0) + 1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    x, y = regression(window)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
    assert not window.document.undo_stack.can_undo
    # the plot shows the restored points too
    shown = np.concatenate([item.getData()[0] for item in data_plot(window).plotItem.items
                            if hasattr(item, "points") and item.getData()[0] is not None])
    assert np.sort(shown).tolist() == np.sort(x0).tolist()

    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, redo)
    qtbot.keyClick(window, Qt.Key.Key_Z, redo)
    x, y = regression(window)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    action(window, "actionRedo").trigger()  # nothing left to redo
    assert len(regression(window)[0]) == len(x2)


def test_drag_moves_a_point_and_one_undo_restores_it(qtbot, window):
    x0, y0 = regression(window)
    row = int(np.argmin(np.abs(x0)))  # a point near the middle of the plot
    start = (x0[row], y0[row])
    end = (x0[row] + 1.0, y0[row] - 2.0)
    before = window.document.undo_stack.index
    drag(qtbot, window, start, end)
    x, y = regression(window)
    assert len(x) == len(x0)
    sx, sy = pixel_size(window)
    assert abs(x[row] - end[0]) <= 1.5 * sx and abs(y[row] - end[1]) <= 1.5 * sy
    others = np.arange(len(x)) != row
    np.testing.assert_array_equal(x[others], x0[others])
    np.testing.assert_array_equal(y[others], y0[others])
    assert window.document.undo_stack.index == before + 1  # the whole drag is one undo step
    action(window, "actionUndo").trigger()
    x, y = regression(window)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


def test_drag_on_empty_canvas_pans_instead_of_moving_points(qtbot, window):
    x0, y0 = regression(window)
    (a0, a1), _ = data_plot(window).plotItem.vb.viewRange()
    sx, _ = pixel_size(window)
    drag(qtbot, window, (-2.5, -5.5), (-1.5, -4.5))
    x, y = regression(window)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
    assert not window.document.undo_stack.can_undo
    (b0, b1), _ = data_plot(window).plotItem.vb.viewRange()
    assert b0 == pytest.approx(a0 - 1.0, abs=3 * sx)  # the view followed the mouse one unit to the right
    assert b1 - b0 == pytest.approx(a1 - a0)


def test_right_click_and_ctrl_click_delete_the_nearest_point(qtbot, window):
    x0, y0 = regression(window)
    sx, sy = pixel_size(window)
    row = int(np.argmin(np.abs(x0 - 1.0)))
    click(qtbot, window, x0[row] + 3 * sx, y0[row] - 2 * sy, button=Qt.MouseButton.RightButton)
    x, y = regression(window)
    np.testing.assert_array_equal(x, np.delete(x0, row))
    np.testing.assert_array_equal(y, np.delete(y0, row))
    row2 = int(np.argmin(np.abs(x - (-1.0))))
    # beside the point (outside its 9-pixel symbol): the nearest point goes
    click(qtbot, window, x[row2] - 8 * sx, y[row2] + 6 * sy, modifier=Qt.KeyboardModifier.ControlModifier)
    x1, _ = regression(window)
    np.testing.assert_array_equal(x1, np.delete(x, row2))
    action(window, "actionUndo").trigger()
    action(window, "actionUndo").trigger()
    x, y = regression(window)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


def test_clear_then_undo(qtbot, window):
    x0, y0 = regression(window)
    classes_before = window.document.points["classification"]
    action(window, "actionClearPoints").trigger()
    assert len(window.document.points["regression"]) == 0
    assert window.document.points["classification"] is classes_before  # only the shown task's points
    assert window.controller.spec is None
    assert "Click on the canvas" in message_label(window).text()
    action(window, "actionUndo").trigger()
    x, y = regression(window)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
    # training works again on the restored points
    wait_step(qtbot, window, 0)
    assert window.controller.problem is not None and window.controller.problem.n_train == len(x0)


def test_ctrl_click_on_a_point_deletes_it_and_a_plain_click_adds_nothing(qtbot, window):
    """Regression: the scatter items took every left click on a point, so Ctrl+click on a point did nothing."""
    x0, y0 = regression(window)
    row = int(np.argmin(np.abs(x0 - 1.0)))
    click(qtbot, window, x0[row], y0[row])  # on a point: not a new point
    x, y = regression(window)
    np.testing.assert_array_equal(x, x0)
    click(qtbot, window, x0[row], y0[row], modifier=Qt.KeyboardModifier.ControlModifier)
    x, y = regression(window)
    np.testing.assert_array_equal(x, np.delete(x0, row))
    np.testing.assert_array_equal(y, np.delete(y0, row))


# --- the class a click adds -----------------------------------------------------------------------

def open_pets(window, tmp_path, monkeypatch):
    """A CSV whose classes are words: cats on the left, dogs on the right."""
    path = tmp_path / "pets.csv"
    rows = [(-2.0, 0.5, "cat"), (-1.5, -0.5, "cat"), (-2.5, 0.0, "cat"), (2.0, 0.5, "dog"), (1.5, -0.5, "dog"),
            (2.5, 0.0, "dog")]
    path.write_text("x1,x2,label\n" + "".join(f"{x1},{x2},{label}\n" for x1, x2, label in rows))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(Recorder((str(path), ""))))
    action(window, "actionOpenData").trigger()
    assert window.document.config.model == "logistic"


def click_adds(qtbot, window) -> str:
    """Click on empty canvas; the class of the point it added."""
    count = len(window.document.points["classification"])
    click(qtbot, window, *empty_spot(window))
    labels = window.document.points["classification"].data.y
    assert len(labels) == count + 1
    return str(labels[-1])


def test_a_click_adds_the_word_class_the_combo_shows_and_logistic_trains_on(qtbot, window, tmp_path, monkeypatch):
    open_pets(window, tmp_path, monkeypatch)
    classes = combo(window, "classCombo")
    assert [classes.itemData(i) for i in range(classes.count())] == ["cat", "dog"]
    assert classes.currentText() == "class cat"
    assert click_adds(qtbot, window) == "cat"
    choose(window, "classCombo", "dog")
    assert click_adds(qtbot, window) == "dog"
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    assert window.controller.problem.classes == ("cat", "dog")
    assert not message_label(window).isVisible(), message_label(window).text()

    # undoing the clicks and the file brings back the model before it and the drawn classes, and a
    # click adds the one shown
    for _ in range(3):
        action(window, "actionUndo").trigger()
    assert window.document.config.model == "linear"
    choose(window, "modelCombo", "logistic")
    assert classes.currentText() == "class 0" and click_adds(qtbot, window) == "0"


def test_a_session_naming_a_class_it_has_not_clicks_its_first_class(qtbot, window, tmp_path, monkeypatch):
    open_pets(window, tmp_path, monkeypatch)
    wait_settled(qtbot, window)
    session = tmp_path / "pets.regstudio"
    assert window.files.save_session(str(session))
    document = json.loads(session.read_text())
    assert document["view"]["class"] == "cat"
    document["view"]["class"] = "mouse"
    session.write_text(json.dumps(document))
    assert window.files.open_session(str(session))
    assert combo(window, "classCombo").currentText() == "class cat" and window.document.config.click_class == "cat"
    assert click_adds(qtbot, window) == "cat"
