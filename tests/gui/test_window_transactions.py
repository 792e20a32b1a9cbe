"""Each user action is one transaction: one undo step, one change, one command to the training thread."""

from __future__ import annotations

import numpy as np
import pytest
from guihelpers import WAIT, action, button, choose, click, drag, shown_step, spin, wait_settled, wait_step
from test_window_hostile import empty_spot

from regstudio.core.lessons import LESSONS
from regstudio.core.runner import Play, Replace, SetHyperparameters, Start


@pytest.fixture
def commands(window, qtbot, monkeypatch):
    """The commands the window sends to its training thread from now on."""
    wait_settled(qtbot, window)
    sent = []
    mailbox = window.controller._thread.mailbox
    original = mailbox.send

    def record(seq, command):
        sent.append(command)
        original(seq, command)

    monkeypatch.setattr(mailbox, "send", record)
    return sent


def kinds(sent) -> list[str]:
    return [type(command).__name__ for command in sent]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.key)
def test_a_lesson_sends_exactly_one_start_and_makes_one_undo_step(qtbot, window, commands, lesson):
    steps = len(window.document.undo_stack)
    changes = []
    window.document.subscribe(changes.append)
    action(window, lesson.action_name).trigger()
    assert kinds(commands) == ["Start"]
    start = commands[0]
    assert start.playing == window.controller.playing
    assert start.steps_per_second == window.document.config.steps_per_second
    assert len(window.document.undo_stack) == steps + 1 and len(changes) == 1


def test_a_click_while_playing_sends_one_replace(qtbot, window, commands):
    choose(window, "modelCombo", "logistic")
    button(window, "playButton").click()
    qtbot.waitUntil(lambda: (shown_step(window) or 0) >= 3, timeout=WAIT)   # the status shows 4 steps a second
    commands.clear()
    click(qtbot, window, *empty_spot(window))
    assert kinds(commands) == ["Replace"]
    assert isinstance(commands[0], Replace) and len(commands[0].spec.dataset) == 61


def test_a_drag_is_one_undo_step_and_one_replace_per_move(qtbot, window, commands):
    choose(window, "modelCombo", "logistic")
    wait_settled(qtbot, window)
    commands.clear()
    steps = len(window.document.undo_stack)
    X = window.document.points["classification"].data.X
    drag(qtbot, window, tuple(X[0]), (float(X[0, 0]) + 0.5, float(X[0, 1]) + 0.5))
    assert len(window.document.undo_stack) == steps + 1
    assert set(kinds(commands)) == {"Replace"}


def test_a_learning_rate_change_sends_only_the_hyperparameters(qtbot, window, commands):
    spin(window, "learningRateSpin").setValue(0.5)
    assert kinds(commands) == ["SetHyperparameters"]
    assert isinstance(commands[0], SetHyperparameters) and commands[0].lr == 0.5


def test_undoing_a_lesson_restores_its_settings_and_sends_one_start(qtbot, window, commands):
    before = window.document.config
    action(window, LESSONS[-1].action_name).trigger()   # the cascade: other model, learning rate, speed
    assert window.document.config != before
    commands.clear()
    action(window, "actionUndo").trigger()
    assert window.document.config == before and window.document.lesson is None
    assert not window.caption_bar.isVisible()
    assert kinds(commands) == ["Start"]


def test_undoing_a_test_fraction_change_puts_back_the_fraction_and_the_split(qtbot, window, commands):
    spin(window, "testFractionSpin").setValue(0.5)
    points = window.document.points["regression"]
    assert window.document.config.test_fraction == 0.5 and points.test.sum() == 10
    assert kinds(commands) == ["Replace"]
    action(window, "actionUndo").trigger()
    assert window.document.config.test_fraction == 0.0 and not window.document.points["regression"].test.any()
    assert spin(window, "testFractionSpin").value() == 0.0
    action(window, "actionRedo").trigger()
    np.testing.assert_array_equal(window.document.points["regression"].test, points.test)


def test_opening_a_session_sends_one_start_with_its_parameters(qtbot, window, tmp_path, commands):
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    wait_settled(qtbot, window)
    path = tmp_path / "s.regstudio"
    assert window.files.save_session(str(path))
    commands.clear()
    assert window.files.open_session(str(path))
    assert kinds(commands) == ["Start"] and commands[0].restore_theta is not None


def test_play_then_a_lesson_keeps_one_command(qtbot, window, commands):
    button(window, "playButton").click()
    commands.clear()
    action(window, LESSONS[0].action_name).trigger()
    assert kinds(commands) == ["Start"] and not commands[0].playing
    assert not any(isinstance(command, Play) for command in commands)
    assert isinstance(commands[0], Start)


def test_every_registered_view_has_a_dock_that_builds_it(qtbot, window):
    from regstudio.gui.view_docks import DOCKED_VIEWS

    assert [docked.name for docked in DOCKED_VIEWS] == list(window.view_docks.docks)
    for docked in DOCKED_VIEWS:
        window.view_docks.show_only([docked.name])
        assert docked.name in window.view_docks.views
        assert window.view_docks.docks[docked.name].widget() is not None


def test_the_shared_against_per_group_fits_run_on_the_training_thread(qtbot, window, monkeypatch):
    import threading

    import regstudio.core.runner as runner

    threads = []
    original = runner.group_comparison

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(runner, "group_comparison", recorded)
    action(window, next(lesson for lesson in LESSONS if lesson.key == "HiddenFactors").action_name).trigger()
    wait_settled(qtbot, window)
    assert threads and threading.main_thread() not in threads
    assert window.controller.latest.group_comparison is not None
    names = [window.parameters_panel.model.index(i, 0).data() for i in range(window.parameters_panel.model.rowCount())]
    assert any("group" in str(name).lower() for name in names)


def test_an_edit_with_a_new_speed_in_one_transaction_sends_the_speed_too(qtbot, window, commands):
    document = window.document
    with document.transaction("edit and speed"):
        document.update(steps_per_second=5.0)
        document.add_point("regression", [0.5], 1.0, test=False)
    assert kinds(commands) == ["Replace", "SetSpeed"] and commands[1].steps_per_second == 5.0
