"""The loss plot (``lossPlot``): the training objective J per step and the test error per sample.

It draws the document's :class:`~regstudio.core.document.RunHistory` (bounded, multi-resolution),
thinned by min/max per bucket, so a divergence spike is never dropped however long the run.
The curve ends at the current step: the newest frame's J at its parameters is drawn as the tip.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from ..core.document import Document
from .i18n import localized
from .polyline import Polyline
from .safe_text import html_text
from .style import cache_painting, plain_plot, scale_plot_text

MAX_DRAWN = 800
MIN_RELATIVE_SPAN = 1e-3  # a flat loss still gets a y range of ±0.05 % of its value: readable ticks
MARK_COLOUR = "#666666"
SHOWN_COLOUR = "#CC79A7"   # the rewound step: the Okabe–Ito purple, apart from the curves' colours
PIN_HEADROOM = 10.0   # with pinned curves, the loss axis reaches this many times their highest J
TIP_PIXELS = 7        # the spot on the curve's newest point, across
FALL_ROOM = 0.5      # when the loss falls out of the y range, the new range reaches this share of its span lower
# Pinned runs: colours of the Okabe–Ito palette not used by the train and test curves.
PIN_COLOURS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


class LossPlot(pg.PlotWidget):
    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        self.setObjectName("lossPlot")
        self.setAccessibleName(self.tr("Loss plot"))
        self.hideButtons()
        # Fixed ranges, widened in jumps: autoscaling every frame repaints the plot twice per frame.
        self.plotItem.vb.disableAutoRange()
        self.plotItem.vb.setMouseEnabled(x=False, y=False)
        for axis in ("left", "bottom"):  # the ranges change in jumps: paint the axes from a cached pixmap
            self.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setLabel("left", self.tr("loss"))
        plain_plot(self)
        self._legend = self.addLegend(offset=(-10, 10))
        # A 1-pixel pen is Qt's fast line path: a thinned history of 800 min/max buckets (a zig-zag where
        # the loss is noisy) took 1.4–2.0 ms a paint with a 2-pixel pen, 0.6–0.7 ms with this one, and
        # the plot is painted 26 times a second while training.
        self._train_curve = Polyline(pg.mkPen("#0072B2", width=1), antialias=False)
        self.addItem(self._train_curve)
        # One spot, moved with setPos: giving a scatter new data rebuilds it, 0.5 ms a frame, and even a
        # one-point scatter took 0.3 ms of each paint (of 0.7 ms); Qt draws this disc itself, in pixels
        # wherever it sits.  The curve's own bounds hold the spot, so the axes need not ask it.
        self._tip_marker = QGraphicsEllipseItem()
        self._tip_marker.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self._tip_marker.setPen(QPen(Qt.PenStyle.NoPen))
        self._tip_marker.setBrush(pg.mkBrush("#0072B2"))
        self._set_tip_size(TIP_PIXELS)
        self._tip_marker.setVisible(False)
        self.addItem(self._tip_marker, ignoreBounds=True)
        # The step the rewind timeline shows, while it shows a past one.
        self._shown_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(SHOWN_COLOUR, width=2))
        self._shown_line.setVisible(False)
        self._shown_step: int | None = None
        self.addItem(self._shown_line, ignoreBounds=True)
        self._test_curve = self.plot(pen=None, symbol="o", symbolSize=5, symbolBrush="#D55E00", symbolPen=None)
        self._pins: list[tuple[Polyline, np.ndarray, np.ndarray, str]] = []
        self._pins_drawn: list[tuple[np.ndarray, np.ndarray]] = []
        self._mark_lines: list[pg.InfiniteLine] = []
        self._marks_drawn: tuple = ()
        self._test_drawn: tuple[np.ndarray, np.ndarray] = (np.empty(0), np.empty(0))
        self._test_source: tuple = (None, None)   # the thinned test curve drawn, and log_loss then
        self.log_loss = False
        self.log_steps = False
        self._has_test = False
        self._x_max = 0.0
        self._y_span: tuple[float, float] | None = None
        self._update_legend()
        self._label_steps()

    # --- data -------------------------------------------------------------------------------------

    def set_scale(self, scale: float) -> None:
        """Text, the live curve and its tip ``scale`` × their usual size (presentation mode)."""
        scale_plot_text(self, scale, self._legend)
        # 1 pixel is the fast path, kept unless the curve must be seen from the back of a room
        self._train_curve.setPen(pg.mkPen("#0072B2", width=1 if scale == 1 else 2 * scale))
        self._set_tip_size(TIP_PIXELS * scale)
        self._test_curve.setSymbolSize(5 * scale)

    def _set_tip_size(self, pixels: float) -> None:
        self._tip_marker.setRect(QRectF(-pixels / 2, -pixels / 2, pixels, pixels))

    def new_run(self) -> None:
        """The document's history is a new run's: fit the axes to it afresh."""
        self._x_max, self._y_span = 0.0, None
        self.redraw()

    def show_pins(self, curves: list[tuple[np.ndarray, np.ndarray]], labels: list[str]) -> None:
        """The pinned curves (oldest first), dashed, each in a colour of its own, with ``labels``."""
        while len(self._pins) > len(curves):
            self.removeItem(self._pins.pop()[0])
        while len(self._pins) < len(curves):
            colour = PIN_COLOURS[len(self._pins)]
            item = Polyline(pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine), antialias=False)
            item.setZValue(-1)
            self.addItem(item)
            self._pins.append((item, np.empty(0), np.empty(0), ""))
        self._pins = [(item, np.asarray(steps, dtype=np.float64), np.asarray(values, dtype=np.float64), label)
                      for (item, *_), (steps, values), label in zip(self._pins, curves, labels)]
        self._update_legend()
        self._draw_pins()
        self.redraw()

    def set_pin_labels(self, labels: list[str]) -> None:
        """Relabel the pinned curves (oldest first), e.g. by what differs from the current settings."""
        self._pins = [(item, steps, values, label) for (item, steps, values, _), label in zip(self._pins, labels)]
        self._update_legend()

    def pins(self) -> list[tuple[np.ndarray, np.ndarray, str]]:
        """The pinned curves as drawn (steps, values, label), oldest first."""
        return [(steps, values, label) for _, steps, values, label in self._pins]

    def set_has_test(self, has_test: bool) -> None:
        if has_test != self._has_test:
            self._has_test = has_test
            self._update_legend()

    def set_scales(self, log_loss: bool, log_steps: bool) -> None:
        if (log_loss, log_steps) == (self.log_loss, self.log_steps):
            return
        self.log_loss, self.log_steps = log_loss, log_steps
        self.setLogMode(x=log_steps, y=log_loss)
        self._place_step_marker()
        self._label_steps()
        self._marks_drawn = ()   # their positions are in the axes' units
        self._x_max, self._y_span = 0.0, None
        self._draw_pins()
        self.redraw()

    # --- drawing ----------------------------------------------------------------------------------

    def _label_steps(self) -> None:
        # a log axis cannot show step 0, so it counts steps from 1
        self.setLabel("bottom", self.tr("step + 1 (log scale)") if self.log_steps else self.tr("step"))

    def _update_legend(self) -> None:
        self._legend.clear()
        # Legend entries are HTML: a pin's label is escaped like any other text.
        self._legend.addItem(self._train_curve, html_text(self.tr("train J")))
        if self._has_test:
            self._legend.addItem(self._test_curve, html_text(self.tr("test error (no λ)")))
        for item, _, _, label in self._pins:
            self._legend.addItem(item, html_text(label))
        cache_painting(self._legend)

    def _xs(self, steps: np.ndarray) -> np.ndarray:
        return steps + 1.0 if self.log_steps else steps.astype(np.float64)

    def _drawable(self, steps, values):
        """What the axes can show; a NaN step (a break between segments, see RunHistory.curve) stays."""
        keep = np.isfinite(values) & ((values > 0) if self.log_loss else True) | np.isnan(steps)
        return self._xs(steps[keep]), values[keep]

    def _in_axes(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Drawable (x, y) in the axes' own coordinates: log10 where an axis is logarithmic."""
        return np.log10(xs) if self.log_steps else xs, np.log10(ys) if self.log_loss else ys

    def _step_in_axes(self, step: int) -> float:
        """Where a vertical line at ``step`` sits on the step axis."""
        return float(self._in_axes(self._xs(np.array([step])), np.ones(1))[0][0])

    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The train curve as drawn: thinned history plus the tip (in step units, not step + 1)."""
        return self.document.history.curve(MAX_DRAWN, log_steps=self.log_steps)

    def redraw(self) -> None:
        steps, values = self.curve_data()
        xs, ys = self._drawable(steps, values)
        drawn = self._in_axes(xs, ys)
        self._train_curve.setData(*drawn)
        self._move_tip(*drawn)
        # The test error comes a few times a second, frames 26 times: re-sending unchanged samples cost
        # 0.5 ms a frame (the scatter rebuilds every symbol).  The history hands back the same thinned
        # arrays while it has not changed.
        test = self.document.history.test.thinned(MAX_DRAWN, log_steps=self.log_steps)
        source, log_loss = self._test_source
        if source is not test or log_loss != self.log_loss:
            self._test_source = (test, self.log_loss)
            self._test_drawn = self._drawable(np.asarray(test[0], dtype=np.float64),
                                              np.asarray(test[1], dtype=np.float64))
            self._test_curve.setData(*self._test_drawn)
        tx, ty = self._test_drawn
        self._draw_marks()
        pinned = self._pins_drawn
        all_x = np.concatenate([xs, tx, *(px for px, _ in pinned)])
        live_y = np.concatenate([ys, ty])
        pinned_y = np.concatenate([py for _, py in pinned]) if pinned else np.empty(0)
        pinned_y = pinned_y[np.isfinite(pinned_y)]
        if len(pinned_y):
            # A diverging live run (J of 173 against pins near 1) squashed the pins flat: the axis
            # holds the pins and the live run up to PIN_HEADROOM × their highest; above, it leaves.
            live_y = live_y[live_y <= PIN_HEADROOM * pinned_y.max()]
        all_y = np.concatenate([live_y, pinned_y])
        self._fit_ranges(all_x[np.isfinite(all_x)], all_y[np.isfinite(all_y)])

    def show_step_marker(self, step: int | None) -> None:
        """A vertical line at the past ``step`` the timeline shows; None hides it."""
        if step != self._shown_step:
            self._shown_step = step
            self._place_step_marker()

    def _place_step_marker(self) -> None:
        step = self._shown_step
        self._shown_line.setVisible(step is not None)
        if step is not None:
            self._shown_line.setPos(self._step_in_axes(step))

    def _move_tip(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """The spot on the curve's newest point (``xs``, ``ys`` in the axes' coordinates)."""
        shown = bool(len(xs)) and bool(np.isfinite(xs[-1]) and np.isfinite(ys[-1]))
        self._tip_marker.setVisible(shown)
        if shown:
            self._tip_marker.setPos(float(xs[-1]), float(ys[-1]))

    def _draw_marks(self) -> None:
        """A thin labelled vertical line at each change made mid-run (data edited, η or λ changed)."""
        marks = tuple((mark.step, mark.text) for mark in self.document.history.marks)
        if marks == self._marks_drawn:
            return
        self._marks_drawn = marks
        while len(self._mark_lines) > len(marks):
            self.removeItem(self._mark_lines.pop())
        while len(self._mark_lines) < len(marks):
            line = pg.InfiniteLine(angle=90, movable=False,
                                   pen=pg.mkPen(MARK_COLOUR, width=1, style=Qt.PenStyle.DotLine),
                                   label="", labelOpts={"position": 0.95, "color": MARK_COLOUR,
                                                        "anchors": [(0, 0), (0, 0)]})
            line.setZValue(-2)
            self.addItem(line, ignoreBounds=True)
            self._mark_lines.append(line)
        for line, (step, text) in zip(self._mark_lines, marks):
            # The label redraws from its format at each move: the text is the format, braces escaped
            # (TextItem shows it as plain text).
            line.label.format = localized(text).replace("{", "{{").replace("}", "}}")
            line.setPos(self._step_in_axes(step))
            line.label.valueChanged()

    def _draw_pins(self) -> None:
        """Pinned curves do not change: drawn when pinned and when the scales change, not per frame."""
        self._pins_drawn = [self._drawable(steps, values) for _, steps, values, _ in self._pins]
        for (item, *_), xy in zip(self._pins, self._pins_drawn):
            item.setData(*self._in_axes(*xy))

    def _fit_ranges(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """Keep the axes still: x grows to the next power of two, y changes only when the curve
        leaves it or fills less than an eighth of it."""
        last = max(float(xs.max()) if len(xs) else 1.0, 1.0)
        if last > self._x_max or self._x_max > 8 * max(last, 16):
            self._x_max = float(2 ** np.ceil(np.log2(last * 1.05 + 1)))
            if self.log_steps:
                self.setXRange(0, np.log10(self._x_max), padding=0.02)
            else:
                self.setXRange(0, self._x_max, padding=0.02)
        if not len(ys):
            if self._y_span is None:  # a new, empty history: drop the last run's range
                self._y_span = (0.0, 1.0)
                self.setYRange(*self._y_span, padding=0)
            return
        low, high = float(ys.min()), float(ys.max())
        if self.log_loss:
            low, high = np.log10(low), np.log10(high)
            minimum = 0.1
        else:
            minimum = max(MIN_RELATIVE_SPAN * max(abs(low), abs(high)), 1e-12)
        if high - low < minimum:
            middle = (high + low) / 2
            low, high = middle - minimum / 2, middle + minimum / 2
        span = self._y_span
        if span is None or low < span[0] or high > span[1] or (high - low) < (span[1] - span[0]) / 8:
            pad = 0.08 * (high - low)
            bottom = low - pad
            if span is not None and low < span[0]:
                # A falling loss left through the floor: room for it to fall on.  With the 8 % pad alone
                # it left again within a few frames, and each new range costs a repaint of both axes
                # (1.5–2 ms; 20 of 49 frames of a softmax run).
                bottom = low - FALL_ROOM * (high - low)
                if not self.log_loss and low >= 0:
                    bottom = max(bottom, min(0.0, low - pad))   # a loss is never negative
            self._y_span = (bottom, high + pad)
            self.setYRange(*self._y_span, padding=0)

