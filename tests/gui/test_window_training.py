"""Training in the window: clicked data trains to the right answer, and the run controls behave."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from guihelpers import (
    WAIT,
    action,
    button,
    choose,
    click,
    combo,
    data_plot,
    drawn_curves,
    fitted_line,
    full_speed,
    last_snapshot,
    loss_curve,
    loss_history,
    message_label,
    pause,
    pixel_size,
    predict,
    round_trip,
    shown_step,
    spin,
    status_text,
    table_values,
    training_thread,
    wait_settled,
    wait_step,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QFileDialog, QSlider

from regstudio.core.history import PER_OCTAVE
from regstudio.core.training import Trainer
from regstudio.gui.data_plot import ProbabilityMap
from regstudio.gui.panels import SPEEDS
from regstudio.gui.style import class_rgb

LINE_X = np.array([-2.0, -1.2, -0.3, 0.6, 1.5, 2.2])
LINE_Y = 2.0 * LINE_X + 1.0 + np.array([0.35, -0.3, 0.2, -0.45, 0.25, -0.1])


def click_line(qtbot, window):
    """Clear the regression points and click six points near y = 2x + 1; return their stored coordinates."""
    assert combo(window, "modelCombo").currentData() == "linear"
    action(window, "actionClearPoints").trigger()
    assert len(window.document.points["regression"]) == 0
    for x, y in zip(LINE_X, LINE_Y):
        click(qtbot, window, x, y)
    data = window.document.points["regression"].data
    assert len(data) == len(LINE_X)
    sx, sy = pixel_size(window)
    # Each point sits where it was clicked (to the pixel the click was rounded to).
    np.testing.assert_allclose(data.X[:, 0], LINE_X, atol=1.5 * sx)
    np.testing.assert_allclose(data.y, LINE_Y, atol=1.5 * sy)
    return data.X[:, 0].copy(), data.y.astype(float).copy()


def play_until_converged(qtbot, window):
    full_speed(window)
    play = button(window, "playButton")
    play.click()
    assert play.isChecked()
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=WAIT)
    assert message_label(window).text().startswith("Converged"), message_label(window).text()
    wait_settled(qtbot, window)


def test_clicked_points_train_to_the_least_squares_line(qtbot, window):
    xs, ys = click_line(qtbot, window)
    play_until_converged(qtbot, window)
    slope, intercept = np.polyfit(xs, ys, 1)
    fit_slope, fit_intercept = fitted_line(window)
    assert fit_slope == pytest.approx(slope, abs=1e-3)
    assert fit_intercept == pytest.approx(intercept, abs=1e-3)
    # The parameters table shows the same line in original units …
    shown = table_values(window)
    assert shown["intercept"] == pytest.approx(intercept, abs=1e-3)
    assert shown["x"] == pytest.approx(slope, abs=1e-3)
    # … and the plot draws it.
    curves = [item.getData() for item in drawn_curves(data_plot(window))]
    assert len(curves) == 1
    cx, cy = curves[0]
    np.testing.assert_allclose(cy, slope * cx + intercept, atol=1e-3)
    assert "R²" in status_text(window)


def image_item(window) -> ProbabilityMap:
    items = [i for i in data_plot(window).plotItem.items if isinstance(i, ProbabilityMap)]
    assert len(items) == 1
    return items[0]


def cell_at(image: ProbabilityMap, x: float, y: float) -> tuple[int, int]:
    """The (row, column) of the map under the view's point (x, y): its first row lies at the lowest y."""
    rows, columns = image.rgba.shape[:2]
    rect = image.boundingRect()
    return (int(np.floor((y - rect.top()) / rect.height() * rows)),
            int(np.floor((x - rect.left()) / rect.width() * columns)))


def click_two_classes(qtbot, window):
    """Logistic: clear, click three class-0 points on the left and three class-1 points on the right."""
    choose(window, "modelCombo", "logistic")
    action(window, "actionClearPoints").trigger()
    assert len(window.document.points["classification"]) == 0
    (x0, x1), (y0, y1) = data_plot(window).plotItem.vb.viewRange()
    w, h = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left = [(cx - 0.3 * w, cy), (cx - 0.35 * w, cy + 0.25 * h), (cx - 0.25 * w, cy - 0.3 * h)]
    right = [(cx + 0.3 * w, cy), (cx + 0.25 * w, cy + 0.3 * h), (cx + 0.35 * w, cy - 0.25 * h)]
    for label, points in (("0", left), ("1", right)):
        choose(window, "classCombo", label)
        for x, y in points:
            click(qtbot, window, x, y)
    data = window.document.points["classification"].data
    assert data.y.tolist() == ["0"] * 3 + ["1"] * 3
    sx, sy = pixel_size(window)
    np.testing.assert_allclose(data.X, np.array(left + right), atol=1.5 * max(sx, sy))
    return data.X.copy(), data.y.copy()


def test_clicked_classes_end_on_their_own_side_of_the_boundary(qtbot, window):
    X, labels = click_two_classes(qtbot, window)
    full_speed(window)
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: (shown_step(window) or 0) >= 300 and "accuracy 1.0000" in status_text(window),
                    timeout=WAIT)
    pause(qtbot, window)
    assert window.controller.problem.classes == ("0", "1")
    P = predict(window, X)
    assert P.shape == (6, 2)
    np.testing.assert_array_equal(np.argmax(P, axis=1), labels.astype(int))
    assert np.all(np.max(P, axis=1) > 0.6)
    # The probability map is drawn, and each clicked point lies on a cell of its own class's colour.
    image = image_item(window)
    assert image.rgba is not None and image.rgba.shape[:2] == (64, 64)
    colors = class_rgb()
    for (x, y), label in zip(X, labels):
        row, column = cell_at(image, x, y)
        assert 0 <= row < 64 and 0 <= column < 64
        np.testing.assert_array_equal(image.rgba[row, column, :3], colors[int(label)])
    # … and the window paints it there: beside the outermost points (no symbol on top), the pixel is
    # the cell's colour laid over the white background at the cell's opacity.
    plot = data_plot(window)
    (x0, x1), _ = plot.plotItem.vb.viewRange()
    picture = plot.viewport().grab().toImage()
    for x, y in (X[np.argmin(X[:, 0])] - [0.05 * (x1 - x0), 0], X[np.argmax(X[:, 0])] + [0.05 * (x1 - x0), 0]):
        row, column = cell_at(image, x, y)
        cell = image.rgba[row, column].astype(float)
        expected = cell[:3] * cell[3] / 255 + 255 * (1 - cell[3] / 255)
        pixel = plot.mapFromScene(plot.plotItem.vb.mapViewToScene(QPointF(x, y)))
        shown = picture.pixelColor(pixel.x(), pixel.y())
        np.testing.assert_allclose([shown.red(), shown.green(), shown.blue()], expected, atol=12)


def test_step_play_pause_reset(qtbot, window):
    y = window.document.points["regression"].data.y.astype(float)
    wait_step(qtbot, window, 0)
    assert len(window.document.history.train) == 0
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    round_trip(qtbot, window)
    assert shown_step(window) == 1 and last_snapshot(window).step == 1  # exactly one step
    steps, losses = loss_curve(window)
    np.testing.assert_array_equal(steps, [0, 1])  # the curve ends at the step the status bar shows
    first_loss = losses[0]
    # Zero initial weights predict 0, so the first loss is mean(y²); one step of GD lowers it.
    assert first_loss == pytest.approx(np.mean(y ** 2), rel=1e-12)
    assert losses[1] < first_loss

    play = button(window, "playButton")
    play.click()
    assert play.isChecked() and play.text() == "Pause"
    seen = []
    qtbot.waitUntil(lambda: seen.append(shown_step(window)) or seen[-1] >= 6, timeout=WAIT)
    assert seen == sorted(seen)
    play.click()
    assert not play.isChecked() and play.text() == "Play"
    wait_settled(qtbot, window)
    paused_at, history = shown_step(window), len(window.document.history.train)
    round_trip(qtbot, window)
    assert shown_step(window) == paused_at and len(window.document.history.train) == history == paused_at

    button(window, "resetButton").click()
    wait_step(qtbot, window, 0)
    qtbot.waitUntil(lambda: len(loss_curve(window)[0]) == 1)  # the step-0 value only
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    qtbot.waitUntil(lambda: len(loss_curve(window)[0]) == 2)
    steps, losses = loss_curve(window)
    np.testing.assert_array_equal(steps, [0, 1])
    assert losses[0] == first_loss


def run_steps(qtbot, window, n: int) -> dict:
    """Press Step n times (each one after the previous finished); return a copy of the parameters."""
    wait_step(qtbot, window, 0)
    step = button(window, "stepButton")
    for k in range(1, n + 1):
        step.click()
        wait_step(qtbot, window, k)
    wait_settled(qtbot, window)
    assert last_snapshot(window).step == n
    return {name: np.array(value) for name, value in last_snapshot(window).params.items()}


def test_same_seed_reproduces_the_run_and_another_seed_does_not(qtbot, window):
    choose(window, "modelCombo", "cascade")
    choose(window, "generatorCombo", "xor")
    spin(window, "seedSpin").setValue(3)
    button(window, "generateButton").click()
    data = window.document.points["classification"].data
    assert len(data) == 60 and sorted(set(data.y.tolist())) == ["0", "1"]
    first = run_steps(qtbot, window, 15)
    first_losses = loss_history(window)[1].copy()
    button(window, "resetButton").click()
    second = run_steps(qtbot, window, 15)
    assert first.keys() == second.keys() == {"W1", "b1", "W2", "b2"}
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])
    np.testing.assert_array_equal(first_losses, loss_history(window)[1])

    spin(window, "seedSpin").setValue(4)
    other = run_steps(qtbot, window, 15)
    assert not np.allclose(first["W1"], other["W1"])


def assert_new_history(steps) -> None:
    """A history from step 0: every step while it is stored exactly (the first 4 × 4,096), then
    buckets, which may skip steps (at full speed on a fast machine a run passes that in the test)."""
    exact = steps[:4 * PER_OCTAVE]
    np.testing.assert_array_equal(exact, np.arange(len(exact)))
    assert np.all(np.diff(steps) > 0)


def test_switching_model_while_playing_restarts_cleanly(qtbot, window):
    y = window.document.points["regression"].data.y.astype(float)
    spin(window, "learningRateSpin").setValue(0.001)  # slow enough not to converge during the test
    full_speed(window)
    play = button(window, "playButton")
    play.click()
    # The newest frame, not the status line: that shows the step 4 times a second, and by its second
    # showing this run had sometimes converged.
    qtbot.waitUntil(lambda: last_snapshot(window) is not None and last_snapshot(window).step > 200, timeout=WAIT)
    assert play.isChecked()

    choose(window, "modelCombo", "polynomial")
    assert window.controller.spec.settings.model == "polynomial" and window.controller.spec.settings.degree == 3
    qtbot.waitUntil(lambda: last_snapshot(window) is not None and last_snapshot(window).step > 50, timeout=WAIT)
    assert play.isChecked()
    assert last_snapshot(window).params["W"].shape == (1, 3)
    assert_new_history(loss_history(window)[0])
    assert loss_history(window)[1][0] == pytest.approx(np.mean(y ** 2), rel=1e-12)

    choose(window, "modelCombo", "logistic")  # another task: the classification points
    assert window.controller.spec.settings.model == "logistic"
    qtbot.waitUntil(lambda: last_snapshot(window) is not None and last_snapshot(window).step > 50, timeout=WAIT)
    assert window.controller.problem.classes is not None
    assert play.isChecked()
    qtbot.waitUntil(lambda: "accuracy" in status_text(window), timeout=WAIT)
    assert_new_history(loss_history(window)[0])
    assert image_item(window).rgba is not None


def test_learning_rate_change_while_playing_takes_effect(qtbot, window):
    spin(window, "learningRateSpin").setValue(1e-4)  # would take many thousand steps to converge
    slider_steps_per_second(window, 200)
    play = button(window, "playButton")
    play.click()
    qtbot.waitUntil(lambda: (shown_step(window) or 0) >= 5, timeout=WAIT)
    changed_at = shown_step(window)
    spin(window, "learningRateSpin").setValue(100.0)
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=WAIT)
    text = message_label(window).text()
    assert message_label(window).isVisible()
    assert "Diverged" in text and "lower the learning rate (now 100)" in text, text
    assert shown_step(window) > changed_at
    # The same run went on (no restart): one history from step 0 past the change.
    steps = loss_history(window)[0]
    assert steps[0] == 0 and np.all(np.diff(steps) >= 0) and steps[-1] >= changed_at
    np.testing.assert_array_equal(steps[:changed_at + 1], np.arange(changed_at + 1))


def slider_steps_per_second(window, rate: int) -> None:
    window.findChild(QSlider, "speedSlider").setValue(SPEEDS.index(rate))


def test_divergence_is_shown_and_stops_training(qtbot, window):
    lr = spin(window, "learningRateSpin")
    lr.setFocus()
    lr.selectAll()
    qtbot.keyClicks(lr, "50")
    qtbot.keyClick(lr, Qt.Key.Key_Return)
    assert lr.value() == 50.0
    full_speed(window)
    play = button(window, "playButton")
    play.click()
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=WAIT)
    label = message_label(window)
    assert label.isVisible()
    assert "Diverged at step" in label.text() and "lower the learning rate (now 50)" in label.text()
    assert label.text().endswith("press Reset.")
    stopped_at = shown_step(window)
    round_trip(qtbot, window)
    assert shown_step(window) == stopped_at
    # Play again does not train past the divergence.
    play.click()
    qtbot.waitUntil(lambda: window.controller.settled and not play.isChecked(), timeout=WAIT)
    round_trip(qtbot, window)
    assert shown_step(window) == stopped_at
    button(window, "resetButton").click()
    wait_step(qtbot, window, 0)
    assert not label.isVisible()


def test_loss_history_has_one_value_per_step_after_divergence(qtbot, window):
    """Regression: the diverging step's non-finite loss was recorded without counting the step, so the
    last frame's losses were drawn one step early (the whole curve from step -1 at full speed)."""
    spin(window, "learningRateSpin").setValue(50.0)
    full_speed(window)
    play = button(window, "playButton")
    play.click()
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=WAIT)
    assert "Diverged" in message_label(window).text()
    wait_settled(qtbot, window)
    steps = loss_history(window)[0]
    assert len(steps) == shown_step(window)
    np.testing.assert_array_equal(steps, np.arange(len(steps)))


def headless_params(window, steps: int) -> dict:
    """The parameters after ``steps`` full-batch steps of a fresh trainer on the window's problem."""
    trainer = Trainer(window.controller.problem)
    for _ in range(steps):
        trainer.step()
    return trainer.model.unpack(trainer.theta)


def test_parameters_table_shows_the_parameters_of_the_shown_step(qtbot, window):
    """Regression: the table refreshed at most every 0.1 s, so a second Step soon after the first
    left it showing step 1's parameters for good."""
    step = button(window, "stepButton")
    wait_step(qtbot, window, 0)
    qtbot.wait(150)
    step.click()
    wait_step(qtbot, window, 1)
    step.click()
    wait_step(qtbot, window, 2)  # the frame that shows step 2 in the status bar …
    expected = headless_params(window, 2)  # … shows its parameters in the table
    shown = table_values(window)
    assert shown["w x"] == pytest.approx(float(expected["W"][0, 0]), rel=1e-5)
    assert shown["b (bias)"] == pytest.approx(float(expected["b"][0]), rel=1e-5)


def test_export_after_queued_steps_writes_the_shown_parameters(qtbot, window, tmp_path, monkeypatch):
    """Regression: frames merged while the GUI thread was busy lost the evaluated snapshot, and the window
    kept only evaluated snapshots for export, so ten quick Steps exported step 0's parameters."""
    path = tmp_path / "model.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    wait_step(qtbot, window, 0)
    step = button(window, "stepButton")
    for _ in range(10):
        step.click()
    time.sleep(0.2)  # the GUI thread is busy (e.g. painting) while the worker runs the queued steps
    wait_step(qtbot, window, 10)
    action(window, "actionExportParameters").trigger()
    document = json.loads(path.read_text())
    expected = headless_params(window, 10)
    assert document["training"]["steps"] == 10
    np.testing.assert_allclose(document["parameters"]["W"], expected["W"], rtol=1e-12)
    np.testing.assert_allclose(document["parameters"]["b"], expected["b"], rtol=1e-12)


def test_frames_sent_before_a_pause_do_not_press_play_again(qtbot, window):
    """The Play button follows the runner's play state only from frames that answer the last command:
    frames the runner sent while it still played, taken after the user pressed Pause, must not
    press Play again (nor flicker it)."""
    spin(window, "learningRateSpin").setValue(0.001)  # slow enough not to converge during the test
    full_speed(window)
    play = button(window, "playButton")
    play.click()
    controller = window.controller
    qtbot.waitUntil(lambda: controller.settled and controller.latest.playing and controller.latest.snapshot.step > 5,
                    timeout=WAIT)
    # Without taking them (no events processed here), let frames of the playing run wait in the mailbox.
    mailbox = training_thread(window).mailbox
    deadline = time.perf_counter() + WAIT / 1000
    while not mailbox.frames_waiting():
        assert time.perf_counter() < deadline, "the playing runner sent no frame"
        time.sleep(0.005)
    states = []
    controller.playingChanged.connect(states.append)
    checked = []
    play.toggled.connect(checked.append)
    play.click()
    assert states == [False] and not play.isChecked()
    qtbot.waitUntil(lambda: controller.settled, timeout=WAIT)
    assert states == [False] and not play.isChecked() and play.text() == "Play"
    assert checked == [False] and not controller.playing and not controller.latest.playing


def test_while_playing_the_numbers_refresh_four_times_a_second_and_exactly_on_pause(qtbot, window, monkeypatch):
    """Status line and parameters table follow a playing run as a meter does; a paused run shows the
    step it stopped at, on the status line, the table and the plots alike."""
    from regstudio.gui.presenter import READOUT_SECONDS

    label, texts, frames = window.status_label, [], []
    set_text = label.setText
    monkeypatch.setattr(label, "setText", lambda text: (texts.append(text), set_text(text)))
    spin(window, "learningRateSpin").setValue(1e-4)   # a run that goes on
    full_speed(window)
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: window.controller.latest is not None and window.controller.latest.playing, timeout=WAIT)
    window.controller.frameArrived.connect(frames.append)
    texts.clear()
    started = time.perf_counter()
    qtbot.waitUntil(lambda: len(frames) >= 30, timeout=WAIT)
    elapsed = time.perf_counter() - started
    assert len(texts) <= elapsed / READOUT_SECONDS + 2 and 2 * len(texts) <= len(frames), (len(texts), len(frames))
    pause(qtbot, window)
    step = last_snapshot(window).step
    assert shown_step(window) == step and window.document.history.tip[0] == step
