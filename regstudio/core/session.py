"""Editable point sets and session files (JSON, versioned, written atomically; never pickle).

A session holds one point set per task (the window shows the regression set for linear, polynomial
and ridge models, the classification set for the others), the run's settings, and the trained
parameters with their loss history, so reopening it shows the same picture.
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property

import numpy as np

from .atomic import read_document, write_text_atomic
from .data import Dataset, split_indices
from .errors import ModelFileError, SettingsError
from .messages import translate
from .history import LossHistory
from .models import MODEL_KINDS, is_classifier
from .optimizers import OPTIMIZERS
from .training import FEATURE_KINDS, INITIALISATIONS, UNBOUNDED_STEPS, Settings

SESSION_FORMAT = "regstudio-session"
SESSION_VERSION = 1
TASKS = ("regression", "classification")
DRAWN_COLUMNS = {"regression": (("x",), "y"), "classification": (("x1", "x2"), "label")}


def split_rng(seed: int) -> np.random.Generator:
    """The window's train/test split stream for a seed, apart from the generators' ``default_rng(seed)``
    (reusing that stream would make the split follow the data: the first 30 % of x values)."""
    return np.random.default_rng([seed, 0x5EED])


def _test_mask(n: int, test_fraction: float, rng: np.random.Generator) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[split_indices(n, test_fraction, rng)[1]] = True
    return mask


@dataclass(frozen=True)
class Points:
    """A data set as edited in the window: rows plus a fixed test flag per row.

    Every edit returns a new ``Points`` (cheap to keep for undo), so a test flag stays with its
    point however the others change.
    """

    data: Dataset
    test: np.ndarray
    # The set as it was made, opened or generated, before any edit by hand (None: this is it).
    origin: Points | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Points({self.data!r}, test={int(self.test.sum())}, edited={self.edited})"

    @cached_property
    def edited(self) -> bool:
        """Whether the rows differ from the set as it was made (an undone edit is no edit).  O(N) on
        equal lengths: computed once per Points (each edit makes a new one), not at each change the
        Data box shows."""
        origin = self.origin
        if origin is None:
            return False
        mine, theirs = self.data, origin.data
        if len(mine) != len(theirs) or not (np.array_equal(mine.X, theirs.X) and np.array_equal(mine.y, theirs.y)):
            return True
        if mine.groups is None or theirs.groups is None:
            return (mine.groups is None) != (theirs.groups is None)
        return not np.array_equal(mine.groups, theirs.groups)

    @classmethod
    def empty(cls, task: str) -> "Points":
        x_names, y_name = DRAWN_COLUMNS[task]
        y = np.empty(0, dtype=str if task == "classification" else np.float64)
        return cls(Dataset(np.empty((0, len(x_names))), y, None, x_names, y_name, source="drawn"),
                   np.zeros(0, dtype=bool))

    @classmethod
    def from_dataset(cls, data: Dataset, test_fraction: float, rng: np.random.Generator) -> "Points":
        """``data`` with round(N × ``test_fraction``) rows drawn at random for testing (at least one and
        not all when the fraction is above 0 and N ≥ 2: see :func:`~regstudio.core.data.split_indices`)."""
        return cls(data, _test_mask(len(data), test_fraction, rng))

    def _with(self, X, y, groups, test) -> "Points":
        d = self.data
        return Points(Dataset(np.ascontiguousarray(X), y, groups, d.x_names, d.y_name, d.group_name, 0, d.source),
                      test, self.origin if self.origin is not None else self)

    def add(self, x_row, y_value, test: bool = False, group=None) -> "Points":
        d = self.data
        groups = None if d.groups is None else np.append(d.groups, str(group))
        y = np.append(d.y, str(y_value) if d.y.dtype.kind == "U" else float(y_value))
        return self._with(np.vstack([d.X, np.asarray(x_row, dtype=np.float64)[None]]), y, groups,
                          np.append(self.test, bool(test)))

    def move(self, row: int, x_row, y_value=None) -> "Points":
        X = self.data.X.copy()
        X[row] = x_row
        y = self.data.y
        if y_value is not None:
            y = y.copy()
            y[row] = y_value
        return self._with(X, y, self.data.groups, self.test)

    def remove(self, row: int) -> "Points":
        d = self.data
        return self._with(np.delete(d.X, row, axis=0), np.delete(d.y, row),
                          None if d.groups is None else np.delete(d.groups, row), np.delete(self.test, row))

    def row(self, row: int) -> tuple[np.ndarray, object, bool, str | None]:
        """(inputs, target, test flag, group) of one row: what undoing its removal puts back."""
        d = self.data
        return (d.X[row].copy(), d.y[row].item(), bool(self.test[row]),
                None if d.groups is None else str(d.groups[row]))

    def insert(self, row: int, x_row, y_value, test: bool = False, group=None) -> "Points":
        d = self.data

        def spliced(values, value):
            # concatenate, not np.insert: inserting "10" into a <U1 array would truncate it to "1"
            return np.concatenate([values[:row], np.array([value]), values[row:]])

        groups = None if d.groups is None else spliced(d.groups, str(group))
        y = spliced(d.y, str(y_value) if d.y.dtype.kind == "U" else float(y_value))
        return self._with(np.insert(d.X, row, np.asarray(x_row, dtype=np.float64), axis=0), y, groups,
                          np.insert(self.test, row, bool(test)))

    def with_test(self, test: np.ndarray) -> "Points":
        return Points(self.data, np.asarray(test, dtype=bool), self.origin)

    def resplit(self, test_fraction: float, rng: np.random.Generator) -> "Points":
        return Points(self.data, _test_mask(len(self.data), test_fraction, rng))

    def to_dict(self) -> dict:
        d = self.data
        return {"x_names": list(d.x_names), "y_name": d.y_name, "group_name": d.group_name, "source": d.source,
                "X": d.X.T.tolist(), "y": d.y.tolist(), "groups": None if d.groups is None else d.groups.tolist(),
                "test": self.test.tolist()}

    @classmethod
    def from_dict(cls, entry: object, task: str) -> "Points":
        """Validate and rebuild a point set; raises ValueError naming what is wrong."""
        if not isinstance(entry, dict):
            raise ValueError("must be an object")
        x_names = entry.get("x_names")
        if not (isinstance(x_names, list) and x_names and all(isinstance(n, str) for n in x_names)
                and len(set(x_names)) == len(x_names)):
            raise ValueError("x_names must list distinct column names")
        _require(isinstance(entry.get("y_name"), str), "y_name must be a column name")
        group_name = entry.get("group_name")
        _require(group_name is None or isinstance(group_name, str), "group_name must be a column name or null")
        _require(isinstance(entry.get("source", ""), str), "source must be text")
        columns = entry.get("X")
        if not (isinstance(columns, list) and len(columns) == len(x_names)):
            raise ValueError("X must hold one list per input")
        _require(all(_numbers(column) for column in columns), "X must list numbers (not true/false or text)")
        _require(len({len(column) for column in columns}) == 1, "X, y, groups and test must have one entry per row")
        X = np.array(columns, dtype=np.float64).reshape(len(x_names), -1).T
        targets = entry.get("y")
        if task == "classification":
            if not (isinstance(targets, list) and all(type(v) in (str, int) for v in targets)):
                raise ValueError("y must list class labels")
            y = np.array([str(v) for v in targets], dtype=str)
        else:
            _require(_numbers(targets), "y must list numbers (not true/false or text)")
            y = np.array(targets, dtype=np.float64)
        groups = entry.get("groups")
        _require((groups is None) == (group_name is None),
                 "groups and group_name must be given together (a group column needs its labels)")
        if groups is not None:
            _require(isinstance(groups, list) and all(isinstance(g, str) for g in groups), "groups must list labels")
            groups = np.array(groups, dtype=str)
        test = entry.get("test")
        _require(isinstance(test, list) and all(isinstance(t, bool) for t in test), "test must list true/false")
        test = np.array(test, dtype=bool)
        n = X.shape[0]
        _require(y.shape == (n,) and test.shape == (n,) and (groups is None or groups.shape == (n,)),
                 "X, y, groups and test must have one entry per row")
        _require(bool(np.isfinite(X).all()), "X must list finite numbers")
        _require(task != "regression" or bool(np.isfinite(y).all()), "y must list finite numbers")
        return cls(Dataset(np.ascontiguousarray(X), y, groups, tuple(x_names), entry["y_name"], group_name, 0,
                           entry.get("source", "")), test)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _numbers(values) -> bool:
    """A list of JSON numbers: numpy would take true/false and numeric text as numbers too."""
    return isinstance(values, list) and set(map(type, values)) <= {int, float}


# What the window can show; a session asking for more is damaged, not half-applied.
SESSION_LIMITS = {"degree": (1, 15), "hidden": (1, 32), "seed": (0, 2**31 - 1), "lr": (1e-5, 100.0),
                  "l2": (0.0, 100.0), "batch_size": (1, 1_000_000), "test_fraction": (0.0, 0.9)}
MAX_CLASSES = 10
LEGACY_SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None)  # version 1's slider positions
MAX_STEPS_PER_SECOND = 1e7


@dataclass(frozen=True)
class SessionDisplay:
    """How the window showed the session: speed (None = full), loss plot scales, the inputs on the
    axes, whether the group column is in use, and the class a click adds."""

    steps_per_second: float | None = 20.0
    log_loss: bool = False
    log_steps: bool = False
    axes: tuple[int, int] = (0, 1)
    use_group: bool = False
    click_class: str | None = None

    def to_dict(self) -> dict:
        return {"steps_per_second": self.steps_per_second, "log_loss": self.log_loss, "log_steps": self.log_steps,
                "axes": list(self.axes), "use_group": self.use_group, "class": self.click_class}

    @classmethod
    def from_dict(cls, entry: dict) -> "SessionDisplay":
        _require(isinstance(entry, dict), "view must be an object")
        if "steps_per_second" in entry:
            speed = entry["steps_per_second"]
            _require(speed is None or (_is_number(speed) and 0 < speed <= MAX_STEPS_PER_SECOND),
                     f"view.steps_per_second must be null (full speed) or in (0, {MAX_STEPS_PER_SECOND:g}]")
        else:
            index = entry.get("speed", LEGACY_SPEEDS.index(20))
            _require(type(index) is int and 0 <= index < len(LEGACY_SPEEDS),
                     f"view.speed must be a whole number from 0 to {len(LEGACY_SPEEDS) - 1}")
            speed = LEGACY_SPEEDS[index]
        flags = {}
        for key in ("log_loss", "log_steps", "use_group"):
            flags[key] = entry.get(key, False)
            _require(isinstance(flags[key], bool), f"view.{key} must be true or false")
        axes = entry.get("axes", [0, 1])
        _require(isinstance(axes, list) and len(axes) == 2 and all(type(a) is int and a >= 0 for a in axes),
                 "view.axes must be two input numbers")
        click_class = entry.get("class")
        _require(click_class is None or isinstance(click_class, str), "view.class must be a class label or null")
        return cls(None if speed is None else float(speed), axes=(axes[0], axes[1]), click_class=click_class,
                   **flags)


def _is_number(value) -> bool:
    # abs() and a comparison, not math.isfinite: an integer beyond the float range overflows that
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= sys.float_info.max


@dataclass
class SessionState:
    """Everything a session file holds.  ``history`` is a :class:`~regstudio.core.history.LossHistory`
    in its ``to_dict`` form."""

    points: dict
    settings: Settings
    theta: list | None = None
    step: int = 0
    history: dict | None = None
    view: SessionDisplay = SessionDisplay()
    timeline: tuple = ()   # (step, θ list) pairs of the rewind timeline before ``step``, increasing

    def to_dict(self) -> dict:
        training = None if self.theta is None else {
            "theta": list(map(float, self.theta)), "step": int(self.step), "history": self.history,
            "timeline": [{"step": int(step), "theta": list(map(float, theta))} for step, theta in self.timeline]}
        return {"format": SESSION_FORMAT, "version": SESSION_VERSION,
                "points": {task: self.points[task].to_dict() for task in TASKS},
                "settings": asdict(self.settings), "training": training, "view": self.view.to_dict()}


TIMELINE_BYTES = 10**6        # of a session's JSON text for the rewind timeline
MAX_TIMELINE_STEPS = 512


def timeline_sample_size(n_params: int) -> int:
    """How many of the timeline's steps a session keeps: at most MAX_TIMELINE_STEPS and, at about 22
    characters a number in JSON, at most TIMELINE_BYTES (a 4,385-parameter cascade keeps 10)."""
    return max(2, min(MAX_TIMELINE_STEPS, TIMELINE_BYTES // (22 * max(1, n_params) + 24)))


def save_session(path: str | os.PathLike, state: SessionState) -> None:
    """Write the session as JSON, atomically (a failed write keeps the previous file)."""
    write_text_atomic(path, json.dumps(state.to_dict(), ensure_ascii=False, allow_nan=False) + "\n")


def _settings(entry) -> Settings:
    _require(isinstance(entry, dict), "settings must be an object")
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(entry) - set(known))
    _require(not unknown, f"settings has unknown field(s) {', '.join(unknown)}")
    _require(entry.get("model") in MODEL_KINDS,
             f"settings.model must be one of {', '.join(MODEL_KINDS)} (got {entry.get('model')!r})")
    for name, (low, high) in SESSION_LIMITS.items():
        value = entry.get(name)
        if value is None and name in ("degree", "l2", "lr", "batch_size"):
            continue
        whole = name in ("degree", "hidden", "seed", "batch_size")
        _require((type(value) is int if whole else _is_number(value)) and low <= value <= high,
                 f"settings.{name} must be {'a whole number' if whole else 'a number'} from {low:g} to {high:g} "
                 f"(got {value!r})")
    for name, choices in (("loss", ("ce", "mse")), ("optimizer", OPTIMIZERS), ("init", INITIALISATIONS),
                          ("dtype", ("float64", "float32")), ("features", FEATURE_KINDS)):
        _require(entry.get(name, known[name].default) in choices,
                 f"settings.{name} must be one of {', '.join(choices)}")
    steps, tol = entry.get("steps", known["steps"].default), entry.get("tol", known["tol"].default)
    _require(type(steps) is int and 1 <= steps <= UNBOUNDED_STEPS,
             f"settings.steps must be a whole number from 1 to {UNBOUNDED_STEPS:g} (got {steps!r})")
    _require(_is_number(tol) and tol >= 0, f"settings.tol must be a number ≥ 0 (got {tol!r})")
    _require(type(entry.get("standardize", True)) is bool, "settings.standardize must be true or false")
    if "references" in entry:
        references = entry["references"]
        _require(isinstance(references, list) and len(references) == 2
                 and all(isinstance(p, list) and len(p) == 2 and all(map(_is_number, p)) for p in references),
                 f"settings.references must be two points [[x1, y1], [x2, y2]] of finite numbers (got {references!r})")
        entry = {**entry, "references": tuple(tuple(float(v) for v in p) for p in references)}
    if "class_order" in entry:
        labels = entry["class_order"]
        _require(isinstance(labels, list) and all(isinstance(label, str) for label in labels)
                 and len(set(labels)) == len(labels),
                 f"settings.class_order must list distinct class labels (got {labels!r})")
        entry = {**entry, "class_order": tuple(labels)}
    settings = Settings(**entry)
    try:
        settings.resolved()
    except SettingsError as exc:
        raise ValueError(f"settings: {exc}") from None
    return settings


def _timeline(entry, step: int) -> tuple:
    _require(isinstance(entry, list), "training.timeline must be a list")
    _require(len(entry) <= MAX_TIMELINE_STEPS, f"training.timeline has more than {MAX_TIMELINE_STEPS} steps")
    pairs: list[tuple[int, list]] = []
    for i, kept in enumerate(entry):
        where = f"training.timeline[{i}]"
        _require(isinstance(kept, dict) and set(kept) == {"step", "theta"}, f"{where} must hold step and theta")
        kept_step, kept_theta = kept["step"], kept["theta"]
        _require(type(kept_step) is int and 0 <= kept_step < step and (not pairs or kept_step > pairs[-1][0]),
                 f"{where}.step must be a whole number, increasing, below training.step")
        # The length is the model's to check (as training.theta's): the training thread leaves out
        # steps of another size.  Within the file, every step has one.
        size = len(pairs[0][1]) if pairs else None
        _require(isinstance(kept_theta, list) and all(_is_number(v) for v in kept_theta)
                 and (size is None or len(kept_theta) == size),
                 f"{where}.theta must list finite numbers, as many as every other step's")
        pairs.append((kept_step, [float(v) for v in kept_theta]))
    return tuple(pairs)


def _training(entry) -> tuple[list | None, int, dict | None, tuple]:
    if entry is None:
        return None, 0, None, ()
    _require(isinstance(entry, dict), "training must be an object or null")
    theta, step = entry.get("theta"), entry.get("step")
    _require(isinstance(theta, list) and all(_is_number(v) for v in theta), "training.theta must list finite numbers")
    _require(type(step) is int and 0 <= step <= 10**15, "training.step must be a whole number ≥ 0")
    timeline = _timeline(entry.get("timeline", []), step)
    if "history" in entry:
        history = LossHistory.from_dict(entry["history"]) if entry["history"] is not None else LossHistory()
    else:
        losses = entry.get("losses") or []
        _require(isinstance(losses, list) and all(v is None or _is_number(v) for v in losses),
                 "training.losses must list numbers")
        history = LossHistory()
        values = np.array([math.nan if v is None else v for v in losses], dtype=np.float64)
        if len(values):
            history.extend(max(0, step - len(values)), values)
    return [float(v) for v in theta], step, history.to_dict(), timeline


def load_session(path: str | os.PathLike) -> SessionState:
    """Read and check every field of a session file; anything wrong raises ModelFileError naming the
    file and the field, so a session opens whole or not at all."""
    path = os.fspath(path)
    document = read_document(path, SESSION_FORMAT, SESSION_VERSION, translate("Files", "session"))
    try:
        points_entry = document.get("points")
        if not isinstance(points_entry, dict):
            raise ValueError("points must be an object")
        points = {}
        for task in TASKS:
            try:
                points[task] = Points.from_dict(points_entry.get(task), task)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"points.{task}: {exc}") from None
        classes = set(points["classification"].data.y.tolist())
        _require(len(classes) <= MAX_CLASSES, f"points.classification has more than {MAX_CLASSES} classes")
        settings = _settings(document.get("settings"))
        theta, step, history, timeline = _training(document.get("training"))
        view = SessionDisplay.from_dict(document.get("view", {}))
        task = "classification" if is_classifier(settings.model) else "regression"
        inputs = len(points[task].data.x_names)
        used = view.axes[:1] if task == "regression" else view.axes  # regression plots one input
        _require(all(a < inputs for a in used), f"view.axes must be input numbers below {inputs}")
        # The unused axis is kept for the other task (whose inputs the window fits it to), so it may
        # name an input of either point set, but no more.
        most = max(2, *(len(p.data.x_names) for p in points.values()))
        _require(all(a < most for a in view.axes), f"view.axes must be input numbers below {most}")
        _require(not view.use_group or points[task].data.group_name is not None,
                 "view.use_group is true but the points have no group column")
    except (ValueError, TypeError) as exc:
        raise ModelFileError(translate("Files", "{file}: the session file is damaged: {reason}").format(
            file=path, reason=str(exc))) from None
    return SessionState(points, settings, theta, step, history, view, timeline)
