"""Short jobs off the GUI thread (reference runs, comparisons), on superqt's thread workers.

A job is a plain function of core objects; it creates no Qt object (a garbage collection on a worker
thread that destroys a Qt object deadlocks against the GUI thread).  Its result reaches the GUI
thread through a queued signal: ``on_returned`` must be a bound method of an object living there
(a lambda would run on the worker thread).  superqt is imported with the first job, not with the
window (its package imports every widget it has: about 60 ms of start-up).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread


class Jobs(QObject):
    """The jobs one part of the window started; :meth:`shutdown` waits for them.

    A QObject on the GUI thread, so the workers' ``finished`` reaches :meth:`_on_worker_finished`
    there, queued (a plain method would run on the worker's thread, beside the GUI thread's)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._workers: set = set()

    def __repr__(self) -> str:
        return f"Jobs(running={len(self._workers)})"

    @property
    def busy(self) -> bool:
        return any(worker.is_running for worker in self._workers)

    def start(self, function, *args, on_returned) -> None:
        # superqt imports all its widgets (~60 ms): not before the first job, after the first paint
        from superqt.utils import create_worker

        worker = create_worker(function, *args, _start_thread=False)
        worker.returned.connect(on_returned)
        worker.finished.connect(self._on_worker_finished)
        self._workers.add(worker)
        worker.start()

    def _on_worker_finished(self) -> None:
        self._workers = {worker for worker in self._workers if worker.is_running}

    def shutdown(self) -> None:
        """Wait for the jobs still running (each takes well under a second)."""
        while self.busy:
            QThread.msleep(5)
        self._workers.clear()
