"""Exact solvers of the same objectives the optimizers descend (``--optimizer exact``).

- Squared error (linear, polynomial, ridge): one least-squares solve.  The bias is left out of the
  penalty by centring: ``min ‖Xc w − yc‖² + Nλ‖w‖²`` is the least-squares problem on
  ``[Xc; √(Nλ) I] w ≈ [yc; 0]``, then ``b = ȳ − x̄·w``.
- Cross-entropy (logistic, softmax): Newton's method with a backtracking (Armijo) line search.
  The Hessian is solved by least squares, because softmax's biases are only defined up to a
  common shift (a flat direction); the minimum-norm step leaves that shift alone.
- Ordinal: the same Newton iteration with the Hessian in the coordinates where the objective is
  convex, (w, θ_1 … θ_{K−1}), carried to the parameters (w, θ_1, log gaps) by the thresholds'
  Jacobian (see :func:`ordinal_hessian`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .models import AffineModel, OrdinalModel


def _least_squares(model: AffineModel, theta, Xt, y, l2) -> None:
    X = np.asarray(Xt, dtype=np.float64).T
    n, p = X.shape
    x_mean = X.mean(axis=0)
    y_mean = float(np.mean(y))
    A = X - x_mean
    rhs = np.asarray(y, dtype=np.float64) - y_mean
    if l2 > 0:
        A = np.vstack([A, np.sqrt(n * l2) * np.eye(p)])
        rhs = np.concatenate([rhs, np.zeros(p)])
    w = np.linalg.lstsq(A, rhs, rcond=None)[0]
    params = model.unpack(theta)
    params["W"][0] = w
    params["b"][0] = y_mean - x_mean @ w


def cross_entropy_hessian(model: AffineModel, theta, Xt, l2) -> np.ndarray:
    """∇²J (n_params, n_params) of the logistic or softmax objective, in ``theta``'s order."""
    X = np.asarray(Xt, dtype=np.float64).T
    n, p = X.shape
    Xa = np.hstack([X, np.ones((n, 1))])
    P = model.predict(theta, Xt)  # (N, K)
    if model.n_outputs == 1:  # one sigmoid logit for two classes
        weights = P[:, 1] * P[:, 0] / n
        H = Xa.T @ (weights[:, None] * Xa)
    else:
        K = P.shape[1]
        order = np.concatenate([np.arange(K * p).reshape(K, p), K * p + np.arange(K)[:, None]], axis=1)
        H = np.empty((model.n_params, model.n_params))
        for k in range(K):
            for j in range(k, K):
                weights = P[:, k] * ((k == j) - P[:, j]) / n
                block = Xa.T @ (weights[:, None] * Xa)
                H[np.ix_(order[k], order[j])] = block
                H[np.ix_(order[j], order[k])] = block.T
    H[np.diag_indices_from(H)] += 2.0 * l2 * model.penalized
    return H


def ordinal_hessian(model: OrdinalModel, theta, Xt, y, l2) -> np.ndarray:
    """Mᵀ·∇²_(w,θ)J·M + 2λ on W (n_params, n_params), M = ∂(w, θ)/∂(w, θ_1, log gaps).

    J is convex in (w, θ) but not in the log gaps; leaving out the term of the thresholds' second
    derivatives (e^(log_gaps_i)·Σ_{k>i} ∂J/∂θ_k, zero at the optimum) keeps the matrix positive
    semi-definite, so every step descends, and equal to the Hessian at the optimum, so Newton still
    converges quadratically.  Per sample of class k, with u = θ_{k+1} − w·x, l = θ_k − w·x,
    ∇_(w,θ)u = (−x, e_{k+1}) and ∇_(w,θ)l = (−x, e_k), the curvature in (u, l) comes from the head.
    """
    X = np.asarray(Xt, dtype=np.float64).T
    n, p = X.shape
    K = model.n_classes
    Z = model.logits(theta, np.asarray(Xt, dtype=np.float64))
    uu, ll, ul = model.head.curvature(Z, y)
    upper = np.zeros((n, K - 1))
    lower = np.zeros((n, K - 1))
    rows = np.arange(n)
    upper[rows[y < K - 1], y[y < K - 1]] = 1.0
    lower[rows[y > 0], y[y > 0] - 1] = 1.0
    Ju = np.hstack([-X, upper])
    Jl = np.hstack([-X, lower])
    cross = Ju.T @ (ul[:, None] * Jl)
    H = (Ju.T @ (uu[:, None] * Ju) + Jl.T @ (ll[:, None] * Jl) + cross + cross.T) / n
    M = np.eye(model.n_params)
    M[p:, p:] = model.threshold_jacobian(theta)
    H = M.T @ H @ M
    H[np.diag_indices_from(H)] += 2.0 * l2 * model.penalized
    return H


def objective_hessian(model, theta, Xt, y, l2) -> np.ndarray:
    """The matrix Newton's method solves with: :func:`ordinal_hessian` or :func:`cross_entropy_hessian`."""
    if isinstance(model, OrdinalModel):
        return ordinal_hessian(model, theta, Xt, y, l2)
    return cross_entropy_hessian(model, theta, Xt, l2)


class ExactStep(NamedTuple):
    """What one exact step did: the objective at the starting θ, whether the solution is reached,
    and the step length t of θ ← θ − t·d (1 for least squares; 0 when no step was taken)."""

    loss: float
    converged: bool
    step_length: float


def exact_step(model, theta, Xt, y, l2, grad, tol) -> ExactStep:
    """One step of the exact solver; updates ``theta`` and ``grad`` in place.

    Newton: d = H⁻¹∇J (least-squares solve), and t is the largest of 1, ½, ¼, … > 1e-12 with
    J(θ − t·d) ≤ J(θ) − 10⁻⁴·t·∇J·d (Armijo); far from the optimum, where the full step overshoots,
    t < 1.  Converged: every gradient component ≤ ``tol`` after the step, or no decrease possible.
    """
    loss = model.objective_grad(theta, Xt, y, l2, grad)
    if model.exact_solver == "least_squares":
        _least_squares(model, theta, Xt, y, l2)
        model.objective_grad(theta, Xt, y, l2, grad)
        return ExactStep(loss, True, 1.0)
    if model.exact_solver != "newton":
        raise ValueError(f"no exact solver for {model!r}")
    if float(np.max(np.abs(grad))) <= tol:
        return ExactStep(loss, True, 0.0)
    direction = np.linalg.lstsq(objective_hessian(model, theta, Xt, y, l2), grad, rcond=None)[0]
    slope = float(grad @ direction)
    # Next to the optimum the decrease Armijo asks for is below the objective's rounding error; without
    # this slack the full Newton step is refused on rounding noise (numpy 1.24's sums) and the run stalls.
    rounding = 8 * np.finfo(np.float64).eps * abs(loss)
    step = 1.0
    while step > 1e-12:
        candidate = theta - step * direction
        if model.objective(candidate, Xt, y, l2) <= loss - 1e-4 * step * slope + rounding:
            theta[...] = candidate
            break
        step /= 2
    else:
        return ExactStep(loss, True, 0.0)
    model.objective_grad(theta, Xt, y, l2, grad)
    return ExactStep(loss, float(np.max(np.abs(grad))) <= tol, step)
