"""The window on a classroom screen: at 1366 × 768 (a school laptop) and 1280 × 720 (a projector), in
both languages and in every lesson with its views open, the controls and the data plot stay in view."""

from __future__ import annotations

from dataclasses import replace

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from conftest import close_window
from guihelpers import action
from regstudio.core.lessons import LESSONS
from regstudio.gui.i18n import install_language
from regstudio.gui.readouts import CELL_PADDING

SCREENS = [(1366, 768), (1280, 720)]


@pytest.fixture(params=["en", "zh_CN"])
def language(request):
    install_language(request.param)
    yield request.param
    install_language("en")


def rect_in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def in_a_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def assert_fits(window, where: str) -> None:
    training = window.training_panel
    for name, widget in (("Play", training.play_button), ("Step", training.step_button),
                         ("Reset", training.reset_button), ("speed", training.speed_slider)):
        assert widget.isVisible(), f"{where}: {name} is hidden"
        assert window.rect().contains(rect_in_window(widget, window)), f"{where}: {name} is outside the window"
        assert not in_a_scroll_area(widget), f"{where}: {name} scrolls away"
    height = window.data_plot.height()
    assert height >= 0.45 * window.height(), f"{where}: the data plot is {height} of {window.height()} px"
    loss = window.loss_plot
    assert loss.isVisible() and loss.height() >= 100, f"{where}: the loss plot is {loss.height()} px high"
    assert loss.width() >= 220, f"{where}: the loss plot is {loss.width()} px wide"
    assert window.rect().contains(rect_in_window(loss, window)), f"{where}: the loss plot leaves the window"


def has_gradients(window) -> bool:
    model = window.parameters_panel.model
    return any(model.index(row, 2).data() for row in range(model.rowCount()))


def assert_names_whole(window, where: str) -> None:
    """Every parameter name is shown whole, with the gradient columns filled: on one line, or
    wrapped within its row when word wrap is on (no word wider than the column, no line cut off)."""
    view = window.parameters_panel.table
    model, room = view.model(), view.horizontalHeader().sectionSize(0) - 2 * CELL_PADDING
    metrics = view.fontMetrics()
    for row in range(model.rowCount()):
        name = model.index(row, 0).data()
        if model.is_heading(row) or metrics.horizontalAdvance(name) <= room:
            continue
        assert view.wordWrap(), f"{where}: {name!r} is elided to {room} px"
        box = metrics.boundingRect(QRect(0, 0, room, 10_000), int(Qt.TextFlag.TextWordWrap), name)
        assert box.width() <= room and box.height() <= view.rowHeight(row), \
            f"{where}: {name!r} needs {box.width()}×{box.height()} px, has {room}×{view.rowHeight(row)}"


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_lesson_fits_a_classroom_screen(language, size, make_window, qtbot):
    window = make_window()
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0])
    assert_fits(window, f"{language} {size} at start")
    for lesson in LESSONS:
        window.lessons.load(lesson)
        qtbot.waitUntil(lambda: window.controller.consistent() is not None, timeout=10_000)
        qtbot.wait(20)
        where = f"{language} {size} {lesson.key}"
        assert window.caption_bar.isVisible(), where
        assert window.rect().contains(rect_in_window(window.caption_bar, window)), where
        for view in lesson.views:
            dock = window.view_docks.docks[view.partition(":")[0]]
            assert dock.isVisible() and dock.height() >= 150, f"{where}: its view is {dock.height()} px high"
        assert_fits(window, where)
        # A view whose minimum is too wide makes the window outgrow the screen (it grew to 1462 px).
        assert (window.width(), window.height()) == size, f"{where}: the window grew to {window.size()}"
        if not window.controller.playing:
            window.training_panel.step_button.click()
        qtbot.waitUntil(lambda: has_gradients(window), timeout=10_000)
        assert_names_whole(window, where)
        if lesson.key == "LearningRate":   # the run diverges: its message bar must not push the plot down
            window.document.update(steps_per_second=None)
            window.training_panel.play_button.click()
            qtbot.waitUntil(lambda: window.controller.latest.snapshot.stop_reason is not None, timeout=10_000)
            qtbot.waitUntil(lambda: window.message_bar.isVisible())
            qtbot.wait(20)
            assert_fits(window, where + " diverged")


def test_the_toolbar_does_not_move_as_the_undo_text_grows(make_window, qtbot):
    window = make_window()
    window.resize(1366, 768)
    undo = action(window, "actionUndo")
    toolbar_button = [w for w in undo.associatedObjects() if isinstance(w, QWidget) and w.isVisible()]
    assert toolbar_button
    button = toolbar_button[0]
    before = (button.geometry(), window.training_panel.play_button.geometry())
    window.lessons.load(LESSONS[1])   # "Undo Lesson: Learning rate: too small, just right, too large"
    qtbot.waitUntil(lambda: window.controller.consistent() is not None, timeout=10_000)
    qtbot.wait(20)
    assert (button.geometry(), window.training_panel.play_button.geometry()) == before
    full = undo.text().replace("&&", "&")
    assert full in undo.toolTip() and full.startswith("Undo Lesson: Learning rate")
    assert undo.iconText().endswith("…") and len(undo.iconText()) < len(full)


def test_presentation_mode_fits_a_projector_in_every_lesson_and_is_remembered(language, make_window, qtbot):
    window = make_window()
    window.resize(1280, 720)
    normal_font = window.font().pointSizeF()
    point_size = window.data_plot._train_items[0].opts["size"]
    presentation = action(window, "actionPresentationMode")
    assert presentation.isCheckable() and not presentation.isChecked()
    presentation.trigger()
    assert presentation.isChecked() and window.font().pointSizeF() == pytest.approx(1.5 * normal_font)
    assert window.data_plot._train_items[0].opts["size"] == pytest.approx(1.5 * point_size)
    assert window.settings_dock.isHidden()
    status = window.status_label
    assert status.height() >= status.fontMetrics().height()   # one whole line of the larger text
    for lesson in LESSONS:
        window.lessons.load(lesson)
        qtbot.waitUntil(lambda: window.controller.consistent() is not None, timeout=10_000)
        qtbot.wait(20)
        assert_fits(window, f"presentation {language} {lesson.key}")
    close_window(window)

    remembered = make_window()
    assert action(remembered, "actionPresentationMode").isChecked() and remembered.settings_dock.isHidden()
    action(remembered, "actionPresentationMode").trigger()   # off: everything as it was
    assert remembered.font().pointSizeF() == pytest.approx(normal_font) and not remembered.settings_dock.isHidden()
    assert remembered.data_plot._train_items[0].opts["size"] == pytest.approx(point_size)


def test_data_between_zero_and_one_is_plotted_without_an_axis_scale_prefix(make_window, qtbot):
    """pyqtgraph's automatic SI prefix turned values all below 1 into "(x0.001)" beside the axis
    name and ticks multiplied by 1000; no plot of the window may do that."""
    window = make_window()
    points = window.document.points["regression"]
    small = type(points)(replace(points.data, X=points.data.X / 1000, y=points.data.y / 1000), points.test)
    window.document.replace_points("regression", small, source="line")
    for view in window.view_docks.docks:
        window.view_docks.show_only([view])
    qtbot.wait(100)
    labels = {f"{plot.objectName()} {side}": plot.getAxis(side).labelString()
              for plot in window.findChildren(pg.PlotWidget) for side in ("left", "bottom")}
    assert not [f"{where}: {label}" for where, label in labels.items() if "(x" in label]
