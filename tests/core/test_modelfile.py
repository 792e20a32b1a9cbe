"""Model files: round trip, predictions from the file alone (the README's numpy), validation."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from regstudio.core.data import Dataset, load_csv
from regstudio.core.errors import ModelFileError
from regstudio.core.generators import generate
from regstudio.core.modelfile import model_document, read_model, write_json
from regstudio.core.training import Settings, Trainer, prepare

README = Path(__file__).resolve().parents[2] / "README.md"

RUNS = [
    ("line", {"model": "linear"}),
    ("cubic", {"model": "polynomial", "degree": 3}),
    ("hidden_factor", {"model": "ridge", "l2": 0.01, "degree": 2}),
    ("two_blobs", {"model": "logistic", "degree": 2}),
    ("blobs", {"model": "softmax", "l2": 0.001}),
    ("xor", {"model": "cascade", "hidden": 3}),
    ("blobs", {"model": "cascade", "hidden": 2}),
    ("star_ratings", {"model": "ordinal", "degree": 2}),
]


def _readme_predict():
    text = README.read_text(encoding="utf-8")
    code = re.search(r"<!-- model-format-example -->\s*```python\n(.*?)```", text, re.S).group(1)
    namespace = {}
    exec(compile(code, str(README), "exec"), namespace)
    return namespace["predict"]


def _document(trainer):
    return model_document(trainer.problem, list(trainer.run())[-1], trainer.lr, trainer.l2)


def _trained(data, settings, tmp_path):
    dataset = generate(data, 80, 0.4, seed=3)
    trainer = Trainer(prepare(dataset, Settings(steps=300, **settings)))
    final = list(trainer.run())[-1]
    path = tmp_path / "model.json"
    write_json(path, model_document(trainer.problem, final, trainer.lr, trainer.l2))
    return dataset, trainer, path


@pytest.mark.parametrize("data, settings", RUNS)
def test_file_predictions_equal_the_trainer_and_the_readme_numpy(data, settings, tmp_path):
    dataset, trainer, path = _trained(data, settings, tmp_path)
    expected = trainer.model.predict(trainer.theta, np.ascontiguousarray(
        trainer.problem.pipeline.transform(dataset.X, dataset.groups).T))

    restored = read_model(path)
    np.testing.assert_array_equal(restored.predict(dataset.X, dataset.groups), expected)
    np.testing.assert_allclose(_readme_predict()(path, dataset.X, dataset.groups), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("data, settings", [r for r in RUNS if r[1]["model"] not in ("cascade", "ordinal")])
def test_original_units_reproduce_the_model_on_raw_features(data, settings, tmp_path):
    dataset, trainer, path = _trained(data, settings, tmp_path)
    document = json.loads(path.read_text())
    units = document["original_units"]
    raw = trainer.problem.pipeline.raw_features(dataset.X, dataset.groups)
    names = document["features"]["names"]

    def logits(entry):
        return entry["intercept"] + raw @ np.array([entry["coefficients"][n] for n in names])

    Z = trainer.model.logits(trainer.theta, np.ascontiguousarray(
        trainer.problem.pipeline.transform(dataset.X, dataset.groups).T))
    if "intercept" in units:
        np.testing.assert_allclose(logits(units), Z[0], rtol=1e-8, atol=1e-8)
    else:
        for k, label in enumerate(document["classes"]):
            np.testing.assert_allclose(logits(units[label]), Z[k], rtol=1e-8, atol=1e-8)


def test_linear_coefficients_in_original_units_recover_the_generating_line(tmp_path):
    dataset = generate("line", 200, 0.0, seed=1)  # y = 2x + 1 exactly
    trainer = Trainer(prepare(dataset, Settings("linear", optimizer="exact")))
    write_json(tmp_path / "m.json", _document(trainer))
    units = json.loads((tmp_path / "m.json").read_text())["original_units"]
    assert units["coefficients"]["x"] == pytest.approx(2.0, abs=1e-12)
    assert units["intercept"] == pytest.approx(1.0, abs=1e-12)


def test_labels_keep_their_spelling_and_numeric_order(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    labels = np.where(X[:, 0] > 0, "10", np.where(X[:, 1] > 0, "9.0", "-1"))
    dataset = Dataset(X, labels, None, ("a", "b"), "cls")
    trainer = Trainer(prepare(dataset, Settings("softmax", steps=50)))
    write_json(tmp_path / "m.json", _document(trainer))
    assert read_model(tmp_path / "m.json").classes == ("-1", "9.0", "10")


def test_predict_table_names_a_missing_input_column(tmp_path):
    _, _, path = _trained("line", {"model": "linear"}, tmp_path)
    (tmp_path / "other.csv").write_text("z,y\n1,2\n")
    with pytest.raises(Exception, match="missing input column 'x'"):
        read_model(path).predict_table(load_csv(tmp_path / "other.csv"))


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(format="something-else"), "not a regstudio model file"),
    (lambda d: d.update(version=2), "version 2 is not supported"),
    (lambda d: d.pop("parameters"), "missing field 'parameters'"),
    (lambda d: d["parameters"].pop("b"), "parameters.b"),
    (lambda d: d["parameters"].update(W=[[1.0]]), "shape"),
    (lambda d: d["features"].update(std=[0.0, 0.0, 0.0]), "std"),
    (lambda d: d.update(model="tree"), "unknown model"),
    (lambda d: d.update(classes=["only"]), "at least two"),
])
def test_invalid_model_files_raise_one_clear_error(mutate, message, tmp_path):
    _, _, path = _trained("two_blobs", {"model": "logistic", "degree": 2}, tmp_path)
    document = json.loads(path.read_text())
    mutate(document)
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError, match=re.escape(message)) as error:
        read_model(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def _refused(path, document) -> str:
    """``document`` written to ``path`` and read: the one-line ModelFileError's text."""
    path.write_text(json.dumps(document) if isinstance(document, dict) else document)
    with pytest.raises(ModelFileError) as error:
        read_model(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def _duplicate_first_class(d):
    d["classes"][1] = d["classes"][0]


def _duplicate_first_input(d):
    d["inputs"][1] = d["features"]["inputs"][1] = d["inputs"][0]


def _setter(dotted, value):
    def mutate(d):
        *parents, last = dotted.split(".")
        for key in parents:
            d = d[key]
        d[last] = value
    return mutate


# Each file was accepted before: duplicate names gave wrong numbers or a lost p_ column, "no" was true.
STRICT = [
    ("blobs", {"model": "softmax"}, _duplicate_first_class, "field 'classes' must be a list of distinct class labels"),
    ("two_blobs", {"model": "logistic"}, _duplicate_first_input, "field 'inputs' must be a list of distinct column"),
    ("two_blobs", {"model": "logistic"}, _setter("features.standardize", "no"), "standardize must be true or false"),
    ("line", {"model": "linear"}, _setter("features.standardize", 1), "standardize must be true or false"),
    ("xor", {"model": "cascade", "hidden": 3}, _setter("architecture.hidden", "3"),
     "field 'architecture.hidden' must be a whole number ≥ 1 (got \"3\")"),
    ("xor", {"model": "cascade", "hidden": 3}, _setter("architecture.hidden", True), "field 'architecture.hidden'"),
    ("xor", {"model": "cascade", "hidden": 3}, _setter("architecture.hidden", 10**12),
     "field 'architecture.hidden' is 1000000000000 but 'parameters.b1' lists 3 biases"),
    ("line", {"model": "linear"}, _setter("parameters.W", [[True]]),
     "field 'parameters.W' must be numbers in the shape 1 × 1"),
    ("line", {"model": "linear"}, _setter("parameters.b", ["0.5"]), "field 'parameters.b' must be numbers"),
    ("line", {"model": "linear"}, _setter("features.mean", ["0.5"]), "mean must be null or list numbers"),
    ("line", {"model": "linear"}, _setter("features.degree", True), "degree must be a whole number"),
    ("cubic", {"model": "polynomial", "degree": 2}, _setter("features.monomials", [[True], [2]]), "monomials"),
    ("hidden_factor", {"model": "ridge"}, _setter("features.group.levels", ["a", "a", "b"]), "group must be null"),
    ("two_blobs", {"model": "logistic"}, _setter("task", "regression"), "field 'task' must be 'classification'"),
    ("line", {"model": "linear"}, _setter("classes", ["0", "1"]), "field 'classes' must be null for the linear model"),
    ("two_blobs", {"model": "logistic"}, _setter("objective.loss", "hinge"),
     "field 'objective.loss' must be 'ce' or 'mse'"),
    ("line", {"model": "linear"}, _setter("objective.loss", "ce"), "field 'objective.loss' must be 'mse'"),
    ("line", {"model": "linear"}, _setter("inputs", []), "field 'inputs' must name at least one column"),
]


@pytest.mark.parametrize("data, settings, mutate, needle", STRICT, ids=[s[3][:45] for s in STRICT])
def test_model_fields_of_the_wrong_type_or_with_duplicates_are_refused(data, settings, mutate, needle, tmp_path):
    _, _, path = _trained(data, settings, tmp_path)
    document = json.loads(path.read_text())
    mutate(document)
    assert needle in _refused(path, document)


HUGE = "1" + "0" * 400  # beyond the float range
LONG = "1" + "0" * 5000  # beyond Python's 4,300-digit limit for int(text)


@pytest.mark.parametrize("dotted, literal, field", [
    ("hyperparameters.lr", "1e400", "hyperparameters.lr"),
    ("hyperparameters.lr", HUGE, "hyperparameters.lr"),
    ("training.steps", LONG, "training.steps"),
    ("metrics.train.mse", "NaN", "metrics.train.mse"),
    ("parameters.b", f"[{HUGE}]", "parameters.b[0]"),
    ("parameters.W", f"[[{LONG}]]", "parameters.W[0][0]"),
    ("features.mean", "[-Infinity]", "features.mean[0]"),
])
def test_numbers_beyond_the_float_range_are_refused_naming_the_field(dotted, literal, field, tmp_path):
    _, _, path = _trained("line", {"model": "linear"}, tmp_path)
    document = json.loads(path.read_text())
    _setter(dotted, "@@")(document)
    message = _refused(path, json.dumps(document).replace('"@@"', literal))
    assert message == f"{path}: field {field!r} is not finite (infinite or not a number)"
