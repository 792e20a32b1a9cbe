"""How long a thread waits for the interpreter lock while another one trains (no Qt).

The window and its training thread share one interpreter lock.  A thread that wants it waits the
switch interval (1 ms while a window trains), then asks the holder to let go.  But when the holder
lets go by itself and takes it back within microseconds (numpy releases it around some calls,
``np.dot`` even for 20 numbers), the waiting thread rarely wins the race, and its interval starts
again after each such switch: a *convoy*.  At N = 20, where a step takes microseconds, the window's
thread then waited up to a second for the lock.

Measured here: a training thread steps a :class:`~regstudio.core.training.Trainer` as fast as it
can (switch interval 1 ms, as in the window), while the main thread sleeps 5 ms again and again and
records how much later than asked it runs again (its wait for the lock).  Then the same for single
numpy calls on 20 numbers in the loop instead of a step, showing which let go of the lock.

Prints figures; not a test.  Run:  PYTHONPATH=. python benchmarks/bench_gil_convoy.py
"""

from __future__ import annotations

import sys
import threading
import time

import numpy as np

from regstudio.core.generators import generate
from regstudio.core.training import Settings, Trainer, prepare

SWITCH_INTERVAL = 0.001   # as regstudio.gui.run_controller sets it while a window trains
SLEEP = 0.005
SAMPLES = 300
DATASETS = {"linear": "line", "polynomial": "cubic", "ridge": "line", "logistic": "two_blobs",
            "softmax": "blobs", "cascade": "two_blobs"}


def wake_latency(work) -> list[float]:
    """Milliseconds the main thread ran late after each of SAMPLES sleeps while ``work()`` loops on
    another thread."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            work()

    thread = threading.Thread(target=loop)
    thread.start()
    time.sleep(0.2)
    late = []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        time.sleep(SLEEP)
        late.append(1000 * (time.perf_counter() - start - SLEEP))
    stop.set()
    thread.join()
    return sorted(late)


def summary(late: list[float]) -> str:
    n = len(late)
    return f"{late[n // 2]:>6.2f} {late[int(0.9 * n)]:>7.2f} {late[int(0.99 * n)]:>7.2f} {late[-1]:>8.2f}"


def main() -> int:
    sys.setswitchinterval(SWITCH_INTERVAL)
    header = f"{'':<24} {'p50':>6} {'p90':>7} {'p99':>7} {'max ms':>8}"
    print("wait for the lock after a 5 ms sleep, while another thread trains")
    print(header)
    for model, dataset in DATASETS.items():
        for n in (20, 10**5):
            trainer = Trainer(prepare(generate(dataset, n, 0.5, seed=1), Settings(model=model, lr=1e-5)))
            print(f"{model + ' N=' + format(n, ','):<24} {summary(wake_latency(trainer.step))}")
    print()
    print("the same while another thread repeats one numpy call on 20 numbers")
    print(header)
    a, b = np.random.default_rng(0).random((2, 20))
    for name, call in (("np.dot(a, b)", lambda: np.dot(a, b)), ("a @ b", lambda: a @ b),
                       ("np.linalg.norm(a)", lambda: np.linalg.norm(a)), ("a.sum()", a.sum)):
        print(f"{name:<24} {summary(wake_latency(call))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
