"""Analytic gradients against central finite differences, for every model, loss, λ and grouping."""

import zlib

import numpy as np
import pytest

from regstudio.core.data import Dataset
from regstudio.core.models import build_model
from regstudio.core.training import Settings, prepare

CASES = [
    ("linear", "ce", 1), ("polynomial", "ce", 1), ("ridge", "ce", 1),
    ("logistic", "ce", 2), ("logistic", "mse", 2), ("softmax", "ce", 3), ("softmax", "ce", 2),
    ("cascade", "ce", 2), ("cascade", "ce", 4),
]


def _dataset(kind, n_classes, grouped, rng):
    n = 40
    X = rng.normal(size=(n, 2))
    if n_classes == 1:
        y = X @ [1.5, -2.0] + rng.normal(size=n)
    else:
        y = (rng.integers(0, n_classes, n)).astype(str)
    groups = rng.choice(["a", "b", "c"], n) if grouped else None
    return Dataset(X, y, groups, ("x1", "x2"), "y", "g" if grouped else None)


def _numeric_gradient(f, theta, h=1e-6):
    grad = np.zeros_like(theta)
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return grad


@pytest.mark.parametrize("kind, loss, n_classes", CASES)
@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("grouped", [False, True])
def test_gradient_matches_central_differences(kind, loss, n_classes, l2, grouped):
    rng = np.random.default_rng(zlib.crc32(repr((kind, loss, n_classes, l2, grouped)).encode()))
    degree = 2 if kind != "linear" else 1
    problem = prepare(_dataset(kind, n_classes, grouped, rng),
                      Settings(kind, degree=degree, l2=l2, loss=loss, hidden=3, test_fraction=0.0))
    model = problem.model
    theta = rng.normal(scale=0.7, size=model.n_params)
    Xt, y = problem.Xt_train, problem.y_train

    grad = np.zeros_like(theta)
    value = model.objective_grad(theta, Xt, y, l2, grad)

    assert value == pytest.approx(model.objective(theta, Xt, y, l2), rel=1e-12)
    numeric = _numeric_gradient(lambda t: model.objective(t, Xt, y, l2), theta)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-7)


def test_penalty_leaves_biases_out():
    model = build_model("cascade", n_features=3, n_classes=3, hidden=2)
    theta = np.zeros(model.n_params)
    params = model.unpack(theta)
    params["b1"][...] = 5.0
    params["b2"][...] = 7.0
    assert model.penalty(theta, l2=1.0) == 0.0
    params["W2"][0, 0] = 2.0
    assert model.penalty(theta, l2=0.5) == pytest.approx(2.0)


def test_cross_entropy_is_finite_for_extreme_logits():
    model = build_model("logistic", n_features=1, n_classes=2)
    theta = np.array([1000.0, 0.0])
    Xt = np.array([[-1.0, 1.0]])
    y = np.array([1.0, 1.0])
    grad = np.zeros(2)
    value = model.objective_grad(theta, Xt, y, 0.0, grad)
    assert value == pytest.approx(500.0)  # one sample at z = −1000 costs ln(1 + e^1000) ≈ 1000
    assert np.isfinite(grad).all()
