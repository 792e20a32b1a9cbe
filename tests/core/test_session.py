"""Editable point sets and session files."""

import json
import math

import numpy as np
import pytest

from regstudio.core.errors import ModelFileError
from regstudio.core.generators import generate
from regstudio.core.history import LossHistory
from regstudio.core.session import (TIMELINE_BYTES, Points, SessionDisplay, SessionState, load_session, save_session,
                                    timeline_sample_size)
from regstudio.core.training import Settings, prepare


def test_edits_return_new_point_sets_and_keep_test_flags():
    points = Points.empty("classification").add([0.0, 1.0], "0").add([2.0, 3.0], "1", test=True)
    moved = points.move(0, [5.0, 5.0])
    removed = moved.remove(0)
    assert points.data.X.tolist() == [[0.0, 1.0], [2.0, 3.0]]
    assert moved.data.X[0].tolist() == [5.0, 5.0]
    assert removed.data.y.tolist() == ["1"] and removed.test.tolist() == [True]
    assert points.data.x_names == ("x1", "x2") and points.data.y_name == "label"


def test_session_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    history = LossHistory()
    history.extend(0, np.array([3.0, 2.0, math.inf]))
    state = SessionState(
        points={"regression": Points.from_dataset(generate("hidden_factor", 20, 0.3, seed=1), 0.25, rng),
                "classification": Points.empty("classification").add([1.0, 2.0], "3")},
        settings=Settings("polynomial", degree=4, lr=0.02, seed=9),
        theta=[0.5, -1.0], step=12, history=history.to_dict(),
        view=SessionDisplay(steps_per_second=None, log_loss=True, use_group=True))
    save_session(tmp_path / "s.regstudio", state)
    back = load_session(tmp_path / "s.regstudio")
    assert back.settings == state.settings and back.theta == state.theta and back.step == 12
    steps, values = LossHistory.from_dict(back.history).thinned(100)
    assert steps.tolist() == [0, 1, 2] and values[:2].tolist() == [3.0, 2.0]
    for task in ("regression", "classification"):
        a, b = state.points[task], back.points[task]
        np.testing.assert_array_equal(a.data.X, b.data.X)
        np.testing.assert_array_equal(a.data.y, b.data.y)
        np.testing.assert_array_equal(a.test, b.test)
    assert back.points["regression"].data.group_name == "group"
    assert back.view == state.view


def test_the_rewind_timeline_round_trips_within_its_share_of_the_file(tmp_path):
    points = {"regression": Points.empty("regression").add([1.0], 2.0),
              "classification": Points.empty("classification").add([1.0, 2.0], "0")}
    pairs = tuple((step, [step + 0.5, -step]) for step in range(0, 300, 3))
    state = SessionState(points, Settings("linear", lr=0.1), theta=[1.0, 2.0], step=300, timeline=pairs)
    save_session(tmp_path / "t.regstudio", state)
    assert load_session(tmp_path / "t.regstudio").timeline == pairs
    # A big model keeps fewer steps: about a megabyte of JSON at most.
    n = 4385
    count = timeline_sample_size(n)
    big = SessionState(points, Settings("linear", lr=0.1), theta=[0.1234567] * n, step=count,
                       timeline=tuple((step, [0.123456789012345] * n) for step in range(count)))
    save_session(tmp_path / "big.regstudio", big)
    size = len((tmp_path / "big.regstudio").read_bytes())
    assert 10 <= count < 100 and size < 1.2 * TIMELINE_BYTES


def _valid_session(tmp_path) -> dict:
    state = SessionState({"regression": Points.from_dataset(generate("hidden_factor", 12, 0.3, seed=1), 0.25,
                                                            np.random.default_rng(0)),
                          "classification": Points.empty("classification").add([1.0, 2.0], "0")},
                         Settings("linear", lr=0.1), theta=[0.5] * 6, step=30,
                         view=SessionDisplay(use_group=True))
    save_session(tmp_path / "valid.regstudio", state)
    return json.loads((tmp_path / "valid.regstudio").read_text())


BAD_FIELDS = [
    (("view", "steps_per_second"), "fast"), (("view", "steps_per_second"), 1e300), (("view",), {"speed": "fast"}), (("view",), {"speed": 99}),
    (("view", "axes"), ["a", "b"]), (("view", "axes"), [5, 0]), (("view", "axes"), 0), (("view", "log_loss"), "yes"),
    (("view", "use_group"), 1), (("view", "class"), 3), (("view",), []),
    (("settings", "seed"), 2**40), (("settings", "seed"), -1), (("settings", "seed"), "0"), (("settings", "model"), "tree"),
    (("settings", "degree"), 16), (("settings", "degree"), 2.5), (("settings", "lr"), 0), (("settings", "lr"), "0.1"),
    (("settings", "l2"), -1), (("settings", "hidden"), 0), (("settings", "batch_size"), 0),
    (("settings", "test_fraction"), 0.95), (("settings", "optimizer"), "lbfgs"), (("settings", "loss"), None),
    (("settings", "init"), "ones"), (("settings", "colour"), "red"), (("settings",), None),
    (("training", "theta"), [1.0, "x"]), (("training", "theta"), "1"), (("training", "step"), -3),
    (("training", "step"), 1.5), (("training", "history"), {"steps": "nope"}), (("training",), []),
    (("training", "timeline"), "all"), (("training", "timeline"), [{"step": 40, "theta": [0.5] * 6}]),
    (("training", "timeline"), [{"step": 2, "theta": [0.5] * 6}, {"step": 3, "theta": [0.5] * 5}]),
    (("training", "timeline"), [{"step": 3, "theta": [0.5, "x"]}]),
    (("training", "timeline"), [{"step": 3, "theta": [0.5] * 6}, {"step": 3, "theta": [0.5] * 6}]),
    (("training", "timeline"), [{"step": 3, "theta": [0.5] * 6, "loss": 1}]),
    (("points", "regression", "groups"), None), (("points", "regression", "group_name"), None),
    (("points", "regression", "X"), [[1.0]]), (("points", "regression", "test"), [1, 0]),
    (("points", "regression", "y"), ["a"]), (("points", "classification", "y"), [None]),
    (("points", "classification", "x_names"), []), (("points",), {"regression": {}}),
]


@pytest.mark.parametrize("path, value", BAD_FIELDS, ids=lambda v: str(v))
def test_every_bad_field_is_refused_naming_it(tmp_path, path, value):
    document = _valid_session(tmp_path)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    bad = tmp_path / "bad.regstudio"
    bad.write_text(json.dumps(document))
    with pytest.raises(ModelFileError) as error:
        load_session(bad)
    message = str(error.value)
    assert str(bad) in message and "\n" not in message
    assert path[-1] in message or path[0] in message, message


def test_a_version_1_session_with_a_plain_loss_list_still_opens(tmp_path):
    document = _valid_session(tmp_path)
    document["training"].pop("history")
    document["training"]["losses"] = [5.0, 4.0, None, 3.0]
    document["view"] = {"speed": 4, "log_loss": False, "axes": [0, 1], "use_group": True, "class": "0"}
    path = tmp_path / "old.regstudio"
    path.write_text(json.dumps(document))
    back = load_session(path)
    steps, values = LossHistory.from_dict(back.history).thinned(100)
    assert steps.tolist() == [26, 27, 29] and values.tolist() == [5.0, 4.0, 3.0]
    assert back.view.steps_per_second == 20.0


@pytest.mark.parametrize("content", ["", "{", "[]", '{"format": "regstudio-session", "version": 7}',
                                     '{"format": "regstudio-session", "version": 1, "points": {}}'])
def test_damaged_session_files_raise_one_clear_error(content, tmp_path):
    path = tmp_path / "bad.regstudio"
    path.write_text(content)
    with pytest.raises(ModelFileError) as error:
        load_session(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_session_is_json_not_pickle(tmp_path):
    state = SessionState({"regression": Points.empty("regression"),
                          "classification": Points.empty("classification")}, Settings("linear"))
    save_session(tmp_path / "s.regstudio", state)
    assert json.loads((tmp_path / "s.regstudio").read_text())["format"] == "regstudio-session"


def test_test_fraction_holds_out_that_share_of_rows():
    points = Points.from_dataset(generate("sine", 24, 0.3, seed=0), 0.3, np.random.default_rng(5))
    assert points.test.sum() == 7
    assert points.resplit(0.5, np.random.default_rng(6)).test.sum() == 12


HUGE = "1" + "0" * 400  # beyond the float range
LONG = "1" + "0" * 5000  # beyond Python's 4,300-digit limit for int(text)

# Literals json.dumps cannot write: written into the file's text as they are.
BIG_NUMBERS = [
    (("settings", "lr"), HUGE), (("settings", "lr"), "1e400"), (("settings", "lr"), "NaN"),
    (("settings", "l2"), "-Infinity"), (("settings", "test_fraction"), HUGE), (("settings", "seed"), LONG),
    (("settings", "tol"), "1e400"), (("settings", "tol"), HUGE), (("settings", "steps"), HUGE),
    (("settings", "steps"), LONG), (("settings", "references"), f"[[0, {HUGE}], [1, 1]]"),
    (("training", "theta"), f"[0.5, {HUGE}, 0.5, 0.5, 0.5, 0.5]"), (("training", "theta"), "[1e400]"),
    (("training", "step"), LONG), (("training", "step"), HUGE),
    (("view", "steps_per_second"), HUGE), (("view", "steps_per_second"), "1e400"),
    (("view", "axes"), f"[0, {HUGE}]"), (("view", "axes"), f"[0, {LONG}]"),
    (("points", "regression", "X"), f"[[{HUGE}] * 12]".replace("] * 12]", ", 0" * 11 + "]]")),
    (("points", "regression", "y"), "[1e400" + ", 0" * 11 + "]"),
    (("points", "classification", "y"), f"[{LONG}]"),
]


@pytest.mark.parametrize("path, literal", BIG_NUMBERS, ids=lambda v: str(v)[:40])
def test_numbers_beyond_the_float_range_are_refused_naming_the_field(tmp_path, path, literal):
    document = _valid_session(tmp_path)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "@@"
    bad = tmp_path / "bad.regstudio"
    bad.write_text(json.dumps(document).replace('"@@"', literal))
    with pytest.raises(ModelFileError) as error:
        load_session(bad)
    message = str(error.value)
    assert message.startswith(f"{bad}: the session file is damaged: ") and "\n" not in message
    assert f"{path[0]}." in message and path[-1] in message, message


WRONG_TYPES = [
    (("points", "regression", "test"), lambda n: [1] * n, "test"),  # flags of the right length, not bools
    (("points", "regression", "test"), lambda n: ["yes"] * n, "test"),
    (("points", "regression", "X"), lambda n: [[True] * n], "X"),
    (("points", "regression", "X"), lambda n: [["0.5"] * n], "X"),
    (("points", "regression", "y"), lambda n: ["1.5"] * n, "y"),
    (("points", "regression", "y"), lambda n: [False] * n, "y"),
    (("points", "regression", "source"), lambda n: 7, "source"),
    (("points", "classification", "y"), lambda n: {"0": 1}, "y"),
    (("points", "classification", "x_names"), lambda n: ["x1", "x1"], "x_names"),
    (("settings", "steps"), lambda n: "100", "settings.steps"),
    (("settings", "steps"), lambda n: 0, "settings.steps"),
    (("settings", "steps"), lambda n: 1.5, "settings.steps"),
    (("settings", "tol"), lambda n: -1, "settings.tol"),
    (("settings", "tol"), lambda n: True, "settings.tol"),
]


@pytest.mark.parametrize("path, value, field", WRONG_TYPES, ids=lambda v: v if isinstance(v, str) else None)
def test_fields_of_the_wrong_type_are_refused_naming_them(tmp_path, path, value, field):
    document = _valid_session(tmp_path)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value(len(target.get("test", [])))
    bad = tmp_path / "bad.regstudio"
    bad.write_text(json.dumps(document))
    with pytest.raises(ModelFileError) as error:
        load_session(bad)
    assert field in str(error.value) and path[0] in str(error.value), str(error.value)


@pytest.mark.parametrize("changes, needle", [
    ({"model": "linear", "degree": 3}, "--degree applies to polynomial features"),
    ({"optimizer": "gd", "batch_size": 8}, "--batch-size does not apply to gd"),
    ({"model": "cascade", "optimizer": "exact"}, "--optimizer exact does not exist for the cascade"),
    ({"model": "logistic", "optimizer": "exact", "loss": "mse"}, "--optimizer exact solves the cross-entropy"),
    ({"references": [[1.0, 1.0], [1.0, 1.0]]}, "--references must be two different points"),
], ids=["linear degree", "gd batch", "cascade exact", "exact mse", "same references"])
def test_settings_that_contradict_each_other_are_refused(tmp_path, changes, needle):
    """Each value is within its own range; only the settings' own check (Settings.resolved) sees the clash."""
    document = _valid_session(tmp_path)
    document["settings"].update(changes)
    bad = tmp_path / "bad.regstudio"
    bad.write_text(json.dumps(document))
    with pytest.raises(ModelFileError) as error:
        load_session(bad)
    assert f"the session file is damaged: settings: {needle}" in str(error.value)


def test_a_small_test_fraction_still_holds_out_one_row():
    """A non-zero fraction holds out at least one row (and keeps one for training) once there are two."""
    data = generate("sine", 30, 0.3, seed=0)
    assert Points.from_dataset(data, 0.01, np.random.default_rng(1)).test.sum() == 1  # round(0.3) would be 0
    assert Points.from_dataset(generate("sine", 2, 0.3, seed=0), 0.9, np.random.default_rng(1)).test.sum() == 1
    assert Points.from_dataset(data, 0.0, np.random.default_rng(1)).test.sum() == 0
    assert Points.from_dataset(generate("sine", 1, 0.3, seed=0), 0.5, np.random.default_rng(1)).test.sum() == 0
    problem = prepare(data, Settings("linear", test_fraction=0.01))
    assert len(problem.test_rows) == 1 and len(problem.train_rows) == 29
