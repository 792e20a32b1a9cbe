"""The model file: a versioned, self-describing JSON document (README, "Model file format").

``model_document`` builds it from a trained run, ``write_json`` writes it atomically, and
``read_model`` validates a file and returns a :class:`TrainedModel` that predicts.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass

import numpy as np

from .atomic import read_document, write_text_atomic
from .data import Table
from .errors import DataError, ModelFileError, RegstudioError
from .messages import translate
from .features import FeaturePipeline
from .models import MODEL_KINDS, Model, build_model, has_hidden_layer, has_loss_choice, is_classifier
from .readable import ordinal_raw_units, threshold_names
from .training import UNBOUNDED_STEPS, Problem, Snapshot, evaluate

FORMAT = "regstudio-model"
VERSION = 1


def original_units(problem: Problem, theta: np.ndarray) -> dict | None:
    """Affine models: intercept and coefficients on the raw (unstandardised) features.

    One output (regression, logistic): ``{"intercept": b, "coefficients": {feature: w}}``, where
    for logistic the output is the log-odds of the second class.  Softmax: the same per class.
    Ordinal: ``{"thresholds": {"θ 1|2": θ_1, …}, "coefficients": {feature: w}}`` with
    P(y ≤ k) = σ(θ_k − w·x).
    """
    model = problem.model
    if model.has_hidden_layer:
        return None
    if model.kind == "ordinal":
        w, thresholds = ordinal_raw_units(problem, theta)
        return {"thresholds": dict(zip(threshold_names(problem.classes or ()), map(float, thresholds))),
                "coefficients": dict(zip(problem.pipeline.names, map(float, w)))}
    params = model.unpack(theta)
    W, b = problem.pipeline.to_raw_units(params["W"], params["b"])
    names = problem.pipeline.names

    def one(row, intercept):
        return {"intercept": float(intercept), "coefficients": dict(zip(names, map(float, row)))}

    if W.shape[0] == 1:
        return one(W[0], b[0])
    assert problem.classes is not None  # several outputs: one per class
    return {label: one(W[k], b[k]) for k, label in enumerate(problem.classes)}


def _non_finite_to_null(value, path: str, found: list[str]):
    """``value`` (nested dicts and lists) with every infinite or NaN float replaced by None; the
    dotted path of each replaced value is appended to ``found``."""
    if isinstance(value, dict):
        return {key: _non_finite_to_null(item, f"{path}.{key}", found) for key, item in value.items()}
    if isinstance(value, list):
        return [_non_finite_to_null(item, f"{path}[{i}]", found) for i, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        found.append(path)
        return None
    return value


def model_document(problem: Problem, final: Snapshot, lr: float, l2: float) -> dict:
    """The model file's content for a run on ``problem`` that ended in snapshot ``final``, trained with
    learning rate ``lr`` and penalty ``l2`` at the end (both may change during a run in the window).

    Metrics and original-units numbers that overflowed (a diverged run's last finite parameters can
    still have an infinite loss) are written as null and listed in ``training.notes``; parameters
    that are not finite cannot be exported and raise RegstudioError.
    """
    s = problem.settings
    data = problem.dataset
    model = problem.model
    architecture = {"outputs": model.n_outputs, "output_activation": model.head.activation}
    if model.has_hidden_layer:
        architecture.update(hidden=model.n_hidden, hidden_activation="sigmoid")
    theta = model.pack(final.params)
    if not np.isfinite(theta).all():
        raise RegstudioError(f"cannot export the parameters at step {final.step}: they are not finite numbers")
    with np.errstate(all="ignore"):
        metrics = final.metrics if final.metrics is not None else evaluate(problem, theta, l2)
        units = original_units(problem, theta)
    overflowed: list[str] = []
    metrics = _non_finite_to_null(metrics, "metrics", overflowed)
    units = _non_finite_to_null(units, "original_units", overflowed)
    notes = [f"{', '.join(overflowed)}: overflowed (infinite or not a number), written as null"] \
        if overflowed else []
    hyper = asdict(s)
    hyper["lr"] = lr
    hyper["l2"] = l2
    hyper["loss"] = model.head.name
    hyper["steps"] = None if s.steps >= UNBOUNDED_STEPS else s.steps
    return {
        "format": FORMAT,
        "version": VERSION,
        "model": s.model,
        "task": "classification" if problem.classes is not None else "regression",
        "inputs": list(data.x_names),
        "target": data.y_name,
        "group": data.group_name,
        "classes": None if problem.classes is None else list(problem.classes),
        "features": problem.pipeline.to_dict(),
        "architecture": architecture,
        "parameters": {name: np.asarray(value).tolist() for name, value in final.params.items()},
        "objective": {"loss": model.head.name, "l2": l2,
                      "reduction": "mean", "penalized": [n for n, _ in model.shapes if n.startswith("W")]},
        "hyperparameters": hyper,
        "training": {"steps": final.step, "epochs": final.epoch, "stop_reason": final.stop_reason,
                     "message": final.message,
                     "rows": {"train": int(len(problem.train_rows)), "test": int(len(problem.test_rows)),
                              "dropped": int(data.dropped)},
                     "notes": notes},
        "metrics": metrics,
        "original_units": units,
    }


def write_json(path: str | os.PathLike, document: dict) -> None:
    """Write ``document`` as JSON, atomically."""
    write_text_atomic(path, json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


@dataclass
class TrainedModel:
    """A model read back from a file: feature pipeline, model and parameters."""

    path: str
    kind: str
    inputs: tuple[str, ...]
    target: str
    group: str | None
    classes: tuple[str, ...] | None
    pipeline: FeaturePipeline
    model: Model
    theta: np.ndarray

    def __repr__(self) -> str:
        classes = f", classes={list(self.classes)}" if self.classes else ""
        return f"TrainedModel({self.kind}, inputs={list(self.inputs)}, target={self.target!r}{classes})"

    def predict(self, X: np.ndarray, groups=None) -> np.ndarray:
        """Regression: ŷ (N,).  Classification: probabilities (N, K) in ``classes`` order."""
        Xt = np.ascontiguousarray(self.pipeline.transform(X, groups).T)
        return self.model.predict(self.theta, Xt)

    def predict_table(self, table: Table) -> tuple[dict[str, list[str]], int, list[int]]:
        """Predictions for every row of ``table`` as CSV columns, how many rows lacked an input, and the
        rows (0-based) whose prediction overflowed float64.

        Columns: ``prediction`` (number or class label) and, for classifiers, ``p_<label>``.
        Rows with a missing input or an overflowed prediction get empty cells (an infinite or NaN
        probability would still pick a class); extra columns of the table are ignored.
        """
        for name in self.inputs + ((self.group,) if self.group else ()):
            if name not in table.columns:
                raise DataError(f"{table.path}: missing input column {name!r} that the model "
                                f"{os.path.basename(self.path)} needs")
        n = len(table)
        complete = np.ones(n, dtype=bool)
        inputs = []
        for name in self.inputs:
            values, missing = table.numeric_column(name)
            inputs.append(values)
            complete &= ~missing
        groups = None
        if self.group:
            groups, missing = table.label_column(self.group)
            complete &= ~missing
        X = np.column_stack(inputs)[complete]
        rows = np.flatnonzero(complete)
        try:
            with np.errstate(all="ignore"):  # overflowed rows are reported by the caller, not as numpy warnings
                output = self.predict(X, None if groups is None else groups[complete])
        except DataError as exc:
            raise DataError(f"{table.path}: {exc}") from None
        finite = np.isfinite(output) if output.ndim == 1 else np.isfinite(output).all(axis=1)
        overflowed = rows[~finite].tolist()
        rows, output = rows[finite], output[finite]
        columns = {"prediction": [""] * n}
        if self.classes is None:
            for r, value in zip(rows, output.tolist()):
                columns["prediction"][r] = repr(value)
            return columns, int(n - complete.sum()), overflowed
        labels = np.array(self.classes)[np.argmax(output, axis=1)]
        for r, label in zip(rows, labels.tolist()):
            columns["prediction"][r] = label
        for k, label in enumerate(self.classes):
            column = columns[f"p_{label}"] = [""] * n
            for r, value in zip(rows, output[:, k].tolist()):
                column[r] = repr(value)
        return columns, int(n - complete.sum()), overflowed


def _field(document: dict, dotted: str, path: str, kind=None):
    value = document
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            raise ModelFileError(f"{path}: missing field {dotted!r}")
        value = value[key]
    if kind is not None and not isinstance(value, kind):
        raise ModelFileError(f"{path}: field {dotted!r} has the wrong type ({type(value).__name__})")
    return value


def _invalid(path: str, dotted: str, requirement: str, value) -> ModelFileError:
    shown = json.dumps(value, ensure_ascii=False)
    if not shown.isprintable():  # a line separator (U+0085, U+2028) would split the one-line message
        shown = json.dumps(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return ModelFileError(f"{path}: field {dotted!r} must be {requirement} (got {shown})")


def _names(document, dotted, path, what: str) -> tuple[str, ...]:
    """A list of distinct strings: two inputs of one name would read one column twice, two classes of one
    name would write one ``p_`` column over the other."""
    values = _field(document, dotted, path)
    if not (isinstance(values, list) and all(isinstance(v, str) for v in values) and len(set(values)) == len(values)):
        raise _invalid(path, dotted, f"a list of distinct {what}", values)
    return tuple(values)


def _non_finite(document: dict) -> str | None:
    """The dotted path of the first infinite or NaN number in ``document`` (a file written by regstudio
    has none: overflowed metrics are written as null), or None. A loop, not recursion: JSON nested
    as deeply as the parser allows would exhaust Python's stack."""
    pending: list[tuple[str, object]] = list(document.items())[::-1]
    while pending:
        dotted, value = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return dotted
        if isinstance(value, dict):
            pending.extend((f"{dotted}.{key}", item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            pending.extend((f"{dotted}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return None


def _array(parameters: dict, name: str, shape: tuple[int, ...], path: str) -> np.ndarray:
    """``parameters[name]`` as an array of ``shape``, its entries numbers (not true/false, not text)."""
    def fits(value, shape) -> bool:
        if not shape:
            return type(value) in (int, float)
        return isinstance(value, list) and len(value) == shape[0] and all(fits(v, shape[1:]) for v in value)

    if name not in parameters:
        raise ModelFileError(f"{path}: missing field 'parameters.{name}'")
    value = parameters[name]
    if not fits(value, shape):
        wanted = " × ".join(map(str, shape))
        raise _invalid(path, f"parameters.{name}", f"numbers in the shape {wanted} (nested lists)", value)
    return np.array(value, dtype=np.float64).reshape(shape)


def _loss(document: dict, kind: str, path: str) -> str:
    loss = _field(document, "objective.loss", path)
    choices = ("ce", "mse") if has_loss_choice(kind) else ("ce",) if is_classifier(kind) else ("mse",)
    if loss not in choices:
        raise _invalid(path, "objective.loss", f"{' or '.join(map(repr, choices))} for the {kind} model", loss)
    return loss


def read_model(path: str | os.PathLike) -> TrainedModel:
    """Read and validate a model file; any problem raises ModelFileError naming file and field."""
    path = os.fspath(path)
    document = read_document(path, FORMAT, VERSION, translate("Files", "model"))
    overflowed = _non_finite(document)
    if overflowed:
        raise ModelFileError(f"{path}: field {overflowed!r} is not finite (infinite or not a number)")
    kind = _field(document, "model", path, str)
    if kind not in MODEL_KINDS:
        raise ModelFileError(f"{path}: field 'model' names an unknown model {kind!r}")
    task = "classification" if is_classifier(kind) else "regression"
    if _field(document, "task", path) != task:
        raise _invalid(path, "task", f"{task!r} for the {kind} model", document["task"])
    inputs = _names(document, "inputs", path, "column names")
    if not inputs:
        raise ModelFileError(f"{path}: field 'inputs' must name at least one column")
    target = _field(document, "target", path, str)
    group = _field(document, "group", path)
    if group is not None and not isinstance(group, str):
        raise ModelFileError(f"{path}: field 'group' must be a column name or null")
    classes = None
    if is_classifier(kind):
        classes = _names(document, "classes", path, "class labels")
        if len(classes) < 2:
            raise ModelFileError(f"{path}: field 'classes' must list at least two classes")
    elif _field(document, "classes", path) is not None:
        raise _invalid(path, "classes", f"null for the {kind} model", document["classes"])
    features = _field(document, "features", path, dict)
    try:
        pipeline = FeaturePipeline.from_dict(features)
    except (ValueError, RegstudioError) as exc:
        raise ModelFileError(f"{path}: field 'features' is invalid: {exc}") from None
    if pipeline.input_names != inputs:
        raise ModelFileError(f"{path}: field 'features.inputs' does not match 'inputs'")
    if pipeline.group_name != group:
        raise ModelFileError(f"{path}: field 'features.group' does not match 'group'")
    loss = _loss(document, kind, path)
    parameters = _field(document, "parameters", path, dict)
    hidden = _field(document, "architecture", path, dict).get("hidden", 2)
    if has_hidden_layer(kind):
        if type(hidden) is not int or hidden < 1:
            raise _invalid(path, "architecture.hidden", "a whole number ≥ 1", hidden)
        # The model's buffers are sized by it: a bogus count would run out of memory before the
        # parameters' shapes are compared.
        b1 = _field(document, "parameters.b1", path, list)
        if len(b1) != hidden:
            raise ModelFileError(f"{path}: field 'architecture.hidden' is {hidden} but 'parameters.b1' "
                                 f"lists {len(b1)} biases")
    try:
        model = build_model(kind, pipeline.n_features, 0 if classes is None else len(classes),
                            loss=loss if is_classifier(kind) else "ce", hidden=hidden)
    except RegstudioError as exc:
        raise ModelFileError(f"{path}: the model description is inconsistent ({exc})") from None
    theta = model.pack({name: _array(parameters, name, tuple(shape), path) for name, shape in model.shapes})
    if pipeline.std is not None and not (pipeline.std > 0).all():
        raise ModelFileError(f"{path}: field 'features.std' must be positive")
    return TrainedModel(path, kind, inputs, target, group, classes, pipeline, model, theta)
