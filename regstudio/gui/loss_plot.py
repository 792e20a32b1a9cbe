"""The loss plot (``lossPlot``): training objective per step and test objective per snapshot.

The whole history is kept (for session files), but at most ``MAX_DRAWN`` points of each curve are
handed to pyqtgraph per frame: redrawing a long log-scale history every frame stalls the window.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

MAX_DRAWN = 800


class GrowingSeries:
    """An append-only float series with amortised O(1) appends and a thinned view for drawing."""

    def __init__(self):
        self._values = np.empty(1024)
        self._steps = np.empty(1024)
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def extend(self, steps: np.ndarray, values: np.ndarray) -> None:
        n = len(values)
        if self.size + n > len(self._values):
            capacity = max(2 * len(self._values), self.size + n)
            self._values = np.resize(self._values, capacity)
            self._steps = np.resize(self._steps, capacity)
        self._values[self.size:self.size + n] = values
        self._steps[self.size:self.size + n] = steps
        self.size += n

    @property
    def values(self) -> np.ndarray:
        return self._values[:self.size]

    @property
    def steps(self) -> np.ndarray:
        return self._steps[:self.size]

    def thinned(self, limit: int = MAX_DRAWN) -> tuple[np.ndarray, np.ndarray]:
        """At most ``limit`` + 1 evenly strided points, always ending with the newest."""
        stride = max(1, math.ceil(self.size / limit))
        rows = np.arange(0, self.size, stride)
        if self.size and rows[-1] != self.size - 1:
            rows = np.append(rows, self.size - 1)
        return self._steps[rows], self._values[rows]


class LossPlot(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lossPlot")
        self.setAccessibleName("lossPlot")
        self.hideButtons()
        self.setMenuEnabled(False)
        # Fixed ranges, widened in jumps: autoscaling every frame repaints the plot twice per frame.
        self.plotItem.vb.disableAutoRange()
        self.plotItem.vb.setMouseEnabled(x=False, y=False)
        self._x_max = 0.0
        self._y_span = None
        self.setLabel("bottom", "step")
        self.setLabel("left", "loss J")
        self.getAxis("left").enableAutoSIPrefix(False)
        self.addLegend(offset=(-10, 10))
        self.train = GrowingSeries()
        self.test = GrowingSeries()
        self._train_curve = self.plot(pen=pg.mkPen("#0072B2", width=2), name="train")
        self._test_curve = self.plot(pen=pg.mkPen("#D55E00", width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
                                     name="test")
        self.log_scale = False

    def clear_history(self) -> None:
        self.train, self.test = GrowingSeries(), GrowingSeries()
        self._x_max, self._y_span = 0.0, None
        self.redraw()

    def add(self, first_step: int, losses: np.ndarray, test_point: tuple[int, float] | None) -> None:
        """Append the objective of steps ``first_step``, ``first_step + 1``, … and a test value."""
        if len(losses):
            self.train.extend(np.arange(first_step, first_step + len(losses)), losses)
        if test_point is not None and (not len(self.test) or test_point[0] > self.test.steps[-1]):
            self.test.extend(np.array([test_point[0]]), np.array([test_point[1]]))

    def set_log_scale(self, on: bool) -> None:
        self.log_scale = on
        self.setLogMode(y=on)
        self._y_span = None
        self.redraw()

    def redraw(self) -> None:
        shown = []
        for series, curve in ((self.train, self._train_curve), (self.test, self._test_curve)):
            steps, values = series.thinned()
            finite = np.isfinite(values) & ((values > 0) if self.log_scale else True)
            curve.setData(steps[finite], values[finite])
            shown.append(values[finite])
        self._fit_ranges(np.concatenate(shown))

    def _fit_ranges(self, values: np.ndarray) -> None:
        """Keep the axes still: x grows to the next power of two, y changes only when the curve
        leaves it or fills less than an eighth of it."""
        last_step = max(self.train.steps[-1] if len(self.train) else 0.0, 1.0)
        if last_step > self._x_max or self._x_max > 8 * max(last_step, 16):
            self._x_max = float(2 ** np.ceil(np.log2(last_step * 1.05 + 1)))
            self.setXRange(0, self._x_max, padding=0.02)
        if not len(values):
            return
        low, high = float(values.min()), float(values.max())
        if self.log_scale:
            low, high = np.log10(low), np.log10(high)
        span = self._y_span
        if span is None or low < span[0] or high > span[1] or (high - low) < (span[1] - span[0]) / 8:
            pad = 0.08 * max(high - low, 1e-12 if not self.log_scale else 0.1)
            self._y_span = (low - pad, high + pad)
            self.setYRange(*self._y_span, padding=0)
