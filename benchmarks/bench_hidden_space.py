"""Cost of the hidden-space view per frame, against the data plot's geometry in the same run.

The training process computes ``hidden_space`` with every plot geometry while its view is open, so
what matters is its cost relative to ``views.plot_geometry`` (which the runner keeps within 15 % of
its time) and to one training step.  For xor data of 200, 10,000 and 100,000 points and three
problems — a 2-unit cascade, a 32-unit cascade, and logistic regression on distance features — this
prints the best of 5 timings (each of enough calls to last ~0.2 s) of:

* ``hidden``: what the training process computes per frame, ``HiddenSpaceRequest().compute``
  (``hidden_space`` of at most ``MAX_POINTS`` points, keeping the two units drawn);
* ``geometry``: ``plot_geometry`` at the window's default 64 × 64 resolution;
* ``step``: one full-batch gd step;

and the ratios hidden / geometry and hidden / step.  The pickled size of the result (what the pipe
carries each frame) is printed too.  The load average is printed at the start: on a busy machine the
figures are not comparable.

Run:  python benchmarks/bench_hidden_space.py
"""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import replace

from regstudio.core.generators import generate
from regstudio.core.hidden_space import (
    XOR_CASCADE_SETTINGS,
    XOR_DISTANCE_SETTINGS,
    HiddenSpaceRequest,
)
from regstudio.core.training import Trainer, prepare
from regstudio.core.views import Viewport, plot_geometry

SIZES = (200, 10_000, 100_000)
PROBLEMS = {
    "cascade H=2": XOR_CASCADE_SETTINGS,
    "cascade H=32": replace(XOR_CASCADE_SETTINGS, hidden=32),
    "logistic distances": XOR_DISTANCE_SETTINGS,
}


def best_seconds(call) -> float:
    call()
    calls, started = 0, time.perf_counter()
    while time.perf_counter() - started < 0.05:
        call()
        calls += 1
    repeat = max(1, int(calls * 4))
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat):
            call()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'problem':<20} {'points':>8} {'hidden ms':>10} {'geometry ms':>12} {'step ms':>8} "
          f"{'hidden/geometry':>16} {'hidden/step':>12} {'pickled kB':>11}")
    view = Viewport((-3.0, 3.0), (-3.0, 3.0))
    for n in SIZES:
        data = generate("xor", n, 0.2, seed=0)
        for name, settings in PROBLEMS.items():
            trainer = Trainer(prepare(data, replace(settings, steps=20)))
            list(trainer.run())
            problem, theta = trainer.problem, trainer.theta
            request = HiddenSpaceRequest()
            hidden = best_seconds(lambda p=problem, t=theta, r=request: r.compute(p, t))
            geometry = best_seconds(lambda p=problem, t=theta: plot_geometry(p, t, view))
            step = best_seconds(trainer.step)
            size = len(pickle.dumps(request.compute(problem, theta))) / 1000
            print(f"{name:<20} {n:>8} {hidden * 1e3:>10.3f} {geometry * 1e3:>12.3f} {step * 1e3:>8.3f} "
                  f"{hidden / geometry:>16.3f} {hidden / step:>12.2f} {size:>11.1f}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
