"""Each lesson's claim as live numbers in its caption, checked against the trained state."""

from __future__ import annotations

import re

import numpy as np
import pytest
from guihelpers import WAIT, button, shown_step, wait_settled, wait_step

from regstudio.core.lessons import LESSONS, lesson
from regstudio.core.modelfile import original_units
from regstudio.core.readable import group_comparison

NUMBER = r"(-?[\d.]+(?:e[-+]?\d+)?)"
STEPS = 5


def claim_at(qtbot, window, item, steps=STEPS) -> str:
    """The caption's claim after ``steps`` clicks on Step (a lesson solved exactly starts solved,
    at step 1)."""
    window.lessons.load(item)
    wait_settled(qtbot, window)
    first = shown_step(window)
    assert first == (1 if item.config.get("optimizer") == "exact" else 0)
    for k in range(first + 1, first + steps + 1):
        button(window, "stepButton").click()
        wait_step(qtbot, window, k)
    last = first + steps
    qtbot.waitUntil(lambda: f"step {last}" in window.caption_bar.claim() or "one shared line" in
                    window.caption_bar.claim(), timeout=WAIT)
    return window.caption_bar.claim()


def number_after(text: str, label: str) -> float:
    match = re.search(re.escape(label) + r"\s*" + NUMBER, text)
    assert match, f"no {label!r} in {text!r}"
    return float(match.group(1))


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.key)
def test_every_lesson_states_its_claim_as_numbers_in_the_caption(qtbot, window, item):
    text = claim_at(qtbot, window, item)
    assert window.caption_bar.claim_label.isVisible() and re.search(r"\d", text)
    problem, frame = window.controller.consistent()
    theta = problem.model.pack(frame.snapshot.params)
    if item.key == "Slope":
        (m,) = original_units(problem, theta)["coefficients"].values()
        assert number_after(text, "gradient descent m =") == pytest.approx(m, rel=1e-3)
        rows = problem.train_rows
        slope, _ = np.polyfit(problem.dataset.X[rows, 0], problem.dataset.y[rows], 1)
        assert number_after(text, "slope formula m =") == pytest.approx(slope, rel=1e-3)
    elif item.key == "HiddenFactors":
        points = window.document.points["regression"]
        expected = group_comparison(points.data, problem.settings, points.test)
        assert number_after(text, "one shared line =") == pytest.approx(expected.shared_test, rel=1e-3)
        assert number_after(text, "one line per group =") == pytest.approx(expected.grouped_test, rel=1e-3)
        assert expected.shared_test > 10 * expected.grouped_test   # the caption's "more than ten times"
    elif item.key == "Ordinal":   # the test points' accuracy and how many stars off, as the caption compares
        predicted = np.argmax(problem.model.predict(theta, problem.Xt_test), axis=1)
        truth = problem.y_test.astype(int)
        assert number_after(text, "test accuracy") / 100 == pytest.approx(np.mean(predicted == truth), abs=0.0006)
        assert number_after(text, "mean rating error") == pytest.approx(np.mean(np.abs(predicted - truth)), abs=0.006)
    elif problem.classes is not None:
        probabilities = problem.model.predict(theta, problem.Xt_train)   # (N, K)
        accuracy = float(np.mean(np.argmax(probabilities, axis=1) == problem.y_train.astype(int)))
        assert number_after(text, "accuracy") / 100 == pytest.approx(accuracy, abs=0.0006)
    elif item.key == "LearningRate":
        assert number_after(text, "live run η =") == pytest.approx(frame.lr)
        assert number_after(text, "J =") == pytest.approx(frame.snapshot.metrics["train"]["objective"], rel=1e-3)
    else:
        assert number_after(text, "train MSE =") == pytest.approx(frame.snapshot.metrics["train"]["mse"], rel=1e-3)


def test_the_learning_rate_lesson_states_its_pinned_runs_numbers(qtbot, window):
    item = lesson("LearningRate")
    window.lessons.load(item)
    qtbot.waitUntil(lambda: len(window.document.pins) == 2, timeout=WAIT)
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    qtbot.waitUntil(lambda: "pinned η = 0.005" in window.caption_bar.claim(), timeout=WAIT)
    text = window.caption_bar.claim()
    for pin in window.document.pins:
        assert f"pinned η = {pin.config.lr:g}: J = {pin.values[-1]:.4g} after {int(pin.steps[-1])} steps" in text


def test_clearing_the_points_takes_the_numbers_away(qtbot, window):
    from guihelpers import action

    claim_at(qtbot, window, lesson("Cascade"))
    assert window.caption_bar.claim()
    action(window, "actionClearPoints").trigger()
    qtbot.waitUntil(lambda: window.caption_bar.claim() == "", timeout=WAIT)
    assert not window.caption_bar.claim_label.isVisible() and window.caption_bar.isVisible()
