"""Every lesson's caption is true: each is trained headless exactly as the window trains it."""

from __future__ import annotations

import numpy as np
import pytest

from regstudio.core.lessons import LESSONS, lesson
from regstudio.core.training import STOP_CONVERGED, STOP_DIVERGED, Trainer, evaluate


def train(spec, steps):
    trainer = Trainer(spec.prepare())
    losses = []
    for snapshot in trainer.run(max_steps=steps):
        losses.extend(snapshot.losses)
    return trainer, np.array(losses)


def test_every_lesson_has_a_unique_action_and_loads_data_the_model_can_train_on():
    names = [item.action_name for item in LESSONS]
    assert len(set(names)) == len(names)
    for item in LESSONS:
        spec = item.spec()
        problem = spec.prepare()
        assert problem.n_train > 0
        assert len(item.caption) < 600


def test_slope_gradient_descent_settles_on_the_slope_formula_in_about_twenty_steps():
    item = lesson("Slope")
    trainer, _ = train(item.spec(), item.claim_steps)
    assert trainer.stop_reason == STOP_CONVERGED and trainer.step_count <= 25
    data = item.points().data
    m, c = np.polyfit(data.X[:, 0], data.y, 1)
    W, b = trainer.problem.pipeline.to_raw_units(*trainer.model.unpack(trainer.theta).values())
    assert W[0, 0] == pytest.approx(m, rel=1e-4) and b[0] == pytest.approx(c, rel=1e-4, abs=1e-4)


def test_learning_rate_too_small_is_far_from_the_bottom_just_right_converges_too_large_diverges():
    item = lesson("LearningRate")
    small, right = item.pins
    slow, slow_losses = train(item.spec(**small), item.pin_steps)
    good, good_losses = train(item.spec(**right), item.pin_steps)
    assert good.stop_reason == STOP_CONVERGED and good.step_count <= 25
    assert slow_losses[-1] > 2 * good_losses[-1]
    fast, fast_losses = train(item.spec(), item.claim_steps)
    assert fast.stop_reason == STOP_DIVERGED
    # the overshoot: the slope w changes sign at every step (a zig-zag across the valley) while
    # its distance from the optimum grows
    ws, trainer = [], Trainer(item.spec().prepare())
    for _ in range(8):
        trainer.step()
        ws.append(trainer.theta.copy())
    optimum = good.theta
    distances = [np.linalg.norm(w - optimum) for w in ws]
    assert all(b > a for a, b in zip(distances, distances[1:]))
    signs = np.sign([w[0] - optimum[0] for w in ws])
    assert all(signs[1:] != signs[:-1])


def test_hidden_factors_one_line_per_species_cuts_the_test_error_more_than_ten_times():
    item = lesson("HiddenFactors")
    grouped, _ = train(item.spec(), item.claim_steps)
    shared, _ = train(item.spec(use_group=False), item.claim_steps)
    with_groups = evaluate(grouped.problem, grouped.theta, 0.0)["test"]["mse"]
    without = evaluate(shared.problem, shared.theta, 0.0)["test"]["mse"]
    assert with_groups * 10 < without


@pytest.mark.parametrize("key", ["Logistic", "Softmax"])
def test_classifiers_put_every_training_point_on_its_own_side(key):
    item = lesson(key)
    trainer, _ = train(item.spec(), item.claim_steps)
    assert trainer.evaluate()["train"]["accuracy"] == 1.0


def test_xor_one_line_is_no_better_than_guessing_and_the_distance_features_separate_it():
    item = lesson("Xor")
    raw, _ = train(item.spec(), item.claim_steps)
    metrics = raw.evaluate()["train"]
    assert metrics["cross_entropy"] > 0.95 * np.log(2) and metrics["accuracy"] <= 0.8
    (changes,) = item.pins
    distances, _ = train(item.spec(**changes), item.pin_steps)
    assert distances.evaluate()["train"]["accuracy"] >= 0.95
    squares, _ = train(item.spec(degree=2), item.claim_steps)
    assert squares.evaluate()["train"]["accuracy"] >= 0.95


def test_cascade_reaches_full_accuracy_on_xor_within_the_claimed_steps():
    item = lesson("Cascade")
    trainer, _ = train(item.spec(), item.claim_steps)
    assert trainer.evaluate()["train"]["accuracy"] >= 0.99
