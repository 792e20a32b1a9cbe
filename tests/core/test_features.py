"""The feature pipeline: monomials, group interactions, standardisation, serialisation."""

import numpy as np
import pytest

from regstudio.core.errors import DataError
from regstudio.core.features import FeaturePipeline

sklearn_preprocessing = pytest.importorskip("sklearn.preprocessing")


@pytest.mark.parametrize("d, degree", [(1, 4), (2, 3), (3, 2)])
def test_monomials_match_sklearn_polynomial_features_in_order(d, degree):
    X = np.random.default_rng(0).normal(size=(25, d))
    pipeline = FeaturePipeline([f"x{i}" for i in range(d)], degree=degree, standardize=False).fit(X)
    reference = sklearn_preprocessing.PolynomialFeatures(degree, include_bias=False).fit(X)
    np.testing.assert_allclose(pipeline.transform(X), reference.transform(X), rtol=1e-12)
    assert pipeline.names == [n.replace(" ", "*") for n in reference.get_feature_names_out(pipeline.input_names)]


def test_standardisation_uses_training_statistics_and_population_std():
    train = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    pipeline = FeaturePipeline(["a", "b"]).fit(train)
    np.testing.assert_allclose(pipeline.mean, [3.0, 5.0])
    np.testing.assert_allclose(pipeline.std, [np.sqrt(8 / 3), 1.0])  # ddof = 0; constant column divides by 1
    np.testing.assert_allclose(pipeline.transform(np.array([[3.0, 7.0]])), [[0.0, 2.0]])


def test_group_interactions_give_each_group_its_own_line():
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    groups = np.array(["b", "a", "b", "c"])
    pipeline = FeaturePipeline(["x"], group_name="species", standardize=False).fit(X, groups)
    assert pipeline.group_levels == ("a", "b", "c")
    assert pipeline.names == ["[species=b]", "[species=c]", "x*[species=a]", "x*[species=b]", "x*[species=c]"]
    np.testing.assert_array_equal(pipeline.transform(X, groups), [
        [1, 0, 0, 1, 0],
        [0, 0, 2, 0, 0],
        [1, 0, 0, 3, 0],
        [0, 1, 0, 0, 4],
    ])


def test_unknown_group_level_is_an_error_naming_it():
    pipeline = FeaturePipeline(["x"], group_name="g").fit(np.zeros((2, 1)), np.array(["a", "b"]))
    with pytest.raises(DataError, match="'z'.*'g'"):
        pipeline.transform(np.zeros((1, 1)), np.array(["z"]))


def test_round_trip_through_dict_gives_identical_features():
    rng = np.random.default_rng(3)
    X, groups = rng.normal(size=(30, 2)), rng.choice(["p", "q"], 30)
    pipeline = FeaturePipeline(["u", "v"], degree=2, group_name="g").fit(X, groups)
    restored = FeaturePipeline.from_dict(pipeline.to_dict())
    np.testing.assert_array_equal(restored.transform(X, groups), pipeline.transform(X, groups))


def test_raw_units_reproduce_the_standardised_affine_map():
    rng = np.random.default_rng(4)
    X = rng.normal(loc=10, scale=3, size=(20, 2))
    pipeline = FeaturePipeline(["a", "b"], degree=2).fit(X)
    W, b = rng.normal(size=(3, 5)), rng.normal(size=3)
    W_raw, b_raw = pipeline.to_raw_units(W, b)
    raw = FeaturePipeline(["a", "b"], degree=2, standardize=False).transform(X)
    np.testing.assert_allclose(raw @ W_raw.T + b_raw, pipeline.transform(X) @ W.T + b, rtol=1e-10)
