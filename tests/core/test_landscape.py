"""The loss landscape against the model's own objective, the fast path against the generic one, the
exact optimum, the labels, and the course notes' square error against cross-entropy claim."""

from __future__ import annotations

import numpy as np
import pytest

from regstudio.core import generators
from regstudio.core.landscape import (
    CHUNKED,
    FAST,
    MIN_RESOLUTION,
    POINTWISE,
    LandscapeRequest,
    compare_losses,
    compute_landscape,
    contour_lines,
    default_pair,
    default_ranges,
    distance_to_optimum,
    effective_resolution,
    exact_optimum,
    has_fast_path,
    log_scale,
    objective_at,
    parameter_labels,
)
from regstudio.core.training import Settings, prepare

KINDS = {
    "linear": ("line", {}),
    "polynomial": ("cubic", {}),
    "ridge": ("sine", {"degree": 4}),
    "logistic": ("two_blobs", {}),
    "logistic-mse": ("two_blobs", {"loss": "mse"}),
    "softmax": ("blobs", {}),
    "cascade": ("xor", {"hidden": 3}),
    "cascade-softmax": ("blobs", {"hidden": 2}),
}


def make_problem(kind: str, l2: float = 0.0, n: int = 40, noise: float = 0.8, seed: int = 3):
    generator, options = KINDS[kind]
    settings = Settings(model=kind.split("-")[0], l2=l2, standardize=True, **options)
    return prepare(generators.generate(generator, n, noise, seed=seed), settings)


def random_theta(problem, seed=0):
    return np.random.default_rng(seed).standard_normal(problem.model.n_params)


def objective_with(problem, theta, i, j, a, b, l2):
    point = theta.copy()
    point[i], point[j] = a, b
    return problem.model.objective(point, problem.Xt_train, problem.y_train, l2)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_every_pair_matches_the_models_objective(kind, l2):
    problem = make_problem(kind, l2)
    theta = random_theta(problem)
    rng = np.random.default_rng(1)
    n = problem.model.n_params
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            a = np.concatenate([[theta[i]], theta[i] + 2 * rng.standard_normal(3)])
            b = np.concatenate([[theta[j]], theta[j] + 2 * rng.standard_normal(3)])
            values, _ = objective_at(problem, theta, i, j, a, b, l2)
            expected = [objective_with(problem, theta, i, j, ak, bk, l2) for ak, bk in zip(a, b)]
            np.testing.assert_allclose(values, expected, rtol=1e-9, err_msg=f"{kind} pair ({i}, {j})")
    assert values[0] == pytest.approx(problem.model.objective(theta, problem.Xt_train, problem.y_train, l2),
                                      rel=1e-9)


@pytest.mark.parametrize("kind", KINDS)
def test_grid_follows_the_axes_convention(kind):
    problem = make_problem(kind, 0.1)
    theta = random_theta(problem, 2)
    i, j = default_pair(problem)
    request = LandscapeRequest(i, j, (theta[i] - 1, theta[i] + 2), (theta[j] - 3, theta[j] + 1), resolution=9)
    landscape = compute_landscape(problem, theta, request)
    assert landscape.values.shape == (9, 9)
    np.testing.assert_array_equal(landscape.xs, np.linspace(*request.x_range, 9))
    np.testing.assert_array_equal(landscape.ys, np.linspace(*request.y_range, 9))
    for r, c in [(0, 0), (0, 8), (8, 0), (3, 5), (8, 8)]:
        expected = objective_with(problem, theta, i, j, landscape.xs[c], landscape.ys[r], 0.1)
        assert landscape.values[r, c] == pytest.approx(expected, rel=1e-9)
    assert landscape.l2 == 0.1
    assert landscape.method == (FAST if has_fast_path(problem) else CHUNKED)
    assert "Landscape(" in repr(landscape)


def test_float32_problem_is_evaluated_in_float64():
    generator = KINDS["logistic"][0]
    problem = prepare(generators.generate(generator, 40, 0.8, seed=3), Settings(model="logistic", dtype="float32"))
    theta = random_theta(problem)
    values, _ = objective_at(problem, theta, 0, 2, [theta[0]], [theta[2]])
    Xt64 = problem.Xt_train.astype(np.float64)
    assert values[0] == pytest.approx(problem.model.objective(theta, Xt64, problem.y_train.astype(np.float64), 0.0),
                                      rel=1e-9)


@pytest.mark.parametrize("kind", ["linear", "polynomial", "ridge"])
def test_fast_path_equals_generic_path(kind):
    # A target far from 0 (offset 1e4): the fast path's sums of squares must not lose J to cancellation.
    problem = make_problem(kind, 0.05)
    problem.y_train = problem.y_train + 1e4
    theta = random_theta(problem, 4)
    theta[-1] += 1e4
    i, j = default_pair(problem)
    request = LandscapeRequest(i, j, *default_ranges(theta, i, j), resolution=17)
    fast = compute_landscape(problem, theta, request, method=FAST)
    chunked = compute_landscape(problem, theta, request, method=CHUNKED)
    pointwise = compute_landscape(problem, theta, request, method=POINTWISE)
    assert (fast.method, chunked.method, pointwise.method) == (FAST, CHUNKED, POINTWISE)
    np.testing.assert_allclose(fast.values, pointwise.values, rtol=1e-9)
    np.testing.assert_allclose(chunked.values, pointwise.values, rtol=1e-9)


@pytest.mark.parametrize("kind", ["logistic", "softmax", "cascade", "cascade-softmax"])
def test_chunking_does_not_change_values(kind):
    problem = make_problem(kind, 0.2)
    theta = random_theta(problem, 5)
    n = problem.model.n_params
    request = LandscapeRequest(n - 1, 0, (-2.0, 2.0), (-3.0, 1.0), resolution=12)
    whole = compute_landscape(problem, theta, request, chunk_bytes=2**30)
    one_point_each = compute_landscape(problem, theta, request, chunk_bytes=1)
    uneven = compute_landscape(problem, theta, request, chunk_bytes=8 * 40 * 7 * problem.model.n_outputs)
    np.testing.assert_allclose(one_point_each.values, whole.values, rtol=1e-13)
    np.testing.assert_allclose(uneven.values, whole.values, rtol=1e-13)


def test_grid_minimum_of_linear_regression_is_within_a_cell_of_the_exact_optimum():
    problem = make_problem("linear", n=60)
    theta = random_theta(problem, 6) * 3
    theta_star = exact_optimum(problem)
    request = LandscapeRequest(0, 1, *default_ranges(theta, 0, 1, theta_star), resolution=41)
    landscape = compute_landscape(problem, theta_star, request)
    r, c = np.unravel_index(np.argmin(landscape.values), landscape.values.shape)
    dx, dy = np.diff(landscape.xs)[0], np.diff(landscape.ys)[0]
    assert abs(landscape.xs[c] - theta_star[0]) <= dx
    assert abs(landscape.ys[r] - theta_star[1]) <= dy


def test_default_ranges_cover_theta_and_the_optimum_with_a_margin():
    theta, theta_star = np.array([-5.0, 0.2, 1.0]), np.array([3.0, 0.1, 1.0])
    (x0, x1), (y0, y1) = default_ranges(theta, 0, 1, theta_star)
    assert x0 < -5 and x1 > 3 and (x1 - x0) > 8
    assert y0 <= -0.85 and y1 >= 1.15  # a tiny spread still gets ±1 around its centre
    (x0, x1), _ = default_ranges(theta, 0, 2)
    assert x0 < -5 < x1


def test_exact_optimum_zeroes_the_gradient_and_is_none_without_a_solver():
    for kind, l2 in [("linear", 0.0), ("ridge", 0.2), ("polynomial", 0.0), ("softmax", 0.05)]:
        problem = make_problem(kind, l2, noise=2.0)
        theta_star = exact_optimum(problem)
        grad = np.zeros_like(theta_star)
        problem.model.objective_grad(theta_star, problem.Xt_train, problem.y_train, l2, grad)
        assert np.max(np.abs(grad)) < 1e-7, kind
    overlapping = make_problem("logistic", noise=3.0)   # at noise 2 the 32 training rows are still separable
    assert exact_optimum(overlapping) is not None
    assert exact_optimum(make_problem("cascade")) is None
    assert exact_optimum(make_problem("logistic-mse")) is None
    separable = prepare(generators.generate("two_blobs", 40, 0.2, seed=1), Settings(model="logistic"))
    assert exact_optimum(separable) is None  # no finite optimum: no star, no distance to it


def test_distance_to_optimum():
    assert distance_to_optimum(np.array([3.0, 4.0]), np.zeros(2)) == pytest.approx(5.0)
    assert distance_to_optimum(np.array([3.0, 4.0]), None) is None


def test_parameter_labels_are_the_tables_names_one_per_entry_of_theta():
    from regstudio.core.readable import parameter_names
    for kind in ("linear", "softmax", "cascade"):
        problem = make_problem(kind)
        labels = parameter_labels(problem)
        assert labels == parameter_names(problem)
        assert len(labels) == problem.model.n_params == len(set(labels))
    cascade = make_problem("cascade")
    labels = parameter_labels(cascade)
    for name, index, label in [("W1", (1, 0), "hidden 2: w x1"), ("b1", (2,), "hidden 3: b"),
                               ("W2", (0, 2), "output: w from hidden 3"), ("b2", (0,), "output: b")]:
        params = {n: np.zeros(s) for n, s in cascade.model.shapes}
        params[name][index] = 1.0
        assert labels[int(np.argmax(cascade.model.pack(params)))] == label


def test_effective_resolution_is_lowered_for_many_rows_only_on_the_chunked_path():
    small = make_problem("logistic")
    assert effective_resolution(small, 0, 1, 64) == 64
    large = prepare(generators.generate("two_blobs", 20_000, 1.0, seed=0), Settings(model="logistic", test_fraction=0))
    lowered = effective_resolution(large, 0, 1, 64)
    assert MIN_RESOLUTION <= lowered < 64
    request = LandscapeRequest(0, 1, (-1.0, 1.0), (-1.0, 1.0))
    assert compute_landscape(large, np.zeros(3), request).resolution == lowered
    regression = prepare(generators.generate("line", 20_000, 1.0, seed=0), Settings(model="linear"))
    assert effective_resolution(regression, 0, 1, 64) == 64
    assert effective_resolution(regression, 0, 1, 64, method=CHUNKED) < 64


def test_log_scale_puts_the_floor_at_epsilon_and_keeps_order():
    values = np.array([[5.0, 2.0], [2.5, np.nan]])
    image, (low, high) = log_scale(values)
    epsilon = 1e-4 * 3.0
    assert image[0, 1] == pytest.approx(np.log10(epsilon)) == pytest.approx(low)
    assert image[0, 0] == pytest.approx(np.log10(3.0 + epsilon)) == pytest.approx(high)
    assert np.isnan(image[1, 1])
    assert image[0, 1] < image[1, 0] < image[0, 0]
    flat_image, (flat_low, flat_high) = log_scale(np.full((3, 3), 7.0))
    assert flat_low < flat_high and np.isfinite(flat_image).all()


def test_contours_lie_on_log_spaced_levels_of_the_objective():
    problem = make_problem("logistic", 0.1, noise=2.0)
    theta = random_theta(problem, 7)
    request = LandscapeRequest(0, 2, (-3.0, 3.0), (-3.0, 3.0), resolution=48)
    landscape = compute_landscape(problem, theta, request)
    xs, ys = contour_lines(landscape, count=6)
    vertices = np.isfinite(xs)
    assert vertices.sum() > 20 and np.isnan(xs[-1])
    _, (low, high) = log_scale(landscape.values)
    levels = np.linspace(low, high, 8)[1:-1]
    values, _ = objective_at(problem, theta, 0, 2, xs[vertices], ys[vertices], 0.1)
    floor = np.nanmin(landscape.values)
    heights = np.log10(values - floor + 1e-4 * (np.nanmax(landscape.values) - floor))
    nearest = np.min(np.abs(heights[:, None] - levels[None, :]), axis=1)
    # Linear interpolation between samples 1/47 of the range apart: close to, not on, the level.
    assert np.median(nearest) < 0.02 and nearest.max() < 0.3


@pytest.mark.parametrize("seed", range(12))
def test_square_error_stalls_where_cross_entropy_learns(seed):
    comparison = compare_losses(seed=seed)
    ce, se = comparison.runs["ce"], comparison.runs["mse"]
    np.testing.assert_array_equal(ce.path[0], se.path[0])
    assert len(ce.path) == len(se.path) == 301
    assert ce.accuracy > 0.95
    assert se.accuracy < 0.6
    assert abs(se.path[-1, 0] - se.path[0, 0]) < 1.0   # square error barely moved w
    assert se.grad_norms[0] < 1e-2 * ce.grad_norms[0]  # the notes' reason: its gradient vanishes there
    for loss, run in comparison.runs.items():
        landscape = comparison.landscapes[loss]
        assert landscape.x_range[0] < run.path[:, 0].min() and run.path[:, 0].max() < landscape.x_range[1]
        assert run.losses[0] == pytest.approx(run.problem.model.objective(
            run.path[0], run.problem.Xt_train, run.problem.y_train, 0.0), rel=1e-12)
    assert comparison.landscapes["ce"].xs.tolist() == comparison.landscapes["mse"].xs.tolist()
    assert comparison.landscapes["ce"].ys.tolist() == comparison.landscapes["mse"].ys.tolist()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", [CHUNKED, "auto"])
def test_each_heads_batched_loss_is_the_objective_at_every_grid_point(kind, method):
    # The chunked path takes the loss from the head's own `losses`, so no formula is kept twice; every
    # head (squared error, sigmoid cross-entropy and square error, softmax) on either model shape.
    problem = make_problem(kind, 0.2)
    theta = random_theta(problem, 6)
    i, j = default_pair(problem)
    request = LandscapeRequest(i, j, (theta[i] - 3, theta[i] + 3), (theta[j] - 3, theta[j] + 3), resolution=7)
    landscape = compute_landscape(problem, theta, request, method=method, limit_resolution=False)
    for r in range(7):
        for c in range(7):
            expected = objective_with(problem, theta, i, j, landscape.xs[c], landscape.ys[r], 0.2)
            assert landscape.values[r, c] == pytest.approx(expected, rel=1e-10), (type(problem.model.head), r, c)


def test_default_pair_is_the_first_weight_and_its_units_bias():
    names = parameter_labels(make_problem("cascade"))
    assert [names[k] for k in default_pair(make_problem("cascade"))] == ["hidden 1: w x1", "hidden 1: b"]
    softmax = make_problem("softmax")
    first_class = softmax.classes[0]
    assert [parameter_labels(softmax)[k] for k in default_pair(softmax)] == [f"[{first_class}] w x1",
                                                                           f"[{first_class}] b (bias)"]


@pytest.mark.parametrize("kind", ["softmax", "cascade", "logistic"])
def test_a_large_data_sets_landscape_takes_j_on_an_even_sample_of_rows_within_the_work_budget(kind):
    from regstudio.core.landscape import WORK_BUDGET, _work_units

    problem = make_problem(kind, l2=0.1, n=60_000, noise=1.0)
    theta = random_theta(problem, 1)
    i, j = default_pair(problem)
    request = LandscapeRequest(i, j, *default_ranges(theta, i, j))
    landscape = compute_landscape(problem, theta, request)
    n = problem.n_train
    assert landscape.sampled and landscape.rows_total == n and 0 < landscape.rows_used < n
    assert landscape.resolution ** 2 * landscape.rows_used * _work_units(problem.model, i, j) <= WORK_BUDGET * 1.01
    # Every k-th row: at the grid's corners and centre J is that sample's objective, and it is close
    # to the objective on every row (the map keeps the bowl's shape).
    stride = -(-n // landscape.rows_used)
    assert len(range(0, n, stride)) == landscape.rows_used
    for r, c in [(0, 0), (-1, -1), (landscape.resolution // 2, landscape.resolution // 3)]:
        point = theta.copy()
        point[i], point[j] = landscape.xs[c], landscape.ys[r]
        sample = problem.model.objective(point, np.ascontiguousarray(problem.Xt_train[:, ::stride]),
                                         problem.y_train[::stride], 0.1)
        full = problem.model.objective(point, problem.Xt_train, problem.y_train, 0.1)
        assert landscape.values[r, c] == pytest.approx(sample, rel=1e-9)
        assert landscape.values[r, c] == pytest.approx(full, rel=0.05)


def test_a_small_data_sets_landscape_takes_every_row():
    problem = make_problem("softmax", n=200)
    theta = random_theta(problem)
    i, j = default_pair(problem)
    landscape = compute_landscape(problem, theta, LandscapeRequest(i, j, *default_ranges(theta, i, j)))
    assert not landscape.sampled and landscape.rows_used == landscape.rows_total == problem.n_train
