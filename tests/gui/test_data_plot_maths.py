"""The data plot shows the maths: residuals, the slope formula's line, distinct hidden-unit lines and
the probability map's key."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from guihelpers import (
    WAIT,
    button,
    choose,
    data_plot,
    drawn_curves,
    full_speed,
    pause,
    shown,
    shown_step,
    spin,
    take_steps,
    theta,
    training_thread,
)


def legend_items(window) -> dict[str, pg.GraphicsObject]:
    """{label: plot item} of the data plot's legend."""
    return {label.text: sample.item for sample, label in data_plot(window).plotItem.legend.items}


def curve_data(item) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = item.getData()
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)





def test_residuals_and_the_slope_formula_line_on_the_built_in_line(qtbot, window):
    take_steps(qtbot, window, 5)
    problem = window.controller.problem
    rows = problem.train_rows
    x = problem.dataset.X[rows, 0]
    y = problem.dataset.y[rows].astype(float)
    Xt = np.ascontiguousarray(problem.pipeline.transform(problem.dataset.X[rows]).T)
    fitted = problem.model.predict(theta(window), Xt)
    items = legend_items(window)
    residuals = items["residuals"]

    def residuals_drawn_for_the_shown_step():
        xs, ys = curve_data(residuals)   # the ends of each segment, in pairs
        assert xs.shape == (2 * len(rows),) and residuals.opts["connect"] == "pairs"
        np.testing.assert_array_equal(xs.reshape(-1, 2), np.column_stack([x, x]))
        np.testing.assert_allclose(ys.reshape(-1, 2), np.column_stack([y, fitted]), rtol=1e-9, atol=1e-9)

    qtbot.waitUntil(residuals_drawn_for_the_shown_step, timeout=WAIT)
    # Five steps of gradient descent are far from the least-squares line: the residuals are not zero,
    # and each ends on the drawn fitted line.
    assert np.abs(fitted - y).max() > 0.1
    [curve] = drawn_curves(data_plot(window))
    cx, cy = curve_data(curve)
    np.testing.assert_allclose(np.interp(x, cx, cy), fitted, rtol=1e-6, atol=1e-6)
    # The dashed reference is the notes' slope formula on the training points: least squares.
    m, c = np.polyfit(x, y, 1)
    rx, ry = curve_data(items["slope formula y = m·x + c"])
    assert len(rx) == 2 and rx[0] < rx[1]
    np.testing.assert_allclose(ry, m * rx + c, rtol=1e-9, atol=1e-9)
    plot = data_plot(window)
    assert plot.formula_text == (f"slope formula: x̄ = {x.mean():.4g}, ȳ = {y.mean():.4g}, "
                                 f"m = {m:.4g}, c = {c:.4g}")
    assert not plot.map_key.isVisible()


def test_cascade_hidden_units_have_their_own_colours_and_the_map_a_key(qtbot, window):
    choose(window, "modelCombo", "cascade")
    spin(window, "hiddenSpin").setValue(3)
    take_steps(qtbot, window, 3)
    qtbot.waitUntil(lambda: "hidden 3: σ = ½" in legend_items(window), timeout=WAIT)
    items = legend_items(window)
    units = [items[f"hidden {k + 1}: σ = ½"] for k in range(3)]
    colours = {item.opts["pen"].color().name() for item in units}
    assert len(colours) == 3
    assert "#555555" not in colours and "#222222" not in colours  # not the grey of before, nor the boundary's
    assert all(len(curve_data(item)[0]) for item in units)
    assert "p = ½ boundary" in items and "residuals" not in items
    assert "exact optimum" not in items  # the cascade has no convex objective to solve exactly
    key = data_plot(window).map_key
    problem = window.controller.problem
    assert key.isVisible() and key.title == f"P(class {problem.classes[1]})"


def test_softmax_draws_class_boundaries_the_exact_boundary_and_a_class_key(qtbot, window):
    choose(window, "modelCombo", "softmax")
    choose(window, "generatorCombo", "blobs")
    window.data_panel.noise_spin.setValue(2.0)   # overlapping classes: a finite optimum to draw
    button(window, "generateButton").click()
    take_steps(qtbot, window, 2)
    problem = window.controller.problem
    assert len(problem.classes) == 3
    qtbot.waitUntil(lambda: "class boundary" in legend_items(window), timeout=WAIT)
    items = legend_items(window)
    assert "p = ½ boundary" not in items
    exact_x, _ = curve_data(items["exact optimum"])
    assert np.isfinite(exact_x).sum() > 2
    key = data_plot(window).map_key
    assert key.isVisible() and key.row_names == [f"class {c}" for c in problem.classes]


def classified_points(X: np.ndarray, labels: list[str], test: list[bool]):
    """What ``DataPlot.show_points`` reads of a task's points: two inputs, class labels, test flags."""
    from types import SimpleNamespace

    data = SimpleNamespace(X=X, y=np.array(labels), groups=None, x_names=["x1", "x2"], y_name="y")
    return type("Points", (), {"data": data, "test": np.array(test, dtype=bool), "__len__": lambda self: len(X)})()


def test_only_the_classes_shown_have_point_items_and_each_keeps_its_legend_sample(qtbot):
    """Qt asks every visible item for its bounds at each paint, so the empty ones of the twenty point
    items are hidden; a class whose points are all test points still keeps its (training) item, the
    legend's sample, visible: the legend draws a hidden item's sample as a crossed-out eye."""
    from regstudio.gui.data_plot import DataPlot

    plot = DataPlot()
    qtbot.addWidget(plot)
    points = classified_points(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]]), ["0", "0", "1"], [False, True, True])
    plot.show_points(points, "classification", (0, 1), int)
    visible = [(k, kind) for k in range(len(plot._train_items))
               for kind, item in (("train", plot._train_items[k]), ("test", plot._test_items[k])) if item.isVisible()]
    assert visible == [(0, "train"), (0, "test"), (1, "train"), (1, "test")]
    assert len(plot._train_items[1].data) == 0      # class 1 has test points only
    samples = {label.text: sample.item for sample, label in plot.plotItem.legend.items}
    assert samples == {"class 0": plot._train_items[0], "class 1": plot._train_items[1]}


def shown_plot(qtbot):
    from regstudio.gui.data_plot import DataPlot

    plot = shown(qtbot, DataPlot(), 500, 400)
    plot.canvas.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    return plot


def test_while_playing_a_fit_that_moved_less_than_half_a_pixel_is_not_redrawn(qtbot):
    """Each redraw of the data plot costs the thread training shares 2–4 ms, and a converging run moves
    its line by a tenth of a pixel a frame: such a frame leaves the plot as drawn, until the drawn
    line is half a pixel off; a paused run's frame is drawn exactly."""
    from regstudio.core.views import Geometry, Viewport

    plot = shown_plot(qtbot)
    view = Viewport((0.0, 10.0), (0.0, 10.0))
    pixel = plot.canvas.viewPixelSize()[1]
    xs = np.linspace(0, 10, 50)

    def line(offset_pixels: float) -> Geometry:
        return Geometry(view_id=1, view=view, curves=((None, xs, 0.5 * xs + 2 + offset_pixels * pixel),))

    def drawn_offset() -> float:
        [curve] = drawn_curves(plot)
        return float(np.mean(curve_data(curve)[1] - (0.5 * xs + 2)) / pixel)

    assert plot.show_geometry(line(0.0), None, playing=True)
    assert not plot.show_geometry(line(0.2), None, playing=True)
    assert not plot.show_geometry(line(0.45), None, playing=True)
    assert drawn_offset() == 0.0
    assert plot.show_geometry(line(0.6), None, playing=True)       # half a pixel off the drawn line
    assert abs(drawn_offset() - 0.6) < 1e-9
    assert plot.show_geometry(line(0.65), None, playing=False)     # paused: exactly
    assert abs(drawn_offset() - 0.65) < 1e-9
    moved_view = Geometry(view_id=2, view=Viewport((0.0, 10.0), (0.0, 12.0)), curves=line(0.65).curves)
    assert plot.show_geometry(moved_view, None, playing=True)      # another view: always drawn


def test_while_playing_a_probability_map_within_three_levels_is_not_redrawn(qtbot):
    from regstudio.core.views import Geometry, Viewport, class_map_image

    plot = shown_plot(qtbot)
    view = Viewport((0.0, 10.0), (0.0, 10.0))
    colors = np.array([[230, 159, 0], [0, 114, 178]], dtype=np.uint8)
    grid = np.linspace(0, 10, 64)
    boundary = (np.full(5, 5.0), np.linspace(0, 10, 5))

    def geometry(slope: float, classes=("a", "b")) -> tuple:
        p1 = 1 / (1 + np.exp(-slope * (grid[None, :] - 5.0))) * np.ones((64, 1))
        P = np.stack([1 - p1, p1], axis=-1).astype(np.float32)
        return Geometry(view_id=1, view=view, probabilities=P, boundaries=boundary), colors, classes

    assert plot.show_geometry(*geometry(1.0), playing=True)
    first = plot._image.rgba
    nearly = geometry(1.01)
    assert np.abs(class_map_image(nearly[0].probabilities, colors).astype(int) - first).max() <= 3
    assert not plot.show_geometry(*nearly, playing=True)
    assert plot._image.rgba is first
    sharper = geometry(3.0)
    assert plot.show_geometry(*sharper, playing=True)
    np.testing.assert_array_equal(plot._image.rgba, class_map_image(sharper[0].probabilities, colors))
    assert plot.show_geometry(*geometry(3.0, classes=("b", "a")), playing=True)   # other classes: drawn
    flipped = Geometry(view_id=1, view=view, probabilities=sharper[0].probabilities[:, ::-1], boundaries=boundary)
    assert plot.show_geometry(flipped, colors, ("b", "a"), playing=True)


@pytest.mark.parametrize("K, ordered", [(2, False), (3, False), (5, False), (3, True), (5, True)])
def test_the_maps_level_bound_holds_for_the_images_themselves(K, ordered):
    """The bound the plot checks instead of making the image is never below the image's real change."""
    from regstudio.core.views import class_map_image
    from regstudio.gui.data_plot import _map_levels_moved

    rng = np.random.default_rng(K + 10 * ordered)
    colors = rng.integers(0, 256, size=(K, 3)).astype(np.uint8)
    for scale in (1e-4, 1e-3, 4e-3, 2e-2, 5e-2):
        old = rng.dirichlet(np.ones(K), size=(32, 32))
        new = np.clip(old + rng.normal(0, scale, old.shape), 1e-6, None)
        new /= new.sum(axis=-1, keepdims=True)
        kept = new.argmax(-1) == old.argmax(-1)
        if not kept.all():
            assert _map_levels_moved(new, old, ordered) == np.inf   # some cell's likeliest class changed
            new[~kept] = old[~kept]
        bound = _map_levels_moved(new, old, ordered)
        moved = np.abs(class_map_image(new, colors, ordered).astype(int) - class_map_image(old, colors, ordered)).max()
        assert moved <= bound < 2 * moved + 2   # and not so loose that every frame is drawn
    assert _map_levels_moved(old, old, ordered) == 1.0
    assert _map_levels_moved(None, old, ordered) == np.inf and _map_levels_moved(None, None, ordered) == 0.0


def test_a_paused_run_shows_its_last_fit_exactly(qtbot, window, monkeypatch):
    """With the tolerance made endless, nothing after the first fit is drawn while playing; the frame
    that says the run paused is drawn all the same."""
    from regstudio.gui import data_plot as data_plot_module

    monkeypatch.setattr(data_plot_module, "STILL_PIXELS", 1e9)
    monkeypatch.setattr(data_plot_module, "STILL_LEVELS", 1e9)
    choose(window, "modelCombo", "softmax")
    full_speed(window)
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: (shown_step(window) or 0) >= 300, timeout=WAIT)
    pause(qtbot, window)
    latest = window.controller.latest.geometry
    plot = data_plot(window)
    assert plot._drawn[0] is latest
    boundary = plot._boundary
    np.testing.assert_array_equal(curve_data(boundary)[0], latest.boundaries[0])
    np.testing.assert_array_equal(curve_data(boundary)[1], latest.boundaries[1])


def test_the_window_tells_the_trainer_when_it_leaves_the_fit_as_drawn(qtbot, window):
    """So that geometries come less often while the fit holds still; a drawn one says it moves again."""
    choose(window, "modelCombo", "softmax")
    full_speed(window)
    runner = training_thread(window).runner
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: runner.geometries_left >= 2, timeout=WAIT)
    pause(qtbot, window)
    assert runner.geometries_left == 0   # the frame that says it paused is drawn exactly


def test_a_pause_frame_that_carries_the_skipped_fit_on_draws_it(qtbot, window):
    """The runner may send the pause frame without a geometry of its own: it carries the last one on,
    which the plot skipped while playing; that fit is drawn then."""
    import dataclasses

    choose(window, "modelCombo", "softmax")
    take_steps(qtbot, window, 5)
    frame = window.controller.latest
    plot = data_plot(window)
    assert plot._drawn[0] is frame.geometry
    xs, ys = frame.geometry.boundaries
    nudged = dataclasses.replace(frame.geometry, boundaries=(xs + 0.1 * plot.canvas.viewPixelSize()[0], ys))
    window.presenter._on_controller_frame_arrived(dataclasses.replace(frame, geometry=nudged, playing=True))
    assert plot._drawn[0] is frame.geometry
    window.presenter._on_controller_frame_arrived(dataclasses.replace(frame, geometry=nudged, playing=False))
    assert plot._drawn[0] is nudged
    np.testing.assert_array_equal(curve_data(plot._boundary)[0], nudged.boundaries[0])


def test_presentation_mode_widens_the_drawn_fit_at_once(qtbot, window):
    """Without a new fit to draw (a paused run, or one that stands still while playing), the fitted
    line takes the larger pen when presentation mode starts, and gives it back when it ends."""
    from regstudio.gui.style import PRESENTATION_SCALE

    take_steps(qtbot, window, 3)
    [curve] = drawn_curves(data_plot(window))
    assert curve.opts["pen"].widthF() == 3
    window.set_presentation(True)
    assert curve.opts["pen"].widthF() == 3 * PRESENTATION_SCALE
    window.set_presentation(False)
    assert curve.opts["pen"].widthF() == 3


def test_the_empty_canvas_asks_for_points_and_the_hint_goes_with_the_first(qtbot):
    """An empty text item would still be re-placed by pyqtgraph before every paint: it is hidden."""
    plot = shown_plot(qtbot)

    def points(n):
        return classified_points(np.arange(2.0 * n).reshape(n, 2), ["0"] * n, [False] * n)

    plot.show_points(points(0), "classification", (0, 1), int)
    assert plot._hint.isVisible() and plot._hint.textItem.toPlainText() == "Click to add points"
    plot.show_points(points(3), "classification", (0, 1), int)
    assert not plot._hint.isVisible()
    plot.show_points(points(0), "classification", (0, 1), int)
    assert plot._hint.isVisible()
