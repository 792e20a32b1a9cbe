"""The rewind timeline's budgets, measured offscreen in the real window.

* Scrubbing ≥ 30 frames/s for every model up to 10⁴ points.  For each model (linear, polynomial,
  ridge, logistic, softmax, cascade, ordinal) at N = 20 and 10⁴ (the data made with the window's own
  controls, as ``bench_gui.py`` does), the run trains to step 600, then ``timelineSlider`` is moved
  as a dragging hand moves it: a new value every 8 ms (125 a second, faster than any screen), for
  2 s, sweeping back and forth over the run.  Reported: past frames drawn per second (frames of
  the step asked for, each with its geometry computed off the GUI thread for that step; the newest
  request wins, so a slow step is skipped rather than queued), and the lag from the last request to
  its frame on screen.
* Recording costs little: steps per second of ``Trainer.run`` with and without a timeline kept, on
  the same problem in this process (no window), as a ratio.
* Memory: the timeline's bytes for the largest model here (cascade, 32 hidden units, degree 15:
  4,385 parameters) after 10⁵ recorded steps, against the 32 MB budget.

This is not a test: it prints figures and PASS/FAIL as information and always exits 0.

Run:  python benchmarks/bench_timeline.py [--quick]
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import
os.environ.setdefault("QT_NO_GLIB", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_gui import DATASETS, Case, set_up, wait  # noqa: E402

SCRUB_BUDGET = 30.0
MODELS = ("linear", "polynomial", "ridge", "logistic", "softmax", "cascade", "ordinal")
STEPS = 600
REQUEST_MS = 8


def scrub(window, case: Case, seconds: float) -> tuple[float, float]:
    """Past frames drawn per second while the slider moves, and the lag (ms) of the last request."""
    from PySide6.QtCore import QTimer

    controller, slider = window.controller, window.timeline_bar.slider
    drawn: list[tuple[float, int]] = []

    def on_frame(frame):
        if frame.shown is not None:
            drawn.append((time.perf_counter(), frame.shown))

    controller.frameArrived.connect(on_frame)
    values = [int(abs((k * 7) % (2 * STEPS) - STEPS)) for k in range(int(seconds * 1000 / REQUEST_MS))]
    sent: list[tuple[float, int]] = []

    def move():
        if len(sent) < len(values):
            value = values[len(sent)]
            slider.setValue(value)
            sent.append((time.perf_counter(), value))

    timer = QTimer()
    timer.setInterval(REQUEST_MS)
    timer.timeout.connect(move)
    start = time.perf_counter()
    timer.start()
    wait(seconds)
    timer.stop()
    elapsed = time.perf_counter() - start
    last_time, last_value = sent[-1]
    deadline = time.perf_counter() + 5
    while not (drawn and drawn[-1][1] == last_value) and time.perf_counter() < deadline:
        wait(0.005)
    controller.frameArrived.disconnect(on_frame)
    during = [t for t, _ in drawn if t <= start + elapsed]
    lag = 1000 * (drawn[-1][0] - last_time) if drawn and drawn[-1][1] == last_value else float("nan")
    return len(during) / elapsed, lag


def recording_ratio() -> float:
    """Steps/s with a timeline kept over steps/s without, softmax on 20 points (the smallest steps)."""
    import numpy as np

    from regstudio.core.generators import generate
    from regstudio.core.runner import ProblemSpec
    from regstudio.core.training import Settings, Trainer

    spec = ProblemSpec(generate("blobs", 20, 0.5, seed=1), Settings(model="softmax", steps=10**12, tol=0.0),
                       np.zeros(20, dtype=bool))
    rates = {}
    for kept in (False, True, False, True):
        trainer = Trainer(spec.prepare())
        if kept:
            trainer.keep_timeline()
        start = time.perf_counter()
        while time.perf_counter() - start < 1.0:
            for _ in range(500):
                trainer.step()
        rates.setdefault(kept, []).append(trainer.step_count / (time.perf_counter() - start))
    return max(rates[True]) / max(rates[False])


def memory_mb() -> float:
    import numpy as np

    from regstudio.core.timeline import Timeline

    timeline = Timeline(4385)
    theta = np.zeros(4385)
    for step in range(10**5):
        timeline.record(step, theta)
    return timeline.nbytes / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 10⁴ only, 1 s of scrubbing")
    args = parser.parse_args()
    seconds = 1.0 if args.quick else 2.0
    sizes = (10**4,) if args.quick else (20, 10**4)

    config = tempfile.TemporaryDirectory()
    os.environ["XDG_CONFIG_HOME"] = config.name
    import PySide6  # noqa: F401  (before pyqtgraph)
    from PySide6.QtWidgets import QApplication

    from regstudio.gui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("regstudio-bench")
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    wait(0.3)
    print("regstudio timeline benchmark (offscreen, 1366×768)")
    print(f"scrubbing: a slider value every {REQUEST_MS} ms for {seconds:g} s over steps 0–{STEPS}; "
          f"budget ≥ {SCRUB_BUDGET:g} past frames/s")
    print(f"{'case':<32} {'frames/s':>9} {'last lag ms':>12}")
    for model in MODELS:
        for n in sizes:
            case = Case(model, n, DATASETS[model])
            set_up(window, case)
            window.training_panel.speed_slider.setValue(window.training_panel.speed_slider.maximum())
            window.controller.step(STEPS)
            deadline = time.perf_counter() + 120
            while window.controller.newest_step < STEPS and time.perf_counter() < deadline:
                wait(0.05)
            rate, lag = scrub(window, case, seconds)
            verdict = "PASS" if rate >= SCRUB_BUDGET else "FAIL"
            print(f"{case.label:<32} {rate:>9.1f} {lag:>12.0f}  {verdict}")
    window.document.mark_saved(None)
    window.close()
    ratio = recording_ratio()
    print(f"\nrecording every step (softmax, N = 20, the smallest steps): {ratio:.3f} × the steps/s without")
    size = memory_mb()
    print(f"timeline of a 4,385-parameter cascade after 10⁵ steps: {size:.1f} MB (budget 32 MB): "
          f"{'PASS' if size <= 32 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
