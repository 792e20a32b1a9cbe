"""The column picker for CSV files whose inputs and target are not obvious."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QListWidget, QListWidgetItem, QVBoxLayout)

OBVIOUS = {("x", "y"): ("y", ["x"]), ("x1", "x2", "label"): ("label", ["x1", "x2"])}


def obvious_columns(header: tuple[str, ...]) -> tuple[str, list[str], str | None] | None:
    """(target, inputs, group) when the header leaves no doubt: the drawn-data columns (as Export
    points writes them, the group column last when there is one), or two columns."""
    if tuple(header) in OBVIOUS:
        target, inputs = OBVIOUS[tuple(header)]
        return target, inputs, None
    if tuple(header[:-1]) in OBVIOUS:
        target, inputs = OBVIOUS[tuple(header[:-1])]
        return target, inputs, header[-1]
    if len(header) == 2:
        return header[1], [header[0]], None
    return None


class ColumnDialog(QDialog):
    """Pick the target, the inputs (at least one) and an optional group column; and, for a target of
    text labels, their order on an ordinal scale (dragged into place; the ordinal model uses it).

    ``text_labels(column)`` gives a column's distinct text labels in the order they first appear, or
    () for numbers (which have their own order) or too many labels to be classes."""

    def __init__(self, path: str, header: tuple[str, ...], parent=None,
                 text_labels: Callable[[str], tuple[str, ...]] | None = None):
        super().__init__(parent)
        self._text_labels = text_labels
        self.setWindowTitle(self.tr("Choose columns"))
        layout = QVBoxLayout(self)
        file_label = QLabel(f"<b>{html.escape(path)}</b>")
        file_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(file_label)
        form = QFormLayout()
        self.target = QComboBox()
        self.target.setObjectName("targetCombo")
        self.target.addItems(header)
        self.target.setCurrentIndex(len(header) - 1)
        self.group = QComboBox()
        self.group.setObjectName("groupColumnCombo")
        self.group.addItem(self.tr("(none)"))
        self.group.addItems(header)
        self.inputs = QListWidget()
        self.inputs.setObjectName("inputList")
        for name in header:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.inputs.addItem(item)
        form.addRow(self.tr("Target (y)"), self.target)
        form.addRow(self.tr("Inputs (x)"), self.inputs)
        form.addRow(self.tr("Group"), self.group)
        self.order = QListWidget()
        self.order.setObjectName("classOrderList")
        self.order.setAccessibleName(self.tr("Order of the classes"))
        self.order.setToolTip(self.tr("Ordinal regression: drag the labels into their order, lowest first"))
        self.order.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.order_label = QLabel(self.tr("Order (ordinal)"))
        form.addRow(self.order_label, self.order)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.target.currentTextChanged.connect(self._on_target_changed)
        self.target.currentTextChanged.connect(self._on_target_column_changed)
        self.group.currentTextChanged.connect(self._on_target_changed)
        self._on_target_changed()
        self._on_target_column_changed()

    def _on_target_column_changed(self, *_):
        labels = self._text_labels(self.target.currentText()) if self._text_labels is not None else ()
        self.order.clear()
        for label in labels:
            item = QListWidgetItem(label)   # a list item shows its text as text, never as HTML
            self.order.addItem(item)
        self.order.setVisible(bool(labels))
        self.order_label.setVisible(bool(labels))

    def class_order(self) -> tuple[str, ...]:
        """The target's text labels in the order the list shows them (() for numbers)."""
        return tuple(self.order.item(i).text() for i in range(self.order.count()))

    def _on_target_changed(self, *_):
        target, inputs, group = self.choice()
        for i in range(self.inputs.count()):
            item = self.inputs.item(i)
            enabled = item.text() not in (target, group)
            flags = item.flags()
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(inputs))

    def choice(self) -> tuple[str, list[str], str | None]:
        target = self.target.currentText()
        # The first entry is "no group column", whatever it reads in the window's language.
        group = None if self.group.currentIndex() == 0 else self.group.currentText()
        inputs = [self.inputs.item(i).text() for i in range(self.inputs.count())
                  if self.inputs.item(i).checkState() == Qt.CheckState.Checked
                  and self.inputs.item(i).text() not in (target, group)]
        return target, inputs, group
