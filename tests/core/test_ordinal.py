"""Ordinal logistic regression (cumulative logit): its gradient against finite differences, gradient
descent against Newton's optimum, that optimum against statsmodels' OrderedModel, and the model
everywhere a model goes (class order, parameter names, model file, session, landscape, views, lesson)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from regstudio.cli import main as cli_main
from regstudio.core.claims import rating_error
from regstudio.core.data import Dataset, ordered_classes
from regstudio.core.generators import generate
from regstudio.core.landscape import LandscapeRequest, compute_landscape
from regstudio.core.lessons import lesson
from regstudio.core.modelfile import model_document, read_model, write_json
from regstudio.core.models import build_model
from regstudio.core.readable import TableLayout, parameter_names
from regstudio.core.session import Points, SessionState, load_session, save_session
from regstudio.core.solvers import exact_step, ordinal_hessian
from regstudio.core.training import Settings, Trainer, prepare
from regstudio.core.views import Viewport, boundary_fields, plot_geometry


def _problem(n=200, noise=0.7, seed=4, **settings):
    dataset = generate("star_ratings", n, noise, seed=seed)
    return prepare(dataset, Settings(**{"model": "ordinal", "test_fraction": 0.0, **settings}))


def _newton(problem, l2=None):
    model = problem.model
    theta, grad = model.init(np.random.default_rng(0)), np.zeros(model.n_params)
    l2 = problem.l2 if l2 is None else l2
    for _ in range(50):
        if exact_step(model, theta, problem.Xt_train, problem.y_train, l2, grad, 1e-12).converged:
            return theta
    raise AssertionError("Newton did not converge")


def _central_differences(f, theta, h):
    return np.array([(f(theta + h * e) - f(theta - h * e)) / (2 * h) for e in np.eye(len(theta))])


@pytest.mark.parametrize("K, degree, l2", [(5, 1, 0.0), (5, 2, 0.05), (2, 1, 0.1), (3, 3, 0.0)])
def test_gradient_matches_central_finite_differences(K, degree, l2):
    rng = np.random.default_rng(K * 10 + degree)
    problem = prepare(generate("star_ratings", 120, 0.8, seed=K, stars=K),
                      Settings("ordinal", degree=degree, test_fraction=0.0))
    model = problem.model
    theta = model.init(rng, "random") + 0.4 * rng.standard_normal(model.n_params)
    grad = np.zeros(model.n_params)
    J = model.objective_grad(theta, problem.Xt_train, problem.y_train, l2, grad)
    assert J == pytest.approx(model.objective(theta, problem.Xt_train, problem.y_train, l2), rel=1e-14)
    numeric = _central_differences(lambda t: model.objective(t, problem.Xt_train, problem.y_train, l2),
                                   theta, 1e-5)
    np.testing.assert_allclose(grad, numeric, rtol=0, atol=1e-7)


def test_the_newton_matrix_is_the_hessian_at_the_optimum():
    problem = _problem(l2=0.01)
    model = problem.model
    theta = _newton(problem)

    def gradient(t):
        g = np.zeros(model.n_params)
        model.objective_grad(t, problem.Xt_train, problem.y_train, 0.01, g)
        return g

    numeric = np.array([(gradient(theta + 1e-5 * e) - gradient(theta - 1e-5 * e)) / 2e-5
                        for e in np.eye(model.n_params)])
    np.testing.assert_allclose(ordinal_hessian(model, theta, problem.Xt_train, problem.y_train, 0.01), numeric,
                               rtol=0, atol=1e-7)


def test_probabilities_are_the_differences_of_the_cumulative_sigmoids_and_stay_finite_far_out():
    model = build_model("ordinal", 1, 4)
    theta = model.pack({"W": [[2.0]], "theta1": [-1.0], "log_gaps": np.log([0.5, 2.0])})
    x = np.array([[-400.0, -1.0, 0.0, 0.7, 400.0]])
    thresholds = np.array([-1.0, -0.5, 1.5])
    with np.errstate(over="ignore"):  # e^800 is inf, and 1/(1 + inf) the 0 it stands for
        cumulative = 1 / (1 + np.exp(-(thresholds[:, None] - 2.0 * x)))
    expected = np.diff(np.vstack([np.zeros(5), cumulative, np.ones(5)]), axis=0).T
    P = model.predict(theta, x)
    np.testing.assert_allclose(P, expected, rtol=1e-12, atol=1e-300)
    assert np.isfinite(model.log_proba(theta, x)).all()   # ln P of the far classes at x = ±400, not −inf


def test_gradient_descent_converges_to_the_newton_optimum():
    problem = _problem(l2=0.01, optimizer="gd", lr=1.0, steps=20_000, tol=1e-9)
    trainer = Trainer(problem)
    final = list(trainer.run())[-1]
    assert final.stop_reason == "converged"
    np.testing.assert_allclose(trainer.theta, _newton(problem), rtol=0, atol=1e-4)


def _ucla_like():
    """A statsmodels-style ordinal set with three named, ordered levels and three inputs."""
    rng = np.random.default_rng(7)
    n = 400
    X = np.column_stack([rng.integers(0, 2, n), rng.integers(0, 2, n), rng.normal(3.0, 0.4, n)])
    score = X @ np.array([1.05, -0.06, 0.62]) + rng.logistic(size=n)
    levels = np.array(["unlikely", "somewhat likely", "very likely"])
    return Dataset(X=X, y=levels[np.searchsorted([2.2, 4.3], score)], groups=None,
                   x_names=("pared", "public", "gpa"), y_name="apply")


@pytest.mark.parametrize("data", ["star_ratings", "ucla_like"])
def test_the_newton_optimum_is_statsmodels_ordered_model(data):
    """statsmodels: P(y ≤ k) = F(cut_k − x·β), params [β, cut_1, ln(cut_2 − cut_1), …], no constant —
    regstudio's [w, theta1, log_gaps] on the same (here unstandardised) features."""
    ordinal_model = pytest.importorskip("statsmodels.miscmodels.ordinal_model")
    order = ("unlikely", "somewhat likely", "very likely")
    dataset = generate("star_ratings", 300, 0.8, seed=2) if data == "star_ratings" else _ucla_like()
    problem = prepare(dataset, Settings("ordinal", test_fraction=0.0, standardize=False, class_order=order))
    theta = _newton(problem, l2=0.0)
    y = problem.y_train
    fitted = ordinal_model.OrderedModel(y, problem.Xt_train.T, distr="logit").fit(method="newton", maxiter=200,
                                                                                 disp=False)
    assert fitted.mle_retvals["converged"]
    np.testing.assert_allclose(theta, fitted.params, rtol=0, atol=1e-5)


def test_numbers_sort_and_text_keeps_the_order_it_first_appears_in_or_the_order_set():
    assert ordered_classes(np.array(["10", "2", "1", "2"])) == ("1", "2", "10")
    assert ordered_classes(np.array(["good", "bad", "fair", "bad"])) == ("good", "bad", "fair")
    chosen = ("bad", "fair", "good", "great")
    assert ordered_classes(np.array(["good", "bad", "fair"]), chosen) == ("bad", "fair", "good")
    # An order that misses a label present is not the data's order: first appearance again.
    assert ordered_classes(np.array(["good", "bad", "fair"]), ("bad", "good")) == ("good", "bad", "fair")
    dataset = Dataset(X=np.arange(6.0)[:, None], y=np.array(["ok", "bad", "good", "ok", "bad", "good"]),
                      groups=None, x_names=("x",), y_name="rating")
    assert prepare(dataset, Settings("ordinal", test_fraction=0.0)).classes == ("ok", "bad", "good")
    assert prepare(dataset, Settings("ordinal", test_fraction=0.0,
                                     class_order=("bad", "ok", "good"))).classes == ("bad", "ok", "good")
    assert prepare(dataset, Settings("softmax", test_fraction=0.0)).classes == ("bad", "good", "ok")


def test_parameter_table_names_the_thresholds_by_their_neighbouring_classes():
    problem = _problem(degree=1)
    assert parameter_names(problem) == ["w x1", "w x2", "θ 1|2", "ln(θ 2|3 − θ 1|2)", "ln(θ 3|4 − θ 2|3)",
                                        "ln(θ 4|5 − θ 3|4)"]
    theta = _newton(problem)
    table = TableLayout(problem).table(theta)
    original = table.section("— in original units —")
    assert list(original) == ["θ 1|2", "θ 2|3", "θ 3|4", "θ 4|5", "x1", "x2"]
    raw = problem.pipeline.raw_features(problem.dataset.X, None)
    w = np.array([original["x1"][0], original["x2"][0]])
    thresholds = np.array([original[f"θ {k}|{k + 1}"][0] for k in range(1, 5)])
    np.testing.assert_allclose(thresholds[:, None] - (raw @ w)[None, :],
                               problem.model.logits(theta, problem.Xt_train), rtol=1e-9, atol=1e-9)


def test_k_minus_1_parallel_boundaries_with_k_plus_d_minus_1_parameters():
    problem = _problem()
    theta = _newton(problem)
    assert problem.model.n_params == 5 + 2 - 1
    geometry = plot_geometry(problem, theta, Viewport((-3.0, 3.0), (-3.0, 3.0), resolution=65))
    assert geometry.ordered
    fields = boundary_fields(geometry.probabilities, ordered=True)
    assert fields.shape[0] == 4
    xs, ys = geometry.boundaries
    pieces = np.split(np.column_stack([xs, ys]), np.flatnonzero(np.isnan(xs)) + 1)
    pieces = [p[~np.isnan(p[:, 0])] for p in pieces if len(p) > 2]
    directions = []
    for piece in pieces:
        centred = piece - piece.mean(axis=0)
        direction = np.linalg.svd(centred)[2][0]
        directions.append(direction * np.sign(direction[1] or 1.0))
        assert np.linalg.svd(centred)[1][1] < 1e-6 * len(piece) + 1e-3   # straight
    w = problem.model.unpack(theta)["W"][0] / problem.pipeline.std
    normal = w / np.linalg.norm(w)
    for direction in directions:
        assert abs(direction @ normal) < 0.02   # every boundary is perpendicular to the one w: parallel


def test_model_file_predict_writes_the_likeliest_class_and_a_p_column_per_class(tmp_path, capsys):
    dataset = generate("star_ratings", 120, 0.6, seed=1)
    data = tmp_path / "stars.csv"
    rows = "".join(f"{float(a)!r},{float(b)!r},{c}\n" for (a, b), c in zip(dataset.X, dataset.y))
    data.write_text("x1,x2,label\n" + rows, encoding="utf-8")
    model = tmp_path / "model.json"
    assert cli_main(["train", str(data), "--y", "label", "--model", "ordinal", "--optimizer", "exact",
                     "--out", str(model), "--quiet"]) == 0
    document = json.loads(model.read_text(encoding="utf-8"))
    assert document["model"] == "ordinal" and document["classes"] == ["1", "2", "3", "4", "5"]
    assert list(document["original_units"]["thresholds"]) == ["θ 1|2", "θ 2|3", "θ 3|4", "θ 4|5"]
    units = document["original_units"]
    thresholds = np.array(list(units["thresholds"].values()))
    w = np.array([units["coefficients"][name] for name in ("x1", "x2")])
    cumulative = 1 / (1 + np.exp(-(thresholds[None, :] - (dataset.X @ w)[:, None])))   # on the raw inputs
    np.testing.assert_allclose(np.diff(cumulative, prepend=0, append=1, axis=1), read_model(model).predict(dataset.X),
                               rtol=1e-9, atol=1e-12)
    out = tmp_path / "pred.csv"
    assert cli_main(["predict", str(model), str(data), "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "prediction,p_1,p_2,p_3,p_4,p_5"
    restored = read_model(model)
    P = restored.predict(dataset.X)
    for line, p in zip(lines[1:], P):
        cells = line.split(",")
        assert cells[0] == str(int(np.argmax(p)) + 1)
        np.testing.assert_allclose([float(c) for c in cells[1:]], p, rtol=1e-15)


def test_class_order_flag_orders_text_labels_and_is_refused_for_other_models(tmp_path, capsys):
    data = tmp_path / "mood.csv"
    data.write_text("x,mood\n0,meh\n1,good\n2,great\n-1,bad\n0.5,meh\n1.5,good\n-0.5,bad\n2.5,great\n",
                    encoding="utf-8")
    model = tmp_path / "m.json"
    assert cli_main(["train", str(data), "--y", "mood", "--model", "ordinal", "--class-order", "bad,meh,good,great",
                     "--out", str(model), "--quiet", "--test-fraction", "0"]) == 0
    assert json.loads(model.read_text(encoding="utf-8"))["classes"] == ["bad", "meh", "good", "great"]
    assert cli_main(["train", str(data), "--y", "mood", "--model", "softmax", "--class-order", "bad,meh",
                     "--out", str(model), "--quiet"]) == 2
    assert "--class-order applies to --model ordinal" in capsys.readouterr().err


def test_session_round_trip_keeps_the_ordinal_model_its_class_order_and_parameters(tmp_path):
    problem = _problem()
    theta = _newton(problem)
    points = Points.from_dataset(problem.dataset, 0.25, np.random.default_rng(0))
    state = SessionState(points={"regression": Points.empty("regression"), "classification": points},
                         settings=Settings("ordinal", lr=0.5, class_order=("bad", "good")),
                         theta=[float(v) for v in theta], step=7)
    save_session(tmp_path / "s.regstudio", state)
    back = load_session(tmp_path / "s.regstudio")
    assert back.settings == state.settings and back.theta == state.theta
    document = json.loads((tmp_path / "s.regstudio").read_text(encoding="utf-8"))
    document["settings"]["class_order"] = ["a", "a"]
    (tmp_path / "bad.regstudio").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(Exception, match="class_order"):
        load_session(tmp_path / "bad.regstudio")


@pytest.mark.parametrize("pair", [(0, 1), (0, 2), (2, 3), (3, 5)])
def test_landscape_over_any_two_parameters_is_the_objective(pair):
    problem = _problem(n=80)
    theta = _newton(problem)
    i, j = pair
    request = LandscapeRequest(i, j, (theta[i] - 1, theta[i] + 1), (theta[j] - 1, theta[j] + 1), 9)
    fast = compute_landscape(problem, theta, request)
    pointwise = compute_landscape(problem, theta, request, method="pointwise")
    np.testing.assert_allclose(fast.values, pointwise.values, rtol=1e-12)
    assert fast.values.min() >= problem.model.objective(theta, problem.Xt_train, problem.y_train, 0.0) - 1e-12


def test_the_ordinal_lesson_caption_states_what_both_models_measure():
    item = lesson("Ordinal")
    results = {}
    for model in ("ordinal", "softmax"):
        problem = item.spec(model=model).prepare()
        trainer = Trainer(problem)
        losses = np.concatenate([snapshot.losses for snapshot in trainer.run(max_steps=item.claim_steps)])
        assert (np.diff(losses) <= 0).all()   # a steady descent, no jump out of the valley
        P = problem.model.predict(trainer.theta, problem.Xt_test)
        accuracy = float(np.mean(np.argmax(P, axis=1) == problem.y_test))
        results[model] = (problem.model.n_params, accuracy, rating_error(problem, trainer.theta))
    assert item.pins == ({"model": "softmax"},) and item.pin_steps == item.claim_steps == 500
    caption = item.caption.template
    (ordinal_count, ordinal_accuracy, ordinal_error), (softmax_count, softmax_accuracy, softmax_error) = (
        results["ordinal"], results["softmax"])
    assert (ordinal_count, softmax_count) == (6, 15)
    assert f"K + d − 1 = {ordinal_count} parameters" in caption and f"K·(d + 1) = {softmax_count}" in caption
    assert f"rates {ordinal_accuracy:.0%} of the test points right" in caption.replace(" %", "%")
    assert f"{ordinal_error:.2f} stars off" in caption
    assert f"softmax {softmax_accuracy:.0%} and {softmax_error:.2f} stars" in caption.replace(" %", "%")


def test_model_document_of_an_ordinal_run_reads_back_with_its_parameters(tmp_path):
    problem = _problem(optimizer="gd", lr=0.5, steps=50)
    trainer = Trainer(problem)
    final = list(trainer.run())[-1]
    write_json(tmp_path / "m.json", model_document(problem, final, trainer.lr, trainer.l2))
    restored = read_model(tmp_path / "m.json")
    np.testing.assert_array_equal(restored.theta, trainer.theta)
    assert restored.classes == problem.classes


def test_hidden_space_of_an_ordinal_model_on_distance_features_draws_its_parallel_boundaries():
    from regstudio.core.hidden_space import hidden_space

    problem = _problem(n=120, features="distances", references=((-3.0, 0.0), (3.0, 0.0)))
    theta = _newton(problem)
    space = hidden_space(problem, theta)
    xs, ys = space.boundary
    assert np.isfinite(xs).any() and space.note == ""
    # On each traced line, P(y ≤ k) = ½ for one k: θ_k − w·z crosses 0 there.
    points = np.column_stack([xs, ys])[np.isfinite(xs)]
    F = (points - problem.pipeline.mean) / problem.pipeline.std
    Z = problem.model.logits(theta, np.ascontiguousarray(F.T))
    assert np.min(np.abs(Z), axis=0).max() < 0.05
