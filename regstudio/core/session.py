"""Editable point sets and session files (JSON, versioned, written atomically; never pickle).

A session holds one point set per task (the window shows the regression set for linear, polynomial
and ridge models, the classification set for the others), the run's settings, and the trained
parameters with their loss history, so reopening it shows the same picture.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, fields

import numpy as np

from .atomic import read_document, write_text_atomic
from .data import Dataset, split_indices
from .errors import ModelFileError
from .training import Settings

SESSION_FORMAT = "regstudio-session"
SESSION_VERSION = 1
TASKS = ("regression", "classification")
DRAWN_COLUMNS = {"regression": (("x",), "y"), "classification": (("x1", "x2"), "label")}


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

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Points({self.data!r}, test={int(self.test.sum())})"

    @classmethod
    def empty(cls, task: str) -> "Points":
        x_names, y_name = DRAWN_COLUMNS[task]
        y = np.empty(0, dtype=str if task == "classification" else np.float64)
        return cls(Dataset(np.empty((0, len(x_names))), y, None, x_names, y_name, source="drawn"),
                   np.zeros(0, dtype=bool))

    @classmethod
    def from_dataset(cls, data: Dataset, test_fraction: float, rng: np.random.Generator) -> "Points":
        """``data`` with round(N × ``test_fraction``) rows drawn at random for testing."""
        return cls(data, _test_mask(len(data), test_fraction, rng))

    def _with(self, X, y, groups, test) -> "Points":
        d = self.data
        return Points(Dataset(np.ascontiguousarray(X), y, groups, d.x_names, d.y_name, d.group_name, 0, d.source),
                      test)

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

    def resplit(self, test_fraction: float, rng: np.random.Generator) -> "Points":
        return Points(self.data, _test_mask(len(self.data), test_fraction, rng))

    def to_dict(self) -> dict:
        d = self.data
        return {"x_names": list(d.x_names), "y_name": d.y_name, "group_name": d.group_name, "source": d.source,
                "X": d.X.T.tolist(), "y": d.y.tolist(), "groups": None if d.groups is None else d.groups.tolist(),
                "test": self.test.tolist()}

    @classmethod
    def from_dict(cls, entry: dict, task: str) -> "Points":
        x_names = tuple(entry["x_names"])
        columns = entry["X"]
        if len(columns) != len(x_names):
            raise ValueError("X must hold one list per input")
        X = np.array(columns, dtype=np.float64).reshape(len(x_names), -1).T
        if task == "classification":
            y = np.array([str(v) for v in entry["y"]], dtype=str)
        else:
            y = np.array(entry["y"], dtype=np.float64)
        groups = None if entry.get("groups") is None else np.array([str(g) for g in entry["groups"]], dtype=str)
        test = np.array(entry["test"], dtype=bool)
        n = X.shape[0]
        if y.shape != (n,) or test.shape != (n,) or (groups is not None and groups.shape != (n,)):
            raise ValueError("X, y, groups and test must have one entry per row")
        if not np.isfinite(X).all() or (task == "regression" and not np.isfinite(y).all()):
            raise ValueError("values must be finite numbers")
        return cls(Dataset(np.ascontiguousarray(X), y, groups, x_names, str(entry["y_name"]),
                           entry.get("group_name"), 0, str(entry.get("source", ""))), test)


@dataclass
class SessionState:
    """Everything a session file holds."""

    points: dict
    settings: Settings
    theta: list | None = None
    step: int = 0
    losses: list | None = None
    view: dict | None = None

    def to_dict(self) -> dict:
        return {"format": SESSION_FORMAT, "version": SESSION_VERSION,
                "points": {task: self.points[task].to_dict() for task in TASKS},
                "settings": asdict(self.settings),
                "training": None if self.theta is None else {"theta": list(map(float, self.theta)),
                                                             "step": int(self.step),
                                                             "losses": [float(v) if math.isfinite(v) else None
                                                                        for v in self.losses or []]},
                "view": self.view or {}}


def save_session(path: str | os.PathLike, state: SessionState) -> None:
    """Write the session as JSON, atomically (a failed write keeps the previous file)."""
    write_text_atomic(path, json.dumps(state.to_dict(), ensure_ascii=False, allow_nan=False) + "\n")


def load_session(path: str | os.PathLike) -> SessionState:
    """Read and validate a session file; problems raise ModelFileError naming the file."""
    path = os.fspath(path)
    document = read_document(path, SESSION_FORMAT, SESSION_VERSION, "session")
    try:
        points = {task: Points.from_dict(document["points"][task], task) for task in TASKS}
        known = {f.name for f in fields(Settings)}
        settings = Settings(**{k: v for k, v in document["settings"].items() if k in known})
        settings.resolved()
        training = document.get("training")
        theta = step = losses = None
        if training is not None:
            theta = [float(v) for v in training["theta"]]
            step = int(training["step"])
            losses = [math.nan if v is None else float(v) for v in training["losses"]]
            if not all(math.isfinite(v) for v in theta):
                raise ValueError("parameters must be finite")
        view = document.get("view") or {}
    except Exception as exc:
        raise ModelFileError(f"{path}: the session file is damaged ({type(exc).__name__}: {exc})") from None
    return SessionState(points, settings, theta, step or 0, losses, view if isinstance(view, dict) else {})
