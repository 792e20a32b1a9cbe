"""The window's budgets while training (DESIGN.md §6), measured offscreen.

What is measured, for each model (linear, polynomial, ridge, logistic, softmax, cascade) at N = 20,
1e4 and 1e5 points:

* The data set is made through the window's own controls: ``modelCombo``, then ``generatorCombo``
  (``line`` for linear and ridge, ``cubic`` for polynomial, ``two_blobs`` for logistic and cascade,
  ``blobs`` — 3 classes — for softmax), ``sizeSpin`` = N, noise 0.5, and ``generateButton`` (which
  goes through the undo stack, refits the view and restarts the run, as a user's click does).
  The learning rate (``learningRateSpin``) stays at 0.1 for the classifiers; the regression models
  get the spin box's minimum, 1e-5, because at 0.1 they converge (and stop) within 0.01–0.3 s, which
  would leave nothing to measure.  The step costs the same whatever the rate.
* ``speedSlider`` at its maximum (full speed), ``playButton`` checked, a warm-up, then a measured
  window of a few seconds in which the GUI thread runs its ordinary event loop (a local QEventLoop,
  so nothing spins):

  - GUI-thread stall: a 10 ms ``Qt.PreciseTimer`` probe records the interval between its ticks;
    reported as p50 / p99 / max of (interval − 10 ms) in ms.  Budget: p99 ≤ 50 ms.
  - Redraws per second: ``MainWindow._on_worker_frame`` is overridden (in a subclass, so the
    window's own ``frameReady.connect`` picks it up) and ``worker.take_frame`` is wrapped; a redraw is
    counted only when the handler actually took a frame of the current run and handed it to the plots
    (signals whose frame was already merged into a later one do not count).  Also shown: the mean
    time the handler itself takes in the GUI thread, and paint events of the data plot's viewport
    per second (what the offscreen backing store really rendered).  Budget: ≥ 25 /s up to N = 1e4.
  - Training speed: the step number of the applied frames' snapshots, (last − first) over the wall
    time between them, against a headless loop of ``Trainer.step()`` on a fresh ``Trainer`` of the
    window's own ``Problem`` (same data, settings, dtype) for the same duration in this process with
    the window paused (its worker asleep).  Budget: ratio with/without plotting ≥ 0.8.
* Start-up: wall time from just before a fresh ``python`` subprocess is spawned to the first paint of
  the window (``MainWindow()`` + ``show()``; the first Paint event of the data plot's viewport, then a
  zero-delay timer so the whole first paint pass has finished), so interpreter start and every import
  count.  Median of a few runs.  Budget ≤ 1.5 s.

The numbers are taken with ``QT_QPA_PLATFORM=offscreen``: Qt renders into an in-memory backing
store and no compositor or GPU is involved, so on a desktop the drawing cost is somewhat higher.
On a 2-core machine another busy process changes everything; the load average is printed at the
start and the end, and the top CPU users at the start.  This is not a test: it prints PASS/FAIL per
budget as information and always exits 0.

Run:  python benchmarks/bench_gui.py          (full: 18 cases, ~3 minutes)
      python benchmarks/bench_gui.py --quick  (linear, softmax, cascade at N = 20 and 1e5; shorter runs)
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

STALL_BUDGET_MS = 50.0
FPS_BUDGET = 25.0
FPS_BUDGET_MAX_N = 10**4
RATIO_BUDGET = 0.8
STARTUP_BUDGET_S = 1.5
PROBE_MS = 10

MODELS = ("linear", "polynomial", "ridge", "logistic", "softmax", "cascade")
QUICK_MODELS = ("linear", "softmax", "cascade")
SIZES = (20, 10**4, 10**5)
QUICK_SIZES = (20, 10**5)
DATASETS = {"linear": "line", "polynomial": "cubic", "ridge": "line", "logistic": "two_blobs",
            "softmax": "blobs", "cascade": "two_blobs"}
NOISE = 0.5
REGRESSION_LR = 1e-5   # the spin box's minimum: at 0.1 the regression runs converge (and stop) at once
CLASSIFIER_LR = 0.1


# ------------------------------------------------------------------------------------------------
# start-up (a fresh process)

def startup_child() -> None:
    """Runs in a fresh interpreter: import, build, show, and print the monotonic time of the first
    finished paint (``time.perf_counter`` is CLOCK_MONOTONIC, shared with the parent)."""
    t_import = time.perf_counter()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from regstudio.gui import MainWindow
    t_imported = time.perf_counter()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("regstudio")
    app.setOrganizationName("regstudio")
    window = MainWindow()
    t_built = time.perf_counter()
    marks = {}

    def finished():
        marks["done"] = time.perf_counter()
        app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "paint" not in marks:
                marks["paint"] = time.perf_counter()
                QTimer.singleShot(0, finished)
            return False

    watcher = FirstPaint()
    window.data_plot.viewport().installEventFilter(watcher)
    window.show()
    QTimer.singleShot(10_000, app.quit)  # never hang
    app.exec()
    window.shutdown()
    print(f"{t_import!r} {t_imported!r} {t_built!r} {marks.get('paint', float('nan'))!r} "
          f"{marks.get('done', float('nan'))!r}", flush=True)


def measure_startup(runs: int) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=home)
        for _ in range(runs):
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, os.path.abspath(__file__), "--startup-child"], env=env,
                                 capture_output=True, text=True, timeout=60)
            if out.returncode != 0 or not out.stdout.strip():
                results.append({"error": (out.stderr.strip().splitlines() or ["no output"])[-1]})
                continue
            t_import, t_imported, t_built, t_paint, t_done = map(float, out.stdout.split()[-5:])
            results.append({"total": t_done - t0, "python": t_import - t0, "imports": t_imported - t_import,
                            "build": t_built - t_imported, "show_to_paint": t_done - t_built,
                            "first_paint_event": t_paint - t0})
    return results


# ------------------------------------------------------------------------------------------------
# machine state

def load_average() -> str:
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return "n/a"


def busy_processes(threshold: float = 5.0) -> list[str]:
    """Processes using more than ``threshold`` % CPU (ps's lifetime average), other than this one."""
    try:
        out = subprocess.run(["ps", "-eo", "pcpu,pid,etime,args", "--sort=-pcpu"], capture_output=True,
                             text=True, timeout=10).stdout.splitlines()[1:]
    except (OSError, subprocess.SubprocessError):
        return ["(ps not available)"]
    rows = []
    for line in out:
        parts = line.split(None, 3)
        if len(parts) < 4 or int(parts[1]) == os.getpid():
            continue
        if float(parts[0]) < threshold:
            break
        rows.append(f"{parts[0]:>5}% pid {parts[1]} up {parts[2]}: {parts[3][:90]}")
    return rows


# ------------------------------------------------------------------------------------------------
# the window under measurement

def percentile(values, q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class PaintTimer:
    """Wall time spent in one plot class's ``paintEvent`` (pyqtgraph's GraphicsView.paintEvent, which
    prepares the scene and renders it): instrumentation patched onto the class in this process only."""

    def __init__(self, cls):
        self.count, self.seconds = 0, 0.0
        paint = cls.paintEvent
        timer = self

        def paintEvent(widget, event):
            start = time.perf_counter()
            try:
                return paint(widget, event)
            finally:
                timer.count += 1
                timer.seconds += time.perf_counter() - start

        cls.paintEvent = paintEvent

    def read(self) -> tuple[int, float]:
        return self.count, self.seconds


def make_window_class():
    from regstudio.gui.data_plot import DataPlot
    from regstudio.gui.loss_plot import LossPlot
    from regstudio.gui.main_window import MainWindow

    paint_timers = {"data": PaintTimer(DataPlot), "loss": PaintTimer(LossPlot)}

    class BenchWindow(MainWindow):
        """The product window; ``_on_worker_frame`` only counts around the real handler."""

        def __init__(self):
            super().__init__()
            self.recording = False
            self.applied: list[tuple[float, int, float]] = []   # (time applied, snapshot step, handler s)
            self.last_stop_reason = None
            self.paint_timers = paint_timers
            self._taken = None
            take = self.worker.take_frame

            def take_frame():
                self._taken = take()
                return self._taken

            self.worker.take_frame = take_frame   # called by the handler in the GUI thread only

        def _on_worker_frame(self) -> None:
            start = time.perf_counter()
            self._taken = None
            super()._on_worker_frame()
            end = time.perf_counter()
            frame = self._taken
            self._taken = None
            if frame is None or frame.run_id != self._run_id:
                return   # nothing applied (merged into a later frame, or a stale run)
            if frame.snapshot.stop_reason:
                self.last_stop_reason = frame.snapshot.stop_reason
            if self.recording:
                self.applied.append((end, frame.snapshot.step, end - start))

    return BenchWindow


def wait(app, seconds: float) -> None:
    """Run the GUI event loop (blocking in the OS, as app.exec() does) for ``seconds``."""
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    loop.exec()


def run_case(app, window, model: str, n: int, seconds: float, warmup: float) -> dict:
    from PySide6.QtCore import Qt, QTimer

    from regstudio.core.training import Trainer

    window.play_button.setChecked(False)
    wait(app, 0.1)
    window.model_combo.setCurrentIndex(window.model_combo.findData(model))
    dataset = DATASETS[model]
    window.generator_combo.setCurrentIndex(window.generator_combo.findData(dataset))
    window.size_spin.setValue(n)
    window.noise_spin.setValue(NOISE)
    lr = CLASSIFIER_LR if model in ("logistic", "softmax", "cascade") else REGRESSION_LR
    window.learning_rate_spin.setValue(lr)
    window.speed_slider.setValue(window.speed_slider.maximum())
    t_generate = time.perf_counter()
    window.generate_button.click()   # generate, push on the undo stack, refit the view, restart the run
    generate_seconds = time.perf_counter() - t_generate
    if len(window.points[window._task()]) != n or window._model() != model:
        print(f"warning: the window shows {window._model()} with {len(window.points[window._task()])} points, "
              f"not {model} with {n}", file=sys.stderr)
    window.learning_rate_spin.setValue(lr)
    window.last_stop_reason = None
    wait(app, 0.2)
    window.play_button.setChecked(True)
    wait(app, warmup)

    ticks: list[float] = []
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(PROBE_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    window.applied = []
    paints_before = {name: timer.read() for name, timer in window.paint_timers.items()}
    window.recording = True
    probe.start()
    t_start = time.perf_counter()
    wait(app, seconds)
    t_end = time.perf_counter()
    probe.stop()
    window.recording = False
    paints = {name: [a - b for a, b in zip(timer.read(), paints_before[name])]
              for name, timer in window.paint_timers.items()}
    stopped = window.last_stop_reason or (None if window.play_button.isChecked() else "paused")
    window.play_button.setChecked(False)
    wait(app, 0.2)

    delays = [1000 * (b - a) - PROBE_MS for a, b in zip(ticks, ticks[1:])]
    applied = window.applied
    elapsed = t_end - t_start
    if len(applied) >= 2:
        plotted_rate = (applied[-1][1] - applied[0][1]) / (applied[-1][0] - applied[0][0])
    else:
        plotted_rate = float("nan")

    # Headless: the same Problem (data, settings, dtype) in a fresh Trainer, a plain loop of steps.
    trainer = Trainer(window._problem)
    trainer.lr = lr
    for _ in range(3):
        trainer.step()
    steps = 0
    t0 = time.perf_counter()
    deadline = t0 + elapsed
    while trainer.stop_reason is None:
        trainer.step()
        steps += 1
        if not steps % 8 and time.perf_counter() >= deadline:
            break
    headless_rate = steps / (time.perf_counter() - t0)
    handler = [a[2] for a in applied]
    return {"model": model, "n": n, "lr": lr, "generate_s": generate_seconds,
            "p50": percentile(delays, 50), "p99": percentile(delays, 99), "max": max(delays, default=float("nan")),
            "ticks": len(ticks), "fps": len(applied) / elapsed,
            "data_paints": paints["data"][0] / elapsed, "loss_paints": paints["loss"][0] / elapsed,
            "data_paint_ms": 1000 * paints["data"][1] / max(1, paints["data"][0]),
            "loss_paint_ms": 1000 * paints["loss"][1] / max(1, paints["loss"][0]),
            "handler_ms": 1000 * statistics.fmean(handler) if handler else float("nan"),
            "busy": (sum(handler) + paints["data"][1] + paints["loss"][1]) / elapsed,
            "plotted": plotted_rate, "headless": headless_rate, "ratio": plotted_rate / headless_rate,
            "stopped": stopped, "headless_stopped": trainer.stop_reason}


# ------------------------------------------------------------------------------------------------
# report

def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "FAIL")


def print_table(results: list[dict]) -> None:
    header = (f"{'model':<10}{'N':>6} {'stall ms p50/p99/max':>21} {'≤50':>4} {'redraw/s':>8} {'≥25':>4} "
              f"{'paints/s data+loss':>18} {'ms/paint d,l':>12} {'hdl ms':>6} {'GUI busy':>8} "
              f"{'steps/s plot':>12} {'headless':>9} {'ratio':>5} {'≥0.8':>4}  note")
    print(header)
    print("-" * len(header))
    for r in results:
        stall_ok = r["p99"] <= STALL_BUDGET_MS
        fps_ok = r["fps"] >= FPS_BUDGET if r["n"] <= FPS_BUDGET_MAX_N else None
        ratio_ok = r["ratio"] >= RATIO_BUDGET if r["ratio"] == r["ratio"] else False
        note = []
        if r["stopped"]:
            note.append(f"run stopped: {r['stopped']}")
        if r["headless_stopped"]:
            note.append(f"headless stopped: {r['headless_stopped']}")
        paints = f"{r['data_paints']:.1f}+{r['loss_paints']:.1f}"
        paint_ms = f"{r['data_paint_ms']:.1f},{r['loss_paint_ms']:.1f}"
        print(f"{r['model']:<10}{r['n']:>6.0e} "
              f"{r['p50']:>5.1f}/{r['p99']:>6.1f}/{r['max']:>6.1f} {verdict(stall_ok):>4} "
              f"{r['fps']:>8.1f} {verdict(fps_ok):>4} {paints:>18} {paint_ms:>12} {r['handler_ms']:>6.1f} "
              f"{100 * r['busy']:>7.0f}% {r['plotted']:>12,.0f} {r['headless']:>9,.0f} {r['ratio']:>5.2f} "
              f"{verdict(ratio_ok):>4}  {'; '.join(note)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 models, N = 20 and 1e5, 1.5 s runs")
    parser.add_argument("--seconds", type=float, default=None, help="measured seconds per case (default 3)")
    parser.add_argument("--startup-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.startup_child:
        startup_child()
        return 0

    seconds = args.seconds or (1.5 if args.quick else 3.0)
    warmup = 0.5 if args.quick else 1.0
    models = QUICK_MODELS if args.quick else MODELS
    sizes = QUICK_SIZES if args.quick else SIZES
    wall = time.perf_counter()
    print("regstudio GUI benchmark (DESIGN.md §6)")
    print(f"load average at start: {load_average()}   (cores: {os.cpu_count()})")
    busy = busy_processes()
    print("busy processes at start (ps %CPU ≥ 5, lifetime average):" + ("" if busy else " none"))
    for line in busy:
        print("   " + line)

    startup = measure_startup(2 if args.quick else 3)

    config = tempfile.TemporaryDirectory()
    os.environ["XDG_CONFIG_HOME"] = config.name   # keep QSettings (recent files) out of the user's folder
    import PySide6  # noqa: F401  (before pyqtgraph, so that it binds to PySide6)
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    def qt_message(mode, context, message):
        if "propagateSizeHints" not in message:   # the offscreen plugin's harmless notice on show()
            print(message, file=sys.stderr)

    qInstallMessageHandler(qt_message)
    import numpy as np
    import pyqtgraph as pg

    import regstudio.gui.worker as worker_module
    app = QApplication(sys.argv[:1])
    app.setApplicationName("regstudio-bench")
    app.setOrganizationName("regstudio-bench")
    print(f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, pyqtgraph {pg.__version__}, "
          f"numpy {np.__version__}, Qt platform {app.platformName()}; "
          f"worker: {worker_module.FRAMES_PER_SECOND} frames/s, {1000 * worker_module.WORK_SECONDS:g} ms work / "
          f"{1000 * worker_module.REST_SECONDS:g} ms rest; {seconds:g} s measured after {warmup:g} s warm-up")
    print()

    window = make_window_class()()
    window.resize(1320, 860)
    window.show()
    wait(app, 0.5)
    results = []
    for model in models:
        for n in sizes:
            results.append(run_case(app, window, model, n, seconds, warmup))
    window.shutdown()

    print_table(results)
    print()
    print("stall: interval between ticks of a 10 ms timer in the GUI thread minus 10 ms.  redraw/s: frames the")
    print("window took from the worker and handed to the plots.  paints/s, ms/paint: paintEvent calls of the data")
    print("and loss plots and their mean wall time; hdl ms: mean wall time of MainWindow._on_worker_frame;")
    print("GUI busy: share of wall time spent in those (paint + handler).  steps/s plot: snapshot step delta")
    print("over wall time while playing; headless: Trainer.step() loop on the same Problem, window paused.")
    print(f"redraw budget applies up to N = {FPS_BUDGET_MAX_N:.0e} (above: subsampled view; shown as —); DESIGN.md")
    print("names the stall budget for N = 20 and 1e5, it is shown for 1e4 as well.")
    lrs = sorted({(r['model'], r['lr']) for r in results})
    print("learning rates: " + ", ".join(f"{m} {lr:g}" for m, lr in lrs))
    print()
    ok = [r for r in startup if "total" in r]
    print("start-up (fresh process → first finished paint of the window):")
    for i, r in enumerate(startup, 1):
        if "total" in r:
            print(f"  run {i}: {r['total']:.3f} s  (interpreter {r['python']:.3f}, imports {r['imports']:.3f}, "
                  f"MainWindow() {r['build']:.3f}, show→paint {r['show_to_paint']:.3f}; first paint event at "
                  f"{r['first_paint_event']:.3f})")
        else:
            print(f"  run {i}: failed: {r['error']}")
    if ok:
        median = statistics.median(r["total"] for r in ok)
        print(f"  median {median:.3f} s   budget ≤ {STARTUP_BUDGET_S} s: {verdict(median <= STARTUP_BUDGET_S)}")
    print()
    print("Offscreen numbers (QT_QPA_PLATFORM=offscreen: in-memory backing store, no compositor, no GPU);")
    print("a real desktop adds compositing and screen updates on top.")
    print(f"load average at end: {load_average()}   total {time.perf_counter() - wall:.0f} s")
    config.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
