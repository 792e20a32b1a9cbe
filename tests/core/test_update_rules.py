"""The update rules, computed by hand: the optimizers' first two steps with a learning-rate change
between them (the window's slider does that), and Newton's line search in the exact solver."""

import math

import numpy as np
import pytest

from regstudio.core.generators import generate
from regstudio.core.optimizers import make_optimizer
from regstudio.core.solvers import cross_entropy_hessian, exact_step
from regstudio.core.training import Settings, prepare

THETA0 = [1.0, -2.0]
G1 = [0.5, -4.0]
G2 = [-1.5, 2.0]
LR1, LR2 = 0.1, 0.03


def _two_steps(name):
    rule = make_optimizer(name, LR1)
    theta = np.array(THETA0)
    rule.step(theta, np.array(G1))
    after_one = theta.copy()
    rule.lr = LR2
    rule.step(theta, np.array(G2))
    return after_one, theta


def test_momentum_by_hand():
    one, two = _two_steps("momentum")
    expected_one, expected_two = [], []
    for t0, g1, g2 in zip(THETA0, G1, G2):
        v1 = g1                      # v ← 0.9·0 + g
        t1 = t0 - LR1 * v1
        v2 = 0.9 * v1 + g2
        expected_one.append(t1)
        expected_two.append(t1 - LR2 * v2)
    np.testing.assert_allclose(one, expected_one, rtol=1e-15)
    np.testing.assert_allclose(two, expected_two, rtol=1e-15)


def test_adagrad_by_hand():
    one, two = _two_steps("adagrad")
    expected_one, expected_two = [], []
    for t0, g1, g2 in zip(THETA0, G1, G2):
        t1 = t0 - LR1 * g1 / (math.sqrt(g1 * g1) + 1e-8)
        t2 = t1 - LR2 * g2 / (math.sqrt(g1 * g1 + g2 * g2) + 1e-8)
        expected_one.append(t1)
        expected_two.append(t2)
    np.testing.assert_allclose(one, expected_one, rtol=1e-15)
    np.testing.assert_allclose(two, expected_two, rtol=1e-15)


def test_adam_by_hand():
    one, two = _two_steps("adam")
    expected_one, expected_two = [], []
    for t0, g1, g2 in zip(THETA0, G1, G2):
        m1, v1 = 0.1 * g1, 0.001 * g1 * g1
        t1 = t0 - LR1 * (m1 / 0.1) / (math.sqrt(v1 / 0.001) + 1e-8)           # bias corrections 1 − β¹
        m2, v2 = 0.9 * m1 + 0.1 * g2, 0.999 * v1 + 0.001 * g2 * g2
        t2 = t1 - LR2 * (m2 / (1 - 0.81)) / (math.sqrt(v2 / (1 - 0.998001)) + 1e-8)  # 1 − β²
        expected_one.append(t1)
        expected_two.append(t2)
    np.testing.assert_allclose(one, expected_one, rtol=1e-13)
    np.testing.assert_allclose(two, expected_two, rtol=1e-13)


@pytest.mark.parametrize("name", ["gd", "sgd"])
def test_plain_gradient_descent_by_hand(name):
    one, two = _two_steps(name)
    np.testing.assert_allclose(one, [t - LR1 * g for t, g in zip(THETA0, G1)], rtol=1e-15)
    np.testing.assert_allclose(two, [t - LR1 * g1 - LR2 * g2 for t, g1, g2 in zip(THETA0, G1, G2)], rtol=1e-15)


@pytest.mark.parametrize("name", ["gd", "momentum", "adagrad", "adam"])
def test_after_reset_the_next_step_is_a_fresh_rules_first_step(name):
    # Reset forgets everything a rule accumulated: Adam's step count t too, or its bias correction
    # (1 − βᵗ) would be that of a late step, and its first step after a reset would be too short.
    used = make_optimizer(name, LR1)
    theta = np.array(THETA0)
    for g in (G1, G2, G1):
        used.step(theta, np.array(g))
    used.reset()
    after_reset = np.array(THETA0)
    used.step(after_reset, np.array(G2))
    first = np.array(THETA0)
    make_optimizer(name, LR1).step(first, np.array(G2))
    np.testing.assert_array_equal(after_reset, first)


# --- Newton's line search -------------------------------------------------------------------------

def _far_start():
    """Logistic regression on overlapping blobs (a finite optimum), started confidently wrong."""
    problem = prepare(generate("two_blobs", 60, 2.0, seed=0), Settings("logistic", optimizer="exact"))
    model, Xt, y = problem.model, problem.Xt_train, problem.y_train
    theta = model.init(np.random.default_rng(0))
    model.unpack(theta)["W"][...] = 10.0
    assert model.objective(theta, Xt, y, 0.0) > 5  # wrong: ln 2 at θ = 0
    return model, theta, Xt, y


def test_the_hessian_is_the_gradients_derivative():
    model, theta, Xt, y = _far_start()
    theta *= 0.1  # where the curvature is not negligible
    H = cross_entropy_hessian(model, theta, Xt, 0.01)
    h = 1e-6
    for j in range(model.n_params):
        up, down, grad_up, grad_down = theta.copy(), theta.copy(), np.empty_like(theta), np.empty_like(theta)
        up[j] += h
        down[j] -= h
        model.objective_grad(up, Xt, y, 0.01, grad_up)
        model.objective_grad(down, Xt, y, 0.01, grad_down)
        np.testing.assert_allclose(H[:, j], (grad_up - grad_down) / (2 * h), rtol=1e-5, atol=1e-9)


def test_newtons_line_search_shortens_a_step_that_overshoots():
    model, theta, Xt, y = _far_start()
    start = theta.copy()
    g = np.empty_like(theta)
    J0 = model.objective_grad(start, Xt, y, 0.0, g)
    d = np.linalg.lstsq(cross_entropy_hessian(model, start, Xt, 0.0), g, rcond=None)[0]
    assert model.objective(start - d, Xt, y, 0.0) > J0  # the full Newton step overshoots

    loss, converged, t = exact_step(model, theta, Xt, y, 0.0, np.empty_like(theta), 1e-10)
    assert loss == J0 and not converged
    assert 0 < t < 1
    np.testing.assert_allclose(theta, start - t * d, rtol=1e-12, atol=1e-12)
    J1 = model.objective(theta, Xt, y, 0.0)
    assert J1 <= J0 - 1e-4 * t * float(g @ d) < J0  # Armijo's sufficient decrease
    # … and t is the first of 1, ½, ¼, … that gives it
    assert model.objective(start - 2 * t * d, Xt, y, 0.0) > J0 - 1e-4 * 2 * t * float(g @ d)


def test_newton_takes_the_full_step_near_the_optimum():
    model, theta, Xt, y = _far_start()
    theta[:] = 0.0
    grad = np.empty_like(theta)
    for _ in range(3):
        exact_step(model, theta, Xt, y, 0.1, grad, 1e-10)
    assert exact_step(model, theta, Xt, y, 0.1, grad, 1e-10).step_length == 1.0
