"""Editable point sets and session files."""

import json
import math

import numpy as np
import pytest

from regstudio.core.errors import ModelFileError
from regstudio.core.generators import generate
from regstudio.core.history import LossHistory
from regstudio.core.session import Points, SessionState, SessionView, load_session, save_session
from regstudio.core.training import Settings


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
        view=SessionView(steps_per_second=None, log_loss=True, use_group=True))
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


def _valid_session(tmp_path) -> dict:
    state = SessionState({"regression": Points.from_dataset(generate("hidden_factor", 12, 0.3, seed=1), 0.25,
                                                            np.random.default_rng(0)),
                          "classification": Points.empty("classification").add([1.0, 2.0], "0")},
                         Settings("linear", lr=0.1), theta=[0.5] * 6, step=30,
                         view=SessionView(use_group=True))
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
