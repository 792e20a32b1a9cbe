"""Small widgets: a spin box that steps on a log scale; a status line that never resizes the window."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSizePolicy


class LogSpinBox(QDoubleSpinBox):
    """A spin box whose arrows and wheel multiply by 10^(1/4) instead of adding: learning rates
    and penalties span orders of magnitude.  ``allow_zero`` lets a step below the minimum positive
    value reach 0 (no penalty)."""

    STEPS_PER_DECADE = 4

    def __init__(self, minimum: float, maximum: float, value: float, allow_zero: bool = False, parent=None):
        super().__init__(parent)
        self._smallest = minimum
        self._allow_zero = allow_zero
        self.setDecimals(8)
        self.setRange(0.0 if allow_zero else minimum, maximum)
        self.setValue(value)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.4g}"

    def stepBy(self, steps: int) -> None:
        value = self.value()
        if value <= 0:
            if steps > 0:
                self.setValue(self._smallest)
            return
        exponent = math.log10(value) + steps / self.STEPS_PER_DECADE
        new = 10 ** (round(exponent * self.STEPS_PER_DECADE) / self.STEPS_PER_DECADE)
        if new < self._smallest * 0.999:
            new = 0.0 if self._allow_zero else self._smallest
        self.setValue(min(new, self.maximum()))


class StatusLine(QLabel):
    """One line of plain text whose size never depends on its text.

    The status line changes 30 times a second while training.  A label sized by its text asked the
    status bar, and with it the main window, to lay out again at every change (two more wake-ups of
    the window's thread a frame, and a window whose minimum width grew with the longest line).  Text
    wider than the bar is clipped; the tooltip holds all of it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fit_height()

    def _fit_height(self) -> None:
        margins = self.contentsMargins()
        self.setFixedHeight(self.fontMetrics().height() + margins.top() + margins.bottom())

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:   # presentation mode: one line of the larger text
            self._fit_height()
        super().changeEvent(event)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def sizeHint(self) -> QSize:
        return QSize(0, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.height())
