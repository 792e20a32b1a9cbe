"""The window's state model: the one place where points, settings and file state live.

Widgets write into it (``update``, undo commands) and render from its signals; nothing reads state
back out of a widget.  Every change is checked before it is applied, and a session is restored
whole or not at all.  Testable without any widget.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core.data import Dataset, class_order
from ..core.errors import SettingsError
from ..core.features import XOR_REFERENCES
from ..core.generators import generate
from ..core.models import MODEL_KINDS, is_classifier
from ..core.optimizers import DEFAULT_LEARNING_RATE, OPTIMIZERS
from ..core.runner import ProblemSpec
from ..core.session import SESSION_LIMITS, Points, SessionState, SessionView, split_rng
from ..core.training import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_DEGREE,
    DEFAULT_L2,
    FEATURE_KINDS,
    INITIALISATIONS,
    UNBOUNDED_STEPS,
    Settings,
)
from .style import MAX_CLASSES

# Changing one of these starts a new run from the seed; lr and l2 apply to the running one.
RUN_KEYS = frozenset({"model", "degree", "hidden", "loss", "use_group", "optimizer", "batch_size", "seed", "init",
                      "features", "references", "standardize"})
# Changing only these does not make the session "modified".
VIEW_KEYS = frozenset({"steps_per_second", "log_loss", "log_steps", "axes", "click_class"})


def task_of(model: str) -> str:
    return "classification" if is_classifier(model) else "regression"


def clickable_classes(points: Points) -> tuple[str, ...]:
    """The classes a click can add (Data → Click adds): the points' own labels, or "0", "1", … (one
    per class colour) when every label is one of those (drawn data), so a click can start a class."""
    labels = class_order(points.data.y) if len(points) else ()
    if all(label.isdigit() and int(label) < MAX_CLASSES for label in labels):
        return tuple(str(k) for k in range(MAX_CLASSES))
    return labels[:MAX_CLASSES]


@dataclass(frozen=True)
class Config:
    """Every setting the window shows, checked as a whole by :meth:`checked`.

    ``batch_size`` None is the full batch (never for sgd, which is mini-batch by definition);
    ``steps_per_second`` None is full speed; ``axes`` are input numbers (regression uses the first).
    """

    model: str = "linear"
    degree: int = 1
    l2: float = 0.0
    hidden: int = 2
    loss: str = "ce"
    use_group: bool = False
    optimizer: str = "gd"
    lr: float = 0.1
    batch_size: int | None = None
    seed: int = 0
    init: str = "auto"
    test_fraction: float = 0.0
    steps_per_second: float | None = 20.0
    log_loss: bool = False
    log_steps: bool = False
    axes: tuple[int, int] = (0, 1)
    click_class: str | None = "0"
    features: str = "raw"
    references: tuple = XOR_REFERENCES
    standardize: bool = True

    @property
    def task(self) -> str:
        return task_of(self.model)

    def checked(self) -> "Config":
        """This config with derived values settled; raises SettingsError naming a bad field."""
        if self.model not in MODEL_KINDS:
            raise SettingsError(f"unknown model {self.model!r}")
        if self.optimizer not in OPTIMIZERS:
            raise SettingsError(f"unknown optimizer {self.optimizer!r}")
        if self.optimizer == "exact" and self.model == "cascade":
            raise SettingsError("the cascade has no exact solver")
        if self.features not in FEATURE_KINDS:
            raise SettingsError(f"unknown features {self.features!r}")
        if self.loss not in ("ce", "mse") or self.init not in INITIALISATIONS:
            raise SettingsError(f"unknown loss {self.loss!r} or initialisation {self.init!r}")
        for name, (low, high) in SESSION_LIMITS.items():
            value = getattr(self, name)
            if value is None and name == "batch_size":
                continue
            if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
                raise SettingsError(f"{name} must be from {low:g} to {high:g} (got {value!r})")
        if self.steps_per_second is not None and not self.steps_per_second > 0:
            raise SettingsError(f"speed must be positive (got {self.steps_per_second!r})")
        degree = 1 if self.model == "linear" else self.degree
        batch = self.batch_size
        if self.optimizer in ("gd", "exact"):
            batch = None
        elif self.optimizer == "sgd" and batch is None:
            batch = DEFAULT_BATCH_SIZE
        return replace(self, degree=degree, batch_size=batch, loss=self.loss if self.model == "logistic" else "ce")

    def settings(self) -> Settings:
        """The core settings of a run with this config (unbounded: the window stops it)."""
        return Settings(model=self.model, degree=self.degree, l2=self.l2, hidden=self.hidden, loss=self.loss,
                        optimizer=self.optimizer, lr=self.lr, batch_size=self.batch_size, steps=UNBOUNDED_STEPS,
                        seed=self.seed, test_fraction=self.test_fraction, init=self.init,
                        features=self.features if self.task == "classification" else "raw", references=self.references,
                        standardize=self.standardize)


def _starting_points() -> dict[str, Points]:
    rng = np.random.default_rng(0)
    return {"regression": Points.from_dataset(generate("line", 20, 1.0, seed=0), 0.0, rng),
            "classification": Points.from_dataset(generate("two_blobs", 60, 0.9, seed=0), 0.0, rng)}


class StudioState(QObject):
    """Points per task, the config, the undo stack, per-model memory, the session path and whether
    anything changed since the last save.

    Signals: ``configChanged(keys)`` (a frozenset of the Config fields that changed),
    ``pointsChanged(task, refit, source)`` (``refit``: a new data set, fit the axes to it; ``source``
    names the gesture, e.g. "drag" or "open"), ``restored()`` (a session replaced everything), and
    ``fileChanged()`` (path or modified flag).
    """

    configChanged = Signal(object)
    pointsChanged = Signal(str, bool, str)
    restored = Signal()
    fileChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.config = Config().checked()
        self.points = _starting_points()
        # What Data → Click adds offers: kept here, as the labels of 10⁶ points take ~0.15 s to sort.
        self.click_classes = clickable_classes(self.points["classification"])
        self.undo_stack = QUndoStack(self)
        self.session_path: str | None = None
        self._settings_dirty = False
        self._degree_memory = dict(DEFAULT_DEGREE)
        self._l2_memory = dict(DEFAULT_L2)
        self.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)

    def __repr__(self) -> str:
        sizes = {task: len(points) for task, points in self.points.items()}
        return f"StudioState({self.config.model}, points={sizes}, path={self.session_path!r}, modified={self.modified})"

    # --- config -----------------------------------------------------------------------------------

    def update(self, **changes) -> None:
        """Change config fields; raises SettingsError (and changes nothing) if the result is invalid."""
        unknown = set(changes) - {f.name for f in fields(Config)}
        if unknown:
            raise SettingsError(f"unknown setting(s) {', '.join(sorted(unknown))}")
        config = self.config
        if "model" in changes and changes["model"] != config.model:
            self._degree_memory[config.model] = config.degree
            self._l2_memory[config.model] = config.l2
            model = changes["model"]
            changes.setdefault("degree", self._degree_memory.get(model, 1))
            changes.setdefault("l2", self._l2_memory.get(model, 0.0))
            if model == "cascade" and config.optimizer == "exact":
                changes.setdefault("optimizer", "gd")
        new = self._click_class_fitted(replace(config, **changes).checked())
        if new.task != config.task:
            new = self._axes_fitted(new)
        self._set_config(new)

    def _set_config(self, new: Config) -> None:
        old = self.config
        changed = frozenset(f.name for f in fields(Config) if getattr(new, f.name) != getattr(old, f.name))
        if not changed:
            return
        self.config = new
        if changed - VIEW_KEYS:
            self._settings_dirty = True
        self.configChanged.emit(changed)
        if changed - VIEW_KEYS:
            self.fileChanged.emit()

    def _axes_fitted(self, config: Config) -> Config:
        """``config`` with axes that exist in its task's points (the other task may have other inputs)."""
        inputs = len(self.points[config.task].data.x_names)
        used = config.axes[:1] if config.task == "regression" else config.axes
        if max(used) < inputs:
            return config
        return replace(config, axes=(0, min(1, inputs - 1)))

    @property
    def task(self) -> str:
        return self.config.task

    def training_points(self) -> Points:
        """The current task's points as training sees them (without the group column unless in use)."""
        points = self.points[self.task]
        data = points.data
        if data.group_name is not None and not self.config.use_group:
            data = Dataset(data.X, data.y, None, data.x_names, data.y_name, None, 0, data.source)
            return Points(data, points.test)
        return points

    def problem_spec(self) -> ProblemSpec | None:
        """What to train on now, or None when there is nothing to train on yet."""
        points = self.training_points()
        if not len(points):
            return None
        return ProblemSpec(points.data, self.config.settings(), points.test.copy())

    def split_rng(self) -> np.random.Generator:
        """The train/test split's own stream for the current seed (the lessons split with the same)."""
        return split_rng(self.config.seed)

    # --- points -----------------------------------------------------------------------------------

    def set_points(self, task: str, points: Points, refit: bool = False, source: str = "") -> None:
        """Replace ``task``'s points (called by the undo commands, which hold the edits)."""
        self.points[task] = points
        if task == "classification":
            self.click_classes = clickable_classes(points)
        config = self._click_class_fitted(self.config)
        if task == self.task:
            config = self._axes_fitted(config)
            if refit or points.data.group_name is None:
                # a new data set starts with its group column in use, if it has one
                config = replace(config, use_group=points.data.group_name is not None)
        self._set_config(config)
        self.pointsChanged.emit(task, refit, source)

    def _click_class_fitted(self, config: Config) -> Config:
        """``config`` with a class a click can add: the one it has if the points offer it, else the
        first (text labels replace the drawn "0", "1", …; a session may name a class it has not)."""
        if config.click_class in self.click_classes:
            return config
        return replace(config, click_class=self.click_classes[0])

    # --- files ------------------------------------------------------------------------------------

    @property
    def modified(self) -> bool:
        return self._settings_dirty or not self.undo_stack.isClean()

    def mark_saved(self, path: str | None) -> None:
        """What is shown now counts as saved (to ``path``; None keeps the current path)."""
        if path is not None:
            self.session_path = path
        self._settings_dirty = False
        self.undo_stack.setClean()
        self.fileChanged.emit()

    def _on_undo_stack_clean_changed(self, _clean: bool) -> None:
        self.fileChanged.emit()

    def session_view(self) -> SessionView:
        c = self.config
        return SessionView(c.steps_per_second, c.log_loss, c.log_steps, c.axes, c.use_group, c.click_class)

    def restore(self, session: SessionState, path: str | None, modified: bool = False) -> None:
        """Replace everything by a loaded (already validated) session, in one step; ``path`` None is
        an untitled session, ``modified`` one with unsaved changes."""
        s, view = session.settings, session.view
        self.config = Config(model=s.model, degree=s.degree or 1, l2=s.l2 or 0.0, hidden=s.hidden, loss=s.loss,
                             use_group=view.use_group, optimizer=s.optimizer,
                             lr=s.lr if s.lr is not None else DEFAULT_LEARNING_RATE[s.optimizer],
                             batch_size=s.batch_size, seed=s.seed, init=s.init, test_fraction=s.test_fraction,
                             steps_per_second=view.steps_per_second, log_loss=view.log_loss,
                             log_steps=view.log_steps, axes=view.axes, click_class=view.click_class,
                             features=s.features, references=s.references, standardize=s.standardize).checked()
        self.points = dict(session.points)
        self.click_classes = clickable_classes(self.points["classification"])
        self.config = self._click_class_fitted(self.config)
        self.undo_stack.clear()
        self.session_path = None if path is None else os.fspath(path)
        self._settings_dirty = modified
        self.restored.emit()
        self.fileChanged.emit()
