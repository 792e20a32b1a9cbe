"""The run controller on its own, without a window: what the GUI thread does and does not do."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest

from regstudio.core.generators import generate
from regstudio.core.runner import ProblemSpec
from regstudio.core.session import Points
from regstudio.core.training import Settings
from regstudio.core.views import Viewport
from regstudio.gui.run_controller import RunController

WAIT = 10_000


def softmax_spec(n: int) -> ProblemSpec:
    dataset = generate("blobs", n, 0.5, seed=1)
    return ProblemSpec(dataset, Settings(model="softmax", steps=10**15, test_fraction=0.0), np.zeros(n, dtype=bool))


@pytest.fixture
def controller(qapp):
    made = RunController()
    yield made
    made.shutdown()


def test_problems_are_prepared_once_per_change_and_never_on_the_gui_thread(qtbot, controller, monkeypatch):
    threads = []
    prepare = ProblemSpec.prepare

    def recorded(self):
        threads.append(threading.current_thread())
        return prepare(self)

    monkeypatch.setattr(ProblemSpec, "prepare", recorded)
    spec = softmax_spec(2_000)
    controller.start(spec, Viewport((-4, 4), (-4, 4)))
    controller.step(3)
    qtbot.waitUntil(lambda: controller.settled and controller.latest.snapshot.step == 3, timeout=WAIT)
    points = Points(spec.dataset, spec.test_mask).add([0.5, 0.5], spec.dataset.y[0])
    edited = ProblemSpec(points.data, spec.settings, points.test)
    controller.replace(edited)
    qtbot.waitUntil(lambda: controller.settled, timeout=WAIT)
    assert len(threads) == 2
    assert threading.main_thread() not in threads
    problem, frame = controller.consistent()
    assert frame.generation == controller.generation == 2 and frame.snapshot.step == 3
    assert problem.dataset is points.data, "the edited data reach the trainer by reference"
    assert problem.n_train == 2_001


def test_frames_of_an_older_generation_are_not_consistent(qtbot, controller):
    spec = softmax_spec(500)
    controller.start(spec, Viewport((-4, 4), (-4, 4)))
    controller.step(1)
    qtbot.waitUntil(lambda: controller.settled, timeout=WAIT)
    assert controller.consistent() is not None
    controller.replace(softmax_spec(501))
    # Before the runner answers the edit, nothing is paired with the new points.
    assert controller.consistent() is None or controller.latest.generation == controller.generation
    qtbot.waitUntil(lambda: controller.settled, timeout=WAIT)
    assert controller.consistent()[1].generation == 2


def test_play_with_nothing_to_train_springs_back(qtbot, controller):
    states = []
    controller.playingChanged.connect(states.append)
    controller.start(None, Viewport())
    controller.play(True)
    assert states and states[-1] is False and not controller.playing


def test_shutdown_while_playing_stops_the_thread(qtbot, controller):
    controller.start(softmax_spec(20_000), Viewport((-4, 4), (-4, 4)))
    controller.set_speed(None)
    controller.play(True)
    qtbot.waitUntil(lambda: controller.latest is not None and controller.latest.snapshot.step > 5, timeout=WAIT)
    thread = controller._thread
    controller.shutdown()
    assert thread.isFinished() and not controller.running


def test_a_frame_of_the_previous_generation_is_never_paired_with_the_edited_points(qtbot, controller, hold_prepare):
    controller.start(softmax_spec(500), Viewport((-4, 4), (-4, 4)))
    controller.step(2)
    qtbot.waitUntil(lambda: controller.settled and controller.latest.snapshot.step == 2, timeout=WAIT)
    before = controller.latest
    assert controller.consistent() == (before.problem, before)
    arrived, losses = [], []
    controller.frameArrived.connect(arrived.append)
    controller.lossesArrived.connect(lambda first, values, tests: losses.append((first, len(values))))
    release = hold_prepare()
    edited = softmax_spec(501)
    controller.replace(edited)
    # The newest frame is of the points before the edit: nothing is paired with the edited points yet.
    assert controller.consistent() is None and controller.problem is None
    # A frame the runner posted before it read the edit arrives now (posted from this thread, the
    # controller takes it at once): its losses count, its parameters are not the edited problem's.
    late = replace(before, losses=np.array([0.5]), first_step=2)
    training = controller._thread
    training.mailbox.post(late)
    assert losses == [(2, 1)]
    assert arrived == [] and controller.consistent() is None and controller.problem is None
    release.set()
    qtbot.waitUntil(lambda: controller.settled, timeout=WAIT)
    problem, frame = controller.consistent()
    assert frame.generation == controller.generation == 2 and arrived[-1] is frame
    assert all(f.generation == 2 for f in arrived)
    assert problem.dataset is edited.dataset and problem.n_train == 501


def test_a_frame_answering_an_older_command_does_not_press_play_again(qtbot, controller):
    spec = softmax_spec(2_000)
    controller.start(spec, Viewport((-4, 4), (-4, 4)))
    controller.set_speed(None)
    controller.play(True)
    qtbot.waitUntil(lambda: controller.settled and controller.latest.playing, timeout=WAIT)
    answered_play = controller.latest
    states = []
    controller.playingChanged.connect(states.append)
    controller.play(False)
    assert states == [False] and not controller.playing
    # Still playing: a frame the runner posted before it read the Pause, taken after it was sent.
    late = replace(answered_play, losses=np.empty(0), first_step=answered_play.snapshot.step)
    controller._thread.mailbox.post(late)
    assert states == [False] and not controller.playing
    controller.play(False)  # whether or not the runner answered the first Pause already, it answers this one
    qtbot.waitUntil(lambda: controller.settled, timeout=WAIT)
    assert states == [False] and not controller.playing and not controller.latest.playing
    # A frame that answers the last command does set the play state (as when a run stops by itself).
    answering = replace(controller.latest, losses=np.empty(0), first_step=controller.latest.snapshot.step,
                        playing=True)
    controller._thread.mailbox.post(answering)
    assert states == [False, True] and controller.playing
