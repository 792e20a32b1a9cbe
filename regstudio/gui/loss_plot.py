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
        self.plotItem.showGrid(x=True, y=True, alpha=0.15)
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
        self.redraw()

    def redraw(self) -> None:
        for series, curve in ((self.train, self._train_curve), (self.test, self._test_curve)):
            steps, values = series.thinned()
            finite = np.isfinite(values) & ((values > 0) if self.log_scale else True)
            curve.setData(steps[finite], values[finite])
