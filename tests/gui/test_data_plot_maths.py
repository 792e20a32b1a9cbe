"""The data plot shows the maths: residuals, the slope formula's line, distinct hidden-unit lines and
the probability map's key."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from guihelpers import (
    WAIT,
    button,
    choose,
    data_plot,
    spin,
    take_steps,
    theta,
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
        xs, ys = curve_data(residuals)
        assert xs.shape == (3 * len(rows),)
        np.testing.assert_array_equal(xs.reshape(-1, 3)[:, :2], np.column_stack([x, x]))
        np.testing.assert_allclose(ys.reshape(-1, 3)[:, :2], np.column_stack([y, fitted]), rtol=1e-9, atol=1e-9)
        assert np.isnan(xs[2::3]).all()

    qtbot.waitUntil(residuals_drawn_for_the_shown_step, timeout=WAIT)
    # Five steps of gradient descent are far from the least-squares line: the residuals are not zero,
    # and each ends on the drawn fitted line.
    assert np.abs(fitted - y).max() > 0.1
    [curve] = [item for item in data_plot(window).plotItem.listDataItems() if isinstance(item, pg.PlotDataItem)
               and item.getData()[0] is not None and len(item.getData()[0]) > 2]
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


def test_only_the_classes_shown_have_point_items_and_each_keeps_its_legend_sample(qtbot):
    """Qt asks every visible item for its bounds at each paint, so the empty ones of the twenty point
    items are hidden; a class whose points are all test points still keeps its (training) item, the
    legend's sample, visible: the legend draws a hidden item's sample as a crossed-out eye."""
    from types import SimpleNamespace

    from regstudio.gui.data_plot import DataPlot

    plot = DataPlot()
    qtbot.addWidget(plot)
    data = SimpleNamespace(X=np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]]), y=np.array(["0", "0", "1"]),
                           groups=None, x_names=["x1", "x2"], y_name="y")
    points = type("Points", (), {"data": data, "test": np.array([False, True, True]), "__len__": lambda self: 3})()
    plot.show_points(points, "classification", (0, 1), int)
    visible = [(k, kind) for k in range(len(plot._train_items))
               for kind, item in (("train", plot._train_items[k]), ("test", plot._test_items[k])) if item.isVisible()]
    assert visible == [(0, "train"), (0, "test"), (1, "train"), (1, "test")]
    assert len(plot._train_items[1].data) == 0      # class 1 has test points only
    samples = {label.text: sample.item for sample, label in plot.plotItem.legend.items}
    assert samples == {"class 0": plot._train_items[0], "class 1": plot._train_items[1]}
