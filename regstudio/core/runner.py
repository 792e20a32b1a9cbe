"""The training job behind the window: commands in, frames out, on a thread of the window's process.

The window's process trains on a background thread (``gui.run_controller`` drives this runner on a
``QThread``).  Everything crosses by reference through a :class:`Mailbox`: a command carries the data
set as it is (its arrays are never written after they are made), a frame carries the snapshot, the
plot geometry and the prepared problem they were computed on.  Nothing is pickled or copied.

The protocol:

- The window sends ``(seq, command)`` pairs, ``seq`` increasing by one per command.  Each command
  is applied whole, between chunks of steps, in the order sent — a change of problem, view or
  settings is never half applied.  A problem is prepared here, once per change, never in the
  window's thread.
- The runner posts :class:`Frame` and :class:`Failure` messages.  Every message names the last
  command applied (``seq``), the run (``run_id``) and the problem generation it was computed from;
  a frame also carries that problem, so the window always has a consistent (problem, parameters)
  pair without preparing anything itself.
- At most ``MAX_IN_FLIGHT`` frames wait untaken in the mailbox; the rest merge into one pending
  frame, keeping every loss and any stop.
- Any exception while applying a command, training or drawing stops the run and is posted once as a
  :class:`Failure`; the runner keeps serving, and tries again only when a new command arrives.
- The interpreter lock is shared with the window: between any two steps the runner waits while the
  window's thread is busy (``gate``), so a paint of hundreds of Python↔Qt transitions never has to win
  the lock back from the trainer at each one.
"""

from __future__ import annotations

import math
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from .data import Dataset
from .errors import RegstudioError
from .messages import translate
from .readable import GroupComparison, group_comparison
from .timeline import Timeline
from .training import (STOP_MAX_STEPS, UNBOUNDED_STEPS, Problem, Settings, Snapshot, Trainer, carry_parameters,
                       past_snapshot, prepare)
from .views import Geometry, Viewport, plot_geometry

# Each frame brings the fit and the loss together.  The budget is 25 frames a second; one more, so that
# a frame late by a chunk does not take the second below it.  Each frame costs the window's thread
# 1.5–4 ms (frame handling, the loss plot painted, the data plot when its fit moved) and the runner its
# geometry, all of it time not spent stepping (the two threads share the interpreter): frames are the
# price of watching.
FRAMES_PER_SECOND = 26
METRICS_PER_SECOND = 5        # train/test metrics on every row feed the status line and test curve
CHUNK_SECONDS = 0.01          # steps between two looks at the command queue at full speed
# At most this share of the runner's time goes to plot geometry and views: plotting may cost 25 % of
# the steps, and the window's drawing of 26 frames a second already takes 4–10 % (the runner waits
# while the window's thread is busy).
GEOMETRY_SHARE = 0.05
# A fit the window keeps leaving as drawn (it moved under half a pixel: ``Runner.geometries_left``) holds
# still: each geometry in a row it left doubles the wait for the next, up to this.  A converging softmax
# spent 3–4 % of the trainer's time on geometries the window then did not draw.
STILL_GEOMETRY_SECONDS = 0.25
MAX_IN_FLIGHT = 2
STOP_FAILED = "failed"


# --- commands --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProblemSpec:
    """What a problem is prepared from (by the runner, once per change).  Its arrays are shared with
    the window and never written."""

    dataset: Dataset
    settings: Settings
    test_mask: np.ndarray

    def prepare(self) -> Problem:
        return prepare(self.dataset, self.settings, test_mask=self.test_mask)


@dataclass(frozen=True)
class Start:
    """A new run from the seed (or from ``restore_theta`` at ``restore_step``); ``spec`` None idles.

    It carries all a run needs, so one user action is one command: whether to play, the speed, and
    the views to compute besides the data plot (None keeps those asked for before).  Parameters of
    the wrong size (a session saved with another model) are refused: the run starts from the seed
    and its first frame says so (``Frame.restore_refused``: saved and wanted counts)."""

    run_id: int
    generation: int
    spec: ProblemSpec | None
    view: Viewport
    view_id: int
    restore_theta: np.ndarray | None = None
    restore_step: int = 0
    playing: bool = False
    steps_per_second: float | None = None
    extra_views: tuple | None = None
    steps: int = 0   # steps to take at once, paused (a run solved exactly starts solved)
    restore_timeline: tuple = ()   # (step, θ) pairs before restore_step, a session's rewind timeline


@dataclass(frozen=True)
class Replace:
    """Edited data: train on it from the next step, carrying the parameters over, with the spec's
    learning rate and λ (the window's settings are the only copy), and the view if it moved."""

    generation: int
    spec: ProblemSpec
    view: Viewport | None = None
    view_id: int = 0


@dataclass(frozen=True)
class SetView:
    view_id: int
    view: Viewport


@dataclass(frozen=True)
class SetExtraViews:
    """The views besides the data plot that the window shows now, each a request with a ``name`` and
    ``compute(problem, theta, l2)`` (pure core, e.g. the loss landscape); an empty tuple shows none.
    Each is computed with the plot geometry, within the same share of the runner's time."""

    requests: tuple = ()


@dataclass(frozen=True)
class SetHyperparameters:
    """Applied before the next step; None leaves a value as it is."""

    lr: float | None = None
    l2: float | None = None


@dataclass(frozen=True)
class Play:
    """Play or pause; ``from_step`` (a past step shown on the timeline) first rewinds the run there,
    forgetting the steps after it: training goes on from that step on a new branch."""

    playing: bool
    from_step: int | None = None


@dataclass(frozen=True)
class Step:
    count: int = 1
    from_step: int | None = None   # as Play's


@dataclass(frozen=True)
class ShowStep:
    """Pause and show the run as it was at ``step`` (the nearest step the timeline kept) in frames
    with ``Frame.shown`` set; None shows the newest step again.  Start, Replace, Play and Step also
    return to the newest step (Play and Step from ``from_step`` go on from the past step); a new view,
    speed, η or λ keeps the past step shown (a new λ re-evaluates it)."""

    step: int | None


@dataclass(frozen=True)
class SetSpeed:
    """Steps per second while playing; None is full speed."""

    steps_per_second: float | None


@dataclass(frozen=True)
class Quit:
    pass


# --- messages to the window ----------------------------------------------------------------------

@dataclass
class Frame:
    """The newest state of a run, and everything that happened since the previous frame.

    ``losses`` are the objective of steps ``first_step``, ``first_step + 1``, … (consecutive, merged
    across frames the window has not taken yet); ``test_errors`` [(step, error)] the test error
    without the λ term.  ``geometry`` is None when the plot need not change; ``extras`` {name: result}
    the other views' results computed with it (None when unchanged).  ``playing`` is the
    runner's play state after this frame (a stop ends playing); ``lr`` and ``l2`` are the
    hyperparameters the snapshot was trained with; ``problem`` is the prepared problem of
    ``generation``, which the snapshot's parameters belong to (None when there is nothing to train).
    ``timeline`` is the run's rewind timeline (the training thread adds to it; reading is
    thread-safe).  ``shown`` is the step asked for when this frame shows a past step (ShowStep): then
    ``snapshot`` is the nearest kept step's, ``losses`` are empty and ``problem`` is the one that step
    was trained on.
    """

    seq: int
    run_id: int
    generation: int
    snapshot: Snapshot
    first_step: int
    losses: np.ndarray
    test_errors: list = field(default_factory=list)
    geometry: Geometry | None = None
    extras: dict | None = None
    playing: bool = False
    steps_per_second: float = 0.0
    lr: float = 0.0
    l2: float = 0.0
    problem: Problem | None = None
    restore_refused: tuple[int, int] | None = None
    group_comparison: GroupComparison | None = None
    timeline: Timeline | None = None
    shown: int | None = None

    def merged_after(self, older: "Frame") -> "Frame":
        """This frame with the losses, test errors and geometry of an older, untaken one before it."""
        if older.run_id != self.run_id:
            return self
        losses = np.concatenate([older.losses, self.losses])
        return replace(self, first_step=older.first_step, losses=losses,
                       test_errors=older.test_errors + self.test_errors,
                       geometry=self.geometry if self.geometry is not None else older.geometry,
                       extras=self.extras if self.extras is not None else older.extras,
                       restore_refused=self.restore_refused or older.restore_refused)


@dataclass(frozen=True)
class Failure:
    """The run stopped because of an error; ``details`` is the traceback.  ``expected`` failures are
    the user's to fix (settings that make no problem, say too many features): no traceback, no log."""

    seq: int
    run_id: int
    generation: int
    summary: str
    details: str
    expected: bool = False


class Mailbox:
    """Between the window's thread and the runner's: numbered commands in, frames and failures out.

    ``notify`` is called on the runner's thread after each message posted (the window wakes up to
    take them).  Messages are handed over by reference.
    """

    def __init__(self, notify: Callable[[], None] = lambda: None):
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._messages: list = []
        self._notify = notify

    def __repr__(self) -> str:
        return f"Mailbox(waiting={len(self._messages)})"

    # --- the window's side

    def send(self, seq: int, command) -> None:
        self._commands.put((seq, command))

    def take(self) -> list:
        """Every message posted since the last take, oldest first."""
        with self._lock:
            messages, self._messages = self._messages, []
        return messages

    # --- the runner's side

    def receive(self, timeout: float) -> list:
        """The commands sent so far, waiting up to ``timeout`` seconds for the first."""
        try:
            commands = [self._commands.get(timeout=timeout) if timeout > 0 else self._commands.get_nowait()]
        except queue.Empty:
            return []
        while True:
            try:
                commands.append(self._commands.get_nowait())
            except queue.Empty:
                return commands

    def frames_waiting(self) -> int:
        with self._lock:
            return sum(isinstance(message, Frame) for message in self._messages)

    def post(self, message) -> None:
        with self._lock:
            self._messages.append(message)
        self._notify()


class Gate:
    """Open while the window's thread is idle; the runner waits at a closed gate between steps.

    Waiting is bounded (``MAX_WAIT``), so a window thread that is busy for long, or never idles
    (a script, a test), slows training down instead of stopping it.
    """

    MAX_WAIT = 0.05
    # CPython's forced switch (the switch interval) let the window's thread wait 10–50 ms for the
    # interpreter lock while the trainer ran pure-Python steps here (a 10 ms timer fired up to 60 ms
    # late, softmax on 20 points): so the trainer also lets go of it itself, this often.  Each time
    # costs the trainer about 85 µs (a zero sleep is a timer wait on Linux, rounded up by the 50 µs
    # timer slack), whether or not another thread wanted the lock: once a millisecond took 8 % of its
    # steps, once every 5 ms takes under 2 %, and a wake of the window that waits for it still waits
    # far less than the 20 ms stall budget.  A frame, the window's most frequent wake, is handed over
    # at once (``hand_over``).
    RELEASE_SECONDS = 0.005

    def __init__(self):
        self._open = threading.Event()
        self._open.set()
        self._released = time.perf_counter()

    def __repr__(self) -> str:
        return f"Gate({'open' if self._open.is_set() else 'closed'})"

    def open(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._open.clear()

    def wait(self) -> None:
        """Before a step: wait while the gate is closed; otherwise hand the interpreter lock to a
        thread that wants it, if it has not been handed over for RELEASE_SECONDS."""
        if not self._open.is_set():
            self._open.wait(self.MAX_WAIT)
            self._released = time.perf_counter()
            return
        if time.perf_counter() - self._released > self.RELEASE_SECONDS:
            self.hand_over()

    def hand_over(self) -> None:
        """Let go of the interpreter lock now (a waiting thread takes it at once): after each
        RELEASE_SECONDS, and when a frame was just posted, which the window's thread wakes up to take."""
        time.sleep(0)
        self._released = time.perf_counter()


def data_error(metrics: dict | None) -> float | None:
    """The error without the λ term from evaluated metrics: MSE or mean cross-entropy."""
    if not metrics:
        return None
    return metrics["mse"] if "mse" in metrics else metrics["cross_entropy"]


# --- the runner ----------------------------------------------------------------------------------

class _RateMeter:
    """Steps per second over the last half second or so."""

    def __init__(self):
        self.rate = 0.0
        self.restart()

    def restart(self) -> None:
        self._steps = 0
        self._start = time.perf_counter()

    def count(self, steps: int, final: bool = False) -> None:
        self._steps += steps
        now = time.perf_counter()
        elapsed = now - self._start
        if elapsed >= 0.5 or (elapsed >= 0.05 and not self.rate) or (final and elapsed > 0):
            self.rate = self._steps / elapsed
        if elapsed >= 0.5:
            self._steps, self._start = 0, now


class Runner:
    """Serves one mailbox: applies commands, drives ``Trainer.run``, posts frames."""

    def __init__(self, mailbox: Mailbox, gate: Gate | None = None):
        self.mailbox = mailbox
        self.gate = gate or Gate()
        self.seq = 0
        self.run_id = 0
        self.generation = 0
        self.trainer: Trainer | None = None
        self.view = Viewport()
        self.view_id = 0
        self.extra_views: tuple = ()
        self.playing = False
        self.steps_wanted = 0
        self.steps_per_second: float | None = None
        self.quit = False
        self._failed = False         # a failure stopped everything until the next command
        self._generator: Iterator[Snapshot] | None = None
        self._generator_key: tuple[bool, bool] | None = None
        self._pending: Frame | None = None
        self._ready = False          # the pending frame is complete and may be posted
        self._publish_due = False
        self._geometry_due = False
        self._next_frame = 0.0
        self._next_geometry = -math.inf
        self._pace_origin = (0.0, 0)
        self._meter = _RateMeter()
        self._restore_refused: tuple[int, int] | None = None
        self._group_comparison: GroupComparison | None = None
        self.shown_step: int | None = None   # a past step on show (ShowStep), None: the newest
        # How many geometries in a row the window left as drawn, set by the window's thread: the
        # runner only reads it (a plain int, so no lock) to space its geometries out while the fit
        # holds still on screen.
        self.geometries_left = 0

    def __repr__(self) -> str:
        return (f"Runner(run={self.run_id}, generation={self.generation}, playing={self.playing}, "
                f"trainer={self.trainer!r})")

    # --- the loop ---------------------------------------------------------------------------------

    def serve(self) -> None:
        """Until a :class:`Quit` command."""
        while not self.quit:
            self._guarded(self._receive_all)
            if self.quit:
                break
            if not self._failed:
                self._guarded(self._work)
            if not self._failed:
                self.gate.wait()  # plot geometry is Python-heavy too: not while the window is busy
                self._guarded(self._publish_if_due)
            self._guarded(self._flush)

    def _training(self) -> bool:
        return self.trainer is not None and (self.playing or self.steps_wanted > 0)

    def _wait_seconds(self) -> float:
        if self._failed:
            return 0.25
        if self._publish_due or (self._ready and self.mailbox.frames_waiting() < MAX_IN_FLIGHT):
            return 0.0
        trainer = self.trainer
        if trainer is None or not self._training():
            # A frame waiting for room in the mailbox is looked at again soon.
            return 0.01 if self._ready else 0.25
        if self.playing and self.steps_per_second:
            origin_time, origin_step = self._pace_origin
            due = origin_time + (trainer.step_count - origin_step + 1) / self.steps_per_second
            return max(0.0, due - time.perf_counter())
        return 0.0

    def _receive_all(self) -> None:
        for seq, command in self.mailbox.receive(self._wait_seconds()):
            self.seq = seq
            self._failed = False
            self._guarded(self._apply, command)

    def _guarded(self, action, *args) -> None:
        """Run ``action``; an exception stops the run and is reported once, the runner goes on."""
        try:
            action(*args)
        except Exception as exc:  # noqa: BLE001 - whatever broke, the window must hear of it
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        self.playing = False
        self.steps_wanted = 0
        self._generator = None
        self._failed = True
        self._publish_due = self._geometry_due = False
        self._post_where_it_stopped()
        if isinstance(exc, RegstudioError):
            # The message itself, not str(exc): str() of an exception makes a plain copy of its
            # Message, losing the template the window translates and shows (which names the
            # window's controls where the English text names command-line flags).
            message = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)
            failure = Failure(self.seq, self.run_id, self.generation, message, "", expected=True)
        else:
            if self.trainer is not None:
                self.trainer.stop_reason, self.trainer.message = STOP_FAILED, f"{type(exc).__name__}: {exc}"
            summary = translate("Training", "training stopped: {kind}: {reason}").format(
                kind=type(exc).__name__, reason=str(exc))
            failure = Failure(self.seq, self.run_id, self.generation, summary, traceback.format_exc())
        try:
            self.mailbox.post(failure)
        except Exception:  # noqa: BLE001 - nothing is left to tell: the next command starts afresh
            pass

    def _post_where_it_stopped(self) -> None:
        """After a failure: the losses and parameters up to the last good step, without new geometry
        (which may be what failed), so the window shows where the run stopped."""
        pending, self._pending, self._ready = self._pending, None, False
        trainer = self.trainer
        if trainer is None:
            return
        try:
            self._queue(trainer.snapshot(evaluate=True), trainer)
        except Exception:  # noqa: BLE001 - the failure itself is what the window must hear of
            return
        frame, self._pending = self._pending, None
        if frame is not None:
            self.mailbox.post(frame if pending is None else frame.merged_after(pending))

    # --- commands ---------------------------------------------------------------------------------

    def _apply(self, command) -> None:
        if self.shown_step is not None and not isinstance(command, (ShowStep, SetView, SetExtraViews, SetSpeed,
                                                                    SetHyperparameters, Quit)):
            self.shown_step = None
            self._geometry_due = self._publish_due = True
        if isinstance(command, ShowStep):
            self._show_step(command.step)
        elif isinstance(command, Start):
            self._start(command)
        elif isinstance(command, Replace):
            self._replace(command)
        elif isinstance(command, SetView):
            self.view, self.view_id = command.view, command.view_id
            self._geometry_due = True
            self._publish_due = True
        elif isinstance(command, SetExtraViews):
            self.extra_views = tuple(command.requests)
            self._geometry_due = self._publish_due = True
        elif isinstance(command, SetHyperparameters):
            if self.trainer is not None:
                if command.lr is not None:
                    self.trainer.lr = command.lr
                if command.l2 is not None:
                    self.trainer.l2 = command.l2
                self.trainer.resume()
            self._geometry_due = self._publish_due = True
        elif isinstance(command, Play):
            self._branch(command.from_step)
            self._set_playing(command.playing)
        elif isinstance(command, Step):
            self._branch(command.from_step)
            self.playing = False
            self.steps_wanted += command.count
            self._generator = None
            self._resume()
        elif isinstance(command, SetSpeed):
            self.steps_per_second = command.steps_per_second
            self._restart_pace()
        elif isinstance(command, Quit):
            self.quit = True
        else:
            raise TypeError(f"unknown command {command!r}")

    def _show_step(self, step: int | None) -> None:
        trainer = self.trainer
        if trainer is None or trainer.timeline is None:
            return
        if step is not None:
            self.playing = False
            self.steps_wanted = 0
            self._generator = None
            if self._pending is not None:
                # The newest steps' losses go to the window before the past frame does: none is lost.
                self.mailbox.post(self._pending)
                self._pending, self._ready = None, False
        self.shown_step = step
        self._geometry_due = self._publish_due = True

    def _branch(self, step: int | None) -> None:
        """Rewind to the kept step nearest ``step`` and go on from there (nothing to do for None)."""
        trainer = self.trainer
        if step is None or trainer is None or trainer.timeline is None:
            return
        kept = trainer.timeline.nearest(step)
        if kept is None or kept.step == trainer.step_count:
            return
        trainer.rewind(kept.step, kept.theta)
        self._generator = None
        self._pending, self._ready = None, False
        self._restart_pace()

    def _start(self, command: Start) -> None:
        self.run_id, self.generation = command.run_id, command.generation
        self.view, self.view_id = command.view, command.view_id
        self.trainer = None
        self._generator = None
        self._pending, self._ready = None, False
        self.steps_wanted = 0
        self.shown_step = None
        self.steps_per_second = command.steps_per_second
        if command.extra_views is not None:
            self.extra_views = tuple(command.extra_views)
        self._restore_refused = None
        if command.spec is not None:
            trainer = Trainer(command.spec.prepare())
            self._group_comparison = _group_comparison(trainer.problem)
            if command.restore_theta is not None:
                if len(command.restore_theta) == trainer.theta.size:
                    trainer.theta[:] = command.restore_theta
                    trainer.step_count = trainer.batches_seen = int(command.restore_step)
                else:  # a session saved with another model: start from the seed, and say so
                    self._restore_refused = (len(command.restore_theta), trainer.theta.size)
            trainer.keep_timeline(command.restore_timeline if self._restore_refused is None else ())
            self.trainer = trainer
        self._set_playing(command.playing and self.trainer is not None)
        if self.trainer is not None and not self.playing:
            self.steps_wanted = command.steps

    def _replace(self, command: Replace) -> None:
        self.generation = command.generation
        if command.view is not None:
            self.view, self.view_id = command.view, command.view_id
        problem = command.spec.prepare()
        self._group_comparison = _group_comparison(problem)
        trainer = self.trainer
        if trainer is None:
            self.trainer = Trainer(problem)
        else:
            carried = carry_parameters(trainer.problem, problem, trainer.theta)
            trainer.replace_problem(problem, carried)
            trainer.lr, trainer.l2 = problem.lr, problem.l2
            self._resume()
        self._generator = None
        self._geometry_due = self._publish_due = True

    def _set_playing(self, playing: bool) -> None:
        self.playing = playing
        if playing:
            self.steps_wanted = 0
            self._resume()
        self._generator = None
        self._geometry_due = self._publish_due = True
        self._restart_pace()

    def _resume(self) -> None:
        """Go on after a stop for convergence, the step limit or a failure (not a divergence)."""
        trainer = self.trainer
        if trainer is not None:
            if trainer.stop_reason == STOP_FAILED:
                trainer.stop_reason, trainer.message = None, ""
            trainer.resume()

    def _restart_pace(self) -> None:
        self._pace_origin = (time.perf_counter(), self.trainer.step_count if self.trainer else 0)
        self._meter.restart()

    # --- training ---------------------------------------------------------------------------------

    def _work(self) -> None:
        trainer = self.trainer
        if trainer is None or not self._training():
            return
        paced = bool(self.playing and self.steps_per_second)
        key = (self.playing, paced)
        if self._generator is None or key != self._generator_key:
            limit = UNBOUNDED_STEPS if self.playing else trainer.step_count + self.steps_wanted
            # Paced runs yield after every step: the loop waits for each step's due time in between.
            chunk = CHUNK_SECONDS if self.playing and not paced else 0.0
            self._generator = trainer.run(max_steps=limit, chunk_seconds=chunk,
                                          metrics_seconds=1 / METRICS_PER_SECOND, wait_turn=self.gate.wait)
            self._generator_key = key
        before = trainer.step_count
        snapshot = next(self._generator, None)
        if snapshot is None:
            self._generator = None
            return
        done = trainer.step_count - before
        self._meter.count(done, final=snapshot.stop_reason is not None)
        if not self.playing:
            self.steps_wanted = max(0, self.steps_wanted - done)
        if snapshot.stop_reason == STOP_MAX_STEPS and not self.playing:
            # The limit was the Step request's, not the run's.
            snapshot = replace(snapshot, stop_reason=None, message="")
            self._generator = None
        elif snapshot.stop_reason is not None:
            self.playing = False
            self.steps_wanted = 0
            self._generator = None
        if not self._training():
            self._geometry_due = True
            self._generator = None
            if snapshot.metrics is None:
                # The run rests here: what the window shows next to this step needs its metrics.
                snapshot = replace(snapshot, metrics=trainer.evaluate())
        self._queue(snapshot, trainer)

    # --- frames -----------------------------------------------------------------------------------

    def _queue(self, snapshot: Snapshot, trainer: Trainer) -> None:
        """Add a snapshot of ``trainer`` to the pending frame (geometry is added when the frame is published)."""
        test = snapshot.metrics.get("test") if snapshot.metrics else None
        error = data_error(test)
        frame = Frame(self.seq, self.run_id, self.generation, snapshot,
                      first_step=snapshot.step - len(snapshot.losses), losses=snapshot.losses,
                      test_errors=[(snapshot.step, error)] if error is not None else [],
                      playing=self.playing, steps_per_second=self._meter.rate,
                      lr=trainer.lr, l2=trainer.l2, problem=trainer.problem,
                      restore_refused=self._restore_refused, group_comparison=self._group_comparison,
                      timeline=trainer.timeline)
        self._restore_refused = None
        self._pending = frame if self._pending is None else frame.merged_after(self._pending)
        now = time.perf_counter()
        if snapshot.stop_reason is not None or not self.playing or now >= self._next_frame:
            self._publish_due = True

    def _publish_if_due(self) -> None:
        if not self._publish_due:
            return
        trainer = self.trainer
        if trainer is not None and trainer.timeline is not None and self.shown_step is not None:
            self._pending = self._past_frame(trainer, trainer.timeline, self.shown_step)
            self._publish_due = self._geometry_due = False
            self._ready = self._pending is not None
            return
        if self._pending is None or self._pending.generation != self.generation or self._pending.seq != self.seq:
            if trainer is None:
                self._pending = Frame(self.seq, self.run_id, self.generation, _empty_snapshot(), 0,
                                      np.empty(0), playing=False)
            else:
                self._queue(trainer.snapshot(evaluate=True), trainer)
        pending = self._pending
        assert pending is not None  # made or queued just above
        now = time.perf_counter()
        if trainer is not None and (self._geometry_due or now >= self._next_geometry):
            geometry = plot_geometry(trainer.problem, trainer.theta, self.view, self.view_id, l2=trainer.l2)
            if self._group_comparison is not None:
                geometry = replace(geometry, shared_curve=self._group_comparison.shared_curve(
                    self.view.x_range, self.view.axes[0]))
            pending.geometry = geometry
            pending.extras = {request.name: request.compute(trainer.problem, trainer.theta, trainer.l2)
                              for request in self.extra_views}
            self._geometry_due = False
            seconds = time.perf_counter() - now
            # Drawing never throttles training: geometry takes at most GEOMETRY_SHARE of the time.
            # Otherwise every frame gets one: frames fall on their grid up to a chunk late, and a
            # full frame's wait from this one's late start skipped every other frame (16 of 30 a second).
            interval = max(0.5 / FRAMES_PER_SECOND, seconds * (1 / GEOMETRY_SHARE - 1))
            if self.geometries_left and not self.extra_views:   # views other than the fit want every one
                # Past 30 doublings the cap holds anyway (and 2.0 ** 1024 overflows: a still fit left for
                # minutes counts that many).
                doublings = min(self.geometries_left, 30)
                interval = max(interval, min(STILL_GEOMETRY_SECONDS, interval * 2.0 ** doublings))
            self._next_geometry = now + interval
        pending.playing = self.playing
        self._publish_due = False
        self._ready = True
        # Frames fall on a 1/30 s grid: counting from each late send (chunks end up to 10 ms after a
        # frame is due) gave one frame every ~39 ms.
        self._next_frame = max(self._next_frame + 1 / FRAMES_PER_SECOND, now)

    def _past_frame(self, trainer: Trainer, timeline: Timeline, step: int) -> Frame | None:
        """The frame of the kept step nearest ``step``: its parameters drawn over the problem it was
        trained on, with every view."""
        kept = timeline.nearest(step)
        if kept is None:
            return None
        problem, _ = timeline.problem_at(kept.step)
        if not isinstance(problem, Problem):
            problem = trainer.problem
        epochs_per_step = trainer.epoch / trainer.step_count if trainer.step_count else 1.0
        snapshot = past_snapshot(problem, kept, trainer.l2, epochs_per_step)
        theta = np.array(kept.theta)
        geometry = plot_geometry(problem, theta, self.view, self.view_id, l2=trainer.l2)
        extras = {request.name: request.compute(problem, theta, trainer.l2) for request in self.extra_views}
        return Frame(self.seq, self.run_id, self.generation, snapshot, first_step=kept.step, losses=snapshot.losses,
                     geometry=geometry, extras=extras, playing=False, lr=trainer.lr, l2=trainer.l2,
                     problem=problem, group_comparison=self._group_comparison, timeline=timeline, shown=step)

    def _flush(self) -> None:
        if self._ready and self.mailbox.frames_waiting() < MAX_IN_FLIGHT:
            frame, self._pending, self._ready = self._pending, None, False
            self.mailbox.post(frame)
            self.gate.hand_over()


def _empty_snapshot() -> Snapshot:
    return Snapshot(step=0, epoch=0.0, params={}, losses=np.empty(0), grad_norm=0.0)


def _group_comparison(problem: Problem) -> GroupComparison | None:
    """One shared line against one line per group, by two exact fits on ``problem``'s own split:
    computed once per problem, here on the training thread, not in the window's."""
    test_mask = np.zeros(len(problem.dataset), dtype=bool)
    test_mask[problem.test_rows] = True
    try:
        return group_comparison(problem.dataset, problem.settings, test_mask)
    except RegstudioError:  # e.g. a test row's group is not among the training rows'
        return None
