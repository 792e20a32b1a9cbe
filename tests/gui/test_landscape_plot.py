"""The landscape widget shows the core's log-scaled landscape and turns a click into parameters."""

from __future__ import annotations

import numpy as np
import pytest
from guihelpers import shown
from PySide6.QtCore import QPointF, Qt

from regstudio.core import generators
from regstudio.core.landscape import (
    LandscapeRequest,
    compute_landscape,
    contour_lines,
    log_scale,
    parameter_labels,
)
from regstudio.core.training import Settings, prepare
from regstudio.gui.landscape_plot import LandscapePlot


@pytest.fixture
def problem():
    return prepare(generators.generate("line", 30, 0.5, seed=2), Settings(model="linear"))


@pytest.fixture
def plot(qtbot):
    return shown(qtbot, LandscapePlot(), 500, 400)


def _landscape(problem, x_range=(-1.0, 4.0), y_range=(-2.0, 3.0), resolution=33):
    return compute_landscape(problem, np.array([0.5, 0.0]), LandscapeRequest(0, 1, x_range, y_range, resolution))


def _viewport_point(plot, x, y):
    scene_point = plot.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y))
    return plot.mapFromScene(scene_point)


def test_shows_the_log_scaled_landscape_with_its_labels_and_ranges(plot, problem, qtbot):
    plot.set_parameter_labels(parameter_labels(problem))
    landscape = _landscape(problem)
    plot.show_landscape(landscape)
    image, levels = log_scale(landscape.values)
    np.testing.assert_allclose(plot.image_data(), image, rtol=1e-6)
    np.testing.assert_allclose(plot._image.levels, levels)
    assert plot.objectName() == "landscapePlot"
    assert plot.getPlotItem().getAxis("bottom").labelText == "w x"
    assert plot.getPlotItem().getAxis("left").labelText == "b (bias)"
    (x0, x1), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    assert x0 < -1.0 < 4.0 < x1 and y0 < -2.0 < 3.0 < y1
    xs, ys = contour_lines(landscape, 8)
    np.testing.assert_array_equal(plot._contours.getData()[0], xs)
    np.testing.assert_array_equal(plot._contours.getData()[1], ys)
    # A new landscape on other ranges replaces the picture and moves the view.
    other = _landscape(problem, (2.0, 3.0), (0.0, 0.5), 17)
    plot.show_landscape(other)
    np.testing.assert_allclose(plot.image_data(), log_scale(other.values)[0], rtol=1e-6)
    (x0, x1), _ = plot.getPlotItem().getViewBox().viewRange()
    assert 1.9 < x0 < 2.0 and 3.0 < x1 < 3.1
    plot.show_landscape(None)
    assert plot.image_data() is None


def test_the_bowls_floor_is_drawn_dark_and_its_rim_bright(plot, problem, qtbot):
    landscape = _landscape(problem)
    plot.show_landscape(landscape)
    qtbot.wait(20)
    r, c = np.unravel_index(np.argmin(landscape.values), landscape.values.shape)
    R, C = np.unravel_index(np.argmax(landscape.values), landscape.values.shape)
    picture = plot.grab().toImage()
    ratio = plot.devicePixelRatioF()

    def brightness(x, y):
        point = _viewport_point(plot, x, y) + plot.viewport().pos()
        return picture.pixelColor(int(point.x() * ratio), int(point.y() * ratio)).lightness()

    assert brightness(landscape.xs[c], landscape.ys[r]) + 100 < brightness(landscape.xs[C], landscape.ys[R])


def test_path_current_point_and_optimum(plot, problem):
    plot.show_landscape(_landscape(problem))
    plot.set_path([0.0, 0.5, 1.0], [0.0, 0.2, 0.3])
    plot.set_current(1.0, 0.3)
    plot.set_optimum((2.0, 1.0))
    np.testing.assert_array_equal(plot._path.getData()[0], [0.0, 0.5, 1.0])
    assert plot._current.data["x"].tolist() == [1.0] and plot._optimum.data["y"].tolist() == [1.0]
    plot.set_optimum(None)
    plot.set_current(None)
    assert len(plot._optimum.data) == 0 and len(plot._current.data) == 0
    assert "path points=3" in repr(plot)


def test_left_click_emits_the_clicked_parameters(plot, problem, qtbot):
    plot.show_landscape(_landscape(problem))
    qtbot.wait(20)
    target = (2.5, 1.25)
    with qtbot.waitSignal(plot.startRequested, timeout=2000) as blocker:
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=_viewport_point(plot, *target))
    x, y = blocker.args
    view_box = plot.getPlotItem().getViewBox()
    pixel_x, pixel_y = (abs(v) for v in view_box.viewPixelSize())
    assert abs(x - target[0]) <= 1.5 * pixel_x and abs(y - target[1]) <= 1.5 * pixel_y
    with qtbot.assertNotEmitted(plot.startRequested, wait=50):
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton, pos=_viewport_point(plot, *target))
