"""Run comparison (``actionPinRun``): pinned loss curves, labelled by what differs from now.

Pin the current run, change one thing, run again: each pinned curve stays on the loss plot, and
its label names the settings it had that differ from the current ones ("learning rate 0.01"), so
"too small, just right, too large" reads off the legend.  Labels follow every settings change.
"""

from __future__ import annotations

import numpy as np

from PySide6.QtCore import QCoreApplication, QObject

from ..core.document import Change, Config, Document

from .i18n import QT_TRANSLATE_NOOP
from .loss_plot import LossPlot
from .panels import MODELS
from .readouts import number
from .document_events import DocumentEvents

# (Config field, how a student names it); names and values are translated where a label is made
COMPARED = (("model", QT_TRANSLATE_NOOP("Comparison", "model")),
            ("degree", QT_TRANSLATE_NOOP("Comparison", "degree")),
            ("l2", "λ"),
            ("hidden", QT_TRANSLATE_NOOP("Comparison", "hidden units")),
            ("loss", QT_TRANSLATE_NOOP("Comparison", "loss")),
            ("optimizer", QT_TRANSLATE_NOOP("Comparison", "optimizer")),
            ("lr", QT_TRANSLATE_NOOP("Comparison", "learning rate")),
            ("batch_size", QT_TRANSLATE_NOOP("Comparison", "batch")),
            ("seed", QT_TRANSLATE_NOOP("Comparison", "seed")),
            ("init", QT_TRANSLATE_NOOP("Comparison", "init")),
            ("use_group", QT_TRANSLATE_NOOP("Comparison", "groups")),
            ("features", QT_TRANSLATE_NOOP("Comparison", "features")))
LOSS_NAMES = {"ce": QT_TRANSLATE_NOOP("Comparison", "cross-entropy"),
              "mse": QT_TRANSLATE_NOOP("Comparison", "square error")}
FEATURE_NAMES = {"raw": QT_TRANSLATE_NOOP("Comparison", "inputs"),
                 "distances": QT_TRANSLATE_NOOP("Comparison", "distances")}


def _tr(text: str) -> str:
    """A label's text in the window's language (pin_label belongs to no QObject)."""
    return QCoreApplication.translate("Comparison", text)


def _value_text(key: str, value) -> str:
    if key == "model" and value in dict(MODELS):   # as the Model list names it: a pinned softmax beside an ordinal run
        return QCoreApplication.translate("ModelPanel", dict(MODELS)[value])
    if key == "loss" and value in LOSS_NAMES:
        return _tr(LOSS_NAMES[value])
    if key == "features" and value in FEATURE_NAMES:
        return _tr(FEATURE_NAMES[value])
    if key == "batch_size" and value is None:
        return QCoreApplication.translate("Comparison", "full", "the full batch")
    if isinstance(value, bool) and value:
        return QCoreApplication.translate("Comparison", "on")
    if isinstance(value, bool):
        return QCoreApplication.translate("Comparison", "off")
    if isinstance(value, float):
        return number(value, 4)
    return str(value)  # optimizer and initialisation keys: the command line's names


def pin_label(pinned: Config, current: Config, same_data: bool = True) -> str:
    """What the pinned run had that the current settings do not, e.g. "learning rate 0.01"."""
    parts = [QCoreApplication.translate("Comparison", "{setting} {value}").format(
                 setting=_tr(name), value=_value_text(key, getattr(pinned, key)))
             for key, name in COMPARED if getattr(pinned, key) != getattr(current, key)]
    if not same_data:
        parts.append(QCoreApplication.translate("Comparison", "other points"))
    if not parts:
        return QCoreApplication.translate("Comparison", "same settings")
    # a list, not a sentence: only the separator differs between languages
    separator = QCoreApplication.translate("Comparison", ", ", "between the differences in a pinned run's label")
    return separator.join(parts)


class RunPins(QObject):
    """Draws the document's pinned runs on the loss plot, labelled by what differs from now."""

    def __init__(self, document: Document, events: DocumentEvents, loss_plot: LossPlot, parent=None):
        super().__init__(parent)
        self.document, self.loss_plot = document, loss_plot
        events.changed.connect(self._on_document_changed)
        if document.pins:   # a document handed over by a language switch
            self._on_document_changed(Change(pins=True))

    def __repr__(self) -> str:
        return f"RunPins({self.labels()})"

    def pin(self, note: str = "") -> bool:
        """Pin the current run's curve (labelled ``note`` if given, else by what differs from the
        settings now); False when it has no loss yet."""
        steps, values = self.loss_plot.curve_data()
        keep = ~np.isnan(steps)   # the breaks between segments (marks) are drawing, not data
        steps, values = steps[keep], values[keep]
        if not len(steps):
            return False
        self.document.pin(self.document.config, steps, values, note)
        return True

    def clear(self) -> None:
        self.document.clear_pins()

    def labels(self) -> list[str]:
        document = self.document
        current, points = document.config, document.points[document.task]
        return [pin.note or pin_label(pin.config, current, pin.points is points) for pin in document.pins]

    def _on_document_changed(self, change: Change) -> None:
        if change.pins:
            self.loss_plot.show_pins([(pin.steps, pin.values) for pin in self.document.pins], self.labels())
        elif self.document.pins and (change.config or change.tasks):
            self.loss_plot.set_pin_labels(self.labels())
