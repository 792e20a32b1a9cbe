"""The validation-curve view: its numbers are the core sweep's, a cancel stops its thread quickly,
Apply emits the chosen value, and no sweep thread outlives the view."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pytest
import shiboken6
from guihelpers import drain_events, label_shows
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from regstudio.core.data import Dataset
from regstudio.core.generators import generate
from regstudio.core.sweeps import (
    OVERFITTING_DATA,
    REGULARIZATION_DATA,
    best,
    l2_values,
    points_only,
    sweep,
)
from regstudio.core.training import Settings
from regstudio.gui import validation_view
from regstudio.gui.validation_view import ValidationView


@pytest.fixture
def view(qtbot):
    widget = ValidationView()
    qtbot.addWidget(widget)  # closed at teardown: closeEvent stops any sweep thread
    yield widget
    assert not widget.is_running()


@pytest.fixture(autouse=True)
def no_sweep_thread_left():
    yield
    assert not [thread for thread in validation_view._THREADS if thread.isRunning()]


def _finish(qtbot, view, timeout=10_000):
    qtbot.waitUntil(lambda: not view.is_running(), timeout=timeout)


def _table_column(view, column):
    return [view.table.item(row, column).data(Qt.ItemDataRole.UserRole) for row in range(view.table.rowCount())]


def _long_source():
    """Descent of a cascade (no exact solver): 5,000 steps a value, seconds for the whole sweep."""
    settings = Settings("cascade", optimizer="gd", lr=0.1, steps=10**6, tol=0.0, test_fraction=0.3)
    return generate("xor", 200, 0.4, seed=0), settings


@pytest.mark.parametrize("recipe", [OVERFITTING_DATA, REGULARIZATION_DATA], ids=["degree", "l2"])
def test_a_run_fills_the_table_and_plot_with_the_core_sweep(qtbot, view, recipe):
    data = recipe.dataset()
    mask = np.zeros(len(data), dtype=bool)
    mask[::2] = True
    view.set_problem_source(data, recipe.settings(), mask)
    view.run(recipe.parameter)
    assert view.is_running()
    _finish(qtbot, view)
    expected = points_only(sweep(data, recipe.settings(), recipe.parameter, recipe.values(), mask))
    assert _table_column(view, 0) == [p.value for p in expected]
    assert _table_column(view, 1) == [p.train_error for p in expected]
    assert _table_column(view, 2) == [p.test_error for p in expected]
    assert _table_column(view, 3) == [p.steps for p in expected]
    xs, ys = view.test_curve.getOriginalDataset()
    np.testing.assert_array_equal(xs, [p.value for p in expected])
    np.testing.assert_array_equal(ys, np.maximum([p.test_error for p in expected], validation_view.LOG_FLOOR))
    top = best(expected)
    bx, by = view.best_marker.getOriginalDataset()
    assert (bx.tolist(), by.tolist()) == ([top.value], [top.test_error])
    row = [p.value for p in expected].index(top.value)
    assert view.table.item(row, 2).font().bold() and not view.table.item((row + 1) % len(expected), 2).font().bold()
    assert view.plot.getPlotItem().ctrl.logXCheck.isChecked() == (recipe.parameter == "l2")
    assert view.progress.value() == view.progress.maximum()
    assert "Fitted" in view.status.text() and view.parameter == recipe.parameter


def test_cancel_mid_fit_stops_the_thread_quickly_and_fits_nothing_more(qtbot, view, monkeypatch):
    # Each item of the sweep is a chunk of descent (CHUNK_SECONDS) or a fitted value: count those the
    # sweep thread makes once the cancel was asked for.
    cancel = {}
    after_cancel = []
    sweep_items = validation_view.sweep

    def counted(*args, **kwargs):
        for item in sweep_items(*args, **kwargs):
            if "event" in cancel and cancel["event"].is_set():
                after_cancel.append(item)
            yield item

    monkeypatch.setattr(validation_view, "sweep", counted)
    view.set_problem_source(*_long_source())
    view.run("l2")
    cancel["event"] = view._thread._cancel
    # Cancel inside the second value's descent: the progress bar has passed one value's worth.
    qtbot.waitUntil(lambda: view.progress.value() > validation_view.PROGRESS_UNITS + 5, timeout=20_000)
    thread = view._thread
    shown = len(view.points)
    view.cancel()
    _finish(qtbot, view)
    assert thread.isFinished()
    # It stopped within the chunk of steps it was in when asked: at most that one item came after.
    assert len(after_cancel) <= 1, after_cancel
    fitted = len(view.points)
    # A point emitted just before the cancel may still land; the value being fitted never does.
    assert shown <= fitted <= shown + 1 < len(l2_values())
    drain_events(qtbot)  # any signal still queued from the cancelled run has landed now
    assert len(view.points) == fitted == view.table.rowCount()
    assert view.status.text().startswith(f"Cancelled after {fitted} of")


def test_cancel_button_and_a_new_run_replace_the_old_one(qtbot, view):
    view.set_problem_source(*_long_source())
    view.run("degree")
    qtbot.waitUntil(lambda: view.progress.value() > 3, timeout=10_000)
    first = view._thread
    view.set_problem_source(OVERFITTING_DATA.dataset(), OVERFITTING_DATA.settings())
    view.run("degree")  # stops the first run before starting
    assert first.isFinished()
    _finish(qtbot, view)
    assert len(view.points) == 10
    view.set_problem_source(*_long_source())
    view.run("degree")
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, view, timeout=2_000)
    assert len(view.points) < 10


def test_apply_emits_the_selected_value_or_else_the_best(qtbot, view):
    recipe = REGULARIZATION_DATA
    view.set_problem_source(recipe.dataset(), recipe.settings())
    assert not view.apply_button.isEnabled()
    view.run("l2")
    _finish(qtbot, view)
    emitted = []
    view.applyRequested.connect(lambda name, value: emitted.append((name, value)))
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    view.table.selectRow(2)
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert emitted == [("l2", best(view.points).value), ("l2", view.points[2].value)]
    assert emitted[0][1] != emitted[1][1]


def test_results_stay_for_a_new_value_of_the_swept_parameter_and_go_with_the_data_or_model(qtbot, view):
    recipe = OVERFITTING_DATA
    data, settings = recipe.dataset(), recipe.settings()
    view.set_problem_source(data, settings)
    view.run("degree")
    _finish(qtbot, view)
    assert len(view.points) == 10
    view.set_problem_source(data, replace(settings, degree=7))  # what Apply does
    assert len(view.points) == view.table.rowCount() == 10 and view.apply_button.isEnabled()
    view.set_problem_source(data, replace(settings, l2=0.1))  # every fit would change
    assert view.points == [] and view.table.rowCount() == 0 and not view.apply_button.isEnabled()
    assert view.best_marker.getData()[0] is None or len(view.best_marker.getData()[0]) == 0
    assert view.status.text() == "The data or the model changed since the sweep: run it again."

    view.run("degree")
    _finish(qtbot, view)
    view.set_problem_source(recipe.dataset(seed=1), replace(settings, l2=0.1))  # other points
    assert view.points == [] and not view.apply_button.isEnabled()
    view.run("degree")
    _finish(qtbot, view)
    view.set_problem_source(None, None)  # no points at all
    assert view.points == [] and not view.apply_button.isEnabled() and not view.run_button.isEnabled()


def test_a_sweep_in_progress_stops_when_its_data_change(qtbot, view):
    data, settings = _long_source()
    view.set_problem_source(data, settings)
    view.run("l2")
    qtbot.waitUntil(lambda: view.progress.value() > 3, timeout=10_000)
    thread = view._thread
    view.set_problem_source(generate("xor", 200, 0.4, seed=1), settings)
    assert thread.isFinished() and not view.is_running()
    drain_events(qtbot)  # any signal still queued from the stopped run has landed now
    assert view.points == [] and view.table.rowCount() == 0 and not view.apply_button.isEnabled()


def test_a_sweep_without_test_rows_draws_its_training_errors_without_warnings(qtbot, view):
    recipe = OVERFITTING_DATA
    data = recipe.dataset()
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        view.set_problem_source(data, recipe.settings(), np.zeros(len(data), dtype=bool))
        view.run("degree")
        _finish(qtbot, view)
        qtbot.wait(100)  # paint the finished plot
    # Old pyqtgraph calls Qt functions newer PySide6 deprecates; those warnings are not the view's.
    ours = [w for w in caught if not (issubclass(w.category, DeprecationWarning) and "pyqtgraph" in w.filename)]
    assert [str(w.message) for w in ours] == []
    assert len(view.train_curve.getOriginalDataset()[0]) == 10
    tested, _ = view.test_curve.getOriginalDataset()
    assert (tested is None or len(tested) == 0) and view.best_point() is None
    # the empty test column is explained, in the table and under it
    assert view.table.item(0, 2).text() == "—" and "Test fraction" in view.table.item(0, 2).toolTip()
    assert "no test points" in view.status.text() and "Test fraction" in view.status.text()


def test_a_sweep_that_cannot_prepare_reports_why(qtbot, view):
    one_class = Dataset(X=np.arange(8.0).reshape(4, 2), y=np.array(["a"] * 4), groups=None,
                        x_names=("x1", "x2"), y_name="label", group_name=None)
    view.set_problem_source(one_class, Settings("logistic"))
    view.run("l2")
    _finish(qtbot, view)
    assert "only one class" in view.status.text() and view.points == []


def test_a_failed_sweep_names_columns_and_labels_as_text(qtbot, view):
    column, label = '<img src="/nonexistent/x.png">', "<b>bold</b>"
    one_class = Dataset(X=np.arange(8.0).reshape(4, 2), y=np.array([label] * 4), groups=None,
                        x_names=("x1", "x2"), y_name=column, group_name=None)
    view.set_problem_source(one_class, Settings("logistic"))
    view.run("l2")
    _finish(qtbot, view)
    shown = label_shows(view.status)
    assert f"column {column!r} has only one class ({label!r})" in shown, shown


def test_closing_mid_run_stops_and_waits_for_the_thread(qtbot, view):
    view.set_problem_source(*_long_source())
    view.run("l2")
    qtbot.waitUntil(lambda: view.progress.value() > 3, timeout=10_000)
    thread = view._thread
    view.close()
    assert thread.isFinished() and not view.is_running()


def test_a_parent_deleting_the_view_mid_run_stops_the_thread(qtbot):
    parent = QWidget()
    view = ValidationView(parent)
    view.set_problem_source(*_long_source())
    view.run("l2")
    qtbot.waitUntil(lambda: view.progress.value() > 3, timeout=10_000)
    thread = view._thread
    parent.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view), timeout=2_000)
    assert thread.isFinished()


def test_tiny_errors_are_labelled_without_a_scale_prefix(qtbot, view):
    """Errors far below 1: pyqtgraph's automatic SI prefix writes "(x1e-06)" beside the label and
    scales the ticks by it.  The axes carry the numbers themselves."""
    view.show()   # an axis prefixes only a label it shows
    qtbot.waitExposed(view)
    data = generate("line", n=200, noise=0.0005, seed=1)
    mask = np.zeros(len(data), dtype=bool)
    mask[::2] = True
    view.set_problem_source(data, Settings(model="polynomial", optimizer="exact"), mask)
    view.run("degree")
    _finish(qtbot, view)
    assert max(max(p.train_error, p.test_error) for p in view.points) < 1e-3
    qtbot.wait(50)
    for side in ("left", "bottom"):
        label = view.plot.getAxis(side).labelString()
        assert "(x" not in label, label
