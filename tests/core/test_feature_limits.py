"""The number of features is bounded, and counted before anything is made (core/features.py).

Degree 5 on a 30-input CSV made 324,632 parameters and froze the window for 13 s; degree 6 ran out of
memory.  ``prepare`` now counts the features with ``math.comb`` and refuses too many with a message
naming the numbers and what to do, before enumerating a monomial or allocating a feature.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest

import regstudio.core.features as features
from regstudio.core.data import Dataset
from regstudio.core.errors import SettingsError
from regstudio.core.training import Settings, prepare


def wide(n_rows: int = 40, n_inputs: int = 30, groups: int = 0) -> Dataset:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_rows, n_inputs))
    labels = None if not groups else np.array([f"g{i % groups}" for i in range(n_rows)])
    return Dataset(X, X.sum(axis=1), labels, tuple(f"x{i}" for i in range(n_inputs)), "y",
                   None if not groups else "g", 0, "")


@pytest.fixture
def no_big_enumeration(monkeypatch):
    """Fails a test whose code enumerates more monomials than the limit allows (the old code did,
    for minutes and gigabytes, before any check)."""
    enumerate_monomials = features.monomial_exponents

    def guarded(n_inputs, degree):
        count = features.comb(n_inputs + degree, degree) - 1
        assert count <= 10_000, f"enumerated {count:,} monomials ({n_inputs} inputs, degree {degree})"
        return enumerate_monomials(n_inputs, degree)

    monkeypatch.setattr(features, "monomial_exponents", guarded)


def refusal(dataset: Dataset, **settings) -> tuple[str, float, int]:
    """The message of ``prepare``'s SettingsError, the seconds it took and the peak bytes allocated."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(SettingsError) as raised:
            prepare(dataset, Settings(**settings))
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return str(raised.value), seconds, peak


@pytest.mark.parametrize("n_inputs, degree, groups", [(1, 15, 0), (2, 3, 0), (3, 4, 0), (4, 2, 3), (2, 2, 1),
                                                      (30, 2, 0), (5, 3, 4)])
def test_the_count_is_the_number_of_features_the_pipeline_makes(n_inputs, degree, groups):
    levels = [f"g{k}" for k in range(groups)] or None
    pipeline = features.FeaturePipeline([f"x{i}" for i in range(n_inputs)], degree=degree,
                                        group_name="g" if groups else None, group_levels=levels)
    assert features.feature_count(n_inputs, degree, groups) == pipeline.n_features == len(pipeline.names)


def test_degree_6_on_30_inputs_is_refused_at_once_without_allocating(no_big_enumeration):
    message, seconds, peak = refusal(wide(), model="polynomial", degree=6)
    assert message == ("degree 6 on 30 inputs makes 1,947,791 features; at most 10,000 are allowed: "
                       "lower --degree, or choose fewer inputs with --x")
    assert seconds < 0.5
    assert peak < 1_000_000, f"{peak:,} bytes allocated to refuse"


@pytest.mark.parametrize("model, settings", [("polynomial", {}), ("ridge", {}), ("logistic", {}),
                                             ("softmax", {}), ("cascade", {"hidden": 32}),
                                             ("polynomial", {"optimizer": "exact"})])
def test_every_model_refuses_degree_5_on_30_inputs(no_big_enumeration, model, settings):
    data = wide()
    if model != "polynomial" and model != "ridge":
        labels = np.array([str(i % (3 if model == "softmax" else 2)) for i in range(len(data))])
        data = Dataset(data.X, labels, None, data.x_names, "label", None, 0, "")
    message, seconds, _ = refusal(data, model=model, degree=5, **settings)
    assert message.startswith("degree 5 on 30 inputs makes 324,631 features; at most 10,000 are allowed")
    assert seconds < 0.5


def test_group_levels_multiply_the_features(no_big_enumeration):
    assert prepare(wide(), Settings(model="polynomial", degree=3)).model.n_features == 5_455  # allowed alone
    message, _, _ = refusal(wide(groups=3), model="polynomial", degree=3)
    assert message == ("degree 3 on 30 inputs with 3 groups makes 16,367 features; at most 10,000 are allowed: "
                       "lower --degree, or choose fewer inputs with --x")


def test_features_times_rows_are_bounded():
    data = wide(n_rows=1_000_000, n_inputs=2)
    message, seconds, peak = refusal(data, model="polynomial", degree=9)
    assert message == ("degree 9 on 2 inputs makes 54 features, 54,000,000 values for 1,000,000 rows; at most "
                       "50,000,000 are allowed: lower --degree, or use fewer inputs (--x) or rows")
    assert peak < 50_000_000, f"{peak:,} bytes allocated to refuse"  # the split's row indices, not features
    assert features.check_feature_count(2, 8, n_rows=1_000_000) == 44  # 44,000,000 values are allowed


def test_the_limits_allow_what_they_promise_and_no_more():
    check = features.check_feature_count
    assert check(4, 15) == 3_875  # every degree of the window's 1…15 on 4 inputs
    assert check(37, 3) == 9_879 and check(139, 2) == 9_869
    for n_inputs, degree in ((5, 15), (38, 3), (140, 2), (30, 4)):
        with pytest.raises(SettingsError, match="at most 10,000 are allowed"):
            check(n_inputs, degree)


def test_the_window_reads_the_same_refusal_naming_its_controls():
    with pytest.raises(SettingsError) as raised:
        features.check_feature_count(30, 6)
    message = raised.value.args[0]
    assert message.template == ("degree {degree} on %n input(s) makes {features:,} features; at most {limit:,} are "
                                "allowed: {advice}")
    assert message.fields["advice"].template == ("lower Degree under Model, or choose fewer inputs when you open "
                                                 "the data")
    with pytest.raises(SettingsError, match="degree 15 on 1 input makes 15 features, 60,000,000 values"):
        features.check_feature_count(1, 15, n_rows=4_000_000)
