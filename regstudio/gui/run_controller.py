"""The run controller: owns the training process and is the window's only way to it.

It prepares each problem in the window too (from the same :class:`ProblemSpec`, so both processes
hold the same problem), numbers problems by generation, and accepts a frame's parameters only with
the problem of the frame's generation: what the window draws, exports and saves is always a
consistent (problem, parameters) pair.  Frames are read from the pipe by a timer at screen rate,
never faster than the window can draw them.

If the training process dies (killed, out of memory), the controller starts a new one from the
last consistent parameters and says so.
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import threading
import time
from multiprocessing import AuthenticationError
from multiprocessing.connection import Connection, Listener
from multiprocessing.reduction import ForkingPickler

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from ..core.runner import (Ack, Failure, Frame, Play, ProblemSpec, Quit, Replace, SetExtraViews, SetHyperparameters,
                           SetSpeed, SetView, Start, Step)
from ..core.training import Problem
from ..core.views import View
from .i18n import localized

log = logging.getLogger("regstudio")

POLL_MILLISECONDS = 15
# "module:function" serving the training process's connection instead of core.runner.serve; tests
# set it to inject failures.
runner_entry: str | None = None


def training_environment() -> dict:
    """The training process's environment: this process's imports, and one BLAS thread unless the
    user chose otherwise — the window already keeps a core busy, and a second BLAS thread waiting
    for it made big steps 15–30× slower on two cores (a 32-unit cascade: 5.9 ms → 86–192 ms)."""
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        environment.setdefault(name, "1")
    return environment


class _Outgoing:
    """Messages to the training process, without ever blocking the GUI thread for long.

    The runner sends frames from its training thread and blocks while nobody reads them.  If this
    thread blocked in turn on sending a data set larger than the pipe, each side would wait for
    the other to read.  So a message goes straight out only when it is small and nothing is queued
    (keeping the order); anything larger is written by a thread of its own while the GUI thread
    keeps reading frames.
    """

    DIRECT_BYTES = 4096   # well under any platform's pipe buffer

    def __init__(self, connection):
        self._connection = connection
        self._queue: queue.Queue = queue.Queue()
        self._broken = False
        self._thread = threading.Thread(target=self._write_queued, name="regstudio-send", daemon=True)
        self._thread.start()

    def send(self, message) -> None:
        """Raises BrokenPipeError once the pipe is known to be broken."""
        if self._broken:
            raise BrokenPipeError("the training process's pipe is broken")
        data = ForkingPickler.dumps(message)
        if len(data) <= self.DIRECT_BYTES and self._queue.unfinished_tasks == 0:
            self._connection.send_bytes(data)
        else:
            self._queue.put(data)

    def close(self) -> None:
        self._queue.put(None)

    def _write_queued(self) -> None:
        # The data is passed, not bound to a local of this loop: a local would keep the last data
        # set written (megabytes) alive while the thread waits for the next one.
        while self._write(self._queue.get()):
            pass

    def _write(self, data: bytes | None) -> bool:
        if data is None:
            return False
        try:
            self._connection.send_bytes(data)
            return True
        except (BrokenPipeError, ConnectionResetError, EOFError, OSError):
            self._broken = True
            return False
        finally:
            self._queue.task_done()


class RunController(QObject):
    """Commands to the training process; its frames back as signals, checked for consistency.

    Signals:
    - ``lossesArrived(first_step, losses, test_errors)``: every loss of the current run, in order.
    - ``frameArrived(frame)``: a frame whose parameters belong to ``problem`` (same generation).
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
        self.problem: Problem | None = None
        self.spec: ProblemSpec | None = None
        self.latest: Frame | None = None
        self.playing = False
        self._view = View()
        self._extra_views: tuple = ()
        self._lr: float | None = None
        self._l2: float | None = None
        self._speed: float | None = None
        self._seq = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None
        self._outgoing: _Outgoing | None = None
        self._outbox: list = []
        self._launch()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MILLISECONDS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    def __repr__(self) -> str:
        return (f"RunController(run={self.run_id}, generation={self.generation}, playing={self.playing}, "
                f"pid={self._process.pid if self._process else None})")

    # --- the process ---------------------------------------------------------------------------

    def _launch(self) -> None:
        """Start a training process that connects back to a listener of ours.

        A plain ``python -m regstudio.core.runner``, not multiprocessing's spawn: spawn re-imports
        the parent's main script in the child, so a script that builds a window at top level would
        fail (or build a second window).  The child imports the core only, never Qt.
        """
        key = os.urandom(32)
        self._listener = Listener(authkey=key)
        command = [sys.executable, "-m", "regstudio.core.runner", str(self._listener.address)]
        if runner_entry:
            command.append(runner_entry)
        process = self._process = subprocess.Popen(command, stdin=subprocess.PIPE, env=training_environment())
        assert process.stdin is not None  # stdin=PIPE
        process.stdin.write(key.hex().encode() + b"\n")
        process.stdin.close()
        self._connection = None
        self._accepted: list[Connection] = []
        listener = self._listener

        def accept():
            try:
                self._accepted.append(listener.accept())
            except (OSError, EOFError, AuthenticationError):
                pass  # closed before the process connected (it died, or the window closed)

        self._acceptor = threading.Thread(target=accept, name="regstudio-accept", daemon=True)
        self._acceptor.start()
        self._outbox = []
        self._seq = 0

    def _connected(self, wait: float = 0.0) -> bool:
        if self._connection is None:
            self._acceptor.join(wait)
            if not self._accepted:
                return False
            self._connection = self._accepted.pop()
            self._outgoing = _Outgoing(self._connection)
            self._listener.close()
        return True

    def _send(self, command) -> None:
        self._seq += 1
        self._outbox.append((self._seq, command))
        self._flush_outbox()

    def _flush_outbox(self) -> None:
        if not self._outbox or not self._connected():
            return
        outgoing = self._outgoing
        if outgoing is None:  # shut down: the pipe is closed
            return
        try:
            while self._outbox:
                outgoing.send(self._outbox[0])
                self._outbox.pop(0)
        except (BrokenPipeError, ConnectionResetError, EOFError, OSError):
            self._recover()

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def shutdown(self) -> None:
        """Stop the training process and wait for it (at most a second, then it is killed)."""
        self._timer.stop()
        if self._process is None:
            return
        if self._alive():
            # A process that has not connected yet cannot hear Quit: wait for it (it takes a few
            # tenths of a second to start), rather than wait a whole second and then kill it.
            self._connected(wait=1.0)
        self._send(Quit())
        try:
            self._process.wait(1.0)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(1.0)
        self._close_pipe()
        self._process = None

    def _close_pipe(self) -> None:
        self._listener.close()
        if self._outgoing is not None:
            self._outgoing.close()
            self._outgoing = None
        if self._connection is not None:
            self._connection.close()
        self._acceptor.join(1.0)

    def _recover(self) -> None:
        """The training process died: start another one and resume from the last consistent frame."""
        process = self._process
        assert process is not None  # only a launched process can die
        if process.poll() is None:
            process.kill()
        code = process.wait()
        self._close_pipe()
        pair = self.consistent()
        self._launch()
        self._set_playing(False)
        restore = None if pair is None else pair[1].snapshot
        self._send(SetSpeed(self._speed))
        self._send(SetExtraViews(self._extra_views))
        self._send(Start(self.run_id, self.generation, self.spec, self._view, self.view_id,
                         restore_theta=None if pair is None else pair[0].model.pack(pair[1].snapshot.params),
                         restore_step=0 if restore is None else restore.step))
        if self._lr is not None or self._l2 is not None:
            self._send(SetHyperparameters(self._lr, self._l2))
        step = 0 if restore is None else restore.step
        self.runFailed.emit(self.tr("The training process stopped unexpectedly (exit code {code}); a new one "
                                    "continues from step {step:,}.").format(code=code, step=step), "")

    # --- commands ---------------------------------------------------------------------------------

    def start(self, spec: ProblemSpec | None, view: View, restore_theta: np.ndarray | None = None,
              restore_step: int = 0) -> Problem | None:
        """A new run from the seed (or restored parameters).  Prepares the problem here first, so bad
        settings raise RegstudioError in the window before anything is sent."""
        problem = None if spec is None else spec.prepare()
        self.run_id += 1
        self.generation += 1
        self.view_id += 1
        self.problem, self.spec, self.latest, self._view = problem, spec, None, view
        self._send(Start(self.run_id, self.generation, spec, view, self.view_id,
                         restore_theta=restore_theta, restore_step=restore_step))
        if problem is None:
            self._set_playing(False)
        else:
            self._send(Play(self.playing))
        return problem

    def replace(self, spec: ProblemSpec) -> Problem:
        """Edited data: the run continues on it from its current parameters."""
        problem = spec.prepare()
        self.generation += 1
        self.problem, self.spec = problem, spec
        self._send(Replace(self.generation, spec))
        return problem

    def set_view(self, view: View) -> None:
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
        self._lr = lr if lr is not None else self._lr
        self._l2 = l2 if l2 is not None else self._l2
        self._send(SetHyperparameters(lr, l2))

    def play(self, playing: bool) -> None:
        if self.problem is None:
            playing = False
        self._set_playing(playing)
        self._send(Play(playing))

    def step(self, count: int = 1) -> None:
        self._set_playing(False)
        if self.problem is not None:
            self._send(Step(count))

    def set_speed(self, steps_per_second: float | None) -> None:
        self._speed = steps_per_second
        self._send(SetSpeed(steps_per_second))

    def _set_playing(self, playing: bool) -> None:
        if playing != self.playing:
            self.playing = playing
            self.playingChanged.emit(playing)

    # --- frames -----------------------------------------------------------------------------------

    def consistent(self) -> tuple[Problem, Frame] | None:
        """The newest (problem, frame) pair of the same generation, or None before the first one."""
        frame = self.latest
        if frame is None or self.problem is None or frame.generation != self.generation or frame.run_id != self.run_id:
            return None
        return self.problem, frame

    def settle(self, timeout: float = 5.0) -> bool:
        """Wait until the runner has applied every command sent and answered with a frame (for export
        and save right after an edit).  Reads the pipe directly; runs no event loop."""
        deadline = time.perf_counter() + timeout
        while not (self.latest is not None and self.latest.seq == self._seq and not self._outbox):
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or self._process is None:
                return False
            if not self._connected(wait=min(remaining, 0.05)):
                if not self._alive():
                    self._recover()
                continue
            self._flush_outbox()
            connection = self._connection
            if connection is None:  # the flush found the process dead and started another
                continue
            try:
                connection.poll(min(remaining, 0.05))
            except (EOFError, OSError):
                pass
            self._on_timer_timeout()
        return True

    def _on_timer_timeout(self) -> None:
        if self._process is None:
            return
        if not self._connected():
            if not self._alive():
                self._recover()
            return
        self._flush_outbox()
        connection, outgoing = self._connection, self._outgoing
        if connection is None or outgoing is None:  # the flush found the process dead and started another
            return
        newest = None
        try:
            while connection.poll(0):
                message = connection.recv()
                if isinstance(message, Failure):
                    self._take_failure(message)
                    continue
                outgoing.send((0, Ack()))
                if message.run_id != self.run_id:
                    continue
                self.lossesArrived.emit(message.first_step, message.losses, message.test_errors)
                if message.generation == self.generation:
                    if newest is not None:
                        _carry_views(newest, message)
                    newest = message
                if message.seq == self._seq and not self._outbox:
                    self._set_playing(message.playing)
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            self._recover()
            return
        except Exception:  # noqa: BLE001 - an unreadable message: start afresh rather than lose the slot
            log.exception("unreadable message from the training process")
            self._recover()
            return
        if newest is None and not self._alive():
            self._recover()
            return
        if newest is not None:
            if self.latest is not None and self.latest.generation == newest.generation:
                _carry_views(self.latest, newest)
            self.latest = newest
            self.frameArrived.emit(newest)

    def _take_failure(self, failure: Failure) -> None:
        log.error("training failed (run %s, generation %s): %s\n%s", failure.run_id, failure.generation,
                  failure.summary, failure.details)
        if failure.run_id == self.run_id:
            self._set_playing(False)
            # The runner keeps a failed run stopped (Play and Step do nothing) until a new run or an
            # edit of the points: say so, or Play and Step look broken.
            self.runFailed.emit(self.tr("{summary}; press Reset to start again.").format(
                summary=localized(failure.summary)), failure.details)


def _carry_views(older: Frame, newer: Frame) -> None:
    """A frame without new geometry (or other views) shows the older frame's."""
    if newer.geometry is None:
        newer.geometry = older.geometry
    if newer.extras is None:
        newer.extras = older.extras
