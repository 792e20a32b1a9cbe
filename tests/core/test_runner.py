"""The training runner's protocol, driven over a real pipe with the runner on a thread of this process."""

from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

from regstudio.core import runner as runner_module
from regstudio.core.generators import generate
from regstudio.core.runner import (Ack, Failure, Frame, Play, ProblemSpec, Quit, Replace, Runner, SetExtraViews,
                                   SetHyperparameters, SetSpeed, SetView, Start, Step)
from regstudio.core.training import STOP_CONVERGED, Settings, Trainer
from regstudio.core.views import View


def spec(data="line", n=40, model="linear", **settings):
    dataset = generate(data, n, 0.5, seed=1)
    settings = Settings(model=model, steps=10**15, test_fraction=0.0, **settings)
    return ProblemSpec(dataset, settings, np.zeros(n, dtype=bool))


class Driver:
    """The window's side of the pipe: numbered commands out, frames in (each acknowledged)."""

    def __init__(self):
        self.connection, theirs = multiprocessing.Pipe(duplex=True)
        self.runner = Runner(theirs)
        self.thread = threading.Thread(target=self.runner.serve, daemon=True)
        self.thread.start()
        self.seq = 0
        self.messages = []

    def send(self, *commands):
        for command in commands:
            self.seq += 1
            self.connection.send((self.seq, command))

    def read(self, until, timeout=10.0, ack=True):
        """Messages until ``until(message)`` holds for one; returns that one."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.connection.poll(0.05):
                message = self.connection.recv()
                self.messages.append(message)
                if isinstance(message, Frame) and ack:
                    self.connection.send((0, Ack()))
                if until(message):
                    return message
        seen = [(type(m).__name__, getattr(m, "seq", None), getattr(m, "snapshot", None)) for m in self.messages[-4:]]
        raise AssertionError(f"no such message in {timeout} s; last: {seen}")

    def close(self):
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
    driver.send(Start(1, 1, spec(), View((-3, 3), (-5, 5)), view_id=1), Step(3))
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


def test_playing_to_convergence_ends_playing_with_the_stop_in_the_last_frame(driver):
    driver.send(Start(1, 1, spec(optimizer="exact"), View(), 1), SetSpeed(None), Play(True))
    frame = driver.read(lambda m: isinstance(m, Frame) and m.snapshot.stop_reason is not None)
    assert frame.snapshot.stop_reason == STOP_CONVERGED and not frame.playing


def test_a_stop_is_never_lost_when_frames_merge(driver):
    # Nothing is acknowledged: after two frames the rest merge into one pending frame.  The run
    # converges after ~20,000 small steps, long after the second frame.
    driver.send(Start(1, 1, spec(lr=0.0005, tol=1e-9), View(), 1), SetSpeed(None), Play(True))
    driver.read(lambda m: isinstance(m, Frame), ack=False)
    driver.read(lambda m: isinstance(m, Frame), ack=False)
    time.sleep(0.5)
    assert not driver.connection.poll(0.2), "more than two frames in flight"
    driver.connection.send((0, Ack()))
    driver.connection.send((0, Ack()))
    last = driver.read(lambda m: isinstance(m, Frame) and m.snapshot.stop_reason is not None)
    assert last.snapshot.stop_reason == STOP_CONVERGED and not last.playing
    frames = [m for m in driver.messages if isinstance(m, Frame)]
    steps = np.concatenate([np.arange(f.first_step, f.first_step + len(f.losses)) for f in frames])
    assert steps.tolist() == list(range(last.snapshot.step))


def test_replace_carries_the_parameters_and_names_the_new_generation(driver):
    first = spec()
    driver.send(Start(1, 1, first, View((-3, 3), (-5, 5)), 1), Step(50))
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
    driver.send(Start(1, 1, spec(data="two_blobs", model="logistic"), View((-4, 4), (-4, 4)), 1),
                SetHyperparameters(lr=0.5, l2=0.01), SetView(2, View((-2, 2), (-2, 2), resolution=32)), Step(1))
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
    driver.send(Start(1, 1, spec(), View(), 1), SetSpeed(None), Play(True))
    failure = driver.read(lambda m: isinstance(m, Failure))
    assert "ZeroDivisionError: injected" in failure.summary and "failing_step" in failure.details
    driver.send(Start(2, 2, spec(), View(), 2), Step(3))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == 3)
    assert frame.run_id == 2


def test_paced_play_keeps_to_the_pace(driver):
    driver.send(Start(1, 1, spec(), View(), 1), SetSpeed(40.0), Play(True))
    driver.read(lambda m: isinstance(m, Frame) and m.snapshot.step >= 1)
    started = time.perf_counter()
    frame = driver.read(lambda m: isinstance(m, Frame) and m.snapshot.step >= 21)
    elapsed = time.perf_counter() - started
    assert frame.playing
    assert 0.35 < elapsed < 1.5  # 20 steps at 40 steps/s: half a second


def test_the_entry_point_is_importable_by_name():
    assert runner_module.serve.__module__ == "regstudio.core.runner"


@dataclass(frozen=True)
class ThetaProbe:
    """A view whose result is the parameters it was computed from (to check pairing with snapshots)."""

    name = "probe"

    def compute(self, problem, theta, l2):
        return theta.copy()


def test_extra_views_are_computed_from_the_parameters_of_their_frame(driver):
    driver.send(Start(1, 1, spec(), View((-3, 3), (-5, 5)), view_id=1), SetExtraViews((ThetaProbe(),)), Step(5))
    frame = driver.read(lambda m: current(driver, m) and m.snapshot.step == 5 and m.extras is not None)
    problem = spec().prepare()
    np.testing.assert_array_equal(frame.extras["probe"], problem.model.pack(frame.snapshot.params))
    driver.send(SetExtraViews(()))
    frame = driver.read(lambda m: current(driver, m) and m.extras is not None)
    assert frame.extras == {}
