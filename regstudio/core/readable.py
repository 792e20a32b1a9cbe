"""The parameters as a student reads them: names, original units, each group's own line.

``parameter_names(problem)`` names every entry of θ in θ's order ("w x1²", "b (bias)",
"[setosa] w x1", "hidden 1: w x1", "output: w from hidden 1").  ``parameter_table`` lays out the
table the window shows: first the parameters in original units (the intercept and coefficients on
the raw inputs, or each group's own line), then the trained parameters (on standardised features)
with the last step's gradient ∂J/∂θ and the step applied.  ``group_lines`` gives each group's line
(the notes' hidden factors: with one-hot indicators δ_g the model is ŷ = b + δ_g + w_g·m(x) in group
g, i.e. b_g = b + δ_g with δ_1 = 0), and ``group_comparison`` fits one shared line and one line per
group exactly and reports the training and test MSE of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .data import Dataset
from .features import FeaturePipeline
from .messages import translate
from .models import OrdinalModel, is_classifier
from .solvers import exact_step
from .training import Problem, Settings, evaluate, prepare
from .views import regression_curves

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

ORIGINAL_UNITS_HEADING = translate("Parameters", "— in original units —")
GROUP_LINES_HEADING = translate("Parameters", "— each group's own line (original units) —")
TRAINED_HEADING = translate("Parameters", "— trained, on standardised features —")
TRAINED_RAW_HEADING = translate("Parameters", "— trained parameters —")


def monomial_labels(pipeline: FeaturePipeline) -> list[str]:
    """The monomials' names with superscript powers and a middle dot: "x1²", "x1·x2"."""
    labels = []
    for exponents in pipeline.exponents:
        parts = [name if e == 1 else f"{name}{str(int(e)).translate(_SUPERSCRIPT)}"
                 for name, e in zip(pipeline.base_names, exponents) if e]
        labels.append("·".join(parts))
    return labels


def feature_labels(pipeline: FeaturePipeline) -> list[str]:
    """One name per model feature, in the pipeline's order: the monomials, or with groups
    ``δ(B), …, δ(G)`` then every monomial times each group's indicator, "x·δ(A)"."""
    monomials = monomial_labels(pipeline)
    if not pipeline.group_levels:
        return monomials
    return ([f"δ({g})" for g in pipeline.group_levels[1:]]
            + [f"{m}·δ({g})" for g in pipeline.group_levels for m in monomials])


def _class_tags(problem: Problem) -> list[str]:
    """Row prefixes per model output: none for one output, "[label] " per class otherwise."""
    K = problem.model.n_outputs
    return [""] if K == 1 else [f"[{c}] " for c in (problem.classes or range(K))]


def threshold_names(classes) -> list[str]:
    """The ordinal thresholds' names between neighbouring classes: "θ 1|2", "θ 2|3", …"""
    return [f"θ {low}|{high}" for low, high in zip(classes[:-1], classes[1:])]


def ordinal_raw_units(problem: Problem, theta) -> tuple[np.ndarray, np.ndarray]:
    """An ordinal model's weights w' (p,) on the raw features and thresholds θ' (K − 1,), with
    θ_k − w·z = θ'_k − w'·f for the standardised z of raw features f."""
    model = problem.model
    assert isinstance(model, OrdinalModel)
    W_raw, shift = problem.pipeline.to_raw_units(model.unpack(theta)["W"], np.zeros(1))
    return W_raw[0], model.thresholds(theta) - shift[0]


def parameter_names(problem: Problem) -> list[str]:
    """One readable name per entry of θ, in θ's order.

    Affine models (θ = W (K, p) row by row, then b (K,)): "w x1", …, "b (bias)", prefixed by
    "[class] " when K > 1.  Cascade (θ = W1 (H, p), b1 (H,), W2 (K, H), b2 (K,)): "hidden 1: w x1",
    "hidden 1: b", "output: w from hidden 1", "output: b" (units counted from 1).  Ordinal (θ = w (p,),
    θ_1, the log gaps): "w x1", …, "θ 1|2", "ln(θ 2|3 − θ 1|2)", … (named by the neighbouring classes).
    """
    model = problem.model
    features = feature_labels(problem.pipeline)
    if isinstance(model, OrdinalModel):
        weight = translate("Parameters", "{tag}w {feature}")
        thresholds = threshold_names(problem.classes or [str(k + 1) for k in range(model.n_classes)])
        gap = translate("Parameters", "ln({upper} − {lower})")
        return ([weight.format(tag="", feature=f) for f in features] + thresholds[:1]
                + [gap.format(upper=upper, lower=lower) for lower, upper in zip(thresholds[:-1], thresholds[1:])])
    tags = _class_tags(problem)
    if model.has_hidden_layer:
        H = model.n_hidden
        hidden_w = translate("Parameters", "hidden {unit}: w {feature}")
        hidden_b = translate("Parameters", "hidden {unit}: b")
        output_w = translate("Parameters", "{tag}output: w from hidden {unit}")
        output_b = translate("Parameters", "{tag}output: b")
        names: list[str] = [hidden_w.format(unit=h + 1, feature=f) for h in range(H) for f in features]
        names += [hidden_b.format(unit=h + 1) for h in range(H)]
        names += [output_w.format(tag=tag, unit=h + 1) for tag in tags for h in range(H)]
        names += [output_b.format(tag=tag) for tag in tags]
    else:
        weight, bias = translate("Parameters", "{tag}w {feature}"), translate("Parameters", "{tag}b (bias)")
        names = [weight.format(tag=tag, feature=f) for tag in tags for f in features]
        names += [bias.format(tag=tag) for tag in tags]
    if len(names) != model.n_params:
        raise ValueError(f"{len(names)} names for {model.n_params} parameters of {model!r}")
    return names


def table_order(problem: Problem) -> np.ndarray:
    """Indices into θ in the order the table lists them: each output's (or hidden unit's) weights
    followed by its bias, so a unit's parameters stay together."""
    model = problem.model
    if model.kind == "ordinal":  # the weights, then the thresholds in their order
        return np.arange(model.n_params)
    if model.has_hidden_layer:
        H, p, K = model.n_hidden, model.n_features, model.n_outputs
        hidden = np.column_stack([np.arange(H * p).reshape(H, p), H * p + np.arange(H)])
        start = H * p + H
        output = np.column_stack([start + np.arange(K * H).reshape(K, H), start + K * H + np.arange(K)])
        return np.concatenate([hidden.ravel(), output.ravel()])
    K, p = model.n_outputs, model.n_features
    return np.column_stack([np.arange(K * p).reshape(K, p), K * p + np.arange(K)]).ravel()


@dataclass(frozen=True)
class GroupLine:
    """One group's own model in original units: ŷ = b + w·terms (w (m,), one per monomial)."""

    name: str
    b: float
    w: np.ndarray
    terms: tuple[str, ...]

    def __repr__(self) -> str:
        slope = " + ".join(f"{v:.4g}·{t}" for v, t in zip(self.w, self.terms))
        return f"GroupLine({self.name!r}: ŷ = {self.b:.4g} + {slope})"


def group_lines(problem: Problem, theta: np.ndarray) -> list[GroupLine] | None:
    """Each group's intercept b_g = b + δ_g (δ_1 = 0) and coefficients w_g on the raw inputs'
    monomials, for a one-output affine model whose features include a group column; else None.

    With standardisation the weights are first mapped back to raw features (``to_raw_units``), so
    b_g and w_g are the numbers a separate fit of group g's rows in original units would give.
    """
    pipeline, model = problem.pipeline, problem.model
    if (not pipeline.group_levels or model.has_hidden_layer or model.n_outputs != 1
            or isinstance(model, OrdinalModel)):
        return None
    params = model.unpack(np.asarray(theta, dtype=np.float64))
    W_raw, b_raw = pipeline.to_raw_units(params["W"], params["b"])
    w, b = W_raw[0], float(b_raw[0])
    levels = pipeline.group_levels
    G, m = len(levels), len(pipeline.exponents)
    offsets = np.concatenate([[0.0], w[:G - 1]])
    terms = tuple(monomial_labels(pipeline))
    return [GroupLine(level, b + float(offsets[k]), w[G - 1 + k * m: G - 1 + (k + 1) * m].copy(), terms)
            for k, level in enumerate(levels)]


@dataclass(frozen=True)
class ParameterTable:
    """The parameters table: ``names`` (n,), ``values`` (n, 3) — value, ∂J/∂θ, step, NaN where a
    row has none — and ``headings`` (n,) bool marking section titles (whose values are all NaN)."""

    names: tuple[str, ...]
    values: np.ndarray
    headings: np.ndarray

    def __repr__(self) -> str:
        titles = [n for n, h in zip(self.names, self.headings) if h]
        return f"ParameterTable({len(self.names)} rows, sections={titles})"

    def __add__(self, other: ParameterTable) -> ParameterTable:
        return ParameterTable(self.names + other.names, np.vstack([self.values, other.values]),
                              np.concatenate([self.headings, other.headings]))

    def section(self, heading: str) -> dict[str, np.ndarray]:
        """``{name: (value, gradient, step)}`` of the rows under ``heading`` (KeyError if absent)."""
        if heading not in self.names:
            raise KeyError(heading)
        start = self.names.index(heading) + 1
        rows = {}
        for i in range(start, len(self.names)):
            if self.headings[i]:
                break
            rows[self.names[i]] = self.values[i]
        return rows


def _rows(heading: str, names: list[str], columns: list) -> ParameterTable:
    """A section: the heading row, then ``names`` with up to three columns of numbers."""
    values = np.full((len(names) + 1, 3), np.nan)
    for j, column in enumerate(columns):
        if column is not None:
            values[1:, j] = column
    headings = np.zeros(len(names) + 1, dtype=bool)
    headings[0] = True
    return ParameterTable((heading, *names), values, headings)


NOT_PENALISED = translate("Parameters", "{name}, not penalised")


class TableLayout:
    """What of the table depends on the problem only (names, order, sections), built once per
    problem; ``table(theta, gradient, update)`` fills in one frame's numbers."""

    def __init__(self, problem: Problem):
        self.problem = problem
        model, pipeline = problem.model, problem.pipeline
        self.order = table_order(problem)
        names = parameter_names(problem)
        if problem.settings.model == "ridge" or problem.l2 > 0:
            # the notes' point: λ shrinks the weights, never the bias
            names = [name if model.penalized[i] else NOT_PENALISED.format(name=name) for i, name in enumerate(names)]
        self.trained_names = [names[i] for i in self.order]
        self.trained_heading = TRAINED_HEADING if pipeline.standardize else TRAINED_RAW_HEADING
        self.grouped = group_lines(problem, np.zeros(model.n_params)) is not None
        self.affine = not model.has_hidden_layer
        if self.grouped:
            terms = monomial_labels(pipeline)
            self.original_names = [name for level in pipeline.group_levels or ()
                                   for name in [f"{level}: b", *(f"{level}: w {t}" for t in terms)]]
        elif model.kind == "ordinal":
            self.original_names = [*threshold_names(problem.classes or ()), *feature_labels(pipeline)]
        elif self.affine:
            features = feature_labels(pipeline)
            self.original_names = [name for tag in _class_tags(problem)
                                   for name in [translate("Parameters", "{tag}intercept").format(tag=tag),
                                                *(f"{tag}{f}" for f in features)]]
        else:
            self.original_names = []

    def __repr__(self) -> str:
        return (f"TableLayout({self.problem.model!r}, {len(self.original_names)} original-unit rows, "
                f"{len(self.trained_names)} trained, groups={self.grouped})")

    def original_values(self, theta: np.ndarray) -> np.ndarray:
        """The original-units column: each group's (b_g, w_g…), each output's (intercept, w…), or the
        ordinal thresholds then weights."""
        lines = group_lines(self.problem, theta) if self.grouped else None
        if lines is not None:
            return np.concatenate([[line.b, *line.w] for line in lines])
        if self.problem.model.kind == "ordinal":
            w, thresholds = ordinal_raw_units(self.problem, theta)
            return np.concatenate([thresholds, w])
        params = self.problem.model.unpack(theta)
        W_raw, b_raw = self.problem.pipeline.to_raw_units(params["W"], params["b"])
        return np.column_stack([b_raw, W_raw]).ravel()

    def table(self, theta: np.ndarray, gradient: np.ndarray | None = None,
              update: np.ndarray | None = None) -> ParameterTable:
        theta = np.asarray(theta, dtype=np.float64)
        with np.errstate(all="ignore"):
            trained = _rows(self.trained_heading, self.trained_names,
                            [theta[self.order],
                             None if gradient is None else np.asarray(gradient)[self.order],
                             None if update is None else np.asarray(update)[self.order]])
            if not self.original_names:
                return trained
            heading = GROUP_LINES_HEADING if self.grouped else ORIGINAL_UNITS_HEADING
            return _rows(heading, self.original_names, [self.original_values(theta)]) + trained


def parameter_table(problem: Problem, params: dict, grad: np.ndarray | None = None,
                    step: np.ndarray | None = None) -> ParameterTable:
    """The table for parameters ``params`` (the model's named arrays) with the last step's gradient
    ``grad`` and applied step ``step`` (θ-sized, θ's order, or None): original units first (each
    group's own line when the features include a group column), then the trained parameters."""
    return TableLayout(problem).table(problem.model.pack(params), grad, step)


@dataclass(frozen=True)
class GroupComparison:
    """MSE of one line shared by every group and of one line per group (the notes' hidden
    factors), each fitted exactly on the training rows; test values None without test rows.
    ``shared_problem`` and ``shared_theta`` are the shared line's fit, for drawing it."""

    shared_train: float
    shared_test: float | None
    grouped_train: float
    grouped_test: float | None
    shared_problem: Problem | None = field(default=None, repr=False, compare=False)
    shared_theta: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        return (f"GroupComparison(shared: train {self.shared_train:.4g}, test {self.shared_test}; "
                f"per group: train {self.grouped_train:.4g}, test {self.grouped_test})")

    def rows(self) -> list[tuple[str, float, float | None]]:
        """(name, train MSE, test MSE) for one shared line, then one line per group."""
        return [(translate("Parameters", "one shared line"), self.shared_train, self.shared_test),
                (translate("Parameters", "one line per group"), self.grouped_train, self.grouped_test)]

    def shared_curve(self, x_range: tuple[float, float], axis: int = 0) -> tuple[np.ndarray, np.ndarray] | None:
        """The shared line over ``x_range`` of input ``axis`` (the other inputs at their means)."""
        if self.shared_problem is None or self.shared_theta is None:
            return None
        (_, xs, ys), = regression_curves(self.shared_problem, self.shared_theta, x_range, axis)
        return xs, ys


def _exact_fit(dataset: Dataset, settings: Settings, test_mask) -> tuple[Problem, np.ndarray, float, float | None]:
    """The exact least-squares fit of ``settings``' model: (problem, θ, train MSE, test MSE)."""
    problem = prepare(dataset, settings, test_mask)
    theta = np.zeros(problem.model.n_params)
    with np.errstate(all="ignore"):
        exact_step(problem.model, theta, problem.Xt_train, problem.y_train, problem.l2,
                   np.zeros_like(theta), 1e-10)
        metrics = evaluate(problem, theta, problem.l2)
    test = None if metrics["test"] is None else metrics["test"]["mse"]
    return problem, theta, metrics["train"]["mse"], test


def group_comparison(dataset: Dataset, settings: Settings, test_mask: np.ndarray | None = None
                     ) -> GroupComparison | None:
    """Fit ``settings``' regression model (its degree, λ and standardisation) by least squares twice
    on the same split: once ignoring the group column, once with it (per-group intercepts and
    coefficients); None when ``dataset`` has no group column or the model is a classifier."""
    if dataset.group_name is None or is_classifier(settings.model):
        return None
    exact = replace(settings, optimizer="exact", lr=None, batch_size=None)
    shared = replace(dataset, groups=None, group_name=None)
    shared_problem, shared_theta, shared_train, shared_test = _exact_fit(shared, exact, test_mask)
    _, _, grouped_train, grouped_test = _exact_fit(dataset, exact, test_mask)
    return GroupComparison(shared_train, shared_test, grouped_train, grouped_test, shared_problem, shared_theta)
