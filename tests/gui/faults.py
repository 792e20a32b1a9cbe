"""Failures injected into the training process (``run_controller.runner_entry = "faults:serve_failing"``).

The training process imports this module by name: it runs with the test process's ``sys.path`` as its
PYTHONPATH, which holds tests/gui.  It imports the core only, never Qt.
"""

from __future__ import annotations

import os

from regstudio.core import runner, training

# Trainer.step calls before the one that fails (the process fails once, then trains normally).
FAIL_ON_CALL = int(os.environ.get("REGSTUDIO_FAULT_STEP", "5"))


def serve_failing(connection) -> None:
    """Serve as the real runner does, except that the FAIL_ON_CALL-th Trainer.step of this process
    raises RuntimeError("injected")."""
    original = training.Trainer.step
    calls = 0

    def step(self):
        nonlocal calls
        calls += 1
        if calls == FAIL_ON_CALL:
            raise RuntimeError("injected")
        return original(self)

    training.Trainer.step = step
    runner.serve(connection)
