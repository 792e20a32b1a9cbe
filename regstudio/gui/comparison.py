"""Run comparison (``actionPinRun``): pinned loss curves, labelled by what differs from now.

Pin the current run, change one thing, run again: each pinned curve stays on the loss plot, and
its label names the settings it had that differ from the current ones ("learning rate 0.01"), so
"too small, just right, too large" reads off the legend.  Labels follow every settings change.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject

from .loss_plot import LossPlot
from .readouts import number
from .state import Config, StudioState

# (Config field, how a student names it)
COMPARED = (("model", "model"), ("degree", "degree"), ("l2", "λ"), ("hidden", "hidden units"), ("loss", "loss"),
            ("optimizer", "optimizer"), ("lr", "learning rate"), ("batch_size", "batch"), ("seed", "seed"),
            ("init", "init"), ("use_group", "groups"), ("features", "features"))
LOSS_NAMES = {"ce": "cross-entropy", "mse": "square error"}
FEATURE_NAMES = {"raw": "inputs", "distances": "distances"}


def _value_text(key: str, value) -> str:
    if key == "loss":
        return LOSS_NAMES.get(value, value)
    if key == "features":
        return FEATURE_NAMES.get(value, value)
    if key == "batch_size" and value is None:
        return "full"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return number(value, 4)
    return str(value)


def pin_label(pinned: Config, current: Config, same_data: bool = True) -> str:
    """What the pinned run had that the current settings do not, e.g. "learning rate 0.01"."""
    parts = [f"{name} {_value_text(key, getattr(pinned, key))}" for key, name in COMPARED
             if getattr(pinned, key) != getattr(current, key)]
    if not same_data:
        parts.append("other points")
    return ", ".join(parts) if parts else "same settings"


class RunPins(QObject):
    """The pinned runs' settings and points, kept in step with the loss plot's pinned curves."""

    def __init__(self, state: StudioState, loss_plot: LossPlot, parent=None):
        super().__init__(parent)
        self.state, self.loss_plot = state, loss_plot
        self._pinned: list[tuple[Config, object]] = []
        state.configChanged.connect(self._on_state_config_changed)
        state.pointsChanged.connect(self._on_state_points_changed)

    def __repr__(self) -> str:
        return f"RunPins({self.labels()})"

    def pin(self) -> bool:
        """Pin the current run's curve; False when it has no loss yet."""
        steps, values = self.loss_plot.curve_data()
        if not len(steps):
            return False
        self.add(self.state.config, steps, values)
        return True

    def add(self, config: Config, steps: np.ndarray, values: np.ndarray) -> None:
        """Pin a curve of a run with ``config`` on the current points."""
        self.loss_plot.add_pin(steps, values, "")
        self._pinned = (self._pinned + [(config, self.state.points[self.state.task])])[-len(self.loss_plot.pins()):]
        self._relabel()

    def clear(self) -> None:
        self._pinned.clear()
        self.loss_plot.clear_pins()

    def labels(self) -> list[str]:
        current, points = self.state.config, self.state.points[self.state.task]
        return [pin_label(config, current, pinned_points is points) for config, pinned_points in self._pinned]

    def _relabel(self) -> None:
        if self._pinned:
            self.loss_plot.set_pin_labels(self.labels())

    def _on_state_config_changed(self, _keys) -> None:
        self._relabel()

    def _on_state_points_changed(self, *_args) -> None:
        self._relabel()
