"""Precision at the extremes: σ for large |z|, and cross-entropy metrics of confidently wrong models."""

from decimal import Decimal, localcontext

import numpy as np
import pytest

from regstudio.core.generators import generate
from regstudio.core.models import _sigmoid
from regstudio.core.training import Settings, Trainer, prepare


def _reference_sigmoid(z: float) -> float:
    with localcontext() as context:
        context.prec = 60
        return float(1 / (1 + (-Decimal(z)).exp()))


def test_sigmoid_is_accurate_in_relative_terms_for_every_sign_and_size():
    z = np.concatenate([np.linspace(-700.0, 700.0, 2801), [-40.0, -1e-17, 0.0, 1e-17, 36.7]])
    expected = np.array([_reference_sigmoid(v) for v in z])
    np.testing.assert_allclose(_sigmoid(z.copy()), expected, rtol=4 * np.finfo(float).eps, atol=0)
    assert _sigmoid(np.array([-40.0]))[0] == pytest.approx(4.248354255291589e-18, rel=1e-15, abs=0)


def test_sigmoid_keeps_its_limits_and_nan():
    z = np.array([-np.inf, -1000.0, -0.0, np.inf, 1000.0, np.nan])
    np.testing.assert_array_equal(_sigmoid(z), [0.0, 0.0, 0.5, 1.0, 1.0, np.nan])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_of_single_and_double_precision_logits(dtype):
    z = np.linspace(-80.0, 80.0, 161).astype(dtype)
    expected = np.array([_reference_sigmoid(float(v)) for v in z])
    result = _sigmoid(z.copy())
    assert result.dtype == np.dtype(dtype)
    np.testing.assert_allclose(result, expected, rtol=8 * np.finfo(dtype).eps, atol=0)


def test_binary_class_probabilities_keep_the_small_one():
    trainer = Trainer(prepare(generate("two_blobs", 40, 0.5, seed=1), Settings("logistic", test_fraction=0.0)))
    params = trainer.model.unpack(trainer.theta)
    params["b"][0] = 40.0
    P = trainer.model.predict(trainer.theta, np.zeros((trainer.model.n_features, 1)))
    assert P[0, 0] == pytest.approx(_reference_sigmoid(-40.0), rel=1e-15, abs=0)
    assert P[0, 1] == 1.0


def _confidently_wrong(model, data, **settings):
    """A trainer whose parameters, after a short fit, are flipped and scaled: every logit ~ ±1000, wrong."""
    trainer = Trainer(prepare(generate(data, 60, 0.3, seed=2), Settings(model, test_fraction=0.25, steps=200,
                                                                         **settings)))
    list(trainer.run())
    params = trainer.model.unpack(trainer.theta)
    last = ("W2", "b2") if "W2" in params else ("W", "b")
    for name in last:
        params[name] *= -1000.0 / np.abs(params[last[0]]).max()
    return trainer


@pytest.mark.parametrize("model, data, settings", [
    ("logistic", "two_blobs", {}),
    ("logistic", "two_blobs", {"loss": "mse"}),
    ("softmax", "blobs", {}),
    ("cascade", "xor", {"lr": 1.0}),
    ("cascade", "blobs", {}),
])
def test_cross_entropy_metric_equals_the_objective_of_a_confidently_wrong_model(model, data, settings):
    trainer = _confidently_wrong(model, data, **settings)
    metrics = trainer.evaluate()
    p = trainer.problem
    for part, Xt, y in (("train", p.Xt_train, p.y_train), ("test", p.Xt_test, p.y_test)):
        cross_entropy = metrics[part]["cross_entropy"]
        assert cross_entropy > 100  # far beyond the ln(1e-300) = 690.8 / N of a clipped probability
        Z = trainer.model.logits(trainer.theta, Xt).astype(np.float64)
        if Z.shape[0] == 1:  # mean(softplus(z) − y·z), written out
            z = Z[0]
            expected = np.mean(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z)
        else:
            shifted = Z - Z.max(axis=0)
            expected = np.mean(np.log(np.exp(shifted).sum(axis=0)) - shifted[y, np.arange(len(y))])
        assert cross_entropy == pytest.approx(expected, rel=1e-12)
        if settings.get("loss") != "mse":
            assert cross_entropy == pytest.approx(metrics[part]["objective"], rel=1e-12)  # l2 = 0
