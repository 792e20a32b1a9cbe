"""The parameters table in the real window: the update spelled out, each group's own line, the
shared-line comparison, and a layout that fits the panel."""

from __future__ import annotations

import numpy as np
import pytest
from guihelpers import button, child, choose, displayed, spin, take_steps, wait_settled, wait_step
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QTableView, QTableWidget

from regstudio.core.readable import (
    GROUP_LINES_HEADING,
    TRAINED_HEADING,
)
from regstudio.gui.readouts import COLUMN_DIGITS, number, number_width


def table(window) -> QTableView:
    return child(window, QTableView, "paramsTable")


def sections(window) -> dict[str, dict[str, list]]:
    """{heading: {name: [value, gradient, step]}} with each number at full precision (the cells'
    tooltips), None where a cell is empty; also checks each shown text is number() of it."""
    model = table(window).model()
    found, current = {}, None
    for row in range(model.rowCount()):
        name = model.index(row, 0).data()
        if model.is_heading(row):
            current = found.setdefault(name, {})
            continue
        numbers = []
        for column in (1, 2, 3):
            index = model.index(row, column)
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            numbers.append(None if tip is None else float(tip))
            assert index.data() == ("" if tip is None else number(float(tip), COLUMN_DIGITS[column - 1]))
        current[name] = numbers
    return found


def drawn_points(curve) -> int:
    xs, _ = curve.getData()
    return 0 if xs is None else len(xs)





def test_gd_step_column_is_minus_rate_times_the_gradient_at_the_previous_parameters(qtbot, window):
    spin(window, "learningRateSpin").setValue(0.1)
    take_steps(qtbot, window, 3)
    problem = window.controller.problem
    rows = sections(window)[TRAINED_HEADING]
    values, gradients, updates = (np.array(column) for column in zip(*rows.values()))
    np.testing.assert_allclose(updates, -0.1 * gradients, rtol=1e-12, atol=0)
    # the gradient column is ∂J/∂θ at the θ the step started from (θ − step), by finite differences
    previous = np.empty(problem.model.n_params)
    order = [list(rows).index(name) for name in ("w x", "b (bias)")]
    previous[:] = (values - updates)[order]  # θ = (w, b) for one input
    h = 1e-6
    for i in range(len(previous)):
        e = np.zeros_like(previous)
        e[i] = h
        numeric = (problem.model.objective(previous + e, problem.Xt_train, problem.y_train, 0.0)
                   - problem.model.objective(previous - e, problem.Xt_train, problem.y_train, 0.0)) / (2 * h)
        assert gradients[order[i]] == pytest.approx(numeric, rel=1e-6)


def hidden_factor_data(qtbot, window) -> None:
    spin(window, "testFractionSpin").setValue(0.3)
    choose(window, "generatorCombo", "hidden_factor")
    button(window, "generateButton").click()
    assert child(window, type(window.model_panel.group_combo), "groupCombo").currentData() == "group"
    choose(window, "optimizerCombo", "exact")
    wait_step(qtbot, window, 1)   # a run solved exactly starts solved
    wait_settled(qtbot, window)


def test_each_group_shows_its_own_line_and_the_comparison_with_one_shared_line(qtbot, window):
    hidden_factor_data(qtbot, window)
    take_steps(qtbot, window, 1)
    problem = window.controller.problem
    shown = sections(window)
    assert next(iter(shown)) == GROUP_LINES_HEADING  # original units first
    train = problem.dataset.subset(problem.train_rows)
    test = problem.dataset.subset(problem.test_rows)
    assert len(test) > 10
    for group in sorted(set(train.groups)):
        rows = train.groups == group
        slope, intercept = np.polyfit(train.X[rows, 0], train.y[rows], 1)
        assert shown[GROUP_LINES_HEADING][f"{group}: b"][0] == pytest.approx(intercept, rel=1e-6, abs=1e-8)
        assert shown[GROUP_LINES_HEADING][f"{group}: w x"][0] == pytest.approx(slope, rel=1e-6, abs=1e-8)
    assert "one shared line" not in [table(window).model().index(r, 0).data() for r in range(len(shown))]
    comparison = child(window, QTableWidget, "groupComparisonTable")
    assert comparison.isVisible()
    headers = [comparison.horizontalHeaderItem(c).text() for c in range(2)]
    assert headers == ["train MSE", "test MSE"]
    rows = {comparison.verticalHeaderItem(r).text(): [float(comparison.item(r, c).text()) for c in range(2)]
            for r in range(2)}
    slope, intercept = np.polyfit(train.X[:, 0], train.y, 1)
    shared_train = np.mean((slope * train.X[:, 0] + intercept - train.y) ** 2)
    shared_test = np.mean((slope * test.X[:, 0] + intercept - test.y) ** 2)
    assert rows["one shared line"] == pytest.approx([shared_train, shared_test], rel=1e-3)
    assert rows["one line per group"][1] < rows["one shared line"][1]
    # the shared line is drawn beside the groups' own lines: ŷ = slope·x + intercept
    xs, ys = window.data_plot._shared_line.getData()
    assert len(xs) > 10
    np.testing.assert_allclose(ys, slope * xs + intercept, rtol=1e-9, atol=1e-9)
    # data without a group column: no comparison table, no shared line
    choose(window, "generatorCombo", "line")
    button(window, "generateButton").click()
    qtbot.waitUntil(lambda: not comparison.isVisible() and drawn_points(window.data_plot._shared_line) == 0)


def assert_fits(window) -> None:
    """No horizontal scroll bar; every number's text fits its column; elided names have tooltips."""
    view = table(window)
    header, model = view.horizontalHeader(), view.model()
    metrics = view.fontMetrics()
    assert not view.horizontalScrollBar().isVisible()
    assert sum(header.sectionSize(c) for c in range(4)) <= view.viewport().width()
    for row in range(model.rowCount()):
        if model.is_heading(row):
            continue
        for column in (1, 2, 3):
            text = model.index(row, column).data()
            assert metrics.horizontalAdvance(text) < header.sectionSize(column), (text, header.sectionSize(column))
        name = model.index(row, 0).data()
        assert displayed(model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)) == name
    scroll = [s for s in window.findChildren(QScrollArea) if s.widget() is not None
              and s.widget().isAncestorOf(view)]
    assert scroll and scroll[0].viewport().width() >= view.parentWidget().minimumSizeHint().width()


@pytest.mark.parametrize("size", [(1280, 800), (1024, 640)])
def test_the_table_fits_its_panel(qtbot, window, size):
    window.resize(*size)
    take_steps(qtbot, window, 2)
    assert_fits(window)
    hidden_factor_data(qtbot, window)
    choose(window, "optimizerCombo", "gd")
    wait_step(qtbot, window, 0)   # the new run, not the exact one's step 1
    take_steps(qtbot, window, 2)
    assert_fits(window)


def test_number_width_bounds_the_width_of_every_number_text(qtbot, window):
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.standard_normal(3000) * 10.0 ** rng.integers(-150, 150, 3000),
                             [0.0, -0.0, 999999.6, 99999.95, 9.999995e-5, -1e-4, np.inf, -np.inf]])
    advance = table(window).fontMetrics().horizontalAdvance
    widths = np.array([advance(number(float(v))) for v in values])
    bounds = np.array([number_width(np.array([v]), advance) for v in values])
    assert (bounds >= widths).all(), values[bounds < widths]
    assert number_width(values, advance) == bounds.max()
    assert np.median(bounds - widths) <= advance("0")  # a bound, not a blanket worst case
