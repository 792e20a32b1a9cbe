"""The data plot (``dataPlot``): points, fitted curves or the probability map with its boundary,
and the mouse gestures that edit points.

Plot items are created once and updated with ``setData``/``setImage``; axis ranges stay fixed while
training (they change when the data set does, or when the user pans and zooms).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem

from ..core.session import Points
from ..core.views import class_map_image, joined_polylines
from .style import CLASS_COLORS, CLASS_SYMBOLS, FIT_COLOR, GROUP_COLORS, MAX_CLASSES, REGRESSION_COLOR

CANCELLED = -1            # a drag whose point went away mid-gesture
PICK_PIXELS = 12          # how close a press must be to a point to drag it
MAX_DRAWN_POINTS = 10_000  # above this the plot shows a fixed random subsample


class _Points(pg.ScatterPlotItem):
    """Scatter points that leave every click to the canvas (a plain ScatterPlotItem takes left
    clicks on its points, so Ctrl+click could not delete them)."""

    def mouseClickEvent(self, ev):
        ev.ignore()


class CanvasViewBox(pg.ViewBox):
    """A ViewBox whose clicks add or delete points and whose drags move the point under the mouse
    (a drag that starts on empty canvas pans, as usual)."""

    clicked = Signal(float, float)
    deleteRequested = Signal(float, float)
    dragged = Signal(int, float, float, bool)

    def __init__(self, pick):
        super().__init__()
        self._pick = pick
        self._dragging: int | None = None
        self.setMenuEnabled(False)

    def mouseClickEvent(self, ev):
        pos = self.mapSceneToView(ev.scenePos())
        deleting = ev.button() == Qt.MouseButton.RightButton or (
            ev.button() == Qt.MouseButton.LeftButton and ev.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if deleting:
            ev.accept()
            self.deleteRequested.emit(pos.x(), pos.y())
        elif ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            if self._pick(pos) is None:  # a click on a point is not a new point
                self.clicked.emit(pos.x(), pos.y())
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None):
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        if ev.isStart():
            self._dragging = self._pick(self.mapSceneToView(ev.buttonDownScenePos()))
        if self._dragging is None:
            super().mouseDragEvent(ev, axis)
            return
        if self._dragging == CANCELLED:
            ev.accept()
            if ev.isFinish():
                self._dragging = None
            return
        ev.accept()
        pos = self.mapSceneToView(ev.scenePos())
        row = self._dragging
        if ev.isFinish():
            self._dragging = None
        self.dragged.emit(row, pos.x(), pos.y(), ev.isFinish())

    def cancel_drag(self) -> None:
        """Forget the point being dragged (the points changed under the drag, e.g. by an undo); the
        rest of the gesture is ignored."""
        if self._dragging is not None:
            self._dragging = CANCELLED


class DataPlot(pg.PlotWidget):
    """Shows one task's points and the model's current fit."""

    def __init__(self, parent=None):
        self.canvas = CanvasViewBox(self._pick)
        super().__init__(parent, viewBox=self.canvas)
        self.setObjectName("dataPlot")
        self.setAccessibleName("Data plot")
        self.hideButtons()
        self.plotItem.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):  # the grid is drawn by the axes: cache it while ranges hold
            self.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.canvas.disableAutoRange()
        self._image = pg.ImageItem()
        self._image.setZValue(-10)
        self.addItem(self._image)
        self._boundary = pg.PlotDataItem(pen=pg.mkPen("#222222", width=2.5), connect="finite")
        self._boundary.setZValue(5)
        self.addItem(self._boundary)
        self._hidden_lines = pg.PlotDataItem(pen=pg.mkPen("#555555", width=1, style=Qt.PenStyle.DashLine),
                                             connect="finite")
        self._hidden_lines.setZValue(4)
        self.addItem(self._hidden_lines)
        self._train_items, self._test_items = [], []
        for k in range(MAX_CLASSES):
            color = CLASS_COLORS[k]
            train = _Points(size=9, symbol=CLASS_SYMBOLS[k], pen=pg.mkPen("w", width=0.8),
                                       brush=pg.mkBrush(color), name=None)
            test = _Points(size=9, symbol=CLASS_SYMBOLS[k], pen=pg.mkPen(color, width=2), brush=None)
            for item in (train, test):
                item.setZValue(10)
                # The points hold still while training: paint them from a cached pixmap (a frame with
                # 10,000 drawn points paints in 1.4 ms instead of 6.9 ms).
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self.addItem(item)
            self._train_items.append(train)
            self._test_items.append(test)
        self._curves: list[pg.PlotDataItem] = []
        self._hint = pg.TextItem("", color="#555555", anchor=(0.5, 0.5))
        self._hint.setZValue(20)
        self.addItem(self._hint)
        self._legend = self.addLegend(offset=(8, 8), labelTextSize="9pt")
        self._legend.setZValue(30)
        self._class_entries: list = []
        self._curve_entries: list = []
        self._legend_names: list[str] = []
        self._shown_rows = np.empty(0, dtype=np.int64)
        self._shown_xy = np.empty((0, 2))
        self.task = "regression"

    # --- points -----------------------------------------------------------------------------------

    def show_points(self, points: Points, task: str, axes: tuple[int, int], color_index,
                    group_levels: tuple[str, ...] | None = None) -> None:
        """Draw ``points``: regression as (input axes[0], target), classification as two inputs
        with ``color_index(label)`` choosing each class's colour and symbol.  Regression points
        take their group's colour (the colour of its fitted line) when ``group_levels`` is given."""
        self.task = task
        data = points.data
        n = len(points)
        rows = np.arange(n)
        if n > MAX_DRAWN_POINTS:
            rows = np.sort(np.random.default_rng(0).choice(n, MAX_DRAWN_POINTS, replace=False))
        if task == "regression":
            xy = np.column_stack([data.X[rows, axes[0]], data.y[rows].astype(np.float64)]) if n else np.empty((0, 2))
            labels = np.zeros(len(rows), dtype=np.int64)
            if group_levels and data.groups is not None:
                lookup = {g: i % MAX_CLASSES for i, g in enumerate(group_levels)}
                labels = np.array([lookup.get(g, 0) for g in data.groups[rows].tolist()], dtype=np.int64)
        else:
            xy = data.X[rows][:, list(axes)] if n else np.empty((0, 2))
            lookup = {label: color_index(label) for label in set(data.y[rows].tolist())}
            labels = np.array([lookup[v] for v in data.y[rows].tolist()], dtype=np.int64)
        self._shown_rows, self._shown_xy = rows, xy
        test = points.test[rows]
        for k in range(MAX_CLASSES):
            for item, mask in ((self._train_items[k], ~test), (self._test_items[k], test)):
                chosen = (labels == k) & mask
                item.setData(pos=xy[chosen])
            if task == "regression":
                self._train_items[k].setBrush(pg.mkBrush(REGRESSION_COLOR if k == 0 else GROUP_COLORS[k]))
        self._hint.setText("Click to add points" if n == 0 else "")
        self._class_entries = []
        if task == "classification":
            for label in sorted(set(data.y.tolist()), key=lambda v: color_index(v)):
                self._class_entries.append((self._train_items[color_index(label)], f"class {label}"))
        self._update_legend()

    def _update_legend(self) -> None:
        entries = self._class_entries + self._curve_entries
        names = [name for _, name in entries]
        if names == self._legend_names:
            return
        self._legend.clear()
        for item, name in entries:
            self._legend.addItem(item, name)
        self._legend_names = names
        self._legend.setVisible(bool(entries))
        self._place_hint()

    def _place_hint(self):
        (x0, x1), (y0, y1) = self.canvas.viewRange()
        self._hint.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    def _pick(self, pos) -> int | None:
        """Row of the drawn point within PICK_PIXELS of ``pos`` (view coordinates), if any."""
        row = self.nearest_row(pos.x(), pos.y())
        if row is None:
            return None
        sx, sy = self.canvas.viewPixelSize()
        i = int(np.searchsorted(self._shown_rows, row))
        dx, dy = (self._shown_xy[i] - (pos.x(), pos.y())) / (sx, sy)
        return row if np.hypot(dx, dy) <= PICK_PIXELS else None

    def nearest_row(self, x: float, y: float) -> int | None:
        """Data row of the drawn point nearest (x, y) in screen distance."""
        if not len(self._shown_rows):
            return None
        sx, sy = self.canvas.viewPixelSize()
        d = np.hypot((self._shown_xy[:, 0] - x) / sx, (self._shown_xy[:, 1] - y) / sy)
        return int(self._shown_rows[int(np.argmin(d))])

    def fit_view(self, points: Points, task: str, axes: tuple[int, int]) -> None:
        """Set fixed axis ranges around the data (a default square for no data)."""
        data = points.data
        if len(points) == 0:
            x_range, y_range = ((-3.0, 3.0), (-3.0, 3.0)) if task == "classification" else ((-3.0, 3.0), (-5.0, 5.0))
        else:
            xs = data.X[:, axes[0]]
            ys = data.y.astype(np.float64) if task == "regression" else data.X[:, axes[1]]
            x_range, y_range = _padded(xs), _padded(ys)
        self.canvas.setRange(xRange=x_range, yRange=y_range, padding=0)
        self._place_hint()

    # --- model ------------------------------------------------------------------------------------

    def show_geometry(self, geometry, colors: np.ndarray | None) -> None:
        """Draw a :class:`~regstudio.core.views.Geometry`: regression curves (one per group), or the
        probability map coloured by ``colors`` (K, 3) with the decision boundary and, for the cascade,
        each hidden unit's σ = ½ line (dashed); None clears the fit."""
        curves = geometry.curves if geometry is not None else ()
        while len(self._curves) < len(curves):
            item = pg.PlotDataItem(pen=pg.mkPen(FIT_COLOR, width=3))
            item.setZValue(8)
            self.addItem(item)
            self._curves.append(item)
        self._curve_entries = [(self._curves[i], str(group)) for i, (group, _, _) in enumerate(curves)
                               if group is not None]
        probabilities = geometry.probabilities if geometry is not None else None
        if probabilities is not None:
            self._curve_entries.append((self._boundary, "boundary (p = ½)"))
        if geometry is not None and geometry.hidden_lines:
            self._curve_entries.append((self._hidden_lines, "hidden units (σ = ½)"))
        self._update_legend()
        for i, item in enumerate(self._curves):
            if i < len(curves):
                _, xs, ys = curves[i]
                item.setPen(pg.mkPen(GROUP_COLORS[i % len(GROUP_COLORS)] if len(curves) > 1 else FIT_COLOR, width=3))
                item.setData(xs, ys)
            else:
                item.setData([], [])
        hidden = geometry.hidden_lines if geometry is not None else ()
        self._hidden_lines.setData(*joined_polylines(hidden), connect="finite")
        if probabilities is None:
            self._image.clear()
            self._boundary.setData([], [])
            return
        (x0, x1), (y0, y1) = geometry.view.x_range, geometry.view.y_range
        rows, columns = probabilities.shape[:2]
        w, h = (x1 - x0) / (columns - 1), (y1 - y0) / (rows - 1)
        self._image.setImage(class_map_image(probabilities, colors), autoLevels=False, levels=(0, 255))
        self._image.setRect(QRectF(x0 - w / 2, y0 - h / 2, w * columns, h * rows))
        self._boundary.setData(*geometry.boundaries, connect="finite")

    def clear_fit(self) -> None:
        self.show_geometry(None, None)

    def view_ranges(self) -> tuple[tuple[float, float], tuple[float, float]]:
        (x0, x1), (y0, y1) = self.canvas.viewRange()
        return (float(x0), float(x1)), (float(y0), float(y1))


def _padded(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo if hi > lo else max(1.0, abs(hi))
    return lo - 0.12 * span, hi + 0.12 * span
