"""Editable point sets and session files."""

import json
import math

import numpy as np
import pytest

from regstudio.core.errors import ModelFileError
from regstudio.core.generators import generate
from regstudio.core.session import Points, SessionState, load_session, save_session
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
    state = SessionState(
        points={"regression": Points.from_dataset(generate("hidden_factor", 20, 0.3, seed=1), 0.25, rng),
                "classification": Points.empty("classification").add([1.0, 2.0], "3")},
        settings=Settings("polynomial", degree=4, lr=0.02, seed=9),
        theta=[0.5, -1.0], step=12, losses=[3.0, 2.0, math.inf], view={"log_loss": True})
    save_session(tmp_path / "s.regstudio", state)
    back = load_session(tmp_path / "s.regstudio")
    assert back.settings == state.settings and back.theta == state.theta and back.step == 12
    assert back.losses[:2] == [3.0, 2.0] and math.isnan(back.losses[2])
    for task in ("regression", "classification"):
        a, b = state.points[task], back.points[task]
        np.testing.assert_array_equal(a.data.X, b.data.X)
        np.testing.assert_array_equal(a.data.y, b.data.y)
        np.testing.assert_array_equal(a.test, b.test)
    assert back.points["regression"].data.group_name == "group"
    assert back.view == {"log_loss": True}


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
