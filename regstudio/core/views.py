"""What the plots draw, computed from a problem and parameters: pure numpy, so the training thread
can compute it for the snapshot it sends and the window only hands arrays to the plot items.

Inputs not on the plot's axes are held at their training mean (the window says so).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .contours import iso_lines_many
from .training import Problem


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


def _grid_features(problem: Problem, x_range, y_range, axes, resolution) -> np.ndarray:
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
    """Cascade only: each hidden unit's output minus ½ on the grid, (H, rows, columns) float32.

    The zero level of field h is the line (or, with polynomial features, the curve) that logistic
    unit h draws; the output unit combines these regions — how two units solve XOR.
    """
    A = problem.model.hidden_activations(theta, _grid_features(problem, x_range, y_range, axes, resolution))
    return (A - 0.5).reshape(-1, resolution, resolution).astype(np.float32)


def class_map_image(P: np.ndarray, colors: np.ndarray) -> np.ndarray:
    """RGBA uint8 image (rows, columns, 4): each cell takes its likeliest class's colour, the more
    opaque the surer the model is (transparent where two classes tie).

    ``P`` (rows, columns, K) probabilities; ``colors`` (K, 3) uint8.
    """
    K = P.shape[-1]
    top = P.max(axis=-1)
    image = np.empty(P.shape[:2] + (4,), dtype=np.uint8)
    image[..., :3] = colors[np.argmax(P, axis=-1)]
    # Certainty 1/K (a tie) maps to transparent, 1 to the strongest tint.
    certainty = np.clip((top - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0)
    image[..., 3] = (30 + 120 * certainty).astype(np.uint8)
    return image


def boundary_fields(P: np.ndarray) -> np.ndarray:
    """Fields whose 0-level curves are the decision boundaries: (F, rows, columns) float32.

    Two classes: one field, 2·P(second) − 1 (its zero is the 0.5 boundary).  K classes: one field per
    class, ``P_k − max_{j≠k} P_j``, whose zero outlines the region where class k is likeliest.
    """
    if P.shape[-1] == 2:
        return (2 * P[..., 1] - 1)[None].astype(np.float32)
    fields = np.empty((P.shape[-1],) + P.shape[:2], dtype=np.float32)
    for k in range(P.shape[-1]):
        others = np.delete(P, k, axis=-1).max(axis=-1)
        fields[k] = P[..., k] - others
    return fields


@dataclass(frozen=True)
class View:
    """What the data plot shows: the axis ranges, which inputs lie on the axes, and how finely the
    classification fields are sampled (resolution × resolution cells)."""

    x_range: tuple[float, float] = (-1.0, 1.0)
    y_range: tuple[float, float] = (-1.0, 1.0)
    axes: tuple[int, int] = (0, 1)
    resolution: int = 64


@dataclass(frozen=True)
class Geometry:
    """Everything the data plot draws for one parameter vector, in data coordinates.

    Regression: ``curves`` [(group or None, xs (n,), ŷ (n,))].  Classification: ``probabilities``
    (rows, columns, K) float32 over ``view``'s ranges, ``boundaries`` one NaN-separated polyline pair
    (xs, ys), and for the cascade ``hidden_lines``, one polyline pair per hidden unit (its σ = ½ line).
    ``view_id`` names the view request it answers; ``seconds`` is what computing it cost.
    """

    view_id: int
    view: View
    curves: tuple = ()
    probabilities: np.ndarray | None = None
    boundaries: tuple[np.ndarray, np.ndarray] | None = None
    hidden_lines: tuple = ()
    seconds: float = 0.0


def plot_geometry(problem: Problem, theta: np.ndarray, view: View, view_id: int = 0) -> Geometry:
    """The data plot's geometry for ``theta`` on ``problem`` (see :class:`Geometry`)."""
    started = time.perf_counter()
    if problem.classes is None:
        curves = tuple(regression_curves(problem, theta, view.x_range, axis=view.axes[0]))
        return Geometry(view_id, view, curves=curves, seconds=time.perf_counter() - started)
    P = probability_grid(problem, theta, view.x_range, view.y_range, view.axes, view.resolution)
    boundary_parts = iso_lines_many(boundary_fields(P), 0.0, view.x_range, view.y_range)
    hidden = ()
    if hasattr(problem.model, "hidden_activations"):
        fields = hidden_unit_fields(problem, theta, view.x_range, view.y_range, view.axes, view.resolution)
        hidden = tuple(iso_lines_many(fields, 0.0, view.x_range, view.y_range))
    return Geometry(view_id, view, probabilities=P, boundaries=joined_polylines(boundary_parts), hidden_lines=hidden,
                    seconds=time.perf_counter() - started)


def joined_polylines(polylines) -> tuple[np.ndarray, np.ndarray]:
    """Several polyline pairs (each polyline ending in NaN, as ``iso_lines`` returns them) as one pair."""
    parts = [(xs, ys) for xs, ys in polylines if len(xs)]
    if not parts:
        return np.empty(0), np.empty(0)
    return np.concatenate([xs for xs, _ in parts]), np.concatenate([ys for _, ys in parts])
