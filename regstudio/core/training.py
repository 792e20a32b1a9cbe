"""Training: settings → a prepared problem → a trainer whose ``run`` yields immutable snapshots.

Randomness: one seed feeds a ``numpy.random.SeedSequence`` whose three children seed the
train/test split, the initial weights and the mini-batch order, so the same seed gives the same run
bit for bit, and changing the batch size does not change the split.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from .data import Dataset, class_order, encode_labels, ordered_classes, split_indices
from .errors import DataError, SettingsError
from .features import XOR_REFERENCES, FeaturePipeline, check_feature_count
from .messages import translate
from .models import Model, build_model, encode_target, has_exact_solver, is_classifier
from .optimizers import OPTIMIZERS, make_optimizer
from .solvers import exact_step
from .timeline import Kept, Timeline

DEFAULT_DEGREE = {"polynomial": 3}
DEFAULT_L2 = {"ridge": 0.01}
DEFAULT_BATCH_SIZE = 32
INITIALISATIONS = ("auto", "zeros", "random")
FEATURE_KINDS = ("raw", "distances")  # distances: the inputs replaced by ‖x − r_k‖ (see features.py)
UNBOUNDED_STEPS = 10**15  # a step limit this high means none: the window trains until stopped


@dataclass(frozen=True)
class Settings:
    """Everything that defines a run; ``None`` means the model's or optimizer's default."""

    model: str
    degree: int | None = None
    l2: float | None = None
    hidden: int = 2
    loss: str = "ce"
    optimizer: str = "gd"
    lr: float | None = None
    batch_size: int | None = None
    steps: int = 1000
    tol: float = 1e-6
    seed: int = 0
    test_fraction: float = 0.2
    standardize: bool = True
    dtype: str = "float64"
    init: str = "auto"
    features: str = "raw"
    references: tuple = XOR_REFERENCES
    # The ordinal model's order of text labels (empty: the order they first appear; numbers sort).
    class_order: tuple = ()

    def resolved(self) -> "Settings":
        """Defaults filled in and every value checked; raises SettingsError naming the flag."""
        degree = DEFAULT_DEGREE.get(self.model, 1) if self.degree is None else self.degree
        l2 = DEFAULT_L2.get(self.model, 0.0) if self.l2 is None else self.l2
        if degree < 1:
            raise SettingsError(f"--degree must be at least 1 (got {degree})")
        if self.model == "linear" and degree != 1:
            raise SettingsError("--degree applies to polynomial features; use --model polynomial "
                                f"(linear has degree 1, got {degree})")
        if not math.isfinite(l2) or l2 < 0:
            raise SettingsError(f"--l2 must be zero or positive (got {l2:g})")
        if self.hidden < 1:
            raise SettingsError(f"--hidden must be at least 1 (got {self.hidden})")
        if self.optimizer not in OPTIMIZERS:
            raise SettingsError(f"unknown optimizer {self.optimizer!r} (choose from {', '.join(OPTIMIZERS)})")
        lr = make_optimizer(self.optimizer, self.lr).lr
        batch = self.batch_size
        if batch is not None and batch < 1:
            raise SettingsError(f"--batch-size must be at least 1 (got {batch})")
        if self.optimizer == "sgd" and batch is None:
            batch = DEFAULT_BATCH_SIZE
        if self.optimizer in ("gd", "exact") and batch is not None:
            raise SettingsError(f"--batch-size does not apply to {self.optimizer} (full batch); "
                                "use --optimizer sgd for mini-batches")
        if self.optimizer == "exact" and not has_exact_solver(self.model):
            raise SettingsError("--optimizer exact does not exist for the cascade (its objective is not "
                                "convex); use gd, momentum or adam")
        if self.optimizer == "exact" and self.loss == "mse" and is_classifier(self.model):
            raise SettingsError(translate("Training", "“Solve exactly” solves the cross-entropy objective; choose "
                                                      "Gradient descent under Optimizer to train on square error")
                                .for_command_line("--optimizer exact solves the cross-entropy objective; "
                                                  "use gd with --loss mse"))
        if self.steps < 1:
            raise SettingsError(f"--steps must be at least 1 (got {self.steps})")
        if not math.isfinite(self.tol) or self.tol < 0:
            raise SettingsError(f"--tol must be zero or positive (got {self.tol:g})")
        if not 0 <= self.test_fraction < 1:
            raise SettingsError(f"--test-fraction must be in [0, 1) (got {self.test_fraction:g})")
        if self.seed < 0:
            raise SettingsError(f"--seed must be zero or positive (got {self.seed})")
        if self.init not in INITIALISATIONS:
            raise SettingsError(f"init must be one of {', '.join(INITIALISATIONS)} (got {self.init!r})")
        if self.dtype not in ("float64", "float32"):
            raise SettingsError(f"dtype must be float64 or float32 (got {self.dtype!r})")
        if self.features not in FEATURE_KINDS:
            raise SettingsError(f"--features must be one of {', '.join(FEATURE_KINDS)} (got {self.features!r})")
        class_order = tuple(self.class_order)
        if not all(isinstance(label, str) for label in class_order) or len(set(class_order)) != len(class_order):
            raise SettingsError(f"--class-order must name distinct labels (got {list(class_order)!r})")
        return replace(self, degree=int(degree), l2=float(l2), lr=float(lr), batch_size=batch,
                       references=checked_references(self.references), class_order=class_order)


def checked_references(references) -> tuple[tuple[float, float], tuple[float, float]]:
    """Two distinct reference points of two finite numbers each, as a tuple of float pairs; raises
    SettingsError naming ``--references`` otherwise."""
    try:
        points = tuple(tuple(float(v) for v in point) for point in references)
    except (TypeError, ValueError):
        points = ()
    if len(points) != 2 or any(len(p) != 2 or not all(map(math.isfinite, p)) for p in points):
        raise SettingsError(f"--references must be two points x1,y1,x2,y2 of finite numbers (got {references!r})")
    if points[0] == points[1]:
        raise SettingsError(f"--references must be two different points (both are {points[0]})")
    (x1, y1), (x2, y2) = points
    return (x1, y1), (x2, y2)


@dataclass
class Problem:
    """A data set prepared for one model: split, features fitted on the training rows, arrays laid
    out features × rows (``Xt_train`` (p, N_train)), targets encoded for the model's head."""

    settings: Settings
    dataset: Dataset
    pipeline: FeaturePipeline
    model: Model
    classes: tuple[str, ...] | None
    train_rows: np.ndarray
    test_rows: np.ndarray
    Xt_train: np.ndarray
    y_train: np.ndarray
    Xt_test: np.ndarray
    y_test: np.ndarray
    rngs: dict = field(repr=False)

    @property
    def n_train(self) -> int:
        return self.Xt_train.shape[1]

    @property
    def nbytes(self) -> int:
        """The memory its prepared arrays and its data set's take."""
        arrays = (self.train_rows, self.test_rows, self.Xt_train, self.y_train, self.Xt_test, self.y_test,
                  self.dataset.X, self.dataset.y)
        return sum(a.nbytes for a in arrays)

    @property
    def lr(self) -> float:
        """The settings' learning rate, never None: :func:`prepare` resolves the settings."""
        lr = self.settings.lr
        assert lr is not None
        return lr

    @property
    def l2(self) -> float:
        """The settings' λ, never None: :func:`prepare` resolves the settings."""
        l2 = self.settings.l2
        assert l2 is not None
        return l2

    @cached_property
    def input_means(self) -> np.ndarray:
        """(d,) training mean of each raw input: where the plots hold the inputs they do not show."""
        return self.train_inputs.mean(axis=0)

    @property
    def train_inputs(self) -> np.ndarray:
        """(N_train, d) the training rows' raw inputs: the data set's own array when every row trains."""
        return self.dataset.X if len(self.test_rows) == 0 else self.dataset.X[self.train_rows]


def prepare(dataset: Dataset, settings: Settings, test_mask: np.ndarray | None = None) -> Problem:
    """Split ``dataset``, fit the feature pipeline on the training rows and build the model.

    ``test_mask`` (N,) bool, if given, chooses the test rows instead of the seeded split (the window
    keeps each drawn point's side fixed as points come and go).
    """
    settings = settings.resolved()
    split_seed, init_seed, batch_seed = np.random.SeedSequence(settings.seed).spawn(3)
    if len(dataset) == 0:
        raise SettingsError(translate("Training", "the data set has no rows"))
    classes = None
    if is_classifier(settings.model):
        # An ordinal scale has the labels' own order; the other classifiers sort as scikit-learn.
        classes = (ordered_classes(dataset.y, settings.class_order) if settings.model == "ordinal"
                   else class_order(dataset.y))
        if len(classes) < 2:
            raise SettingsError(translate("Training", "column {name!r} has only one class ({label!r}); "
                                                      "a classifier needs at least two").format(
                name=dataset.y_name, label=classes[0]))
    if test_mask is None:
        train_rows, test_rows = split_indices(len(dataset), settings.test_fraction,
                                              np.random.default_rng(split_seed))
    else:
        train_rows, test_rows = np.flatnonzero(~test_mask), np.flatnonzero(test_mask)
    if len(train_rows) == 0:
        raise SettingsError(translate("Training", "no training rows: every row is in the test split"))
    # Without test rows the training rows are every row, in order: no copy of a large data set.
    train = dataset if len(test_rows) == 0 else dataset.subset(train_rows)
    test = dataset.subset(test_rows)
    dtype = np.dtype(settings.dtype)
    if classes is None:
        _check_target_size(dataset, dtype)
    references = None
    if settings.features == "distances":
        if len(dataset.x_names) != 2:
            features = translate("Training", "“Distances to 2 points” under Features").for_command_line(
                "--features distances")
            raise SettingsError(translate("Training", "{features} needs exactly two input columns "
                                                      "(the data has {count}: {names})").format(
                features=features, count=len(dataset.x_names), names=", ".join(dataset.x_names)))
        references = settings.references
    assert settings.degree is not None  # resolved() fills in the model's default
    # The group levels are the training rows' (as FeaturePipeline.fit would learn them): counted here,
    # with the features, before anything as large as the features is made.
    group_levels = None if dataset.group_name is None else class_order(train.groups)
    check_feature_count(len(dataset.x_names) if references is None else len(references), settings.degree,
                        0 if group_levels is None else len(group_levels), len(dataset))
    pipeline = FeaturePipeline(dataset.x_names, degree=settings.degree, group_name=dataset.group_name,
                               group_levels=group_levels, standardize=settings.standardize, references=references)
    with np.errstate(over="ignore", invalid="ignore"):  # overflowing features are refused below, by name
        pipeline.fit(train.X, train.groups)

    def layout(part: Dataset) -> np.ndarray:
        return np.ascontiguousarray(pipeline.transform(part.X, part.groups, dtype=dtype).T)

    model = build_model(settings.model, pipeline.n_features, n_classes=0 if classes is None else len(classes),
                        loss=settings.loss, hidden=settings.hidden)

    def target(part: Dataset) -> np.ndarray:
        if classes is None:
            return np.ascontiguousarray(part.y, dtype=dtype)
        return encode_target(model, encode_labels(part.y, classes), dtype=dtype)

    with np.errstate(over="ignore", invalid="ignore"):
        Xt_train, Xt_test = layout(train), layout(test)
    _check_features_finite(dataset, pipeline, Xt_train, Xt_test)
    return Problem(settings, dataset, pipeline, model, classes, train_rows, test_rows,
                   Xt_train, target(train), Xt_test, target(test),
                   rngs={"init": init_seed, "batch": batch_seed})


def _where(dataset: Dataset) -> str:
    return f"{dataset.source}: " if dataset.source else ""


def _check_target_size(dataset: Dataset, dtype: np.dtype) -> None:
    """Refuse regression targets whose squared errors can overflow ``dtype``.

    A residual is at most about 2·max|y| (ŷ = 0 at the start, or an overshoot of y's size), so the
    N squared residuals of the MSE, R² and the gradient stay finite while 4N·max|y|² ≤ the largest
    float: max|y| ≤ √(max / 4N), 2.1e152 for 1000 rows in float64.
    """
    largest = float(np.max(np.abs(dataset.y)))
    limit = math.sqrt(float(np.finfo(dtype).max) / (4 * len(dataset)))
    if largest > limit:
        raise DataError(translate("Training", "{where}column {name!r}: the targets are too large to square in "
                                              "{dtype} (largest |y| is {largest:.3g}; for {rows} rows it must stay "
                                              "below {limit:.3g}); rescale the target column").format(
            where=_where(dataset), name=dataset.y_name, dtype=dtype.name, largest=largest, rows=len(dataset),
            limit=limit))


def _check_features_finite(dataset: Dataset, pipeline: FeaturePipeline, Xt_train, Xt_test) -> None:
    """Refuse features (p, N) that overflowed: a monomial of large inputs, or their mean or std."""
    arrays = [Xt_train, Xt_test]
    if pipeline.standardize and pipeline.mean is not None and pipeline.std is not None:  # fitted
        arrays.append(np.column_stack([pipeline.mean, pipeline.std]))
    for Xt in arrays:
        finite = np.isfinite(Xt).all(axis=1)
        if not finite.all():
            name = pipeline.names[int(np.argmin(finite))]
            if pipeline.standardize:
                template = translate("Training", "{where}feature {name!r} overflows {dtype}: its values or their "
                                                 "spread exceed {limit:.3g}; rescale the input columns it is made of")
            else:
                template = translate("Training", "{where}feature {name!r} overflows {dtype}: its values exceed "
                                                 "{limit:.3g}; rescale the input columns it is made of")
            raise DataError(template.format(where=_where(dataset), name=name, dtype=Xt.dtype.name,
                                            limit=float(np.finfo(Xt.dtype).max)))


def past_snapshot(problem: Problem, kept: Kept, l2: float, epochs_per_step: float = 1.0) -> Snapshot:
    """A snapshot of a kept past step, evaluated: its θ; and where step − 1 is kept too, the full-batch
    ∂J/∂θ at θ of step − 1 and the change θ_step − θ_(step−1) (as the step's own snapshot spells
    out the last update).  No losses: those are in the run's history already.  ``epochs_per_step``
    is 1 for full-batch runs, the batch's share of the training rows otherwise."""
    model = problem.model
    theta = np.array(kept.theta)
    gradient = update = None
    grad = np.zeros_like(theta)
    with np.errstate(all="ignore"):
        if kept.previous is not None:
            model.objective_grad(np.array(kept.previous), problem.Xt_train, problem.y_train, l2, grad)
            gradient, update = _frozen(grad), _frozen(theta - kept.previous)
        metrics = evaluate(problem, theta, l2)
        grad_norm = float(np.linalg.norm(grad))
    params = {name: _frozen(value) for name, value in model.unpack(theta).items()}
    return Snapshot(step=kept.step, epoch=kept.step * epochs_per_step, params=params, losses=_frozen(np.empty(0)),
                    grad_norm=grad_norm, metrics=metrics, gradient=gradient, update=update)


def evaluate(problem: Problem, theta: np.ndarray, l2: float) -> dict:
    """``{"train": metrics, "test": metrics or None}`` of parameters ``theta`` on ``problem``.

    Regression: mse, rmse, mae, r2; classification: cross_entropy, accuracy, confusion; both also
    ``objective`` (the training objective J, λ included, on those rows).
    """
    parts = {"train": (problem.Xt_train, problem.y_train), "test": (problem.Xt_test, problem.y_test)}
    model = problem.model
    result: dict[str, dict | None] = {}
    with np.errstate(all="ignore"):
        for name, (Xt, y) in parts.items():
            if not y.shape[0]:
                result[name] = None
                continue
            metrics = model.head.metrics(y, model.logits(theta, Xt))
            metrics["objective"] = model.objective(theta, Xt, y, l2)
            result[name] = metrics
    return result


def carry_parameters(old: Problem, new: Problem, theta: np.ndarray) -> np.ndarray | None:
    """``theta`` of ``old`` re-expressed for ``new`` so the model computes the same function of the
    raw inputs although ``new``'s standardisation was fitted on other rows; None when the two
    problems' features, classes or model shapes differ."""
    if (old.model.n_params != new.model.n_params or old.classes != new.classes
            or old.pipeline.names != new.pipeline.names or type(old.model) is not type(new.model)):
        return None
    carried = np.array(theta, dtype=np.float64)
    params = new.model.unpack(carried)
    first_w, first_b = ("W1", "b1") if "W1" in params else ("W", "b")
    W_raw, b_raw = old.pipeline.to_raw_units(params[first_w], params[first_b])
    params[first_w][...], params[first_b][...] = new.pipeline.from_raw_units(W_raw, b_raw)
    return carried


@dataclass(frozen=True)
class Snapshot:
    """The state of a run after ``step`` updates; owns read-only copies of everything.

    ``losses`` are the objective values of every step since the previous snapshot (the value at
    the parameters the step started from, on its batch), so a loss curve built from snapshots
    misses no step.  ``metrics`` is ``{"train": {...}, "test": {...} or None}`` when evaluated.

    The last update spelled out, both (n_params,) in θ's order or None before the first step:
    ``gradient`` is ∂J/∂θ at the parameters the last step started from (on its batch), and
    ``update`` the change that step applied, θ_after − θ_before (−η·gradient for gd and sgd; None
    when the last step was refused because the run diverged).
    """

    step: int
    epoch: float
    params: dict
    losses: np.ndarray
    grad_norm: float
    metrics: dict | None = None
    stop_reason: str | None = None
    message: str = ""
    gradient: np.ndarray | None = None
    update: np.ndarray | None = None

    def __repr__(self) -> str:
        last = f"{self.losses[-1]:.6g}" if len(self.losses) else "-"
        stop = f", stopped={self.stop_reason!r}" if self.stop_reason else ""
        return f"Snapshot(step={self.step}, epoch={self.epoch:.3g}, loss={last}, |g|={self.grad_norm:.3g}{stop})"


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array


STOP_MAX_STEPS = "max steps"
STOP_CONVERGED = "converged"
STOP_DIVERGED = "diverged"
# A loss above GROWTH_LIMIT × the run's first loss means divergence (see Trainer).
GROWTH_LIMIT = 10.0


class Trainer:
    """Owns the parameters and optimizer state of one run over a :class:`Problem`.

    ``lr``, ``l2`` and ``batch_size`` may be changed between steps; the next step uses them.

    Divergence stops the run before the step that would take the parameters there, so they stay
    the last finite ones: when the loss or gradient is infinite or NaN, or — for gd, sgd and
    momentum — when the loss grew past GROWTH_LIMIT × J_0, the run's first loss (mini-batch: an
    epoch's mean batch loss past GROWTH_LIMIT × the first epoch's; single batches are too noisy).
    Too large a learning rate grows their loss geometrically, past 10·J_0 within a few dozen steps
    and long before it overflows, while a converging run may still rise above J_0 for a while
    (momentum at a high but stable rate oscillates to several times J_0): hence a limit relative to
    J_0, not to the best loss so far.  Adagrad and Adam move each parameter by at most a few η per
    step, so their loss cannot run away, and their transients are large (adagrad's first steps on
    degree-9 features reach 30·J_0).  Changing ``l2`` or the problem changes the objective, so J_0
    is taken afresh.
    """

    _last_start: np.ndarray | None  # θ the last applied step started from
    _last_grad: np.ndarray | None   # the gradient it used (self.grad, except for exact)
    _first_loss: float | None       # J_0 of the growth limit; None: taken at the next step

    def __init__(self, problem: Problem):
        self.problem = problem
        s = problem.settings
        self.model = problem.model
        self._l2 = problem.l2
        self.batch_size = s.batch_size
        self.max_steps = s.steps
        self.tol = s.tol
        self.optimizer = make_optimizer(s.optimizer, s.lr)
        self.exact = s.optimizer == "exact"
        self.theta = self.model.init(np.random.default_rng(problem.rngs["init"]), s.init)
        self.grad = np.zeros_like(self.theta)
        self.step_count = 0
        self.batches_seen = 0
        self.stop_reason: str | None = None
        self.message = ""
        self._batch_rng = np.random.default_rng(problem.rngs["batch"])
        self._order: np.ndarray | None = None
        self._cursor = 0
        self._epoch_losses: list[float] = []
        self._previous_epoch_loss: float | None = None
        self._pending_losses: list[float] = []
        self.timeline: Timeline | None = None
        self._forget_last_step()
        self._restart_growth()

    def __repr__(self) -> str:
        return (f"Trainer({self.model!r}, {self.optimizer!r}, l2={self.l2:g}, step={self.step_count}, "
                f"stop={self.stop_reason!r})")

    @property
    def lr(self) -> float:
        return self.optimizer.lr

    @lr.setter
    def lr(self, value: float) -> None:
        if not math.isfinite(value) or value <= 0:
            raise SettingsError(f"learning rate must be positive (got {value:g})")
        self.optimizer.lr = float(value)

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, value: float) -> None:
        if not math.isfinite(value) or value < 0:
            raise SettingsError(f"L2 penalty must be zero or positive (got {value:g})")
        if value != self._l2:
            self._restart_growth()
        self._l2 = float(value)

    @property
    def full_batch(self) -> bool:
        return self.exact or self.batch_size is None or self.batch_size >= self.problem.n_train

    @property
    def epoch(self) -> float:
        batch_size = self.batch_size
        if self.full_batch or batch_size is None:
            return float(self.step_count)
        return self.batches_seen / math.ceil(self.problem.n_train / batch_size)

    def _next_batch(self):
        n, batch_size = self.problem.n_train, self.batch_size
        assert batch_size is not None  # only mini-batch runs (not full_batch) take batches
        order = self._order
        if order is None or self._cursor >= n:
            order = self._order = self._batch_rng.permutation(n)
            self._cursor = 0
        rows = order[self._cursor:self._cursor + batch_size]
        self._cursor += len(rows)
        return self.problem.Xt_train[:, rows], self.problem.y_train[rows], self._cursor >= n

    def step(self) -> float:
        """One parameter update; returns the objective at the parameters it started from.  An applied
        update is recorded in ``timeline`` if there is one."""
        before = self.step_count
        with np.errstate(all="ignore"):  # overflow is expected on divergence, which stops the run
            loss = self._step()
        if self.timeline is not None and self.step_count != before:
            self.timeline.record(self.step_count, self.theta)
        return loss

    def rewind(self, step: int, theta: np.ndarray) -> None:
        """Go back to parameters ``theta`` of past ``step`` (a kept step of ``timeline``) and train on
        from there: the timeline forgets the steps after it, the optimizer's state (momentum, moments)
        starts afresh, as does the divergence check's J_0."""
        self.theta[...] = theta
        self.step_count = self.batches_seen = int(step)
        self.optimizer.reset()
        self.stop_reason, self.message = None, ""
        self._pending_losses = []
        self._order, self._cursor = None, 0
        self._epoch_losses.clear()
        self._previous_epoch_loss = None
        self._forget_last_step()
        self._restart_growth()
        if self.timeline is not None:
            self.timeline.truncate(step)

    def keep_timeline(self, earlier: Iterable[tuple[int, np.ndarray]] = ()) -> Timeline:
        """Record the parameters of every step from now on (and of this one) in a new timeline, after
        ``earlier`` (step, θ) pairs of this run (a restored session's; those of another size or not
        before this step are left out)."""
        timeline = Timeline(self.theta.size)
        timeline.trained_on(0, self.problem)
        for step, theta in earlier:
            if step < self.step_count and np.shape(theta) == self.theta.shape:
                timeline.record(step, np.asarray(theta, dtype=np.float64))
        timeline.record(self.step_count, self.theta)
        self.timeline = timeline
        return timeline

    def _step(self) -> float:
        p = self.problem
        if self.exact:
            return self._exact_step()
        if self.full_batch:
            loss = self.model.objective_grad(self.theta, p.Xt_train, p.y_train, self.l2, self.grad)
            epoch_loss: float | None = loss
        else:
            Xt, y, epoch_done = self._next_batch()
            loss = self.model.objective_grad(self.theta, Xt, y, self.l2, self.grad)
            epoch_loss = self._epoch_mean(loss, epoch_done)
        # A step that diverges is not taken: its loss is not recorded and the parameters stay finite.
        if not (math.isfinite(loss) and np.isfinite(self.grad).all()):
            self._stop(STOP_DIVERGED, self._divergence_message(loss))
            return loss
        if epoch_loss is not None and not self.optimizer.bounded_step:
            first_loss = self._first_loss
            if first_loss is None:
                self._first_loss = epoch_loss
            elif epoch_loss > GROWTH_LIMIT * first_loss:
                self._stop(STOP_DIVERGED, self._growth_message(epoch_loss, first_loss))
                return loss
        before = self.theta.copy()
        self.optimizer.step(self.theta, self.grad)
        if not np.isfinite(self.theta).all():
            self.theta[...] = before
            self._stop(STOP_DIVERGED, self._divergence_message(float("inf")))
            return loss
        self._last_start, self._last_grad = before, self.grad
        self._pending_losses.append(loss)
        self.step_count += 1
        self.batches_seen += 1
        if self.tol > 0:
            self._check_tolerance(epoch_loss)
        return loss

    def _epoch_mean(self, loss: float, epoch_done: bool) -> float | None:
        """Mini-batch: the mean batch loss of the epoch that the batch of ``loss`` completes, or None
        in mid-epoch."""
        self._epoch_losses.append(loss)
        if not epoch_done:
            return None
        mean = float(np.mean(self._epoch_losses))
        self._epoch_losses.clear()
        return mean

    def _forget_last_step(self) -> None:
        """No step to spell out (none taken yet, or the problem changed)."""
        self._last_start = None
        self._last_grad = None

    def _restart_growth(self) -> None:
        """Take J_0 afresh at the next step (the objective changed)."""
        self._first_loss = None

    def _check_tolerance(self, epoch_loss: float | None) -> None:
        if self.full_batch:
            if float(np.max(np.abs(self.grad))) <= self.tol:
                self._stop(STOP_CONVERGED, translate("Training", "converged at step {step}: every gradient "
                                                                 "component ≤ {tol:g}").format(
                    step=self.step_count, tol=self.tol))
            return
        if epoch_loss is None:
            return
        previous, self._previous_epoch_loss = self._previous_epoch_loss, epoch_loss
        if previous is not None and abs(previous - epoch_loss) <= self.tol * max(1.0, abs(previous)):
            self._stop(STOP_CONVERGED, translate("Training", "converged after epoch {epoch:.0f}: the mean batch "
                                                             "loss changed by ≤ {tol:g} (relative)").format(
                epoch=self.epoch, tol=self.tol))

    def _growth_message(self, loss: float, first: float) -> str:
        if self.full_batch:
            template = translate("Training", "diverged at step {step}: the loss grew to {ratio:.3g}× its first value "
                                             "({first:.3g} → {loss:.3g}); lower the learning rate (now {lr:g})")
        else:
            template = translate("Training", "diverged at step {step}: the mean batch loss of an epoch grew to "
                                             "{ratio:.3g}× its first epoch's ({first:.3g} → {loss:.3g}); lower the "
                                             "learning rate (now {lr:g})")
        return template.format(step=self.step_count + 1, ratio=loss / first, first=first, loss=loss, lr=self.lr)

    def _divergence_message(self, loss: float) -> str:
        if math.isnan(loss):
            template = translate("Training", "diverged at step {step}: the loss became not a number; lower the "
                                             "learning rate (now {lr:g})")
        else:
            template = translate("Training", "diverged at step {step}: the loss became infinite; lower the "
                                             "learning rate (now {lr:g})")
        return template.format(step=self.step_count + 1, lr=self.lr)

    def _stop(self, reason: str, message: str) -> None:
        self.stop_reason, self.message = reason, message
        if reason == STOP_DIVERGED:  # no step applied; the refused one's gradient is at the current θ
            self._last_start = None
            if not self.exact:
                self._last_grad = self.grad

    def _exact_step(self) -> float:
        p = self.problem
        before = self.theta.copy()
        loss, converged, _ = exact_step(self.model, self.theta, p.Xt_train, p.y_train, self.l2, self.grad,
                                        max(self.tol, 1e-10))
        # exact_step leaves self.grad at the new θ; the gradient it started from costs one more pass
        # (one per exact step, next to a least-squares or Newton solve).
        start_grad = np.empty_like(before)
        self.model.objective_grad(before, p.Xt_train, p.y_train, self.l2, start_grad)
        self._last_start, self._last_grad = before, start_grad
        self._pending_losses.append(loss)
        self.step_count += 1
        self.batches_seen += 1
        if not np.isfinite(self.theta).all():
            self.theta[...] = before
            advice = translate("Training", "add L2 regularisation (L2 λ under Model)").for_command_line(
                "add L2 regularisation (--l2)")
            self._stop(STOP_DIVERGED, translate("Training", "the exact solver failed at step {step} (the problem "
                                                            "is ill-conditioned); {advice}")
                       .format(step=self.step_count, advice=advice))
        elif converged:
            steps = self.step_count  # lupdate reads a plain name as the count, not an attribute
            self._stop(STOP_CONVERGED, translate("Training", "solved exactly in %n step(s)", "", steps))
        return loss

    def evaluate(self) -> dict:
        """Metrics and objective on the train rows and (if any) the test rows, at the current θ."""
        return evaluate(self.problem, self.theta, self.l2)

    def _grad_norm(self) -> float:
        with np.errstate(all="ignore"):
            return float(np.linalg.norm(self.grad))

    def snapshot(self, evaluate: bool = True) -> Snapshot:
        """Freeze the current state; the losses pending since the last snapshot move into it."""
        losses, self._pending_losses = self._pending_losses, []
        params = {name: _frozen(value) for name, value in self.model.unpack(self.theta).items()}
        with np.errstate(all="ignore"):
            update = None if self._last_start is None else _frozen(self.theta - self._last_start)
        return Snapshot(step=self.step_count, epoch=self.epoch, params=params,
                        losses=_frozen(np.asarray(losses, dtype=np.float64)),
                        grad_norm=self._grad_norm(),
                        metrics=self.evaluate() if evaluate else None,
                        stop_reason=self.stop_reason, message=self.message,
                        gradient=None if self._last_grad is None else _frozen(self._last_grad),
                        update=update)

    def run(self, max_steps: int | None = None, chunk_seconds: float = 0.05,
            metrics_seconds: float = 0.0, wait_turn: Callable[[], None] | None = None) -> Iterator[Snapshot]:
        """Train until ``max_steps`` total steps (default: the settings'), convergence or divergence.

        Yields a snapshot after every ``chunk_seconds`` of steps (at least one step per chunk) and a
        final one, with metrics, that says why it stopped.  Intermediate snapshots carry metrics at
        most every ``metrics_seconds``.  ``wait_turn`` is called before every step (a thread sharing the
        interpreter with a window waits there while the window is busy).  May be called again to
        continue after a stop for max steps.
        """
        limit = self.max_steps if max_steps is None else max_steps
        if self.stop_reason == STOP_MAX_STEPS:
            self.stop_reason, self.message = None, ""
        last_metrics = -math.inf
        while self.stop_reason is None:
            chunk_end = time.perf_counter() + chunk_seconds
            while self.stop_reason is None:
                if self.step_count >= limit:
                    self._stop(STOP_MAX_STEPS, f"stopped after {self.step_count} steps (the step limit)")
                    break
                if wait_turn is not None:
                    wait_turn()
                self.step()
                if time.perf_counter() >= chunk_end:
                    break
            if self.stop_reason is not None:
                break
            now = time.perf_counter()
            evaluate = now - last_metrics >= metrics_seconds
            if evaluate:
                last_metrics = now
            yield self.snapshot(evaluate=evaluate)
        yield self.snapshot(evaluate=True)

    def replace_problem(self, problem: Problem, theta: np.ndarray | None = None) -> None:
        """Train on ``problem`` (edited data) from the next step, starting from ``theta`` if given.

        The optimizer's state (momentum, moments) is kept when the parameter count is unchanged;
        otherwise parameters are initialised afresh from the seed, and a timeline being kept starts
        afresh too (its rows are θ of the old size).
        """
        resized = problem.model.n_params != self.model.n_params
        if resized:
            self.theta = problem.model.init(np.random.default_rng(problem.rngs["init"]), problem.settings.init)
            self.optimizer.reset()
        elif theta is not None:
            self.theta = np.array(theta, dtype=np.float64)
        self.problem, self.model = problem, problem.model
        if self.timeline is not None:
            if resized:
                self.keep_timeline()
            else:
                self.timeline.trained_on(self.step_count + 1, problem)
        self.grad = np.zeros_like(self.theta)
        self._forget_last_step()
        self._order, self._cursor = None, 0
        self._epoch_losses.clear()
        self._previous_epoch_loss = None
        self._restart_growth()

    def resume(self) -> None:
        """Forget a stop for convergence or the step limit (not a divergence)."""
        if self.stop_reason in (STOP_CONVERGED, STOP_MAX_STEPS):
            self.stop_reason, self.message = None, ""
