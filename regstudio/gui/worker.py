"""The training thread.

``TrainingWorker`` is a QObject living on its own unparented QThread.  Its ``loop`` drives the core
generator ``Trainer.run`` chunk by chunk; between chunks it reads commands from thread-safe state
(the loop blocks its thread's event loop, so commands cannot arrive as slots), sleeps a little so
the GUI thread gets the interpreter, and at most ``FRAMES_PER_SECOND`` times a second publishes a
:class:`Frame`: the newest snapshot, every loss since the previous frame, and the plot geometry
computed here rather than in the GUI thread.  Frames that the window has not picked up yet are
merged, so no loss value is ever dropped however slowly the window draws.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from ..core.training import STOP_MAX_STEPS, Problem, Snapshot, Trainer, carry_parameters
from ..core.models import CascadeModel
from ..core.views import (boundary_fields, class_map_image, hidden_unit_fields, probability_grid,
                          regression_curves)

FRAMES_PER_SECOND = 30
METRICS_PER_SECOND = 5  # train/test metrics on every row feed the status line and test curve only
WORK_SECONDS = 0.005   # steps per chunk at full speed …
REST_SECONDS = 0.001   # … then this long asleep, so the GUI thread can run


@dataclass(frozen=True)
class ViewRequest:
    """What the data plot shows: axis ranges, which inputs are on the axes, class colours."""

    x_range: tuple[float, float] = (-1.0, 1.0)
    y_range: tuple[float, float] = (-1.0, 1.0)
    axes: tuple[int, int] = (0, 1)
    colors: np.ndarray | None = None
    resolution: int = 64


@dataclass
class Frame:
    """One update for the window (owned by the GUI thread once taken)."""

    run_id: int
    snapshot: Snapshot
    losses: np.ndarray
    test_point: tuple[int, float] | None = None
    curves: list = field(default_factory=list)
    image: np.ndarray | None = None
    boundaries: list = field(default_factory=list)
    hidden_lines: list = field(default_factory=list)
    ranges: tuple | None = None
    steps_per_second: float = 0.0


def plot_geometry(problem: Problem, theta: np.ndarray, view: ViewRequest) -> dict:
    """Curves (regression) or class map and boundary polylines (classification) for ``theta``."""
    if problem.classes is None:
        return {"curves": regression_curves(problem, theta, view.x_range, axis=view.axes[0]),
                "ranges": (view.x_range, view.y_range)}
    P = probability_grid(problem, theta, view.x_range, view.y_range, view.axes, view.resolution)
    colors = view.colors if view.colors is not None else np.full((P.shape[-1], 3), 128, dtype=np.uint8)
    hidden = []
    if isinstance(problem.model, CascadeModel):
        fields = hidden_unit_fields(problem, theta, view.x_range, view.y_range, view.axes, view.resolution)
        hidden = [_polyline(pg.functions.isocurve(f, 0.0, connected=True), view) for f in fields]
    return {"image": class_map_image(P, colors), "ranges": (view.x_range, view.y_range),
            "boundaries": [_polyline(pg.functions.isocurve(f, 0.0, connected=True), view) for f in boundary_fields(P)],
            "hidden_lines": hidden}


def _polyline(paths, view: ViewRequest) -> tuple[np.ndarray, np.ndarray]:
    """pyqtgraph isocurve paths (in cell units, [row, column]) → data coordinates, NaN between paths."""
    n = view.resolution - 1
    xs, ys = [], []
    for path in paths:
        cells = np.asarray(path, dtype=np.float64)
        ys.append(view.y_range[0] + cells[:, 0] / n * (view.y_range[1] - view.y_range[0]))
        xs.append(view.x_range[0] + cells[:, 1] / n * (view.x_range[1] - view.x_range[0]))
        xs.append([np.nan])
        ys.append([np.nan])
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ys)


class _RateMeter:
    """Steps per second over the last half second or so."""

    def __init__(self):
        self.rate = 0.0
        self.restart()

    def restart(self) -> None:
        """Start a new measuring window (training resumes after a pause or a change)."""
        self._steps = 0
        self._start = time.perf_counter()

    def count(self, steps: int, final: bool = False) -> None:
        """Count ``steps`` more; ``final`` (the run stopped) takes the rate of whatever time passed."""
        self._steps += steps
        now = time.perf_counter()
        elapsed = now - self._start
        if elapsed >= 0.5 or (elapsed >= 0.05 and not self.rate) or (final and elapsed > 0):
            self.rate = self._steps / elapsed
        if elapsed >= 0.5:
            self._steps, self._start = 0, now


class TrainingWorker(QObject):
    """Runs one trainer at a time; the public methods are safe to call from the GUI thread."""

    frameReady = Signal()

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._quit = False
        self._trainer: Trainer | None = None
        self._run_id = 0
        self._playing = False
        self._steps_wanted = 0
        self._steps_per_second: float | None = None
        self._view = ViewRequest()
        self._changes: dict = {}
        self._outbox: Frame | None = None
        self._geometry_due = False

    # --- commands from the GUI thread -------------------------------------------------------------

    def start(self, run_id: int, trainer: Trainer | None, view: ViewRequest) -> None:
        """Replace the run; the window ignores frames of older run ids."""
        with self._lock:
            self._run_id, self._trainer, self._view = run_id, trainer, view
            self._changes.clear()
            self._outbox = None
            self._steps_wanted = 0
            self._geometry_due = True
        self._wake.set()

    def play(self, playing: bool) -> None:
        with self._lock:
            self._playing = playing
            if not playing:
                self._geometry_due = True
        self._wake.set()

    def step(self, count: int = 1) -> None:
        with self._lock:
            self._steps_wanted += count
        self._wake.set()

    def set_speed(self, steps_per_second: float | None) -> None:
        """None runs at full speed."""
        with self._lock:
            self._steps_per_second = steps_per_second

    def set_hyperparameters(self, **changes) -> None:
        """``lr=…`` and/or ``l2=…``: applied before the next step."""
        with self._lock:
            self._changes.update(changes)
            self._geometry_due = True
        self._wake.set()

    def set_view(self, view: ViewRequest) -> None:
        with self._lock:
            self._view = view
            self._geometry_due = True
        self._wake.set()

    def replace_problem(self, problem: Problem) -> None:
        """Train on edited data from the next step, carrying the parameters over."""
        with self._lock:
            self._changes["problem"] = problem
            self._geometry_due = True
        self._wake.set()

    def take_frame(self) -> Frame | None:
        with self._lock:
            frame, self._outbox = self._outbox, None
        return frame

    def quit(self) -> None:
        with self._lock:
            self._quit = True
            self._playing = False
        self._wake.set()

    # --- the worker thread ------------------------------------------------------------------------

    @Slot()
    def loop(self) -> None:
        generator = generator_key = None
        last_emit = 0.0
        meter = _RateMeter()
        while True:
            with self._lock:
                if self._quit:
                    break
                trainer, run_id, view = self._trainer, self._run_id, self._view
                changes, self._changes = self._changes, {}
                wanted, playing, pace = self._steps_wanted, self._playing, self._steps_per_second
                geometry_due, self._geometry_due = self._geometry_due, False
            if trainer is None:
                self._sleep_until_woken()
                continue
            if changes:
                self._apply(trainer, changes)
                generator = None
            if not (playing or wanted):
                generator = None
                if geometry_due:
                    self._publish(run_id, trainer, view, trainer.snapshot(evaluate=True), meter.rate)
                self._sleep_until_woken()
                continue

            key = (run_id, playing, bool(pace))
            if generator is None or key != generator_key:
                limit = 10**15 if playing else trainer.step_count + wanted
                chunk = WORK_SECONDS if playing and not pace else 0.0
                meter.restart()
                generator, generator_key = trainer.run(max_steps=limit, chunk_seconds=chunk,
                                                       metrics_seconds=1 / METRICS_PER_SECOND), key
            before = trainer.step_count
            snapshot = next(generator, None)
            if snapshot is None:
                generator = None
                continue
            done = trainer.step_count - before
            meter.count(done, final=snapshot.stop_reason is not None)
            if not playing:
                with self._lock:
                    self._steps_wanted = max(0, self._steps_wanted - done)
            ended = snapshot.stop_reason is not None and (playing or snapshot.stop_reason != STOP_MAX_STEPS)
            if ended:
                with self._lock:
                    self._playing = False
                    self._steps_wanted = 0
                generator = None
            now = time.perf_counter()
            draw = ended or not playing or pace or now - last_emit >= 1 / FRAMES_PER_SECOND
            self._publish(run_id, trainer, view, snapshot, meter.rate, with_geometry=draw)
            if draw:
                last_emit = now
            time.sleep(1.0 / pace if pace and playing else REST_SECONDS)
        # Hand this object back to the GUI thread, so that deleting it later happens there.
        self.moveToThread(QCoreApplication.instance().thread())

    def _sleep_until_woken(self) -> None:
        self._wake.wait(0.1)
        self._wake.clear()

    def _apply(self, trainer: Trainer, changes: dict) -> None:
        if "lr" in changes:
            trainer.lr = changes["lr"]
        if "l2" in changes:
            trainer.l2 = changes["l2"]
        if "problem" in changes:
            problem = changes["problem"]
            trainer.replace_problem(problem, carry_parameters(trainer.problem, problem, trainer.theta))
        trainer.resume()

    def _publish(self, run_id, trainer, view, snapshot, steps_per_second, with_geometry=True) -> None:
        geometry = plot_geometry(trainer.problem, trainer.theta, view) if with_geometry else {}
        test = snapshot.metrics.get("test") if snapshot.metrics else None
        with self._lock:
            if run_id != self._run_id:
                return
            pending = self._outbox
            losses = snapshot.losses if pending is None else np.concatenate([pending.losses, snapshot.losses])
            test_point = (snapshot.step, test["objective"]) if test else None
            if test_point is None and pending is not None:
                test_point = pending.test_point
            frame = Frame(run_id, snapshot, losses, test_point=test_point, steps_per_second=steps_per_second,
                          **geometry)
            if pending is not None and not with_geometry:
                frame.curves, frame.image, frame.boundaries = pending.curves, pending.image, pending.boundaries
                frame.hidden_lines, frame.ranges = pending.hidden_lines, pending.ranges
            self._outbox = frame
        if with_geometry:
            self.frameReady.emit()
