"""The feature pipeline: polynomial monomials → group interactions → standardisation.

``FeaturePipeline`` turns raw inputs ``X`` (N, d) and optional group labels (N,) into the model's
features ``F`` (N, p):

1. *Monomials*: every product of inputs of total degree 1…degree, no constant column, ordered by
   degree, then as ``itertools.combinations_with_replacement`` orders them (scikit-learn's order).
2. *Groups*: with G group levels (sorted as class labels are) the features become
   ``[δ_2, …, δ_G, δ_1·m, …, δ_G·m]``: an intercept offset for every level after the first (the
   first level's intercept is the model's bias) and a full set of monomial coefficients per level —
   the course notes' "δ(species = k) times every feature".
0. *Distances* (optional, the course notes' hand-made feature transformation): with reference
   points r_1…r_R (R, d) the inputs are first replaced by ``x′_k = ‖x − r_k‖`` (N, R), named
   "dist to (1, 1)"; the steps below then treat them as the inputs.  Two references at the corners
   of one class make XOR separable by a line: that class lies near one corner, the other class is
   about equally far from both.
3. *Standardisation* (on by default): ``z = (f − mean) / std`` with the population std (ddof = 0),
   fitted on the training split only; a constant column divides by 1.  A column counts as constant
   when ``std ≤ N·ε·|mean|`` (ε the float64 machine epsilon, N the training rows): computing the
   mean of N copies of one value already errs by that much, so a smaller std is rounding noise
   (a column of 0.1s has std 1.4e-17, not 0) and dividing by it would blow the column up.
"""

from __future__ import annotations

from itertools import combinations_with_replacement
from math import comb

import numpy as np

from .data import class_order
from .errors import DataError, SettingsError
from .messages import translate

# The xor generator's class-0 corners: each class-0 point is near one of them, each class-1 point
# about 3 from both, so x₁′ + x₂′ separates the classes (about 4.2 against 6).
XOR_REFERENCES = ((1.5, 1.5), (-1.5, -1.5))

# How many features a problem may have.  The count is C(d + p, p) − 1 monomials of degree 1…p of d
# inputs (times the group interactions), which grows like d^p: degree 5 on a 30-input CSV is 324,631
# features and froze the window for 13 s, degree 6 (1,947,791) ran out of memory.  So
# ``check_feature_count`` computes the count with ``math.comb`` and refuses a problem before anything
# is enumerated or allocated, with the same message on the command line and in the window.
#
# MAX_FEATURES: every model keeps (and the window's parameters table names) one weight per feature and
# output, or per feature and hidden unit: 320,000 for a 32-unit cascade at this limit.  The exact solvers
# form a features × features matrix (Newton's Hessian; ridge's augmented least squares), 800 MB at 10,000
# features but 20 GB at 50,000; each frame's probability map evaluates every feature on a 64 × 64 grid,
# 330 MB at 10,000.  Ten thousand still allows every degree (the window's 1…15) on up to 4 inputs, degree
# 3 on 37 inputs and degree 2 on 139.
MAX_FEATURES = 10_000
# MAX_FEATURE_VALUES bounds features × rows: the prepared features (training and test rows) are float64,
# so 50,000,000 values hold 400 MB, and preparing them peaks at about 650 MB (measured for 54 features ×
# 900,000 rows).  A million rows may have up to 50 features (degree 9 of 2 inputs is 54).
MAX_FEATURE_VALUES = 50_000_000


def monomial_exponents(n_inputs: int, degree: int) -> np.ndarray:
    """(m, n_inputs) int exponents of all monomials of total degree 1…degree."""
    rows = []
    for total in range(1, degree + 1):
        for combo in combinations_with_replacement(range(n_inputs), total):
            rows.append(np.bincount(combo, minlength=n_inputs))
    return np.array(rows, dtype=np.int64).reshape(-1, n_inputs)


def feature_count(n_inputs: int, degree: int, n_groups: int = 0) -> int:
    """How many features ``FeaturePipeline`` makes, by arithmetic alone: the m = C(d + p, p) − 1
    monomials of degree 1…p of d inputs, or with G group levels (G − 1) + G·m."""
    monomials = comb(n_inputs + degree, degree) - 1
    return monomials if n_groups < 1 else (n_groups - 1) + n_groups * monomials


def check_feature_count(n_inputs: int, degree: int, n_groups: int = 0, n_rows: int = 0) -> int:
    """The number of features (see :func:`feature_count`), or SettingsError when it exceeds
    ``MAX_FEATURES`` or, for ``n_rows`` rows, ``MAX_FEATURE_VALUES``.  Arithmetic only: fast
    whatever the degree, so it runs before anything is enumerated or allocated."""
    features = feature_count(n_inputs, degree, n_groups)
    values = features * max(n_rows, 0)
    if features <= MAX_FEATURES and values <= MAX_FEATURE_VALUES:
        return features
    fields = {"degree": degree, "groups": n_groups, "features": features, "rows": n_rows, "values": values}
    if features > MAX_FEATURES:
        advice = translate("Features", "lower Degree under Model, or choose fewer inputs when you open the data"
                           ).for_command_line("lower --degree, or choose fewer inputs with --x")
        if n_groups:
            template = translate("Features", "degree {degree} on %n input(s) with {groups} groups makes {features:,} "
                                             "features; at most {limit:,} are allowed: {advice}", "", n_inputs)
        else:
            template = translate("Features", "degree {degree} on %n input(s) makes {features:,} features; at most "
                                             "{limit:,} are allowed: {advice}", "", n_inputs)
        raise SettingsError(template.format(limit=MAX_FEATURES, advice=advice, **fields))
    advice = translate("Features", "lower Degree under Model, or open the data with fewer inputs or rows"
                       ).for_command_line("lower --degree, or use fewer inputs (--x) or rows")
    if n_groups:
        template = translate("Features", "degree {degree} on %n input(s) with {groups} groups makes {features:,} "
                                         "features, {values:,} values for {rows:,} rows; at most {limit:,} are "
                                         "allowed: {advice}", "", n_inputs)
    else:
        template = translate("Features", "degree {degree} on %n input(s) makes {features:,} features, {values:,} "
                                         "values for {rows:,} rows; at most {limit:,} are allowed: {advice}",
                             "", n_inputs)
    raise SettingsError(template.format(limit=MAX_FEATURE_VALUES, advice=advice, **fields))


def _number(value: float) -> str:
    return f"{float(value):.15g}"


def distance_point(reference) -> str:
    """``reference`` written as in feature names: "1, 1" (shortest exact form of each coordinate)."""
    return ", ".join(_number(v) for v in reference)


def distance_name(reference) -> str:
    """The name of the distance feature to ``reference``: "dist to (1, 1)"."""
    return translate("Features", "dist to ({point})").format(point=distance_point(reference))


def _monomial_name(exponents, names) -> str:
    parts = [n if e == 1 else f"{n}^{e}" for n, e in zip(names, exponents) if e]
    return "*".join(parts)


class FeaturePipeline:
    """Raw inputs (and group labels) to standardised model features; see the module docstring."""

    def __init__(self, input_names, degree: int = 1, group_name: str | None = None,
                 group_levels=None, standardize: bool = True, mean=None, std=None, references=None):
        if degree < 1:
            raise SettingsError(f"--degree must be at least 1 (got {degree})")
        self.input_names = tuple(input_names)
        self.references = None if references is None else np.array(references, dtype=np.float64)
        if self.references is not None and (self.references.ndim != 2 or not len(self.references)
                                            or self.references.shape[1] != len(self.input_names)
                                            or not np.isfinite(self.references).all()):
            raise SettingsError(f"the reference points must each be {len(self.input_names)} finite numbers, "
                                f"one per input (got {references!r})")
        self.degree = int(degree)
        self.group_name = group_name
        self.group_levels = None if group_levels is None else tuple(str(g) for g in group_levels)
        self.standardize = bool(standardize)
        self.exponents = monomial_exponents(len(self.base_names), self.degree)
        self.mean = None if mean is None else np.asarray(mean, dtype=np.float64)
        self.std = None if std is None else np.asarray(std, dtype=np.float64)

    def __repr__(self) -> str:
        groups = f", groups={list(self.group_levels)}" if self.group_levels else ""
        if self.references is not None:
            groups = f", distances to {self.references.tolist()}{groups}"
        return (f"FeaturePipeline(inputs={list(self.input_names)}, degree={self.degree}{groups}, "
                f"standardize={self.standardize}, features={self.n_features})")

    @property
    def n_features(self) -> int:
        m = len(self.exponents)
        return m if not self.group_levels else (len(self.group_levels) - 1) + len(self.group_levels) * m

    @property
    def base_names(self) -> tuple[str, ...]:
        """What the monomials are made of: the inputs, or the distances to the reference points."""
        if self.references is None:
            return self.input_names
        return tuple(distance_name(r) for r in self.references)

    def distances(self, X: np.ndarray) -> np.ndarray:
        """(N, R) Euclidean distances ``‖x_n − r_k‖`` of raw inputs X (N, d) to the reference points."""
        if self.references is None:
            raise RuntimeError("FeaturePipeline.distances without reference points")
        X = np.asarray(X, dtype=np.float64)
        return np.column_stack([np.sqrt(np.square(X - r).sum(axis=1)) for r in self.references])

    @property
    def names(self) -> list[str]:
        monomials = [_monomial_name(e, self.base_names) for e in self.exponents]
        if not self.group_levels:
            return monomials
        tag = [f"[{self.group_name}={g}]" for g in self.group_levels]
        return tag[1:] + [f"{m}*{t}" for t in tag for m in monomials]

    def fit(self, X: np.ndarray, groups=None) -> "FeaturePipeline":
        """Learn the group levels (if any) and the standardisation statistics from training rows."""
        if self.group_name is not None and self.group_levels is None:
            self.group_levels = class_order(groups)
        F = self.raw_features(X, groups)
        if self.standardize:
            self.mean = F.mean(axis=0)
            std = F.std(axis=0)
            constant = std <= F.shape[0] * np.finfo(np.float64).eps * np.abs(self.mean)
            self.std = np.where(constant, 1.0, std)
        return self

    def raw_features(self, X: np.ndarray, groups=None) -> np.ndarray:
        """Monomials and group interactions, before standardisation: (N, p) float64."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.input_names):
            raise DataError(f"expected {len(self.input_names)} input column(s), got array of shape {X.shape}")
        if self.references is not None:
            X = self.distances(X)
        return self.expand(X, groups)

    def expand(self, B: np.ndarray, groups=None) -> np.ndarray:
        """Monomials and group interactions (N, p) of base features B (N, len(base_names)): the inputs,
        or their distances to the reference points."""
        B = np.asarray(B, dtype=np.float64)
        if self.degree == 1:
            M = B.copy()
        else:
            M = self._monomials(B)
        if not self.group_levels:
            return M
        if groups is None:
            raise DataError(f"the model needs the group column {self.group_name!r}")
        index = {g: k for k, g in enumerate(self.group_levels)}
        codes = np.empty(len(groups), dtype=np.int64)
        for row, g in enumerate(groups):
            try:
                codes[row] = index[str(g)]
            except KeyError:
                raise DataError(f"row {row + 1}: group {str(g)!r} in column {self.group_name!r} was not in the "
                                f"training data (levels are {list(self.group_levels)})") from None
        G, m = len(self.group_levels), M.shape[1]
        F = np.zeros((B.shape[0], (G - 1) + G * m))
        onehot = codes[:, None] == np.arange(G)
        F[:, :G - 1] = onehot[:, 1:]
        for k in range(G):
            F[:, G - 1 + k * m: G - 1 + (k + 1) * m] = M * onehot[:, k:k + 1]
        return F

    def _monomials(self, X: np.ndarray) -> np.ndarray:
        """(N, m) monomials of the inputs, built column by column from a table of each input's powers
        (contiguous rows, one multiplication per factor): ``x ** e`` on strided columns made a
        degree-15 grid of 4,096 points cost 30 ms."""
        n_rows, n_inputs = X.shape
        powers = []
        for i in range(n_inputs):
            x = np.ascontiguousarray(X[:, i], dtype=np.float64)
            table = [np.ones(n_rows), x]
            for _ in range(2, self.degree + 1):
                table.append(table[-1] * x)
            powers.append(table)
        Mt = np.empty((len(self.exponents), n_rows))
        for j, exps in enumerate(self.exponents):
            factors = [powers[i][e] for i, e in enumerate(exps) if e]
            np.copyto(Mt[j], factors[0])
            for factor in factors[1:]:
                Mt[j] *= factor
        return Mt.T

    def transform(self, X: np.ndarray, groups=None, dtype=np.float64) -> np.ndarray:
        """Model features (N, p) of ``dtype``: raw features, standardised if enabled."""
        F = self.raw_features(X, groups)
        if self.standardize:
            if self.mean is None:
                raise RuntimeError("FeaturePipeline.transform before fit")
            F -= self.mean
            F /= self.std
        return F.astype(dtype, copy=False)

    def to_raw_units(self, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Affine weights on standardised features → the same map on raw features.

        ``W`` (K, p), ``b`` (K,): ``W·z + b = W'·f + b'`` with ``W' = W / std`` and
        ``b' = b − W'·mean``.
        """
        if not self.standardize:
            return W.copy(), b.copy()
        if self.mean is None or self.std is None:
            raise RuntimeError("FeaturePipeline.to_raw_units before fit")
        W_raw = W / self.std
        return W_raw, b - W_raw @ self.mean

    def from_raw_units(self, W_raw: np.ndarray, b_raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Inverse of :meth:`to_raw_units`: ``W = W'·std``, ``b = b' + W'·mean``."""
        if not self.standardize:
            return W_raw.copy(), b_raw.copy()
        return W_raw * self.std, b_raw + W_raw @ self.mean

    def to_dict(self) -> dict:
        return {
            "inputs": list(self.input_names),
            "degree": self.degree,
            "distances_to": None if self.references is None else self.references.tolist(),
            "monomials": self.exponents.tolist(),
            "names": self.names,
            "group": None if self.group_name is None else {"column": self.group_name,
                                                           "levels": list(self.group_levels or ())},
            "standardize": self.standardize,
            "mean": None if self.mean is None else self.mean.tolist(),
            "std": None if self.std is None else self.std.tolist(),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "FeaturePipeline":
        """Rebuild a fitted pipeline; raises ValueError naming the key of an inconsistent dict."""
        missing = [key for key in ("inputs", "degree", "monomials", "standardize") if key not in d]
        if missing:
            raise ValueError(f"{', '.join(missing)} missing")
        degree, inputs, monomials, standardize = d["degree"], d["inputs"], d["monomials"], d["standardize"]
        references = d.get("distances_to")  # absent from files written before distance features
        if type(degree) is not int or degree < 1:
            raise ValueError(f"degree must be a whole number ≥ 1 (got {degree!r})")
        if not (isinstance(inputs, list) and inputs and all(isinstance(n, str) for n in inputs)
                and len(set(inputs)) == len(inputs)):
            raise ValueError("inputs must list distinct column names")
        if not (isinstance(monomials, list)
                and all(isinstance(m, list) and all(type(e) is int for e in m) for m in monomials)):
            raise ValueError("monomials must list lists of whole numbers")
        if type(standardize) is not bool:
            raise ValueError(f"standardize must be true or false (got {standardize!r})")
        if references is not None and not (isinstance(references, list) and all(
                isinstance(r, list) and all(type(v) in (int, float) for v in r) for r in references)):
            raise ValueError("distances_to must be null or list reference points (lists of numbers)")
        group = d.get("group")
        if group is not None:
            column, levels = (group.get("column"), group.get("levels")) if isinstance(group, dict) else (None, None)
            if not (isinstance(column, str) and isinstance(levels, list) and levels
                    and all(isinstance(g, str) for g in levels) and len(set(levels)) == len(levels)):
                raise ValueError("group must be null or name its column and list its distinct levels")
        for key in ("mean", "std"):
            values = d.get(key)
            if values is not None and not (isinstance(values, list) and all(type(v) in (int, float) for v in values)):
                raise ValueError(f"{key} must be null or list numbers")
        n_base = len(inputs) if references is None else len(references)
        if len(monomials) != comb(n_base + degree, degree) - 1:  # checked before enumerating them
            raise ValueError(f"{n_base} base features of degree {degree} do not give {len(monomials)} monomials")
        pipeline = cls(inputs, degree=degree, group_name=None if group is None else group["column"],
                       group_levels=None if group is None else group["levels"],
                       standardize=standardize, mean=d.get("mean"), std=d.get("std"), references=references)
        if pipeline.exponents.tolist() != monomials:
            raise ValueError("monomials do not match degree and inputs")
        if pipeline.standardize and (pipeline.mean is None or pipeline.mean.shape != (pipeline.n_features,)
                                     or pipeline.std is None or pipeline.std.shape != (pipeline.n_features,)):
            raise ValueError(f"mean and std must each list {pipeline.n_features} numbers")
        return pipeline
