"""The maths the data plot shows beside the fit: residuals, the slope formula and the exact reference."""

import numpy as np
import pytest

from regstudio.core import views
from regstudio.core.data import Dataset
from regstudio.core.generators import generate
from regstudio.core.modelfile import original_units
from regstudio.core.training import Settings, Trainer, prepare
from regstudio.core.views import (
    EXACT_LABEL,
    SLOPE_FORMULA_LABEL,
    Viewport,
    boundary_fields,
    plot_geometry,
    probability_grid,
    regression_curves,
    residual_segments,
    slope_formula,
)

VIEW = Viewport((-3.0, 3.0), (-4.0, 4.0), (0, 1), resolution=32)


def _problem(data, n=40, noise=0.3, seed=2, **settings):
    return prepare(generate(data, n, noise, seed=seed), Settings(**settings))


def _segments(pair):
    """(n, 3) xs and ys of NaN-separated two-point segments."""
    xs, ys = pair
    return xs.reshape(-1, 3), ys.reshape(-1, 3)


@pytest.mark.parametrize("data, model", [("line", "linear"), ("hidden_factor", "linear"), ("line", "polynomial")])
def test_residuals_run_from_each_training_point_to_its_prediction(data, model):
    problem = _problem(data, model=model, steps=25)
    trainer = Trainer(problem)
    list(trainer.run())
    xs, ys = _segments(residual_segments(problem, trainer.theta))
    rows = problem.train_rows
    assert len(xs) == len(rows) and 0 < len(problem.test_rows)  # training rows only
    X, groups = problem.dataset.X[rows], problem.dataset.groups
    Xt = problem.pipeline.transform(X, None if groups is None else groups[rows]).T
    np.testing.assert_array_equal(xs[:, 0], X[:, 0])
    np.testing.assert_array_equal(xs[:, 1], X[:, 0])
    np.testing.assert_array_equal(ys[:, 0], problem.dataset.y[rows])
    np.testing.assert_allclose(ys[:, 1], problem.model.predict(trainer.theta, np.ascontiguousarray(Xt)), rtol=1e-12)
    assert np.isnan(xs[:, 2]).all() and np.isnan(ys[:, 2]).all()


def test_many_residuals_are_a_fixed_subsample_of_true_segments():
    problem = _problem("line", n=500, model="linear", test_fraction=0.0)
    theta = np.array([1.5, -0.5])
    first = residual_segments(problem, theta, limit=60)
    np.testing.assert_array_equal(first[0], residual_segments(problem, theta, limit=60)[0])
    xs, ys = _segments(first)
    assert len(xs) == 60
    # Each segment is a training point and its own prediction, and the sample spans the rows.
    x_all, y_all = problem.dataset.X[problem.train_rows, 0], problem.dataset.y[problem.train_rows]
    row = np.array([np.flatnonzero((x_all == x) & (y_all == y))[0] for x, y in zip(xs[:, 0], ys[:, 0])])
    assert len(set(row.tolist())) == 60 and row.min() == 0 and row.max() == len(x_all) - 1
    predicted = problem.model.predict(theta, np.ascontiguousarray(problem.Xt_train[:, row]))
    np.testing.assert_allclose(ys[:, 1], predicted, rtol=1e-12)


def test_slope_formula_is_least_squares_and_gradient_descent_converges_to_it():
    problem = _problem("line", n=30, model="linear", lr=0.1, steps=20_000, tol=1e-10)
    geometry = plot_geometry(problem, np.zeros(2), VIEW)
    formula = geometry.slope_formula
    x = problem.dataset.X[problem.train_rows, 0]
    y = problem.dataset.y[problem.train_rows]
    m, c = np.polyfit(x, y, 1)
    assert (formula.m, formula.c) == pytest.approx((m, c), rel=1e-10)
    assert (formula.x_mean, formula.y_mean) == pytest.approx((x.mean(), y.mean()), rel=1e-12)
    assert formula.text == (f"slope formula: x̄ = {x.mean():.4g}, ȳ = {y.mean():.4g}, m = {m:.4g}, c = {c:.4g}")
    # The dashed reference is that line across the view.
    assert geometry.reference_label == SLOPE_FORMULA_LABEL
    rx, ry = geometry.reference
    np.testing.assert_allclose(rx, VIEW.x_range)
    np.testing.assert_allclose(ry, m * rx + c, rtol=1e-12)
    # Gradient descent on the same training rows ends on the formula's line.
    trainer = Trainer(problem)
    *_, last = trainer.run()
    assert last.stop_reason == "converged"
    units = original_units(problem, trainer.theta)
    (slope,) = units["coefficients"].values()
    assert slope == pytest.approx(m, abs=1e-6)
    assert units["intercept"] == pytest.approx(c, abs=1e-6)


@pytest.mark.parametrize("settings", [{"test_fraction": 0.0}, {"test_fraction": 0.3},
                                      {"test_fraction": 0.0, "standardize": False},
                                      {"test_fraction": 0.0, "dtype": "float32"}])
def test_a_problems_slope_formula_is_the_formula_on_its_training_rows_far_from_the_origin(settings):
    # Computed from the standardised inputs when it can (no new array on a large data set): it must
    # agree with the textbook formula, also for inputs whose mean dwarfs their spread.
    rng = np.random.default_rng(5)
    x = 1e6 + rng.uniform(0, 1, 200)
    y = 3.0 * (x - 1e6) + 2.0 + rng.normal(0, 0.1, 200)
    data = Dataset(x[:, None], y, None, ("x",), "y")
    problem = prepare(data, Settings(model="linear", **settings))
    rows = problem.train_rows
    expected = slope_formula(x[rows], y[rows])
    got = views.problem_slope_formula(problem)
    assert len(rows) == 200 - round(200 * settings["test_fraction"])
    assert (got.m, got.x_mean, got.y_mean) == pytest.approx((expected.m, expected.x_mean, expected.y_mean), rel=1e-9)
    assert got.c == pytest.approx(expected.c, rel=1e-6)


def test_slope_formula_of_identical_inputs_does_not_exist():
    assert slope_formula(np.full(5, 2.0), np.arange(5.0)) is None


@pytest.mark.parametrize("settings", [{"model": "polynomial", "degree": 3}, {"model": "ridge", "l2": 0.05},
                                      {"model": "linear", "l2": 0.2}])
def test_regression_reference_is_the_exact_solvers_curve(settings):
    problem = _problem("line", **settings)
    exact = Trainer(prepare(problem.dataset, Settings(**settings, optimizer="exact")))
    list(exact.run())
    geometry = plot_geometry(problem, np.zeros(problem.model.n_params), VIEW)
    assert geometry.reference_label == EXACT_LABEL
    [(_, xs, ys)] = regression_curves(exact.problem, exact.theta, VIEW.x_range)
    rx, ry = geometry.reference
    np.testing.assert_array_equal(rx[:-1], xs)
    np.testing.assert_allclose(ry[:-1], ys, rtol=1e-9, atol=1e-9)


def test_ridge_reference_follows_the_penalty_the_run_trains_with():
    problem = _problem("line", model="ridge", l2=0.01)
    exact = Trainer(prepare(problem.dataset, Settings("ridge", l2=0.5, optimizer="exact")))
    list(exact.run())
    _, ry = plot_geometry(problem, np.zeros(2), VIEW, l2=0.5).reference
    np.testing.assert_allclose(ry[:-1], regression_curves(exact.problem, exact.theta, VIEW.x_range)[0][2], rtol=1e-9)
    assert not np.allclose(ry, plot_geometry(problem, np.zeros(2), VIEW).reference[1])


@pytest.mark.parametrize("data, model", [("two_blobs", "logistic"), ("blobs", "softmax")])
def test_classification_reference_is_the_exact_solvers_boundary(data, model):
    # Noisy blobs overlap, so the cross-entropy optimum is finite and Newton converges.
    problem = _problem(data, n=150, noise=1.5, model=model)
    exact = Trainer(prepare(problem.dataset, Settings(model, optimizer="exact", tol=1e-12)))  # as tight as the reference
    *_, last = exact.run()
    assert last.stop_reason == "converged"
    geometry = plot_geometry(problem, np.zeros(problem.model.n_params), VIEW)
    assert geometry.reference_label == EXACT_LABEL
    P = probability_grid(exact.problem, exact.theta, VIEW.x_range, VIEW.y_range, resolution=VIEW.resolution)
    expected = views.joined_polylines(views.iso_lines_many(boundary_fields(P), 0.0, VIEW.x_range, VIEW.y_range))
    np.testing.assert_allclose(geometry.reference[0], expected[0], atol=1e-6)
    np.testing.assert_allclose(geometry.reference[1], expected[1], atol=1e-6)
    # On the line the exact model is undecided: its two likeliest classes are equally likely there.
    xs, ys = geometry.reference
    inside = np.isfinite(xs)
    Xt = exact.problem.pipeline.transform(np.column_stack([xs[inside], ys[inside]])).T
    top2 = np.sort(exact.model.predict(exact.theta, np.ascontiguousarray(Xt)), axis=1)[:, -2:]
    assert np.abs(top2[:, 1] - top2[:, 0]).max() < 0.05


def test_no_reference_without_a_convex_objective_and_flags_turn_parts_off():
    cascade = _problem("xor", model="cascade", hidden=2)
    assert plot_geometry(cascade, Trainer(cascade).theta, VIEW).reference is None
    squared = _problem("two_blobs", model="logistic", loss="mse")
    assert plot_geometry(squared, np.zeros(3), VIEW).reference is None
    line = _problem("line", model="linear")
    plain = plot_geometry(line, np.zeros(2), Viewport(VIEW.x_range, VIEW.y_range, residuals=False, reference=False))
    assert plain.residuals is None and plain.reference is None and plain.reference_label == ""
    assert plain.slope_formula is not None  # the numbers are cheap and the label shows them regardless


def test_exact_optimum_is_solved_once_per_problem_and_penalty(monkeypatch):
    calls = []
    solve = views.exact_solution
    monkeypatch.setattr(views, "exact_solution", lambda problem, l2: calls.append(l2) or solve(problem, l2))
    problem = _problem("line", model="ridge", l2=0.1)
    other_view = Viewport((-1.0, 1.0), VIEW.y_range)
    for theta in (np.zeros(2), np.ones(2)):
        for view in (VIEW, other_view):
            plot_geometry(problem, theta, view)
    assert calls == [0.1]
    plot_geometry(problem, np.zeros(2), VIEW, l2=0.3)
    plot_geometry(_problem("line", model="ridge", l2=0.1), np.zeros(2), VIEW)  # an equal but new problem
    assert calls == [0.1, 0.3, 0.1]
    # a classifier's reference line and its separable note share the solve
    calls.clear()
    blobs = _problem("two_blobs", model="logistic")
    plot_geometry(blobs, np.zeros(blobs.model.n_params), VIEW)
    assert calls == [0.0]


def _two_classes(X, labels):
    return Dataset(np.asarray(X, dtype=np.float64), np.array(labels), None, ("x1", "x2"), "label")


@pytest.mark.parametrize("model", ["logistic", "softmax"])
def test_separable_classes_have_no_exact_optimum_to_draw_and_say_why(model):
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(-2, 0.4, (20, 2)), rng.normal(2, 0.4, (20, 2))])
    data = _two_classes(X, ["a"] * 20 + ["b"] * 20)
    problem = prepare(data, Settings(model=model, test_fraction=0.0))
    assert views.separable(problem, 0.0) and views.exact_parameters(problem, 0.0) is None
    theta = np.zeros(problem.model.n_params)
    geometry = plot_geometry(problem, theta, VIEW)
    assert geometry.reference is None and geometry.separable_norm == 0.0
    assert geometry.note.startswith("separable classes: no finite optimum")
    # ‖w‖ grows as gradient descent goes on, step after step
    trainer = Trainer(prepare(data, Settings(model=model, test_fraction=0.0, lr=1.0, tol=0.0)))
    norms = []
    for _ in range(3):
        trainer.run(max_steps=trainer.step_count + 200).__next__()
        norms.append(plot_geometry(trainer.problem, trainer.theta, VIEW).separable_norm)
    assert norms[0] < norms[1] < norms[2]
    # with a penalty the optimum is finite again, and drawn
    assert not views.separable(problem, 0.1) and views.exact_parameters(problem, 0.1) is not None
    assert plot_geometry(problem, theta, VIEW, l2=0.1).reference is not None


def test_overlapping_classes_keep_their_exact_boundary():
    rng = np.random.default_rng(2)
    X = np.vstack([rng.normal(-0.5, 1.0, (30, 2)), rng.normal(0.5, 1.0, (30, 2))])
    problem = prepare(_two_classes(X, ["a"] * 30 + ["b"] * 30), Settings(model="logistic", test_fraction=0.0))
    assert not views.separable(problem, 0.0)
    geometry = plot_geometry(problem, np.zeros(problem.model.n_params), VIEW)
    assert geometry.reference is not None and geometry.separable_norm is None and geometry.note == ""
