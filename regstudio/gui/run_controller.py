"""The run controller: the window's only way to the training thread.

Training runs on a background :class:`TrainerThread` (a ``QThread``) in the window's process; the
runner loop itself is plain core (:class:`~regstudio.core.runner.Runner`).  Commands go in through
the runner's :class:`~regstudio.core.runner.Mailbox`; frames come back through it by reference, and
the thread says when there are some to take with a queued signal, so nothing is pickled or copied.

The problem is prepared once per change, on the training thread, and every frame carries the
problem its parameters belong to: what the window draws, exports and saves is always such a
consistent pair, and the window's thread never prepares a problem.  Frames of an older run, or of a
generation older than the newest frame taken, are dropped.

The two threads share one interpreter lock.  Each time the window's thread wakes up to handle events
(a frame, a paint, a click), it closes the runner's :class:`~regstudio.core.runner.Gate`; the
runner waits there between steps until the window's thread is idle again.  Without it, a paint of
hundreds of Python↔Qt transitions had to win the lock back from the trainer at each one (a cascade
stalled the window 424–560 ms per frame).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QAbstractEventDispatcher, QObject, QThread, Signal
from threadpoolctl import threadpool_limits

from ..core.runner import (Failure, Frame, Gate, Mailbox, Play, ProblemSpec, Quit, Replace, Runner, SetExtraViews,
                           SetHyperparameters, SetSpeed, SetView, ShowStep, Start, Step)
from ..core.timeline import Timeline
from ..core.training import Problem
from ..core.views import Viewport
from .i18n import localized

log = logging.getLogger("regstudio")

# Python's default 5 ms: each time the window's thread wakes up it may wait this long for the lock
# before it can close the gate.  1 ms keeps that wait under the 20 ms stall budget with room to spare
# and costs the trainer nothing measurable while the window is idle (benchmarks/bench_gui.py).
SWITCH_INTERVAL = 0.001


class TrainerThread(QThread):
    """Runs one :class:`Runner` until it is told to quit.  Holds no Qt object but itself: everything
    Qt is made and dropped on the window's thread."""

    framesPosted = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("regstudio-trainer")
        self.gate = Gate()
        self.mailbox = Mailbox(notify=self.framesPosted.emit)
        self.runner = Runner(self.mailbox, self.gate)

    def run(self) -> None:
        self.runner.serve()


class _SharedInterpreter:
    """While any window trains: one BLAS thread (a second one, waiting for the core the window keeps
    busy, made big steps 15–30× slower on two cores: a 32-unit cascade 5.9 ms → 86–192 ms), the
    switch interval above, and garbage collection only on the window's thread (a collection on a
    worker thread that destroys a Qt object deadlocks against the window's thread)."""

    users = 0
    _limits = None
    _interval = 0.0
    _collector = None

    @classmethod
    def enter(cls) -> None:
        if cls.users == 0:
            from pyqtgraph.util.garbage_collector import GarbageCollector

            cls._limits = threadpool_limits(limits=1, user_api="blas")
            cls._interval = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
            if cls._collector is None:
                cls._collector = GarbageCollector(interval=0.5)
        cls.users += 1

    @classmethod
    def leave(cls) -> None:
        cls.users -= 1
        if cls.users == 0 and cls._limits is not None:
            cls._limits.restore_original_limits()
            cls._limits = None
            sys.setswitchinterval(cls._interval)


class RunController(QObject):
    """Commands to the training thread; its frames back as signals, checked for consistency.

    Signals:
    - ``lossesArrived(first_step, losses, test_errors)``: every loss of the current run, in order.
    - ``frameArrived(frame)``: a frame of the current run and problem generation (``frame.problem``
      is the problem its parameters belong to; None when there is nothing to train).  While a past
      step is shown (``shown_step``), only frames of that step (``frame.shown`` set) are announced.
    - ``playingChanged(bool)``: the runner stopped (converged, diverged, failed) or started playing.
    - ``runFailed(summary, details)``: an error stopped the run; the window stays usable.
    """

    lossesArrived = Signal(int, object, object)
    frameArrived = Signal(object)
    playingChanged = Signal(bool)
    runFailed = Signal(str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.run_id = 0
        self.generation = 0
        self.view_id = 0
        self.spec: ProblemSpec | None = None
        self.latest: Frame | None = None      # the newest frame of the run's newest step
        self.shown: Frame | None = None       # the newest frame of the past step shown
        self.shown_step: int | None = None    # the past step asked for on the timeline; None: the newest
        self._answered = 0                    # the newest command a frame has answered
        self.playing = False
        self._view = Viewport()
        self._extra_views: tuple = ()
        self._steps_per_second: float | None = None
        self._held: list | None = None
        self._seq = 0
        _SharedInterpreter.enter()
        self._thread: TrainerThread | None = TrainerThread()
        self._thread.framesPosted.connect(self._on_thread_frames_posted)
        dispatcher = QAbstractEventDispatcher.instance()
        self._dispatcher = dispatcher
        if dispatcher is not None:
            dispatcher.awake.connect(self._thread.gate.close)
            dispatcher.aboutToBlock.connect(self._thread.gate.open)
        self._thread.start()

    def __repr__(self) -> str:
        return (f"RunController(run={self.run_id}, generation={self.generation}, playing={self.playing}, "
                f"running={self.running})")

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    @property
    def problem(self) -> Problem | None:
        """The problem of the newest frame of the current run and generation (None before it arrives)."""
        pair = self.consistent()
        return None if pair is None else pair[0]

    @property
    def settled(self) -> bool:
        """The runner has answered the last command sent with a frame."""
        return self._answered == self._seq and (self.latest is not None or self.shown is not None)

    @property
    def timeline(self) -> Timeline | None:
        """The current run's rewind timeline (the training thread adds to it)."""
        frame = self.latest
        return None if frame is None or frame.run_id != self.run_id else frame.timeline

    @property
    def newest_step(self) -> int:
        """The step the run has reached (0 before its first frame)."""
        frame = self.latest
        return frame.snapshot.step if frame is not None and frame.run_id == self.run_id else 0

    def shutdown(self) -> None:
        """Stop the training thread and wait for it (it stops between two steps)."""
        thread = self._thread
        if thread is None:
            return
        self._thread = None
        if self._dispatcher is not None:
            self._dispatcher.awake.disconnect(thread.gate.close)
            self._dispatcher.aboutToBlock.disconnect(thread.gate.open)
        thread.gate.open()
        self._seq += 1
        thread.mailbox.send(self._seq, Quit())
        thread.wait()
        thread.framesPosted.disconnect(self._on_thread_frames_posted)
        _SharedInterpreter.leave()

    def _send(self, command) -> None:
        if self._thread is None:
            return
        if self._held is not None:
            if isinstance(command, Start):
                self._held.clear()   # a Start carries the view, speed, play state and extra views
            elif not isinstance(command, Replace):
                self._held.append(command)
                return
        self._seq += 1
        self._thread.mailbox.send(self._seq, command)

    @contextmanager
    def one_command(self) -> Iterator[None]:
        """Inside, a Start makes the other commands needless: one user action (a lesson: views,
        speed, settings, points) reaches the training thread as that one Start.  Commands no Start
        replaced are sent when the block ends."""
        if self._held is not None:
            yield
            return
        self._held = []
        try:
            yield
        finally:
            held, self._held = self._held, None
            for command in held:
                self._send(command)

    # --- commands ---------------------------------------------------------------------------------

    def start(self, spec: ProblemSpec | None, view: Viewport, restore_theta: np.ndarray | None = None,
              restore_step: int = 0, steps: int = 0, restore_timeline: tuple = ()) -> None:
        """A new run from the seed (or restored parameters), taking ``steps`` at once when paused;
        ``spec`` None: nothing to train on."""
        self.run_id += 1
        self.generation += 1
        self.view_id += 1
        self.spec, self.latest, self._view = spec, None, view
        self.shown = self.shown_step = None
        # The views' requests belong to a problem: the window asks again at the new run's first frame.
        self._extra_views = ()
        if spec is None:
            self._set_playing(False, always=True)
        self._send(Start(self.run_id, self.generation, spec, view, self.view_id, restore_theta=restore_theta,
                         restore_step=restore_step, playing=self.playing, steps_per_second=self._steps_per_second,
                         extra_views=self._extra_views, steps=steps, restore_timeline=restore_timeline))

    def replace(self, spec: ProblemSpec, view: Viewport | None = None) -> None:
        """Edited data: the run continues on it from its newest parameters (in ``view`` if given)."""
        self.generation += 1
        self.spec = spec
        self.shown = self.shown_step = None
        if view is not None and view != self._view:
            self.view_id += 1
            self._view = view
            self._send(Replace(self.generation, spec, view, self.view_id))
        else:
            self._send(Replace(self.generation, spec))

    def set_view(self, view: Viewport) -> None:
        if view == self._view:
            return
        self.view_id += 1
        self._view = view
        self._send(SetView(self.view_id, view))

    def set_extra_views(self, requests: tuple) -> None:
        """The views besides the data plot to compute with each geometry (see SetExtraViews)."""
        requests = tuple(requests)
        if requests != self._extra_views:
            self._extra_views = requests
            self._send(SetExtraViews(requests))

    def set_hyperparameters(self, lr: float | None = None, l2: float | None = None) -> None:
        self._send(SetHyperparameters(lr, l2))

    def play(self, playing: bool) -> None:
        """Play or pause; with nothing to train, Play springs back at once.  Play while a past step is
        shown goes on from that step on a new branch (the runner forgets the steps after it)."""
        if self.spec is None:
            self._set_playing(False, always=True)
            return
        self._set_playing(playing)
        if playing:
            self._send(Play(True, from_step=self._take_shown_step()))
        elif self.shown_step is None:
            self._send(Play(False))

    def step(self, count: int = 1) -> None:
        """Take ``count`` steps, from the past step shown if there is one (as Play)."""
        self._set_playing(False)
        if self.spec is not None:
            self._send(Step(count, from_step=self._take_shown_step()))

    def show_step(self, step: int | None) -> None:
        """Pause and show the run at past ``step`` (None, or the newest step: the newest again)."""
        if step is not None and step >= self.newest_step:
            step = None
        if step == self.shown_step:
            return
        self.shown_step = step
        if step is None:
            self.shown = None
        self._set_playing(False)
        self._send(ShowStep(step))

    def _take_shown_step(self) -> int | None:
        step, self.shown_step, self.shown = self.shown_step, None, None
        return step

    def set_speed(self, steps_per_second: float | None, send: bool = True) -> None:
        """``send`` False: only remember it for the next Start."""
        changed = steps_per_second != self._steps_per_second
        self._steps_per_second = steps_per_second
        if send and changed:
            self._send(SetSpeed(steps_per_second))

    def geometry_shown(self, drawn: bool) -> None:
        """Tell the training thread whether the data plot drew the newest geometry or left the fit as
        it was (it moved under half a pixel): while the fit holds still, geometries come less often."""
        if self._thread is not None:
            runner = self._thread.runner
            runner.geometries_left = 0 if drawn else runner.geometries_left + 1

    def _set_playing(self, playing: bool, always: bool = False) -> None:
        """``always``: say so even without a change (a checked Play button must spring back)."""
        if playing != self.playing or always:
            self.playing = playing
            self.playingChanged.emit(playing)

    # --- frames -----------------------------------------------------------------------------------

    def consistent(self) -> tuple[Problem, Frame] | None:
        """The newest (problem, frame) pair of the current run and generation, or None before it."""
        frame = self.latest
        if frame is None or frame.problem is None or frame.generation != self.generation \
                or frame.run_id != self.run_id:
            return None
        return frame.problem, frame

    def _on_thread_frames_posted(self) -> None:
        thread = self._thread
        if thread is None:
            return
        thread.gate.close()  # already, if the event loop said it woke up; opened when it waits again
        newest = past = None
        for message in thread.mailbox.take():
            if isinstance(message, Failure):
                self._take_failure(message)
                continue
            if message.run_id != self.run_id:
                continue
            self._answered = max(self._answered, message.seq)
            if message.shown is not None:
                if message.generation == self.generation and message.shown == self.shown_step:
                    past = message
                continue
            self.lossesArrived.emit(message.first_step, message.losses, message.test_errors)
            if message.generation == self.generation:
                if newest is not None:
                    _carry_views(newest, message)
                newest = message
            if message.seq == self._seq:
                self._set_playing(message.playing)
        if newest is not None:
            if self.latest is not None and self.latest.generation == newest.generation:
                _carry_views(self.latest, newest)
            self.latest = newest
            if self.shown_step is None:
                self.frameArrived.emit(newest)
        if past is not None:
            self.shown = past
            self.frameArrived.emit(past)

    def _take_failure(self, failure: Failure) -> None:
        if failure.run_id != self.run_id:
            return
        self._set_playing(False, always=True)
        if failure.expected:
            self.runFailed.emit(localized(failure.summary), "")
            return
        log.error("training failed (run %s, generation %s): %s\n%s", failure.run_id, failure.generation,
                  failure.summary, failure.details)
        # The run stays where it was: Play, Step or an edit go on from there.
        self.runFailed.emit(self.tr("{summary}; the run stopped at its last good step.").format(
            summary=localized(failure.summary)), failure.details)


def _carry_views(older: Frame, newer: Frame) -> None:
    """A frame without new geometry (or other views) shows the older frame's."""
    if newer.geometry is None:
        newer.geometry = older.geometry
    if newer.extras is None:
        newer.extras = older.extras
