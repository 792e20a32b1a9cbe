"""Loss landscape refresh cost: ms per refresh for each model kind at N = 20, 10⁴, 10⁵ training rows.

Each refresh is ``compute_landscape`` at a new θ (as in the window, where θ moves every frame) over
the default pair of parameters, at the resolution the refresh really uses (printed: the chunked
path lowers it for large N, see ``effective_resolution``).  For the linear family the sufficient
statistics are computed once per problem (printed separately) and the refresh is compared with the
chunked path at the same resolution (``fast/chunked``).  Budget (DESIGN): ≤ 50 ms per refresh for
N ≤ 10⁴.

    .venv/bin/python benchmarks/bench_landscape.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from regstudio.core import generators
from regstudio.core.landscape import (
    CHUNKED,
    LandscapeRequest,
    compute_landscape,
    default_pair,
    default_ranges,
    effective_resolution,
    has_fast_path,
    linear_statistics,
)
from regstudio.core.training import Settings, prepare

CASES = (
    ("linear", "line", {}),
    ("polynomial", "cubic", {}),
    ("ridge", "sine", {"degree": 5}),
    ("logistic", "two_blobs", {}),
    ("logistic mse", "two_blobs", {"loss": "mse"}),
    ("softmax", "blobs", {}),
    ("cascade", "xor", {"hidden": 4}),
)
SIZES = (20, 10_000, 100_000)
BUDGET_MS = 50.0


def _ms_per_refresh(problem, request, repeats, **options) -> tuple[float, int]:
    rng = np.random.default_rng(0)
    theta0 = problem.model.init(rng, "random")
    times, resolution = [], 0
    for _ in range(repeats):
        theta = theta0 + 0.01 * rng.standard_normal(theta0.shape)
        started = time.perf_counter()
        landscape = compute_landscape(problem, theta, request, **options)
        times.append(time.perf_counter() - started)
        resolution = landscape.resolution
    return 1000 * float(np.median(times)), resolution


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'model':<14}{'N':>8}{'res':>5}{'ms/refresh':>12}{'stats ms':>10}{'chunked ms':>12}{'fast/chunked':>14}"
          f"  budget")
    for name, generator, options in CASES:
        model = name.split()[0]
        for n in SIZES:
            settings = Settings(model=model, test_fraction=0.0, **options)
            problem = prepare(generators.generate(generator, n, 0.5, seed=1), settings)
            i, j = default_pair(problem)
            theta = problem.model.init(np.random.default_rng(0), "random")
            request = LandscapeRequest(i, j, *default_ranges(theta, i, j))
            stats_ms = chunked_ms = ratio = ""
            if has_fast_path(problem):
                started = time.perf_counter()
                linear_statistics(problem)
                stats_ms = f"{1000 * (time.perf_counter() - started):.2f}"
            ms, resolution = _ms_per_refresh(problem, request, args.repeats)
            if has_fast_path(problem):
                chunked_request = LandscapeRequest(i, j, request.x_range, request.y_range,
                                                   effective_resolution(problem, i, j, method=CHUNKED))
                fast_same, _ = _ms_per_refresh(problem, chunked_request, args.repeats)
                slow, _ = _ms_per_refresh(problem, chunked_request, args.repeats, method=CHUNKED,
                                          limit_resolution=False)
                chunked_ms = f"{slow:.2f}"
                ratio = f"{fast_same / slow:.4f}"
            verdict = ("ok" if ms <= BUDGET_MS else "OVER") if n <= 10_000 else "-"
            print(f"{name:<14}{n:>8}{resolution:>5}{ms:>12.2f}{stats_ms:>10}{chunked_ms:>12}{ratio:>14}  {verdict}")


if __name__ == "__main__":
    main()
