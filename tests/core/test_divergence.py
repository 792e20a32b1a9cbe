"""Divergence: a growing loss stops gd, sgd and momentum early; healthy runs never stop for it."""

import re

import numpy as np
import pytest

from regstudio.core.errors import SettingsError
from regstudio.core.generators import generate
from regstudio.core.training import Settings, Trainer, prepare

GROWTH = re.compile(r"diverged at step (\d+): the (loss|mean batch loss of an epoch) grew to ([\d.e+]+)× its first "
                    r"(value|epoch's) \(([\d.e+-]+) → ([\d.e+-]+)\); lower the learning rate \(now ([\d.e+-]+)\)$")


def _run(data, settings, n=100, noise=0.3, seed=0):
    trainer = Trainer(prepare(generate(data, n, noise, seed=seed), Settings(**settings)))
    snapshots = list(trainer.run())
    return trainer, np.concatenate([s.losses for s in snapshots])


def test_a_diverging_learning_rate_stops_within_a_few_steps_with_finite_parameters():
    trainer, losses = _run("line", {"model": "linear", "lr": 1.78, "steps": 10_000, "tol": 0.0, "test_fraction": 0.0},
                           n=20, noise=1.0)
    assert trainer.stop_reason == "diverged"
    match = GROWTH.match(trainer.message)
    assert match, trainer.message
    assert int(match[1]) == trainer.step_count + 1 <= 30
    assert match[7] == "1.78"
    assert float(match[5]) == pytest.approx(losses[0], rel=5e-3)
    # θ is where the stopping loss was measured: finite, and that loss is past 10 × the first one
    p = trainer.problem
    stopping_loss = trainer.model.objective(trainer.theta, p.Xt_train, p.y_train, 0.0)
    assert np.isfinite(trainer.theta).all()
    assert stopping_loss > 10 * losses[0] and float(match[6]) == pytest.approx(stopping_loss, rel=5e-3)
    assert len(losses) == trainer.step_count and (losses <= 10 * losses[0]).all()


def test_a_slow_divergence_stops_long_before_the_loss_overflows():
    # degree 15 at the default learning rate: gd overflows only after ~970 steps
    trainer, _ = _run("sine", {"model": "polynomial", "degree": 15, "steps": 5000, "tol": 0.0}, n=15, seed=0)
    assert trainer.stop_reason == "diverged" and "grew to" in trainer.message
    assert trainer.step_count < 50


def test_mini_batches_stop_on_the_mean_loss_of_an_epoch():
    trainer, losses = _run("line", {"model": "linear", "optimizer": "sgd", "batch_size": 8, "lr": 1.2,
                                    "steps": 20_000, "tol": 0.0}, n=40, noise=0.5)
    match = GROWTH.match(trainer.message)
    assert match and match[2] == "mean batch loss of an epoch", trainer.message
    batches_per_epoch = 4  # 32 training rows in batches of 8
    stopping_step = int(match[1])
    assert stopping_step % batches_per_epoch == 0 and stopping_step < 40  # checked at an epoch's last batch
    assert float(match[5]) == pytest.approx(losses[:batches_per_epoch].mean(), rel=5e-3)


MODELS = [("linear", "line", {}), ("polynomial", "sine", {"degree": 9}), ("ridge", "cubic", {}),
          ("logistic", "two_blobs", {}), ("softmax", "blobs", {}), ("cascade", "xor", {})]


@pytest.mark.parametrize("optimizer", ["gd", "sgd", "momentum", "adagrad", "adam"])
@pytest.mark.parametrize("model, data, extra", MODELS)
def test_healthy_runs_of_5000_steps_never_stop_for_divergence(model, data, extra, optimizer):
    trainer, losses = _run(data, {"model": model, "optimizer": optimizer, "steps": 5000, "tol": 0.0, **extra},
                           n=60, seed=1)
    assert trainer.stop_reason == "max steps", trainer.message
    assert losses[-1] < losses[0]


def test_adagrads_early_overshoot_is_not_divergence():
    trainer, losses = _run("sine", {"model": "polynomial", "degree": 9, "optimizer": "adagrad", "steps": 3000,
                                    "tol": 0.0}, n=15, seed=2)
    assert losses.max() > 10 * losses[0]  # its steps are bounded by lr, so this cannot run away
    assert trainer.stop_reason == "max steps" and losses[-1] < 0.1 * losses[0]


def test_momentums_oscillation_at_a_high_stable_rate_is_not_divergence():
    trainer, losses = _run("line", {"model": "linear", "optimizer": "momentum", "lr": 1.5, "steps": 3000,
                                    "tol": 0.0})
    best_so_far = np.minimum.accumulate(losses)
    assert (losses > 10 * best_so_far).any() and (losses > losses[0]).any()  # the loss climbs back up …
    assert trainer.stop_reason == "max steps" and losses[-1] < 0.01 * losses[0]  # … and still converges


def test_a_larger_l2_mid_run_restarts_the_reference_loss():
    trainer, losses = _run("line", {"model": "ridge", "l2": 0.0, "steps": 500, "tol": 0.0})
    trainer.lr, trainer.l2 = 0.004, 100.0  # J jumps to ≈ 100‖w‖², far past 10 × the first loss
    p = trainer.problem
    assert trainer.model.objective(trainer.theta, p.Xt_train, p.y_train, 100.0) > 10 * losses[0]
    list(trainer.run(max_steps=1000))
    assert trainer.stop_reason == "max steps", trainer.message
    with pytest.raises(SettingsError, match="L2"):
        trainer.l2 = -1.0


def test_edited_data_restarts_the_reference_loss():
    trainer, losses = _run("line", {"model": "linear", "steps": 300, "tol": 0.0})
    far = generate("line", 100, 0.3, seed=0)
    far = type(far)(far.X, far.y + 100.0, None, far.x_names, far.y_name)  # every target 100 higher
    edited = prepare(far, trainer.problem.settings)
    trainer.replace_problem(edited, trainer.theta)
    list(trainer.run(max_steps=600))
    assert trainer.stop_reason == "max steps", trainer.message
