"""File → Export animation… and ``regstudio animate``: a run rendered frame by frame, offscreen.

:class:`FrameRenderer` draws one step of a run into an image with the window's own plot widgets (the
data plot with its fit or boundary; the loss plot and the landscape beside it when asked; the step
and J in the data plot's top-right corner) in a widget that is never shown, so the window is not
disturbed.  :class:`AnimationExport` renders on the GUI thread (Qt's widgets live there), a few
frames per turn of the event loop, while a plain Python thread encodes them
(``core/animation.py``'s writers, which touch no Qt object): on two cores the two overlap.
:class:`AnimationDialog` asks for the options; :class:`AnimationActions` is the menu command.
"""

from __future__ import annotations

import math
import os
import queue
import threading
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QMessageBox, QProgressDialog, QSpinBox,
                               QVBoxLayout, QWidget)

from ..core.animation import (DEFAULT_SIZE, FPS_RANGE, SECONDS_RANGE, SIZE_RANGE, AnimationOptions,
                              AnimationSource, AnimationWriter, animation_format, frame_steps, open_writer,
                              option_problem, video_problem)
from ..core.data import class_order
from ..core.errors import RegstudioError
from ..core.landscape import (LandscapeRequest, compute_landscape, covering_range, default_pair, exact_optimum,
                              parameter_labels)
from ..core.training import Problem
from ..core.views import Viewport, plot_geometry
from .data_plot import HIDDEN_COLORS, REFERENCE_COLOR, RESIDUAL_COLOR, SHARED_LINE_COLOR, DataPlot
from .i18n import error_text, localized
from .landscape_plot import OPTIMUM_COLOR, PATH_COLOR, LandscapePlot
from .safe_text import rich_plain
from .style import CLASS_COLORS, FIT_COLOR, class_colors, color_index, plain_plot
from .window_settings import last_folder, remember_folder

LOSS_POINTS = 800          # the loss curve drawn, at most (thinned by min and max, as the window's)
SIDE_SHARE = 0.4           # of the frame's width for the loss plot and the landscape, when shown
QUEUED_FRAMES = 3          # rendered frames waiting for the encoder: memory stays a few frames
TURN_SECONDS = 0.03        # rendering per turn of the window's event loop, at most about this
LOSS_COLOR = "#0072B2"
# Every colour a line, a point or the text is drawn in, kept exactly in a GIF's palette.
PLOT_COLOURS = ("#FFFFFF", "#000000", "#222222", "#BBBBBB", LOSS_COLOR, FIT_COLOR, REFERENCE_COLOR, RESIDUAL_COLOR,
                SHARED_LINE_COLOR, PATH_COLOR, OPTIMUM_COLOR, *CLASS_COLORS, *HIDDEN_COLORS)


class FrameRenderer:
    """Draws steps of ``source``'s run as RGB arrays (height, width, 3) uint8 of ``options.size``.

    Made and used on the GUI thread; :meth:`close` drops its widgets."""

    def __init__(self, source: AnimationSource, options: AnimationOptions):
        self.source, self.options = source, options
        width, height = options.size
        self.canvas = QWidget()
        self.canvas.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.canvas.setStyleSheet("background: white;")
        layout = QHBoxLayout(self.canvas)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.data_plot = DataPlot()
        self.data_plot.setObjectName("animationDataPlot")
        layout.addWidget(self.data_plot, 1)
        self._points()
        self.loss_plot: pg.PlotWidget | None = None
        self.landscape_plot: LandscapePlot | None = None
        side = QVBoxLayout()
        side.setSpacing(0)
        if options.loss:
            self.loss_plot = self._make_loss_plot()
            side.addWidget(self.loss_plot, 1)
        if options.landscape:
            self.landscape_plot = LandscapePlot(color_bar=False)
            self.landscape_plot.setObjectName("animationLandscapePlot")
            side.addWidget(self.landscape_plot, 1)
            self._prepare_landscape()
        if options.loss or options.landscape:
            side_width = round(width * SIDE_SHARE)
            self.data_plot.setFixedWidth(width - side_width)
            layout.addLayout(side)
        self.canvas.resize(width, height)
        self._font = QFont(self.canvas.font())
        self._font.setPixelSize(max(12, round(height / 32)))

    # --- set-up -----------------------------------------------------------------------------------

    def _points(self) -> None:
        source, plot = self.source, self.data_plot
        points, task, axes = source.points, source.task, source.axes
        data = points.data
        classes = class_order(data.y) if task == "classification" and len(points) else ()
        plot.show_points(points, task, axes, lambda label: color_index(label, classes),
                         class_order(data.groups) if source.grouped and len(points) else None)
        plot.fit_view(points, task, axes)
        names = data.x_names
        plot.set_axis_names(names[axes[0]], data.y_name if task == "regression" else names[axes[1]])
        (x0, x1), (y0, y1) = plot.view_ranges()
        self._viewport = Viewport((x0, x1), (y0, y1), axes)

    def _log_steps(self) -> bool:
        return self.source.log_steps or self.options.sampling == "log"

    def _make_loss_plot(self) -> pg.PlotWidget:
        source, options = self.source, self.options
        plot = pg.PlotWidget()
        plot.setObjectName("animationLossPlot")
        plain_plot(plot)
        plot.hideButtons()
        plot.setLabel("left", QCoreApplication.translate("Animation", "loss J"))
        log_steps = self._log_steps()
        plot.setLabel("bottom", QCoreApplication.translate("Animation", "step + 1 (log scale)") if log_steps
                      else QCoreApplication.translate("Animation", "step"))
        plot.setLogMode(x=log_steps, y=source.log_loss)
        steps, values = source.history.thinned(LOSS_POINTS, log_steps=log_steps,
                                               step_range=(options.first, options.last))
        keep = (steps >= options.first) & (steps <= options.last) & np.isfinite(values)
        if source.log_loss:
            keep &= values > 0
        self._loss_steps, self._loss_values = steps[keep].astype(np.float64), values[keep]
        self._loss_curve = plot.plot(pen=pg.mkPen(LOSS_COLOR, width=2), connect="finite")
        self._loss_tip = pg.ScatterPlotItem(size=9, brush=LOSS_COLOR, pen=None)
        plot.addItem(self._loss_tip)
        # Fixed axes over the whole range: the curve grows into them frame by frame.
        xs = np.array([options.first, options.last], dtype=np.float64) + (1.0 if log_steps else 0.0)
        plot.setXRange(*(np.log10(xs) if log_steps else xs), padding=0.02)
        ys = self._loss_values
        if len(ys):
            low, high = (np.log10(ys.min()), np.log10(ys.max())) if source.log_loss else (ys.min(), ys.max())
            span = max(high - low, 1e-12 * max(1.0, abs(high)))
            plot.setYRange(low - 0.05 * span, high + 0.05 * span, padding=0)
        plot.getPlotItem().getViewBox().setMouseEnabled(False, False)
        return plot

    def _prepare_landscape(self) -> None:
        """The landscape's pair and fixed ranges, holding the whole path of the frames and θ*."""
        source, options = self.source, self.options
        assert self.landscape_plot is not None
        problem = self._problem_at(options.last)
        pair = source.landscape_pair
        if pair is None or max(pair) >= problem.model.n_params:
            pair = default_pair(problem)
        self._pair = pair
        self._optimum = exact_optimum(problem)
        path = source.timeline.path(pair, options.last)
        steps = source.timeline.steps()
        path = path[steps[:len(path)] >= options.first]
        columns = [path[:, 0].tolist(), path[:, 1].tolist()]
        if self._optimum is not None:
            columns[0].append(float(self._optimum[pair[0]]))
            columns[1].append(float(self._optimum[pair[1]]))
        self._landscape_ranges = (covering_range(columns[0], 0.15), covering_range(columns[1], 0.15))
        labels = [localized(label) for label in parameter_labels(problem)]
        self.landscape_plot.set_parameter_labels(labels)
        if self._optimum is not None:
            self.landscape_plot.set_optimum((float(self._optimum[pair[0]]), float(self._optimum[pair[1]])))

    def _problem_at(self, step: int) -> Problem:
        problem, _known = self.source.timeline.problem_at(step)
        assert isinstance(problem, Problem)   # a run's timeline knows the problem of its first step on
        return problem

    # --- frames -----------------------------------------------------------------------------------

    def render(self, step: int) -> np.ndarray:
        """The run at ``step`` (the kept step nearest it) as an RGB array."""
        timeline = self.source.timeline
        kept = timeline.nearest(step)
        assert kept is not None   # a run's timeline keeps at least its first and newest steps
        problem = self._problem_at(kept.step)
        theta = kept.theta
        geometry = plot_geometry(problem, theta, self._viewport)
        colors = class_colors(problem.classes) if problem.classes is not None else None
        self.data_plot.show_geometry(geometry, colors, problem.classes)
        with np.errstate(all="ignore"):
            loss = float(problem.model.objective(theta, problem.Xt_train, problem.y_train, problem.l2))
        if self.loss_plot is not None:
            self._draw_loss(kept.step, loss)
        if self.landscape_plot is not None:
            self._draw_landscape(problem, kept.step, theta)
        width, height = self.options.size
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            self.canvas.render(painter, QPoint())
            self._corner_text(painter, kept.step, loss)
        finally:
            painter.end()
        pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine() // 4, 4)
        return np.ascontiguousarray(pixels[:, :width, 2::-1])   # BGRA in memory → RGB

    def _draw_loss(self, step: int, loss: float) -> None:
        shown = self._loss_steps <= step
        xs = np.append(self._loss_steps[shown], step)
        ys = np.append(self._loss_values[shown], loss)
        if not math.isfinite(loss) or (self.source.log_loss and loss <= 0):
            xs, ys = xs[:-1], ys[:-1]
        if self._log_steps():
            xs = xs + 1.0
        self._loss_curve.setData(xs, ys)
        # A scatter item is not put on the log axes by the plot (a PlotDataItem is): log10 by hand.
        tx = np.log10(xs[-1:]) if self._log_steps() else xs[-1:]
        ty = np.log10(ys[-1:]) if self.source.log_loss else ys[-1:]
        self._loss_tip.setData(tx, ty)

    def _draw_landscape(self, problem, step: int, theta: np.ndarray) -> None:
        assert self.landscape_plot is not None
        i, j = self._pair
        request = LandscapeRequest(i, j, *self._landscape_ranges)
        self.landscape_plot.show_landscape(compute_landscape(problem, theta, request))
        path = self.source.timeline.path((i, j), step)
        steps = self.source.timeline.steps()[:len(path)]
        path = path[steps >= self.options.first]
        self.landscape_plot.set_path(path[:, 0], path[:, 1])
        self.landscape_plot.set_current(float(theta[i]), float(theta[j]))

    def _corner_text(self, painter: QPainter, step: int, loss: float) -> None:
        """The step and J in the data plot's top-right corner, on a white card."""
        lines = [QCoreApplication.translate("Animation", "step {step:,}").format(step=step),
                 QCoreApplication.translate("Animation", "J = {loss:.4g}").format(loss=loss)]
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        pad = metrics.height() / 3
        text_width = max(metrics.horizontalAdvance(line) for line in lines)
        box = QRectF(0, 0, text_width + 2 * pad, len(lines) * metrics.height() + 2 * pad)
        right = self.data_plot.geometry().right() - 2 * pad
        box.moveTopRight(QPointF(right, 2 * pad))
        painter.setPen(QColor("#BBBBBB"))
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRoundedRect(box, pad, pad)
        painter.setPen(QColor("#222222"))
        for k, line in enumerate(lines):
            painter.drawText(QRectF(box.left() + pad, box.top() + pad + k * metrics.height(), text_width,
                                    metrics.height()), Qt.AlignmentFlag.AlignRight, line)

    def close(self) -> None:
        self.canvas.hide()
        self.canvas.deleteLater()


class AnimationExport(QObject):
    """One export: renders ``options.frame_count`` frames of ``source`` and writes them to ``path``.

    :meth:`start` works through the window's event loop (``progressed(frames written)``, then
    ``finished(error text, "" when written)``; :meth:`cancel` stops it and leaves no file);
    :meth:`run` does the same work blocking (the command line)."""

    progressed = Signal(int)
    finished = Signal(str)

    def __init__(self, source: AnimationSource, options: AnimationOptions, path: str, parent=None):
        super().__init__(parent)
        self.source, self.options, self.path = source, options, path
        self.steps = frame_steps(options.first, options.last, options.frame_count, options.sampling)
        self.cancelled = False
        self.done = False
        self._renderer: FrameRenderer | None = None
        self._writer: AnimationWriter | None = None
        self._next = 0
        self._last_frame: np.ndarray | None = None
        self._queue: queue.Queue = queue.Queue(QUEUED_FRAMES)
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._stop = threading.Event()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def written(self) -> int:
        return 0 if self._writer is None else self._writer.written

    # --- the window's way: a few frames per turn of the event loop --------------------------------

    def start(self) -> None:
        self._timer.start(0)

    def cancel(self) -> None:
        """Stop, remove what was written, and say so with ``finished``."""
        if self.done:
            return
        if self._next > len(self.steps) and self._thread is not None and not self._thread.is_alive() \
                and self._failure is None:
            self._end(None)   # the file was finished and put in place just before Cancel
            return
        self.cancelled = True
        self._end(QCoreApplication.translate("Animation", "Cancelled: no file was written."))

    def _on_timer_timeout(self) -> None:
        try:
            if self._thread is None:
                self._open()
            assert self._thread is not None
            started = time.perf_counter()
            while self._next < len(self.steps) and not self._queue.full() \
                    and time.perf_counter() - started < TURN_SECONDS:
                self._queue.put_nowait(self._render_next())
            if self._next == len(self.steps) and not self._queue.full():
                self._queue.put_nowait(None)   # the encoder finishes the file when it gets here
                self._next += 1
            finished = self._next > len(self.steps) and not self._thread.is_alive()
            if self._failure is not None:
                raise self._failure
            if finished:
                self._end(None)
                return
        except Exception as exc:
            self._end(error_text(exc) if isinstance(exc, RegstudioError) else str(exc) or type(exc).__name__)
            return
        self.progressed.emit(self.written)
        self._timer.start(0 if not self._queue.full() else 5)

    # --- the command line's way -------------------------------------------------------------------

    def run(self, progress=None) -> None:
        """Render and write every frame before returning; ``progress(frames written)`` now and then.
        An error (or Ctrl+C) leaves no file."""
        try:
            self._open()
            while self._next < len(self.steps):
                self._put(self._render_next())
                if progress is not None:
                    progress(self.written)
            self._put(None)
            assert self._thread is not None
            self._thread.join()
            if self._failure is not None:
                raise self._failure
        except BaseException:
            self._halt()
            raise
        finally:
            self._close_renderer()
        self.done = True

    def _put(self, frame: np.ndarray | None) -> None:
        """Queue ``frame`` for the encoder, waiting while the queue is full, unless the encoder failed."""
        while True:
            if self._failure is not None:
                raise self._failure
            try:
                self._queue.put(frame, timeout=0.1)
                return
            except queue.Full:
                continue

    # --- both -------------------------------------------------------------------------------------

    def _open(self) -> None:
        animation_format(self.path)   # an unknown extension fails before any drawing
        self._renderer = FrameRenderer(self.source, self.options)
        first = self._renderer.render(int(self.steps[0]))
        self._last_frame = self._renderer.render(int(self.steps[-1])) if len(self.steps) > 1 else first
        colours = [pg.mkColor(colour).getRgb()[:3] for colour in dict.fromkeys(PLOT_COLOURS)]
        self._queue.put_nowait(first)
        self._next = 1
        # The writer is made on the encoder's thread too: a GIF's palette lookup takes half a second.
        self._thread = threading.Thread(target=self._encode, args=([first, self._last_frame], colours),
                                        name="animation encoder", daemon=True)
        self._thread.start()

    def _render_next(self) -> np.ndarray:
        assert self._renderer is not None
        index = self._next
        self._next += 1
        if index == len(self.steps) - 1 and self._last_frame is not None:
            return self._last_frame
        return self._renderer.render(int(self.steps[index]))

    def _encode(self, first_frames: list[np.ndarray], colours: list) -> None:
        """The encoder thread: opens the writer, then frames from the queue to it until None (finish)
        or a stop."""
        try:
            writer = self._writer = open_writer(self.path, self.options, first_frames, colours)
        except BaseException as exc:
            self._failure = exc
            return
        try:
            while not self._stop.is_set():
                frame = self._queue.get()
                if self._stop.is_set():   # a None from _halt, too, is a stop, not the end
                    break
                if frame is None:
                    writer.close()
                    return
                writer.write(frame)
            writer.abort()
        except BaseException as exc:
            self._failure = exc
            writer.abort()

    def _halt(self) -> None:
        """Stop the encoder (it removes its file) and wait for it."""
        self._stop.set()
        if self._thread is not None:
            try:
                self._queue.put_nowait(None)   # wakes an encoder waiting for a frame
            except queue.Full:
                pass
            self._thread.join()

    def _close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    def _end(self, error: str | None) -> None:
        self._timer.stop()
        if error is not None:
            self._halt()
        self._close_renderer()
        self.done = True
        self.finished.emit(error or "")


class AnimationDialog(QDialog):
    """The options of File → Export animation…: step range, frames per second, length, sampling,
    size, and what to show beside the data plot."""

    def __init__(self, first_step: int, last_step: int, parent=None):
        super().__init__(parent)
        self.setObjectName("animationDialog")
        self.setWindowTitle(self.tr("Export animation"))
        self.first_step, self.last_step = first_step, last_step
        form = QFormLayout()
        self.first_spin = self._spin("animationFirstSpin", first_step, last_step - 1, first_step)
        self.last_spin = self._spin("animationLastSpin", first_step + 1, last_step, last_step)
        steps = QHBoxLayout()
        steps.addWidget(self.first_spin)
        steps.addWidget(QLabel(self.tr("to")))
        steps.addWidget(self.last_spin)
        form.addRow(self.tr("Steps"), steps)
        self.fps_spin = self._spin("animationFpsSpin", *FPS_RANGE, 15)
        form.addRow(self.tr("Frames per second"), self.fps_spin)
        self.seconds_spin = QDoubleSpinBox()
        self.seconds_spin.setObjectName("animationSecondsSpin")
        self.seconds_spin.setRange(*SECONDS_RANGE)
        self.seconds_spin.setDecimals(1)
        self.seconds_spin.setValue(10.0)
        self.seconds_spin.setSuffix(self.tr(" s"))
        form.addRow(self.tr("Length"), self.seconds_spin)
        self.sampling_combo = QComboBox()
        self.sampling_combo.setObjectName("animationSamplingCombo")
        self.sampling_combo.addItem(self.tr("evenly"), "even")
        self.sampling_combo.addItem(self.tr("on a log scale (more frames for the fast early steps)"), "log")
        form.addRow(self.tr("Steps sampled"), self.sampling_combo)
        self.width_spin = self._spin("animationWidthSpin", *SIZE_RANGE[0], DEFAULT_SIZE[0])
        self.height_spin = self._spin("animationHeightSpin", *SIZE_RANGE[1], DEFAULT_SIZE[1])
        size = QHBoxLayout()
        size.addWidget(self.width_spin)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_spin)
        size.addWidget(QLabel(self.tr("pixels")))
        form.addRow(self.tr("Size"), size)
        self.loss_check = QCheckBox(self.tr("the loss plot"))
        self.loss_check.setObjectName("animationLossCheck")
        self.landscape_check = QCheckBox(self.tr("the loss landscape"))
        self.landscape_check.setObjectName("animationLandscapeCheck")
        beside = QVBoxLayout()
        beside.addWidget(self.loss_check)
        beside.addWidget(self.landscape_check)
        form.addRow(self.tr("Beside the data plot"), beside)
        self.frames_label = QLabel()
        self.frames_label.setObjectName("animationFramesLabel")
        form.addRow("", self.frames_label)
        problem = video_problem()
        self.mp4 = problem is None
        self.format_label = QLabel(self.tr("Animated GIF or MP4 video: the name's extension chooses.") if self.mp4
                                   else self.tr("Animated GIF only: {reason}.").format(reason=localized(problem or "")))
        self.format_label.setObjectName("animationFormatLabel")
        self.format_label.setTextFormat(Qt.TextFormat.PlainText)
        self.format_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.tr("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.format_label)
        layout.addWidget(buttons)
        for spin in (self.fps_spin, self.seconds_spin):
            spin.valueChanged.connect(self._on_timing_changed)
        self._on_timing_changed()

    @staticmethod
    def _spin(name: str, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setGroupSeparatorShown(True)
        return spin

    def _on_timing_changed(self, *_) -> None:
        count = self.options().frame_count
        self.frames_label.setText(self.tr("%n frame(s)", "", count))

    def options(self) -> AnimationOptions:
        return AnimationOptions(first=self.first_spin.value(), last=self.last_spin.value(), fps=self.fps_spin.value(),
                                seconds=self.seconds_spin.value(), sampling=self.sampling_combo.currentData(),
                                size=(self.width_spin.value(), self.height_spin.value()),
                                loss=self.loss_check.isChecked(), landscape=self.landscape_check.isChecked())


class AnimationActions(QObject):
    """File → Export animation… (``actionExportAnimation``): options, file, then the export with a
    progress dialog (Cancel leaves no file)."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.export: AnimationExport | None = None
        self.progress: QProgressDialog | None = None
        self._options: AnimationOptions | None = None   # the last options chosen, offered again

    def source(self) -> AnimationSource | None:
        """The window's run: the newest live frame's timeline, the points and the loss history."""
        window = self.window
        timeline = window.controller.timeline
        if timeline is None or timeline.last_step is None:
            return None
        document = window.document
        config = document.config
        points = document.points[document.task]
        return AnimationSource(timeline, points, document.task, config.axes,
                               points.data.groups is not None and config.use_group, document.history.train,
                               config.log_loss, config.log_steps, document.selections.landscape_pair)

    def ask(self) -> None:
        if self.export is not None and not self.export.done:
            return
        source = self.source()
        first, last = (None, None) if source is None else (source.timeline.first_step, source.timeline.last_step)
        if source is None or first is None or last is None or last <= first:
            self.window.message_bar.show_message(
                self.tr("Nothing to animate yet: train a few steps first."), error=True)
            return
        dialog = AnimationDialog(first, last, self.window)
        if self._options is not None:
            self._offer(dialog, self._options)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        options = dialog.options()
        self._options = options
        filters = [self.tr("Animated GIF (*.gif)")] + ([self.tr("MP4 video (*.mp4)")] if dialog.mp4 else [])
        folder = last_folder() or os.getcwd()
        path, chosen = QFileDialog.getSaveFileName(self.window, self.tr("Export animation"),
                                                   os.path.join(folder, "run.gif"), ";;".join(filters))
        if not path:
            return
        remember_folder(path)
        if not os.path.splitext(path)[1]:
            path += ".mp4" if chosen == filters[-1] and dialog.mp4 else ".gif"
        self.start(path, options)

    @staticmethod
    def _offer(dialog: AnimationDialog, options: AnimationOptions) -> None:
        """The options chosen last time, but the steps: the run has moved on since."""
        dialog.fps_spin.setValue(options.fps)
        dialog.seconds_spin.setValue(options.seconds)
        dialog.sampling_combo.setCurrentIndex(max(0, dialog.sampling_combo.findData(options.sampling)))
        dialog.width_spin.setValue(options.size[0])
        dialog.height_spin.setValue(options.size[1])
        dialog.loss_check.setChecked(options.loss)
        dialog.landscape_check.setChecked(options.landscape)

    def start(self, path: str, options: AnimationOptions) -> AnimationExport | None:
        """Export the window's run to ``path`` (GIF or MP4 by its extension) with a progress dialog."""
        source = self.source()
        if source is None:
            self.window.message_bar.show_message(
                self.tr("Nothing to animate yet: train a few steps first."), error=True)
            return None
        timeline = source.timeline
        problem = option_problem(options, timeline.first_step or 0, timeline.last_step or 0)
        try:
            if problem is not None:   # the dialog's fields keep within range: a caller's options
                raise RegstudioError(f"{problem[0]}: {problem[1]}")
            if animation_format(path) == "mp4" and video_problem():
                raise RegstudioError(video_problem() or "")
        except RegstudioError as exc:
            QMessageBox.critical(self.window, self.tr("Cannot export animation"), rich_plain(error_text(exc)))
            return None
        export = AnimationExport(source, options, path, self)
        progress = QProgressDialog(self.window)
        label = QLabel(self.tr("Rendering {file}…").format(file=os.path.basename(path)))
        label.setTextFormat(Qt.TextFormat.PlainText)   # a file name is never markup
        progress.setLabel(label)
        progress.setCancelButtonText(self.tr("Cancel"))
        progress.setRange(0, options.frame_count)
        progress.setObjectName("animationProgress")
        progress.setWindowTitle(self.tr("Export animation"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(export.cancel)
        export.progressed.connect(progress.setValue)
        export.finished.connect(self._on_export_finished)
        self.export, self.progress = export, progress
        progress.show()
        export.start()
        return export

    def shutdown(self) -> None:
        """The window closes: an export still running is cancelled (its encoder stopped, no file left)."""
        if self.export is not None and not self.export.done:
            self.export.cancel()

    def _on_export_finished(self, error: str) -> None:
        export, progress = self.export, self.progress
        if progress is not None:
            progress.close()   # its close event says canceled: the export, done, ignores it
            progress.deleteLater()
            self.progress = None
        if export is None:
            return
        name = os.path.basename(export.path)
        if export.cancelled:
            self.window.message_bar.show_message(error)
        elif error:
            QMessageBox.critical(self.window, self.tr("Cannot export animation"), rich_plain(error))
        else:
            size = os.path.getsize(export.path)
            self.window.message_bar.show_message(
                self.tr("Exported {frames:,} frames of steps {first:,}–{last:,} to {file} ({size:.1f} MB).").format(
                    frames=export.options.frame_count, first=export.options.first, last=export.options.last,
                    file=name, size=size / 2**20))
