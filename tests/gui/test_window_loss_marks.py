"""Changes made in the middle of a run, on the loss plot: an edit while paused starts a new segment
(the old one keeps its last value), a new λ does too, and each change is a labelled vertical line."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from guihelpers import (
    button,
    click,
    loss_curve,
    loss_plot,
    message_label,
    spin,
    take_steps,
    wait_settled,
    wait_step,
)

from regstudio.core.lessons import LESSONS


def mark_lines(window) -> list[tuple[float, str]]:
    return [(line.value(), line.label.toPlainText()) for line in loss_plot(window).plotItem.items
            if isinstance(line, pg.InfiniteLine) and hasattr(line, "label")]   # the timeline's marker has none





def test_an_edit_while_paused_starts_a_new_segment_at_the_shown_step(qtbot, window):
    take_steps(qtbot, window, 3)
    old_x, old_y = loss_curve(window)
    assert old_x[-1] == 3 and not np.isnan(old_y).any()
    old_tip = window.document.history.tip
    assert old_tip[0] == 3 and old_y[-1] == old_tip[1]
    (x0, x1), (y0, y1) = window.data_plot.view_ranges()
    click(qtbot, window, (x0 + x1) / 2, y0 + 0.95 * (y1 - y0))   # far above the line: J grows
    qtbot.waitUntil(lambda: window.document.history.tip[1] > old_tip[1] and window.controller.settled)
    wait_settled(qtbot, window)
    xs, ys = loss_curve(window)
    (gap,) = np.flatnonzero(np.isnan(xs))
    # The old segment is what was drawn before, unchanged; the new one starts at the same step.
    np.testing.assert_array_equal(xs[:gap], old_x)
    np.testing.assert_array_equal(ys[:gap], old_y)
    assert np.isnan(ys[gap])
    new_tip = window.document.history.tip
    assert (xs[gap + 1], ys[gap + 1]) == (3, new_tip[1]) and new_tip[1] > old_tip[1]
    assert mark_lines(window) == [(3.0, "data edited")]
    # Training on goes on from the new segment, and the break stays where it was.
    button(window, "stepButton").click()
    wait_step(qtbot, window, 4)
    wait_settled(qtbot, window)
    xs, ys = loss_curve(window)
    assert np.flatnonzero(np.isnan(xs)).tolist() == [gap] and xs[-1] == 4
    # A new run drops the marks.
    button(window, "resetButton").click()
    qtbot.waitUntil(lambda: not mark_lines(window))


def test_a_new_lambda_mid_run_is_marked_and_breaks_the_curve_a_new_rate_only_marks(qtbot, window):
    take_steps(qtbot, window, 2)
    spin(window, "learningRateSpin").setValue(0.05)
    qtbot.waitUntil(lambda: mark_lines(window) == [(2.0, "η → 0.05")])
    xs, _ = loss_curve(window)
    assert not np.isnan(xs).any()      # η does not change J: no new segment
    button(window, "stepButton").click()
    wait_step(qtbot, window, 3)
    wait_settled(qtbot, window)
    before = window.document.history.tip[1]
    spin(window, "l2Spin").setValue(0.5)
    qtbot.waitUntil(lambda: (3.0, "λ → 0.5") in mark_lines(window))
    qtbot.waitUntil(lambda: window.document.history.tip[1] > before)   # J now has the λ term
    xs, ys = loss_curve(window)
    (gap,) = np.flatnonzero(np.isnan(xs))
    assert (xs[gap - 1], ys[gap - 1]) == (3, before)
    assert status_has_lambda(window)


def status_has_lambda(window) -> bool:
    return "λ = 0.5" in window.status_label.text()


@pytest.mark.parametrize("parameter", ["l2"])
def test_applying_the_best_lambda_pins_the_run_and_trains_afresh(qtbot, window, parameter):
    lesson = next(lesson for lesson in LESSONS if lesson.key == "Regularization")
    window.lessons.load(lesson)
    view = window.view_docks.docks["validation"].widget()
    qtbot.waitUntil(lambda: view.apply_button.isEnabled(), timeout=30_000)
    wait_settled(qtbot, window)
    solved_at = window.document.history.tip[0]
    assert solved_at == 1   # the lesson solves exactly on load: one step
    old_l2 = window.document.config.l2
    chosen = view.chosen_value()
    assert chosen != old_l2
    view.apply_button.click()
    qtbot.waitUntil(lambda: window.document.config.l2 == pytest.approx(chosen))
    wait_settled(qtbot, window)
    # The run so far is pinned, labelled by the λ it had; the new λ trains from the seed.
    (steps, values, label), = loss_plot(window).pins()
    assert steps[-1] == solved_at and label.startswith("λ")
    assert window.document.history.tip[0] == 1 and not mark_lines(window)   # solved afresh: one exact step
    assert window.controller.latest.l2 == pytest.approx(chosen)
    assert "pinned" in message_label(window).text()


@pytest.mark.parametrize("log_loss, log_steps", [(False, False), (True, True)])
def test_the_tip_spot_sits_on_the_newest_point_of_the_curve(qtbot, window, log_loss, log_steps):
    window.document.update(log_loss=log_loss, log_steps=log_steps)
    take_steps(qtbot, window, 5)
    qtbot.waitUntil(lambda: window.loss_plot.log_loss == log_loss)
    step, loss = window.document.history.tip
    tip = window.loss_plot._tip_marker
    shown = tip.pos()   # in the axes' own (log10) coordinates
    assert tip.rect().width() == tip.rect().height() == 7   # in pixels, wherever it sits
    assert tip.isVisible() and step == 5
    assert shown.x() == pytest.approx(np.log10(step + 1) if log_steps else step)
    assert shown.y() == pytest.approx(np.log10(loss) if log_loss else loss)
    xs, ys = loss_curve(window)   # as drawn: in the same coordinates
    assert (shown.x(), shown.y()) == pytest.approx((xs[-1], ys[-1]))
