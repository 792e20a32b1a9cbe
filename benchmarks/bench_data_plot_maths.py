"""What the data plot's maths costs: residuals and the dashed reference in the geometry, and the
smooth (bilinear) scaling of the probability map.

1. Geometry, in the training process's terms.  For each case, ``plot_geometry`` with
   ``Viewport(residuals=False, reference=False)`` (the geometry as it was) against the default view
   (residuals and reference on), after the first call: the ratio is the per-frame price of the new
   parts.  The first call's time is printed too: it includes the exact solve, done once per problem
   and λ (and once per view for the reference's boundary), which the runner charges to its 15 %
   geometry share.
2. Paint.  The data plot (900 × 600 px, offscreen) drawing a 3-class softmax map of 64 × 64 cells,
   repainted synchronously: nearest-neighbour scaling (pyqtgraph's ImageItem) against bilinear
   (the plot's own image item), and, for comparison, a 128 × 128 grid with nearest scaling (the
   other way to hide the staircase).  The geometry cost of the 128 grid against 64 is printed with it.

Each figure is the best of 5 runs of enough calls to last about 0.2 s; ratios are from the same run.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_data_plot_maths.py
"""

from __future__ import annotations

import os
import time

import PySide6  # noqa: F401  (pyqtgraph must pick PySide6)
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication

from regstudio.core.generators import generate
from regstudio.core.training import Settings, Trainer, prepare
from regstudio.core.views import Viewport, plot_geometry
from regstudio.gui import data_plot as data_plot_module
from regstudio.gui.style import class_colors, configure_pyqtgraph

CASES = [("line", "linear", 20, {}), ("line", "linear", 100_000, {}), ("line", "polynomial", 100_000, {"degree": 9}),
         ("two_blobs", "logistic", 10_000, {}), ("blobs", "softmax", 100_000, {}),
         ("blobs", "softmax", 10_000, {"degree": 3})]


def best_seconds(action, runs: int = 5, budget: float = 0.2) -> float:
    """Best per-call time of ``runs`` runs of enough calls to last about ``budget`` seconds."""
    started = time.perf_counter()
    action()
    calls = max(1, int(budget / max(time.perf_counter() - started, 1e-6)))
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(calls):
            action()
        best = min(best, (time.perf_counter() - started) / calls)
    return best


def geometry_call(problem, theta, view):
    return lambda: plot_geometry(problem, theta, view)


def geometry_costs() -> None:
    print("geometry per frame (ms): without residuals and reference → with them; first call with them")
    for data, model, n, extra in CASES:
        problem = prepare(generate(data, n, 1.0, seed=1), Settings(model, **extra))
        trainer = Trainer(problem)
        trainer.step()
        plain = Viewport((-4.0, 4.0), (-4.0, 4.0), residuals=False, reference=False)
        full = Viewport((-4.0, 4.0), (-4.0, 4.0))
        started = time.perf_counter()
        geometry = plot_geometry(problem, trainer.theta, full)
        first = time.perf_counter() - started
        old = best_seconds(geometry_call(problem, trainer.theta, plain))
        new = best_seconds(geometry_call(problem, trainer.theta, full))
        name = f"{model} {n:,} {extra or ''}".strip()
        print(f"  {name:28s} {1e3 * old:7.2f} → {1e3 * new:7.2f}  ×{new / old:5.2f}   first {1e3 * first:7.1f}"
              f"   ({geometry.reference_label or 'no reference'})")


def paint_costs() -> None:
    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    problem = prepare(generate("blobs", 300, 1.0, seed=1), Settings("softmax"))
    trainer = Trainer(problem)
    for _ in range(50):
        trainer.step()
    colors = class_colors(problem.classes)
    plot = data_plot_module.DataPlot()
    plot.resize(900, 600)
    plot.show()
    plot.canvas.setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)
    app.processEvents()

    def paint_seconds(resolution: int) -> float:
        geometry = plot_geometry(problem, trainer.theta, Viewport((-4.0, 4.0), (-4.0, 4.0), resolution=resolution))
        plot.show_geometry(geometry, colors, problem.classes)
        app.processEvents()
        return best_seconds(plot.viewport().repaint)

    smooth_paint = data_plot_module.ProbabilityMap.paint

    def nearest_paint(item, painter, *args):
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(item.boundingRect(), item._qimage)

    data_plot_module.ProbabilityMap.paint = nearest_paint
    nearest = paint_seconds(64)
    nearest_128 = paint_seconds(128)
    data_plot_module.ProbabilityMap.paint = smooth_paint
    smooth = paint_seconds(64)
    view = Viewport((-4.0, 4.0), (-4.0, 4.0))
    grid_64 = best_seconds(lambda: plot_geometry(problem, trainer.theta, view))
    view_128 = Viewport((-4.0, 4.0), (-4.0, 4.0), resolution=128)
    grid_128 = best_seconds(lambda: plot_geometry(problem, trainer.theta, view_128))
    print("data plot paint, 900 × 600 px, softmax map (ms):")
    print(f"  64 × 64 nearest {1e3 * nearest:6.2f}   64 × 64 bilinear {1e3 * smooth:6.2f} (×{smooth / nearest:4.2f})"
          f"   128 × 128 nearest {1e3 * nearest_128:6.2f} (×{nearest_128 / nearest:4.2f})")
    print(f"  geometry: 64 × 64 {1e3 * grid_64:6.2f} ms, 128 × 128 {1e3 * grid_128:6.2f} ms"
          f" (×{grid_128 / grid_64:4.2f})")
    regression = prepare(generate("line", 100_000, 1.0, seed=1), Settings("linear"))
    line = Trainer(regression)
    line.step()
    plot.canvas.setRange(xRange=(-3.5, 3.5), yRange=(-8, 10), padding=0)

    def regression_paint_seconds(view: Viewport) -> float:
        plot.show_geometry(plot_geometry(regression, line.theta, view), None)
        app.processEvents()
        return best_seconds(plot.viewport().repaint)

    without = regression_paint_seconds(Viewport((-3.5, 3.5), (-8.0, 10.0), residuals=False, reference=False))
    with_all = regression_paint_seconds(Viewport((-3.5, 3.5), (-8.0, 10.0)))
    print(f"data plot paint, linear on 100,000 points (ms): fitted line only {1e3 * without:6.2f}, with 2,000 "
          f"residuals and the slope formula's line {1e3 * with_all:6.2f} (×{with_all / without:4.2f})")
    plot.close()


if __name__ == "__main__":
    print(f"load average {os.getloadavg()[0]:.2f}")
    geometry_costs()
    paint_costs()
    print(f"load average {os.getloadavg()[0]:.2f}")
