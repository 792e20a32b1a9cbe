"""What another thread's wake-ups cost the training thread, with no Qt and no plotting at all.

The window's budget "plotting costs at most 25 % of headless steps/s" (bench_gui.py) is measured
with a trainer that shares the interpreter lock with the window's thread.  Every time the window's
thread wakes (a frame, a paint, a timer) the lock changes hands twice, and each hand-over waits for
the other thread to be scheduled.  This script measures that cost alone: softmax on 20 points (the
cheapest step, where the cost shows most) trained by ``Trainer.run`` on a thread, as the runner
does, while the main thread

- sleeps (the baseline),
- wakes W times a second and runs about ``WORK_US`` µs of Python (W = 30, 100, 300),

and prints steps/s and the ratio to the baseline, for switch intervals of 1 ms (the window's) and
5 ms (Python's default).  The main thread's own work is ~1–3 % of a core; a ratio far below
1 − that is the hand-over's price on this machine.

Prints figures; not a test.  Run:  python benchmarks/bench_thread_wakeups.py
"""

from __future__ import annotations

import sys
import threading
import time

from regstudio.core.generators import generate
from regstudio.core.training import Settings, Trainer, prepare

SECONDS = 2.0
WORK_US = 100
WAKES = (30, 100, 300)


def train(seconds: float, rates: list[float]) -> None:
    problem = prepare(generate("blobs", 20, 0.5, seed=1), Settings(model="softmax", lr=0.1, tol=0))
    trainer = Trainer(problem)
    started = time.perf_counter()
    for _ in trainer.run(max_steps=10**9, chunk_seconds=0.01, metrics_seconds=0.1):
        if time.perf_counter() - started > seconds:
            break
    rates.append(trainer.step_count / (time.perf_counter() - started))


def python_work(microseconds: float) -> None:
    end = time.perf_counter() + microseconds / 1e6
    while time.perf_counter() < end:
        pass


def measure(wakes_per_second: int | None) -> float:
    rates: list[float] = []
    worker = threading.Thread(target=train, args=(SECONDS, rates))
    worker.start()
    while worker.is_alive():
        if wakes_per_second is None:
            worker.join()
            break
        time.sleep(1 / wakes_per_second)
        python_work(WORK_US)
    worker.join()
    return rates[0]


def main() -> int:
    print(f"softmax, 20 points, {SECONDS:g} s per figure; the main thread runs ~{WORK_US} µs of Python per wake")
    print(f"{'switch interval':>16} {'main thread':>22} {'steps/s':>9} {'ratio':>6}")
    for interval in (0.001, 0.005):
        sys.setswitchinterval(interval)
        baseline = measure(None)
        print(f"{interval * 1000:>13g} ms {'sleeps':>22} {baseline:>9,.0f} {1:>6.2f}")
        for wakes in WAKES:
            rate = measure(wakes)
            print(f"{interval * 1000:>13g} ms {f'wakes {wakes}/s':>22} {rate:>9,.0f} {rate / baseline:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
