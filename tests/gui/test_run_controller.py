"""The run controller on its own, without a window: what the GUI thread may and may not wait for."""

from __future__ import annotations

import threading
import time

import numpy as np

from regstudio.core.generators import generate
from regstudio.core.runner import ProblemSpec
from regstudio.core.training import Settings
from regstudio.core.views import View
from regstudio.gui.run_controller import RunController


def big_softmax_spec(n: int = 200_000) -> ProblemSpec:
    dataset = generate("blobs", n, 0.5, seed=1)
    return ProblemSpec(dataset, Settings(model="softmax", steps=10**15, test_fraction=0.0), np.zeros(n, dtype=bool))


def test_a_data_set_larger_than_the_pipe_goes_out_while_frames_larger_than_the_pipe_wait_unread(qapp):
    # A 200 × 200 × 3 probability grid (480 kB) and a 200,000-row data set are each more than a pipe
    # holds.  The runner blocks sending its frame until the window reads; if the window blocked in
    # turn sending the data set, each would wait for the other for ever.
    controller = RunController()
    sender = None
    try:
        blobs = big_softmax_spec()
        controller.set_speed(None)
        controller.start(blobs, View((-4, 4), (-4, 4), resolution=200))
        controller.play(True)
        assert controller.settle(timeout=30)
        # A new view makes the next frame carry a new 480 kB grid; no event loop runs, so nobody
        # reads it and the runner blocks sending it.
        controller.set_view(View((-4, 4.5), (-4, 4), resolution=200))
        time.sleep(1.0)
        sender = threading.Thread(target=controller.replace, args=(blobs,), daemon=True)
        sender.start()
        sender.join(20)
        assert not sender.is_alive(), "the GUI thread blocked sending the data set"
        assert controller.settle(timeout=30)
        problem, frame = controller.consistent()
        assert frame.generation == controller.generation == 2
        assert frame.geometry is None or frame.geometry.probabilities.shape == (200, 200, 3)
    finally:
        if sender is not None and sender.is_alive():
            controller._process.kill()  # break the deadlock, or shutdown() would wait in it too
        controller.shutdown()
