"""The rewind timeline under the data plot: a slider over the run's steps, the step shown beside it.

Dragging it (or Shift+← / Shift+→, the Step back and Step forward actions) shows the run as it was
at that step; Play or Step goes on from there on a new branch.  The slider follows the newest step
while nothing past is shown.  The widget only says which step the user chose (``stepChosen``); the
presenter asks the training thread for it.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QSlider, QToolButton, QWidget

from .panels import named
from .widgets import StatusLine


class TimelineBar(QWidget):
    """``timelineSlider`` (its value is the step shown) between the step-back and step-forward buttons,
    and a line that says which step is shown and what Play does from there.

    ``stepChosen(step)``: the user moved the slider to ``step`` (an int; the newest step means "the
    newest again")."""

    stepChosen = Signal(int)

    def __init__(self, step_back: QAction, step_forward: QAction, parent=None):
        super().__init__(parent)
        self.setObjectName("timelineBar")
        self.slider = named(QSlider(Qt.Orientation.Horizontal), "timelineSlider", self.tr("Timeline"),
                            self.tr("Drag to see the run as it was at an earlier step; Play or Step goes on "
                                    "from there (Shift+← / Shift+→ move one step)"))
        self.slider.setRange(0, 0)
        self.slider.setPageStep(10)
        self.back_button = _arrow_button(step_back, Qt.ArrowType.LeftArrow, "timelineBackButton")
        self.forward_button = _arrow_button(step_forward, Qt.ArrowType.RightArrow, "timelineForwardButton")
        self.label = StatusLine()
        self.label.setObjectName("timelineLabel")
        row = QHBoxLayout(self)
        # No wider than the loss plot above it needs: a view docked beside the two must keep its room.
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.back_button)
        row.addWidget(self.slider, 2)
        row.addWidget(self.forward_button)
        row.addWidget(self.label, 3)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        # Opaque: its repaints do not repaint the dock and the window behind it.
        self.setAutoFillBackground(True)

    def __repr__(self) -> str:
        return f"TimelineBar(step {self.slider.value()} of {self.slider.maximum()}, {self.label.text()!r})"

    def show_run(self, newest: int, shown: int | None, kept: int | None = None) -> None:
        """The run has reached step ``newest``; ``shown`` is the past step asked for (None: the newest)
        and ``kept`` the step actually shown for it (the nearest the timeline kept)."""
        with QSignalBlocker(self.slider):
            self.slider.setMaximum(max(0, newest))
            self.slider.setValue(newest if shown is None else shown)
        self.forward_button.setEnabled(shown is not None)
        self.back_button.setEnabled(newest > 0 and (shown is None or shown > 0))
        # Short, for a narrow loss dock on a projector; the line's tooltip says what Play does now.
        if shown is None:
            self.label.setText(self.tr("step {step:,}").format(step=newest))
        elif kept is None or kept == shown:
            self.label.setText(self.tr("step {step:,} of {newest:,}, rewound").format(step=shown, newest=newest))
        else:
            self.label.setText(self.tr("step {kept:,} of {newest:,}, the nearest kept to {step:,}").format(
                kept=kept, newest=newest, step=shown))
        if shown is not None:
            self.label.setToolTip(self.tr("{line}: Play or Step goes on from here, and the steps after it "
                                          "are pinned on the loss plot").format(line=self.label.text()))

    def _on_slider_value_changed(self, step: int) -> None:
        self.stepChosen.emit(step)


def _arrow_button(action: QAction, arrow: Qt.ArrowType, name: str) -> QToolButton:
    """A small arrow that triggers ``action`` (its text would make the bar, and the window, wider)."""
    button = QToolButton()
    button.setObjectName(name)
    button.setArrowType(arrow)
    button.setAutoRaise(True)
    button.setToolTip(action.toolTip())
    button.setAccessibleName(action.text())
    button.clicked.connect(action.trigger)
    return button
