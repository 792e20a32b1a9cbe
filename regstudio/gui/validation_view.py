"""Validation curves: train and test error against the polynomial degree or against λ.

The core's :func:`~regstudio.core.sweeps.sweep` generator fits one model per value; here a
:class:`SweepThread` iterates it off the GUI thread, checks a cancel flag between items (the
generator hands back control at least every ``DEFAULT_CHUNK_SECONDS`` of descent, so a cancel takes
effect within a chunk or one exact solve), and sends copies of each point to the view through
queued signals, pausing after each item so the GUI thread gets the interpreter lock (see
``PAUSE_SECONDS``).  Every signal carries its run's number; the view drops those of a run it has
cancelled or replaced.

Thread lifetime: a QThread destroyed while it runs aborts the process, so running threads are also
held by the module (``_THREADS``, pruned once finished) rather than only by the view, and the view
stops and waits for its thread on ``shutdown()``, on close, when its C++ object is destroyed (a
parent deleting it) and when the application is about to quit.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
import PySide6  # noqa: F401  (pyqtgraph must pick PySide6, docs/architecture.md, pitfalls)
from PySide6.QtCore import QCoreApplication, Qt, QThread, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.document import VIEW_KEYS, Change
from ..core.errors import DataError, SettingsError
from ..core.sweeps import SweepPoint, SweepProgress, best, default_values, fit_settings, sweep
from .i18n import QT_TRANSLATE_NOOP, error_text
from .panels import named
from .readouts import number
from .style import plain_plot

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)

# Shown translated (context "ValidationView"): the chooser and axis label, the summary's name, the table's headers.
PARAMETER_LABELS = {"degree": QT_TRANSLATE_NOOP("ValidationView", "polynomial degree"),
                    "l2": QT_TRANSLATE_NOOP("ValidationView", "λ (L2 penalty)")}
PARAMETER_NAMES = {"degree": QT_TRANSLATE_NOOP("ValidationView", "degree"),
                   "l2": QT_TRANSLATE_NOOP("ValidationView", "λ")}
COLUMNS = (QT_TRANSLATE_NOOP("ValidationView", "value"), QT_TRANSLATE_NOOP("ValidationView", "train error"),
           QT_TRANSLATE_NOOP("ValidationView", "test error"), QT_TRANSLATE_NOOP("ValidationView", "steps"),
           QT_TRANSLATE_NOOP("ValidationView", "ms"))
TRAIN_COLOR = "#0072B2"
TEST_COLOR = "#D55E00"
BEST_COLOR = "#E69F00"
PROGRESS_UNITS = 100  # progress bar units per value: a long descent moves the bar within a fit
# Drawn errors are at least this: an interpolating fit's training error is 0, which a log axis
# cannot show (the table keeps the true number).
LOG_FLOOR = 1e-12

# The sweep holds the interpreter lock while it computes, and the GUI thread needs the lock for
# every slot and paint: without a pause it waited up to ~260 ms at a time (the GIL convoy that made
# training a process of its own).  Chunks of 10 ms with a 10 ms pause after each item kept a 10 ms
# timer's gaps at p99 20 ms (max 21–27 ms) on a cascade sweep, at about half the sweep's speed; an
# exact sweep is one item per value, so it pays ~10 ms a value.
CHUNK_SECONDS = 0.01
PAUSE_SECONDS = 0.01

_THREADS: set[QThread] = set()


class SweepThread(QThread):
    """Runs one sweep: ``pointReady(run, SweepPoint)`` per value, ``progressed(run, done, total)`` in
    progress-bar units, then exactly one ``done(run, outcome, message)`` with outcome "finished",
    "cancelled" or "failed"."""

    pointReady = Signal(int, object)
    progressed = Signal(int, int, int)
    done = Signal(int, str, str)

    def __init__(self, run_id: int, dataset, settings, parameter: str, values, test_mask):
        super().__init__()
        self.run_id = run_id
        self._args = (dataset, settings, parameter, tuple(values), test_mask)
        self._cancel = threading.Event()

    def __repr__(self) -> str:
        state = "running" if self.isRunning() else "finished" if self.isFinished() else "new"
        return f"SweepThread(run={self.run_id}, {self._args[2]}, {len(self._args[3])} values, {state})"

    def cancel(self) -> None:
        """Ask the sweep to stop at its next item; safe from any thread."""
        self._cancel.set()

    def stop(self) -> None:
        """Cancel and wait until the thread has finished (at most one chunk of steps)."""
        self._cancel.set()
        self.wait()

    def run(self) -> None:
        dataset, settings, parameter, values, test_mask = self._args
        total = len(values) * PROGRESS_UNITS
        items = sweep(dataset, settings, parameter, values, test_mask, chunk_seconds=CHUNK_SECONDS)
        outcome, message = "finished", ""
        fitted = 0
        try:
            for item in items:
                if self._cancel.is_set():
                    outcome = "cancelled"
                    break
                if isinstance(item, SweepPoint):
                    fitted += 1
                    self.pointReady.emit(self.run_id, replace(item))
                    self.progressed.emit(self.run_id, fitted * PROGRESS_UNITS, total)
                elif isinstance(item, SweepProgress):
                    within = int(PROGRESS_UNITS * item.step / max(item.max_steps, 1))
                    self.progressed.emit(self.run_id, item.index * PROGRESS_UNITS + within, total)
                time.sleep(PAUSE_SECONDS)
        except (SettingsError, DataError) as error:
            outcome, message = "failed", error_text(error)  # translated here: the signal carries a plain str
        except Exception as error:  # reported, not swallowed: the log fails the tests
            log.exception("validation sweep failed")
            outcome, message = "failed", f"{type(error).__name__}: {error}"
        finally:
            items.close()
        self.done.emit(self.run_id, outcome, message)


def _same_sweep(a, b, parameter: str, value: float) -> bool:
    """Whether sweeping ``parameter`` on source ``a`` fits the same models as on ``b`` (sources are
    (dataset, settings, test mask)): the same data, split and fit settings, whatever the value of
    the swept parameter itself (Apply sets it) or settings the fits do not use (the learning rate
    of an exact solve)."""
    (data_a, settings_a, mask_a), (data_b, settings_b, mask_b) = a, b
    # Edits make new arrays; hiding the group column makes a new Dataset around the same ones.
    same_data = data_a.X is data_b.X and data_a.y is data_b.y and data_a.groups is data_b.groups
    same_split = (mask_a is None) == (mask_b is None) and (mask_a is None or np.array_equal(mask_a, mask_b))
    return same_data and same_split and (
        fit_settings(settings_a, parameter, value) == fit_settings(settings_b, parameter, value))


class ValidationView(QWidget):
    """Validation curves for the problem set with :meth:`set_problem_source`.

    ``applyRequested(parameter, value)`` asks the window to train with that degree or λ: the
    selected table row's value, or the best (lowest test error) when no row is selected.  Results
    belong to the source they were fitted on: a source that would fit other models clears them
    (and stops a sweep in progress), so Apply never applies a value chosen for other data.
    """

    applyRequested = Signal(str, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._source = None
        self._swept = None  # the source of the results shown or being fitted
        self._thread: SweepThread | None = None
        self._run_id = 0
        self._parameter = "degree"
        self._values: tuple = ()
        self._points: list[SweepPoint] = []
        self._build()
        self._connect()
        self._show_idle()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else "idle"
        return f"ValidationView({self._parameter}, {len(self._points)} points, {state})"

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.parameter_combo = named(QComboBox(), "validationParameterCombo", self.tr("Parameter to sweep"))
        for parameter, label in PARAMETER_LABELS.items():
            self.parameter_combo.addItem(self.tr(label), parameter)
        self.run_button = named(QPushButton(self.tr("Run")), "validationRunButton", self.tr("Run the sweep"),
                                self.tr("Fit one model per value on the same train/test split"))
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "validationCancelButton",
                                   self.tr("Cancel the sweep"))
        self.apply_button = named(QPushButton(self.tr("Apply")), "validationApplyButton",
                                  self.tr("Apply the chosen value"),
                                  self.tr("Train with the selected row's value, or the best one"))
        self.progress = named(QProgressBar(), "validationProgress", self.tr("Sweep progress"))
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        # The controls and the table share a column beside the plot, so the plot has the dock's whole
        # height but the summary's line (under a row of controls it had 60 px in presentation mode at
        # 1280 × 720).
        choose = QHBoxLayout()
        choose.addWidget(QLabel(self.tr("sweep")))
        choose.addWidget(self.parameter_combo, 1)
        buttons = QHBoxLayout()
        for widget in (self.run_button, self.cancel_button, self.apply_button):
            buttons.addWidget(widget)
        side = QVBoxLayout()
        for row in (choose, buttons):
            side.addLayout(row)
        side.addWidget(self.progress)
        body = QHBoxLayout()
        self.plot = named(pg.PlotWidget(), "validationPlot", self.tr("Train and test error against the swept value"))
        # On a pale background: the legend sits over the curves in a view this small (a one-row
        # legend was wider than the plot at 1280 px and lost its first entry off the left edge).
        self.plot.addLegend(offset=(-10, 5), brush=pg.mkBrush(255, 255, 255, 210), pen=pg.mkPen("#c8c8c8"))
        self.plot.setLabel("left", self.tr("error (no λ term)"))
        plain_plot(self.plot)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        symbols = {"symbol": "o", "symbolSize": 6, "symbolPen": None, "connect": "finite"}
        self.train_curve = self.plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=2), symbolBrush=TRAIN_COLOR,
                                          name=self.tr("train"), **symbols)
        self.test_curve = self.plot.plot(pen=pg.mkPen(TEST_COLOR, width=2), symbolBrush=TEST_COLOR,
                                         name=self.tr("test"), **symbols)
        self.best_marker = self.plot.plot(pen=None, symbol="star", symbolSize=18, symbolBrush=BEST_COLOR,
                                          symbolPen=pg.mkPen("#000000", width=1), name=self.tr("lowest test error"))
        self.best_marker.setZValue(3)
        body.addWidget(self.plot, 3)
        self.table = named(QTableWidget(0, len(COLUMNS)), "validationTable", self.tr("Errors per value"))
        self.table.setHorizontalHeaderLabels([self.tr(column) for column in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # A short dock (presentation mode) may leave the table a row or two: the plot is what matters.
        self.table.setMinimumHeight(self.table.fontMetrics().height() * 2)
        side.addWidget(self.table, 1)
        body.addLayout(side, 2)
        layout.addLayout(body, 1)
        self.status = QLabel()
        self.status.setObjectName("validationStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # a failed sweep's reason names columns
        self.status.setWordWrap(True)
        layout.addWidget(self.status)   # the full width: one line

    def _connect(self) -> None:
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- API for the window ---------------------------------------------------------------------

    @property
    def points(self) -> list[SweepPoint]:
        """The current run's points so far, in the order of its values."""
        return list(self._points)

    @property
    def parameter(self) -> str:
        return self._parameter

    def set_problem_source(self, dataset, settings, test_mask=None) -> None:
        """What the next run sweeps: the data, the base settings and the window's test flags (N,) bool
        (None: the settings' seeded split); ``dataset`` None: nothing to sweep.  Results fitted on a
        source that fits other models go, and so does a run in progress on one."""
        mask = None if test_mask is None else np.array(test_mask, dtype=bool)
        self._source = None if dataset is None else (dataset, settings, mask)
        if self._swept is None or (self._source is not None and _same_sweep(
                self._swept, self._source, self._parameter, self._values[0])):
            self._show_idle()
            return
        self._stop_thread()
        self._clear_results()
        self.status.setText(self.tr("The data or the model changed since the sweep: run it again.")
                            if self._source is not None else self.tr("No data to sweep."))
        self._update_buttons()

    def start(self, parameter: str) -> None:
        """A lesson's "validation:degree" or "validation:l2": sweep that parameter."""
        self.run(parameter)

    def run(self, parameter: str | None = None, values=None) -> None:
        """Sweep ``parameter`` ("degree" or "l2"; default: the chooser's) over ``values`` (default:
        degrees 1–10 or λ 1e-6…1e2), replacing any run in progress."""
        if parameter is not None:
            self.parameter_combo.setCurrentIndex(self.parameter_combo.findData(parameter))
        if self._source is None:
            return
        self._stop_thread()
        self._parameter = self.parameter_combo.currentData()
        self._values = tuple(default_values(self._parameter) if values is None else values)
        self._clear_results()
        self._run_id += 1
        self.progress.setRange(0, len(self._values) * PROGRESS_UNITS)
        self._configure_axes()
        self._swept = self._source
        dataset, settings, mask = self._source
        thread = SweepThread(self._run_id, dataset, settings, self._parameter, self._values, mask)
        thread.pointReady.connect(self._on_thread_point_ready)
        thread.progressed.connect(self._on_thread_progressed)
        thread.done.connect(self._on_thread_done)
        # If a parent deletes this widget mid-run, its destruction must first stop the thread.
        self.destroyed.connect(thread.stop)
        _THREADS.difference_update([t for t in _THREADS if t.isFinished()])
        _THREADS.add(thread)
        self._thread = thread
        self.status.setText(self.tr("Fitting {n} models…").format(n=len(self._values)))
        self._update_buttons()
        thread.start()

    def cancel(self) -> None:
        """Stop the run at its next item (within one chunk of steps); returns at once."""
        if self._thread is not None:
            self._thread.cancel()
            self.status.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)

    def shutdown(self) -> None:
        """Cancel and wait for the sweep thread (close, teardown): no thread outlives the view."""
        self._stop_thread()
        self._update_buttons()

    def is_running(self) -> bool:
        return self._thread is not None

    def best_point(self) -> SweepPoint | None:
        return best(self._points)

    def chosen_value(self) -> float | None:
        """The selected row's value, else the best point's, else None."""
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self._points):
            return self._points[rows[0].row()].value
        point = self.best_point()
        return None if point is None else point.value

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # --- worker signals (queued to this thread) -------------------------------------------------

    def _on_thread_point_ready(self, run_id: int, point: SweepPoint) -> None:
        if run_id != self._run_id:
            return
        self._points.append(point)
        self._append_row(point)
        self._draw()
        self._update_buttons()

    def _on_thread_progressed(self, run_id: int, done: int, total: int) -> None:
        if run_id == self._run_id:
            self.progress.setValue(min(done, total))

    def _on_thread_done(self, run_id: int, outcome: str, message: str) -> None:
        if run_id != self._run_id or self._thread is None:
            return
        self._finish_thread()
        if outcome == "finished":
            self.progress.setValue(self.progress.maximum())
        self.status.setText(self._summary(outcome, message))
        self._update_buttons()

    # --- controls -------------------------------------------------------------------------------

    def _on_run_button_clicked(self) -> None:
        self.run()

    def _on_cancel_button_clicked(self) -> None:
        self.cancel()

    def _on_apply_button_clicked(self) -> None:
        value = self.chosen_value()
        if value is not None:
            self.applyRequested.emit(self._parameter, float(value))

    def _on_table_selection_changed(self) -> None:
        self._update_buttons()

    # --- internals ------------------------------------------------------------------------------

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._thread.stop()
            self._finish_thread()
            self._run_id += 1  # signals of the stopped run still queued are dropped
            self.status.setText(self._summary("cancelled", ""))

    def _finish_thread(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.wait()  # it has emitted its last signal; wait for run() to return
        self.destroyed.disconnect(thread.stop)
        _THREADS.discard(thread)

    def _clear_results(self) -> None:
        self._swept = None
        self._points = []
        self.table.setRowCount(0)
        self.progress.setValue(0)
        self._draw()

    def _show_idle(self) -> None:
        if not self.is_running() and not self._points:
            self.status.setText(self.tr("Run to fit one model per value.") if self._source
                                else self.tr("No data to sweep."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.is_running()
        self.run_button.setEnabled(self._source is not None)
        self.cancel_button.setEnabled(running)
        self.apply_button.setEnabled(self.chosen_value() is not None)

    def _configure_axes(self) -> None:
        self.plot.setLogMode(x=self._parameter == "l2", y=True)
        self.plot.setLabel("bottom", self.tr(PARAMETER_LABELS[self._parameter]))

    def _draw(self) -> None:
        values = np.array([p.value for p in self._points], dtype=np.float64)
        train = np.array([p.train_error for p in self._points], dtype=np.float64)
        self.train_curve.setData(values, np.maximum(train, LOG_FLOOR))
        # Only points with a test error (none without test rows): a curve of NaNs only made
        # pyqtgraph's bounds warn "All-NaN slice encountered" on every paint.
        tested = [p for p in self._points if p.test_error is not None]
        self.test_curve.setData(np.array([p.value for p in tested], dtype=np.float64),
                                np.maximum(np.array([p.test_error for p in tested], dtype=np.float64), LOG_FLOOR))
        point = self.best_point()
        if point is None or point.test_error is None:  # best() only picks points with a test error
            self.best_marker.setData([], [])
        else:
            self.best_marker.setData([point.value], [max(point.test_error, LOG_FLOOR)])
        self._mark_best_row(point)

    def _append_row(self, point: SweepPoint) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        cells = (point.value, point.train_error, point.test_error, point.steps, point.seconds * 1e3)
        for column, value in enumerate(cells):
            item = QTableWidgetItem("—" if value is None else number(value, 4 if column == 4 else 6))
            if value is None:
                item.setToolTip(self.tr("No test points: Data → Test fraction is 0"))
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def _mark_best_row(self, point: SweepPoint | None) -> None:
        for row, candidate in enumerate(self._points):
            font = QFont()
            font.setBold(candidate is point)
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setFont(font)

    def _summary(self, outcome: str, message: str) -> str:
        if outcome == "failed":
            return self.tr("The sweep failed: {message}").format(message=message)
        point = self.best_point()
        cancelled = outcome == "cancelled"
        if point is None and cancelled:
            template = self.tr("Cancelled after {done} of {total} values")
        elif point is None and self._points:
            # no test rows: the test column stays empty, and this says why
            template = self.tr("Fitted {done} of {total} values; no test error to choose by: there are no test "
                               "points (set Data → Test fraction above 0)")
        elif point is None:
            template = self.tr("Fitted {done} of {total} values")
        elif cancelled:
            template = self.tr("Cancelled after {done} of {total} values; "
                               "lowest test error {error} at {name} = {value}")
        else:
            template = self.tr("Fitted {done} of {total} values; lowest test error {error} at {name} = {value}")
        fields = {} if point is None or point.test_error is None else {
            "error": number(point.test_error, 4), "value": number(point.value, 4),
            "name": self.tr(PARAMETER_NAMES[self._parameter])}
        return template.format(done=len(self._points), total=len(self._values), **fields)


def docked(window: MainWindow) -> ValidationView:
    """The validation curves in their dock: they sweep the window's points and settings (following
    each change of them), and Apply writes the chosen value into the document."""
    view = ValidationView()
    document = window.document

    def set_source() -> None:
        spec = document.problem_spec()
        if spec is None:
            view.set_problem_source(None, None)
        else:
            view.set_problem_source(spec.dataset, spec.settings, spec.test_mask)

    def on_document_changed(change: Change) -> None:
        if change.config - VIEW_KEYS or change.tasks or change.restored:
            set_source()

    def on_apply_requested(parameter: str, value: float) -> None:
        # A fresh comparison: the run so far is pinned (labelled by the value it had), and the chosen
        # value trains from the start.  Continuing from the old parameters drew a spike where J took
        # on the new λ, and left nothing to compare with.
        name = view.tr(PARAMETER_NAMES[parameter])
        pinned = window.pins.pin()
        with document.transaction(view.tr("Apply {parameter}").format(parameter=name)):
            if parameter == "degree":
                model = "polynomial" if document.config.model == "linear" else document.config.model
                document.update(model=model, degree=int(round(value)))
            else:
                document.update(l2=float(value))
        if parameter != "degree":   # a new degree starts a new run by itself
            window.presenter.restart()
        if pinned:
            window.presenter.set_note(view.tr(
                "The run so far is pinned on the loss plot (dashed); the chosen {parameter} trains from the "
                "start, so the two curves compare.").format(parameter=name))

    window.events.changed.connect(on_document_changed)
    view.applyRequested.connect(on_apply_requested)
    set_source()
    return view
