"""``exact`` matches scikit-learn on the same standardised features; ``gd`` reaches ``exact``.

README, "Numerical conventions": our objectives are means with λ‖w‖² (bias left out), so scikit-learn's equivalents are
``Ridge(alpha=N·λ)`` and ``LogisticRegression(C=1/(2·N·λ))``.  The logistic references use
scikit-learn's ``newton-cg`` solver, whose optimum is as tight as ours (lbfgs stops ~1e-7 short).
"""

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge  # noqa: E402
from sklearn.preprocessing import PolynomialFeatures, StandardScaler  # noqa: E402

from regstudio.core.data import Dataset  # noqa: E402
from regstudio.core.training import Settings, Trainer, prepare  # noqa: E402


def _dataset(X, y, labels=False):
    names = tuple(f"f{i}" for i in range(X.shape[1]))
    return Dataset(np.asarray(X, float), np.asarray(y).astype(str) if labels else np.asarray(y, float), None,
                   names, "target")


def _train(dataset, **settings):
    trainer = Trainer(prepare(dataset, Settings(test_fraction=0.0, **settings)))
    final = list(trainer.run())[-1]
    return trainer, final


def _features(trainer):
    return trainer.problem.Xt_train.T


def test_exact_linear_matches_linear_regression():
    X, y = load_diabetes(return_X_y=True)
    trainer, final = _train(_dataset(X, y), model="linear", optimizer="exact")
    Z = StandardScaler().fit_transform(X)
    reference = LinearRegression().fit(Z, y)
    params = trainer.model.unpack(trainer.theta)
    np.testing.assert_allclose(params["W"][0], reference.coef_, rtol=1e-6, atol=1e-6)
    assert params["b"][0] == pytest.approx(reference.intercept_, abs=1e-6)
    assert final.stop_reason == "converged" and final.step == 1


@pytest.mark.parametrize("l2", [0.001, 0.05, 1.0])
def test_exact_ridge_matches_ridge_with_alpha_n_lambda(l2):
    X, y = load_diabetes(return_X_y=True)
    trainer, _ = _train(_dataset(X, y), model="ridge", l2=l2, optimizer="exact")
    reference = Ridge(alpha=len(y) * l2).fit(StandardScaler().fit_transform(X), y)
    params = trainer.model.unpack(trainer.theta)
    np.testing.assert_allclose(params["W"][0], reference.coef_, rtol=1e-6, atol=1e-6)
    assert params["b"][0] == pytest.approx(reference.intercept_, abs=1e-6)


def test_exact_polynomial_matches_least_squares_on_sklearn_polynomial_features():
    X, y = load_diabetes(return_X_y=True)
    X = X[:, :3]
    trainer, _ = _train(_dataset(X, y), model="polynomial", degree=3, l2=0.01, optimizer="exact")
    F = StandardScaler().fit_transform(PolynomialFeatures(3, include_bias=False).fit_transform(X))
    np.testing.assert_allclose(_features(trainer), F, atol=1e-9)
    reference = Ridge(alpha=len(y) * 0.01).fit(F, y)
    np.testing.assert_allclose(trainer.model.unpack(trainer.theta)["W"][0], reference.coef_, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("l2", [0.001, 0.02])
def test_exact_logistic_matches_logistic_regression(l2):
    X, y = load_breast_cancer(return_X_y=True)
    trainer, final = _train(_dataset(X, y, labels=True), model="logistic", l2=l2, optimizer="exact", tol=1e-10)
    reference = LogisticRegression(C=1 / (2 * len(y) * l2), solver="newton-cg", tol=1e-12, max_iter=10_000)
    reference.fit(StandardScaler().fit_transform(X), y)
    params = trainer.model.unpack(trainer.theta)
    np.testing.assert_allclose(params["W"][0], reference.coef_[0], rtol=1e-6, atol=1e-6)
    assert params["b"][0] == pytest.approx(reference.intercept_[0], abs=1e-6)
    assert final.stop_reason == "converged" and final.step < 30


@pytest.mark.parametrize("loader", [load_iris, load_wine])
def test_exact_softmax_matches_multinomial_logistic_regression(loader):
    X, y = loader(return_X_y=True)
    l2 = 0.01
    trainer, _ = _train(_dataset(X, y, labels=True), model="softmax", l2=l2, optimizer="exact", tol=1e-10)
    Z = StandardScaler().fit_transform(X)
    reference = LogisticRegression(C=1 / (2 * len(y) * l2), solver="newton-cg", tol=1e-12, max_iter=10_000).fit(Z, y)
    params = trainer.model.unpack(trainer.theta)
    np.testing.assert_allclose(params["W"], reference.coef_, rtol=1e-6, atol=1e-6)
    # Softmax biases are defined up to a common shift; compare them centred.
    np.testing.assert_allclose(params["b"] - params["b"].mean(),
                               reference.intercept_ - reference.intercept_.mean(), atol=1e-6)
    ours = trainer.model.predict(trainer.theta, trainer.problem.Xt_train)
    np.testing.assert_allclose(ours, reference.predict_proba(Z), atol=1e-9)


@pytest.mark.parametrize("model, data, settings", [
    ("linear", "diabetes", {"lr": 0.2}),
    ("ridge", "diabetes", {"l2": 0.05, "lr": 0.2}),
    ("logistic", "breast_cancer", {"l2": 0.01, "lr": 1.0}),
    ("softmax", "wine", {"l2": 0.01, "lr": 1.0}),
])
def test_gd_reaches_the_exact_predictions(model, data, settings):
    loader = {"diabetes": load_diabetes, "breast_cancer": load_breast_cancer, "wine": load_wine}[data]
    X, y = loader(return_X_y=True)
    dataset = _dataset(X, y, labels=model in ("logistic", "softmax"))
    exact, _ = _train(dataset, model=model, optimizer="exact", tol=1e-10,
                      **{k: v for k, v in settings.items() if k != "lr"})
    descended, final = _train(dataset, model=model, optimizer="gd", steps=50_000, tol=1e-9, **settings)
    Xt = exact.problem.Xt_train
    np.testing.assert_allclose(descended.model.predict(descended.theta, Xt), exact.model.predict(exact.theta, Xt),
                               rtol=1e-5, atol=1e-5)
    assert final.stop_reason == "converged"
