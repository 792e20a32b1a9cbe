"""Speed of ``regstudio.core.contours.iso_lines`` against pyqtgraph's ``isocurve``.

What is measured, for grids of 64 × 64, 128 × 128 and 200 × 200 float32 samples and three kinds of
field:

* ``softmax``: the three decision-boundary fields of a 3-class softmax model with linear logits
  (``boundary_fields`` of its probability grid, as the window draws them); the time is per field.
* ``on-grid``: the same with round weights, whose boundaries pass exactly through a few grid samples
  (fields exactly 0 there): iso_lines's slower path, which drops zero-length and repeated segments.
* ``circle``: x² + y² − r², one closed curve.

Old: ``pg.functions.isocurve(field, 0.0, connected=True)`` followed by the conversion of its paths
(cell units) to data coordinates joined by NaN that the GUI's ``plot_geometry`` did, copied below as
``_isocurve_polylines`` — timed as it was, though isocurve puts sample (i, j) at (i + ½, j + ½), so
that conversion drew the curves half a cell up and to the right.  New: ``iso_lines(field, 0.0,
x_range, y_range)``, which returns that format directly.

Each figure is the best of 5 timed runs of enough calls to last about 0.2 s, old and new alternating;
the speed-up is old / new from the same run.  The vertex counts of both are printed: they differ only
where a sample lies exactly on the level, which isocurve repeats (a zero-length segment).  The load
average is printed at the start and the end: on a busy machine the figures are not comparable.
Last, PASS or FAIL against the target of a 10× speed-up at 64 × 64 for softmax and circle, as
information; the exit code is always 0.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_contours.py
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np
import pyqtgraph as pg

from regstudio.core.contours import iso_lines
from regstudio.core.views import boundary_fields

SIZES = (64, 128, 200)
X_RANGE, Y_RANGE = (-4.0, 4.0), (-3.0, 3.0)
TARGET_SECONDS = 0.2
REPEATS = 5
SPEED_UP_TARGET_AT_64 = 10.0
TARGET_KINDS = ("softmax", "circle")  # the typical fields; on-grid shows the slower path


def _isocurve_polylines(field: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """isocurve + the worker's conversion of its [row, column] cell paths to data coordinates."""
    xs, ys = [], []
    for path in pg.functions.isocurve(field, 0.0, connected=True):
        cells = np.asarray(path, dtype=np.float64)
        ys.append(Y_RANGE[0] + cells[:, 0] / (field.shape[0] - 1) * (Y_RANGE[1] - Y_RANGE[0]))
        xs.append(X_RANGE[0] + cells[:, 1] / (field.shape[1] - 1) * (X_RANGE[1] - X_RANGE[0]))
        xs.append([np.nan])
        ys.append([np.nan])
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ys)


def _new_polylines(field: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return iso_lines(field, 0.0, X_RANGE, Y_RANGE)


def _fields(kind: str, size: int) -> np.ndarray:
    """(F, size, size) float32 fields of one kind."""
    gx, gy = np.meshgrid(np.linspace(*X_RANGE, size), np.linspace(*Y_RANGE, size))
    if kind == "circle":
        return (gx**2 + gy**2 - 2.5**2)[None].astype(np.float32)
    if kind == "on-grid":
        weights, biases = np.array([[1.3, 0.4], [-0.9, 1.1], [-0.2, -1.5]]), np.array([0.2, -0.1, 0.3])
    else:  # weights like a trained model's, with no boundary through a grid sample
        weights, biases = np.array([[1.31, 0.43], [-0.87, 1.12], [-0.23, -1.46]]), np.array([0.21, -0.13, 0.34])
    logits = gx[..., None] * weights[:, 0] + gy[..., None] * weights[:, 1] + biases
    exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return boundary_fields((exp / exp.sum(axis=-1, keepdims=True)).astype(np.float32))


def _seconds_per_call(draw, fields: np.ndarray) -> float:
    """Mean time of one ``draw(field)`` over a run lasting about TARGET_SECONDS."""
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            for field in fields:
                draw(field)
        elapsed = time.perf_counter() - start
        if elapsed >= TARGET_SECONDS:
            return elapsed / (calls * len(fields))
        calls = max(2 * calls, int(calls * TARGET_SECONDS / max(elapsed, 1e-6)))


def _vertex_count(xs: np.ndarray) -> int:
    return int(np.count_nonzero(~np.isnan(xs)))


def main() -> None:
    print(f"python {platform.python_version()}, numpy {np.__version__}, pyqtgraph {pg.__version__}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'field':>8} {'size':>9} {'isocurve':>11} {'iso_lines':>11} {'speed-up':>9} {'vertices old/new':>17}")
    speed_up_at_64 = {}
    for kind in ("softmax", "on-grid", "circle"):
        for size in SIZES:
            fields = _fields(kind, size)
            _isocurve_polylines(fields[0])  # warm-up
            _new_polylines(fields[0])
            old, new = [], []
            for _ in range(REPEATS):
                old.append(_seconds_per_call(_isocurve_polylines, fields))
                new.append(_seconds_per_call(_new_polylines, fields))
            vertices_old = sum(_vertex_count(_isocurve_polylines(f)[0]) for f in fields)
            vertices_new = sum(_vertex_count(_new_polylines(f)[0]) for f in fields)
            speed_up = min(old) / min(new)
            if size == 64 and kind in TARGET_KINDS:
                speed_up_at_64[kind] = speed_up
            print(f"{kind:>8} {size:>4}×{size:<4} {min(old) * 1e3:>8.2f} ms {min(new) * 1e3:>8.3f} ms "
                  f"{speed_up:>8.1f}× {vertices_old:>8}/{vertices_new:<8}")
    for kind, speed_up in speed_up_at_64.items():
        verdict = "PASS" if speed_up >= SPEED_UP_TARGET_AT_64 else "FAIL"
        print(f"{verdict}: {kind} 64×64 speed-up {speed_up:.1f}× (target ≥ {SPEED_UP_TARGET_AT_64:.0f}×)")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
