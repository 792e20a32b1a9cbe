"""Small widgets: a spin box that steps on a log scale; a status line that never resizes the window."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QLineEdit, QSizePolicy


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


class ReadoutLine(QLineEdit):
    """One line of plain, selectable text that changes while training (the slope formula, ‖w‖ of
    separable classes) without laying the window out again: a QLabel's new text asks its parent
    for a new layout (updateGeometry), which at the plot's frame rate relaid the main window's docks
    and toolbars 15 times a second.  A frameless read-only line edit's size hint never depends on its
    text; it looks like a label (no frame, the window's background) and its text can be copied."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrame(False)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("QLineEdit { background: transparent; }")

    def setText(self, text: str | None) -> None:
        text = text or ""
        if text != self.text():
            super().setText(text)
            self.setCursorPosition(0)   # the start of a long line, not its end
            self.setToolTip(text)


class StatusLine(QLabel):
    """One line of plain text whose size never depends on its text, and whose new text lays nothing out.

    The status line changes 30 times a second while training.  A label sized by its text asked the
    status bar, and with it the main window, to lay out again at every change (two more wake-ups of
    the window's thread a frame, and a window whose minimum width grew with the longest line).  Even
    a label of fixed height asks its parent to lay out again whenever its text changes (QLabel's
    setText calls updateGeometry): the timeline's line under the loss plot made the main window lay
    out its docks and toolbars 30 times a second, each time creating and deleting an animation
    object per dock.  So the text is kept here and painted, never handed to QLabel.  Text wider than
    the line is clipped; the tooltip holds all of it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        # Opaque, in the window's colour: its new text repaints itself, not the window behind it.
        self.setAutoFillBackground(True)
        self._fit_height()

    def _fit_height(self) -> None:
        margins = self.contentsMargins()
        self.setFixedHeight(self.fontMetrics().height() + margins.top() + margins.bottom())

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:   # presentation mode: one line of the larger text
            self._fit_height()
        super().changeEvent(event)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setToolTip(text)
            self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self._text)

    def sizeHint(self) -> QSize:
        return QSize(0, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.height())
