"""What the plots draw, computed from a problem and parameters: pure numpy, so the training thread
can compute it for the snapshot it sends and the window only hands arrays to the plot items.

Inputs not on the plot's axes are held at their training mean (the window says so).
"""

from __future__ import annotations

import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from .contours import iso_lines_many
from .messages import translate
from .solvers import exact_step
from .training import Problem

MAX_RESIDUALS = 2_000  # residual segments drawn at most: a fixed, evenly spaced subsample of the training rows
# The exact reference is solved only while a Newton step (N·P² for N rows and P parameters) stays cheap:
# it is solved in the training thread, once per problem and λ, and would stall the run otherwise.
EXACT_BUDGET = 1e7
NEWTON_STEPS = 30      # separable classes have no finite optimum: Newton stops here (see exact_parameters)


def _grid_inputs(problem: Problem, columns: dict[int, np.ndarray], n: int) -> np.ndarray:
    """(n, d) raw inputs: the given input columns, every other input at its training mean."""
    X = np.repeat(problem.input_means[None, :], n, axis=0)
    for axis, values in columns.items():
        X[:, axis] = values
    return X


def regression_curves(problem: Problem, theta: np.ndarray, x_range: tuple[float, float], axis: int = 0,
                      points: int = 200) -> list[tuple[str | None, np.ndarray, np.ndarray]]:
    """The fitted curve over ``x_range`` of input ``axis``: ``[(group or None, xs, ŷ)]``, one per group."""
    xs = np.linspace(*x_range, points)
    X = _grid_inputs(problem, {axis: xs}, points)
    levels = problem.pipeline.group_levels or (None,)
    curves = []
    for level in levels:
        groups = None if level is None else np.full(points, level)
        Xt = np.ascontiguousarray(problem.pipeline.transform(X, groups).T)
        curves.append((level, xs, problem.model.predict(theta, Xt)))
    return curves


def _grid_features(problem: Problem, x_range: tuple[float, float], y_range: tuple[float, float], axes,
                   resolution: int) -> np.ndarray:
    """Model features Xt (p, resolution²) of a grid whose cell centres span the ranges evenly;
    with a group column, the first group level."""
    gx, gy = np.meshgrid(np.linspace(*x_range, resolution), np.linspace(*y_range, resolution))
    X = _grid_inputs(problem, {axes[0]: gx.ravel(), axes[1]: gy.ravel()}, gx.size)
    levels = problem.pipeline.group_levels
    groups = None if not levels else np.full(gx.size, levels[0])
    return np.ascontiguousarray(problem.pipeline.transform(X, groups).T)


def probability_grid(problem: Problem, theta: np.ndarray, x_range, y_range, axes=(0, 1),
                     resolution: int = 64) -> np.ndarray:
    """Class probabilities on a resolution × resolution grid: (rows = y, columns = x, K) float32."""
    P = problem.model.predict(theta, _grid_features(problem, x_range, y_range, axes, resolution))
    return P.reshape(resolution, resolution, -1).astype(np.float32)


def hidden_unit_fields(problem: Problem, theta: np.ndarray, x_range, y_range, axes=(0, 1),
                       resolution: int = 64) -> np.ndarray:
    """Each hidden unit's output minus ½ on the grid, (H, rows, columns) float32 (H = 0 without a
    hidden layer).

    The zero level of field h is the line (or, with polynomial features, the curve) that logistic
    unit h draws; the output unit combines these regions — how two units solve XOR.
    """
    A = problem.model.hidden_activations(theta, _grid_features(problem, x_range, y_range, axes, resolution))
    return (A - 0.5).reshape(-1, resolution, resolution).astype(np.float32)


def class_map_image(P: np.ndarray, colors: np.ndarray, ordered: bool = False) -> np.ndarray:
    """RGBA uint8 image (rows, columns, 4): each cell takes its likeliest class's colour, the more
    opaque the surer the model is (transparent where two classes tie).

    ``P`` (rows, columns, K) probabilities; ``colors`` (K, 3) uint8.  ``ordered`` (ordinal classes):
    the colour is shaded by the expected rating E = Σ k·P_k, mixed towards the neighbouring class on
    E's side by up to half of |E − predicted|, so the map shows where within a class the rating leans.
    """
    K = P.shape[-1]
    top = P.max(axis=-1)
    image = np.empty(P.shape[:2] + (4,), dtype=np.uint8)
    predicted = np.argmax(P, axis=-1)
    if ordered:
        expected = P @ np.arange(K, dtype=P.dtype)
        lean = expected - predicted
        neighbour = np.clip(predicted + np.sign(lean).astype(np.int64), 0, K - 1)
        share = (np.minimum(np.abs(lean), 1.0) / 2)[..., None]
        image[..., :3] = np.rint((1 - share) * colors[predicted] + share * colors[neighbour]).astype(np.uint8)
    else:
        image[..., :3] = colors[predicted]
    # Certainty 1/K (a tie) maps to transparent, 1 to the strongest tint.
    certainty = np.clip((top - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0)
    image[..., 3] = (30 + 120 * certainty).astype(np.uint8)
    return image


def boundary_fields(P: np.ndarray, ordered: bool = False) -> np.ndarray:
    """Fields whose 0-level curves are the decision boundaries: (F, rows, columns) float32.

    Two classes: one field, 2·P(second) − 1 (its zero is the 0.5 boundary).  K classes: one field per
    class, ``P_k − max_{j≠k} P_j``, whose zero outlines the region where class k is likeliest.
    ``ordered`` (ordinal classes): the K − 1 fields P(y ≤ k) − ½, whose zeros are the model's
    boundaries w·x = θ_k, parallel whatever the probabilities (a middle class may be nowhere likeliest).
    """
    if ordered:
        return np.moveaxis(np.cumsum(P, axis=-1)[..., :-1] - 0.5, -1, 0).astype(np.float32)
    if P.shape[-1] == 2:
        return (2 * P[..., 1] - 1)[None].astype(np.float32)
    fields = np.empty((P.shape[-1],) + P.shape[:2], dtype=np.float32)
    for k in range(P.shape[-1]):
        others = np.delete(P, k, axis=-1).max(axis=-1)
        fields[k] = P[..., k] - others
    return fields


@dataclass(frozen=True)
class Viewport:
    """What the data plot shows: the axis ranges, which inputs lie on the axes, and how finely the
    classification fields are sampled (resolution × resolution cells)."""

    x_range: tuple[float, float] = (-1.0, 1.0)
    y_range: tuple[float, float] = (-1.0, 1.0)
    axes: tuple[int, int] = (0, 1)
    resolution: int = 64
    residuals: bool = True   # regression: the segment from each training point to its prediction
    reference: bool = True   # the slope formula's line or the exact optimum's curve or boundary, dashed


@dataclass(frozen=True)
class Geometry:
    """Everything the data plot draws for one parameter vector, in data coordinates.

    Regression: ``curves`` [(group or None, xs (n,), ŷ (n,))] and ``residuals``, one NaN-separated
    polyline pair (xs, ys) of vertical segments (x_i, y_i)–(x_i, ŷ_i) (see :func:`residual_segments`).
    Classification: ``probabilities`` (rows, columns, K) float32 over ``view``'s ranges,
    ``boundaries`` one NaN-separated polyline pair (xs, ys), and for the cascade ``hidden_lines``, one
    polyline pair per hidden unit (its σ = ½ line).
    With a group column, ``shared_curve`` (xs, ŷ) is the one line fitted to every group alike
    (:class:`~regstudio.core.readable.GroupComparison`), drawn beside the per-group curves.
    Both: ``reference``, a NaN-separated polyline pair drawn dashed, named by ``reference_label``:
    the slope formula's line y = m·x + c (``slope_formula`` holds its numbers) or the exact optimum's
    curve or boundary (see :func:`reference_lines`).
    ``view_id`` names the view request it answers; ``seconds`` is what computing it cost.
    """

    view_id: int
    view: Viewport
    curves: tuple = ()
    probabilities: np.ndarray | None = None
    boundaries: tuple[np.ndarray, np.ndarray] | None = None
    hidden_lines: tuple = ()
    seconds: float = 0.0
    residuals: tuple[np.ndarray, np.ndarray] | None = None
    reference: tuple[np.ndarray, np.ndarray] | None = None
    reference_label: str = ""
    slope_formula: SlopeFormula | None = None
    separable_norm: float | None = None   # ‖w‖ of θ when the classes are separable (no finite optimum)
    shared_curve: tuple[np.ndarray, np.ndarray] | None = None   # data with groups: one line for all groups
    ordered: bool = False   # ordinal classes: the map shades the expected rating, the boundaries are parallel

    @property
    def note(self) -> str:
        """The line under the plot: the slope formula's numbers, or why no exact optimum is drawn."""
        if self.slope_formula is not None:
            return self.slope_formula.text
        if self.separable_norm is not None:
            return SEPARABLE_NOTE.format(norm=self.separable_norm)
        return ""


def plot_geometry(problem: Problem, theta: np.ndarray, view: Viewport, view_id: int = 0,
                  l2: float | None = None) -> Geometry:
    """The data plot's geometry for ``theta`` on ``problem`` (see :class:`Geometry`); ``l2`` is the
    λ the run trains with now (default: the problem's), which the exact reference solves for."""
    started = time.perf_counter()
    l2 = problem.l2 if l2 is None else float(l2)
    formula = _REFERENCES.slope_formula(problem)
    reference, label = _REFERENCES.lines(problem, l2, view) if view.reference else (None, "")
    separable_norm = None
    if view.reference and _REFERENCES.separable(problem, l2):
        separable_norm = weight_norm(problem, theta)
    if problem.classes is None:
        curves = tuple(regression_curves(problem, theta, view.x_range, axis=view.axes[0]))
        residuals = residual_segments(problem, theta, view.axes[0]) if view.residuals else None
        return Geometry(view_id, view, curves=curves, residuals=residuals, reference=reference,
                        reference_label=label, slope_formula=formula, seconds=time.perf_counter() - started)
    P = probability_grid(problem, theta, view.x_range, view.y_range, view.axes, view.resolution)
    ordered = problem.model.kind == "ordinal"
    boundary_parts = iso_lines_many(boundary_fields(P, ordered), 0.0, view.x_range, view.y_range)
    hidden: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
    if problem.model.has_hidden_layer:
        fields = hidden_unit_fields(problem, theta, view.x_range, view.y_range, view.axes, view.resolution)
        hidden = tuple(iso_lines_many(fields, 0.0, view.x_range, view.y_range))
    return Geometry(view_id, view, probabilities=P, boundaries=joined_polylines(boundary_parts), hidden_lines=hidden,
                    reference=reference, reference_label=label, separable_norm=separable_norm,
                    ordered=ordered, seconds=time.perf_counter() - started)


def joined_polylines(polylines) -> tuple[np.ndarray, np.ndarray]:
    """Several polyline pairs (each polyline ending in NaN, as ``iso_lines`` returns them) as one pair."""
    parts = [(xs, ys) for xs, ys in polylines if len(xs)]
    if not parts:
        return np.empty(0), np.empty(0)
    return np.concatenate([xs for xs, _ in parts]), np.concatenate([ys for _, ys in parts])


# --- the maths the plot shows next to the fit ----------------------------------------------------------

def residual_segments(problem: Problem, theta: np.ndarray, axis: int = 0,
                      limit: int = MAX_RESIDUALS) -> tuple[np.ndarray, np.ndarray]:
    """Regression: the vertical segment from each training point (x_i, y_i) to its prediction
    (x_i, ŷ_i), as one NaN-separated polyline pair (xs, ys), each (3n,): x_i, x_i, NaN / y_i, ŷ_i, NaN.

    x_i is input ``axis``; ŷ_i is the model's prediction at the point's own inputs and group, so with
    several inputs the segment ends where the model puts that point, not on the plotted curve.  Above
    ``limit`` training rows an evenly spaced, fixed subsample of ``limit`` rows is drawn.
    """
    n = problem.n_train
    picked = np.arange(n) if n <= limit else np.unique(np.linspace(0, n - 1, limit).round().astype(np.int64))
    rows = problem.train_rows[picked]
    Xt = problem.Xt_train if n <= limit else np.ascontiguousarray(problem.Xt_train[:, picked])
    xs = np.empty((len(picked), 3))
    ys = np.empty((len(picked), 3))
    xs[:, :2] = problem.dataset.X[rows, axis][:, None]
    ys[:, 0] = problem.dataset.y[rows]
    ys[:, 1] = problem.model.predict(theta, Xt)
    xs[:, 2] = ys[:, 2] = np.nan
    return xs.ravel(), ys.ravel()


@dataclass(frozen=True)
class SlopeFormula:
    """The notes' closed form of simple linear regression y = m·x + c on the training rows:
    m = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², c = ȳ − m·x̄."""

    x_mean: float
    y_mean: float
    m: float
    c: float

    @property
    def text(self) -> str:
        """One line for a label: "slope formula: x̄ = …, ȳ = …, m = …, c = …"."""
        template = translate("Views", "slope formula: x̄ = {x_mean:.4g}, ȳ = {y_mean:.4g}, m = {m:.4g}, c = {c:.4g}")
        return template.format(x_mean=self.x_mean, y_mean=self.y_mean, m=self.m, c=self.c)


def slope_formula(x: np.ndarray, y: np.ndarray) -> SlopeFormula | None:
    """:class:`SlopeFormula` of the points (x (n,), y (n,)); None when every x is the same (no slope)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    x_mean, y_mean = float(x.mean()), float(y.mean())
    dx = x - x_mean
    spread = float(dx @ dx)
    if not spread > 0:
        return None
    m = float(dx @ (y - y_mean)) / spread
    return SlopeFormula(x_mean, y_mean, m, y_mean - m * x_mean)


def is_simple_linear(problem: Problem) -> bool:
    """Simple linear regression: the linear model on one input, degree 1, no groups."""
    return (problem.settings.model == "linear" and len(problem.dataset.x_names) == 1
            and problem.settings.degree == 1 and not problem.pipeline.group_levels)


def problem_slope_formula(problem: Problem) -> SlopeFormula | None:
    """The slope formula on ``problem``'s training rows, for simple linear regression (else None)."""
    if not is_simple_linear(problem):
        return None
    pipeline, z, y = problem.pipeline, problem.Xt_train[0], problem.y_train
    if not (pipeline.standardize and z.dtype == y.dtype == np.float64
            and pipeline.mean is not None and pipeline.std is not None):
        return slope_formula(problem.train_inputs[:, 0], problem.dataset.y[problem.train_rows])
    # The standardised input z = (x − x̄)/s is x already centred: the sums need no new array, which on
    # 10⁶ rows is most of the cost (each fresh 8 MB array is paged in) and what a click waits for.
    n, s, x_mean = len(z), float(pipeline.std[0]), float(pipeline.mean[0])
    y_mean = float(y.mean())
    z_sum = float(z.sum())
    spread = s * s * (float(z @ z) - z_sum * z_sum / n)
    if not spread > 0:
        return None
    m = s * (float(z @ y) - y_mean * z_sum) / spread
    return SlopeFormula(x_mean, y_mean, m, y_mean - m * x_mean)


def exact_solution(problem: Problem, l2: float) -> tuple[np.ndarray | None, bool]:
    """(θ*, separable) for ``problem``'s objective with penalty ``l2``, from one solve by the exact
    solver (least squares; Newton for cross-entropy, at most NEWTON_STEPS steps from zero).

    θ* is None for the cascade and the squared-error logistic model (no exact solver), when a step
    would cost more than EXACT_BUDGET, when the solve fails, and for separable classes without penalty.
    ``separable``: cross-entropy without penalty whose solve ended on parameters that classify every
    training row correctly, so J keeps falling as ‖w‖ grows and no finite optimum exists (Newton only
    stopped because J reached rounding level; gradient descent approaches that boundary only as
    ‖w‖ → ∞)."""
    model = problem.model
    if model.exact_solver is None or problem.n_train * model.n_params ** 2 > EXACT_BUDGET:
        return None, False
    theta = np.zeros(model.n_params)
    grad = np.zeros_like(theta)
    with np.errstate(all="ignore"):
        try:
            for _ in range(NEWTON_STEPS):
                if exact_step(model, theta, problem.Xt_train, problem.y_train, l2, grad, 1e-10).converged:
                    break
        except np.linalg.LinAlgError:
            return None, False
    if not np.isfinite(theta).all():
        return None, False
    if problem.classes is not None and l2 == 0 and not model.has_hidden_layer:
        with np.errstate(all="ignore"):
            metrics = model.head.metrics(problem.y_train, model.logits(theta, problem.Xt_train))
        if metrics.get("accuracy") == 1.0:
            return None, True
    return theta, False


def exact_parameters(problem: Problem, l2: float) -> np.ndarray | None:
    """θ* of :func:`exact_solution` (None without a finite exact optimum)."""
    return exact_solution(problem, l2)[0]


def separable(problem: Problem, l2: float) -> bool:
    """No finite optimum: the classes of ``problem``'s training rows are separable and λ = 0."""
    return exact_solution(problem, l2)[1]


def weight_norm(problem: Problem, theta: np.ndarray) -> float:
    """‖w‖₂ of ``theta``'s weights (biases left out): what grows without bound on separable classes."""
    params = problem.model.unpack(np.asarray(theta, dtype=np.float64))
    return float(np.linalg.norm(params["W"])) if "W" in params else float("nan")


SEPARABLE_NOTE = translate("Views", "separable classes: no finite optimum, so no exact boundary is drawn; ‖w‖ "
                                    "keeps growing (now ‖w‖ = {norm:.4g})")

SLOPE_FORMULA_LABEL = translate("Views", "slope formula y = m·x + c")
EXACT_LABEL = translate("Views", "exact optimum")


def reference_lines(problem: Problem, view: Viewport, formula: SlopeFormula | None = None,
                    exact: np.ndarray | None = None) -> tuple[tuple[np.ndarray, np.ndarray] | None, str]:
    """The dashed reference and its legend label, ``((xs, ys) NaN-separated, label)`` or ``(None, "")``.

    With a slope ``formula``: its line y = m·x + c across ``view.x_range``.  Otherwise with ``exact``
    parameters θ* (:func:`exact_parameters`): the exact optimum's curve (one per group) or decision
    boundary over ``view``, i.e. what the optimizer converges to.
    """
    if formula is not None:
        xs = np.array(view.x_range, dtype=np.float64)
        return (xs, formula.m * xs + formula.c), SLOPE_FORMULA_LABEL
    if exact is None:
        return None, ""
    if problem.classes is None:
        curves = regression_curves(problem, exact, view.x_range, axis=view.axes[0])
        return joined_polylines((np.append(xs, np.nan), np.append(ys, np.nan)) for _, xs, ys in curves), EXACT_LABEL
    P = probability_grid(problem, exact, view.x_range, view.y_range, view.axes, view.resolution)
    fields = boundary_fields(P, problem.model.kind == "ordinal")
    return joined_polylines(iso_lines_many(fields, 0.0, view.x_range, view.y_range)), EXACT_LABEL


class ReferenceCache:
    """The slope formula, exact optima and reference lines of the last few problems.

    A problem never changes once prepared, so its slope formula is computed once, its exact optimum
    once per λ and its reference lines once per view, not for every frame.  Entries are keyed by the
    problem's identity and hold it weakly: a problem that is gone is never mistaken for a new one that
    reuses its id.
    """

    def __init__(self, size: int = 4):
        self.size = size
        self._entries: OrderedDict = OrderedDict()

    def __repr__(self) -> str:
        return f"ReferenceCache({len(self._entries)}/{self.size} problems)"

    def _entry(self, problem: Problem) -> dict:
        key = id(problem)
        entry = self._entries.get(key)
        if entry is None or entry["problem"]() is not problem:
            entry = {"problem": weakref.ref(problem), "formula": problem_slope_formula(problem),
                     "exact": {}, "lines": {}}
            self._entries[key] = entry
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        self._entries.move_to_end(key)
        return entry

    def slope_formula(self, problem: Problem) -> SlopeFormula | None:
        return self._entry(problem)["formula"]

    def _solution(self, problem: Problem, l2: float) -> tuple[np.ndarray | None, bool]:
        """:func:`exact_solution`, once per problem and λ (the reference line and the separable
        note come from the same solve)."""
        exact = self._entry(problem)["exact"]
        if l2 not in exact:
            _bounded_insert(exact, l2, exact_solution(problem, l2), self.size)
        return exact[l2]

    def separable(self, problem: Problem, l2: float) -> bool:
        return self._solution(problem, l2)[1]

    def exact_parameters(self, problem: Problem, l2: float) -> np.ndarray | None:
        return self._solution(problem, l2)[0]

    def lines(self, problem: Problem, l2: float, view: Viewport):
        """The reference of ``problem`` at ``l2`` over ``view`` (see :func:`reference_lines`): the slope
        formula's line for simple linear regression without penalty, else the exact optimum's."""
        entry = self._entry(problem)
        key = (float(l2), view.x_range, view.y_range, view.axes, view.resolution)
        if key not in entry["lines"]:
            formula = entry["formula"] if l2 == 0 else None
            exact = None if formula is not None else self.exact_parameters(problem, l2)
            _bounded_insert(entry["lines"], key, reference_lines(problem, view, formula, exact), self.size)
        return entry["lines"][key]


def _bounded_insert(table: dict, key, value, size: int) -> None:
    """``table[key] = value``, first dropping the oldest entries beyond ``size - 1``."""
    while len(table) >= size:
        table.pop(next(iter(table)))
    table[key] = value


_REFERENCES = ReferenceCache()
