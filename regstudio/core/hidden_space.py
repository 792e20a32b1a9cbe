"""The space the last logistic unit sees: where the course notes' feature transformation puts the points.

Logistic regression draws one straight boundary, so it cannot separate XOR.  The notes fix that in
two steps, and this view shows both:

* *by hand* (``Settings(features="distances")``): each point becomes (x₁′, x₂′), its distances to two
  reference points; logistic regression's boundary ``w·x′ + b = 0`` is a straight line in that plane;
* *learned* (the cascade): hidden unit h outputs ``a_h = σ(W₁[h]·x + b₁[h])`` ∈ (0, 1), and the output
  unit draws the straight line ``W₂·a + b₂ = 0`` in the hidden space [0, 1]^H.

``hidden_space(problem, theta)`` maps every training and test point into that space and returns the
boundary there as NaN-separated polylines, ready to draw.

Boundaries.  Where the logits are an affine function ``Z = M·u + c`` (K, ·) of the plotted plane's
coordinates u = (u₁, u₂) — always for the cascade, and for distance features of degree 1 without a
group column — the boundary is computed exactly: for one logit (a sigmoid head) the line
``M[0]·u + c[0] = 0``; for K softmax logits, for each pair of classes k < j the part of the line
``(M[k] − M[j])·u + c[k] − c[j] = 0`` where k and j beat every other class; each clipped to the plot's
rectangle (Liang–Barsky clipping against half-planes).  With polynomial or grouped distance features
the boundary is curved and is traced on a grid (``contours.iso_lines``).

A cascade with H > 2 hidden units shows two of them (``units``, the first two by default); the
others are held at their mean over the training points shown, which makes the drawn line a slice of
the true boundary (``note`` says so).  With H = 1 the points lie on the line u₂ = ½.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .contours import iso_lines_many
from .errors import SettingsError
from .features import XOR_REFERENCES, distance_point
from .messages import translate
from .training import Problem, Settings
from .views import boundary_fields, joined_polylines

# The lessons' XOR, as ``generators.generate("xor", **XOR_DATA, seed=…)``: four clouds of about 50
# points at (±1.5, ±1.5) with σ = 0.2, far enough apart that only the method can fail.
XOR_DATA = {"n": 200, "noise": 0.2}
# Logistic regression on the distances to the two class-0 corners: ≥ 0.95 accuracy on XOR_DATA for
# every data seed tried (0.99–1.0 for seeds 0–5), where the raw inputs stay at chance.
XOR_DISTANCE_SETTINGS = Settings("logistic", features="distances", references=XOR_REFERENCES,
                                 optimizer="gd", lr=1.0, steps=500)
# Two logistic units feeding a third learn the transformation themselves: 100 % on XOR_DATA for data
# seeds 0–9 in 1,000 steps (about 70 ms).  The seed matters: a two-unit cascade has local minima
# (with seed 1, 4 of those 10 data sets end at 59–83 %), which is itself worth showing a student.
XOR_CASCADE_SETTINGS = Settings("cascade", hidden=2, optimizer="gd", lr=3.0, steps=1000, seed=0)

# Above this, an evenly spaced subset of the points is mapped, sent and drawn: the points move every
# frame, so the plot cannot paint them from a cache, and 2,000 keep a frame's result near 70 kB.
MAX_POINTS = 2000
GRID = 96          # samples per side for a curved boundary
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class HiddenSpace:
    """Points and boundary in the space the output unit sees.

    ``kind``: "cascade" or "distances".  For the n points shown (training rows first, then test rows;
    an evenly spaced subset when there are more than ``MAX_POINTS``): ``coordinates`` (n, H) every
    hidden unit's output σ(W₁x + b₁) (cascade; only the columns ``units`` when computed with
    ``all_units=False``) or the distances to the reference points in the data's units (distances);
    ``xy`` (n, 2) where the plot draws them (the columns ``units``: the same array when those are all
    the columns); ``classes`` (n,) int64 class indices in ``problem.classes`` order; ``test`` (n,)
    bool; ``rows`` (n,) the points' rows in ``problem.dataset``.  ``boundary`` is a pair (xs, ys) of
    NaN-terminated polylines inside ``x_range`` × ``y_range``; ``note`` explains any simplification.
    """

    kind: str
    coordinates: np.ndarray
    xy: np.ndarray
    classes: np.ndarray
    test: np.ndarray
    rows: np.ndarray
    units: tuple[int, ...]
    boundary: tuple[np.ndarray, np.ndarray]
    axis_labels: tuple[str, str]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    note: str = ""

    def __repr__(self) -> str:
        segments = int(np.isnan(self.boundary[0]).sum())
        return (f"HiddenSpace({self.kind}, points={len(self.xy)} ({int(self.test.sum())} test), "
                f"dims={self.coordinates.shape[1]}, units={list(self.units)}, boundary pieces={segments})")


def has_hidden_space(problem: Problem) -> bool:
    """Whether ``problem`` has a hidden space to show: a cascade, or a classifier on distance features."""
    return problem.classes is not None and (
        problem.model.has_hidden_layer or problem.pipeline.references is not None)


def hidden_space(problem: Problem, theta: np.ndarray, units: tuple[int, int] = (0, 1),
                 max_points: int = MAX_POINTS, all_units: bool = True) -> HiddenSpace:
    """The points of ``problem`` and the output unit's boundary in its hidden space at ``theta``.

    ``units`` chooses the two hidden units a cascade with more than two shows; ``all_units=False``
    keeps only their columns in ``coordinates`` (what the plot needs: a 32-unit cascade's full
    activations are 16 times larger to send).  Raises SettingsError when ``has_hidden_space(problem)``
    is false.
    """
    if not has_hidden_space(problem):
        raise SettingsError("only the cascade and models on distance features have a hidden space to show")
    theta = np.asarray(theta, dtype=np.float64)
    n_train = problem.n_train
    n = n_train + len(problem.test_rows)
    chosen = np.arange(n) if n <= max_points else np.unique(np.linspace(0, n - 1, max_points).round().astype(np.int64))
    in_train = chosen[chosen < n_train]
    in_test = chosen[chosen >= n_train] - n_train
    rows = np.concatenate([problem.train_rows[in_train], problem.test_rows[in_test]]).astype(np.int64)
    classes = np.concatenate([problem.y_train[in_train], problem.y_test[in_test]]).astype(np.int64)
    test = np.arange(len(chosen)) >= len(in_train)
    if problem.model.has_hidden_layer:
        return _cascade(problem, theta, units, in_train, in_test, rows, classes, test, all_units)
    return _distances(problem, theta, rows, classes, test)


@dataclass(frozen=True)
class HiddenSpaceRequest:
    """The live view's request to the training thread (``runner.SetExtraViews``): the frame's extras
    then hold ``{name: HiddenSpace or None}`` computed from the frame's parameters.  Unit numbers that
    the current cascade does not have fall back to its first two, so a request never fails a run."""

    name: str = "hidden_space"
    units: tuple[int, int] = (0, 1)
    max_points: int = MAX_POINTS

    def compute(self, problem: Problem, theta: np.ndarray, l2: float = 0.0) -> HiddenSpace | None:
        if not has_hidden_space(problem):
            return None
        hidden = problem.model.n_hidden
        valid = len(set(self.units)) == 2 and all(0 <= u < hidden for u in self.units)
        return hidden_space(problem, theta, self.units if valid else (0, 1), self.max_points, all_units=False)


def _cascade(problem, theta, units, in_train, in_test, rows, classes, test, all_units) -> HiddenSpace:
    model = problem.model
    H = model.n_hidden
    parts = [model.hidden_activations(theta, np.ascontiguousarray(Xt[:, cols])).T
             for Xt, cols in ((problem.Xt_train, in_train), (problem.Xt_test, in_test))]
    A = np.concatenate(parts).astype(np.float64)
    p = model.unpack(theta)
    note: str
    if H == 1:
        units, note = (0,), translate("HiddenSpace", "one hidden unit: the points are drawn at height ½")
        xy = np.column_stack([A[:, 0], np.full(len(A), 0.5)])
        M = np.column_stack([p["W2"][:, 0], np.zeros(model.n_outputs)])
        c = p["b2"].copy()
    else:
        units = tuple(int(u) for u in units)
        if len(units) != 2 or units[0] == units[1] or not all(0 <= u < H for u in units):
            raise SettingsError(translate("HiddenSpace", "choose two different hidden units from 1 to {count} "
                                                         "(got {units})").format(count=H, units=[u + 1 for u in units]))
        others = [h for h in range(H) if h not in units]
        note = ""
        c = p["b2"].copy()
        if others:
            held = A[~test][:, others].mean(axis=0)  # the first point shown is always a training point
            c += p["W2"][:, others] @ held
            note = translate("HiddenSpace", "hidden units {first} and {second} of {count}; the boundary holds the "
                                            "other units at their training mean").format(
                first=units[0] + 1, second=units[1] + 1, count=H)
        xy = A if units == (0, 1) and H == 2 else A[:, list(units)]
        if not all_units:
            A = xy
        M = p["W2"][:, list(units)]
    labels: list[str] = [translate("HiddenSpace", "{x}′ = σ(hidden {unit})").format(x=f"x{_sub(u + 1)}", unit=u + 1)
                         for u in units]
    if len(labels) == 1:
        labels.append("")
    box = ((0.0, 1.0), (0.0, 1.0))
    return HiddenSpace("cascade", A, xy, classes, test, rows, units, affine_boundary(M, c, *box),
                       (labels[0], labels[1]), *box, note=note)


def _distances(problem, theta, rows, classes, test) -> HiddenSpace:
    pipeline, model = problem.pipeline, problem.model
    D = pipeline.distances(problem.dataset.X[rows])
    references = pipeline.references
    reach = float(D.max()) if D.size else float(np.linalg.norm(references[0] - references[1]))
    box = ((0.0, 1.05 * reach), (0.0, 1.05 * reach))
    labels = [translate("HiddenSpace", "{x}′ = distance to ({point})").format(
        x=f"x{_sub(k + 1)}", point=distance_point(reference)) for k, reference in enumerate(references)]
    straight = pipeline.degree == 1 and not pipeline.group_levels
    if straight and model.kind != "ordinal":
        p = model.unpack(theta)
        M, c = pipeline.to_raw_units(p["W"], p["b"])
        boundary = affine_boundary(M, c, *box)
    else:   # curved, or the ordinal model's K − 1 parallel lines P(y ≤ k) = ½: traced
        boundary = _traced_boundary(problem, theta, *box)
    if straight:
        note = ""
    elif pipeline.group_levels:
        note = translate("HiddenSpace", "the boundary is curved: the features are powers or group terms of the "
                                        "distances; drawn for group {group!r}").format(group=pipeline.group_levels[0])
    else:
        note = translate("HiddenSpace", "the boundary is curved: the features are powers or group terms of the "
                                        "distances")
    return HiddenSpace("distances", D, D, classes, test, rows, (0, 1), boundary, (labels[0], labels[1]), *box,
                       note=note)


def _traced_boundary(problem, theta, x_range: tuple[float, float],
                     y_range: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """The class boundaries of a model whose logits are not affine in the distances (or the ordinal
    model's), traced on a grid."""
    pipeline = problem.pipeline
    gx, gy = np.meshgrid(np.linspace(*x_range, GRID), np.linspace(*y_range, GRID))
    groups = None if not pipeline.group_levels else np.full(gx.size, pipeline.group_levels[0])
    F = pipeline.expand(np.column_stack([gx.ravel(), gy.ravel()]), groups)
    if pipeline.standardize:
        F = (F - pipeline.mean) / pipeline.std
    P = problem.model.predict(theta, np.ascontiguousarray(F.T)).reshape(GRID, GRID, -1)
    fields = boundary_fields(P, problem.model.kind == "ordinal")
    return joined_polylines(iso_lines_many(fields, 0.0, x_range, y_range))


def _sub(number: int) -> str:
    return str(number).translate(_SUBSCRIPTS)


def affine_boundary(M: np.ndarray, c: np.ndarray, x_range, y_range) -> tuple[np.ndarray, np.ndarray]:
    """Decision boundary of logits ``Z = M·u + c`` (M (K, 2), c (K,)) over a rectangle, as NaN-terminated
    segments (xs, ys).

    K = 1 (sigmoid): the line ``M[0]·u + c[0] = 0``.  K ≥ 2 (softmax): for every pair k < j the segment of
    ``(M[k] − M[j])·u + c[k] − c[j] = 0`` on which k and j tie above every other class.
    """
    M, c = np.asarray(M, dtype=np.float64), np.asarray(c, dtype=np.float64)
    (x0, x1), (y0, y1) = x_range, y_range
    rectangle = [((1.0, 0.0), -x0), ((-1.0, 0.0), x1), ((0.0, 1.0), -y0), ((0.0, -1.0), y1)]
    segments = []
    if len(c) == 1:
        segments.append(clip_line(M[0], c[0], rectangle))
    else:
        for k in range(len(c)):
            for j in range(k + 1, len(c)):
                beaten = [(M[k] - M[m], c[k] - c[m]) for m in range(len(c)) if m not in (k, j)]
                segments.append(clip_line(M[k] - M[j], c[k] - c[j], rectangle + beaten))
    xs, ys = [], []
    for segment in segments:
        if segment is not None:
            (ax, ay), (bx, by) = segment
            xs += [ax, bx, np.nan]
            ys += [ay, by, np.nan]
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)


def clip_line(a, b: float, half_planes) -> tuple[np.ndarray, np.ndarray] | None:
    """The segment of the line ``a·u + b = 0`` (a (2,)) inside every half-plane ``g·u + h ≥ 0`` of
    ``half_planes`` [(g (2,), h)], as its two end points, or None when it is empty, a single point,
    or ``a`` is zero (no line).

    The line is ``u(t) = u₀ + t·d`` with u₀ = −b·a/‖a‖² and d = (−a₂, a₁); each half-plane bounds t
    from one side (Liang–Barsky).
    """
    a = np.asarray(a, dtype=np.float64)
    norm2 = float(a @ a)
    if not norm2 > 0 or not np.isfinite(norm2) or not np.isfinite(b):
        return None
    origin = -b * a / norm2
    direction = np.array([-a[1], a[0]]) / np.sqrt(norm2)
    low, high = -np.inf, np.inf
    for g, h in half_planes:
        g = np.asarray(g, dtype=np.float64)
        slope, value = float(g @ direction), float(g @ origin + h)
        if slope == 0:
            if value < 0:
                return None
        elif slope > 0:
            low = max(low, -value / slope)
        else:
            high = min(high, -value / slope)
    if not low < high or not np.isfinite(low) or not np.isfinite(high):
        return None
    return origin + low * direction, origin + high * direction
