"""Seeded synthetic data sets for the lessons.

Every generator takes ``n`` (rows), ``noise`` (its scale, in the units of the data) and ``rng`` (a
``numpy.random.Generator``), and returns a :class:`~regstudio.core.data.Dataset`.  Regression sets
have columns ``x`` → ``y``; classification sets ``x1``, ``x2`` → ``label`` (labels "0", "1", …),
the same columns as points drawn in the window.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .data import Dataset
from .errors import SettingsError
from .messages import Message, translate

# The built-in sets' own names of groups and of their column, English in the data a generator makes;
# the window shows them in its language (``gui.i18n.localized_generated``).
GROUP_COLUMN = translate("Generators", "group")
SPECIES = translate("Generators", "species {letter}")


def _regression(x, y, groups=None, source="") -> Dataset:
    return Dataset(X=x.reshape(-1, 1), y=y, groups=groups, x_names=("x",), y_name="y",
                   group_name=None if groups is None else str(GROUP_COLUMN), source=source)


def _balanced(n, k, rng) -> np.ndarray:
    """Which of ``k`` classes (or groups) each of ``n`` rows is in: counts as equal as ``n`` allows,
    in seeded random order, so that every class has a row once n ≥ k (independent draws gave a
    two-point "two blobs" a single class in half of the seeds)."""
    return rng.permutation(np.arange(n) % k)


def _classification(X, labels, source="") -> Dataset:
    return Dataset(X=np.ascontiguousarray(X), y=labels.astype(str), groups=None,
                   x_names=("x1", "x2"), y_name="label", source=source)


def line(n, noise, rng, slope=2.0, intercept=1.0):
    """y = slope·x + intercept + noise, x uniform in [-3, 3]."""
    x = rng.uniform(-3, 3, n)
    return _regression(x, slope * x + intercept + noise * rng.standard_normal(n), source="line")


def cubic(n, noise, rng):
    """y = x³/3 − 2x + 1 + noise, x uniform in [-3, 3]: a curve a line cannot follow."""
    x = rng.uniform(-3, 3, n)
    return _regression(x, x ** 3 / 3 - 2 * x + 1 + noise * rng.standard_normal(n), source="cubic")


def sine(n, noise, rng):
    """y = sin(x) + noise, x uniform in [-π, π]: the classic set for over-fitting high degrees."""
    x = rng.uniform(-np.pi, np.pi, n)
    return _regression(x, np.sin(x) + noise * rng.standard_normal(n), source="sine")


def species_name(g: int) -> Message:
    """Group ``g``'s name in the hidden-factor set: "species A", "species B", …"""
    return SPECIES.format(letter=chr(ord("A") + g))


def generated_names(source: str) -> dict[str, Message]:
    """The names a built-in set ``source`` writes into its data (group levels and column), each
    with the message that translates it; {} for a set that writes none."""
    if source != "hidden_factor":
        return {}
    names = {str(GROUP_COLUMN): GROUP_COLUMN}
    names.update({str(species_name(g)): species_name(g) for g in range(6)})
    return names


def hidden_factor(n, noise, rng, groups=3):
    """Several species, each with its own line: one line fits badly until the group is a feature."""
    slopes = np.array([0.5, 1.5, -1.0, 2.5, 0.0, -2.0])[:groups]
    intercepts = np.array([4.0, -1.0, 2.0, 0.0, -3.0, 6.0])[:groups]
    species = _balanced(n, len(slopes), rng)
    x = rng.uniform(0, 5, n)
    y = slopes[species] * x + intercepts[species] + noise * rng.standard_normal(n)
    names = np.array([str(species_name(g)) for g in range(len(slopes))])
    return _regression(x, y, groups=names[species], source="hidden_factor")


def blobs(n, noise, rng, classes=3):
    """``classes`` Gaussian clouds on a circle of radius 3; ``noise`` is their standard deviation."""
    angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centres = 3 * np.column_stack([np.cos(angles), np.sin(angles)])
    labels = _balanced(n, classes, rng)
    return _classification(centres[labels] + noise * rng.standard_normal((n, 2)), labels, "blobs")


def two_blobs(n, noise, rng):
    """Two Gaussian clouds: the set one logistic unit separates."""
    return replace(blobs(n, noise, rng, classes=2), source="two_blobs")


def xor(n, noise, rng):
    """Four clouds at (±1.5, ±1.5), label 1 where the signs differ: no single line separates them."""
    # Listed so that the label alternates: from n = 2 on, _balanced uses the first two corners, one
    # of each class.
    corners = 1.5 * np.array([[-1, -1], [-1, 1], [1, 1], [1, -1]])[_balanced(n, 4, rng)]
    labels = (np.sign(corners[:, 0]) != np.sign(corners[:, 1])).astype(int)
    return _classification(corners + noise * rng.standard_normal((n, 2)), labels, "xor")


def circles(n, noise, rng):
    """A disc of class 0 inside a ring of class 1: separable once x1² and x2² are features."""
    labels = _balanced(n, 2, rng)
    radius = np.where(labels == 0, 1.0, 2.5) + noise * rng.standard_normal(n)
    angle = rng.uniform(0, 2 * np.pi, n)
    return _classification(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), labels,
                           "circles")


def spiral(n, noise, rng, classes=2):
    """Interleaved spiral arms, one per class."""
    labels = _balanced(n, classes, rng)
    t = rng.uniform(0.25, 1, n)
    angle = 3 * np.pi * t + 2 * np.pi * labels / classes
    X = 3 * t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _classification(X + noise * rng.standard_normal((n, 2)), labels, "spiral")


def star_ratings(n, noise, rng, stars=5):
    """Ratings "1" … "``stars``" along x1 (x2 uniform in [-3, 3], unrelated to them): each row's rating
    first, as equal in count as ``n`` allows, then a score uniform in that rating's band of width 1.6
    (bands centred on 0), then x1 = (score − ``noise``·logistic noise) / 1.2 — the latent score of the
    proportional-odds model, so its parallel boundaries stand upright."""
    ratings = _balanced(n, stars, rng)
    edges = 1.6 * (np.arange(stars + 1) - stars / 2)
    score = edges[ratings] + 1.6 * rng.uniform(size=n)
    x1 = (score - noise * rng.logistic(size=n)) / 1.2
    X = np.column_stack([x1, rng.uniform(-3, 3, n)])
    return _classification(X, ratings + 1, "star_ratings")


GENERATORS = {
    "line": line, "cubic": cubic, "sine": sine, "hidden_factor": hidden_factor,
    "two_blobs": two_blobs, "blobs": blobs, "xor": xor, "circles": circles, "spiral": spiral,
    "star_ratings": star_ratings,
}
CLASSIFICATION_SETS = frozenset({"two_blobs", "blobs", "xor", "circles", "spiral", "star_ratings"})


def generate(name: str, n: int = 100, noise: float = 0.5, seed: int = 0, **options) -> Dataset:
    """Make the named data set with a generator seeded by ``seed``; the same seed gives the same rows."""
    if name not in GENERATORS:
        raise SettingsError(f"unknown data set {name!r} (choose from {', '.join(GENERATORS)})")
    if n < 1:
        raise SettingsError(f"data set size must be at least 1 (got {n})")
    if noise < 0:
        raise SettingsError(f"noise must be zero or positive (got {noise})")
    return GENERATORS[name](int(n), float(noise), np.random.default_rng(seed), **options)
