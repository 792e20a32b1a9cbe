"""The Lessons menu (``menuLessons``): one click loads a lesson's data, settings, views and caption.

A lesson is one transaction of the document: one undo step puts back the settings, points and
lesson before it, and the training thread gets one Start.  It pins its comparison runs (trained on
a worker thread, pinned when they arrive), opens the views that show its point and closes the
others, and shows its caption above the plot until the user closes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import time
from dataclasses import fields, replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QVBoxLayout

from ..core.messages import translate
from ..core.document import RUN_KEYS, Change, Config, LessonInForce, Recipe
from ..core.claims import lesson_claim
from ..core.lessons import LESSONS, Lesson
from .i18n import localized, localized_generated
from .workers import Jobs

if TYPE_CHECKING:
    from .main_window import MainWindow


class CaptionBar(QFrame):
    """The lesson's title and caption above the plot (``lessonCaption``), with a close button
    (``closeRequested``: the document says whether a caption is shown)."""

    closeRequested = Signal()
    nextStepRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonCaption")
        self._title = self._caption = ""
        self._compact = False
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
        close.clicked.connect(self.closeRequested)
        # The caption's claim measured now ("test MSE: one shared line = 10.0, one line per group =
        # 0.47"): plain text, in the caption where the student is already reading.
        self.claim_label = QLabel()
        self.claim_label.setObjectName("lessonClaim")
        self.claim_label.setTextFormat(Qt.TextFormat.PlainText)
        self.claim_label.setWordWrap(True)
        self.claim_label.setAccessibleName(self.tr("The lesson's numbers now"))
        font = self.claim_label.font()
        font.setBold(True)
        self.claim_label.setFont(font)
        self.claim_label.hide()
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.setSpacing(2)
        texts.addWidget(self.label)
        texts.addWidget(self.claim_label)
        layout.addLayout(texts, 1)
        self.next_button = QPushButton()
        self.next_button.setObjectName("lessonNextStep")
        self.next_button.clicked.connect(self.nextStepRequested)
        self.next_button.hide()
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_caption(self, title: str, caption: str) -> None:
        self._title, self._caption = title, caption
        self._render()
        self.show_claim("")
        self.show()

    def set_compact(self, compact: bool) -> None:
        """Presentation mode: the title and the live numbers only (the teacher tells the story; the
        caption stays in the tooltip), so the data plot keeps its room at 1.5× text."""
        self._compact = compact
        self._render()

    def _render(self) -> None:
        title, caption = self._title, self._caption
        if self._compact:
            self.label.setText(f"<b>{_escape(title)}</b>")
            self.label.setToolTip(f"<p>{_escape(caption)}</p>")
        else:
            self.label.setText(f"<b>{_escape(title)}</b><br>{_escape(caption)}")
            self.label.setToolTip("")

    def show_next_step(self, text: str) -> None:
        """The lesson's second part as a button ("" hides it)."""
        self.next_button.setText(text.replace("&", "&&"))
        self.next_button.setVisible(bool(text))

    def show_claim(self, text: str) -> None:
        if text != self.claim_label.text():
            self.claim_label.setText(text)
        self.claim_label.setVisible(bool(text))

    def claim(self) -> str:
        return self.claim_label.text()

    def text(self) -> str:
        return self.label.text()


CLAIMS_PER_SECOND = 4


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LessonActions(QObject):
    """Builds the menu and loads lessons into the window's state, views and loss plot."""

    lessonLoaded = Signal(str)

    def __init__(self, window: MainWindow, parent=None):
        super().__init__(parent)
        self.window = window
        self.ready_seconds: float | None = None   # how long the last lesson took to load
        self._loads = 0            # numbers the lessons loaded, so late reference runs of an older one are dropped
        self.jobs = Jobs(self)
        self._views_opened = False   # the lesson in force opened views, to close when it ends
        window.events.changed.connect(self._on_document_changed)
        window.controller.frameArrived.connect(self._on_controller_frame_arrived)
        self._claim_shown_at = 0.0
        window.caption_bar.closeRequested.connect(window.document.close_caption)
        window.caption_bar.nextStepRequested.connect(self._on_caption_next_step_requested)
        self._show_caption()   # a document handed over by a language switch may have a lesson

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
        """One transaction (one undo step: settings, points and the lesson in force) and one Start."""
        started = time.perf_counter()
        window = self.window
        document, controller = window.document, window.controller
        config = _lesson_config(lesson)
        # a Message: the Edit menu names the step in the language shown when it is shown
        undo_text = translate("LessonActions", "Lesson: {title}").format(title=lesson.title)
        with controller.one_command():
            controller.play(False)
            with document.transaction(undo_text):
                before = document.lesson.before if document.lesson is not None else document.config
                document.update(**{f.name: getattr(config, f.name) for f in fields(Config)})
                document.replace_points(config.task, localized_generated(lesson.points()),
                                        source=lesson.data.generator)
                start = lesson.start()
                if start is not None:
                    document.select(start=start)   # Reset goes back to it too
                document.set_lesson(LessonInForce(lesson, before=before, config=document.config))
                document.clear_pins()
            window.show_views(lesson.views)   # their requests follow the new run's first frame
        self._loads += 1
        if lesson.pins:
            self.jobs.start(_reference_runs, self._loads, lesson, on_returned=self._on_jobs_returned)
        self.ready_seconds = time.perf_counter() - started
        self.lessonLoaded.emit(lesson.key)

    def _on_jobs_returned(self, result) -> None:
        load, runs = result
        if load != self._loads:
            return  # another lesson (or another load of this one) came since
        document = self.window.document
        for changes, steps, losses in runs:
            document.pin(replace(document.config, **changes), steps, losses)

    def shutdown(self) -> None:
        self.jobs.shutdown()

    def _on_document_changed(self, change: Change) -> None:
        if change.config:
            self._show_next_step()
        if change.lesson:
            self._show_caption()
            lesson = self.window.document.lesson
            if lesson is None and self._views_opened:
                # the lesson ended (other data came, or it was undone): its views go with it
                self.window.show_views([])
            self._views_opened = lesson is not None and bool(lesson.lesson.views)

    def _on_controller_frame_arrived(self, frame) -> None:
        """The caption's claim, measured at this frame: a few times a second while playing (text read
        by a person), at once when the run rests."""
        shown = self.window.document.lesson
        metrics = frame.snapshot.metrics
        if shown is None or not shown.caption_shown:
            return
        if frame.problem is None:   # nothing to train (the points were cleared): no numbers to claim
            self.window.caption_bar.show_claim("")
            return
        if metrics is None:
            return
        now = time.perf_counter()
        if frame.playing and now - self._claim_shown_at < 1 / CLAIMS_PER_SECOND:
            return
        self._claim_shown_at = now
        problem = frame.problem
        theta = problem.model.pack(frame.snapshot.params) if frame.snapshot.params else None
        pins = tuple((pin.config.lr, int(pin.steps[-1]), float(pin.values[-1]))
                     for pin in self.window.document.pins if len(pin.steps))
        parts = lesson_claim(shown.key, problem, theta, frame.snapshot.step, metrics,
                             frame.group_comparison, pins, frame.lr)
        self.window.caption_bar.show_claim("".join(localized(part) for part in parts))

    def _on_caption_next_step_requested(self) -> None:
        """The lesson's second part: its settings, one undo step, the lesson still in force."""
        shown = self.window.document.lesson
        if shown is not None and shown.lesson.next_step is not None:
            self.window.document.update(**shown.lesson.next_step[1])

    def _show_caption(self) -> None:
        shown = self.window.document.lesson
        bar = self.window.caption_bar
        if shown is None or not shown.caption_shown:
            bar.hide()
        else:
            bar.show_caption(localized(shown.lesson.title), localized(shown.lesson.caption))
        self._show_next_step()

    def _show_next_step(self) -> None:
        """The lesson's second part as a button, until its settings are in force (Undo brings it back)."""
        shown = self.window.document.lesson
        next_step = shown.lesson.next_step if shown is not None else None
        if next_step is None or all(getattr(self.window.document.config, key) == value
                                    for key, value in next_step[1].items()):
            self.window.caption_bar.show_next_step("")
        else:
            self.window.caption_bar.show_next_step(localized(next_step[0]))


def _lesson_config(lesson: Lesson) -> Config:
    """The window's config for a lesson: its settings over the defaults of every run setting, so a
    lesson starts the same whatever was on screen before."""
    defaults = Config()
    changes = {key: getattr(defaults, key) for key in RUN_KEYS | {"l2", "lr", "log_loss", "log_steps", "axes"}}
    changes.update(lesson.config)
    changes["test_fraction"] = lesson.data.test_fraction
    changes["recipe"] = Recipe(lesson.data.generator, lesson.data.n, lesson.data.noise)
    return Config(**changes).checked()


def _reference_runs(load: int, lesson: Lesson):
    """On a worker thread: (load, [(changes, steps, losses)]) for each of the lesson's pinned runs."""
    return load, [(changes, *lesson.reference_run(changes)) for changes in lesson.pins]
