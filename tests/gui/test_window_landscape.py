"""The loss landscape in the window: its values, path and start follow the run."""

from __future__ import annotations

import numpy as np
import pytest
from guihelpers import button, choose, spin, wait_settled, wait_step
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from regstudio.core.landscape import exact_optimum
from regstudio.core.lessons import LESSONS


def open_landscape(qtbot, window):
    window.view_docks.show_only(["landscape"])
    qtbot.waitExposed(window.view_docks.docks["landscape"])


def landscape_frame(qtbot, window, step):
    qtbot.waitUntil(lambda: window.controller.latest is not None and window.controller.latest.snapshot.step == step
                    and (window.controller.latest.extras or {}).get("landscape") is not None, timeout=5000)
    return window.controller.consistent()


def test_the_landscape_is_the_objective_and_the_path_is_the_snapshots_parameters(qtbot, window):
    open_landscape(qtbot, window)
    spin(window, "learningRateSpin").setValue(0.2)
    thetas = []
    for step in range(1, 6):
        button(window, "stepButton").click()
        wait_step(qtbot, window, step)
        problem, frame = landscape_frame(qtbot, window, step)
        thetas.append(problem.model.pack(frame.snapshot.params))
    landscape = frame.extras["landscape"]
    assert (landscape.i, landscape.j) == (0, 1)  # w and b of simple linear regression
    theta = thetas[-1]
    # the map's value at a grid point is J with θ_i, θ_j there and the rest at the frame's θ
    r, c = 7, 11
    probe = theta.copy()
    probe[landscape.i], probe[landscape.j] = landscape.xs[c], landscape.ys[r]
    J = problem.model.objective(probe, problem.Xt_train, problem.y_train, frame.l2)
    assert landscape.values[r, c] == pytest.approx(J, rel=1e-9)
    view = window.view_docks.live["landscape"]
    path_x, path_y = view.plot._path.getData()
    np.testing.assert_allclose(path_x[-5:], [t[0] for t in thetas])
    np.testing.assert_allclose(path_y[-5:], [t[1] for t in thetas])
    optimum = exact_optimum(problem)
    assert view.plot._optimum.data["x"][0] == pytest.approx(optimum[0])
    assert "distance to the exact optimum" in view.distance_label.text()


def test_a_click_on_the_landscape_restarts_the_run_from_there(qtbot, window):
    open_landscape(qtbot, window)
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    problem, frame = landscape_frame(qtbot, window, 1)
    plot = window.view_docks.live["landscape"].plot
    landscape = plot.landscape
    target = (landscape.xs[40], landscape.ys[20])
    scene = plot.getPlotItem().getViewBox().mapViewToScene(QPointF(*target))
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot.mapFromScene(scene))
    wait_step(qtbot, window, 0)
    wait_settled(qtbot, window)
    problem, frame = window.controller.consistent()
    theta = problem.model.pack(frame.snapshot.params)
    cell = [landscape.xs[1] - landscape.xs[0], landscape.ys[1] - landscape.ys[0]]
    assert abs(theta[0] - target[0]) < cell[0] and abs(theta[1] - target[1]) < cell[1]
    assert frame.snapshot.step == 0


def test_reset_starts_again_from_the_point_chosen_on_the_landscape_until_the_model_changes(qtbot, window):
    open_landscape(qtbot, window)
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    landscape_frame(qtbot, window, 1)
    plot = window.view_docks.live["landscape"].plot
    target = (plot.landscape.xs[40], plot.landscape.ys[20])
    plot.startRequested.emit(*target)
    start = window.document.selections.start
    assert start is not None and start[:2] == pytest.approx(target)
    for step in range(1, 4):
        button(window, "stepButton").click()
        wait_step(qtbot, window, step)
    button(window, "resetButton").click()
    wait_step(qtbot, window, 0)
    wait_settled(qtbot, window)
    problem, frame = window.controller.consistent()
    np.testing.assert_allclose(problem.model.pack(frame.snapshot.params), start)
    choose(window, "modelCombo", "polynomial")
    assert window.document.selections.start is None   # a point among other parameters means nothing


def test_the_chosen_pair_is_the_documents_and_survives_a_new_run(qtbot, window):
    choose(window, "modelCombo", "polynomial")
    wait_settled(qtbot, window)
    open_landscape(qtbot, window)
    view = window.view_docks.live["landscape"]
    view.y_combo.setCurrentIndex(2)
    assert window.document.selections.landscape_pair == (0, 2)
    button(window, "resetButton").click()
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    problem, frame = landscape_frame(qtbot, window, 1)
    assert (frame.extras["landscape"].i, frame.extras["landscape"].j) == (0, 2)
    assert view.y_combo.currentIndex() == 2


def test_the_axis_choosers_pick_any_two_parameters(qtbot, window):
    choose(window, "modelCombo", "polynomial")
    wait_settled(qtbot, window)
    open_landscape(qtbot, window)
    view = window.view_docks.live["landscape"]
    assert view.x_combo.count() == window.controller.problem.model.n_params
    view.y_combo.setCurrentIndex(2)
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    problem, frame = landscape_frame(qtbot, window, 1)
    assert (frame.extras["landscape"].i, frame.extras["landscape"].j) == (0, 2)


def test_a_landscape_opened_while_paused_draws_without_a_step(qtbot, window):
    wait_settled(qtbot, window)
    open_landscape(qtbot, window)
    view = window.view_docks.live["landscape"]
    qtbot.waitUntil(lambda: view.plot.landscape is not None, timeout=5000)
    assert view.plot.landscape.values.shape == (64, 64)


def test_a_diverging_path_stays_on_the_map_which_widens_to_hold_it(qtbot, window):
    """The learning-rate lesson's run at 0.28: each step lands farther out across the valley; the
    map widens to hold the path (up to MAX_ZOOM_OUT × the bowl), and past that an arrow on the edge
    shows where the path went."""
    lesson = next(lesson for lesson in LESSONS if lesson.key == "LearningRate")
    window.lessons.load(lesson)
    view = window.view_docks.live["landscape"]
    landscape_frame(qtbot, window, 0)
    bowl = view.plot.landscape.x_range, view.plot.landscape.y_range
    for steps in range(1, 40):
        button(window, "stepButton").click()
        qtbot.waitUntil(lambda: window.controller.settled and window.controller.latest.snapshot.step == steps
                        or window.controller.latest.snapshot.stop_reason is not None)
        if window.controller.latest.snapshot.stop_reason is not None:
            break
        problem, frame = landscape_frame(qtbot, window, steps)
        theta = problem.model.pack(frame.snapshot.params)
        x, y = theta[0], theta[1]
        shown = view.plot.landscape
        inside = shown.x_range[0] <= x <= shown.x_range[1] and shown.y_range[0] <= y <= shown.y_range[1]
        assert inside != view.plot.exit_shown, (steps, x, y, shown.x_range, shown.y_range)
        assert np.isfinite(shown.values).all()
    assert window.controller.latest.snapshot.stop_reason == "diverged" and steps > 5
    final = view.plot.landscape
    assert final.x_range[1] - final.x_range[0] > 2 * (bowl[0][1] - bowl[0][0])   # it followed the path
    # Reset: the new run starts on the bowl again.
    button(window, "resetButton").click()
    wait_step(qtbot, window, 0)
    qtbot.waitUntil(lambda: (view.plot.landscape is not None
                             and (view.plot.landscape.x_range, view.plot.landscape.y_range) == bowl))
    assert not view.plot.exit_shown
