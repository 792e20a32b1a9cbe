"""The document: everything the window shows and the user edits, in one Qt-free object.

It holds the points of each task, the :class:`Config` (every setting, the data-set recipe and the
test fraction included), the run's loss history, the pinned runs, the views' selections, the lesson
in force with its caption, and the session's path and modified flag.  Nothing else keeps a copy.

Every user action is one *transaction*::

    with document.transaction("Lesson: the slope formula"):
        document.update(**lesson_settings)
        document.replace_points("regression", points, source="line")
        document.set_lesson(LessonInForce(lesson))

A transaction makes one undo step (points, settings and lesson together) and, when it ends, one
:class:`Change` to every subscriber, naming everything it changed.  Subscribers react to the
change; they may not change the document while it is being announced (that raises
:class:`ReentrantChange`), so no handler pushes undo steps of its own.  A method called outside a
transaction runs in one of its own.

View preferences (speed, log scales, axes, the class a click adds, the data-set recipe) are
settings too, but they are neither undo steps nor changes that need saving.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace

import numpy as np

from .data import Dataset, class_order
from .errors import SettingsError
from .features import XOR_REFERENCES
from .generators import CLASSIFICATION_SETS, GENERATORS, generate
from .history import LossHistory
from .lessons import Lesson
from .messages import Message, translate
from .models import MODEL_KINDS, has_exact_solver, has_loss_choice, is_classifier
from .optimizers import DEFAULT_LEARNING_RATE
from .runner import ProblemSpec
from .session import MAX_CLASSES, SESSION_LIMITS, Points, SessionState, SessionDisplay, split_rng
from .training import DEFAULT_BATCH_SIZE, DEFAULT_DEGREE, DEFAULT_L2, UNBOUNDED_STEPS, Settings

TASKS = ("regression", "classification")
# Changing one of these starts a new run from the seed; lr and l2 apply to the running one.
RUN_KEYS = frozenset({"model", "degree", "hidden", "loss", "use_group", "optimizer", "batch_size", "seed", "init",
                      "features", "references", "standardize"})
# What θ means: a start point chosen among the parameters goes when one of these changes (a new loss,
# method or seed trains the same parameters, from the same start).
PARAMETER_KEYS = frozenset({"model", "degree", "hidden", "use_group", "features", "references", "standardize"})
# How the document is looked at: changing only these makes no undo step and nothing to save.
VIEW_KEYS = frozenset({"steps_per_second", "log_loss", "log_steps", "axes", "click_class", "recipe"})
MAX_PINS = 6   # the loss plot has six colours for pinned curves
# How an undo step names a setting ("Undo Change learning rate").
SETTING_NAMES = {"model": translate("Commands", "model"), "degree": translate("Commands", "degree"),
                 "l2": "λ", "hidden": translate("Commands", "hidden units"), "loss": translate("Commands", "loss"),
                 "use_group": translate("Commands", "group column"), "optimizer": translate("Commands", "optimizer"),
                 "lr": translate("Commands", "learning rate"), "batch_size": translate("Commands", "batch size"),
                 "seed": translate("Commands", "seed"), "init": translate("Commands", "initial weights"),
                 "test_fraction": translate("Commands", "test fraction"),
                 "features": translate("Commands", "features"), "references": translate("Commands", "features"),
                 "standardize": translate("Commands", "standardization")}


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
class Recipe:
    """A built-in data set as Data → Generate makes it: generator key, rows and noise."""

    generator: str = "two_blobs"
    size: int = 60
    noise: float = 0.5

    def points(self, task: str, test_fraction: float, seed: int) -> Points:
        """The points this recipe makes for ``task`` (the generator if it suits the task, else the
        task's first), split with the seed's own stream."""
        generator = self.generator
        if (generator in CLASSIFICATION_SETS) != (task == "classification"):
            generator = next(k for k in GENERATORS if (k in CLASSIFICATION_SETS) == (task == "classification"))
        options = {"classes": 3} if generator == "blobs" else {}
        data = generate(generator, self.size, self.noise, seed=seed, **options)
        return Points.from_dataset(data, test_fraction, split_rng(seed))


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
    recipe: Recipe = Recipe()
    class_order: tuple = ()   # the ordinal model's order of text labels (Settings.class_order)

    @property
    def task(self) -> str:
        return task_of(self.model)

    def checked(self) -> "Config":
        """This config with derived values settled; raises SettingsError naming a bad field.  The
        run settings are checked by :meth:`Settings.resolved` (the one place that knows them)."""
        if self.model not in MODEL_KINDS:
            raise SettingsError(f"unknown model {self.model!r}")
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
        loss = self.loss if has_loss_choice(self.model) else "ce"
        checked = replace(self, degree=degree, batch_size=batch, loss=loss)
        checked.settings().resolved()
        return checked

    def settings(self) -> Settings:
        """The core settings of a run with this config (unbounded: the window stops it)."""
        return Settings(model=self.model, degree=self.degree, l2=self.l2, hidden=self.hidden, loss=self.loss,
                        optimizer=self.optimizer, lr=self.lr, batch_size=self.batch_size, steps=UNBOUNDED_STEPS,
                        seed=self.seed, test_fraction=self.test_fraction, init=self.init,
                        features=self.features if self.task == "classification" else "raw", references=self.references,
                        standardize=self.standardize, class_order=self.class_order)

    @classmethod
    def from_session(cls, settings: Settings, view: SessionDisplay, recipe: Recipe = Recipe()) -> "Config":
        """The config a loaded (already validated) session describes."""
        s = settings
        return cls(model=s.model, degree=s.degree or 1, l2=s.l2 or 0.0, hidden=s.hidden, loss=s.loss,
                   use_group=view.use_group, optimizer=s.optimizer,
                   lr=s.lr if s.lr is not None else DEFAULT_LEARNING_RATE[s.optimizer],
                   batch_size=s.batch_size, seed=s.seed, init=s.init, test_fraction=s.test_fraction,
                   steps_per_second=view.steps_per_second, log_loss=view.log_loss, log_steps=view.log_steps,
                   axes=view.axes, click_class=view.click_class, features=s.features, references=s.references,
                   standardize=s.standardize, class_order=s.class_order, recipe=recipe).checked()

    def session_view(self) -> SessionDisplay:
        return SessionDisplay(self.steps_per_second, self.log_loss, self.log_steps, self.axes, self.use_group,
                           self.click_class)


@dataclass(frozen=True)
class LessonInForce:
    """The lesson whose data and settings are on screen, and whether its caption is shown; ``before``
    is the configuration the lesson replaced and ``config`` the one it set (what
    :meth:`Document.end_lesson` gives back)."""

    lesson: Lesson
    caption_shown: bool = True
    before: Config | None = None
    config: Config | None = None

    @property
    def key(self) -> str:
        return self.lesson.key


@dataclass(frozen=True)
class Selections:
    """What the user picked in the views: the landscape's pair of parameters (None: the model's
    default pair) and the parameters a click on the landscape starts from (None: the seed's), which
    Reset starts from too until new data or a new model makes them meaningless."""

    landscape_pair: tuple[int, int] | None = None
    start: tuple[float, ...] | None = None


@dataclass(frozen=True)
class SavedRun:
    """The trained state a restored session brought: where its run goes on from, when the model
    still fits ``theta`` (the training thread checks the size)."""

    theta: np.ndarray
    step: int
    history: LossHistory | None
    timeline: tuple = ()   # (step, θ) pairs before ``step``: the session's rewind timeline


@dataclass(frozen=True)
class Pin:
    """A pinned loss curve: the settings it ran with, on which points, and its (steps, values);
    ``note`` labels it instead of the settings that differ (a branch's old continuation)."""

    config: Config
    points: Points
    steps: np.ndarray
    values: np.ndarray
    note: str = ""


MAX_MARKS = 50   # changes marked on the loss plot per run, the newest kept


@dataclass(frozen=True)
class Mark:
    """Changes in the middle of a run at one step, drawn on the loss plot as a thin vertical line
    at ``step`` labelled ``text``.  ``before`` is J at ``step`` just before the change when the change moves J
    itself (new points, a new λ): the curve's old segment ends there and a new one starts, so the
    jump is not drawn as a step of training.  None for a change that leaves J as it is (η)."""

    step: int
    texts: dict[str, str]       # kind of change ("data", "lr", "l2") → what it says
    before: float | None = None

    @property
    def text(self) -> str:
        return ", ".join(self.texts.values())


class RunHistory:
    """The current run's losses: the training objective per step, the test error per sample, the
    tip (J at the newest parameters, where the curve ends now) and the marks of changes made
    mid-run (:class:`Mark`).  Bounded, multi-resolution."""

    def __init__(self, train: LossHistory | None = None):
        self.train = train if train is not None else LossHistory()
        self.test = LossHistory()
        self.tip: tuple[int, float] | None = None
        self.marks: list[Mark] = []

    def __repr__(self) -> str:
        return f"RunHistory(train={self.train!r}, test={self.test!r}, tip={self.tip}, marks={len(self.marks)})"

    def add(self, first_step: int, losses: np.ndarray, test_errors) -> None:
        """The objective of steps ``first_step``, ``first_step + 1``, … and test errors [(step, e)]."""
        if len(losses):
            self.train.extend(first_step, np.asarray(losses, dtype=np.float64))
        last = self.test.last_step
        for step, error in test_errors:
            if last is None or step > last:
                self.test.append(step, error)
                last = step

    def mark(self, kind: str, text: str, moves_loss: bool) -> Mark | None:
        """Mark a change of ``kind`` ("data", "lr", "l2") at the tip's step; None before the run has
        taken a step.  Changes at one step share one mark: a later change of the same kind replaces its text
        (a drag is many edits, typing a rate many values), another kind is added to it, and the
        first ``before`` is kept."""
        if self.tip is None or self.tip[0] == 0:   # nothing trained yet: no old segment to keep
            return None
        step, value = self.tip
        before = value if moves_loss and np.isfinite(value) else None
        texts = {kind: text}
        if self.marks and self.marks[-1].step == step:
            previous = self.marks.pop()
            before = previous.before if previous.before is not None else before
            texts = {**previous.texts, **texts}
        self.marks.append(Mark(step, texts, before))
        del self.marks[:-MAX_MARKS]   # an hour of turning the rate while playing stays bounded
        return self.marks[-1]

    def curve(self, limit: int, log_steps: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The train curve as drawn: thinned history plus the tip, float64.  At each mark that moved
        J the old segment ends at J before the change, then a NaN step and loss break the line."""
        steps, values = self.train.thinned(limit, log_steps=log_steps)
        steps, values = np.asarray(steps, dtype=np.float64), np.asarray(values, dtype=np.float64)
        if self.tip is not None and (not len(steps) or self.tip[0] > steps[-1]):
            steps, values = np.append(steps, self.tip[0]), np.append(values, self.tip[1])
        breaks = np.array([(mark.step, mark.before) for mark in self.marks if mark.before is not None],
                          dtype=np.float64).reshape(-1, 2)
        if len(breaks):
            # Each break inserts (step, J before) then (NaN, NaN) before the first point at its step.
            at = np.repeat(np.searchsorted(steps, breaks[:, 0], side="left"), 2)
            ends = np.column_stack([breaks, np.full((len(breaks), 2), np.nan)])   # step, J, NaN, NaN
            steps = np.insert(steps, at, ends[:, [0, 2]].ravel())
            values = np.insert(values, at, ends[:, [1, 3]].ravel())
        return steps, values


@dataclass(frozen=True)
class Change:
    """What one transaction changed, announced once when it ends.

    ``config``: the Config fields that changed; ``tasks``: the tasks whose points changed;
    ``refit``: a whole new point set (fit the axes to it); ``source``: the gesture ("drag", "open",
    a generator key) or ""; ``restored``: a session replaced everything; ``lesson``, ``pins``,
    ``selections``: the :class:`Selections` fields that changed; ``file``: the path or the modified
    flag changed; ``undo``: the undo stack changed (its texts or what can be undone).
    """

    text: str = ""
    config: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()
    refit: bool = False
    source: str = ""
    restored: bool = False
    lesson: bool = False
    pins: bool = False
    selections: frozenset[str] = frozenset()
    file: bool = False
    undo: bool = False

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "text")

    def merged(self, other: "Change") -> "Change":
        return Change(self.text or other.text, self.config | other.config, self.tasks | other.tasks,
                      self.refit or other.refit, other.source or self.source, self.restored or other.restored,
                      self.lesson or other.lesson, self.pins or other.pins, self.selections | other.selections,
                      self.file or other.file, self.undo or other.undo)


class ReentrantChange(RuntimeError):
    """A subscriber tried to change the document while a change was being announced."""


# --- undo --------------------------------------------------------------------------------------------

class Edit:
    """One reversible change inside an undo step."""

    merge_key: tuple | None = None

    def redo(self, document: "Document") -> None:
        raise NotImplementedError

    def undo(self, document: "Document") -> None:
        raise NotImplementedError

    def merge(self, later: "Edit") -> bool:
        return False


@dataclass
class ConfigEdit(Edit):
    before: Config
    after: Config

    def redo(self, document):
        document._set_config(self.after)

    def undo(self, document):
        document._set_config(self.before)


@dataclass
class LessonEdit(Edit):
    before: LessonInForce | None
    after: LessonInForce | None

    def redo(self, document):
        document._set_lesson(self.after)

    def undo(self, document):
        document._set_lesson(self.before)


@dataclass
class AddRow(Edit):
    """A point added at the end.  Keeps the row, not the data set: one row of memory per click."""

    task: str
    row: tuple

    def redo(self, document):
        document._set_points(self.task, document.points[self.task].add(*self.row))

    def undo(self, document):
        points = document.points[self.task]
        document._set_points(self.task, points.remove(len(points) - 1))


@dataclass
class DeleteRow(Edit):
    task: str
    index: int
    row: tuple

    def redo(self, document):
        document._set_points(self.task, document.points[self.task].remove(self.index))

    def undo(self, document):
        document._set_points(self.task, document.points[self.task].insert(self.index, *self.row))


@dataclass
class MoveRow(Edit):
    """A point moved; the moves of one drag merge into one undo step."""

    task: str
    index: int
    before: tuple
    after: tuple

    @property
    def merge_key(self):  # type: ignore[override]
        return ("move", self.task, self.index)

    def redo(self, document):
        document._set_points(self.task, document.points[self.task].move(self.index, *self.after))

    def undo(self, document):
        document._set_points(self.task, document.points[self.task].move(self.index, *self.before))

    def merge(self, later):
        if isinstance(later, MoveRow) and later.merge_key == self.merge_key:
            self.after = later.after
            return True
        return False


@dataclass
class TestFlagsEdit(Edit):
    task: str
    before: np.ndarray
    after: np.ndarray

    def redo(self, document):
        document._set_points(self.task, document.points[self.task].with_test(self.after))

    def undo(self, document):
        document._set_points(self.task, document.points[self.task].with_test(self.before))


@dataclass
class ReplaceRows(Edit):
    """A whole new set (generate, open, clear, a lesson): keeps the set it replaced.  ``refit``: the
    axes fit the new set (not after Clear points: the student draws on the same canvas)."""

    task: str
    before: Points
    after: Points
    refit: bool = True

    def redo(self, document):
        document._set_points(self.task, self.after, refit=self.refit)

    def undo(self, document):
        document._set_points(self.task, self.before, refit=self.refit)


@dataclass
class UndoStep:
    text: str
    edits: list[Edit] = field(default_factory=list)


class UndoStack:
    """Undo steps, each the edits of one transaction.  ``clean_index`` is the index at the last save
    (None: that state was undone past and replaced, so no index is clean)."""

    def __init__(self):
        self.steps: list[UndoStep] = []
        self.index = 0
        self.clean_index: int | None = 0
        self._mergeable = False

    def __repr__(self) -> str:
        return f"UndoStack({self.index}/{len(self.steps)}, clean={self.clean_index})"

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def can_undo(self) -> bool:
        return self.index > 0

    @property
    def can_redo(self) -> bool:
        return self.index < len(self.steps)

    @property
    def undo_text(self) -> str:
        return self.steps[self.index - 1].text if self.can_undo else ""

    @property
    def redo_text(self) -> str:
        return self.steps[self.index].text if self.can_redo else ""

    @property
    def clean(self) -> bool:
        return self.index == self.clean_index

    def push(self, step: UndoStep) -> None:
        """A new step after the current one (dropping what could be redone), or merged into the top
        step when both are one edit of the same merge key (a drag)."""
        if self._mergeable and self.index == len(self.steps) and self.index != self.clean_index:
            top = self.steps[-1]
            if len(top.edits) == 1 and len(step.edits) == 1 and top.edits[0].merge_key is not None \
                    and top.edits[0].merge(step.edits[0]):
                return
        del self.steps[self.index:]
        if self.clean_index is not None and self.clean_index > self.index:
            self.clean_index = None
        self.steps.append(step)
        self.index = len(self.steps)
        self._mergeable = True

    def end_merging(self) -> None:
        """The next step starts afresh (the drag ended)."""
        self._mergeable = False

    def set_clean(self) -> None:
        self.clean_index = self.index
        self._mergeable = False

    def clear(self) -> None:
        self.steps.clear()
        self.index = 0
        self.clean_index = 0
        self._mergeable = False


# --- the document ------------------------------------------------------------------------------------

def _starting_points() -> dict[str, Points]:
    rng = np.random.default_rng(0)
    return {"regression": Points.from_dataset(generate("line", 20, 1.0, seed=0), 0.0, rng),
            "classification": Points.from_dataset(generate("two_blobs", 60, 0.9, seed=0), 0.0, rng)}


class _Transaction:
    def __init__(self, text: str):
        self.text = text
        self.edits: list[Edit] = []
        self.change = Change(text)

    def note(self, **change) -> None:
        self.change = self.change.merged(Change(**change))


class Document:
    """Points per task, the config, the run's history, pins, selections, the lesson, the file and
    the undo stack.  See the module's docstring for transactions."""

    def __init__(self, points: Mapping[str, Points] | None = None, config: Config | None = None):
        self.points: dict[str, Points] = dict(points) if points is not None else _starting_points()
        self.config = (config or Config()).checked()
        self.click_classes = clickable_classes(self.points["classification"])
        self.config = self._click_class_fitted(self.config)
        self.history = RunHistory()
        self.pins: tuple[Pin, ...] = ()
        self.selections = Selections()
        self.lesson: LessonInForce | None = None
        self.path: str | None = None
        self.saved_run: SavedRun | None = None
        self.undo_stack = UndoStack()
        self._modified_outside_undo = False
        self._degree_memory = dict(DEFAULT_DEGREE)
        self._l2_memory = dict(DEFAULT_L2)
        self._subscribers: list[Callable[[Change], None]] = []
        self._transaction: _Transaction | None = None
        self._announcing = False

    def __repr__(self) -> str:
        sizes = {task: len(points) for task, points in self.points.items()}
        lesson = None if self.lesson is None else self.lesson.key
        return (f"Document({self.config.model}, points={sizes}, lesson={lesson}, pins={len(self.pins)}, "
                f"path={self.path!r}, modified={self.modified}, undo={self.undo_stack!r})")

    # --- subscribers and transactions -----------------------------------------------------------------

    def subscribe(self, callback: Callable[[Change], None]) -> None:
        """Call ``callback(change)`` after each transaction that changed something."""
        self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[[Change], None]) -> None:
        self._subscribers.remove(callback)

    @contextmanager
    def transaction(self, text: str = "") -> Iterator[None]:
        """One user action: one undo step and one announced :class:`Change`.  A transaction inside
        another joins it.  If the body raises, what it changed is put back and nothing is announced."""
        if self._announcing:
            raise ReentrantChange(f"the document changed ({text or 'untitled'}) while announcing a change")
        if self._transaction is not None:
            yield
            return
        self._transaction = transaction = _Transaction(text)
        was_modified = self.modified
        try:
            yield
        except BaseException:
            try:
                for edit in reversed(transaction.edits):
                    edit.undo(self)
            finally:
                self._transaction = None
            raise
        self._transaction = None
        undoable = [edit for edit in transaction.edits if not _view_only(edit)]
        if undoable:
            self.undo_stack.push(UndoStep(text, undoable))
            transaction.note(undo=True)
        if self.modified != was_modified:
            transaction.note(file=True)
        self._announce(transaction.change)

    def _announce(self, change: Change) -> None:
        if not change:
            return
        self._announcing = True
        try:
            for callback in list(self._subscribers):
                callback(change)
        finally:
            self._announcing = False

    def _record(self, edit: Edit) -> None:
        """Apply ``edit`` inside the open transaction."""
        assert self._transaction is not None
        edit.redo(self)
        self._transaction.edits.append(edit)

    @contextmanager
    def _open(self, text: str) -> Iterator[_Transaction]:
        with self.transaction(text):
            assert self._transaction is not None
            yield self._transaction

    # --- settings -------------------------------------------------------------------------------------

    def update(self, **changes) -> None:
        """Change config fields; raises SettingsError (and changes nothing) if the result is invalid.

        A new model brings back the degree and λ it had last; a new test fraction re-splits the
        current task's points in the same step."""
        unknown = set(changes) - {f.name for f in fields(Config)}
        if unknown:
            raise SettingsError(f"unknown setting(s) {', '.join(sorted(unknown))}")
        with self._open(_settings_text(set(changes))):
            config = self.config
            if "model" in changes and changes["model"] != config.model:
                self._degree_memory[config.model] = config.degree
                self._l2_memory[config.model] = config.l2
                model = changes["model"]
                changes.setdefault("degree", self._degree_memory.get(model, 1))
                changes.setdefault("l2", self._l2_memory.get(model, 0.0))
                if config.optimizer == "exact" and not has_exact_solver(model):
                    changes.setdefault("optimizer", "gd")
            new = self._click_class_fitted(replace(config, **changes).checked())
            if new.task != config.task:
                new = self._axes_fitted(new)
            if new != config:
                self._record(ConfigEdit(config, new))
            if _changed_fields(config, new) & PARAMETER_KEYS:
                self._forget_start()
            if new.test_fraction != config.test_fraction:
                task = new.task
                resplit = self.points[task].resplit(new.test_fraction, split_rng(new.seed))
                self._record(TestFlagsEdit(task, self.points[task].test, resplit.test))

    def _set_config(self, new: Config) -> None:
        old = self.config
        changed = frozenset(f.name for f in fields(Config) if getattr(new, f.name) != getattr(old, f.name))
        self.config = new
        self._note(config=changed)

    def _axes_fitted(self, config: Config) -> Config:
        """``config`` with axes that exist in its task's points (the other task may have other inputs)."""
        inputs = len(self.points[config.task].data.x_names)
        used = config.axes[:1] if config.task == "regression" else config.axes
        if max(used) < inputs:
            return config
        return replace(config, axes=(0, min(1, inputs - 1)))

    def _click_class_fitted(self, config: Config) -> Config:
        """``config`` with a class a click can add: the one it has if the points offer it, else the
        first (text labels replace the drawn "0", "1", …; a session may name a class it has not)."""
        if config.click_class in self.click_classes:
            return config
        return replace(config, click_class=self.click_classes[0])

    @property
    def task(self) -> str:
        return self.config.task

    # --- points ---------------------------------------------------------------------------------------

    def add_point(self, task: str, x_row, y_value, test: bool, group=None) -> None:
        with self._open(translate("Commands", "Add point")):
            self._record(AddRow(task, (np.asarray(x_row, dtype=np.float64), y_value, bool(test), group)))

    def delete_point(self, task: str, index: int) -> None:
        with self._open(translate("Commands", "Delete point")):
            self._record(DeleteRow(task, index, self.points[task].row(index)))

    def move_point(self, task: str, index: int, x_row, y_value=None) -> None:
        """Move a point (its target too, for regression); one drag's moves make one undo step."""
        points = self.points[task]
        before = (points.data.X[index].copy(), points.data.y[index].item())
        after = (np.asarray(x_row, dtype=np.float64), before[1] if y_value is None else y_value)
        with self._open(translate("Commands", "Move point")):
            self._record(MoveRow(task, index, before, after))
            self._note(source="drag")

    def end_drag(self) -> None:
        self.undo_stack.end_merging()

    def replace_points(self, task: str, points: Points, source: str = "", text: str = "",
                       refit: bool = True) -> None:
        """A whole new point set: the axes fit it (unless ``refit`` is False), and its group column
        is used if it has one."""
        with self._open(text or translate("Commands", "Replace points")):
            self._record(ReplaceRows(task, self.points[task], points, refit))
            self._forget_start()
            self._note(source=source)

    def _set_points(self, task: str, points: Points, refit: bool = False) -> None:
        self.points[task] = points
        if task == "classification":
            self.click_classes = clickable_classes(points)
        config = self._click_class_fitted(self.config)
        if task == self.task:
            config = self._axes_fitted(config)
            if refit or points.data.group_name is None:
                # a new data set starts with its group column in use, if it has one
                config = replace(config, use_group=points.data.group_name is not None)
        if config != self.config:
            self._set_config(config)
        self._note(tasks=frozenset({task}), refit=refit)

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

    # --- lesson, selections, pins -----------------------------------------------------------------------

    def set_lesson(self, lesson: LessonInForce | None) -> None:
        """The lesson in force (undoable with the points and settings it came with)."""
        with self._open(""):
            if lesson != self.lesson:
                self._record(LessonEdit(self.lesson, lesson))

    def end_lesson(self) -> None:
        """Other data comes on screen (a file, a generated set): the lesson ends, in the same undo step.
        The settings it set go back to what they were before it, except those the student has changed
        since (a learning rate of 3 for the cascade must not follow a student to the rent data)."""
        lesson = self.lesson
        if lesson is None:
            return
        with self._open(""):
            before, during = lesson.before, lesson.config
            if before is not None and during is not None:
                kept = {"recipe", "axes", "click_class", "test_fraction", "seed"}   # what makes the new data
                changes = {f.name: getattr(before, f.name) for f in fields(Config)
                           if f.name not in kept
                           and getattr(self.config, f.name) == getattr(during, f.name) != getattr(before, f.name)}
                if changes:
                    self.update(**changes)
            self.set_lesson(None)

    def close_caption(self) -> None:
        """The student closed the caption: the lesson stays in force (not an undo step)."""
        if self.lesson is not None and self.lesson.caption_shown:
            with self._open(""):
                self._set_lesson(replace(self.lesson, caption_shown=False))

    def _set_lesson(self, lesson: LessonInForce | None) -> None:
        self.lesson = lesson
        self._note(lesson=True)

    def select(self, **changes) -> None:
        """Change the views' selections (``landscape_pair``, ``start``)."""
        old, new = self.selections, replace(self.selections, **changes)
        if new != old:
            with self._open(""):
                self.selections = new
                self._note(selections=frozenset(f.name for f in fields(Selections)
                                                if getattr(new, f.name) != getattr(old, f.name)))

    def _forget_start(self) -> None:
        """A start point belongs to the parameters it was chosen among: new data, or settings that
        change what θ means (PARAMETER_KEYS), forget it (not an undo step)."""
        if self.selections.start is not None:
            self.selections = replace(self.selections, start=None)
            self._note(selections=frozenset({"start"}))

    def pin(self, config: Config, steps: np.ndarray, values: np.ndarray, note: str = "") -> None:
        """Pin a curve of a run with ``config`` on the current points; the oldest goes beyond MAX_PINS."""
        pin = Pin(config, self.points[config.task], np.asarray(steps, dtype=np.float64),
                  np.asarray(values, dtype=np.float64), note)
        with self._open(""):
            self.pins = (self.pins + (pin,))[-MAX_PINS:]
            self._note(pins=True)

    def clear_pins(self) -> None:
        if self.pins:
            with self._open(""):
                self.pins = ()
                self._note(pins=True)

    def new_history(self, history: RunHistory | None = None) -> None:
        """A new run's (empty, or restored) loss history.  Not announced: the run's start is."""
        self.history = history if history is not None else RunHistory()

    # --- file -----------------------------------------------------------------------------------------

    @property
    def modified(self) -> bool:
        return self._modified_outside_undo or not self.undo_stack.clean

    def mark_saved(self, path: str | os.PathLike | None) -> None:
        """What is shown now counts as saved (to ``path``; None keeps the current path)."""
        with self._open(""):
            if path is not None:
                self.path = os.fspath(path)
            self._modified_outside_undo = False
            self.undo_stack.set_clean()
            self._note(file=True)

    def restore(self, session: SessionState, path: str | os.PathLike | None, modified: bool = False) -> None:
        """Replace everything by a loaded (already validated) session, in one step; ``path`` None is
        an untitled session, ``modified`` one with unsaved changes.  Not undoable: the undo stack
        starts afresh."""
        config = Config.from_session(session.settings, session.view, self.config.recipe)
        with self._open(""):
            self.points = dict(session.points)
            self.click_classes = clickable_classes(self.points["classification"])
            self.config = self._click_class_fitted(config)
            self.pins = ()
            self.lesson = None
            self.selections = Selections()
            self.keep_run(session.theta, session.step, session.history, session.timeline)
            self.undo_stack.clear()
            self.path = None if path is None else os.fspath(path)
            self._modified_outside_undo = modified
            self._note(restored=True, file=True, undo=True, pins=True, lesson=True,
                       selections=frozenset(f.name for f in fields(Selections)),
                       config=frozenset(f.name for f in fields(Config)), tasks=frozenset(TASKS), refit=True)

    def keep_run(self, theta, step: int, history: dict | None, timeline: tuple = ()) -> None:
        """Keep a run's trained state (a session's ``theta``, ``step``, ``history`` dict and rewind
        ``timeline``; theta None keeps none) for the next window on this document to go on from."""
        self.saved_run = None if theta is None else SavedRun(
            np.asarray(theta, dtype=np.float64), step, LossHistory.from_dict(history) if history else None,
            tuple((step, np.asarray(kept, dtype=np.float64)) for step, kept in timeline))

    # --- undo -----------------------------------------------------------------------------------------

    def undo(self) -> None:
        stack = self.undo_stack
        if stack.can_undo:
            with self._replay(stack.steps[stack.index - 1].text):
                for edit in reversed(stack.steps[stack.index - 1].edits):
                    edit.undo(self)
                stack.index -= 1

    def redo(self) -> None:
        stack = self.undo_stack
        if stack.can_redo:
            with self._replay(stack.steps[stack.index].text):
                for edit in stack.steps[stack.index].edits:
                    edit.redo(self)
                stack.index += 1

    @contextmanager
    def _replay(self, text: str) -> Iterator[None]:
        if self._announcing or self._transaction is not None:
            raise ReentrantChange(f"undo or redo of {text!r} inside another change")
        self._transaction = transaction = _Transaction(text)
        was_modified = self.modified
        self.undo_stack.end_merging()
        try:
            yield
        finally:
            self._transaction = None
        transaction.note(undo=True)
        if self.modified != was_modified:
            transaction.note(file=True)
        self._announce(transaction.change)

    def _note(self, **change) -> None:
        if self._announcing:
            raise ReentrantChange("the document changed while announcing a change")
        if self._transaction is not None:
            self._transaction.note(**change)


def _changed_fields(before: Config, after: Config) -> set[str]:
    return {f.name for f in fields(Config) if getattr(before, f.name) != getattr(after, f.name)}


def _view_only(edit: Edit) -> bool:
    return isinstance(edit, ConfigEdit) and _changed_fields(edit.before, edit.after) <= VIEW_KEYS


def _settings_text(keys: set[str]) -> Message:
    """"Change learning rate" for one setting, "Change settings" for several."""
    if len(keys) == 1:
        key = next(iter(keys))
        if key in SETTING_NAMES:
            return translate("Commands", "Change {setting}").format(setting=SETTING_NAMES[key])
    return translate("Commands", "Change settings")
