"""Undoable edits of a task's points (QUndoStack).

Each command keeps the edit, not copies of the data set: adding, deleting or moving a point costs
one row of memory however many points there are (a copy per click cost 25–32 MB on a 1e6-point set).
Only replacing the whole set (generate, open, clear) keeps the set it replaced.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from ..core.session import Points

MOVE_ID = 1


class _PointsCommand(QUndoCommand):
    def __init__(self, state, task: str, text: str, refit: bool = False):
        super().__init__(text)
        self.state, self.task, self.refit = state, task, refit

    def _points(self) -> Points:
        return self.state.points[self.task]

    def _set(self, points: Points, source: str = "") -> None:
        self.state.set_points(self.task, points, self.refit, source)


class AddPoint(_PointsCommand):
    def __init__(self, state, task, x_row, y_value, test: bool, group):
        super().__init__(state, task, QCoreApplication.translate("Commands", "Add point"))
        self.row = (np.asarray(x_row, dtype=np.float64), y_value, test, group)

    def redo(self):
        x_row, y_value, test, group = self.row
        self._set(self._points().add(x_row, y_value, test, group))

    def undo(self):
        points = self._points()
        self._set(points.remove(len(points) - 1))


class DeletePoint(_PointsCommand):
    def __init__(self, state, task, row: int):
        super().__init__(state, task, QCoreApplication.translate("Commands", "Delete point"))
        self.index = row
        self.row = state.points[task].row(row)

    def redo(self):
        self._set(self._points().remove(self.index))

    def undo(self):
        self._set(self._points().insert(self.index, *self.row))


class MovePoint(_PointsCommand):
    """Dragging one point: successive moves of the same point merge into one undo step."""

    def __init__(self, state, task, row: int, x_row, y_value=None):
        super().__init__(state, task, QCoreApplication.translate("Commands", "Move point"))
        self.index = row
        points = state.points[task]
        self.before = (points.data.X[row].copy(), points.data.y[row].item())
        self.after = (np.asarray(x_row, dtype=np.float64), self.before[1] if y_value is None else y_value)
        self._dragging = True

    def redo(self):
        # Only the push comes from the drag itself; a later redo must cancel a drag in progress.
        self._set(self._points().move(self.index, *self.after), source="drag" if self._dragging else "")
        self._dragging = False

    def undo(self):
        self._set(self._points().move(self.index, *self.before))

    def id(self) -> int:
        return MOVE_ID

    def mergeWith(self, other) -> bool:
        if not isinstance(other, MovePoint) or other.index != self.index or other.task != self.task:
            return False
        self.after = other.after
        return True


class ChangeTestFlags(_PointsCommand):
    """A new train/test split: only the flags change."""

    def __init__(self, state, task, test: np.ndarray):
        super().__init__(state, task, QCoreApplication.translate("Commands", "Change test fraction"))
        self.before, self.after = state.points[task].test.copy(), np.asarray(test, dtype=bool)

    def redo(self):
        self._set(self._points().with_test(self.after))

    def undo(self):
        self._set(self._points().with_test(self.before))


class ReplacePoints(_PointsCommand):
    """A whole new set (generate, open, clear): keeps the set it replaced for undo."""

    def __init__(self, state, task, after: Points, text: str, refit: bool = True, source: str = ""):
        super().__init__(state, task, text, refit)
        self.before, self.after, self.source = state.points[task], after, source

    def redo(self):
        self._set(self.after, self.source)

    def undo(self):
        self._set(self.before)
