"""What models and heads say about themselves, so that nothing else tests their class or kind name."""

from __future__ import annotations

import numpy as np
import pytest

from regstudio.core.models import (
    MODEL_KINDS,
    build_model,
    has_exact_solver,
    has_hidden_layer,
    has_loss_choice,
)

BUILDS = [("linear", 0, "ce"), ("polynomial", 0, "ce"), ("ridge", 0, "ce"), ("logistic", 2, "ce"),
          ("logistic", 2, "mse"), ("softmax", 3, "ce"), ("cascade", 2, "ce"), ("cascade", 3, "ce")]


@pytest.mark.parametrize("kind, classes, loss", BUILDS)
def test_a_model_answers_what_its_kind_says(kind, classes, loss):
    model = build_model(kind, 2, classes, loss=loss, hidden=3)
    assert model.has_hidden_layer == has_hidden_layer(kind)
    assert model.n_hidden == (3 if has_hidden_layer(kind) else 0)
    expected_solver = None if not has_exact_solver(kind) or loss == "mse" else \
        "least_squares" if classes == 0 else "newton"
    assert model.exact_solver == expected_solver
    Xt = np.random.default_rng(0).standard_normal((2, 5))
    assert model.hidden_activations(np.zeros(model.n_params), Xt).shape == (model.n_hidden, 5)


def test_only_logistic_regression_may_train_on_square_error():
    assert [kind for kind in MODEL_KINDS if has_loss_choice(kind)] == ["logistic"]


@pytest.mark.parametrize("kind, classes, loss", BUILDS)
def test_a_heads_batched_loss_is_its_loss_of_each_logit_set(kind, classes, loss):
    model = build_model(kind, 2, classes, loss=loss)
    rng = np.random.default_rng(1)
    Z = 3 * rng.standard_normal((4, model.n_outputs, 11))
    y = model.head.encode_target(rng.integers(0, max(classes, 2), 11) if classes else rng.standard_normal(11))
    expected = [model.head.loss(Z[g].copy(), y, model._buffers) for g in range(4)]
    np.testing.assert_allclose(model.head.losses(Z, y), expected, rtol=1e-12)
