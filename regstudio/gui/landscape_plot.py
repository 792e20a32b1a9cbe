"""The loss landscape plot: J over two parameters as a log-scaled heat map with contours, the
optimizer's path, the current point and the exact optimum.

The window computes nothing here: it hands over a :class:`~regstudio.core.landscape.Landscape`
(``show_landscape``), the parameter labels (``set_parameter_labels``), and the path and points in
the landscape's two parameters.  Items are created once and updated with ``setData``/``setImage``;
the axis ranges are the landscape's own and change only with a new landscape's ranges.  A left click
inside the plot emits ``startRequested(θ_i, θ_j)`` — the window restarts training from there.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import PySide6  # noqa: F401  (pyqtgraph must pick PySide6, docs/architecture.md, pitfalls)
from PySide6.QtCore import QRectF, Qt, Signal

from regstudio.core.landscape import Landscape, contour_lines, log_scale

from .i18n import localized
from .polyline import Polyline
from .safe_text import html_text
from .style import plain_plot

COLOR_MAP = "viridis"        # sequential and colour-blind safe: dark floor, bright rim
CONTOUR_COUNT = 8
CONTOUR_COLOR = (255, 255, 255, 110)
PATH_COLOR = "#D55E00"
CURRENT_COLOR = "#FFFFFF"
OPTIMUM_COLOR = "#E69F00"


RECENT_MARKERS = 60


class LandscapePlot(pg.PlotWidget):
    """Heat map of log10(J − J_min + ε) (see :func:`~regstudio.core.landscape.log_scale`) at fixed
    levels, with a colour bar in those units, contours at log-spaced heights, the path (polyline with
    markers), the current point (white disc) and the exact optimum (star)."""

    startRequested = Signal(float, float)

    def __init__(self, parent=None, color_bar: bool = True):
        """``color_bar`` False leaves out the colour key (where maps sit side by side in a short dock,
        it took two fifths of each map's width)."""
        super().__init__(parent)
        self.setObjectName("landscapePlot")
        plain_plot(self)
        self.setAccessibleName(self.tr("Loss landscape"))
        self._landscape: Landscape | None = None
        self._labels: list[str] = []
        self._optimum_xy: tuple[float, float] | None = None
        plot = self.getPlotItem()
        plot.getViewBox().setMouseEnabled(False, False)
        plot.hideButtons()
        self._color_map = pg.colormap.get(COLOR_MAP)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setColorMap(self._color_map)
        self.addItem(self._image)
        self._color_bar: pg.ColorBarItem | None = None
        if color_bar:
            self._color_bar = pg.ColorBarItem(colorMap=self._color_map, interactive=False, width=12,
                                              label="log10(J − J_min + ε)")
            self._color_bar.setImageItem(self._image, insert_in=plot)
        self._contours = Polyline(pg.mkPen(CONTOUR_COLOR, width=1), antialias=False)
        # The whole path as a line; markers only on its newest points (markers on thousands of points
        # made each paint several times dearer, and the old ones only blur into the line).
        self._path = Polyline(pg.mkPen(PATH_COLOR, width=2), antialias=False)
        self._recent = pg.ScatterPlotItem(size=5, pen=None, brush=PATH_COLOR)
        self._current = pg.ScatterPlotItem(size=11, pen=pg.mkPen("#000000", width=1.5), brush=CURRENT_COLOR)
        self._optimum = pg.ScatterPlotItem(symbol="star", size=18, pen=pg.mkPen("#000000", width=1),
                                           brush=OPTIMUM_COLOR)
        # Where the path leaves the map (it diverges past what the map may widen to), pointing on.
        self._exit = pg.ArrowItem(headLen=16, tailLen=10, tailWidth=3, pen=pg.mkPen("#000000"), brush=PATH_COLOR)
        self._exit.hide()
        for z, item in enumerate((self._contours, self._path, self._recent, self._current, self._optimum,
                                  self._exit), start=1):
            item.setZValue(z)
            self.addItem(item)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)

    def __repr__(self) -> str:
        xs, _ = self._path.getData()
        return f"LandscapePlot({self._landscape!r}, path points={0 if xs is None else len(xs)})"

    @property
    def landscape(self) -> Landscape | None:
        return self._landscape

    def set_parameter_labels(self, labels: list[str]) -> None:
        """One label per θ entry (``core.landscape.parameter_labels``); the axes show the pair's."""
        self._labels = list(labels)
        self._update_axis_labels()

    def show_landscape(self, landscape: Landscape | None) -> None:
        """Draw ``landscape`` (None clears the map and contours); the view takes its ranges."""
        previous, self._landscape = self._landscape, landscape
        if landscape is None:
            self._image.clear()
            self._contours.clear()
            return
        image, levels = log_scale(landscape.values)
        (x0, x1), (y0, y1) = landscape.x_range, landscape.y_range
        rows, columns = image.shape
        w, h = (x1 - x0) / (columns - 1), (y1 - y0) / (rows - 1)
        self._image.setImage(image.astype(np.float32), autoLevels=False, levels=levels)
        self._image.setRect(QRectF(x0 - w / 2, y0 - h / 2, w * columns, h * rows))
        if self._color_bar is not None:
            self._color_bar.setLevels(levels)
        self._contours.setData(*contour_lines(landscape, CONTOUR_COUNT))
        if previous is None or (previous.x_range, previous.y_range, previous.i, previous.j) != (
                landscape.x_range, landscape.y_range, landscape.i, landscape.j):
            self.setRange(xRange=(x0 - w / 2, x1 + w / 2), yRange=(y0 - h / 2, y1 + h / 2), padding=0)
            self._update_axis_labels()

    def set_path(self, xs, ys) -> None:
        """The optimizer's path so far in the two parameters (the window accumulates it)."""
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        self._path.setData(xs, ys)
        self._recent.setData(xs[-RECENT_MARKERS:], ys[-RECENT_MARKERS:])

    def set_current(self, x: float | None, y: float | None = None) -> None:
        """Mark the current point (None hides it)."""
        self._current.setData([] if x is None else [x], [] if x is None else [y])

    def set_exit(self, xy: tuple[float, float] | None, direction: tuple[float, float] = (1.0, 0.0)) -> None:
        """An arrow at ``xy`` on the map's edge pointing along ``direction`` (data units), where the
        path leaves the map; None hides it."""
        if xy is None:
            self._exit.hide()
            return
        (x0, x1), (y0, y1) = self.viewRange()
        # The arrow's angle is on screen: scale the direction by the pixels per data unit of each axis.
        dx = direction[0] * self.width() / max(x1 - x0, 1e-300)
        dy = direction[1] * self.height() / max(y1 - y0, 1e-300)
        # At angle 0 an ArrowItem's tip (at its position) points to −x; its angle turns it clockwise on
        # screen, where y grows downwards.
        self._exit.setStyle(angle=math.degrees(math.atan2(-dy, dx)) - 180)
        self._exit.setPos(*xy)
        self._exit.show()

    @property
    def exit_shown(self) -> bool:
        return self._exit.isVisible()

    def set_optimum(self, xy: tuple[float, float] | None) -> None:
        """Mark the exact optimum θ* in the two parameters (None: there is none)."""
        if xy == self._optimum_xy:  # asked every frame, changes with λ and the data
            return
        self._optimum_xy = xy
        self._optimum.setData([] if xy is None else [xy[0]], [] if xy is None else [xy[1]])

    def image_data(self) -> np.ndarray | None:
        """What the heat map shows (rows = second parameter), for tests and export."""
        return self._image.image

    def _update_axis_labels(self) -> None:
        landscape = self._landscape
        if landscape is None:
            return
        names = [localized(self._labels[k]) if k < len(self._labels) else f"θ[{k}]"
                 for k in (landscape.i, landscape.j)]
        self.setLabel("bottom", html_text(names[0]))
        self.setLabel("left", html_text(names[1]))

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._landscape is None:
            return
        view_box = self.getPlotItem().getViewBox()
        if not view_box.sceneBoundingRect().contains(event.scenePos()):
            return
        point = view_box.mapSceneToView(event.scenePos())
        event.accept()
        self.startRequested.emit(float(point.x()), float(point.y()))
