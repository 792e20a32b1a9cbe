"""A plot line that costs the window's thread one Qt call a paint.

pyqtgraph's curve items (``PlotDataItem`` over ``PlotCurveItem``) recompute their bounds, tell the
view box, re-decide how to draw and rebuild their path in Python, around every ``setData`` and every
paint: 0.2–0.4 ms per curve and frame, for the handful of curves a frame moves, with the training
thread standing aside all that time (it shares the interpreter with the window).  A
:class:`Polyline` keeps the path Qt draws and its bounds, both made once per ``setData``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPainterPath


class Polyline(pg.GraphicsObject):
    """A line through the points (x, y) in the view's coordinates, with a pen whose width is in pixels.

    ``connect="finite"``: one polyline that a NaN in x or y breaks.  ``connect="pairs"``: separate
    segments, the ends of each in turn (x₁, x₂, x₁, x₂, …), drawn as lines, which Qt draws much
    faster than a path of as many pieces.

    ``opts`` holds the pen and antialiasing under pyqtgraph's names, so a legend draws the line's sample.
    """

    def __init__(self, pen, connect: str = "finite", antialias: bool | None = None):
        super().__init__()
        if connect not in ("finite", "pairs"):
            raise ValueError(f"connect must be 'finite' or 'pairs', not {connect!r}")
        self.opts = {"pen": pg.mkPen(pen), "connect": connect, "symbol": None, "fillLevel": None,
                     "antialias": pg.getConfigOption("antialias") if antialias is None else antialias}
        self._xs: np.ndarray | None = None
        self._ys: np.ndarray | None = None
        self._path = QPainterPath()
        self._segments = None   # pyqtgraph's packed QLineF array, for "pairs"
        self._data_rect: QRectF | None = None   # the finite points' extent; None: nothing to draw
        self._rect: QRectF | None = None        # that extent with room for the pen; None: not yet worked out

    def __repr__(self) -> str:
        n = 0 if self._xs is None else len(self._xs)
        return f"Polyline({n} points, connect={self.opts['connect']!r}, pen={self.opts['pen'].color().name()})"

    # --- data -------------------------------------------------------------------------------------

    def setData(self, xs, ys) -> None:
        """Draw through ``xs``, ``ys`` (equal lengths); empty arrays draw nothing."""
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        if xs.shape != ys.shape or xs.ndim != 1:
            raise ValueError(f"x and y must be 1-d arrays of one length, not {xs.shape} and {ys.shape}")
        self._xs, self._ys = xs, ys
        finite = np.isfinite(xs) & np.isfinite(ys)
        if self.opts["connect"] == "pairs":
            self._segments = arrayToLineSegments(xs, ys, "pairs", finiteCheck=True, out=self._segments)
        else:
            self._path = pg.arrayToQPath(xs, ys, connect="finite") if finite.sum() >= 2 else QPainterPath()
        data_rect = None
        if finite.any():
            fx, fy = xs[finite], ys[finite]
            x0, x1, y0, y1 = float(fx.min()), float(fx.max()), float(fy.min()), float(fy.max())
            data_rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.prepareGeometryChange()
        self._data_rect, self._rect = data_rect, None
        self.update()

    def clear(self) -> None:
        """Draw nothing (an item that draws nothing already is left alone)."""
        if self._xs is not None and len(self._xs):
            self.setData(np.empty(0), np.empty(0))

    def getData(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The points drawn, as given to :meth:`setData` (None, None before any)."""
        return self._xs, self._ys

    def setPen(self, pen) -> None:
        pen = pg.mkPen(pen)
        if pen != self.opts["pen"]:
            self.opts["pen"] = pen
            self.prepareGeometryChange()
            self._rect = None   # a wider pen needs more room
            self.update()

    def set_antialias(self, antialias: bool) -> None:
        if antialias != self.opts["antialias"]:
            self.opts["antialias"] = antialias
            self.update()

    # --- drawing ----------------------------------------------------------------------------------

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        # The room for the pen is in pixels, so in view units it changes with the view's scale.
        self.prepareGeometryChange()
        self._rect = None

    def boundingRect(self) -> QRectF:
        if self._rect is None:
            if self._data_rect is None:
                self._rect = QRectF()
            else:
                room = self.opts["pen"].widthF() / 2 + 1   # pixels: half the pen, and antialiasing
                dx, dy = (room * _length(vector) for vector in self.pixelVectors())
                self._rect = self._data_rect.adjusted(-dx, -dy, dx, dy)
        return self._rect

    def paint(self, painter, *args) -> None:
        if self._data_rect is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self.opts["antialias"])
        painter.setPen(self.opts["pen"])
        if self._segments is not None:
            painter.drawLines(*self._segments.drawargs())
        else:
            painter.drawPath(self._path)


def _length(vector) -> float:
    """A pixel vector's length in view units; 0 where the view has no scale yet (or an absurd one)."""
    try:
        return 0.0 if vector is None else float(vector.length())
    except OverflowError:
        return 0.0
