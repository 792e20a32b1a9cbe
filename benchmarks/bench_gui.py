"""The window's budgets while training, measured offscreen.

Training runs on a QThread of the window's process (``gui.run_controller.TrainerThread``, see
docs/architecture.md); the window draws the frames it publishes.  What is measured, for each model (linear, polynomial,
ridge, logistic, softmax, cascade, ordinal) at N = 20, 1e4 and 1e5 points, and for two cases whose plot
geometry is expensive ("drawing never throttles training"): logistic regression at degree 15 on
1e4 ``two_blobs`` points, and the cascade with 32 hidden units at degree 15 on a 1e4-point ``spiral``:

* The data set is made through the window's own controls: ``model_combo`` (then ``degree_spin`` and
  ``hidden_spin`` where a case sets them; otherwise the model's default), ``generator_combo``
  (``line`` for linear and ridge, ``cubic`` for polynomial, ``two_blobs`` for logistic and cascade,
  ``blobs`` — 3 classes — for softmax, ``star_ratings`` for ordinal), ``size_spin`` = N, ``noise_spin`` 0.5, and
  ``generate_button`` (which goes through the undo stack, refits the view and starts a new run, as a
  user's click does).  ``learning_rate_spin`` is 0.1 for the classifiers; the regression and ordinal models get
  its minimum, 1e-5, because at 0.1 they converge (and stop) within 0.01–0.3 s, which would leave
  nothing to measure.  A step costs the same whatever the rate.
* ``speed_slider`` at its maximum (full speed), ``play_button`` checked, a warm-up, then a measured
  window of a few seconds in which the GUI thread runs its ordinary event loop (a local QEventLoop,
  so nothing spins):

  - GUI stall: a 10 ms ``Qt.PreciseTimer`` probe records the interval between its ticks; reported
    as p50 / p99 / max of (interval − 10 ms) in ms.  Budget: p99 ≤ 20 ms, for every case.
  - Frames drawn per second: ``Presenter._on_controller_frame_arrived`` (connected to the run
    controller's ``frameArrived`` in ``Presenter.__init__``) is wrapped on the class before the window
    is built, so every frame the studio drew is counted, with the handler's own time.  A frame whose
    geometry is a new object (the controller hands on the previous geometry when the runner sent
    none) counts as a geometry drawn; ``Geometry.seconds`` is what the runner spent computing it.
    Also shown: paint events of the data and loss plots per second and their mean time (what the
    offscreen backing store really rendered).  Budget: ≥ 25 frames/s up to N = 1e4.
  - Training speed: the step number of the drawn frames' snapshots, (last − first) over the wall time
    between them, against a headless run of the same problem: the window pauses, and the run
    controller's ``ProblemSpec`` is trained by ``Trainer.run`` exactly as the runner does (its
    rewind timeline kept; chunks of ``runner.CHUNK_SECONDS``, metrics ``runner.METRICS_PER_SECOND``
    times a second), with no frames, no geometry and nothing drawn, on a plain thread of this
    process while the window's event loop sits idle.  The two take turns, plotted then headless,
    twelve times (six with ``--quick``), each turn half a second: this machine's speed drifts from
    one second to the next (eight 1-second headless runs of one softmax problem in one process:
    17.1k–20.9k steps/s one day, 9.3k–15.6k another; a thread's steps per second of CPU time alone
    moved by a third), so one plotted run measured before one headless run compared two moments as
    much as two runs, and one turn's ratio ranges over 0.5–1.3.  Budget: ratio
    plotted / headless ≥ 0.75 over all turns (plotting — geometry, frames and the window's drawing
    — costs at most 25 %); the lowest and highest turn's ratio are shown beside it, and the cases'
    median ratio under the table.  The same headless run in a fresh process without Qt (this script
    with ``--headless-child``) is shown beside it: six fresh processes gave 23.3k–28.1k steps/s on one
    softmax problem (an interpreter's memory layout differs from one process to the next), so a
    ratio against another process moves by ±10 % for reasons that have nothing to do with drawing.
    Also shown: the runner's own meter (``Frame.steps_per_second``, median over the drawn frames),
    which a window that lags behind its frames does not lower.
* Start-up: wall time from just before a fresh ``python`` subprocess is spawned to the first paint of
  the window (``MainWindow()`` + ``show()``; the first Paint event of the data plot's viewport, then a
  zero-delay timer so the whole first paint pass has finished), so interpreter start and every import
  count.  Median of a few runs.  Budget ≤ 0.6 s.  Also shown: when the first frame from the training
  thread was drawn.

The numbers are taken with ``QT_QPA_PLATFORM=offscreen``: Qt renders into an in-memory backing
store and no compositor or GPU is involved, so on a desktop the drawing cost is somewhat higher.
On a 2-core machine another busy process changes everything; the load average is printed at the
start and the end (the benchmark's own window and runner add about 1.5 to it), and the top CPU users
at the start.  The headless process gets the environment the run controller gives the runner, so the
same BLAS thread count (printed in the header).  This is not a test: it prints PASS/FAIL per
budget as information and always exits 0.

Run:  python benchmarks/bench_gui.py          (full: 23 cases, ~12 minutes)
      python benchmarks/bench_gui.py --quick  (linear, softmax, cascade at N = 20 and 1e5, and the two
                                               degree-15 cases; shorter runs)
      python benchmarks/bench_gui.py --startup-only [RUNS]   (only the start-up, RUNS times, default 5)
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import
os.environ.setdefault("QT_NO_GLIB", "1")  # as regstudio.gui sets it for the window

import argparse  # noqa: E402
import math  # noqa: E402
import pickle  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

STALL_BUDGET_MS = 20.0
FPS_BUDGET = 25.0
FPS_BUDGET_MAX_N = 10**4
RATIO_BUDGET = 0.75
STARTUP_BUDGET_S = 0.6
PROBE_MS = 10
RESUME_WARMUP = 0.3   # s of training before each later turn is measured
TURN_SECONDS = 0.5    # each plotted and each headless turn

MODELS = ("linear", "polynomial", "ridge", "logistic", "softmax", "cascade", "ordinal")
QUICK_MODELS = ("linear", "softmax", "cascade")
SIZES = (20, 10**4, 10**5)
QUICK_SIZES = (20, 10**5)
DATASETS = {"linear": "line", "polynomial": "cubic", "ridge": "line", "logistic": "two_blobs",
            "softmax": "blobs", "cascade": "two_blobs", "ordinal": "star_ratings"}
NOISE = 0.5
REGRESSION_LR = 1e-5   # the spin box's minimum: at 0.1 the regression runs converge (and stop) at once
CLASSIFIER_LR = 0.1


@dataclass(frozen=True)
class Case:
    model: str
    n: int
    dataset: str
    degree: int | None = None   # None: the window's default for the model
    hidden: int | None = None

    @property
    def lr(self) -> float:
        # The ordinal model converges on 20 star ratings within a second at 0.1: like the regressions, it
        # gets the smallest rate, so there is a run to measure.
        return CLASSIFIER_LR if self.model in ("logistic", "softmax", "cascade") else REGRESSION_LR

    @property
    def label(self) -> str:
        extra = "".join(f" {name}={value}" for name, value in (("d", self.degree), ("H", self.hidden)) if value)
        return f"{self.model}{extra} {self.dataset} N={self.n:.0e}"


# Expensive geometry: a 64 × 64 grid through degree-15 features (and 32 hidden units' contours).
HEAVY_CASES = (Case("logistic", 10**4, "two_blobs", degree=15),
               Case("cascade", 10**4, "spiral", degree=15, hidden=32))


def cases(quick: bool) -> list[Case]:
    models, sizes = (QUICK_MODELS, QUICK_SIZES) if quick else (MODELS, SIZES)
    return [Case(model, n, DATASETS[model]) for model in models for n in sizes] + list(HEAVY_CASES)


# ------------------------------------------------------------------------------------------------
# child processes: start-up, headless training

def startup_child() -> None:
    """Runs in a fresh interpreter: import, build, show, and print the monotonic times of the first
    finished paint and the first drawn frame (``time.perf_counter`` is CLOCK_MONOTONIC, shared with
    the parent)."""
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

    def mark(name: str) -> None:
        marks.setdefault(name, time.perf_counter())
        if "done" in marks and "frame" in marks:
            app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "paint" not in marks:
                marks["paint"] = time.perf_counter()
                QTimer.singleShot(0, lambda: mark("done"))
            return False

    watcher = FirstPaint()
    window.data_plot.viewport().installEventFilter(watcher)
    window.controller.frameArrived.connect(lambda _frame: mark("frame"))  # after the studio's own slot
    window.show()
    QTimer.singleShot(10_000, app.quit)  # never hang
    app.exec()   # quit() closes the window, and its closeEvent stops the training process
    later = [marks.get(name, float("nan")) for name in ("paint", "done", "frame")]
    print(" ".join(map(repr, [t_import, t_imported, t_built, *later])), flush=True)


def headless_rate(spec, warmup: float, seconds: float) -> tuple[float, str | None]:
    """``spec`` trained as the runner trains it (its timeline kept too), minus frames and geometry:
    steps/s over the measured part, and any stop."""
    from regstudio.core.runner import CHUNK_SECONDS, METRICS_PER_SECOND, UNBOUNDED_STEPS
    from regstudio.core.training import Trainer

    trainer = Trainer(spec.prepare())
    trainer.keep_timeline()
    run = trainer.run(UNBOUNDED_STEPS, chunk_seconds=CHUNK_SECONDS, metrics_seconds=1 / METRICS_PER_SECOND)
    marks = []
    start = time.perf_counter()
    for deadline in (start + warmup, start + warmup + seconds):
        for snapshot in run:
            if snapshot.stop_reason or time.perf_counter() >= deadline:
                break
        marks.append((time.perf_counter(), trainer.step_count))
    (t0, step0), (t1, step1) = marks
    return (step1 - step0) / (t1 - t0), trainer.stop_reason


def headless_child(warmup: float, seconds: float) -> None:
    """Runs in a fresh interpreter without Qt: the pickled ProblemSpec on stdin; prints steps/s over
    the measured part and any stop."""
    rate, stop = headless_rate(pickle.load(sys.stdin.buffer), warmup, seconds)
    print(f"{rate!r} {stop or '-'}", flush=True)


def measure_headless_here(spec, warmup: float, seconds: float) -> tuple[float, str | None]:
    """The same on a plain thread of this process while the window's event loop sits idle: no second
    interpreter, whose memory layout alone moves steps/s by ±10 % from one process to the next."""
    import threading

    result: list = []
    thread = threading.Thread(target=lambda: result.append(headless_rate(spec, warmup, seconds)))
    thread.start()
    while thread.is_alive():
        wait(0.05)
    thread.join()
    return result[0]


def child_environment(**extra) -> dict:
    """This process's imports, and one BLAS thread as the window keeps while it trains."""
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), **extra)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        environment.setdefault(name, "1")
    return environment


def measure_startup(runs: int) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as home:
        env = child_environment(XDG_CONFIG_HOME=home)
        for _ in range(runs):
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, os.path.abspath(__file__), "--startup-child"], env=env,
                                 capture_output=True, text=True, timeout=60)
            if out.returncode != 0 or not out.stdout.strip():
                results.append({"error": (out.stderr.strip().splitlines() or ["no output"])[-1]})
                continue
            t_import, t_imported, t_built, t_paint, t_done, t_frame = map(float, out.stdout.split()[-6:])
            results.append({"total": t_done - t0, "python": t_import - t0, "imports": t_imported - t_import,
                            "build": t_built - t_imported, "show_to_paint": t_done - t_built,
                            "first_paint_event": t_paint - t0, "first_frame": t_frame - t0})
    return results


def measure_headless(spec, warmup: float, seconds: float) -> tuple[float, str | None]:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--headless-child", str(warmup), str(seconds)],
                         input=pickle.dumps(spec), env=child_environment(), capture_output=True, timeout=120)
    if out.returncode != 0:
        print(out.stderr.decode(errors="replace"), file=sys.stderr)
        return float("nan"), "failed"
    rate, stop = out.stdout.decode().split()
    return float(rate), None if stop == "-" else stop


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


@dataclass
class Drawn:
    start: float            # when the studio's handler began
    handler_seconds: float
    step: int
    runner_rate: float      # the runner's own steps/s meter (over its last half second or so)
    geometry_seconds: float | None   # the runner's cost of a geometry first drawn with this frame


class FrameLog:
    """Every frame the studio drew.  ``Presenter._on_controller_frame_arrived`` is wrapped on the class:
    ``Presenter.__init__`` connects it, so this must be installed before the window is built."""

    def __init__(self):
        from regstudio.gui.presenter import Presenter

        self.recording = False
        self.frames: list[Drawn] = []
        self.stop_reason: str | None = None
        self._geometry = None
        draw = Presenter._on_controller_frame_arrived
        log = self

        def _on_controller_frame_arrived(studio, frame):
            start = time.perf_counter()
            draw(studio, frame)
            log.add(frame, start, time.perf_counter() - start)

        Presenter._on_controller_frame_arrived = _on_controller_frame_arrived

    def add(self, frame, start: float, handler_seconds: float) -> None:
        geometry = frame.geometry
        new = geometry is not None and geometry is not self._geometry
        self._geometry = geometry
        if frame.snapshot.stop_reason:
            self.stop_reason = frame.snapshot.stop_reason
        if self.recording:
            self.frames.append(Drawn(start, handler_seconds, frame.snapshot.step, frame.steps_per_second,
                                     geometry.seconds if new else None))


def wait(seconds: float) -> None:
    """Run the GUI event loop (blocking in the OS, as app.exec() does) for ``seconds``."""
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    loop.exec()


def set_up(window, case: Case) -> None:
    """Choose the case's model, data and rate with the window's controls and generate the data."""
    data, model, optimizer = window.data_panel, window.model_panel, window.optimizer_panel
    model.model_combo.setCurrentIndex(model.model_combo.findData(case.model))
    if case.degree is not None:
        model.degree_spin.setValue(case.degree)
    if case.hidden is not None:
        model.hidden_spin.setValue(case.hidden)
    data.generator_combo.setCurrentIndex(data.generator_combo.findData(case.dataset))
    data.size_spin.setValue(case.n)
    data.noise_spin.setValue(NOISE)
    optimizer.learning_rate_spin.setValue(case.lr)
    window.training_panel.speed_slider.setValue(window.training_panel.speed_slider.maximum())
    data.generate_button.click()   # generate, push on the undo stack, refit the view, start a new run
    state = window.document
    shown = (state.config.model, len(state.points[state.task]), state.config.lr, state.config.steps_per_second)
    if shown != (case.model, case.n, case.lr, None):
        print(f"warning: the window shows (model, N, lr, speed) = {shown} for {case.label}", file=sys.stderr)


def run_case(window, log: FrameLog, paint_timers: dict, case: Case, seconds: float, warmup: float,
             rounds: int) -> dict:
    """The case trained while the window draws and headless, in ``rounds`` alternating turns of
    ``seconds / rounds`` each: this machine's speed drifts from one second to the next (see the
    module's docstring), so a plotted run measured before its headless one compared the two moments,
    not the two runs."""
    from PySide6.QtCore import Qt, QTimer

    play = window.training_panel.play_button
    play.setChecked(False)
    wait(0.1)
    set_up(window, case)
    log.stop_reason = None
    wait(0.2)
    turn = seconds / rounds
    ticks: list[list[float]] = []
    frames: list[list[Drawn]] = []
    heres: list[float] = []
    here_stopped = None
    painted = {name: [0, 0.0] for name in paint_timers}
    elapsed = 0.0
    stopped = None
    for round_ in range(rounds):
        play.setChecked(True)
        wait(warmup if round_ == 0 else RESUME_WARMUP)
        turn_ticks: list[float] = []
        probe = QTimer()
        probe.setTimerType(Qt.TimerType.PreciseTimer)
        probe.setInterval(PROBE_MS)
        probe.timeout.connect(lambda ticks=turn_ticks: ticks.append(time.perf_counter()))
        log.frames = []
        paints_before = {name: timer.read() for name, timer in paint_timers.items()}
        log.recording = True
        probe.start()
        t_start = time.perf_counter()
        wait(turn)
        elapsed += time.perf_counter() - t_start
        probe.stop()
        log.recording = False
        for name, timer in paint_timers.items():
            for i, (now, before) in enumerate(zip(timer.read(), paints_before[name])):
                painted[name][i] += now - before
        ticks.append(turn_ticks)
        frames.append(log.frames)
        stopped = stopped or log.stop_reason or (None if play.isChecked() else "paused")
        play.setChecked(False)
        wait(0.2)
        here, here_stop = measure_headless_here(window.controller.spec, RESUME_WARMUP if round_ else warmup, turn)
        heres.append(here)
        here_stopped = here_stopped or here_stop

    headless, headless_stopped = measure_headless(window.controller.spec, warmup, seconds)

    delays = [1000 * (b - a) - PROBE_MS for turn_ticks in ticks for a, b in zip(turn_ticks, turn_ticks[1:])]
    drawn = [f for turn_frames in frames for f in turn_frames]
    # Steps over time within each turn (the steps between turns were trained unwatched).
    spans = [(f[-1].step - f[0].step, f[-1].start - f[0].start) for f in frames if len(f) >= 2]
    plotted = sum(s for s, _ in spans) / sum(t for _, t in spans) if spans else float("nan")
    here = statistics.fmean(heres)
    turn_ratios = [(s / t) / h for (s, t), h in zip(spans, heres) if t > 0 and h]
    geometries = [f.geometry_seconds for f in drawn if f.geometry_seconds is not None]
    handler = [f.handler_seconds for f in drawn]
    config = window.document.config
    setup = f"{case.model} d={config.degree}" + (f" H={config.hidden}" if case.model == "cascade" else "")
    return {"case": case, "setup": setup,
            "p50": percentile(delays, 50), "p99": percentile(delays, 99), "max": max(delays, default=float("nan")),
            "fps": len(drawn) / elapsed, "geometry_per_s": len(geometries) / elapsed,
            "geometry_ms": 1000 * statistics.fmean(geometries) if geometries else float("nan"),
            "geometry_share": sum(geometries) / elapsed,
            "data_paints": painted["data"][0] / elapsed, "loss_paints": painted["loss"][0] / elapsed,
            "data_paint_ms": 1000 * painted["data"][1] / max(1, painted["data"][0]),
            "loss_paint_ms": 1000 * painted["loss"][1] / max(1, painted["loss"][0]),
            "handler_ms": 1000 * statistics.fmean(handler) if handler else float("nan"),
            "busy": (sum(handler) + painted["data"][1] + painted["loss"][1]) / elapsed,
            "plotted": plotted, "headless": headless, "process_ratio": plotted / headless if headless else math.nan,
            "here": here, "ratio": plotted / here if here else math.nan, "here_stopped": here_stopped,
            "turn_ratios": turn_ratios,
            "meter": statistics.median(f.runner_rate for f in drawn) if drawn else float("nan"),
            "stopped": stopped, "headless_stopped": headless_stopped}


# ------------------------------------------------------------------------------------------------
# report

def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "FAIL")


def print_tables(results: list[dict]) -> None:
    width = max(len(r["case"].label) for r in results)
    header = (f"{'case':<{width}} {'stall ms p50/p99/max':>21} {'≤20':>4} {'frames/s':>8} {'≥25':>4} "
              f"{'paints/s data+loss':>18} {'ms/paint d,l':>12} {'hdl ms':>6} {'GUI busy':>8}")
    print("The window (GUI process)")
    print(header)
    print("-" * len(header))
    for r in results:
        n = r["case"].n
        fps_ok = r["fps"] >= FPS_BUDGET if n <= FPS_BUDGET_MAX_N else None
        paints = f"{r['data_paints']:.1f}+{r['loss_paints']:.1f}"
        paint_ms = f"{r['data_paint_ms']:.1f},{r['loss_paint_ms']:.1f}"
        print(f"{r['case'].label:<{width}} {r['p50']:>5.1f}/{r['p99']:>6.1f}/{r['max']:>6.1f} "
              f"{verdict(r['p99'] <= STALL_BUDGET_MS):>4} {r['fps']:>8.1f} {verdict(fps_ok):>4} "
              f"{paints:>18} {paint_ms:>12} {r['handler_ms']:>6.1f} "
              f"{100 * r['busy']:>7.0f}%")
    print()
    header = (f"{'case':<{width}} {'steps/s plotted':>15} {'meter':>7} {'headless':>9} {'ratio':>5} {'≥.75':>4} "
              f"{'turns':>9} {'process':>8} {'ratio':>5} {'geom ms':>7} {'geom/s':>6} {'≈share':>6}  note")
    print("Training (runner process) while the window draws, against the same problem headless")
    print(header)
    print("-" * len(header))
    for r in results:
        ratio_ok = r["ratio"] >= RATIO_BUDGET if r["ratio"] == r["ratio"] else False
        turns = f"{min(r['turn_ratios']):.2f}–{max(r['turn_ratios']):.2f}" if r["turn_ratios"] else "—"
        note = []
        if r["stopped"]:
            note.append(f"run stopped: {r['stopped']}")
        if r["headless_stopped"] or r["here_stopped"]:
            note.append(f"headless stopped: {r['here_stopped'] or r['headless_stopped']}")
        print(f"{r['case'].label:<{width}} {r['plotted']:>15,.0f} {r['meter']:>7,.0f} {r['here']:>9,.0f} "
              f"{r['ratio']:>5.2f} {verdict(ratio_ok):>4} {turns:>9} {r['headless']:>8,.0f} {r['process_ratio']:>5.2f} "
              f"{r['geometry_ms']:>7.1f} {r['geometry_per_s']:>6.1f} "
              f"{100 * r['geometry_share']:>5.0f}%  {'; '.join(note)}")
    ratios = [r["ratio"] for r in results if r["ratio"] == r["ratio"]]
    if ratios:
        passed = sum(ratio >= RATIO_BUDGET for ratio in ratios)
        print(f"ratio ≥ {RATIO_BUDGET}: {passed} of {len(ratios)} cases; median {statistics.median(ratios):.2f}, "
              f"range {min(ratios):.2f}–{max(ratios):.2f}")


def bytecode_note() -> str | None:
    """Why start-up may read slower here than for an installed regstudio, or None: modules whose cached
    bytecode is missing or older than their source are compiled at each start (about 4 ms each)."""
    import importlib.util
    import pathlib

    import regstudio   # no Qt
    sources = sorted(pathlib.Path(regstudio.__file__).parent.rglob("*.py"))
    stale = [source for source in sources
             if not os.path.exists(cached := importlib.util.cache_from_source(str(source)))
             or os.path.getmtime(cached) < os.path.getmtime(source)]
    if not stale:
        return None
    return (f"  note: {len(stale)} of regstudio's {len(sources)} modules have no up-to-date cached bytecode here\n"
            "  (PYTHONDONTWRITEBYTECODE, or a read-only tree), so each start compiles them from source; pip compiles\n"
            "  them when it installs regstudio (python -m compileall regstudio does it here).")


def print_startup(startup: list[dict]) -> None:
    print("start-up (fresh process → first finished paint of the window):")
    for i, r in enumerate(startup, 1):
        if "total" in r:
            print(f"  run {i}: {r['total']:.3f} s  (interpreter {r['python']:.3f}, imports {r['imports']:.3f}, "
                  f"MainWindow() {r['build']:.3f}, show→paint {r['show_to_paint']:.3f}; first paint event at "
                  f"{r['first_paint_event']:.3f}; first frame from the runner drawn at {r['first_frame']:.3f})")
        else:
            print(f"  run {i}: failed: {r['error']}")
    ok = [r["total"] for r in startup if "total" in r]
    if ok:
        median = statistics.median(ok)
        print(f"  median {median:.3f} s   budget ≤ {STARTUP_BUDGET_S} s: {verdict(median <= STARTUP_BUDGET_S)}")
    note = bytecode_note()
    if note:
        print(note)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer cases, 3 s runs")
    parser.add_argument("--seconds", type=float, default=None,
                        help="measured seconds per case (default 6; 3 with --quick)")
    parser.add_argument("--views", action="store_true",
                        help="with every view open (each dock floating, so all are visible at once)")
    parser.add_argument("--startup-only", type=int, nargs="?", const=5, default=None, metavar="RUNS",
                        help="measure only the start-up, RUNS times (default 5), and stop")
    parser.add_argument("--startup-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--headless-child", nargs=2, type=float, metavar=("WARMUP", "SECONDS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.startup_child:
        startup_child()
        return 0
    if args.headless_child:
        headless_child(*args.headless_child)
        return 0

    rounds = 6 if args.quick else 12
    seconds = args.seconds or TURN_SECONDS * rounds
    warmup = 0.5 if args.quick else 1.0
    wall = time.perf_counter()
    print("regstudio GUI benchmark")
    print(f"load average at start: {load_average()}   (cores: {os.cpu_count()})")
    busy = busy_processes()
    print("busy processes at start (ps %CPU ≥ 5, lifetime average):" + ("" if busy else " none"))
    for line in busy:
        print("   " + line)

    if args.startup_only:
        print_startup(measure_startup(args.startup_only))
        print(f"load average at end: {load_average()}")
        return 0
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

    from regstudio.core import runner
    from regstudio.gui import run_controller
    from regstudio.gui.data_plot import DataPlot
    from regstudio.gui.loss_plot import LossPlot
    from regstudio.gui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("regstudio-bench")
    app.setOrganizationName("regstudio-bench")
    blas = ", ".join(f"{name}={os.environ[name]}" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                               "MKL_NUM_THREADS") if name in os.environ)
    print(f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, pyqtgraph {pg.__version__}, "
          f"numpy {np.__version__}, Qt platform {app.platformName()}, BLAS threads: {blas or 'not limited'}")
    print(f"runner: ≤ {runner.FRAMES_PER_SECOND} frames/s, {1000 * runner.CHUNK_SECONDS:g} ms chunks, geometry ≤ "
          f"{100 * runner.GEOMETRY_SHARE:g} % of its time, ≤ {runner.MAX_IN_FLIGHT} frames in flight; switch interval "
          f"{1000 * run_controller.SWITCH_INTERVAL:g} ms; {seconds:g} s measured in {rounds} turns, each plotted "
          f"then headless, after {warmup:g} s warm-up ({RESUME_WARMUP:g} s before later turns)")
    print()

    log = FrameLog()   # both before the window is built
    paint_timers = {"data": PaintTimer(DataPlot), "loss": PaintTimer(LossPlot)}
    window = MainWindow()
    window.show()
    if args.views:
        for index, dock in enumerate(window.view_docks.docks.values()):
            dock.setFloating(True)
            dock.resize(520, 380)
            dock.move(40 * index, 40 * index)
            dock.show()
        print("every view open: " + ", ".join(window.view_docks.docks))
    wait(0.5)
    results = [run_case(window, log, paint_timers, case, seconds, warmup, rounds) for case in cases(args.quick)]
    window.document.mark_saved(None)   # close without the unsaved-changes question
    window.close()                  # stops the training process

    print_tables(results)
    print()
    print("stall: interval between ticks of a 10 ms timer in the GUI thread minus 10 ms.  frames/s: frames the")
    print("studio drew (Presenter._on_controller_frame_arrived); geom/s: of those, frames with a new plot geometry.")
    print("paints/s, ms/paint: paintEvent calls of the data and loss plots and their mean wall time; hdl ms:")
    print("mean wall time of the studio's frame handler; GUI busy: share of wall time spent in those.")
    print("steps/s plotted: snapshot step delta of the drawn frames over wall time while playing; headless:")
    print("Trainer.run on the same ProblemSpec (its timeline kept, as the runner keeps it), no frames, no")
    print("geometry, on a plain thread of this process while the window sits idle: the budget's ratio.")
    print("process: the same in a fresh process of its own, and its ratio (a fresh interpreter's memory")
    print("layout alone moves steps/s by ±10 % from one process to the next: information only).")
    print("meter: median of the drawn frames' steps_per_second, the runner's own meter (a GUI that lags")
    print("behind its frames lowers steps/s plotted, not the meter).")
    print("geom ms: the runner's cost of each geometry drawn (Geometry.seconds); ≈share: geom ms × geom/s.")
    print(f"frames/s budget applies up to N = {FPS_BUDGET_MAX_N:.0e} (above: subsampled view; shown as —).")
    print("learning rates: " + ", ".join(sorted({f"{r['case'].model} {r['case'].lr:g}" for r in results})))
    print("model defaults where a case sets none: " + ", ".join(
        sorted({r["setup"] for r in results if r["case"].degree is None})))
    print()
    print_startup(startup)
    print()
    print("Offscreen numbers (QT_QPA_PLATFORM=offscreen: in-memory backing store, no compositor, no GPU);")
    print("a real desktop adds compositing and screen updates on top.")
    print(f"load average at end: {load_average()}   total {time.perf_counter() - wall:.0f} s")
    config.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
