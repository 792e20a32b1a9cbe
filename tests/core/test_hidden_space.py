"""The hidden space: points mapped by the cascade's hidden units or by the distance features, and the
output unit's straight boundary there."""

import math
import pickle
from dataclasses import replace

import numpy as np
import pytest

from regstudio.core.errors import SettingsError
from regstudio.core.generators import generate
from regstudio.core.hidden_space import (
    XOR_CASCADE_SETTINGS,
    XOR_DATA,
    XOR_DISTANCE_SETTINGS,
    HiddenSpaceRequest,
    clip_line,
    has_hidden_space,
    hidden_space,
)
from regstudio.core.training import Settings, Trainer, prepare


def _trained(data, settings, n=XOR_DATA["n"], noise=XOR_DATA["noise"], seed=0):
    trainer = Trainer(prepare(generate(data, n, noise, seed=seed), settings))
    final = list(trainer.run())[-1]
    return trainer.problem, trainer.theta, final


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _vertices(boundary):
    xs, ys = boundary
    keep = ~np.isnan(xs)
    return np.column_stack([xs[keep], ys[keep]])


def test_cascade_points_are_the_hidden_activations():
    problem, theta, _ = _trained("xor", replace(XOR_CASCADE_SETTINGS, steps=50))
    space = hidden_space(problem, theta)
    p = problem.model.unpack(theta)
    n_train = problem.n_train
    expected = np.concatenate([problem.model.hidden_activations(theta, problem.Xt_train).T,
                               problem.model.hidden_activations(theta, problem.Xt_test).T])
    np.testing.assert_array_equal(space.coordinates, expected)
    by_hand = _sigmoid(p["W1"] @ problem.pipeline.transform(problem.dataset.X[space.rows]).T + p["b1"][:, None]).T
    np.testing.assert_allclose(space.coordinates, by_hand, rtol=1e-12)
    np.testing.assert_array_equal(space.xy, space.coordinates)
    assert space.test.tolist() == [False] * n_train + [True] * len(problem.test_rows)
    assert space.classes.tolist() == [int(problem.dataset.y[r]) for r in space.rows]  # labels "0"/"1" in order
    assert space.x_range == space.y_range == (0.0, 1.0)
    assert space.axis_labels == ("x₁′ = σ(hidden 1)", "x₂′ = σ(hidden 2)")


def test_cascade_boundary_is_where_the_output_logit_is_zero_across_the_unit_square():
    problem, theta, _ = _trained("xor", XOR_CASCADE_SETTINGS)
    space = hidden_space(problem, theta)
    p = problem.model.unpack(theta)
    ends = _vertices(space.boundary)
    assert len(ends) == 2
    np.testing.assert_allclose(p["W2"] @ ends.T + p["b2"][:, None], 0.0, atol=1e-12)
    assert ((ends >= -1e-12) & (ends <= 1 + 1e-12)).all()
    on_edge = np.isclose(ends, 0.0, atol=1e-12) | np.isclose(ends, 1.0, atol=1e-12)
    assert on_edge.any(axis=1).all()  # clipped by the square, not cut short


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_trained_cascade_puts_the_classes_on_opposite_sides_of_a_line(seed):
    problem, theta, final = _trained("xor", XOR_CASCADE_SETTINGS, seed=seed)
    space = hidden_space(problem, theta)
    p = problem.model.unpack(theta)
    side = (p["W2"][0] @ space.xy.T + p["b2"][0]) > 0
    for part, rows in (("train", ~space.test), ("test", space.test)):
        accuracy = float(np.mean(side[rows] == space.classes[rows]))
        assert accuracy == pytest.approx(final.metrics[part]["accuracy"], abs=1e-12)
    assert final.metrics["train"]["accuracy"] >= 0.95


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_lesson_a_cascade_separates_xor_where_logistic_regression_cannot(seed):
    """The course notes' claim with the lesson's settings.  Plain logistic regression ends nearly flat:
    its cross-entropy stays at chance (ln 2) and a line holds at most three of the four clouds (see
    test_distance_features for why its accuracy alone is a coin toss between 0.3 and 0.78)."""
    _, _, cascade = _trained("xor", XOR_CASCADE_SETTINGS, seed=seed)
    _, _, logistic = _trained("xor", replace(XOR_CASCADE_SETTINGS, model="logistic", lr=1.0), seed=seed)
    assert cascade.metrics["train"]["accuracy"] >= 0.95 and cascade.metrics["test"]["accuracy"] >= 0.95
    assert logistic.metrics["train"]["cross_entropy"] > 0.95 * math.log(2)
    assert logistic.metrics["train"]["accuracy"] <= 0.8


def test_distance_points_and_their_straight_boundary():
    problem, theta, final = _trained("xor", XOR_DISTANCE_SETTINGS, seed=1)
    space = hidden_space(problem, theta)
    X = problem.dataset.X[space.rows]
    expected = np.column_stack([np.hypot(X[:, 0] - rx, X[:, 1] - ry) for rx, ry in XOR_DISTANCE_SETTINGS.references])
    np.testing.assert_allclose(space.xy, expected, rtol=1e-14)
    assert space.axis_labels == ("x₁′ = distance to (1.5, 1.5)", "x₂′ = distance to (-1.5, -1.5)")
    p = problem.model.unpack(theta)
    ends = _vertices(space.boundary)
    pipeline = problem.pipeline
    z = (ends - pipeline.mean) / pipeline.std @ p["W"][0] + p["b"][0]
    np.testing.assert_allclose(z, 0.0, atol=1e-9)
    side = ((expected - pipeline.mean) / pipeline.std @ p["W"][0] + p["b"][0]) > 0
    assert np.mean(side[~space.test] == space.classes[~space.test]) == pytest.approx(final.metrics["train"]["accuracy"])
    assert space.x_range[0] == 0 and space.x_range[1] >= expected.max()


def test_curved_distance_boundary_is_traced_where_the_classes_tie():
    problem, theta, _ = _trained("xor", replace(XOR_DISTANCE_SETTINGS, degree=2), seed=1)
    space = hidden_space(problem, theta)
    vertices = _vertices(space.boundary)
    assert len(vertices) > 10 and "curved" in space.note
    F = problem.pipeline.expand(vertices)
    P = problem.model.predict(theta, np.ascontiguousarray(((F - problem.pipeline.mean) / problem.pipeline.std).T))
    assert np.abs(P[:, 1] - 0.5).max() < 0.01  # up to the error of interpolating linearly within a grid cell


def test_softmax_cascade_boundaries_are_where_the_top_two_logits_tie():
    problem, theta, final = _trained("blobs", Settings("cascade", hidden=2, lr=3.0, steps=300), n=150, noise=0.8)
    space = hidden_space(problem, theta)
    p = problem.model.unpack(theta)
    vertices = _vertices(space.boundary)
    Z = np.sort(p["W2"] @ vertices.T + p["b2"][:, None], axis=0)
    np.testing.assert_allclose(Z[-1], Z[-2], atol=1e-9)
    predicted = np.argmax(p["W2"] @ space.xy.T + p["b2"][:, None], axis=0)
    train = ~space.test
    assert np.mean(predicted[train] == space.classes[train]) == pytest.approx(final.metrics["train"]["accuracy"])


def test_more_hidden_units_show_two_and_hold_the_rest_at_their_mean():
    problem, theta, _ = _trained("xor", replace(XOR_CASCADE_SETTINGS, hidden=4, steps=200))
    space = hidden_space(problem, theta, units=(2, 0))
    assert space.coordinates.shape[1] == 4 and "of 4" in space.note
    np.testing.assert_array_equal(space.xy, space.coordinates[:, [2, 0]])
    assert space.axis_labels == ("x₃′ = σ(hidden 3)", "x₁′ = σ(hidden 1)")
    p = problem.model.unpack(theta)
    held = problem.model.hidden_activations(theta, problem.Xt_train).mean(axis=1)  # every point is shown
    for u, v in _vertices(space.boundary):
        a = held.copy()
        a[2], a[0] = u, v
        assert p["W2"][0] @ a + p["b2"][0] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(SettingsError, match="two different hidden units"):
        hidden_space(problem, theta, units=(1, 1))


def test_one_hidden_unit_has_a_vertical_boundary():
    problem, theta, _ = _trained("xor", replace(XOR_CASCADE_SETTINGS, hidden=1, steps=100))
    space = hidden_space(problem, theta)
    p = problem.model.unpack(theta)
    xs, ys = _vertices(space.boundary).T
    threshold = -p["b2"][0] / p["W2"][0, 0]
    assert 0 < threshold < 1  # this run's output unit splits the hidden unit's range
    np.testing.assert_allclose(xs, threshold, rtol=1e-12)
    assert sorted(ys.tolist()) == [0.0, 1.0]
    assert (space.xy[:, 1] == 0.5).all() and space.axis_labels[1] == ""


def test_many_points_are_subsampled_evenly_and_stay_consistent():
    problem, theta, _ = _trained("xor", replace(XOR_CASCADE_SETTINGS, steps=20), n=400)
    space = hidden_space(problem, theta, max_points=50)
    assert len(space.xy) == len(space.rows) == len(space.classes) == 50
    expected = problem.model.hidden_activations(theta, problem.pipeline.transform(problem.dataset.X[space.rows]).T).T
    np.testing.assert_allclose(space.coordinates, expected, rtol=1e-12)
    assert 0 < space.test.sum() < 50


def test_models_without_a_hidden_space():
    problem, theta, _ = _trained("xor", Settings("logistic", steps=5))
    assert not has_hidden_space(problem)
    with pytest.raises(SettingsError):
        hidden_space(problem, theta)
    line, _, _ = _trained("line", Settings("linear", steps=5))
    assert not has_hidden_space(line)


def test_clip_line_against_half_planes():
    square = [((1, 0), 0), ((-1, 0), 1), ((0, 1), 0), ((0, -1), 1)]
    start, end = clip_line(np.array([2.0, 0.0]), -1.0, square)  # x = ½
    assert sorted([tuple(start), tuple(end)]) == [(0.5, 0.0), (0.5, 1.0)]
    start, end = clip_line(np.array([1.0, 1.0]), -1.0, square + [((0, 1), -0.25)])  # x + y = 1, y ≥ ¼
    assert sorted([tuple(np.round(start, 12)), tuple(np.round(end, 12))]) == [(0.0, 1.0), (0.75, 0.25)]
    assert clip_line(np.array([1.0, 1.0]), -3.0, square) is None  # misses the square
    assert clip_line(np.array([0.0, 0.0]), 1.0, square) is None  # no line at all


def test_the_runner_request_computes_the_same_space_and_survives_the_pipe():
    problem, theta, _ = _trained("xor", replace(XOR_CASCADE_SETTINGS, hidden=3, steps=20))
    request = pickle.loads(pickle.dumps(HiddenSpaceRequest(units=(2, 1))))
    result = pickle.loads(pickle.dumps(request.compute(problem, theta, 0.0)))
    np.testing.assert_array_equal(result.xy, hidden_space(problem, theta, units=(2, 1)).xy)
    assert result.units == (2, 1) and result.coordinates.shape == (problem.n_train + len(problem.test_rows), 2)
    assert HiddenSpaceRequest(units=(5, 0)).compute(problem, theta, 0.0).units == (0, 1)  # a unit it lacks
    plain, theta, _ = _trained("xor", Settings("logistic", steps=5))
    assert HiddenSpaceRequest().compute(plain, theta, 0.0) is None
