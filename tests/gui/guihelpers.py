"""Helpers for driving the window through its object names (docs/architecture.md), the mouse and the keyboard.

conftest.py (and pytest-qt with qt_api = pyside6) import PySide6, and conftest.py imports regstudio.gui
(which imports pyqtgraph as the application does), before this module imports pyqtgraph.

Mouse gestures on the data plot are real Qt mouse events sent to the plot's viewport (QTest for
clicks, QMouseEvent press/move/release for drags), so they go through QGraphicsView, pyqtgraph's
GraphicsScene click/drag detection and the window's ViewBox handlers, as a user's mouse does.
"""

from __future__ import annotations

import re
import time

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6 import QtGui
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QMouseEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QPushButton,
    QSlider,
    QTableView,
)

from regstudio.core.modelfile import original_units

WAIT = 10_000  # ms: generous ceiling for waits that normally end in well under a second


def forget_changes(window) -> None:
    """Mark the window unmodified, so closing it asks no question (it deletes itself once closed)."""
    if not shiboken6.isValid(window):
        return
    window.document.mark_saved(None)


def last_snapshot(window):
    """The snapshot of the window's newest consistent (problem, frame) pair, or None."""
    pair = window.controller.consistent()
    return None if pair is None else pair[1].snapshot


def training_thread(window):
    """The window's training thread (None once the window closed)."""
    return window.controller._thread


def shown(qtbot, widget, width: int, height: int):
    """``widget`` at ``width`` × ``height``, shown and exposed, and closed with the test."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def child(window, cls, name):
    found = window.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r}"
    return found


def action(window, name) -> QAction:
    return child(window, QAction, name)


def button(window, name) -> QPushButton:
    return child(window, QPushButton, name)


def combo(window, name) -> QComboBox:
    return child(window, QComboBox, name)


def spin(window, name) -> QAbstractSpinBox:
    return child(window, QAbstractSpinBox, name)


def data_plot(window) -> pg.PlotWidget:
    return child(window, pg.PlotWidget, "dataPlot")


def loss_plot(window) -> pg.PlotWidget:
    return child(window, pg.PlotWidget, "lossPlot")


def status_text(window) -> str:
    return child(window, QLabel, "statusLabel").text()


def message_label(window) -> QLabel:
    return child(window, QLabel, "messageLabel")


def displayed(text: str, text_format=Qt.TextFormat.AutoText) -> str:
    """What Qt shows for ``text`` in a label, message box or tooltip of ``text_format``: auto-detected
    rich text (Qt.mightBeRichText, as Qt itself decides) is rendered and read back as plain text."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_shows(label: QLabel) -> str:
    """The text ``label`` shows, as its text format has Qt read it."""
    return displayed(label.text(), label.textFormat())


def shown_step(window) -> int | None:
    """The step number the status bar shows (None before the first frame)."""
    match = re.match(r"step ([\d,]+)", status_text(window))
    return int(match.group(1).replace(",", "")) if match else None


def choose(window, name: str, key) -> None:
    """Select the combo item whose data is ``key`` (as a user picking it from the list)."""
    box = combo(window, name)
    index = box.findData(key)
    assert index >= 0, f"{name} has no item {key!r}: {[box.itemData(i) for i in range(box.count())]}"
    box.setCurrentIndex(index)


def full_speed(window) -> None:
    slider = child(window, QSlider, "speedSlider")
    slider.setValue(slider.maximum())


def drawn_curves(plot) -> list:
    """The data plot's fitted curves that draw a line (more than two points), in drawing order."""
    return [item for item in plot._curves if item.getData()[0] is not None and len(item.getData()[0]) > 2]


def loss_curve(window) -> tuple[np.ndarray, np.ndarray]:
    """The train-loss curve as drawn in ``lossPlot``, in the axes' coordinates (log10 where logarithmic)."""
    xs, ys = loss_plot(window)._train_curve.getData()
    return (np.empty(0), np.empty(0)) if xs is None else (np.asarray(xs), np.asarray(ys))


def loss_history(window) -> tuple[np.ndarray, np.ndarray]:
    """Every recorded (step, train loss) of the run (short runs are stored exactly)."""
    steps, values = window.document.history.train.thinned(10**9)
    return np.asarray(steps), np.asarray(values)


def table_cells(window) -> list[list[str]]:
    """The parameters table's text, row by row, as its view shows it."""
    model = child(window, QTableView, "paramsTable").model()
    return [[model.index(i, j).data() for j in range(model.columnCount())] for i in range(model.rowCount())]


def table_values(window) -> dict[str, float]:
    """The parameters table as {name: value} (rows with a value only)."""
    return {row[0]: float(row[1]) for row in table_cells(window) if row[1].strip()}


# --- the canvas ---------------------------------------------------------------------------------------

def to_viewport(window, x: float, y: float) -> QPoint:
    """Viewport pixel of data coordinates (x, y) on the data plot."""
    plot = data_plot(window)
    vb = plot.plotItem.vb
    scene_pt = vb.mapViewToScene(QPointF(x, y))
    return plot.mapFromScene(scene_pt)


def pixel_size(window) -> tuple[float, float]:
    """Data units per screen pixel along x and y."""
    sx, sy = data_plot(window).plotItem.vb.viewPixelSize()
    return float(sx), float(sy)


def settle_layout(qtbot, window, timeout: int = 2000) -> None:
    """Wait until the data plot's view box keeps its place and size (the axes take their width from
    their tick labels after a paint, which shifts the data-to-pixel mapping once after show)."""
    vb = data_plot(window).plotItem.vb
    deadline = time.perf_counter() + timeout / 1000
    previous = None
    while True:
        current = (vb.sceneBoundingRect(), tuple(map(tuple, vb.viewRange())))
        if current == previous:
            return
        assert time.perf_counter() < deadline, "the data plot's layout did not settle"
        previous = current
        qtbot.wait(20)


def click(qtbot, window, x: float, y: float, button=Qt.MouseButton.LeftButton,
          modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A mouse click at data coordinates (x, y)."""
    settle_layout(qtbot, window)
    plot = data_plot(window)
    qtbot.mouseClick(plot.viewport(), button, modifier, to_viewport(window, x, y))
    # The next click must not be read as the second half of a double click.
    qtbot.wait(1)


def _send(widget, kind, pos: QPoint, button, buttons) -> None:
    local = QPointF(pos)
    event = QMouseEvent(kind, local, QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(qtbot, window, start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> None:
    """Press the left button at ``start``, move in ``steps`` to ``end`` and release (data coordinates)."""
    settle_layout(qtbot, window)
    viewport = data_plot(window).viewport()
    p0, p1 = to_viewport(window, *start), to_viewport(window, *end)
    left = Qt.MouseButton.LeftButton
    _send(viewport, QEvent.Type.MouseButtonPress, p0, left, left)
    qtbot.wait(5)
    for k in range(1, steps + 1):
        p = QPoint(round(p0.x() + (p1.x() - p0.x()) * k / steps), round(p0.y() + (p1.y() - p0.y()) * k / steps))
        _send(viewport, QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, left)
        qtbot.wait(5)
    _send(viewport, QEvent.Type.MouseButtonRelease, p1, left, Qt.MouseButton.NoButton)
    qtbot.wait(5)


# --- training -----------------------------------------------------------------------------------------

def wait_step(qtbot, window, step: int, timeout: int = WAIT) -> None:
    """Wait until the status shows ``step`` and the training thread has answered every command sent."""
    qtbot.waitUntil(lambda: shown_step(window) == step and window.controller.settled, timeout=timeout)


def take_steps(qtbot, window, count: int) -> None:
    """Press Step ``count`` times, each once the previous one shows, counting from the step shown
    now; then wait until the run has settled."""
    start = shown_step(window) or 0
    for k in range(1, count + 1):
        button(window, "stepButton").click()
        wait_step(qtbot, window, start + k)
    wait_settled(qtbot, window)


def round_trip(qtbot, window, timeout: int = WAIT) -> None:
    """Ask the training thread of a paused (or stopped) run a question that changes nothing, and wait
    for its answer: a Pause, answered with a frame.  Whatever the runner did before it read the Pause
    (a step still queued, a frame not taken yet) has then reached the window, and its loop has gone
    round once more: a run that wrongly went on training shows it in that frame.  This replaces
    "nothing changed after a fixed wait" with "nothing changed by the time the runner answered"."""
    controller = window.controller
    assert not controller.playing, "round_trip is for a paused run: a Pause would change a playing one"
    controller.play(False)
    qtbot.waitUntil(lambda: controller.settled, timeout=timeout)


_SENTINEL = QEvent.Type(QEvent.registerEventType())


class _Sentinel(QObject):
    def __init__(self):
        super().__init__()
        self.delivered = False

    def event(self, event) -> bool:
        if event.type() == _SENTINEL:
            self.delivered = True
            return True
        return super().event(event)


def drain_events(qtbot, timeout: int = WAIT) -> None:
    """Wait until every event posted to the GUI thread so far has been delivered: queued signals of a
    thread that has finished included (posted events of one priority arrive in the order posted, so
    once a sentinel posted now arrives, everything posted before it has)."""
    sentinel = _Sentinel()
    QCoreApplication.postEvent(sentinel, QEvent(_SENTINEL))
    qtbot.waitUntil(lambda: sentinel.delivered, timeout=timeout)


def wait_settled(qtbot, window, timeout: int = WAIT) -> None:
    """Wait until a paused run's final frame arrived: the window's last snapshot is the shown step
    and the step count holds still for 150 ms."""
    deadline = time.perf_counter() + timeout / 1000
    while True:
        step = shown_step(window)
        qtbot.wait(150)
        snapshot = last_snapshot(window)
        if (step is not None and step == shown_step(window) and snapshot is not None
                and snapshot.step == step and snapshot.metrics is not None and window.controller.settled):
            return
        assert time.perf_counter() < deadline, f"run did not settle: {status_text(window)!r}"


def pause(qtbot, window) -> None:
    play = button(window, "playButton")
    if play.isChecked():
        play.click()
    assert not play.isChecked()
    wait_settled(qtbot, window)


def train_to(qtbot, window, step: int) -> None:
    """Play at full speed until the status shows at least ``step`` steps, then pause."""
    full_speed(window)
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: (shown_step(window) or 0) >= step, timeout=WAIT)
    pause(qtbot, window)


def theta(window) -> np.ndarray:
    """The window's current parameters (its last snapshot, which export and save use), packed."""
    return window.controller.problem.model.pack(last_snapshot(window).params)


def fitted_line(window) -> tuple[float, float]:
    """(slope, intercept) of a one-input linear model in the inputs' original units."""
    units = original_units(window.controller.problem, theta(window))
    (slope,) = units["coefficients"].values()
    return slope, units["intercept"]


def predict(window, X: np.ndarray) -> np.ndarray:
    """The window's model applied to raw inputs X (N, d): ŷ, or class probabilities (N, K)."""
    problem = window.controller.problem
    Xt = np.ascontiguousarray(problem.pipeline.transform(np.asarray(X, dtype=np.float64)).T)
    return problem.model.predict(theta(window), Xt)
