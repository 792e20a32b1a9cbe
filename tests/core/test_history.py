"""The bounded loss history: exact for short runs, min/max per widening bucket for long ones."""

import json
import math

import numpy as np
import pytest

from regstudio.core.history import COLUMNS, PER_OCTAVE, LossHistory, bucket_ids

B = PER_OCTAVE


def octave_of(step: int, per_octave: int) -> int:
    """The k with step in [B·2^k, B·2^(k+1)), or 0 below 2B: the scheme as stated, not as computed."""
    k = 0
    while step >= per_octave * 2 ** (k + 1):
        k += 1
    return k


def expected_buckets(steps, values, per_octave: int) -> dict:
    """The bucket columns, by brute force over every recorded (step, value)."""
    groups = {}
    for step, value in zip(steps.tolist(), values.tolist()):
        k = octave_of(step, per_octave)
        groups.setdefault((k, step >> k), []).append((step, value))
    columns = {name: [] for name in COLUMNS}
    for key in sorted(groups):
        members = groups[key]
        finite = [(v, s) for s, v in members if math.isfinite(v)]
        low = min(finite, key=lambda p: (p[0], p[1])) if finite else (math.inf, members[0][0])
        high = max(finite, key=lambda p: (p[0], -p[1])) if finite else (-math.inf, members[0][0])
        for name, value in (("first_step", members[0][0]), ("last_step", members[-1][0]),
                            ("min", low[0]), ("min_step", low[1]), ("max", high[0]), ("max_step", high[1]),
                            ("last_value", members[-1][1])):
            columns[name].append(value)
    return {name: np.array(column, dtype=COLUMNS[name]) for name, column in columns.items()}


def random_run(rng, n: int, chunks: int, gap: int):
    """Steps in ``chunks`` consecutive runs with gaps up to ``gap``, and losses with some NaN and ±inf."""
    lengths = rng.multinomial(n - chunks, np.ones(chunks) / chunks) + 1
    firsts = np.cumsum(np.append(0, lengths[:-1]) + rng.integers(0, gap + 1, chunks))
    values = rng.lognormal(size=n)
    odd = rng.random(n)
    values[odd < 0.02] = np.nan
    values[(odd >= 0.02) & (odd < 0.03)] = np.inf
    values[(odd >= 0.03) & (odd < 0.04)] = -np.inf
    values[rng.integers(0, n, 5)] *= 1e6
    return firsts.tolist(), lengths.tolist(), values


def fed(firsts, lengths, values, per_octave=B) -> LossHistory:
    history = LossHistory(per_octave)
    offset = 0
    for first, length in zip(firsts, lengths):
        history.extend(first, values[offset:offset + length])
        offset += length
    return history


def all_steps(firsts, lengths) -> np.ndarray:
    return np.concatenate([np.arange(f, f + n) for f, n in zip(firsts, lengths)])


def assert_same_buckets(actual: dict, expected: dict) -> None:
    for name in COLUMNS:
        np.testing.assert_array_equal(actual[name], expected[name], err_msg=name)


# --- the scheme -------------------------------------------------------------------------------------


def test_bucket_ids_follow_the_octaves():
    steps = np.concatenate([np.arange(0, 40 * B, 7), 2 ** np.arange(13, 63) - 1, 2 ** np.arange(13, 62),
                            np.random.default_rng(0).integers(0, 2**62, 1000)])
    steps.sort()
    expected = [B * octave_of(s, B) + (s >> octave_of(s, B)) for s in steps.tolist()]
    np.testing.assert_array_equal(bucket_ids(steps), expected)
    ids = bucket_ids(np.arange(0, 64 * B))
    assert np.all(np.diff(ids) <= 1) and ids[0] == 0  # consecutive, so no id is wasted


@pytest.mark.parametrize("seed, per_octave, chunks, gap", [(0, 8, 40, 3), (1, 8, 400, 60), (2, 32, 5, 0),
                                                           (3, 2, 200, 1000), (4, B, 300, 500)])
def test_buckets_match_brute_force_with_gaps_and_non_finite_losses(seed, per_octave, chunks, gap):
    rng = np.random.default_rng(seed)
    firsts, lengths, values = random_run(rng, 20_000, chunks, gap)
    history = fed(firsts, lengths, values, per_octave)
    assert_same_buckets(history.buckets(), expected_buckets(all_steps(firsts, lengths), values, per_octave))
    assert len(history) == len(values) and history.last_step == firsts[-1] + lengths[-1] - 1


def test_single_samples_at_sparse_steps():
    history = LossHistory()
    for step, value in [(0, 3.0), (50, 2.0), (10**6, math.nan), (10**6 + 1, 1.0), (10**12, 0.5)]:
        history.append(step, value)
    steps, values = history.thinned(10**9)
    assert steps.tolist() == [0, 50, 10**6 + 1, 10**12] and values.tolist() == [3.0, 2.0, 1.0, 0.5]
    assert len(history) == 5 and history.nbytes < 10_000


def test_short_runs_are_stored_exactly():
    values = np.random.default_rng(5).normal(size=2 * B)
    history = LossHistory()
    history.extend(0, values[:100])
    history.extend(100, values[100:])
    steps, drawn = history.thinned(limit=10**9)
    np.testing.assert_array_equal(steps, np.arange(2 * B))
    np.testing.assert_array_equal(drawn, values)
    assert len(history.buckets()["first_step"]) == 2 * B


@pytest.mark.parametrize("bad, message", [
    (lambda h: h.extend(99, np.ones(3)), "steps must increase"),
    (lambda h: h.extend(50, np.ones(1)), "steps must increase"),
    (lambda h: h.append(99, 1.0), "steps must increase"),
    (lambda h: h.extend(-5, np.ones(1)), "≥ 0"),
    (lambda h: h.extend(200.0, np.ones(1)), "whole number"),
    (lambda h: h.extend(200, np.ones((2, 2))), "1-D"),
])
def test_extend_refuses_steps_that_do_not_increase(bad, message):
    history = LossHistory()
    history.extend(0, np.ones(100))
    with pytest.raises(ValueError, match=message):
        bad(history)
    assert len(history) == 100 and history.last_step == 99


# --- long runs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("log_steps", [False, True])
def test_a_spike_and_a_dip_survive_ten_million_steps(log_steps):
    rng = np.random.default_rng(6)
    n, chunk = 10**7, 2000
    spike, dip = (int(s) for s in rng.integers(0, n, 2))
    history = LossHistory()
    for first in range(0, n, chunk):
        values = 1.0 + 0.01 * rng.random(chunk)
        for step, value in ((spike, 1e6), (dip, 1e-6)):
            if first <= step < first + chunk:
                values[step - first] = value
        history.extend(first, values)
    steps, values = history.thinned(800, log_steps=log_steps)
    assert len(steps) <= 2 * 800 + 1 and np.all(np.diff(steps) > 0)
    assert steps[-1] == n - 1 and values[-1] == history.buckets()["last_value"][-1]
    assert values[steps == spike].tolist() == [1e6] and values[steps == dip].tolist() == [1e-6]
    # Only the spike's own step carries it: nothing else is above the noise.
    assert np.sum(values > 1.01) == 1


def test_memory_after_a_hundred_million_steps_follows_the_formula():
    n, chunk = 10**8, 2**20
    values = np.random.default_rng(7).random(chunk)
    history = LossHistory()
    for first in range(0, n, chunk):
        history.extend(first, values[:min(chunk, n - first)])
    last = n - 1
    k = octave_of(last, B)
    buckets = history.buckets()
    assert len(buckets["first_step"]) == B * k + (last >> k) + 1
    assert history.nbytes <= 56 * B * (k + 2) < 16e6
    # The same bound at 1e15 steps (k = 37): the scheme stays under 16 MB for any run we can make.
    assert 56 * B * (octave_of(10**15, B) + 2) < 16e6
    widths = buckets["last_step"] - buckets["first_step"] + 1
    assert widths[0] == 1 and widths[-2] == 2**k and len(history) == n


def test_thinned_points_are_recorded_losses_including_the_extremes():
    rng = np.random.default_rng(8)
    firsts, lengths, values = random_run(rng, 200_000, 50, 2000)
    history = fed(firsts, lengths, values, per_octave=64)
    recorded = dict(zip(all_steps(firsts, lengths).tolist(), values.tolist()))
    finite = values[np.isfinite(values)]
    for log_steps in (False, True):
        steps, drawn = history.thinned(100, log_steps=log_steps)
        assert len(steps) <= 201 and all(recorded[s] == v or math.isnan(v) for s, v in zip(steps.tolist(), drawn))
        assert drawn[np.isfinite(drawn)].min() == finite.min() and drawn[np.isfinite(drawn)].max() == finite.max()


def thinned_by_brute_force(history: LossHistory, limit: int, log_steps: bool) -> tuple[list, list]:
    """The thinned curve as the docstring states it: spans of the narrowest power-of-two width on its
    multiples (log2(step + 1) on a log axis), each giving its lowest and highest finite point (the
    earliest where tied), every bucket's own when there are at most ``limit``; the newest loss last."""
    b = {name: column.tolist() for name, column in history.buckets().items()}
    if not b["first_step"]:
        return [], []
    first, last = b["first_step"][0], b["last_step"][-1]
    where = (lambda step: math.log2(step + 1)) if log_steps else float
    if len(b["first_step"]) <= limit:
        span_of = list(range(len(b["first_step"])))
        spans = {"min": span_of, "max": span_of}
    else:
        width = 2.0 ** -60 if log_steps else 1.0
        while math.floor(where(last) / width) - math.floor(where(first) / width) + 1 > limit:
            width *= 2
        spans = {kind: [math.floor(where(step) / width) for step in b[kind + "_step"]] for kind in ("min", "max")}
    points = {}
    for kind, better in (("min", lambda a, c: a < c), ("max", lambda a, c: a > c)):
        best = {}
        for span, step, value in zip(spans[kind], b[kind + "_step"], b[kind]):
            if math.isfinite(value) and (span not in best or better(value, best[span][1])):
                best[span] = (step, value)
        points.update(dict(best.values()))
    steps = sorted(points)
    values = [points[step] for step in steps]
    if not steps or steps[-1] < history.last_step:
        steps.append(history.last_step)
        values.append(b["last_value"][-1])
    return steps, values


@pytest.mark.parametrize("log_steps", [False, True])
def test_thinning_as_a_run_grows_matches_brute_force_at_every_call(log_steps):
    """Called after every chunk, as the loss plot calls it after every frame: the spans kept from
    earlier calls, and those closed since, give what thinning everything afresh gives; truncations
    (a run continued from a past step) and a wider grid as the run doubles included."""
    rng = np.random.default_rng(12 + log_steps)
    history = LossHistory(per_octave=16)
    step = 0
    for chunk in range(400):
        values = rng.lognormal(size=int(rng.integers(1, 300)))
        values[rng.random(len(values)) < 0.02] = np.nan
        history.extend(step, values)
        step += len(values) + int(rng.integers(0, 50) if rng.random() < 0.1 else 0)
        if chunk % 97 == 96:
            history.truncate(step * 3 // 4)
            step = history.last_step + 1
        steps, drawn = history.thinned(60, log_steps=log_steps)
        expected_steps, expected_values = thinned_by_brute_force(history, 60, log_steps)
        assert steps.tolist() == expected_steps, chunk
        np.testing.assert_array_equal(drawn, expected_values)
        assert len(steps) <= 2 * 60 + 1


def test_thinned_within_a_step_range_and_the_newest_value_last_even_if_not_finite():
    history = LossHistory()
    history.extend(0, np.arange(100_000, dtype=float))
    history.append(200_000, math.nan)
    steps, values = history.thinned(50, step_range=(20_000, 30_000))
    # Whole buckets overlapping the range: steps 16384 … 32767 are kept in buckets of 4.
    assert steps[0] == values[0] == 20_000 and steps[-1] == values[-1] == 30_003 and len(steps) <= 100
    steps, values = history.thinned(50)
    assert steps[-1] == 200_000 and math.isnan(values[-1]) and steps[-2] == values[-2] == 99_999
    assert history.thinned(50, step_range=(150_000, 160_000))[0].size == 0
    assert LossHistory().thinned()[0].size == 0


# --- files ------------------------------------------------------------------------------------------


def test_a_short_run_round_trips_exactly_through_json():
    rng = np.random.default_rng(9)
    firsts, lengths, values = random_run(rng, 3000, 20, 10)
    history = fed(firsts, lengths, values)
    text = json.dumps(history.to_dict(), allow_nan=False)
    restored = LossHistory.from_dict(json.loads(text))
    expected = history.buckets()
    # JSON has no infinity: a non-finite last value comes back as NaN; min and max come back as they were.
    expected["last_value"] = np.where(np.isfinite(expected["last_value"]), expected["last_value"], np.nan)
    assert_same_buckets(restored.buckets(), expected)
    assert len(restored) == len(history)
    restored.extend(history.last_step + 1, np.ones(10))
    assert len(restored) == len(history) + 10
    empty = LossHistory.from_dict(json.loads(json.dumps(LossHistory().to_dict())))
    assert len(empty) == 0 and empty.last_step is None


def test_a_billion_step_history_saves_in_under_a_megabyte_and_keeps_its_spike():
    """Every bucket of a run to step 1e9 holds a value: steps up to 2^20 in full, then one per bucket."""
    rng = np.random.default_rng(10)
    history = LossHistory()
    history.extend(0, rng.random(2**20))
    later = [np.arange(B << k, min(B << (k + 1), 10**9), 1 << k) for k in range(octave_of(2**20, B), 18)]
    later = np.concatenate(later)
    spike = int(rng.choice(later))
    for step, value in zip(later.tolist(), rng.random(len(later)).tolist()):
        history.append(step, 1e6 if step == spike else value)
    assert history.last_step == later[-1] > 10**9 - 2**17
    assert len(history.buckets()["first_step"]) == bucket_ids(later[-1]) + 1 > 75_000

    document = history.to_dict()
    text = json.dumps(document, allow_nan=False)
    assert len(text) < 1e6 and len(document["first_step"]) <= 4096
    restored = LossHistory.from_dict(json.loads(text))
    assert len(restored) == len(history) and restored.last_step == history.last_step
    for log_steps in (False, True):
        steps, values = restored.thinned(800, log_steps=log_steps)
        assert values[steps == spike].tolist() == [1e6]


def _document():
    history = LossHistory()
    history.extend(0, np.array([3.0, math.nan, 1.0]))
    history.extend(10, np.array([2.0]))
    return history.to_dict()


@pytest.mark.parametrize("change, message", [
    (lambda d: [], "must be an object"),
    (lambda d: d.pop("min_step") and d, "lacks min_step"),
    (lambda d: d.update(steps_recorded=-1) or d, "steps_recorded must be a whole number"),
    (lambda d: d.update(steps_recorded=99) or d, "does not fit"),
    (lambda d: d.update(max="1") or d, "history.max must be a list"),
    (lambda d: d["last_step"].pop() and d, "has 3 entries"),
    (lambda d: d.update(first_step=[0, 1, 1, 10]) or d, "increasing steps"),
    (lambda d: d.update(last_step=[0, 0, 2, 10]) or d, "first_step is after its last_step"),
    (lambda d: d.update(min_step=[0, 1, 2, 11]) or d, "min_step lies outside"),
    (lambda d: d.update(first_step=[0, 1, 2, True]) or d, "whole numbers"),
    (lambda d: d.update(min=[3.0, None, 1.0, "2"]) or d, "finite numbers or null"),
    (lambda d: d.update(min=[3.0, 0.0, 1.0, 2.0]) or d, "null in the same buckets"),
    (lambda d: d.update(max=[3.0, None, 0.5, 2.0]) or d, "min exceeds its max"),
])
def test_from_dict_names_what_is_wrong(change, message):
    document = _document()
    assert LossHistory.from_dict(json.loads(json.dumps(document))).thinned()[1].tolist() == [3.0, 1.0, 2.0]
    with pytest.raises(ValueError, match=message):
        LossHistory.from_dict(change(document))


def test_repr_tells_the_size():
    history = LossHistory()
    assert repr(history) == f"LossHistory(empty, B={B})"
    history.extend(5, np.array([2.0, 0.5, 1.0]))
    assert repr(history).startswith("LossHistory(3 steps up to step 7, 3 buckets, B=4096,")
    assert repr(history).endswith("last 1, min 0.5)")


def test_truncating_forgets_the_steps_after_a_past_one_and_recording_goes_on_from_it():
    history = LossHistory()
    history.extend(0, np.arange(20_000, dtype=np.float64))
    history.truncate(100)
    steps, values = history.thinned(10**6)
    assert steps.tolist() == list(range(101)) and values.tolist() == list(range(101))
    history.extend(101, np.array([-1.0]))   # the new branch
    assert history.last_step == 101
    # Past the exact buckets, the bucket that straddles the step goes whole (at most 1/B of the run).
    history = LossHistory()
    history.extend(0, np.arange(20_000, dtype=np.float64))
    history.truncate(15_001)
    last = history.last_step
    assert 15_001 - 4 <= last <= 15_001
    assert history.thinned(10**6)[0][-1] == last
