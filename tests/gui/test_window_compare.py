"""Run comparison: pinned loss curves stay on the plot, labelled by what differed."""

from __future__ import annotations

import numpy as np
from guihelpers import action, button, loss_curve, spin, wait_settled, wait_step


def run_steps(qtbot, window, steps: int) -> None:
    button(window, "resetButton").click()
    for _ in range(steps):
        button(window, "stepButton").click()
    wait_step(qtbot, window, steps)
    wait_settled(qtbot, window)


def test_a_pinned_curve_keeps_its_losses_and_is_labelled_by_the_setting_that_changed(qtbot, window):
    spin(window, "learningRateSpin").setValue(0.01)
    run_steps(qtbot, window, 6)
    slow_steps, slow_losses = loss_curve(window)
    assert len(slow_steps) == 7  # steps 0…6
    action(window, "actionPinRun").trigger()
    spin(window, "learningRateSpin").setValue(0.3)
    run_steps(qtbot, window, 6)
    (pinned_steps, pinned_losses, label), = window.loss_plot.pins()
    np.testing.assert_array_equal(pinned_steps, slow_steps)
    np.testing.assert_array_equal(pinned_losses, slow_losses)
    assert label == "learning rate 0.01"
    legend = [text.text for _, text in window.loss_plot.plotItem.legend.items]
    assert "learning rate 0.01" in legend
    fast_steps, fast_losses = loss_curve(window)
    assert fast_losses[-1] < pinned_losses[-1]  # the larger rate went further in as many steps
    spin(window, "learningRateSpin").setValue(0.01)
    assert window.loss_plot.pins()[0][2] == "same settings"
    action(window, "actionClearPins").trigger()
    assert window.loss_plot.pins() == []


def test_pinning_before_any_step_says_there_is_nothing_to_pin(qtbot, window, monkeypatch):
    window.presenter.restart()
    window.document.new_history()
    window.loss_plot.new_run()
    action(window, "actionPinRun").trigger()
    assert window.loss_plot.pins() == []
    assert "Nothing to pin" in window.message_bar.text()
