"""The document without Qt: transactions, one announced change each, undo of points and settings."""

from __future__ import annotations

import numpy as np
import pytest

from regstudio.core.document import MAX_MARKS, Config, LessonInForce, Recipe, ReentrantChange, RunHistory
from regstudio.core.errors import SettingsError
from regstudio.core.generators import generate
from regstudio.core.lessons import LESSONS
from regstudio.core.session import Points, split_rng




def _blobs(n=40, seed=3):
    return Points.from_dataset(generate("two_blobs", n, 0.5, seed=seed), 0.0, split_rng(seed))


def test_a_transaction_announces_one_change_and_makes_one_undo_step(document):
    with document.transaction("Lesson"):
        document.update(model="logistic", lr=0.5)
        document.replace_points("classification", _blobs())
        document.set_lesson(LessonInForce(LESSONS[0]))
    assert len(document.changes) == 1 and len(document.undo_stack) == 1
    change = document.changes[0]
    assert {"model", "lr"} <= change.config and change.tasks == {"classification"}
    assert change.lesson and change.refit and change.undo and change.file
    assert document.undo_stack.undo_text == "Lesson"


def test_undoing_a_lesson_puts_back_its_settings_points_and_caption(document):
    before_points, before_config = document.points["classification"], document.config
    with document.transaction("Lesson"):
        document.update(model="softmax", lr=3.0, test_fraction=0.5)
        document.replace_points("classification", _blobs())
        document.set_lesson(LessonInForce(LESSONS[0]))
    document.undo()
    assert document.config == before_config and document.lesson is None
    restored = document.points["classification"]
    assert restored.data is before_points.data and np.array_equal(restored.test, before_points.test)
    assert not document.modified
    document.redo()
    assert document.config.lr == 3.0 and document.lesson is not None and document.modified


def test_a_new_test_fraction_resplits_in_the_same_step_and_undo_restores_both(document):
    document.update(model="logistic")
    count = len(document.undo_stack)
    document.update(test_fraction=0.5)
    points = document.points["classification"]
    assert len(document.undo_stack) == count + 1
    assert abs(points.test.mean() - 0.5) < 0.05
    document.undo()
    assert document.config.test_fraction == 0.0 and not document.points["classification"].test.any()
    document.redo()
    assert document.config.test_fraction == 0.5
    np.testing.assert_array_equal(document.points["classification"].test, points.test)


def test_settings_changes_are_undo_steps_named_by_the_setting(document):
    document.update(lr=0.5)
    assert document.undo_stack.undo_text == "Change learning rate"
    document.update(lr=0.2, seed=4)
    assert document.undo_stack.undo_text == "Change settings"
    document.undo()
    assert (document.config.lr, document.config.seed) == (0.5, 0)
    document.undo()
    assert document.config.lr == Config().lr and not document.modified


def test_view_preferences_are_neither_undo_steps_nor_modifications(document):
    document.update(steps_per_second=100.0, log_loss=True, recipe=Recipe("xor", 80, 0.3))
    assert len(document.undo_stack) == 0 and not document.modified
    assert document.changes[-1].config == {"steps_per_second", "log_loss", "recipe"}


def test_a_subscriber_may_not_change_the_document_while_a_change_is_announced(document):
    def meddle(change):
        document.update(lr=0.3)

    document.subscribe(meddle)
    with pytest.raises(ReentrantChange):
        document.update(lr=0.5)


def test_a_failed_transaction_changes_nothing_and_announces_nothing(document):
    before = document.config
    with pytest.raises(SettingsError):
        with document.transaction("half"):
            document.update(lr=0.5)
            document.update(degree=99)
    assert document.config == before and document.changes == [] and len(document.undo_stack) == 0


def test_one_drags_moves_merge_into_one_step_and_the_next_drag_is_another(document):
    document.update(model="logistic")
    steps = len(document.undo_stack)
    original = document.points["classification"].data.X[0].copy()
    for x in (1.0, 2.0, 3.0):
        document.move_point("classification", 0, [x, x])
    document.end_drag()
    document.move_point("classification", 0, [5.0, 5.0])
    assert len(document.undo_stack) == steps + 2
    assert document.changes[-1].source == "drag"
    document.undo()
    np.testing.assert_array_equal(document.points["classification"].data.X[0], [3.0, 3.0])
    document.undo()
    np.testing.assert_array_equal(document.points["classification"].data.X[0], original)


def test_adding_and_deleting_keep_the_row_not_the_data_set(document):
    document.update(model="logistic")
    n = len(document.points["classification"])
    document.add_point("classification", [0.5, 0.5], "1", test=True)
    document.delete_point("classification", 0)
    edits = [step.edits[0] for step in document.undo_stack.steps[-2:]]
    assert all(not isinstance(value, Points) for edit in edits for value in vars(edit).values())
    assert len(document.points["classification"]) == n
    document.undo()
    document.undo()
    assert len(document.points["classification"]) == n


def test_saving_makes_it_clean_and_undoing_past_the_save_modifies_it(document):
    document.update(lr=0.5)
    document.mark_saved("/tmp/a.json")
    assert not document.modified and document.path == "/tmp/a.json"
    document.undo()
    assert document.modified and document.changes[-1].file
    document.redo()
    assert not document.modified


def test_pins_keep_the_newest_six(document):
    for k in range(8):
        document.pin(document.config, np.arange(3.0), np.full(3, float(k)))
    assert [pin.values[0] for pin in document.pins] == [2, 3, 4, 5, 6, 7]
    document.clear_pins()
    assert document.pins == () and len(document.undo_stack) == 0


def test_a_closed_caption_leaves_the_lesson_in_force_and_no_undo_step(document):
    document.set_lesson(LessonInForce(LESSONS[1]))
    steps = len(document.undo_stack)
    document.close_caption()
    assert document.lesson.key == LESSONS[1].key and not document.lesson.caption_shown
    assert len(document.undo_stack) == steps


def test_changing_model_brings_back_its_degree_and_leaves_exact_for_the_cascade(document):
    document.update(model="polynomial", degree=5)
    document.update(model="ridge")
    document.update(model="polynomial")
    assert document.config.degree == 5
    document.update(model="logistic", optimizer="exact")
    document.update(model="cascade")
    assert document.config.optimizer == "gd"


def _in_lesson(document, **settings):
    before = document.config
    with document.transaction("Lesson"):
        document.update(**settings)
        document.replace_points("classification", _blobs())
        document.set_lesson(LessonInForce(LESSONS[-1], before=before, config=document.config))
    return before


def test_other_data_ends_the_lesson_and_gives_back_the_settings_it_set_in_the_same_step(document):
    before = _in_lesson(document, model="cascade", lr=3.0, hidden=2, steps_per_second=10.0, seed=4)
    document.update(hidden=3)   # the student's own change during the lesson stays
    document.changes.clear()
    with document.transaction("Open rent.csv"):
        document.end_lesson()
        document.replace_points("classification", _blobs(n=20, seed=9))
    config = document.config
    assert document.lesson is None
    assert (config.model, config.lr, config.steps_per_second) == (before.model, before.lr, before.steps_per_second)
    assert config.hidden == 3 and config.seed == 4   # the seed makes the new data: kept
    assert len(document.changes) == 1 and document.changes[0].lesson and "lr" in document.changes[0].config
    document.undo()   # one step back: the lesson, its settings and its points
    assert document.lesson is not None and document.config.lr == 3.0 and len(document.points["classification"]) == 40


def test_ending_no_lesson_changes_nothing(document):
    document.update(lr=0.3)
    document.changes.clear()
    with document.transaction("Open"):
        document.end_lesson()
    assert document.config.lr == 0.3 and document.changes == []


def test_marks_break_the_curve_where_a_change_moved_the_loss_and_share_a_step():
    history = RunHistory()
    history.add(0, np.array([5.0, 4.0, 3.0]), [])
    assert history.mark("data", "data edited", moves_loss=True) is None   # no tip yet: nothing to mark
    history.tip = (0, 9.0)
    assert history.mark("data", "data edited", moves_loss=True) is None   # nothing trained yet
    history.tip = (3, 2.5)
    history.mark("data", "data edited", moves_loss=True)
    history.tip = (3, 7.0)                      # the next edit of the same drag, J moved again
    history.mark("data", "data edited", moves_loss=True)
    history.mark("l2", "λ → 0.5", moves_loss=True)
    (mark,) = history.marks
    assert (mark.step, mark.text, mark.before) == (3, "data edited, λ → 0.5", 2.5)   # the first J before
    history.add(3, np.array([7.0, 6.0]), [])
    history.tip = (5, 5.5)
    history.mark("lr", "η → 0.1", moves_loss=False)   # J unchanged: a line, no break
    steps, values = history.curve(100)
    np.testing.assert_array_equal(steps, [0, 1, 2, 3, np.nan, 3, 4, 5])
    np.testing.assert_array_equal(values, [5, 4, 3, 2.5, np.nan, 7, 6, 5.5])
    assert [m.text for m in history.marks] == ["data edited, λ → 0.5", "η → 0.1"]
    for step in range(6, 6 + 2 * MAX_MARKS):
        history.tip = (step, 1.0)
        history.mark("lr", f"η → {step}", moves_loss=False)
    assert len(history.marks) == MAX_MARKS and history.marks[-1].step == 5 + 2 * MAX_MARKS
