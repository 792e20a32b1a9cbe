"""The readable parameters table: the last update spelled out, names, original units, hidden factors."""

from __future__ import annotations

import re

import numpy as np
import pytest

from regstudio.core.generators import generate
from regstudio.core.models import SoftmaxCrossEntropy
from regstudio.core.readable import (
    GROUP_LINES_HEADING,
    ORIGINAL_UNITS_HEADING,
    TRAINED_HEADING,
    TRAINED_RAW_HEADING,
    feature_labels,
    group_comparison,
    group_lines,
    parameter_names,
    parameter_table,
)
from regstudio.core.training import Settings, Trainer, prepare


def finite_difference_gradient(problem, theta, l2, h=1e-6):
    """Central differences of model.objective over the training rows."""
    model = problem.model
    grad = np.empty_like(theta)
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = h
        grad[i] = (model.objective(theta + e, problem.Xt_train, problem.y_train, l2)
                   - model.objective(theta - e, problem.Xt_train, problem.y_train, l2)) / (2 * h)
    return grad


def trained(problem, steps):
    trainer = Trainer(problem)
    for _ in range(steps):
        trainer.step()
    return trainer


@pytest.mark.parametrize("data, settings", [
    ("cubic", Settings(model="polynomial", degree=3, lr=0.05, l2=0.01)),
    ("blobs", Settings(model="softmax", lr=0.5)),
    ("xor", Settings(model="cascade", hidden=3, lr=1.0)),
])
def test_gd_step_is_minus_rate_times_the_gradient_at_the_previous_parameters(data, settings):
    problem = prepare(generate(data, n=80, noise=0.3, seed=2), settings)
    trainer = trained(problem, 4)
    previous = trainer.theta.copy()
    trainer.step()
    snapshot = trainer.snapshot()
    np.testing.assert_allclose(snapshot.gradient, finite_difference_gradient(problem, previous, trainer.l2),
                               rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(snapshot.update, trainer.theta - previous, rtol=0, atol=0)
    np.testing.assert_allclose(snapshot.update, -trainer.lr * snapshot.gradient, rtol=1e-12, atol=0)
    # … and the table shows them next to each parameter, in the same relation.
    table = parameter_table(problem, snapshot.params, snapshot.gradient, snapshot.update)
    heading = TRAINED_HEADING
    rows = table.section(heading)
    assert len(rows) == problem.model.n_params
    values, gradients, steps = np.array(list(rows.values())).T
    np.testing.assert_allclose(steps, -trainer.lr * gradients, rtol=1e-12, atol=0)
    np.testing.assert_allclose(np.sort(values), np.sort(trainer.theta), rtol=0, atol=0)


def test_adam_update_is_the_change_it_applied_not_minus_rate_times_gradient():
    problem = prepare(generate("line", n=50, seed=1), Settings(model="linear", optimizer="adam", lr=0.1))
    trainer = trained(problem, 3)
    previous = trainer.theta.copy()
    trainer.step()
    snapshot = trainer.snapshot()
    np.testing.assert_array_equal(snapshot.update, trainer.theta - previous)
    assert not np.allclose(snapshot.update, -trainer.lr * snapshot.gradient)
    np.testing.assert_allclose(snapshot.gradient, finite_difference_gradient(problem, previous, trainer.l2),
                               rtol=1e-6)


def test_exact_step_reports_the_gradient_it_started_from():
    problem = prepare(generate("cubic", n=60, seed=3), Settings(model="polynomial", degree=3, optimizer="exact"))
    trainer = Trainer(problem)
    start = trainer.theta.copy()
    trainer.step()
    snapshot = trainer.snapshot()
    np.testing.assert_allclose(snapshot.gradient, finite_difference_gradient(problem, start, trainer.l2), rtol=1e-6)
    np.testing.assert_allclose(snapshot.update, trainer.theta - start)
    assert snapshot.grad_norm < 1e-8  # the gradient at the solution, as before


def test_no_update_before_the_first_step_nor_after_a_refused_one():
    problem = prepare(generate("line", n=40, seed=0), Settings(model="linear", lr=5.0, standardize=False))
    trainer = Trainer(problem)
    first = trainer.snapshot()
    assert first.gradient is None and first.update is None
    table = parameter_table(problem, first.params, first.gradient, first.update)
    assert np.isnan(np.array(list(table.section(TRAINED_RAW_HEADING).values()))[:, 1:]).all()
    for _ in trainer.run(max_steps=1000):
        pass
    last = trainer.snapshot()
    assert last.stop_reason == "diverged"
    assert last.update is None
    np.testing.assert_allclose(last.gradient, finite_difference_gradient(problem, trainer.theta, 0.0, h=1e-3),
                               rtol=1e-4)


def test_names_follow_the_model_and_the_features():
    poly = prepare(generate("circles", n=60, seed=0), Settings(model="softmax", degree=2))
    names = parameter_names(poly)
    W = np.arange(poly.model.n_params, dtype=float)
    params = poly.model.unpack(W)
    # each name is found at the index of its own class and monomial
    exponents = poly.pipeline.exponents.tolist()
    for k, label in enumerate(poly.classes):
        for j, e in enumerate(exponents):
            term = "·".join(n + ("" if p == 1 else "²") for n, p in zip(("x1", "x2"), e) if p)
            assert names[int(params["W"][k, j])] == f"[{label}] w {term}"
        assert names[int(params["b"][k])] == f"[{label}] b (bias)"
    cascade = prepare(generate("xor", n=40, seed=0), Settings(model="cascade", hidden=3))
    theta = np.arange(cascade.model.n_params, dtype=float)
    p = cascade.model.unpack(theta)
    names = parameter_names(cascade)
    assert names[int(p["W1"][1, 0])] == "hidden 2: w x1"
    assert names[int(p["b1"][2])] == "hidden 3: b"
    assert names[int(p["W2"][0, 2])] == "output: w from hidden 3"
    assert names[int(p["b2"][0])] == "output: b"
    # the table lists each unit's weights with its bias, with the same values
    rows = parameter_table(cascade, p).section(TRAINED_HEADING)
    assert list(rows)[:4] == ["hidden 1: w x1", "hidden 1: w x2", "hidden 1: b", "hidden 2: w x1"]
    for i, name in enumerate(names):
        assert rows[name][0] == theta[i]


def test_each_softmax_cascade_name_moves_what_it_names():
    # K = 3 classes and H = 2 hidden units, so a name that swapped class and unit would point at
    # another entry of W2 (3, 2).  Moving the entry a name points at must move exactly what it names:
    # that hidden unit's input (by the named feature), or that class's logit (by the named unit).
    problem = prepare(generate("blobs", n=30, seed=2), Settings(model="cascade", hidden=2))
    model, Xt = problem.model, problem.Xt_train
    assert model.n_outputs == 3 and isinstance(model.head, SoftmaxCrossEntropy)
    features = feature_labels(problem.pipeline)
    theta = model.init(np.random.default_rng(0))
    delta = 0.5

    def hidden_input(theta):  # W1·x + b1 (H, N), from the hidden units' outputs
        A = model.hidden_activations(theta, Xt)
        return np.log(A / (1 - A))

    A, U, Z = model.hidden_activations(theta, Xt), hidden_input(theta), model.logits(theta, Xt).copy()
    kinds = set()
    for i, name in enumerate(parameter_names(problem)):
        moved = theta.copy()
        moved[i] += delta
        dU, dZ = hidden_input(moved) - U, model.logits(moved, Xt) - Z
        expected_dU, expected_dZ = np.zeros_like(dU), np.zeros_like(dZ)
        if m := re.fullmatch(r"hidden (\d+): w (\S+)", name):
            expected_dU[int(m[1]) - 1] = delta * Xt[features.index(m[2])]
        elif m := re.fullmatch(r"hidden (\d+): b", name):
            expected_dU[int(m[1]) - 1] = delta
        elif m := re.fullmatch(r"\[(\S+)\] output: w from hidden (\d+)", name):
            expected_dZ[problem.classes.index(m[1])] = delta * A[int(m[2]) - 1]
        elif m := re.fullmatch(r"\[(\S+)\] output: b", name):
            expected_dZ[problem.classes.index(m[1])] = delta
        else:
            pytest.fail(f"unexpected name {name!r}")
        kinds.add(m.re.pattern)
        np.testing.assert_allclose(dU, expected_dU, atol=1e-9, err_msg=name)
        if name.startswith("["):  # a hidden unit's change reaches every logit: only its input is checked
            np.testing.assert_allclose(dZ, expected_dZ, atol=1e-12, err_msg=name)
    assert len(kinds) == 4


def test_original_units_predict_what_the_model_predicts():
    problem = prepare(generate("cubic", n=60, seed=4), Settings(model="polynomial", degree=3, lr=0.05))
    trainer = trained(problem, 50)
    table = parameter_table(problem, trainer.model.unpack(trainer.theta))
    assert table.names[0] == ORIGINAL_UNITS_HEADING  # original units first
    rows = table.section(ORIGINAL_UNITS_HEADING)
    x = problem.dataset.X[:, 0]
    by_hand = rows["intercept"][0] + rows["x"][0] * x + rows["x²"][0] * x ** 2 + rows["x³"][0] * x ** 3
    Xt = problem.pipeline.transform(problem.dataset.X).T
    np.testing.assert_allclose(by_hand, problem.model.predict(trainer.theta, Xt), rtol=1e-10, atol=1e-10)


def hidden_factor_problem(settings, seed=5, n=150):
    return prepare(generate("hidden_factor", n=n, noise=0.4, seed=seed), settings)


@pytest.mark.parametrize("degree", [1, 2])
def test_each_group_line_is_that_groups_own_least_squares_fit(degree):
    """With per-group slopes (and no penalty) the joint least squares splits into one fit per group."""
    problem = hidden_factor_problem(Settings(model="polynomial", degree=degree, optimizer="exact"))
    trainer = trained(problem, 1)
    lines = group_lines(problem, trainer.theta)
    train = problem.dataset.subset(problem.train_rows)
    assert [line.name for line in lines] == sorted(set(train.groups))
    for line in lines:
        rows = train.groups == line.name
        coefficients = np.polyfit(train.X[rows, 0], train.y[rows], degree)[::-1]  # b, w_x, w_x²
        assert line.b == pytest.approx(coefficients[0], rel=1e-8, abs=1e-8)
        np.testing.assert_allclose(line.w, coefficients[1:], rtol=1e-8, atol=1e-8)
    # The table's group section shows the same numbers, as b_g and w_g (not offsets from the first group).
    table = parameter_table(problem, trainer.model.unpack(trainer.theta))
    assert table.names[0] == GROUP_LINES_HEADING
    rows = table.section(GROUP_LINES_HEADING)
    for line in lines:
        assert rows[f"{line.name}: b"][0] == pytest.approx(line.b)
        assert rows[f"{line.name}: w x"][0] == pytest.approx(line.w[0])


def test_one_line_per_group_beats_one_shared_line_on_test_data():
    dataset = generate("hidden_factor", n=200, noise=0.5, seed=6)
    settings = Settings(model="linear", test_fraction=0.3, seed=2)
    comparison = group_comparison(dataset, settings)
    assert comparison.grouped_test < comparison.shared_test
    assert comparison.grouped_train < comparison.shared_train
    # independent check of the shared line: np.polyfit on the same training rows
    problem = prepare(dataset, settings)
    train, test = dataset.subset(problem.train_rows), dataset.subset(problem.test_rows)
    slope, intercept = np.polyfit(train.X[:, 0], train.y, 1)
    assert comparison.shared_train == pytest.approx(np.mean((slope * train.X[:, 0] + intercept - train.y) ** 2))
    assert comparison.shared_test == pytest.approx(np.mean((slope * test.X[:, 0] + intercept - test.y) ** 2))
    assert comparison.rows()[0] == ("one shared line", comparison.shared_train, comparison.shared_test)
    xs, ys = comparison.shared_curve((-1.0, 2.0))
    np.testing.assert_allclose(ys, slope * xs + intercept, rtol=1e-9, atol=1e-9)
    assert (xs[0], xs[-1]) == (-1.0, 2.0)


def test_without_a_group_column_there_are_no_group_lines_nor_comparison():
    dataset = generate("line", n=40, seed=0)
    problem = prepare(dataset, Settings(model="linear"))
    assert group_lines(problem, np.zeros(problem.model.n_params)) is None
    assert group_comparison(dataset, Settings(model="linear")) is None
    assert group_comparison(generate("hidden_factor", n=40, seed=0), Settings(model="cascade")) is None


def test_with_a_penalty_the_table_marks_the_biases_as_not_penalised():
    from regstudio.core.lessons import lesson
    from regstudio.core.readable import parameter_table

    for key, marked in (("Regularization", True), ("Slope", False)):
        problem = lesson(key).spec().prepare()
        table = parameter_table(problem, problem.model.unpack(np.zeros(problem.model.n_params)))
        names = [str(name) for name in table.names]
        flagged = [name for name in names if name.endswith(", not penalised")]
        expected = ["b (bias), not penalised"] if marked else []
        assert flagged == expected, key
        # and it is true: the penalty's gradient leaves exactly those parameters alone
        if marked:
            assert problem.model.penalized.sum() == problem.model.n_params - 1
