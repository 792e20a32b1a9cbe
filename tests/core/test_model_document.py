"""What model_document writes: non-finite numbers, the step limit, the loss of regression models."""

import json
import re
import math

import numpy as np
import pytest

from regstudio.core.data import Dataset
from regstudio.core.errors import DataError, RegstudioError
from regstudio.core.generators import generate
from regstudio.core.modelfile import model_document, read_model, write_json
from regstudio.core.training import UNBOUNDED_STEPS, Settings, Trainer, prepare


def _written(tmp_path, trainer, snapshot):
    path = tmp_path / "m.json"
    write_json(path, model_document(trainer.problem, snapshot, trainer.lr, trainer.l2))
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_metrics_that_overflow_are_null_with_a_note_and_the_file_still_predicts(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(21, 1))
    y = 2.0 * X[:, 0] + 1.0
    X[20, 0] = 1e160  # one far-out test row: its prediction is finite, its squared error is not
    dataset = Dataset(X, y, None, ("x",), "y")
    test_mask = np.arange(21) == 20
    trainer = Trainer(prepare(dataset, Settings("linear", optimizer="exact"), test_mask=test_mask))
    final = list(trainer.run())[-1]
    assert math.isinf(final.metrics["test"]["mse"])
    path, document = _written(tmp_path, trainer, final)
    test = document["metrics"]["test"]
    assert test["mse"] is None and test["rmse"] is None and test["objective"] is None
    assert test["mae"] == pytest.approx(abs(final.metrics["test"]["mae"]), rel=1e-12)  # finite values stay
    assert all(value is not None for value in document["metrics"]["train"].values())
    (note,) = document["training"]["notes"]
    assert "metrics.test.mse" in note and "metrics.test.objective" in note and "null" in note
    assert "metrics.train" not in note
    np.testing.assert_allclose(read_model(path).predict(X[:20]), y[:20], rtol=1e-9)


def test_a_finite_run_has_no_notes(tmp_path):
    trainer = Trainer(prepare(generate("line", 30, 0.3, seed=0), Settings("linear", steps=50)))
    _, document = _written(tmp_path, trainer, list(trainer.run())[-1])
    assert document["training"]["notes"] == []


def test_original_units_that_overflow_are_null_with_a_note(tmp_path):
    x = np.linspace(5.0, 5.01, 30)  # std 0.003: W / std overflows
    trainer = Trainer(prepare(Dataset(x[:, None], x, None, ("x",), "y"), Settings("linear", steps=5)))
    list(trainer.run())
    largest = float(np.finfo(np.float64).max)
    trainer.model.unpack(trainer.theta)["W"][...] = largest
    _, document = _written(tmp_path, trainer, trainer.snapshot())
    assert document["original_units"] == {"intercept": None, "coefficients": {"x": None}}
    (note,) = document["training"]["notes"]
    assert "original_units.intercept" in note and "original_units.coefficients.x" in note
    assert document["parameters"]["W"] == [[largest]]


def test_parameters_that_are_not_finite_cannot_be_exported():
    trainer = Trainer(prepare(generate("line", 30, 0.3, seed=0), Settings("linear", steps=5)))
    list(trainer.run())
    trainer.theta[0] = np.inf
    with pytest.raises(RegstudioError, match="not finite") as error:
        model_document(trainer.problem, trainer.snapshot(), trainer.lr, trainer.l2)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("steps, recorded", [(40, 40), (UNBOUNDED_STEPS, None)])
def test_hyperparameters_record_the_step_limit_or_null_for_none(tmp_path, steps, recorded):
    trainer = Trainer(prepare(generate("line", 30, 0.3, seed=0), Settings("linear", steps=steps, tol=0.0)))
    list(trainer.run(max_steps=25))
    _, document = _written(tmp_path, trainer, trainer.snapshot())
    assert document["hyperparameters"]["steps"] == recorded
    assert document["training"]["steps"] == 25


@pytest.mark.parametrize("model, data, settings, loss", [
    ("linear", "line", {}, "mse"),
    ("ridge", "line", {"loss": "ce"}, "mse"),  # "ce" is the Settings default, meaningless for regression
    ("polynomial", "sine", {}, "mse"),
    ("logistic", "two_blobs", {"loss": "mse"}, "mse"),
    ("logistic", "two_blobs", {}, "ce"),
    ("softmax", "blobs", {}, "ce"),
])
def test_the_recorded_loss_is_the_one_trained(tmp_path, model, data, settings, loss):
    trainer = Trainer(prepare(generate(data, 30, 0.3, seed=0), Settings(model, steps=5, **settings)))
    _, document = _written(tmp_path, trainer, list(trainer.run())[-1])
    assert document["hyperparameters"]["loss"] == document["objective"]["loss"] == loss


@pytest.mark.parametrize("dtype, value", [("float64", 1e200), ("float32", 1e18)])
def test_targets_too_large_to_square_are_refused_naming_the_column(dtype, value):
    x = np.linspace(0.0, 1.0, 40)
    dataset = Dataset(x[:, None], value * (1 + x), None, ("x",), "price", source="prices.csv")
    with pytest.raises(DataError) as error:
        prepare(dataset, Settings("linear", optimizer="exact", dtype=dtype))
    message = str(error.value)
    assert message.startswith("prices.csv: column 'price': the targets are too large to square in " + dtype)
    assert "rescale the target column" in message


def test_targets_just_below_the_limit_train_with_finite_metrics():
    x = np.linspace(0.0, 1.0, 40)
    limit = math.sqrt(np.finfo(np.float64).max / (4 * 40))
    dataset = Dataset(x[:, None], 0.5 * limit * (x + 0.5), None, ("x",), "y")
    trainer = Trainer(prepare(dataset, Settings("linear", optimizer="exact")))
    metrics = list(trainer.run())[-1].metrics
    assert all(math.isfinite(v) for part in metrics.values() for v in part.values())


@pytest.mark.parametrize("X, settings, feature", [
    (np.array([[1e120], [2e120], [3e120]]), {"model": "polynomial", "degree": 3}, "x^3"),  # x³ overflows
    (np.array([[1e160], [-2e160], [3e160]]), {"model": "linear"}, "x"),  # the std overflows
    (np.array([[1e30], [2e30], [3e39]]), {"model": "linear", "dtype": "float32", "standardize": False}, "x"),
])
def test_features_that_overflow_are_refused_naming_the_feature(X, settings, feature):
    dataset = Dataset(X, np.arange(3.0), None, ("x",), "y")
    with pytest.raises(DataError, match=re.escape(f"feature '{feature}' overflows ")):
        prepare(dataset, Settings(test_fraction=0.0, **settings))
