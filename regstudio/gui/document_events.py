"""The core :class:`~regstudio.core.document.Document` seen from Qt: its changes as a signal, and
the Undo and Redo actions.

The document announces each transaction once, to plain subscribers; :class:`DocumentEvents` turns
that into the ``changed(Change)`` signal, so a widget that goes away is disconnected by Qt and never
called again.  Handlers read the document; none of them may change it while the change is being
announced (the document raises :class:`~regstudio.core.document.ReentrantChange`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QApplication

from ..core.document import Change, Document
from .i18n import localized
from .safe_text import menu_text, rich_plain

UNDO_TEXT_PIXELS = 190   # the Undo and Redo buttons' text in the toolbar, at most (the tooltip has it all)


class DocumentEvents(QObject):
    """``changed(change)``: one :class:`Change` per transaction, undo and redo."""

    changed = Signal(object)

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        document.subscribe(self._on_document_changed)

    def detach(self) -> None:
        """Stop listening (the window closes)."""
        self.document.unsubscribe(self._on_document_changed)

    def _on_document_changed(self, change: Change) -> None:
        self.changed.emit(change)


class UndoActions(QObject):
    """Edit → Undo and Redo (``actionUndo``, ``actionRedo``), named after the step they undo or redo
    (file names in them shown as text: a menu reads ``&``, a tooltip guesses HTML)."""

    def __init__(self, document: Document, events: DocumentEvents, window):
        super().__init__(window)
        self.document = document
        self.undo = QAction(window)
        self.undo.setObjectName("actionUndo")
        self.redo = QAction(window)
        self.redo.setObjectName("actionRedo")
        self.undo.triggered.connect(self._on_undo_triggered)
        self.redo.triggered.connect(self._on_redo_triggered)
        events.changed.connect(self._on_events_changed)
        self.refresh()

    def _on_undo_triggered(self) -> None:
        self.document.undo()

    def _on_redo_triggered(self) -> None:
        self.document.redo()

    def _on_events_changed(self, change: Change) -> None:
        if change.undo:
            self.refresh()

    def refresh(self) -> None:
        """Texts and enabled states from the undo stack (also after a change of language)."""
        stack = self.document.undo_stack
        for action, possible, step, template in (
                (self.undo, stack.can_undo, stack.undo_text, self.tr("Undo {step}")),
                (self.redo, stack.can_redo, stack.redo_text, self.tr("Redo {step}"))):
            text = template.format(step=localized(step) if possible else "").strip()
            action.setText(menu_text(text))
            # The toolbar shows the icon text: elided to a fixed width, so the toolbar never moves.
            width = UNDO_TEXT_PIXELS if action is self.undo else 0
            elided = QFontMetrics(QApplication.font()).elidedText(text, Qt.TextElideMode.ElideRight, width)
            action.setIconText(menu_text(elided or self.tr("Redo")))
            action.setToolTip(rich_plain(text))
            action.setEnabled(possible)
