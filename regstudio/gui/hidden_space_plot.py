"""The hidden-space plot (``hiddenSpacePlot``): the points where the output unit sees them — the
cascade's hidden-unit outputs (x₁′, x₂′) ∈ [0, 1]², or their distances to two reference points — and
the output unit's straight boundary there.  The lesson: XOR, tangled in the input plane, lies on two
sides of one line here.

Draws a :class:`~regstudio.core.hidden_space.HiddenSpace` computed in the training thread; items are
created once and updated with ``setData``, and the axis ranges follow the space's fixed ranges.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from ..core.hidden_space import HiddenSpace
from .i18n import QT_TRANSLATE_NOOP, localized
from .polyline import Polyline
from .safe_text import html_text
from .style import CLASS_SYMBOLS, MAX_CLASSES, plain_plot

EMPTY_HINT = QT_TRANSLATE_NOOP("HiddenSpacePlot", "The hidden space appears for the cascade, or for distance features")


def _colour(value) -> pg.QtGui.QColor:
    """A colour from a name ("#0072B2") or an RGB row of uint8s (as ``style.class_colors`` gives)."""
    if isinstance(value, str):
        return pg.mkColor(value)
    return pg.mkColor(tuple(int(v) for v in value))


class HiddenSpacePlot(pg.PlotWidget):
    """Training points filled, test points hollow, one colour per class; the boundary as a dark line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("hiddenSpacePlot")
        plain_plot(self)
        self.setAccessibleName(self.tr("Hidden space plot"))
        self.hideButtons()
        view = self.plotItem.vb
        view.disableAutoRange()
        view.setMouseEnabled(x=False, y=False)
        # No grid: translucent grid lines across the whole plot cost 6–8 ms a paint.
        self._boundary = Polyline(pg.mkPen("#222222", width=2.5))
        self._boundary.setZValue(5)
        self.addItem(self._boundary)
        self.train_items: list[pg.ScatterPlotItem] = []
        self.test_items: list[pg.ScatterPlotItem] = []
        for k in range(MAX_CLASSES):
            train = pg.ScatterPlotItem(size=8, symbol=CLASS_SYMBOLS[k], pen=pg.mkPen("w", width=0.8))
            test = pg.ScatterPlotItem(size=8, symbol=CLASS_SYMBOLS[k], brush=None)
            for item in (train, test):
                item.setZValue(10)
                self.addItem(item)
            self.train_items.append(train)
            self.test_items.append(test)
        self._hint = pg.TextItem(QCoreApplication.translate("HiddenSpacePlot", str(EMPTY_HINT)), color="#555555",
                                 anchor=(0.5, 0.5))
        self._hint.setZValue(20)
        self.addItem(self._hint)
        self._style = None
        self._points = None
        self._frame = None
        self._set_frame((("", ""), (0.0, 1.0), (0.0, 1.0), ""))

    def __repr__(self) -> str:
        shown = sum(len(item.data) for item in self.train_items + self.test_items)
        return f"HiddenSpacePlot(points={shown}, labels={self._frame[0] if self._frame else None})"

    def show_hidden_space(self, space: HiddenSpace | None, colours, symbols=None) -> None:
        """Draw ``space`` (None clears the plot and shows a hint).  ``colours[k]`` is class k's colour
        (a name or an RGB row), ``symbols[k]`` its scatter symbol (default: the data plot's k-th)."""
        if space is None:
            for item in self.train_items + self.test_items:
                item.setData(pos=np.empty((0, 2)))
            self._boundary.clear()
            self._points = None
            self._hint.setText(QCoreApplication.translate("HiddenSpacePlot", str(EMPTY_HINT)))
            return
        self._hint.setText("")
        self._set_frame((space.axis_labels, space.x_range, space.y_range, space.note))
        self._set_style(colours, symbols)
        # Distances do not move while training: skip re-sending points that are where they were.
        points = (space.xy, space.classes, space.test)
        if self._points is None or not all(a.shape == b.shape and np.array_equal(a, b)
                                           for a, b in zip(points, self._points)):
            self._points = tuple(np.array(a, copy=True) for a in points)
            for k in range(MAX_CLASSES):
                chosen = space.classes == k
                self.train_items[k].setData(pos=space.xy[chosen & ~space.test])
                self.test_items[k].setData(pos=space.xy[chosen & space.test])
        self._boundary.setData(space.boundary[0], space.boundary[1])

    def _set_style(self, colours, symbols) -> None:
        style = (tuple(_colour(c).name() for c in colours), None if symbols is None else tuple(symbols))
        if style == self._style:
            return
        self._style = style
        names, chosen = style
        for k in range(MAX_CLASSES):
            colour = names[k % len(names)] if names else "#7F7F7F"
            symbol = chosen[k % len(chosen)] if chosen else CLASS_SYMBOLS[k]
            self.train_items[k].setBrush(pg.mkBrush(colour))
            self.train_items[k].setSymbol(symbol)
            self.test_items[k].setPen(pg.mkPen(colour, width=2))
            self.test_items[k].setSymbol(symbol)

    def _set_frame(self, frame) -> None:
        """Axis labels, ranges and note; set only when they change (each change re-lays out the plot)."""
        if frame == self._frame:
            return
        self._frame = frame
        (x_label, y_label), x_range, y_range, note = frame
        self.setLabel("bottom", html_text(localized(x_label)))
        self.setLabel("left", html_text(localized(y_label)))
        self.plotItem.vb.setRange(xRange=x_range, yRange=y_range, padding=0.03)
        self.plotItem.setTitle(html_text(localized(note)) or None, size="9pt", color="#555555")
        self._hint.setPos((x_range[0] + x_range[1]) / 2, (y_range[0] + y_range[1]) / 2)

    def shown_points(self, k: int, test: bool = False) -> np.ndarray:
        """(n, 2) positions of class ``k``'s training (or test) points as drawn."""
        x, y = (self.test_items if test else self.train_items)[k].getData()
        return np.column_stack([x, y])

    def shown_boundary(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._boundary.getData()
        return (np.empty(0), np.empty(0)) if x is None else (np.asarray(x), np.asarray(y))

    @property
    def axis_labels(self) -> tuple[str, str]:
        """The axis labels as they read on screen (pyqtgraph ends each with a space before its units)."""
        bottom, left = (self.getAxis(side).label.toPlainText().rstrip() for side in ("bottom", "left"))
        return bottom, left

    @property
    def view_ranges(self) -> list[list[float]]:
        return self.plotItem.vb.viewRange()
