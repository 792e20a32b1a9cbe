"""The data plot (``dataPlot``): points, fitted curves with their residuals, or the probability map
with its boundary and colour key, the dashed reference (the slope formula's line or the exact
optimum), and the mouse gestures that edit points.

Plot items are created once and updated with ``setData``/``setImage``; axis ranges stay fixed while
training (they change when the data set does, or when the user pans and zooms).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from ..core.session import Points
from ..core.views import class_map_image
from .i18n import localized
from .polyline import Polyline
from .safe_text import html_text
from .style import (
    CLASS_COLORS,
    CLASS_SYMBOLS,
    FIT_COLOR,
    GROUP_COLORS,
    MAX_CLASSES,
    REGRESSION_COLOR,
    cache_painting,
    plain_plot,
    scale_plot_text,
)

CANCELLED = -1            # a drag whose point went away mid-gesture
PICK_PIXELS = 12          # how close a press must be to a point to drag it
MAX_DRAWN_POINTS = 10_000  # above this the plot shows a fixed random subsample
RESIDUAL_COLOR = "#8C8C8C"
REFERENCE_COLOR = "#222222"
SHARED_LINE_COLOR = "#7a3fa0"   # a purple none of the group colours uses
STILL_PIXELS = 0.5   # while playing, a fit that moved less than this on screen is not redrawn (show_geometry)
STILL_LEVELS = 3     # … nor a probability map whose colours moved by at most this many of 255
# Hidden units' own σ = ½ lines: distinct hues that are not the class colours of the map beneath them.
HIDDEN_COLORS = ["#7B3294", "#1B7837", "#C51B7D", "#2C7FB8", "#B35806", "#4D4D4D", "#E7298A", "#66A61E"]
MAX_HIDDEN_LEGEND = len(HIDDEN_COLORS)  # more hidden units than this get one legend entry for all
HIDDEN_DASHES = [6, 3]   # a hidden unit's line: dash and gap, in pen widths


def hidden_unit_color(k: int, n: int) -> QColor:
    """The colour of hidden unit ``k`` of ``n``: the fixed palette, or ``n`` evenly spaced hues when
    there are more units than it holds (each unit distinct either way)."""
    if n <= len(HIDDEN_COLORS):
        return pg.mkColor(HIDDEN_COLORS[k])
    return pg.intColor(k, hues=n, values=1, maxValue=190)


class ProbabilityMap(pg.GraphicsObject):
    """The probability map: an RGBA image stretched over a rectangle of the view with bilinear
    filtering (the 64 × 64 map is magnified about ten times on screen, and nearest-neighbour scaling
    shows every cell as a stair step).

    Kept as a premultiplied ARGB32 QImage, the format Qt's raster engine blends natively: scaling
    pyqtgraph's RGBA8888 image cost 0.80 ms a paint against 0.50 ms (800 × 560 px), and an ImageItem
    also ran its levels-and-lookup pipeline on a map that is already coloured.
    """

    def __init__(self):
        super().__init__()
        self.rgba: np.ndarray | None = None   # the map shown, (rows, columns, 4) uint8; None: no map
        self._qimage: QImage | None = None
        self._rect = QRectF()

    def __repr__(self) -> str:
        size = "none" if self._qimage is None else f"{self._qimage.width()}×{self._qimage.height()}"
        return f"ProbabilityMap({size} over {self._rect.getRect()})"

    def set_map(self, rgba: np.ndarray, rect: QRectF) -> None:
        """Show ``rgba`` (rows, columns, 4) uint8, its first row at the rectangle's top (lowest y)."""
        rgba = np.ascontiguousarray(rgba)
        rgba.flags.writeable = False
        self.rgba = rgba
        rows, columns = rgba.shape[:2]
        image = QImage(rgba.data, columns, rows, 4 * columns, QImage.Format.Format_RGBA8888)
        self._qimage = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)  # a copy: rgba may go
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)
        self.update()

    def clear(self) -> None:
        if self._qimage is not None:
            self._qimage = self.rgba = None
            self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(self, painter, *args) -> None:
        if self._qimage is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(self._rect, self._qimage)


class MapKey(pg.GraphicsWidgetAnchor, pg.GraphicsWidget):
    """The probability map's colour key, in the plot's bottom-right corner.

    Two classes: one bar of P(second class) from 0 to 1, the colours the map shows (the first class's
    tint at 0, clear at ½, the second's at 1).  K classes: one bar per class from a tie (1/K, clear) to
    certain (1, full tint), so the key also says which colour is which class's region.  The bars are
    made by :func:`~regstudio.core.views.class_map_image` itself, so they match the map exactly.
    """

    BAR_WIDTH, BAR_HEIGHT, PAD = 120, 10, 6

    def __init__(self):
        pg.GraphicsWidget.__init__(self)
        pg.GraphicsWidgetAnchor.__init__(self)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        cache_painting(self)   # it changes only with the classes (show_classes updates it)
        self._font = QFont()
        self._font.setPointSizeF(8)
        self._rows: list[tuple[str, QImage]] = []
        self._title = ""
        self._ticks: tuple[str, str, str] = ("", "", "")
        self._key = None
        self.setVisible(False)

    def __repr__(self) -> str:
        return f"MapKey(title={self._title!r}, rows={[name for name, _ in self._rows]})"

    @property
    def title(self) -> str:
        return self._title

    @property
    def row_names(self) -> list[str]:
        return [name for name, _ in self._rows]

    def show_classes(self, names, colors: np.ndarray | None) -> None:
        """Show the key for classes ``names`` coloured by ``colors`` (K, 3) uint8; None hides it."""
        if colors is None:
            self.setVisible(False)
            return
        key = (tuple(names), colors.tobytes())
        if key != self._key:
            self._key = key
            self._build(list(names), colors)
            self.update()
        self.setVisible(True)

    def _build(self, names: list[str], colors: np.ndarray) -> None:
        ramp = np.linspace(0.0, 1.0, self.BAR_WIDTH)
        K = len(names)
        if K == 2:
            P = np.stack([1 - ramp, ramp], axis=-1)[None]
            self._rows = [("", _bar_image(class_map_image(P, colors)))]
            self._title = self.tr("P(class {name})").format(name=names[1])
            self._ticks = ("0", "½", "1")
        else:
            self._rows = []
            for k, name in enumerate(names):
                sure = 1.0 / K + ramp * (1 - 1.0 / K)
                P = np.repeat(((1 - sure) / (K - 1))[:, None], K, axis=1)
                P[:, k] = sure
                self._rows.append((self.tr("class {name}").format(name=name),
                                   _bar_image(class_map_image(P[None], colors))))
            self._title = self.tr("certainty of the likeliest class")
            self._ticks = (self.tr("tie"), "", "1")
        self._label_width = max((_text_width(self._font, name) for name, _ in self._rows), default=0)
        self._label_width += self.PAD if self._label_width else 0
        line = _text_height(self._font)
        rows = len(self._rows)
        width = 2 * self.PAD + self._label_width + self.BAR_WIDTH
        height = 2 * self.PAD + line + rows * (self.BAR_HEIGHT + 3) + line
        self.setFixedWidth(width)
        self.setFixedHeight(height)

    def boundingRect(self):
        return QRectF(0, 0, self.width(), self.height())

    def paint(self, painter, *args):
        if not self._rows:
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.setPen(pg.mkPen("#BBBBBB"))
        painter.setBrush(pg.mkBrush(255, 255, 255, 220))
        painter.drawRect(self.boundingRect().adjusted(0, 0, -1, -1))
        painter.setFont(self._font)
        painter.setPen(pg.mkPen("#222222"))
        line = _text_height(self._font)
        x0, y = self.PAD + self._label_width, self.PAD + line
        painter.drawText(QPointF(self.PAD, y - 3), self._title)
        for name, image in self._rows:
            if name:
                painter.drawText(QPointF(self.PAD, y + self.BAR_HEIGHT - 1), name)
            painter.drawImage(QRectF(x0, y, self.BAR_WIDTH, self.BAR_HEIGHT), image)
            y += self.BAR_HEIGHT + 3
        left, middle, right = self._ticks
        y += line - 3
        painter.drawText(QPointF(x0, y), left)
        if middle:
            painter.drawText(QPointF(x0 + (self.BAR_WIDTH - _text_width(self._font, middle)) / 2, y), middle)
        painter.drawText(QPointF(x0 + self.BAR_WIDTH - _text_width(self._font, right), y), right)


def _bar_image(rgba: np.ndarray) -> QImage:
    """An RGB QImage of the RGBA uint8 row ``rgba`` (1, n, 4) composed over white, as the map shows it."""
    alpha = rgba[..., 3:4].astype(np.float64) / 255
    rgb = np.ascontiguousarray((rgba[..., :3] * alpha + 255 * (1 - alpha)).round().astype(np.uint8))
    height, width = rgb.shape[:2]
    return QImage(rgb.tobytes(), width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def _text_width(font: QFont, text: str) -> float:
    return QFontMetricsF(font).horizontalAdvance(text)


def _text_height(font: QFont) -> float:
    return QFontMetricsF(font).height()


class _Points(pg.ScatterPlotItem):
    """Scatter points that leave every click to the canvas (a plain ScatterPlotItem takes left
    clicks on its points, so Ctrl+click could not delete them).

    Its bounding rectangle is kept until pyqtgraph drops its cached data bounds (``self.bounds`` is
    replaced whenever the points, their sizes or the view's transform change): Qt asks each item for
    it several times a paint, and working it out again cost 40 µs a time, about 1 ms a frame with
    ten classes' items (ordinal regression) although the points stood still.
    """

    def __init__(self, *args, **kwargs):
        self._rect_bounds = None
        self._rect = None
        super().__init__(*args, **kwargs)

    def boundingRect(self):
        if self._rect_bounds is not self.bounds:
            self._rect = super().boundingRect()
            self._rect_bounds = self.bounds
        return self._rect

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
    """Shows one task's points and the model's current fit.

    ``formulaChanged(text)`` carries the slope formula's one-line text ("slope formula: x̄ = …, ȳ = …,
    m = …, c = …", or "" when the model is not simple linear regression) whenever it changes;
    ``formula_text`` holds the current one.
    """

    formulaChanged = Signal(str)

    def __init__(self, parent=None):
        self.canvas = CanvasViewBox(self._pick)
        super().__init__(parent, viewBox=self.canvas)
        self.setObjectName("dataPlot")
        plain_plot(self)
        self.setAccessibleName(self.tr("Data plot"))
        self.hideButtons()
        self.plotItem.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):  # the grid is drawn by the axes: cache it while ranges hold
            self.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.canvas.disableAutoRange()
        self._image = ProbabilityMap()
        self._image.setZValue(-10)
        self.addItem(self._image)
        self.map_key = MapKey()
        self.map_key.setParentItem(self.canvas)
        self.map_key.anchor(itemPos=(1, 1), parentPos=(1, 1), offset=(-8, -8))
        self.map_key.setZValue(30)
        # Vertical 1 px segments look the same without antialiasing, which adds ~1 ms a paint for 2,000;
        # given as pairs of ends, Qt draws them as lines, not as one path of 2,000 pieces (setting and
        # drawing 2,000 of them: 2.2 → 1.4 ms).
        self._residuals = Polyline(pg.mkPen(RESIDUAL_COLOR, width=1), connect="pairs", antialias=False)
        self._residuals.setZValue(7)
        self.addItem(self._residuals)
        # A 1-pixel dashed pen is Qt's fast path; 1.5 pixels stroked each dash on its own: 1 ms of a
        # 2 ms paint, 15–20 paints a second while training.
        self._reference = Polyline(pg.mkPen(REFERENCE_COLOR, width=1, style=Qt.PenStyle.DashLine))
        self._reference.setZValue(9)
        self.addItem(self._reference)
        self._shared_line = Polyline(self._shared_pen(1.0))
        self._shared_line.setZValue(7)
        self.addItem(self._shared_line)
        self.formula_text = ""
        self.scale = 1.0   # presentation mode makes lines and symbols larger (set_scale)
        self._boundary = Polyline(pg.mkPen("#222222", width=2.5))
        self._boundary.setZValue(5)
        self.addItem(self._boundary)
        self._hidden_lines: list[Polyline] = []
        self._hidden_count = 0
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
        self._train_brushes = list(CLASS_COLORS[:MAX_CLASSES])
        self._curves: list[Polyline] = []
        self._hint = pg.TextItem("", color="#555555", anchor=(0.5, 0.5))
        self._hint.setZValue(20)
        self.addItem(self._hint)
        self._legend = self.addLegend(offset=(8, 8), labelTextSize="9pt")
        self._legend.setZValue(30)
        self._class_entries: list = []
        self._curve_entries: list = []
        self._drawn: tuple = (None, None, None)   # the geometry drawn, with its colours and classes
        self._curve_pens: dict[int, tuple] = {}   # fitted curve i's pen: (colour, width)
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
            present = bool((labels == k).any())
            for item, mask in ((self._train_items[k], ~test), (self._test_items[k], test)):
                chosen = (labels == k) & mask
                item.setData(pos=xy[chosen])
                # Twenty items, most of them empty: Qt asks each visible one for its bounds at every
                # paint (0.15 ms of a 3 ms paint).  A class's training item stays visible while the
                # class has points: the legend shows a hidden item's sample as a crossed-out eye.
                item.setVisible(bool(chosen.any()) or (present and item is self._train_items[k]))
            if task == "regression":
                self._set_train_brush(k, REGRESSION_COLOR if k == 0 else GROUP_COLORS[k])
        hint = self.tr("Click to add points") if n == 0 else ""
        self._hint.setText(hint)
        # pyqtgraph re-places a visible text item before every paint of the scene, empty or not
        self._hint.setVisible(bool(hint))
        self._class_entries = []
        if task == "classification":
            for label in sorted(set(data.y.tolist()), key=lambda v: color_index(v)):
                self._class_entries.append((self._train_items[color_index(label)],
                                            self.tr("class {label}").format(label=label)))
        self._update_legend()

    def set_scale(self, scale: float) -> None:
        """Text, lines and symbols ``scale`` × their usual size (presentation mode)."""
        self.scale = scale
        scale_plot_text(self, scale, self._legend)
        self._boundary.setPen(pg.mkPen("#222222", width=2.5 * scale))
        self._shared_line.setPen(self._shared_pen(scale))
        for item in self._train_items + self._test_items:
            item.setSize(9 * scale)
        drawn = self._drawn[0]
        self._style_curves(len(drawn.curves) if drawn is not None else 0)

    @staticmethod
    def _shared_pen(scale: float):
        return pg.mkPen(SHARED_LINE_COLOR, width=2.5 * scale, style=Qt.PenStyle.DashDotLine)

    def _set_train_brush(self, k: int, color: str) -> None:
        """Colour class (or group) ``k``'s training points; only when it changes: a brush set on 10,000
        points restyles each of them (13 ms of a click on a large data set went to brushes that were
        already right)."""
        if self._train_brushes[k] != color:
            self._train_brushes[k] = color
            self._train_items[k].setBrush(pg.mkBrush(color))

    def _update_legend(self) -> None:
        entries = self._class_entries + self._curve_entries
        names = [name for _, name in entries]
        if names == self._legend_names:
            return
        self._legend.clear()
        for item, name in entries:
            self._legend.addItem(item, html_text(name))
        cache_painting(self._legend)
        self._legend_names = names
        self._legend.setVisible(bool(entries))
        self._place_hint()

    def set_axis_names(self, x_name: str, y_name: str) -> None:
        """Name the axes after the data's columns."""
        self.setLabel("bottom", html_text(x_name))
        self.setLabel("left", html_text(y_name))

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

    def show_geometry(self, geometry, colors: np.ndarray | None, classes=None, playing: bool = False) -> bool:
        """Draw a :class:`~regstudio.core.views.Geometry`; None clears the fit.  Returns whether the
        plot was redrawn.

        Regression: the fitted curves (one per group), the residual segments and the dashed reference.
        Classification: the probability map coloured by ``colors`` (K, 3) with its key (naming
        ``classes``, the problem's class labels in model order), the decision boundary, the dashed
        exact boundary and, for the cascade, each hidden unit's σ = ½ line in a colour of its own.

        ``playing``: a frame of a run that goes on.  A fit no line of which moved by STILL_PIXELS from
        the one drawn, with a map within STILL_LEVELS of its colours, is left as drawn (only the note
        under the plot follows): a converging run moves its boundary by a tenth of a pixel a frame, and
        each redraw cost the window's thread, which training shares, 2–4 ms.  The drawing never lags by
        more than that, and a paused or finished run's frame is always drawn exactly.
        """
        if playing and self._looks_the_same(geometry, colors, classes):
            self._set_formula_text(localized(geometry.note))
            return False
        probabilities = geometry.probabilities if geometry is not None else None
        image = None
        if probabilities is not None and colors is not None:
            image = class_map_image(probabilities, colors, geometry.ordered)
        self._drawn = (geometry, None if colors is None else colors.copy(), None if classes is None else tuple(classes))
        curves = geometry.curves if geometry is not None else ()
        while len(self._curves) < len(curves):
            item = Polyline(pg.mkPen(FIT_COLOR, width=3 * self.scale))
            item.setZValue(8)
            self.addItem(item)
            self._curves.append(item)
        hidden = geometry.hidden_lines if geometry is not None else ()
        self._ensure_hidden_items(len(hidden))
        self._curve_entries = [(self._curves[i], str(group)) for i, (group, _, _) in enumerate(curves)
                               if group is not None]
        if probabilities is not None:
            if geometry.ordered:
                boundary = self.tr("boundaries P(y ≤ k) = ½ (parallel)")
            elif probabilities.shape[-1] == 2:
                boundary = self.tr("p = ½ boundary")
            else:
                boundary = self.tr("class boundary")
            self._curve_entries.append((self._boundary, boundary))
        self._curve_entries += self._hidden_entries(len(hidden))
        shared = geometry.shared_curve if geometry is not None else None
        if shared is not None:
            self._curve_entries.append((self._shared_line, self.tr("one shared line (groups ignored)")))
        residuals = geometry.residuals if geometry is not None else None
        if residuals is not None:
            self._curve_entries.append((self._residuals, self.tr("residuals")))
        reference = geometry.reference if geometry is not None else None
        if reference is not None:
            self._curve_entries.append((self._reference, localized(geometry.reference_label)))
        self._update_legend()
        self._style_curves(len(curves))
        for i, item in enumerate(self._curves):
            _show_curve(item, curves[i][1:] if i < len(curves) else None)
        if len(hidden) != self._hidden_count:  # a unit's colour depends on how many there are
            self._hidden_count = len(hidden)
            for k in range(len(hidden)):
                color = hidden_unit_color(k, len(hidden))
                # Dashes cost Qt a stroke per dash: past a legend's worth of units, solid and
                # without antialiasing (32 dashed units took 11.6 ms a paint); below, dashes twice
                # Qt's usual length (two units: 0.83 → 0.35 ms a paint).
                many = len(hidden) > MAX_HIDDEN_LEGEND
                pen = pg.mkPen(color, width=1 if many else 2, style=Qt.PenStyle.SolidLine)
                if not many:
                    pen.setDashPattern(HIDDEN_DASHES)
                self._hidden_lines[k].setPen(pen)
                self._hidden_lines[k].set_antialias(not many)
        for k, item in enumerate(self._hidden_lines):
            _show_curve(item, hidden[k] if k < len(hidden) else None)
        _show_curve(self._residuals, None if residuals is None else _segment_ends(residuals))
        _show_curve(self._reference, reference)
        _show_curve(self._shared_line, shared)
        self._set_formula_text(localized(geometry.note) if geometry is not None else "")
        if image is None or probabilities is None:  # classification always comes with its colours
            self._image.clear()
            _show_curve(self._boundary, None)
            self.map_key.show_classes((), None)
            return True
        K = probabilities.shape[-1]
        names = classes if classes is not None and len(classes) == K else [str(k) for k in range(K)]
        self.map_key.show_classes(names, colors)
        (x0, x1), (y0, y1) = geometry.view.x_range, geometry.view.y_range
        rows, columns = probabilities.shape[:2]
        w, h = (x1 - x0) / (columns - 1), (y1 - y0) / (rows - 1)
        self._image.set_map(image, QRectF(x0 - w / 2, y0 - h / 2, w * columns, h * rows))
        self._boundary.setData(*geometry.boundaries)
        return True

    def _looks_the_same(self, geometry, colors: np.ndarray | None, classes) -> bool:
        """Whether drawing ``geometry`` would show what is drawn, to within STILL_PIXELS and STILL_LEVELS."""
        drawn, drawn_colors, drawn_classes = self._drawn
        if geometry is None or drawn is None or geometry.view != drawn.view:
            return False
        same_kind = (geometry.ordered == drawn.ordered and geometry.reference_label == drawn.reference_label
                     and (None if classes is None else tuple(classes)) == drawn_classes
                     and (colors is None) == (drawn_colors is None)
                     and (colors is None or np.array_equal(colors, drawn_colors))
                     and len(geometry.curves) == len(drawn.curves)
                     and all(new[0] == old[0] for new, old in zip(geometry.curves, drawn.curves))
                     and len(geometry.hidden_lines) == len(drawn.hidden_lines))
        if not same_kind:
            return False
        if colors is not None and _map_levels_moved(geometry.probabilities, drawn.probabilities,
                                                    geometry.ordered) > STILL_LEVELS:
            return False
        pixel = self.canvas.viewPixelSize()
        if not all(np.isfinite(pixel)) or min(pixel) <= 0:
            return False
        pairs = [(new[1:], old[1:]) for new, old in zip(geometry.curves, drawn.curves)]
        pairs += list(zip(geometry.hidden_lines, drawn.hidden_lines))
        pairs += [(getattr(geometry, name), getattr(drawn, name))
                  for name in ("boundaries", "residuals", "reference", "shared_curve")]
        return all(_pixels_moved(new, old, pixel) <= STILL_PIXELS for new, old in pairs)

    def _style_curves(self, count: int) -> None:
        """The pens of the first ``count`` fitted curves: one colour for one curve, a colour per group
        for several.  Only a pen that changes is set (setting one restyles the curve: 0.25 ms a frame)."""
        for i in range(count):
            pen = (GROUP_COLORS[i % len(GROUP_COLORS)] if count > 1 else FIT_COLOR, 3 * self.scale)
            if self._curve_pens.get(i) != pen:
                self._curve_pens[i] = pen
                self._curves[i].setPen(pg.mkPen(pen[0], width=pen[1]))

    def _ensure_hidden_items(self, count: int) -> None:
        while len(self._hidden_lines) < count:
            item = Polyline(None)
            item.setZValue(6)   # above the output's boundary, which they would otherwise hide where they meet
            self.addItem(item)
            self._hidden_lines.append(item)

    def _hidden_entries(self, count: int) -> list:
        """Legend entries of ``count`` hidden units: one per unit, numbered from 1 as the parameters
        table ("hidden 1: w x1") and the hidden space's axes ("σ(hidden 1)") number them; one for all
        when there are more than MAX_HIDDEN_LEGEND."""
        if count > MAX_HIDDEN_LEGEND:
            return [(self._hidden_lines[0], self.tr("hidden units 1–{last} (σ = ½)").format(last=count))]
        return [(self._hidden_lines[k], self.tr("hidden {k}: σ = ½").format(k=k + 1)) for k in range(count)]

    def _set_formula_text(self, text: str) -> None:
        if text != self.formula_text:
            self.formula_text = text
            self.formulaChanged.emit(text)

    def clear_fit(self) -> None:
        self.show_geometry(None, None)

    def view_ranges(self) -> tuple[tuple[float, float], tuple[float, float]]:
        (x0, x1), (y0, y1) = self.canvas.viewRange()
        return (float(x0), float(x1)), (float(y0), float(y1))


def _pixels_moved(new: tuple | None, old: tuple | None, pixel: tuple[float, float]) -> float:
    """How far, in screen pixels, the furthest vertex of a NaN-separated polyline (xs, ys) moved;
    infinite when the two differ in length or where they break (or one is missing)."""
    if new is None or old is None:
        return 0.0 if new is None and old is None else math.inf
    (nx, ny), (ox, oy) = (np.asarray(a, dtype=np.float64) for a in new), (np.asarray(a, dtype=np.float64) for a in old)
    if nx.shape != ox.shape or ny.shape != oy.shape:
        return math.inf
    breaks = np.isnan(nx) | np.isnan(ny)
    if not np.array_equal(breaks, np.isnan(ox) | np.isnan(oy)):
        return math.inf
    if breaks.all():
        return 0.0
    keep = ~breaks
    moved = max(np.max(np.abs(nx[keep] - ox[keep])) / pixel[0], np.max(np.abs(ny[keep] - oy[keep])) / pixel[1])
    return float(moved) if np.isfinite(moved) else math.inf


def _map_levels_moved(new: np.ndarray | None, old: np.ndarray | None, ordered: bool) -> float:
    """At most how many of 255 levels a colour of the probability map moves from ``old``'s map to
    ``new``'s (:func:`~regstudio.core.views.class_map_image`), worked out from the probabilities
    (rows, columns, K) without making the image (0.25–0.3 ms a frame); infinite when a cell's
    likeliest class changes, or one map is missing.

    With the likeliest class kept, a cell's colour moves only by its opacity, 30 + 120·c with the
    certainty c = (max P − 1/K)/(1 − 1/K): at most 120·K/(K − 1) levels per unit of probability.  An
    ordinal map also mixes towards a neighbour by half of |E − k|, E = Σ k·P_k: at most 255/2 levels
    per unit of E.  One level more for rounding.
    """
    if new is None or old is None:
        return 0.0 if new is None and old is None else math.inf
    if new.shape != old.shape or not np.array_equal(np.argmax(new, axis=-1), np.argmax(old, axis=-1)):
        return math.inf
    K = new.shape[-1]
    moved = 120 * K / (K - 1) * float(np.abs(new - old).max())
    if ordered:
        ranks = np.arange(K, dtype=np.float64)
        moved = max(moved, 255 / 2 * float(np.abs((new - old) @ ranks).max()))
    return 1 + moved


def _segment_ends(xy: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The ends of NaN-separated two-point segments (x₁, x₂, NaN, …): (x₁, x₂, …), for connect="pairs"."""
    xs, ys = (np.asarray(a, dtype=np.float64).reshape(-1, 3)[:, :2].ravel() for a in xy)
    return xs, ys


def _show_curve(item: Polyline, xy: tuple | None) -> None:
    """Give a line the (x, y) arrays ``xy``, or none."""
    if xy is None:
        item.clear()
    else:
        item.setData(*xy)


def _padded(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo if hi > lo else max(1.0, abs(hi))
    return lo - 0.12 * span, hi + 0.12 * span
