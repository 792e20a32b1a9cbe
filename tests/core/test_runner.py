"""The training runner's protocol, driven through its mailbox with the runner on a thread of this process."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

from regstudio.core.generators import generate
from regstudio.core.messages import Message
from regstudio.core.runner import (FRAMES_PER_SECOND, MAX_IN_FLIGHT, STILL_GEOMETRY_SECONDS, Failure, Frame, Gate,
                                   Mailbox, Play, ProblemSpec, Quit, Replace, Runner, SetExtraViews, SetHyperparameters,
                                   SetSpeed, SetView, ShowStep, Start, Step)
from regstudio.core.training import STOP_CONVERGED, Settings, Trainer
from regstudio.core.views import Viewport


def spec(data="line", n=40, model="linear", **settings):
    dataset = generate(data, n, 0.5, seed=1)
    settings = Settings(model=model, steps=10**15, test_fraction=0.0, **settings)
    return ProblemSpec(dataset, settings, np.zeros(n, dtype=bool))


class Driver:
    """The window's side of the mailbox: numbered commands out, frames in (taking them makes room)."""

    def __init__(self):
        self.posted = threading.Event()
        self.mailbox = Mailbox(notify=self.posted.set)
        self.gate = Gate()
        self.runner = Runner(self.mailbox, self.gate)
        self.thread = threading.Thread(target=self.runner.serve, daemon=True)
        self.thread.start()
        self.seq = 0
        self.messages = []

    def send(self, *commands):
        for command in commands:
            self.seq += 1
            self.mailbox.send(self.seq, command)

    def read(self, until, timeout=10.0):
        """Messages until ``until(message)`` holds for one; returns that one."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.posted.wait(0.05)
            self.posted.clear()
            for message in self.mailbox.take():
                self.messages.append(message)
                if until(message):
                    return message
        seen = [(type(m).__name__, getattr(m, "seq", None), getattr(m, "snapshot", None)) for m in self.messages[-4:]]
        raise AssertionError(f"no such message in {timeout} s; last: {seen}")

    def close(self):
        self.gate.open()
        self.send(Quit())
        self.thread.join(5)
        assert not self.thread.is_alive()


@pytest.fixture
def driver():
    d = Driver()
    yield d
    d.close()


def current(driver, frame):
    return isinstance(frame, Frame) and frame.seq == driver.seq


def test_steps_are_counted_and_every_loss_arrives_once(driver):
    driver.send(Start(1, 1, spec(), Viewport((-3, 3), (-5, 5)), view_id=1), Step(3))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == 3)
    frames = [m for m in driver.messages if isinstance(m, Frame)]
    steps = np.concatenate([np.arange(f.first_step, f.first_step + len(f.losses)) for f in frames])
    assert steps.tolist() == [0, 1, 2]
    assert frame.generation == 1 and frame.run_id == 1 and not frame.playing
    trainer = Trainer(spec().prepare())
    expected = [trainer.step() for _ in range(3)]
    np.testing.assert_allclose(np.concatenate([f.losses for f in frames]), expected, rtol=1e-12)
    geometry = next(f.geometry for f in reversed(frames) if f.geometry is not None)
    [(group, xs, ys)] = geometry.curves
    np.testing.assert_allclose(ys, trainer.model.predict(trainer.theta, np.ascontiguousarray(
        trainer.problem.pipeline.transform(xs[:, None]).T)), rtol=1e-12)


def test_a_start_with_steps_takes_them_paused_in_the_same_command(driver):
    driver.send(Start(1, 1, spec(optimizer="exact"), Viewport((-3, 3), (-5, 5)), 1, steps=1))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == 1)
    assert frame.snapshot.stop_reason == STOP_CONVERGED and not frame.playing
    exact = Trainer(spec(optimizer="exact").prepare())
    exact.step()
    np.testing.assert_allclose(exact.problem.model.pack(frame.snapshot.params), exact.theta, rtol=1e-12)
    driver.send(Start(2, 2, spec(), Viewport((-3, 3), (-5, 5)), 2))   # no steps: it waits at step 0
    frame = driver.read(lambda m: current(driver, m) and m.run_id == 2)
    assert frame.snapshot.step == 0


def test_playing_to_convergence_ends_playing_with_the_stop_in_the_last_frame(driver):
    driver.send(Start(1, 1, spec(optimizer="exact"), Viewport(), 1), SetSpeed(None), Play(True))
    frame = driver.read(lambda m: isinstance(m, Frame) and m.snapshot.stop_reason is not None)
    assert frame.snapshot.stop_reason == STOP_CONVERGED and not frame.playing


def test_a_stop_is_never_lost_when_frames_merge(driver):
    # Nothing is taken: after two frames the rest merge into one pending frame.  The run converges
    # after ~20,000 small steps, long after the second frame.
    driver.send(Start(1, 1, spec(lr=0.0005, tol=1e-9), Viewport(), 1), SetSpeed(None), Play(True))
    while driver.mailbox.frames_waiting() < MAX_IN_FLIGHT:
        driver.posted.wait(1.0)
        driver.posted.clear()
    steps_then = driver.runner.trainer.step_count
    while driver.runner.trainer.step_count < steps_then + 2000:
        time.sleep(0.01)
    assert driver.mailbox.frames_waiting() == MAX_IN_FLIGHT, "more than two frames in flight"
    last = driver.read(lambda m: isinstance(m, Frame) and m.snapshot.stop_reason is not None)
    assert last.snapshot.stop_reason == STOP_CONVERGED and not last.playing
    frames = [m for m in driver.messages if isinstance(m, Frame)]
    steps = np.concatenate([np.arange(f.first_step, f.first_step + len(f.losses)) for f in frames])
    assert steps.tolist() == list(range(last.snapshot.step))


def test_replace_carries_the_parameters_and_names_the_new_generation(driver):
    first = spec()
    driver.send(Start(1, 1, first, Viewport((-3, 3), (-5, 5)), 1), Step(50))
    before = driver.read(lambda m: current(driver, m) and m.snapshot.step == 50)
    grown = ProblemSpec(generate("line", 41, 0.5, seed=1), first.settings, np.zeros(41, dtype=bool))
    driver.send(Replace(2, grown))
    after = driver.read(lambda m: current(driver, m))
    assert after.generation == 2 and after.snapshot.step == 50
    # The same function of the raw input, though the standardisation was refitted on 41 rows.
    (_, xs, ys_before), = before.geometry.curves
    (_, _, ys_after), = after.geometry.curves
    np.testing.assert_allclose(ys_after, ys_before, rtol=1e-9, atol=1e-9)


def test_hyperparameters_and_views_apply_between_steps(driver):
    driver.send(Start(1, 1, spec(data="two_blobs", model="logistic"), Viewport((-4, 4), (-4, 4)), 1),
                SetHyperparameters(lr=0.5, l2=0.01), SetView(2, Viewport((-2, 2), (-2, 2), resolution=32)), Step(1))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == 1 and m.geometry is not None)
    assert frame.lr == 0.5 and frame.l2 == 0.01
    assert frame.geometry.view_id == 2 and frame.geometry.probabilities.shape == (32, 32, 2)


def test_an_exception_stops_the_run_and_the_runner_keeps_serving(driver, monkeypatch):
    calls = {"n": 0}
    real_step = Trainer.step

    def failing_step(self):
        calls["n"] += 1
        if calls["n"] == 5:
            raise ZeroDivisionError("injected")
        return real_step(self)

    monkeypatch.setattr(Trainer, "step", failing_step)
    driver.send(Start(1, 1, spec(), Viewport(), 1), SetSpeed(None), Play(True))
    failure = driver.read(lambda m: isinstance(m, Failure))
    assert "ZeroDivisionError: injected" in failure.summary and "failing_step" in failure.details
    driver.send(Start(2, 2, spec(), Viewport(), 2), Step(3))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == 3)
    assert frame.run_id == 2


def test_paced_play_never_runs_ahead_of_the_pace(driver):
    # A slow machine may fall behind the pace, never ahead of it: at 40 steps/s, no frame counts more
    # than 40 steps per second since Play, plus the one due at the start.  The time is measured from
    # before the Play was sent (the pace starts when the runner applies it) to after the frame was
    # taken (the frame was made before), so a busy machine can only make the bound looser.
    sent = time.perf_counter()
    driver.send(Start(1, 1, spec(), Viewport(), 1), SetSpeed(40.0), Play(True))
    frames = []
    while not frames or frames[-1][1].snapshot.step < 10:
        driver.read(lambda m: isinstance(m, Frame))
        taken = time.perf_counter()
        frames += [(taken, m) for m in driver.messages[len(frames):]]
    for taken, frame in frames:
        assert frame.snapshot.step <= 40 * (taken - sent) + 1, (frame.snapshot.step, taken - sent)
    assert frames[-1][1].playing


@dataclass(frozen=True)
class ThetaProbe:
    """A view whose result is the parameters it was computed from (to check pairing with snapshots)."""

    name = "probe"

    def compute(self, problem, theta, l2):
        return theta.copy()


def test_extra_views_are_computed_from_the_parameters_of_their_frame(driver):
    driver.send(Start(1, 1, spec(), Viewport((-3, 3), (-5, 5)), view_id=1), SetExtraViews((ThetaProbe(),)), Step(5))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == 5 and m.extras is not None)
    problem = spec().prepare()
    np.testing.assert_array_equal(frame.extras["probe"], problem.model.pack(frame.snapshot.params))
    driver.send(SetExtraViews(()))
    frame = driver.read(lambda m: current(driver, m) and m.extras is not None)
    assert frame.extras == {}


@dataclass(frozen=True)
class BrokenView:
    """A view that always raises: the run stops once, and the runner does not retry it in a loop."""

    name = "broken"

    def compute(self, problem, theta, l2):
        raise RuntimeError("this view is broken")


def count_turns(driver) -> list[int]:
    """A counter of the turns of the runner's loop (each begins by looking for commands)."""
    turns = [0]
    receive_all = driver.runner._receive_all

    def counted():
        turns[0] += 1
        receive_all()

    driver.runner._receive_all = counted
    return turns


def wait_turns(turns: list[int], count: int, timeout: float = 10.0) -> None:
    """Wait until ``count`` more turns of the runner's loop have begun."""
    target, deadline = turns[0] + count, time.perf_counter() + timeout
    while turns[0] < target:
        assert time.perf_counter() < deadline, "the runner's loop stopped turning"
        time.sleep(0.005)


def test_a_persistent_error_is_reported_once_per_command_and_does_not_spin(driver):
    turns = count_turns(driver)
    driver.send(Start(1, 1, spec(), Viewport(), 1), SetExtraViews((BrokenView(),)), SetSpeed(None), Play(True))
    driver.read(lambda m: isinstance(m, Failure))
    # The turn that failed ends, and one whole turn more runs (the next begins): neither reports again.
    wait_turns(turns, 2)
    later = driver.mailbox.take()
    assert not later, f"the runner kept failing: {len(later)} more messages"
    driver.send(SetView(2, Viewport((-1, 1), (-1, 1))))
    failure = driver.read(lambda m: isinstance(m, Failure))
    assert "this view is broken" in failure.summary and failure.seq == driver.seq
    wait_turns(turns, 2)
    assert not driver.mailbox.take()


def test_after_a_failure_play_goes_on_from_the_step_it_stopped_at(driver, monkeypatch):
    calls = {"n": 0}
    real_step = Trainer.step

    def failing_step(self):
        calls["n"] += 1
        if calls["n"] == 20:
            raise RuntimeError("injected")
        return real_step(self)

    monkeypatch.setattr(Trainer, "step", failing_step)
    driver.send(Start(1, 1, spec(), Viewport(), 1), SetSpeed(None), Play(True))
    driver.read(lambda m: isinstance(m, Failure))
    stopped_at = driver.runner.trainer.step_count
    assert stopped_at == 19
    driver.send(Step(5))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == stopped_at + 5)
    assert frame.run_id == 1 and not frame.playing


def test_a_settings_error_is_an_expected_failure_without_a_traceback(driver):
    too_many = spec(data="two_blobs", model="logistic")
    broken = ProblemSpec(too_many.dataset, too_many.settings, np.ones(len(too_many.dataset), dtype=bool))
    driver.send(Start(1, 1, broken, Viewport(), 1), Play(True))
    failure = driver.read(lambda m: isinstance(m, Failure))
    assert failure.expected and failure.details == "" and failure.generation == 1


def test_an_expected_failure_keeps_the_message_the_window_translates(driver):
    """Its summary is the core's Message, whose template names the window's controls; str(exc) made a
    plain copy of the command line's text, so the window advised "--model softmax" instead of Model."""
    three = generate("blobs", 60, 0.5, seed=1, classes=3)
    settings = Settings(model="logistic", steps=10**15, test_fraction=0.0)
    driver.send(Start(1, 1, ProblemSpec(three, settings, np.zeros(len(three), dtype=bool)), Viewport(), 1), Play(True))
    failure = driver.read(lambda m: isinstance(m, Failure), timeout=5.0)
    assert failure.expected and failure.details == ""
    assert failure.summary == "logistic regression needs exactly 2 classes (found 3); use --model softmax for more"
    assert isinstance(failure.summary, Message)
    assert failure.summary.fields["advice"].template == "choose Softmax regression under Model for more"


class CountingEvent(threading.Event):
    """The gate's event, counting the waits that ended because their time was up (the gate stayed
    closed), each at least ``timeout`` long."""

    def __init__(self):
        super().__init__()
        self.timeouts = []

    def wait(self, timeout=None):
        opened = super().wait(timeout)
        if not opened:
            self.timeouts.append(timeout)
        return opened


def wait_for(condition, timeout: float = 10.0, message: str = "") -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        assert time.perf_counter() < deadline, message
        time.sleep(0.005)


def test_a_closed_gate_holds_the_trainer_back_between_steps(driver):
    event = CountingEvent()  # not set: the gate is closed
    driver.gate._open = event
    driver.send(Start(1, 1, spec(lr=0.001, tol=0), Viewport(), 1), SetSpeed(None), Play(True))
    # Each wait at the closed gate is bounded (Gate.MAX_WAIT), so it trains slowly ...
    wait_for(lambda: driver.runner.trainer is not None and driver.runner.trainer.step_count >= 5,
             message="a closed gate stopped the trainer")
    held = driver.runner.trainer.step_count
    waited = len(event.timeouts)
    # ... never freely: every step waited its full turn at the gate first.
    assert held <= waited, (held, waited)
    assert Gate.MAX_WAIT > 0 and set(event.timeouts) == {Gate.MAX_WAIT}
    driver.gate.open()
    opened_at = len(event.timeouts)
    wait_for(lambda: driver.runner.trainer.step_count > held + 100, message="an open gate held the trainer")
    # An open gate holds nothing back: no step waited out its time since it opened (but one whose
    # time was up as it opened).
    assert len(event.timeouts) <= opened_at + 1


def test_while_playing_every_frame_brings_a_fit_of_its_own(driver):
    """Frames fall on a grid, each up to a chunk late; a cheap geometry waited a whole frame from the
    late start of the last one, and so came with every other frame (16 of 30 a second)."""
    driver.send(Start(1, 1, spec(lr=1e-5), Viewport((-3, 3), (-5, 5)), view_id=1, playing=True))
    frames = []
    end = time.perf_counter() + 1.5
    while time.perf_counter() < end:
        driver.posted.wait(0.05)
        driver.posted.clear()
        frames += [m for m in driver.mailbox.take() if isinstance(m, Frame) and m.seq == driver.seq]
    steady = frames[3:]
    assert len(steady) >= 0.6 * 1.5 * FRAMES_PER_SECOND, len(frames)
    fresh = {id(f.geometry) for f in steady if f.geometry is not None}   # a merged frame keeps the older one
    assert len(fresh) >= 0.9 * len(steady), (len(fresh), len(steady))


def frames_for(driver, seconds: float) -> list:
    """The current command's frames posted in the next ``seconds``."""
    frames = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        driver.posted.wait(0.05)
        driver.posted.clear()
        frames += [m for m in driver.mailbox.take() if isinstance(m, Frame) and m.seq == driver.seq]
    return frames


def test_a_fit_the_window_leaves_as_drawn_comes_less_often_until_it_draws_one(driver):
    """While the window keeps leaving the fit as drawn, geometries come at most every
    STILL_GEOMETRY_SECONDS; once it draws one, with every frame again.  A command, and any other view
    open, want theirs at once."""
    driver.send(Start(1, 1, spec(lr=1e-5), Viewport((-3, 3), (-5, 5)), view_id=1, playing=True))
    frames_for(driver, 0.3)
    driver.runner.geometries_left = 6
    frames_for(driver, 0.3)   # the geometry planned before the window's word still comes
    still = frames_for(driver, 1.5)
    fresh = {id(f.geometry) for f in still if f.geometry is not None}
    assert len(still) >= 0.6 * 1.5 * FRAMES_PER_SECOND and len(fresh) <= 1.5 / STILL_GEOMETRY_SECONDS + 2, \
        (len(still), len(fresh))
    driver.send(SetView(2, Viewport((-2, 2), (-5, 5))))
    answer = driver.read(lambda m: current(driver, m))
    assert answer.geometry is not None and answer.geometry.view_id == 2
    driver.send(SetExtraViews((ThetaProbe(),)))
    steady = frames_for(driver, 1.0)[3:]
    assert len({id(f.geometry) for f in steady if f.geometry is not None}) >= 0.9 * len(steady)
    driver.send(SetExtraViews(()))
    driver.runner.geometries_left = 0
    steady = frames_for(driver, 1.0)[3:]
    assert len({id(f.geometry) for f in steady if f.geometry is not None}) >= 0.9 * len(steady)
    # A fit left still for an hour counts tens of thousands of geometries left in a row.
    driver.runner.geometries_left = 50_000
    still = frames_for(driver, 1.0)
    assert len(still) >= 0.6 * FRAMES_PER_SECOND and driver.runner.playing   # no failure stopped it


def test_the_runner_lets_go_of_the_interpreter_lock_after_each_frame_it_posts(driver, monkeypatch):
    """The window's thread wakes up to take a frame: it gets the lock at once, not at the next
    release interval."""
    posted_then_released = []
    post = driver.mailbox.post
    monkeypatch.setattr(driver.mailbox, "post", lambda message: (post(message), posted_then_released.append("post")))
    monkeypatch.setattr(driver.gate, "hand_over", lambda: posted_then_released.append("release"))
    monkeypatch.setattr(driver.gate, "RELEASE_SECONDS", float("inf"))   # no timed hand-over in between
    driver.send(Start(1, 1, spec(), Viewport((-3, 3), (-5, 5)), view_id=1), Step(3))
    driver.read(lambda m: current(driver, m) and m.snapshot.step == 3)
    deadline = time.perf_counter() + 5
    while posted_then_released[-1] != "release" and time.perf_counter() < deadline:
        time.sleep(0.001)
    after_posts = [posted_then_released[i + 1: i + 2] for i, event in enumerate(posted_then_released) if event == "post"]
    assert len(after_posts) >= 2 and all(after == ["release"] for after in after_posts), posted_then_released
    assert posted_then_released.count("release") == len(after_posts), posted_then_released


def test_frames_carry_the_problem_their_parameters_belong_to(driver):
    first = spec()
    driver.send(Start(1, 1, first, Viewport(), 1), Step(3))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == 3)
    assert frame.problem is driver.runner.trainer.problem
    assert frame.problem.dataset is first.dataset, "the data set is shared, not copied"


# --- the rewind timeline ---------------------------------------------------------------------------

def test_a_past_step_is_shown_with_its_own_parameters_change_and_metrics(driver):
    driver.send(Start(1, 1, spec(), Viewport((-3, 3), (-5, 5)), view_id=1), Step(50))
    live = driver.read(lambda m: current(driver, m) and m.snapshot.step == 50)
    timeline = live.timeline
    assert timeline is not None and timeline.steps().tolist() == list(range(51))
    driver.send(ShowStep(20))
    past = driver.read(lambda m: current(driver, m))
    assert past.shown == 20 and past.snapshot.step == 20 and not len(past.losses)
    kept = timeline.nearest(20)
    theta = np.concatenate([past.snapshot.params[name].ravel() for name in ("W", "b")])
    np.testing.assert_array_equal(theta, kept.theta)
    np.testing.assert_array_equal(past.snapshot.update, kept.theta - kept.previous)
    # The gradient shown is the one step 20 took: gd's update is −η times it.
    np.testing.assert_allclose(past.snapshot.update, -live.lr * past.snapshot.gradient, rtol=1e-12)
    problem = past.problem
    expected = problem.model.objective(kept.theta, problem.Xt_train, problem.y_train, 0.0)
    assert past.snapshot.metrics["train"]["objective"] == pytest.approx(expected, rel=1e-12)
    assert past.geometry is not None
    # The run itself did not move: back to the newest step, it is still step 50.
    driver.send(ShowStep(None))
    back = driver.read(lambda m: current(driver, m))
    assert back.shown is None and back.snapshot.step == 50


def test_continuing_from_a_past_step_trains_a_new_branch_from_its_parameters(driver):
    driver.send(Start(1, 1, spec(), Viewport((-3, 3), (-5, 5)), view_id=1), Step(40))
    live = driver.read(lambda m: current(driver, m) and m.snapshot.step == 40)
    old_theta_11 = live.timeline.nearest(11).theta
    driver.send(ShowStep(10), Step(1, from_step=10))
    branched = driver.read(lambda m: current(driver, m) and m.snapshot.step == 11)
    assert branched.shown is None
    assert branched.timeline.last_step == 11
    # Full-batch gd is deterministic: the new step 11 is the old step 11.
    np.testing.assert_array_equal(branched.timeline.nearest(11).theta, old_theta_11)
    # The losses of the new branch start at step 10, after the old run's 0…39.
    frames = [m for m in driver.messages if isinstance(m, Frame) and m.seq == driver.seq]
    assert frames[0].first_step == 10 and len(frames[0].losses) == 1


def test_an_open_gate_hands_the_interpreter_lock_over_every_release_interval_and_after_a_frame(monkeypatch):
    """CPython's forced switch let a window's thread wait 10–50 ms for the lock behind pure-Python
    steps; the trainer lets go of it itself (time.sleep(0)) whenever RELEASE_SECONDS have passed,
    and at once after posting a frame, which the window's thread wakes up to take."""
    from regstudio.core import runner as runner_module

    clock = [100.0]
    sleeps = []
    monkeypatch.setattr(runner_module.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(runner_module.time, "sleep", lambda seconds: sleeps.append((clock[0], seconds)))
    gate = Gate()
    steps = 10 * round(Gate.RELEASE_SECONDS / 1e-4)
    for _ in range(steps):            # steps of 0.1 ms: ten release intervals
        clock[0] += 1e-4
        gate.wait()
    assert [seconds for _, seconds in sleeps] == [0] * len(sleeps)
    assert 9 <= len(sleeps) <= 10
    assert all(b - a > Gate.RELEASE_SECONDS for (a, _), (b, _) in zip(sleeps, sleeps[1:]))

    sleeps.clear()
    gate.hand_over()
    clock[0] += Gate.RELEASE_SECONDS / 2
    gate.wait()
    assert sleeps == [(clock[0] - Gate.RELEASE_SECONDS / 2, 0)]   # the next release counts from the hand-over
