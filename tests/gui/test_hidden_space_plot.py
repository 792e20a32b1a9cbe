"""The hidden-space plot draws exactly the HiddenSpace it is given, and updates its items in place."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from guihelpers import shown

from regstudio.core.data import Dataset
from regstudio.core.generators import generate
from regstudio.core.hidden_space import XOR_CASCADE_SETTINGS, XOR_DATA, XOR_DISTANCE_SETTINGS, hidden_space
from regstudio.core.training import Trainer, prepare
from regstudio.gui.hidden_space_plot import EMPTY_HINT, HiddenSpacePlot
from regstudio.gui.style import class_colors

COLOURS = ["#0072B2", "#E69F00", "#009E73"]


@pytest.fixture
def plot(qtbot):
    return shown(qtbot, HiddenSpacePlot(), 400, 400)


def _trainer(settings, data="xor", seed=0):
    return Trainer(prepare(generate(data, XOR_DATA["n"], XOR_DATA["noise"], seed=seed), settings))


def _assert_draws(plot, space):
    for k in range(len(COLOURS)):
        for test in (False, True):
            chosen = (space.classes == k) & (space.test == test)
            np.testing.assert_array_equal(plot.shown_points(k, test), space.xy[chosen])
    xs, ys = plot.shown_boundary()
    np.testing.assert_array_equal(xs, space.boundary[0])
    np.testing.assert_array_equal(ys, space.boundary[1])


def test_scatter_and_boundary_are_the_hidden_space_of_each_frame(plot):
    trainer = _trainer(replace(XOR_CASCADE_SETTINGS, steps=400))
    assert plot.objectName() == "hiddenSpacePlot"
    items = len(plot.plotItem.items)
    frames = iter(trainer.run(chunk_seconds=0.0))
    for _ in range(3):  # the points move as the hidden units learn
        snapshot = next(frames)
        space = hidden_space(trainer.problem, trainer.model.pack(snapshot.params))
        plot.show_hidden_space(space, COLOURS)
        _assert_draws(plot, space)
        for _ in range(50):
            next(frames)
    assert len(plot.plotItem.items) == items  # updated in place, nothing added
    assert len(plot.shown_points(0)) + len(plot.shown_points(1)) == trainer.problem.n_train
    assert plot.axis_labels == ("x₁′ = σ(hidden 1)", "x₂′ = σ(hidden 2)")
    (x0, x1), (y0, y1) = plot.view_ranges
    assert x0 < 0 < 1 < x1 < 1.1 and y0 < 0 < 1 < y1 < 1.1


def test_distance_space_uses_its_own_ranges_labels_and_colours(plot):
    trainer = _trainer(XOR_DISTANCE_SETTINGS)
    list(trainer.run())
    space = hidden_space(trainer.problem, trainer.theta)
    plot.show_hidden_space(space, class_colors(trainer.problem.classes))
    _assert_draws(plot, space)
    assert plot.axis_labels == space.axis_labels and "distance to (1.5, 1.5)" in plot.axis_labels[0]
    (x0, x1), _ = plot.view_ranges
    assert x0 < 0 and x1 > space.xy.max()
    expected = [tuple(int(v) for v in row) for row in class_colors(trainer.problem.classes)]
    assert [plot.train_items[k].opts["brush"].color().getRgb()[:3] for k in range(2)] == expected


def test_nothing_to_show_clears_the_plot(plot):
    trainer = _trainer(replace(XOR_CASCADE_SETTINGS, steps=5))
    plot.show_hidden_space(hidden_space(trainer.problem, trainer.theta), COLOURS)
    plot.show_hidden_space(None, COLOURS)
    assert all(len(plot.shown_points(k, test)) == 0 for k in range(3) for test in (False, True))
    assert len(plot.shown_boundary()[0]) == 0 and plot._hint.textItem.toPlainText() == EMPTY_HINT


def test_a_group_named_with_markup_is_shown_as_text_in_the_note(plot):
    data = generate("xor", XOR_DATA["n"], XOR_DATA["noise"], seed=0)
    levels = np.array(['<img src="/nonexistent/x.png">', "<b>bold</b>"])[np.arange(len(data)) % 2]
    grouped = Dataset(data.X, data.y, levels, data.x_names, data.y_name, "species")
    trainer = Trainer(prepare(grouped, XOR_DISTANCE_SETTINGS))
    space = hidden_space(trainer.problem, trainer.theta)
    plot.show_hidden_space(space, COLOURS)
    assert "'<b>bold</b>'" in space.note
    assert plot.plotItem.titleLabel.item.toPlainText() == space.note
    assert plot.axis_labels == space.axis_labels
