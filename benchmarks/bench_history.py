"""Cost of the bounded loss history (regstudio/core/history.py) against keeping every step.

What is measured, for histories of 1e3 … 1e9 steps:

* ``extend``: µs per call that appends 2,000 losses (a frame's worth at full speed) to the history
  (which grows by 2 million steps while timed),
  against the old plot's store — every step and loss in float64 arrays that double when full (the
  ``GrowingSeries`` the loss plot had), on the same 2,000 values.  Best of 5 runs of 200 calls.
* ``thinned(800)``, linear and log steps: ms per call as the loss plot calls it, after each frame's
  2,000 new losses (a call right after another returns the same arrays and costs nothing), against
  thinning the raw losses to the same 800 min/max pairs (``np.minimum.reduceat`` and
  ``np.maximum.reduceat`` over equal spans), which is the least that keeping every step would cost
  for a drawing that keeps spikes.  The raw baseline needs every loss in memory, so it stops at 1e7
  steps.  Best of 5 runs of 20 calls.  ``cold ms``: the first call on a copy of the history (read
  back from ``to_dict``), which thins every span afresh, as after the run doubles.
* Memory of the history (its arrays, spare capacity included) and the JSON text of ``to_dict()``
  with the time to make it, next to the old 16 bytes of RAM and about 20 bytes of JSON per step.

A history of N steps is built cheaply but with every bucket a real run of N steps would fill: losses
of every step up to 2^22, then one loss per bucket (buckets past 2^22 steps are 2^10 steps wide and
more), so the bucket count, memory, thinning and file costs are those of a full run.  A last line gives
the throughput of ``extend`` on chunks of a million values (building a history from an old file).
The load average is printed: figures taken on a busy machine are not comparable.

Run:  python benchmarks/bench_history.py
"""

from __future__ import annotations

import json
import os
import time

import numpy as np

from regstudio.core.history import PER_OCTAVE, LossHistory

SIZES = (10**3, 10**4, 10**5, 10**6, 10**7, 10**8, 10**9)
DENSE_STEPS = 2**22
CHUNK = 2000
RAW_BASELINE_MAX = 10**7
LIMIT = 800
REPEATS = 5


class GrowingSeries:
    """The old loss plot's store, as it was: every step and loss, in arrays doubled when full."""

    def __init__(self):
        self.values, self.steps, self.size = np.empty(1024), np.empty(1024), 0

    def extend(self, steps: np.ndarray, values: np.ndarray) -> None:
        n = len(values)
        if self.size + n > len(self.values):
            capacity = max(2 * len(self.values), self.size + n)
            self.values, self.steps = np.resize(self.values, capacity), np.resize(self.steps, capacity)
        self.values[self.size:self.size + n] = values
        self.steps[self.size:self.size + n] = steps
        self.size += n


def best_seconds(call, calls: int) -> float:
    """Seconds per call, best of REPEATS runs of ``calls`` calls."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def history_of(steps: int, rng: np.random.Generator) -> LossHistory:
    history = LossHistory()
    dense = min(steps, DENSE_STEPS)
    for first in range(0, dense, 2**20):
        history.extend(first, 1.0 + rng.random(min(2**20, dense - first)))
    octave = DENSE_STEPS.bit_length() - PER_OCTAVE.bit_length()
    while PER_OCTAVE << octave < steps:
        for step in range(PER_OCTAVE << octave, min(PER_OCTAVE << (octave + 1), steps), 1 << octave):
            history.append(step, 1.0 + rng.random())
        octave += 1
    return history


def time_extend(history: LossHistory, values: np.ndarray) -> tuple[float, float]:
    old = GrowingSeries()
    next_step = [history.last_step + 1]

    def new_extend():
        history.extend(next_step[0], values)
        next_step[0] += len(values)

    def old_extend():
        old.extend(np.arange(old.size, old.size + len(values)), values)

    return best_seconds(new_extend, 200), best_seconds(old_extend, 200)


def time_thinned(history: LossHistory, values: np.ndarray, log_steps: bool) -> float:
    """Seconds per ``thinned`` call made after each extend by ``values``; best of REPEATS runs."""
    best = float("inf")
    for _ in range(REPEATS):
        spent = 0.0
        for _ in range(20):
            history.extend(history.last_step + 1, values)
            start = time.perf_counter()
            history.thinned(LIMIT, log_steps=log_steps)
            spent += time.perf_counter() - start
        best = min(best, spent / 20)
    return best


def time_cold_thinned(history: LossHistory) -> float:
    copy = LossHistory.from_dict(history.to_dict(max_points=max(64, len(history.buckets()["first_step"]))))
    start = time.perf_counter()
    copy.thinned(LIMIT)
    return time.perf_counter() - start


def raw_thinned(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    starts = np.unique(np.linspace(0, len(values), LIMIT, endpoint=False).astype(np.int64))
    return np.minimum.reduceat(values, starts), np.maximum.reduceat(values, starts)


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; B = {PER_OCTAVE}\n")
    print(f"{'steps':>6} {'buckets':>8} {'extend µs':>10} {'×old':>6} {'thin ms':>8} {'log ms':>7} {'×raw':>6} "
          f"{'cold ms':>8} {'RAM MB':>7} {'old MB':>8} {'JSON kB':>8} {'old kB':>10} {'save ms':>8}")
    chunk = 1.0 + rng.random(CHUNK)
    for steps in SIZES:
        history = history_of(steps, rng)
        buckets, memory = len(history.buckets()["first_step"]), history.nbytes
        cold = time_cold_thinned(history)
        thin = time_thinned(history, chunk, log_steps=False)
        thin_log = time_thinned(history, chunk, log_steps=True)
        ratio = "n/a"
        if steps <= RAW_BASELINE_MAX:
            raw = rng.random(steps)
            ratio = f"{thin / best_seconds(lambda raw=raw: raw_thinned(raw), 20):.2g}"
        start = time.perf_counter()
        text = json.dumps(history.to_dict(), allow_nan=False)
        save = time.perf_counter() - start
        new_extend, old_extend = time_extend(history, chunk)
        print(f"{steps:>6.0e} {buckets:>8} {new_extend * 1e6:>10.1f} {new_extend / old_extend:>6.1f} "
              f"{thin * 1e3:>8.2f} {thin_log * 1e3:>7.2f} {ratio:>6} {cold * 1e3:>8.2f} {memory / 1e6:>7.2f} "
              f"{16 * steps / 1e6:>8.3g} {len(text) / 1e3:>8.0f} {20 * steps / 1e3:>10.3g} {save * 1e3:>8.1f}")

    history, big = LossHistory(), rng.random(10**6)
    start = time.perf_counter()
    for first in range(0, 2 * 10**7, len(big)):
        history.extend(first, big)
    per_value = (time.perf_counter() - start) / 2e7
    print(f"\nextend in chunks of 1e6 values: {per_value * 1e9:.0f} ns per value ({history!r})")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
