"""The rewind timeline's snapshots: every recent step and the first ones kept whole, the rest thinned,
within the memory budget whatever the run's length and the model's size."""

from __future__ import annotations

import numpy as np
import pytest

from regstudio.core.timeline import BUDGET_BYTES, RECENT_STEPS, Timeline


def theta_of(step: int, n: int) -> np.ndarray:
    """A θ that says which step it belongs to."""
    return step + np.arange(n) / (n + 1)


def record(timeline: Timeline, first: int, last: int) -> None:
    for step in range(first, last + 1):
        timeline.record(step, theta_of(step, timeline.n_params))


def test_a_short_run_is_kept_whole_with_each_steps_own_parameters_and_change():
    timeline = Timeline(3)
    record(timeline, 0, 500)
    assert timeline.steps().tolist() == list(range(501))
    kept = timeline.nearest(321)
    assert kept.step == 321
    np.testing.assert_array_equal(kept.theta, theta_of(321, 3))
    np.testing.assert_array_equal(kept.previous, theta_of(320, 3))
    assert not kept.theta.flags.writeable
    assert timeline.nearest(0).previous is None


def test_a_million_steps_keep_the_first_and_last_steps_whole_within_the_budget():
    timeline = Timeline(9)
    record(timeline, 0, 10**6)
    steps = timeline.steps()
    assert timeline.nbytes <= BUDGET_BYTES
    assert np.all(np.diff(steps) > 0)
    assert steps[:timeline.first_capacity].tolist() == list(range(timeline.first_capacity))
    assert steps[-RECENT_STEPS:].tolist() == list(range(10**6 - RECENT_STEPS + 1, 10**6 + 1))
    # In between, thinned evenly: no gap wider than the stride.
    middle = steps[timeline.first_capacity:-RECENT_STEPS]
    assert np.diff(middle).max() <= timeline.stride and len(middle) > 1000
    # A thinned step shows the nearest kept one, and says which by its step.
    wanted = int(middle[10]) + 1
    kept = timeline.nearest(wanted)
    assert kept.step == middle[10] and kept.previous is None
    np.testing.assert_array_equal(kept.theta, theta_of(kept.step, 9))


@pytest.mark.parametrize("n_params", [4385, 200_000])
def test_a_big_model_keeps_fewer_steps_never_more_memory(n_params):
    timeline = Timeline(n_params)
    assert timeline.nbytes <= BUDGET_BYTES + 64 * 1024
    record(timeline, 0, 3 * (timeline.first_capacity + timeline.recent_capacity + timeline.archive_capacity))
    assert timeline.nbytes <= BUDGET_BYTES + 64 * 1024
    steps = timeline.steps()
    assert steps[0] == 0 and steps[-1] == timeline.last_step
    np.testing.assert_array_equal(timeline.nearest(int(steps[-1])).theta, theta_of(int(steps[-1]), n_params))


def test_truncating_continues_on_a_new_branch_from_the_kept_step():
    timeline = Timeline(2)
    record(timeline, 0, 3000)
    timeline.truncate(1200)
    assert timeline.last_step == 1200
    assert timeline.steps()[-1] == 1200
    with pytest.raises(ValueError, match="recorded after"):
        timeline.record(1200, theta_of(0, 2))
    timeline.record(1201, -theta_of(1201, 2))   # the new branch's step
    kept = timeline.nearest(1201)
    np.testing.assert_array_equal(kept.theta, -theta_of(1201, 2))
    np.testing.assert_array_equal(kept.previous, theta_of(1200, 2))
    assert timeline.nearest(2500).step == 1201


def test_each_step_is_drawn_over_the_data_it_was_trained_on():
    timeline = Timeline(2)
    timeline.trained_on(0, "original")
    timeline.trained_on(40, "edited")
    assert timeline.problem_at(39) == ("original", True)
    assert timeline.problem_at(40) == ("edited", True)
    timeline.truncate(20)
    assert timeline.problem_at(100) == ("original", True)
    for step in range(100, 110):
        timeline.trained_on(step, f"edit {step}")
    assert timeline.problem_at(5) == ("edit 102", False)   # the oldest kept stands in, and says so


def test_a_session_sample_spreads_over_the_run_with_its_first_and_last_step():
    timeline = Timeline(2)
    record(timeline, 0, 10_000)
    sample = timeline.sample(50)
    assert 40 <= len(sample) <= 50
    assert sample[0].step == 0 and sample[-1].step == 10_000
    for kept in sample:
        np.testing.assert_array_equal(kept.theta, theta_of(kept.step, 2))


def test_the_path_up_to_a_step_lists_the_chosen_parameters_of_every_kept_step():
    timeline = Timeline(3)
    record(timeline, 0, 5000)
    path = timeline.path((2, 0), 3000)
    steps = timeline.steps()
    kept = steps[steps <= 3000]
    assert path.shape == (len(kept), 2)
    np.testing.assert_array_equal(path[:, 0], kept + 2 / 4)
    np.testing.assert_array_equal(path[:, 1], kept)


def test_truncating_into_the_thinned_part_goes_on_after_the_kept_step():
    timeline = Timeline(2)
    record(timeline, 0, 20_000)
    archived = timeline.steps()[timeline.first_capacity:-RECENT_STEPS]
    target = int(archived[len(archived) // 2])
    timeline.truncate(target + 1)   # not kept itself: the kept step before it is the newest now
    assert timeline.last_step == target
    record(timeline, target + 1, target + 5000)
    steps = timeline.steps()
    assert np.all(np.diff(steps) > 0) and steps[-1] == target + 5000
    np.testing.assert_array_equal(timeline.nearest(target + 2500).theta, theta_of(target + 2500, 2))


def test_edits_of_a_big_data_set_keep_only_the_newest_problem():
    class Big:
        def __init__(self, name):
            self.name, self.nbytes = name, 3 * 2**20

    timeline = Timeline(2)
    problems = [Big(f"edit {k}") for k in range(5)]
    for k, problem in enumerate(problems):
        timeline.trained_on(10 * k, problem)
    # 4 MB hold one earlier problem of 3 MB besides the newest, never more.
    assert timeline.problem_at(45) == (problems[4], True)
    assert timeline.problem_at(35) == (problems[3], True)
    assert timeline.problem_at(5) == (problems[3], False)
