"""Validation curves: each point equals a separate training, the notes' claims hold on the chosen
data for several seeds, and a closed sweep fits nothing more."""

import math

import numpy as np
import pytest

from regstudio.core import sweeps
from regstudio.core.errors import SettingsError
from regstudio.core.generators import generate
from regstudio.core.session import Points, split_rng
from regstudio.core.sweeps import (
    OVERFITTING_DATA,
    REGULARIZATION_DATA,
    SweepPoint,
    SweepProgress,
    best,
    degree_values,
    fit_settings,
    l2_values,
    points_only,
    sweep,
)
from regstudio.core.training import Settings, Trainer, evaluate, prepare


def _separate_errors(dataset, settings, test_mask=None):
    """Train errors and test errors (MSE or mean cross-entropy, no λ term) of one run trained alone."""
    problem = prepare(dataset, settings, test_mask)
    trainer = Trainer(problem)
    for _ in trainer.run():
        pass
    metrics = evaluate(problem, trainer.theta, 0.0)  # λ = 0: the objective is then the data error
    key = "mse" if "mse" in metrics["train"] else "cross_entropy"
    assert metrics["train"]["objective"] == pytest.approx(metrics["train"][key], rel=1e-12)
    return metrics["train"][key], metrics["test"][key], trainer.step_count


CASES = {
    "degree, least squares": (OVERFITTING_DATA.dataset(), Settings("polynomial", optimizer="exact", test_fraction=0.5,
                                                                   seed=2),
                              "degree", (1, 4, 9), {}),
    "λ, least squares": (REGULARIZATION_DATA.dataset(), Settings("polynomial", degree=9, optimizer="exact",
                                                                 test_fraction=0.5, seed=1),
                         "l2", (1e-5, 1e-2, 10.0), {}),
    "λ, logistic by Newton": (generate("two_blobs", 80, 1.5, seed=3),
                              Settings("logistic", degree=2, optimizer="exact", test_fraction=0.25, seed=0),
                              "l2", (1e-4, 1e-1), {}),
    "degree, softmax by Newton": (generate("blobs", 90, 1.0, seed=4),
                                  Settings("softmax", optimizer="exact", l2=1e-3, test_fraction=0.3, seed=0),
                                  "degree", (1, 2), {}),
    "λ, cascade by adam": (generate("xor", 60, 0.4, seed=1),
                           Settings("cascade", optimizer="adam", lr=0.05, steps=150, tol=0.0, test_fraction=0.3),
                           "l2", (0.0, 1e-2), {}),
    "degree, gd asked for": (generate("sine", 40, 0.3, seed=0),
                             Settings("polynomial", optimizer="gd", lr=0.1, steps=200, tol=0.0, test_fraction=0.3),
                             "degree", (1, 3), {"use_exact": False}),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_point_equals_a_separate_training(case):
    dataset, base, parameter, values, options = CASES[case]
    points = points_only(sweep(dataset, base, parameter, values, **options))
    assert [p.value for p in points] == list(values)
    for point, value in zip(points, values):
        # The separate run's settings are spelled out here, not taken from fit_settings.
        changes = {"degree": int(value)} if parameter == "degree" else {"l2": value}
        settings = Settings(**{**base.__dict__, **changes})
        train, test, steps = _separate_errors(dataset, settings)
        assert point.train_error == pytest.approx(train, rel=1e-9, abs=1e-12)
        assert point.test_error == pytest.approx(test, rel=1e-9, abs=1e-12)
        assert point.steps == steps


def test_a_test_mask_is_the_split_of_every_value():
    data = OVERFITTING_DATA.dataset()
    mask = Points.from_dataset(data, 0.5, split_rng(7)).test
    base = OVERFITTING_DATA.settings()
    points = points_only(sweep(data, base, "degree", (2, 5), test_mask=mask))
    for point in points:
        settings = Settings("polynomial", degree=int(point.value), optimizer="exact", test_fraction=0.5)
        train, test, _ = _separate_errors(data, settings, mask)
        assert (point.train_error, point.test_error) == pytest.approx((train, test), rel=1e-9)


def _mse(w, b, Xt, target):
    return float(np.mean((Xt.T @ w + b - target) ** 2))


def test_ridge_points_solve_the_normal_equations():
    """An independent algorithm: (XcᵀXc + Nλ I) w = Xcᵀyc on the problem's standardised features."""
    data = REGULARIZATION_DATA.dataset()
    base = REGULARIZATION_DATA.settings(seed=1)
    values = (1e-4, 1e-2, 1.0)
    for point in points_only(sweep(data, base, "l2", values)):
        problem = prepare(data, Settings("polynomial", degree=9, l2=point.value, test_fraction=0.5, seed=1))
        X, y = problem.Xt_train.T, problem.y_train
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc = X - x_mean
        w = np.linalg.solve(Xc.T @ Xc + len(y) * point.value * np.eye(X.shape[1]), Xc.T @ (y - y_mean))
        b = y_mean - x_mean @ w
        assert point.train_error == pytest.approx(_mse(w, b, problem.Xt_train, y), rel=1e-6)
        assert point.test_error == pytest.approx(_mse(w, b, problem.Xt_test, problem.y_test), rel=1e-6)


# (data seed, split seed, whether the split is the window's test flags as a lesson sets them)
SEEDS = [(data_seed, split_seed, window) for data_seed in range(5) for split_seed in range(3)
         for window in (False, True)]


def _split(recipe, data_seed, split_seed, window):
    data = recipe.dataset(data_seed)
    mask = Points.from_dataset(data, recipe.test_fraction, split_rng(split_seed)).test if window else None
    return data, recipe.settings(seed=split_seed), mask


@pytest.mark.parametrize("data_seed, split_seed, window", SEEDS)
def test_degree_overfits(data_seed, split_seed, window):
    data, base, mask = _split(OVERFITTING_DATA, data_seed, split_seed, window)
    points = points_only(sweep(data, base, "degree", degree_values(), mask))
    by_degree = {int(p.value): p for p in points}
    train = np.array([p.train_error for p in points])
    # Nested least-squares fits: more features never fit the training rows worse.
    assert np.all(np.diff(train) <= 1e-12 * train[:-1])
    assert by_degree[9].test_error > by_degree[3].test_error
    assert by_degree[9].train_error < by_degree[3].train_error


@pytest.mark.parametrize("data_seed, split_seed, window", SEEDS)
def test_lambda_trades_training_error_for_a_u_shaped_test_error(data_seed, split_seed, window):
    data, base, mask = _split(REGULARIZATION_DATA, data_seed, split_seed, window)
    points = points_only(sweep(data, base, "l2", l2_values(), mask))
    train = np.array([p.train_error for p in points])
    test = np.array([p.test_error for p in points])
    assert np.all(np.diff(train) >= -1e-12 * train[:-1])
    assert train[-1] > 2 * train[0]
    lowest = int(np.argmin(test))
    assert 0 < lowest < len(points) - 1
    assert best(points) is points[lowest]


def test_closing_the_sweep_fits_no_further_value(monkeypatch):
    prepared = []
    real_prepare = sweeps.prepare

    def counting_prepare(*args, **kwargs):
        prepared.append(args[1])
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(sweeps, "prepare", counting_prepare)
    items = sweep(OVERFITTING_DATA.dataset(), OVERFITTING_DATA.settings(), "degree", degree_values())
    first = next(items)
    assert isinstance(first, SweepPoint) and first.value == 1
    items.close()
    assert len(prepared) == 1
    assert next(items, None) is None


def test_a_long_descent_reports_progress_and_stops_mid_fit_when_closed(monkeypatch):
    steps_taken = []
    real_step = Trainer.step

    def counting_step(self):
        steps_taken.append(1)
        return real_step(self)

    monkeypatch.setattr(Trainer, "step", counting_step)
    base = Settings("cascade", optimizer="gd", steps=10**6, tol=0.0, test_fraction=0.3)
    items = sweep(generate("xor", 40, 0.4, seed=0), base, "l2", (0.0, 1e-2), step_limit=10**6,
                  chunk_seconds=0.002)
    progress = [next(items) for _ in range(3)]
    assert all(isinstance(p, SweepProgress) and p.index == 0 and p.max_steps == 10**6 for p in progress)
    assert progress[0].step < progress[1].step < progress[2].step < 10**6
    items.close()
    taken = len(steps_taken)
    assert taken == progress[2].step  # nothing ran after the last report
    assert next(items, None) is None and len(steps_taken) == taken


def test_best_is_the_lowest_test_error():
    points = points_only(sweep(REGULARIZATION_DATA.dataset(), REGULARIZATION_DATA.settings(), "l2", l2_values()))
    assert best(points).test_error == min(p.test_error for p in points)
    no_test = points_only(sweep(generate("line", 20, 0.3), Settings("linear", test_fraction=0.0, optimizer="exact"),
                                "l2", (0.0, 1.0)))
    assert all(p.test_error is None for p in no_test) and best(no_test) is None


def test_value_helpers():
    assert degree_values() == tuple(range(1, 11))
    lambdas = np.array(l2_values())
    assert lambdas[0] == pytest.approx(1e-6) and lambdas[-1] == pytest.approx(1e2)
    np.testing.assert_allclose(np.diff(np.log10(lambdas)), 0.5)
    assert len(l2_values(1e-3, 1.0, per_decade=1)) == 4


def test_fit_settings_pick_the_exact_solver_where_there_is_one():
    assert fit_settings(Settings("linear", steps=10**15), "degree", 4) == Settings(
        "polynomial", degree=4, optimizer="exact", lr=None, steps=sweeps.DEFAULT_STEP_LIMIT)
    logistic = fit_settings(Settings("logistic", optimizer="sgd", batch_size=8), "l2", 0.5)
    assert (logistic.optimizer, logistic.batch_size, logistic.l2) == ("exact", None, 0.5)
    # No exact solver: the cascade, and classifiers trained on square error.
    cascade = fit_settings(Settings("cascade", optimizer="adam", lr=0.01, steps=300), "l2", 0.1)
    assert (cascade.optimizer, cascade.lr, cascade.steps) == ("adam", 0.01, 300)
    assert fit_settings(Settings("logistic", loss="mse"), "l2", 0.1).optimizer == "gd"
    assert fit_settings(Settings("ridge"), "l2", 0.1, use_exact=False).optimizer == "gd"
    with pytest.raises(SettingsError, match="degree"):
        fit_settings(Settings("polynomial"), "degree", 2.5)
    with pytest.raises(SettingsError, match="sweep varies"):
        next(sweep(generate("line", 10, 0.1), Settings("linear"), "lr", (0.1,)))


def test_recipes_repr_and_values():
    assert OVERFITTING_DATA.values() == degree_values()
    assert REGULARIZATION_DATA.values() == l2_values()
    assert "cubic" in repr(OVERFITTING_DATA) and "λ" in repr(REGULARIZATION_DATA)
    point = SweepPoint(2.0, 0.5, None, 1, 0.001, "converged")
    assert "test=-" in repr(point) and math.isclose(point.seconds, 0.001)
