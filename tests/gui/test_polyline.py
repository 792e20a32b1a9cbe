"""Polyline, the plots' line item: what it draws, where, and its bounds."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from guihelpers import shown
from PySide6.QtGui import QColor

from regstudio.gui.polyline import Polyline

RED = "#ff0000"


def plot_with(qtbot, item: Polyline) -> pg.PlotWidget:
    plot = shown(qtbot, pg.PlotWidget(), 400, 300)
    plot.hideAxis("left")
    plot.hideAxis("bottom")
    plot.addItem(item)
    plot.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    qtbot.wait(10)
    return plot


def colour_at(plot: pg.PlotWidget, x: float, y: float) -> str:
    """The colour painted at view point (x, y)."""
    image = plot.grab().toImage()
    point = plot.mapFromScene(plot.plotItem.vb.mapViewToScene(pg.Point(x, y)))
    return QColor(image.pixel(point.x(), point.y())).name()


def test_a_line_is_drawn_where_its_points_are_and_a_nan_breaks_it(qtbot):
    line = Polyline(pg.mkPen(RED, width=3), antialias=False)
    line.setData([1, 4, np.nan, 6, 9], [5, 5, np.nan, 5, 5])
    plot = plot_with(qtbot, line)
    assert colour_at(plot, 2.5, 5) == RED and colour_at(plot, 7.5, 5) == RED
    assert colour_at(plot, 5, 5) != RED     # the gap the NaN makes
    assert colour_at(plot, 2.5, 7) != RED
    xs, ys = line.getData()
    np.testing.assert_array_equal(xs, [1, 4, np.nan, 6, 9])
    line.clear()
    qtbot.wait(10)
    assert colour_at(plot, 2.5, 5) != RED and line.boundingRect().isNull()


def test_pairs_draw_separate_segments(qtbot):
    segments = Polyline(pg.mkPen(RED, width=3), connect="pairs", antialias=False)
    segments.setData([2, 2, 8, 8], [1, 9, 1, 9])   # two vertical segments, not the diagonal between them
    plot = plot_with(qtbot, segments)
    assert colour_at(plot, 2, 5) == RED and colour_at(plot, 8, 5) == RED
    assert colour_at(plot, 5, 5) != RED


def test_bounds_hold_the_points_and_room_for_the_pen_in_pixels(qtbot):
    line = Polyline(pg.mkPen(RED, width=4))
    line.setData([1, 3, np.inf, 9], [2, 8, 0, 5])
    plot = plot_with(qtbot, line)
    pixel_x, pixel_y = plot.plotItem.vb.viewPixelSize()
    rect = line.boundingRect()
    assert rect.left() == pytest.approx(1 - 3 * pixel_x) and rect.right() == pytest.approx(9 + 3 * pixel_x)
    assert rect.top() == pytest.approx(2 - 3 * pixel_y) and rect.bottom() == pytest.approx(8 + 3 * pixel_y)
    plot.setRange(xRange=(0, 100), yRange=(0, 100), padding=0)   # zoomed out: a pixel is 10 × wider
    qtbot.wait(10)
    assert line.boundingRect().left() == pytest.approx(1 - 3 * plot.plotItem.vb.viewPixelSize()[0])
    line.setPen(pg.mkPen(RED, width=10))
    assert line.boundingRect().left() == pytest.approx(1 - 6 * plot.plotItem.vb.viewPixelSize()[0])


def test_bad_data_and_connections_are_refused():
    with pytest.raises(ValueError, match="1-d arrays of one length"):
        Polyline(RED).setData([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="connect"):
        Polyline(RED, connect="all")


def test_a_legend_draws_its_sample(qtbot):
    line = Polyline(pg.mkPen(RED, width=3), antialias=False)
    line.setData([1, 9], [1, 9])
    plot = plot_with(qtbot, line)
    legend = plot.addLegend()
    legend.addItem(line, "fit")
    qtbot.wait(10)
    sample, _ = legend.items[0]
    image = plot.grab().toImage()
    corner = plot.mapFromScene(sample.mapToScene(sample.boundingRect().center()))
    assert QColor(image.pixel(corner.x(), corner.y())).name() == RED
    assert repr(line) == "Polyline(2 points, connect='finite', pen=#ff0000)"
