"""The loss landscape: the objective J over a grid of two chosen parameters, the others held fixed.

Grid
    A :class:`LandscapeRequest` names two distinct entries i, j of θ and a range for each.  With
    ``xs = linspace(*x_range, res)`` and ``ys = linspace(*y_range, res)`` the result's
    ``values[r, c] = J(θ with θ_i = xs[c], θ_j = ys[r])`` — rows are the second parameter, columns
    the first, and the samples span the ranges evenly, as in ``views.py``'s probability grids and
    ``contours.py``.  J is exactly ``model.objective`` (mean loss over the training rows + λ‖w‖²,
    bias excluded), computed in float64.

Two ways to compute it
    *Sufficient statistics* (AffineModel with the squared-error head: linear, polynomial, ridge).
    With centred features X_c (N, p), x̄, ȳ, S = X_cᵀX_c, s = X_cᵀ(y − ȳ), any anchor w* and
    m = w·x̄ + b − ȳ, the sum of squared residuals is exactly::

        SSE(w, b) = SSE_c(w*) + (w − w*)ᵀ S (w − w*) + 2 (w − w*)ᵀ (S w* − s) + N m²

    (the centred and the mean part are orthogonal).  Anchoring at the least-squares w* makes every
    term but the tiny middle one a sum of squares, so no large quantities cancel however far y is
    from 0; (w − w*)ᵀS(w − w*) is ‖R(w − w*)‖² with S = RᵀR from S's eigen-decomposition.  The
    statistics cost O(N·p²) once per problem (cached); a grid then costs O(grid·p) whatever N is.

    *Chunked evaluation* (every other model).  Only two parameters vary, so the logits of all grid
    points come from one evaluation at θ plus rank-two updates: an affine model's logits are linear
    in θ (Z = Z₀ + Δa·∂Z/∂θ_i + Δb·∂Z/∂θ_j); a cascade recomputes only the (at most two) hidden units
    whose incoming weights or outgoing column the pair touches; the ordinal model moves w·x for a
    weight and recomputes its K − 1 thresholds for the others.  The head's own ``losses`` then takes
    the mean loss of every grid point at once.  Grid points are processed in chunks of
    ``CHUNK_BYTES`` (256 KB) of logits: memory stays bounded (one grid point per chunk when its
    logits alone are larger) and each pass of the loss runs in the cache.
    *Pointwise* (on request only) calls ``model.objective`` at every grid point: the reference.

Resolution rule (chunked path)
    A refresh costs about ``grid points × N × units`` element operations, units = K logits plus the
    hidden units recomputed.  :func:`effective_resolution` caps the resolution at
    ``⌊√(WORK_BUDGET / (N·units))⌋`` (at least ``MIN_RESOLUTION``), WORK_BUDGET measured by
    ``benchmarks/bench_landscape.py`` so a refresh stays ≤ 50 ms up to N = 10⁴ (DESIGN budget):
    64 × 64 up to N ≈ 1950 for a binary logistic model, 28 × 28 at N = 10⁴, 16 × 16 for softmax with
    three classes at N = 10⁴.  Where even MIN_RESOLUTION would cost more, J is taken on every k-th
    training row (the smallest k within the budget; ``Landscape.rows_used`` says how many, and the
    view says so): on 8·10⁴ rows of softmax a full refresh took 0.3–2 s, all of it a pause in
    training.  The map is a picture of the bowl's shape, which an even sample of rows keeps.  The fast
    path needs no cap.

Colour
    :func:`log_scale` maps J to log10(J − J_min + ε), ε = ``LOG_FLOOR_FRACTION`` × (J_max − J_min)
    over the grid: the bowl's floor is ~4 decades below its rim instead of a single dark cell, and
    the cells next to the minimum (J − J_min ≈ 1/res² of the span for a quadratic) stay distinct.
"""

from __future__ import annotations

import math
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .contours import iso_lines
from .data import Dataset
from .models import AffineModel, CascadeModel, OrdinalModel, _sigmoid
from .readable import parameter_names
from .training import Problem, Settings, Trainer, evaluate, prepare
from .views import exact_parameters

DEFAULT_RESOLUTION = 64
MIN_RESOLUTION = 16
# Logits of one chunk of grid points (the loss needs ~2 more arrays of that size).  Chunks that fit in
# the cache make each numpy pass of the loss 3–4× faster than chunks of tens of MB (bench_landscape.py).
CHUNK_BYTES = 256 * 2**10
WORK_BUDGET = 8e6              # grid points × rows × units per refresh: ~5 ns each, ≤ 50 ms
LOG_FLOOR_FRACTION = 1e-4      # ε of the colour scale, as a fraction of the grid's J range

FAST = "sufficient statistics"
CHUNKED = "chunked"
POINTWISE = "pointwise"


@dataclass(frozen=True)
class LandscapeRequest:
    """Which landscape to compute: θ_i on the x axis over ``x_range``, θ_j on the y axis over
    ``y_range``, ``resolution`` samples along each (the chunked path may use fewer, see
    :func:`effective_resolution`)."""

    i: int
    j: int
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    resolution: int = DEFAULT_RESOLUTION

    def __post_init__(self):
        if self.i == self.j:
            raise ValueError(f"the landscape needs two different parameters (both are {self.i})")
        if min(self.i, self.j) < 0:
            raise ValueError(f"parameter indices must be ≥ 0 (got {self.i}, {self.j})")
        for name, (lo, hi) in (("x_range", self.x_range), ("y_range", self.y_range)):
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"{name} must be two finite numbers, low < high (got {lo}, {hi})")
        if self.resolution < 2:
            raise ValueError(f"resolution must be at least 2 (got {self.resolution})")
        object.__setattr__(self, "x_range", (float(self.x_range[0]), float(self.x_range[1])))
        object.__setattr__(self, "y_range", (float(self.y_range[0]), float(self.y_range[1])))


@dataclass(frozen=True)
class Landscape:
    """J on a grid: ``values`` (res_y, res_x) float64, ``values[r, c]`` = J at θ_i = ``xs[c]``,
    θ_j = ``ys[r]``, every other parameter as in the θ it was computed for; ``method`` is how
    (FAST, CHUNKED or POINTWISE) and ``seconds`` what it cost."""

    i: int
    j: int
    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray
    l2: float
    method: str
    seconds: float
    rows_used: int = 0       # training rows J was taken on (every k-th row when the data set is large)
    rows_total: int = 0

    @property
    def sampled(self) -> bool:
        """J is taken on a sample of the training rows (see the module's resolution rule)."""
        return self.rows_used < self.rows_total

    @property
    def x_range(self) -> tuple[float, float]:
        return float(self.xs[0]), float(self.xs[-1])

    @property
    def y_range(self) -> tuple[float, float]:
        return float(self.ys[0]), float(self.ys[-1])

    @property
    def resolution(self) -> int:
        return len(self.xs)

    def __repr__(self) -> str:
        finite = self.values[np.isfinite(self.values)]
        span = f"J in [{finite.min():.4g}, {finite.max():.4g}]" if finite.size else "no finite J"
        return (f"Landscape(θ[{self.i}] in [{self.xs[0]:.3g}, {self.xs[-1]:.3g}], θ[{self.j}] in "
                f"[{self.ys[0]:.3g}, {self.ys[-1]:.3g}], {self.values.shape[1]}×{self.values.shape[0]}, {span}, "
                f"l2={self.l2:g}, {self.method}, {1000 * self.seconds:.1f} ms)")


# ---------------------------------------------------------------------------------------------
# Sufficient statistics of the squared-error family


@dataclass(frozen=True)
class LinearStatistics:
    """What J of a squared-error affine model needs from the N training rows (see the module
    docstring): n, x̄ (p,), ȳ, the factor R (p, p) of S = X_cᵀX_c = RᵀR, the anchor w* (p,),
    SSE_c(w*) = ‖X_c w* − (y − ȳ)‖² and g* = S w* − s (p,)."""

    n: int
    x_mean: np.ndarray
    y_mean: float
    R: np.ndarray
    w_star: np.ndarray
    sse_star: float
    g_star: np.ndarray

    def __repr__(self) -> str:
        return f"LinearStatistics(n={self.n}, p={len(self.x_mean)}, SSE(w*)={self.sse_star:.4g})"


def linear_statistics(problem: Problem) -> LinearStatistics:
    """The sufficient statistics of ``problem``'s training rows, O(N·p²); cached per problem."""
    cached = _STATISTICS.get(id(problem))
    if cached is not None and cached[0]() is problem:
        _STATISTICS.move_to_end(id(problem))
        return cached[1]
    X = np.asarray(problem.Xt_train, dtype=np.float64).T
    y = np.asarray(problem.y_train, dtype=np.float64)
    x_mean = X.mean(axis=0)
    y_mean = float(y.mean())
    Xc = X - x_mean
    yc = y - y_mean
    w_star = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    residual = Xc @ w_star - yc
    S = Xc.T @ Xc
    eigenvalues, Q = np.linalg.eigh(S)
    R = np.sqrt(np.clip(eigenvalues, 0.0, None))[:, None] * Q.T
    stats = LinearStatistics(n=len(y), x_mean=x_mean, y_mean=y_mean, R=R, w_star=w_star,
                             sse_star=float(residual @ residual), g_star=Xc.T @ residual)
    _STATISTICS[id(problem)] = (weakref.ref(problem), stats)
    while len(_STATISTICS) > 4:
        _STATISTICS.popitem(last=False)
    return stats


_STATISTICS: OrderedDict = OrderedDict()


def has_fast_path(problem: Problem) -> bool:
    """Linear, polynomial and ridge regression: J has sufficient statistics.  They are the models
    least squares solves: J is a quadratic in θ = (w, b) exactly then."""
    return problem.model.exact_solver == "least_squares"


def _fast_values(problem, theta, i, j, a, b, l2) -> np.ndarray:
    """J (G,) at θ_i = a, θ_j = b (G,) from the sufficient statistics (module docstring)."""
    stats = linear_statistics(problem)
    p = len(stats.x_mean)
    w0, b0 = theta[:p], theta[p]
    da, db = a - theta[i], b - theta[j]
    u = w0 - stats.w_star
    Rv = np.broadcast_to(stats.R @ u, (len(a), p)).copy()
    linear = np.full(len(a), float(u @ stats.g_star))
    mean_offset = np.full(len(a), float(w0 @ stats.x_mean + b0 - stats.y_mean))
    for q, d in ((i, da), (j, db)):
        if q < p:
            Rv += d[:, None] * stats.R[:, q]
            linear += d * stats.g_star[q]
            mean_offset += d * stats.x_mean[q]
        else:
            mean_offset += d
    sse = stats.sse_star + np.einsum("gk,gk->g", Rv, Rv) + 2 * linear + stats.n * mean_offset ** 2
    return sse / stats.n + _penalty(problem.model, theta, i, j, a, b, l2)


def _penalty(model, theta, i, j, a, b, l2) -> np.ndarray | float:
    """λ Σ penalised θ² with θ_i = a, θ_j = b."""
    if not l2:
        return 0.0
    mask = model.penalized
    rest = float(np.dot(theta * mask, theta)) - mask[i] * theta[i] ** 2 - mask[j] * theta[j] ** 2
    return l2 * (rest + mask[i] * a ** 2 + mask[j] * b ** 2)


# ---------------------------------------------------------------------------------------------
# Chunked evaluation: logits of all grid points by rank-two updates, then the head's loss


def _where(model, q: int) -> tuple[str, tuple[int, ...]]:
    """The array name and index of θ entry q."""
    start = 0
    for name, shape in model.shapes:
        size = int(np.prod(shape))
        if start <= q < start + size:
            return name, tuple(int(k) for k in np.unravel_index(q - start, shape))
        start += size
    raise IndexError(f"parameter index {q} out of range (the model has {model.n_params})")


def _touched_units(model, i: int, j: int) -> list[int]:
    """The hidden units (sorted) whose W1 row, b1 entry or W2 column holds θ_i or θ_j: the ones a
    grid point recomputes; none without a hidden layer."""
    if not model.has_hidden_layer:
        return []
    return sorted({index[1] if name == "W2" else index[0]
                   for name, index in (_where(model, q) for q in (i, j)) if name != "b2"})


class _AffineLogits:
    """Z (G, K, N) of an affine model for a chunk of (Δa, Δb): Z₀ plus Δ·(row of ∂Z/∂θ)."""

    def __init__(self, model: AffineModel, theta, Xt, i, j):
        self.Z0 = np.array(model.logits(theta, Xt), dtype=np.float64)
        self.moves = []
        for q in (i, j):
            name, index = _where(model, q)
            row = Xt[index[1]] if name == "W" else np.ones(Xt.shape[1])
            self.moves.append((index[0], row))

    def __call__(self, da, db):
        Z = np.repeat(self.Z0[None], len(da), axis=0)
        for (k, row), d in zip(self.moves, (da, db)):
            Z[:, k, :] += d[:, None] * row
        return Z


class _OrdinalLogits:
    """Z (G, K − 1, N) of the ordinal model for a chunk of (Δa, Δb): θ_k − w·x with w·x moved by
    Δ·(row of x) for a weight, and the thresholds recomputed from (theta1, log_gaps) for the others."""

    def __init__(self, model: OrdinalModel, theta, Xt, i, j):
        self.theta = np.asarray(theta, dtype=np.float64)
        self.p = model.n_features
        self.eta0 = model.unpack(self.theta)["W"][0] @ Xt
        self.Xt = Xt
        self.pair = (i, j)

    def __call__(self, da, db):
        G, p = len(da), self.p
        eta = np.repeat(self.eta0[None], G, axis=0)
        params = np.repeat(self.theta[None], G, axis=0)
        for q, d in zip(self.pair, (da, db)):
            params[:, q] += d
            if q < p:
                eta += d[:, None] * self.Xt[q]
        gaps = np.cumsum(np.exp(params[:, p + 1:]), axis=1)
        thresholds = params[:, p:p + 1] + np.concatenate([np.zeros((G, 1)), gaps], axis=1)
        return thresholds[:, :, None] - eta[:, None, :]


class _CascadeLogits:
    """Z (G, K, N) of a cascade for a chunk of (Δa, Δb): the hidden units the pair does not touch
    contribute a fixed W₂[:, h]·A_h; the touched ones (W1/b1 row or W2 column) are recomputed."""

    def __init__(self, model: CascadeModel, theta, Xt, i, j):
        p = model.unpack(theta)
        U = p["W1"] @ Xt + p["b1"][:, None]
        self.moves = [_where(model, q) for q in (i, j)]
        self.touched = touched = _touched_units(model, i, j)
        A = _sigmoid(U.copy())
        untouched = np.setdiff1d(np.arange(model.n_hidden), touched)
        self.Z_fixed = p["W2"][:, untouched] @ A[untouched] + p["b2"][:, None]
        self.U = U[touched]
        self.W2 = p["W2"][:, touched]
        self.Xt = Xt

    def __call__(self, da, db):
        G = len(da)
        U = np.repeat(self.U[None], G, axis=0)          # (G, S, N)
        W2 = np.repeat(self.W2[None], G, axis=0)        # (G, K, S)
        Z = np.repeat(self.Z_fixed[None], G, axis=0)    # (G, K, N)
        for (name, index), d in zip(self.moves, (da, db)):
            if name == "W1":
                U[:, self.touched.index(index[0]), :] += d[:, None] * self.Xt[index[1]]
            elif name == "b1":
                U[:, self.touched.index(index[0]), :] += d[:, None]
            elif name == "W2":
                W2[:, index[0], self.touched.index(index[1])] += d
            else:
                Z[:, index[0], :] += d[:, None]
        A = _sigmoid(U)
        Z += np.einsum("gks,gsn->gkn", W2, A)
        return Z


def _work_units(model, i: int, j: int) -> int:
    """Logit rows plus hidden units recomputed per grid point and training row."""
    return model.n_outputs + len(_touched_units(model, i, j))


def effective_resolution(problem: Problem, i: int, j: int, requested: int = DEFAULT_RESOLUTION,
                         method: str = "auto") -> int:
    """The resolution a refresh uses: ``requested`` on the fast path; on the chunked path (``method``
    "auto" without a fast path, or CHUNKED) at most ⌊√(WORK_BUDGET / (N·units))⌋ and at least
    MIN_RESOLUTION (never above ``requested``)."""
    if method == FAST or (method == "auto" and has_fast_path(problem)):
        return requested
    cost = max(1, problem.n_train) * _work_units(problem.model, i, j)
    return min(requested, max(MIN_RESOLUTION, math.isqrt(int(WORK_BUDGET // cost))))


def row_stride(problem: Problem, i: int, j: int, resolution: int) -> int:
    """Every how many training rows the chunked path takes J so that ``resolution``² grid points
    stay within WORK_BUDGET (1: every row)."""
    cost = resolution * resolution * max(1, problem.n_train) * _work_units(problem.model, i, j)
    return max(1, math.ceil(cost / WORK_BUDGET))


def _chunked_values(problem, theta, i, j, a, b, l2, chunk_bytes, stride: int = 1) -> np.ndarray:
    model = problem.model
    Xt = np.ascontiguousarray(problem.Xt_train[:, ::stride], dtype=np.float64)
    y = model.head.encode_target(problem.y_train[::stride], np.float64)
    maker = (_CascadeLogits if model.has_hidden_layer else _OrdinalLogits if isinstance(model, OrdinalModel)
             else _AffineLogits)
    logits = maker(model, theta, Xt, i, j)
    per_point = 8 * Xt.shape[1] * _work_units(model, i, j)
    chunk = max(1, int(chunk_bytes // per_point))
    da, db = a - theta[i], b - theta[j]
    values = np.empty(len(a))
    for start in range(0, len(a), chunk):
        part = slice(start, start + chunk)
        values[part] = model.head.losses(logits(da[part], db[part]), y)
    return values + _penalty(model, theta, i, j, a, b, l2)


def _pointwise_values(problem, theta, i, j, a, b, l2) -> np.ndarray:
    """``model.objective`` at every point: the reference the other two paths are tested against."""
    point = np.array(theta, dtype=np.float64)
    values = np.empty(len(a))
    for k, (ak, bk) in enumerate(zip(a, b)):
        point[i], point[j] = ak, bk
        values[k] = problem.model.objective(point, problem.Xt_train, problem.y_train, l2)
    return values


def objective_at(problem: Problem, theta: np.ndarray, i: int, j: int, a, b, l2: float | None = None,
                 method: str = "auto", chunk_bytes: int = CHUNK_BYTES, stride: int = 1) -> tuple[np.ndarray, str]:
    """J (G,) at θ with θ_i = a[g], θ_j = b[g] (a, b (G,)), and the method used.

    ``method``: "auto" (FAST when :func:`has_fast_path`, else CHUNKED), or FAST, CHUNKED or
    POINTWISE to force one (FAST only for the squared-error affine family).  ``stride`` > 1 takes
    the chunked path's J on every ``stride``-th training row only."""
    theta = np.asarray(theta, dtype=np.float64)
    n = problem.model.n_params
    if not (0 <= i < n and 0 <= j < n) or i == j:
        raise ValueError(f"need two different parameter indices below {n} (got {i}, {j})")
    l2 = problem.l2 if l2 is None else float(l2)
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    if method == "auto":
        method = FAST if has_fast_path(problem) else CHUNKED
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if method == FAST:
            if not has_fast_path(problem):
                raise ValueError(f"no sufficient statistics for {problem.model!r}")
            return _fast_values(problem, theta, i, j, a, b, l2), FAST
        if method == CHUNKED:
            return _chunked_values(problem, theta, i, j, a, b, l2, chunk_bytes, stride), CHUNKED
        if method == POINTWISE:
            return _pointwise_values(problem, theta, i, j, a, b, l2), POINTWISE
    raise ValueError(f"unknown method {method!r}")


def compute_landscape(problem: Problem, theta: np.ndarray, request: LandscapeRequest, l2: float | None = None,
                      method: str = "auto", chunk_bytes: int = CHUNK_BYTES,
                      limit_resolution: bool = True) -> Landscape:
    """J over ``request``'s grid at ``theta`` (see :class:`Landscape`); ``l2`` defaults to the
    problem's.  ``limit_resolution`` applies :func:`effective_resolution` to the chunked path."""
    started = time.perf_counter()
    resolution, stride = request.resolution, 1
    if limit_resolution:
        resolution = effective_resolution(problem, request.i, request.j, resolution, method)
        chunked = method == CHUNKED or (method == "auto" and not has_fast_path(problem))
        if chunked:
            stride = row_stride(problem, request.i, request.j, resolution)
    xs = np.linspace(*request.x_range, resolution)
    ys = np.linspace(*request.y_range, resolution)
    gx, gy = np.meshgrid(xs, ys)
    l2 = problem.l2 if l2 is None else float(l2)
    values, used = objective_at(problem, theta, request.i, request.j, gx.ravel(), gy.ravel(), l2,
                                method=method, chunk_bytes=chunk_bytes, stride=stride)
    values = values.reshape(resolution, resolution)
    values.flags.writeable = False
    rows = problem.n_train
    return Landscape(request.i, request.j, xs, ys, values, l2, used, time.perf_counter() - started,
                     rows_used=len(range(0, rows, stride)), rows_total=rows)


# ---------------------------------------------------------------------------------------------
# Colour scale and contours


def log_scale(values: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """log10(J − J_min + ε) (same shape, NaN where J is not finite) and its fixed levels
    (log10 ε, log10(J_max − J_min + ε)); ε = LOG_FLOOR_FRACTION·(J_max − J_min).  A flat grid
    gets a tiny absolute ε and levels one decade apart, so that they never coincide."""
    values = np.asarray(values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if not finite.size:
        return np.full(values.shape, np.nan), (0.0, 1.0)
    low, span = float(finite.min()), float(finite.max() - finite.min())
    epsilon = LOG_FLOOR_FRACTION * span if span > 0 else 1e-12 * max(1.0, abs(low))
    with np.errstate(invalid="ignore"):
        image = np.log10(np.where(np.isfinite(values), values - low, np.nan) + epsilon)
    low_level = math.log10(epsilon)
    return image, (low_level, math.log10(span + epsilon) if span > 0 else low_level + 1.0)


def contour_lines(landscape: Landscape, count: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """``count`` level curves of J at log-spaced heights above the grid's minimum (evenly spaced in
    :func:`log_scale`'s field, its ends excluded) as one NaN-separated polyline pair (xs, ys)."""
    image, (low, high) = log_scale(landscape.values)
    xs, ys = [np.empty(0)], [np.empty(0)]
    for level in np.linspace(low, high, count + 2)[1:-1]:
        x, y = iso_lines(image, level, landscape.x_range, landscape.y_range)
        xs.append(x)
        ys.append(y)
    return np.concatenate(xs), np.concatenate(ys)


# ---------------------------------------------------------------------------------------------
# Optimum, ranges, labels


def exact_optimum(problem: Problem, l2: float | None = None) -> np.ndarray | None:
    """θ* minimising J (``l2`` defaults to the problem's), by the exact solver: the data plot's exact
    reference and the landscape's star are one solution (:func:`views.exact_parameters`).  None
    without an exact solver (cascade, squared-error logistic), over budget, when the solve fails, and
    for separable classes, which have no finite optimum (:func:`views.separable`)."""
    return exact_parameters(problem, problem.l2 if l2 is None else float(l2))


def distance_to_optimum(theta: np.ndarray, theta_star: np.ndarray | None) -> float | None:
    """‖θ − θ*‖₂, or None when there is no θ*."""
    if theta_star is None:
        return None
    return float(np.linalg.norm(np.asarray(theta, dtype=np.float64) - theta_star))


def covering_range(values, margin: float = 0.25, min_half_width: float = 1.0) -> tuple[float, float]:
    """An interval holding every finite value with ``margin`` × its span on each side, at least
    ``min_half_width`` either side of its centre."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    centre, half = (lo + hi) / 2, (hi - lo) / 2 * (1 + 2 * margin)
    half = max(half, min_half_width)
    return centre - half, centre + half


def default_ranges(theta: np.ndarray, i: int, j: int, theta_star: np.ndarray | None = None,
                   margin: float = 0.25, min_half_width: float = 1.0) -> tuple[tuple[float, float], ...]:
    """(x_range, y_range) covering θ_i, θ_j and, if given, θ*_i, θ*_j, with ``margin`` × the span
    on each side and at least ±``min_half_width`` (about one unit of a standardised feature)."""
    points = [np.asarray(theta, dtype=np.float64)]
    if theta_star is not None:
        points.append(np.asarray(theta_star, dtype=np.float64))
    return (covering_range([p[i] for p in points], margin, min_half_width),
            covering_range([p[j] for p in points], margin, min_half_width))


def parameter_labels(problem: Problem) -> list[str]:
    """One readable label per θ entry, in θ's order: the parameters table's names
    (:func:`regstudio.core.readable.parameter_names`), so the axes and the table agree."""
    return parameter_names(problem)


def default_pair(problem: Problem) -> tuple[int, int]:
    """The pair a landscape starts with: the first weight and its output's bias (w and b of simple
    linear or logistic regression; for the cascade the first hidden unit's first weight and bias).
    θ begins with the first layer's weights W (units, p), then its biases: the bias is entry units·p."""
    return 0, int(np.prod(problem.model.shapes[0][1]))


# ---------------------------------------------------------------------------------------------
# Square error against cross-entropy (the course notes' "Cross Entropy v.s. Square Error")

COMPARISON_N = 100
COMPARISON_CENTRE = 3.0     # class 0 around −3, class 1 around +3 (raw units) …
COMPARISON_SPREAD = 0.5     # … with this standard deviation: separated, |x| ≈ 1 once standardised
COMPARISON_START = (-10.0, 0.0)  # (w, b): every point confidently wrong, σ(z) within e^−5 of 0 or 1
COMPARISON_LR = 1.0
COMPARISON_STEPS = 300
LOSSES = ("ce", "mse")


def comparison_dataset(seed: int = 0, n: int = COMPARISON_N) -> Dataset:
    """One input ``x``, labels "0"/"1" with equal odds: x ~ N(∓COMPARISON_CENTRE, COMPARISON_SPREAD²)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    x = np.where(labels == 1, COMPARISON_CENTRE, -COMPARISON_CENTRE) + COMPARISON_SPREAD * rng.standard_normal(n)
    return Dataset(X=x[:, None], y=labels.astype(str), groups=None, x_names=("x",), y_name="label",
                   source="separated classes")


@dataclass(frozen=True)
class DescentPath:
    """Gradient descent on one loss: ``path`` (steps + 1, 2) of (w, b) from the start, J
    ``losses`` (steps + 1,) and ‖∇J‖ ``grad_norms`` (steps + 1,) at each of those points, and the
    training ``accuracy`` at the end."""

    loss: str
    problem: Problem = field(repr=False)
    path: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    grad_norms: np.ndarray = field(repr=False)
    accuracy: float

    def __repr__(self) -> str:
        w, b = self.path[-1]
        return (f"DescentPath(loss={self.loss!r}, steps={len(self.path) - 1}, end=(w={w:.3g}, b={b:.3g}), "
                f"J={self.losses[-1]:.4g}, |g| {self.grad_norms[0]:.2g}→{self.grad_norms[-1]:.2g}, "
                f"accuracy={self.accuracy:.3g})")


@dataclass(frozen=True)
class LossComparison:
    """Both runs (``runs["ce"]``, ``runs["mse"]``) and both landscapes over (w, b) on the same ranges."""

    runs: dict
    landscapes: dict
    seed: int
    lr: float
    start: tuple[float, float]

    def __repr__(self) -> str:
        return f"LossComparison(seed={self.seed}, lr={self.lr:g}, start={self.start}, {list(self.runs.values())})"


def descend(problem: Problem, start, lr: float, steps: int) -> DescentPath:
    """``steps`` full-batch gradient-descent steps of the app's own Trainer from θ = ``start``."""
    trainer = Trainer(problem)
    trainer.theta[:] = start
    trainer.lr = lr
    path, losses, norms = [trainer.theta.copy()], [], []
    for _ in range(steps):
        losses.append(trainer.step())
        norms.append(float(np.linalg.norm(trainer.grad)))
        path.append(trainer.theta.copy())
    grad = np.zeros_like(trainer.theta)
    losses.append(problem.model.objective_grad(trainer.theta, problem.Xt_train, problem.y_train, trainer.l2, grad))
    norms.append(float(np.linalg.norm(grad)))
    accuracy = evaluate(problem, trainer.theta, trainer.l2)["train"]["accuracy"]
    return DescentPath(problem.settings.loss, problem, np.array(path), np.array(losses), np.array(norms),
                       float(accuracy))


def compare_losses(seed: int = 0, steps: int = COMPARISON_STEPS, lr: float = COMPARISON_LR,
                   start: tuple[float, float] = COMPARISON_START, n: int = COMPARISON_N,
                   resolution: int = DEFAULT_RESOLUTION) -> LossComparison:
    """Logistic regression on :func:`comparison_dataset` (standardised, no test rows, no L2),
    trained by gradient descent from the same (w, b) = ``start`` with cross-entropy and with
    square error.

    From the default start (w = −10: every point classified wrongly with σ within ~e^−5 of the
    wrong end) square error's gradient 2(σ − y)σ(1 − σ)x is ~e^−10 and the run barely moves
    (training accuracy stays ≈ 0 for seeds 0–11), while cross-entropy's (σ − y)x ≈ ±1 takes it
    to accuracy 1 within a few dozen steps.  Both landscapes span both paths."""
    dataset = comparison_dataset(seed, n)
    runs = {}
    for loss in LOSSES:
        settings = Settings(model="logistic", loss=loss, optimizer="gd", lr=lr, steps=steps, tol=0.0, seed=seed,
                            test_fraction=0.0)
        runs[loss] = descend(prepare(dataset, settings), np.asarray(start, dtype=np.float64), lr, steps)
    points = np.concatenate([run.path for run in runs.values()])
    request = LandscapeRequest(0, 1, covering_range(points[:, 0]), covering_range(points[:, 1]), resolution)
    landscapes = {loss: compute_landscape(run.problem, run.path[-1], request, limit_resolution=False)
                  for loss, run in runs.items()}
    return LossComparison(runs, landscapes, seed, float(lr), (float(start[0]), float(start[1])))
