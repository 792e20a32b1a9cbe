"""The Lessons menu (``menuLessons``): one click loads a lesson's data, settings, views and caption.

A lesson is undoable like any other data change (its points go on the undo stack), starts a fresh
run from its seed, pins its comparison runs (trained on a worker thread, pinned when they arrive),
opens the views that show its point and closes the others, and shows its caption above the plot
until the user closes it.
"""

from __future__ import annotations

import time
from dataclasses import fields, replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QToolButton

from ..core.lessons import LESSONS, Lesson
from .i18n import localized
from .state import RUN_KEYS, Config
from .workers import Jobs


class CaptionBar(QFrame):
    """The lesson's title and caption above the plot (``lessonCaption``), with a close button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonCaption")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAccessibleName(self.tr("Lesson"))
        close = QToolButton()
        close.setObjectName("lessonCaptionClose")
        close.setText("×")
        close.setAccessibleName(self.tr("Close the lesson's caption"))
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_caption(self, title: str, caption: str) -> None:
        self.label.setText(f"<b>{_escape(title)}</b><br>{_escape(caption)}")
        self.show()

    def text(self) -> str:
        return self.label.text()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LessonActions(QObject):
    """Builds the menu and loads lessons into the window's state, views and loss plot."""

    lessonLoaded = Signal(str)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.ready_seconds: float | None = None   # how long the last lesson took to load
        self._loads = 0            # numbers the lessons loaded, so late reference runs of an older one are dropped
        self.jobs = Jobs(self)
        self._loaded_at: int | None = None        # the undo stack's index just after the shown lesson
        window.state.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    def build_menu(self, menu_bar) -> QMenu:
        menu = menu_bar.addMenu(self.tr("&Lessons"))
        menu.setObjectName("menuLessons")
        for item in LESSONS:
            action = menu.addAction(localized(item.title))
            action.setObjectName(item.action_name)
            action.setToolTip(localized(item.caption))
            action.triggered.connect(lambda _=False, lesson=item: self.load(lesson))
        return menu

    def load(self, lesson: Lesson) -> None:
        started = time.perf_counter()
        window = self.window
        state, studio = window.state, window.studio
        window.controller.play(False)
        config = _lesson_config(lesson)
        title, caption = localized(lesson.title), localized(lesson.caption)
        undo_text = self.tr("Lesson: {title}").format(title=title)
        # One undo step: a new test fraction re-splits the points on screen (a command of its own)
        # before the lesson's points, with their own split, replace them.
        state.undo_stack.beginMacro(undo_text)
        try:
            state.update(**{f.name: getattr(config, f.name) for f in fields(Config)})
            studio.replace_points(config.task, lesson.points(), undo_text, source=lesson.data.generator)
        finally:
            state.undo_stack.endMacro()
        self._loaded_at = state.undo_stack.index()
        window.data_panel.show_recipe(lesson.data.generator, lesson.data.n, lesson.data.noise)
        studio.restart()
        window.pins.clear()
        self._loads += 1
        if lesson.pins:
            self.jobs.start(_reference_runs, self._loads, lesson, on_returned=self._on_jobs_returned)
        window.show_views(lesson.views)
        window.caption_bar.show_caption(title, caption)
        self.ready_seconds = time.perf_counter() - started
        self.lessonLoaded.emit(lesson.key)

    def _on_jobs_returned(self, result) -> None:
        load, runs = result
        if load != self._loads:
            return  # another lesson (or another load of this one) came since
        config = self.window.state.config
        for changes, steps, losses in runs:
            self.window.pins.add(replace(config, **changes), steps, losses)

    def shutdown(self) -> None:
        self.jobs.shutdown()

    def _on_undo_stack_index_changed(self, index: int) -> None:
        # Undone past the lesson's load: its caption describes what is no longer on screen.
        if self._loaded_at is not None and index < self._loaded_at:
            self._loaded_at = None
            self.window.caption_bar.hide()


def _lesson_config(lesson: Lesson) -> Config:
    """The window's config for a lesson: its settings over the defaults of every run setting, so a
    lesson starts the same whatever was on screen before."""
    defaults = Config()
    changes = {key: getattr(defaults, key) for key in RUN_KEYS | {"l2", "lr", "log_loss", "log_steps", "axes"}}
    changes.update(lesson.config)
    changes["test_fraction"] = lesson.data.test_fraction
    return Config(**changes).checked()


def _reference_runs(load: int, lesson: Lesson):
    """On a worker thread: (load, [(changes, steps, losses)]) for each of the lesson's pinned runs."""
    return load, [(changes, *lesson.reference_run(changes)) for changes in lesson.pins]
