"""Undoable edits of a task's point set (QUndoStack).  Every edit swaps whole immutable
``Points`` values, so undo and redo are exact whatever the edit was."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

MOVE_ID = 1


class ReplacePoints(QUndoCommand):
    """Replace the points of ``task`` (add, delete, clear, generate, load, re-split)."""

    def __init__(self, apply, task: str, before, after, text: str):
        super().__init__(text)
        self._apply, self.task, self.before, self.after = apply, task, before, after

    def redo(self):
        self._apply(self.task, self.after)

    def undo(self):
        self._apply(self.task, self.before)


class MovePoint(ReplacePoints):
    """Dragging one point: successive moves of the same point merge into one undo step."""

    def __init__(self, apply, task, before, after, row: int):
        super().__init__(apply, task, before, after, "Move point")
        self.row = row

    def id(self) -> int:
        return MOVE_ID

    def mergeWith(self, other) -> bool:
        if not isinstance(other, MovePoint) or other.row != self.row or other.task != self.task:
            return False
        self.after = other.after
        return True
