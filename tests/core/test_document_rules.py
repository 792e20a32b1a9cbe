"""The document's rules: per-model memory, what marks the session modified, and what training sees
of a group column."""

from __future__ import annotations

import numpy as np
import pytest

from regstudio.core.generators import generate
from regstudio.core.session import Points
from regstudio.core.document import VIEW_KEYS


@pytest.fixture
def state(document):
    return document


def settings_of(state) -> tuple:
    return state.config.model, state.config.degree, state.config.l2


def test_each_model_remembers_its_own_degree_and_l2(state):
    state.update(model="polynomial")
    assert settings_of(state) == ("polynomial", 3, 0.0)  # a model never shown starts from its defaults
    state.update(degree=5)
    state.update(model="logistic")
    assert settings_of(state) == ("logistic", 1, 0.0)  # not the polynomial's degree 5
    state.update(degree=2, l2=0.05)
    state.update(model="ridge")
    assert settings_of(state) == ("ridge", 1, 0.01)
    state.update(l2=0.3)

    state.update(model="polynomial")
    assert settings_of(state) == ("polynomial", 5, 0.0)
    state.update(model="logistic")
    assert settings_of(state) == ("logistic", 2, 0.05)
    state.update(model="ridge")
    assert settings_of(state) == ("ridge", 1, 0.3)
    state.update(model="linear")
    assert settings_of(state) == ("linear", 1, 0.0)
    # A switch that names a degree or λ uses it, and remembers it for next time.
    state.update(model="polynomial", degree=7, l2=0.2)
    assert settings_of(state) == ("polynomial", 7, 0.2)
    state.update(model="linear")
    state.update(model="polynomial")
    assert settings_of(state) == ("polynomial", 7, 0.2)


VIEW_CHANGES = [
    {"steps_per_second": None},
    {"steps_per_second": 5.0},
    {"log_loss": True},
    {"log_steps": True},
    {"axes": (1, 0)},
    {"click_class": "1"},
]


@pytest.mark.parametrize("change", VIEW_CHANGES, ids=lambda change: "-".join(f"{k}={v}" for k, v in change.items()))
def test_a_view_change_does_not_mark_the_session_modified(state, change):
    state.update(model="logistic")  # two inputs to put on the axes, classes to click
    assert state.modified
    state.mark_saved(None)
    state.changes.clear()
    state.update(**change)
    assert [c.config for c in state.changes] == [frozenset(change)], "the change must change something"
    assert set(change) <= VIEW_KEYS
    assert not state.modified
    assert not state.changes[0].file  # the title keeps no '*'


@pytest.mark.parametrize("change", [{"lr": 0.5}, {"l2": 0.1}, {"seed": 3}, {"model": "softmax"}, {"degree": 2},
                                    {"test_fraction": 0.2}, {"log_loss": True, "lr": 0.5}])
def test_a_settings_change_marks_the_session_modified(state, change):
    state.update(model="logistic")
    state.mark_saved(None)
    state.changes.clear()
    state.update(**change)
    assert state.modified and state.changes[-1].file


def hidden_factor_state(state) -> None:
    """The regression points replaced by a data set with a group column (which a new set uses)."""
    data = generate("hidden_factor", 60, 0.3, seed=0)
    assert data.group_name == "group" and len(set(data.groups.tolist())) == 3
    state.replace_points("regression", Points.from_dataset(data, 0.0, np.random.default_rng(0)))
    assert state.config.use_group


def test_training_uses_the_group_column_only_when_asked(state):
    hidden_factor_state(state)
    grouped = state.training_points().data
    assert grouped.group_name == "group" and grouped.groups is not None
    problem = state.problem_spec().prepare()
    # Each of the 3 groups its own intercept and slope: δ_B, δ_C, x·δ_A, x·δ_B, x·δ_C and the bias.
    assert problem.model.n_params == 6 and len(problem.pipeline.group_levels) == 3
    assert problem.pipeline.names == ["[group=species B]", "[group=species C]", "x*[group=species A]",
                                      "x*[group=species B]", "x*[group=species C]"]

    state.update(use_group=False)
    shared = state.training_points().data
    assert shared.group_name is None and shared.groups is None
    np.testing.assert_array_equal(shared.X, grouped.X)
    spec = state.problem_spec()
    assert spec.dataset.groups is None
    problem = spec.prepare()
    assert problem.model.n_params == 2 and problem.pipeline.names == ["x"]  # one line: w and b
    # The group column is still there for when it is chosen again.
    assert state.points["regression"].data.groups is not None
    state.update(use_group=True)
    assert state.problem_spec().prepare().model.n_params == 6
