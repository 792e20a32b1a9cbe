"""Readouts of a run: the parameters table, the status line and the message bar.

Each draws a consistent (problem, frame) pair from the run controller and nothing else.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from ..core.modelfile import original_units
from ..core.runner import data_error
from .panels import named


def number(value: float, digits: int = 6) -> str:
    """About ``digits`` significant digits, in scientific notation when the value is huge or tiny."""
    if value is None:
        return ""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f"{value:.{digits}g}"


def parameter_rows(problem, params: dict) -> tuple[list[str], np.ndarray]:
    """The table's rows as names and values (NaN on a heading row): weights per feature and class,
    the bias, then the original units; other models list every entry of every array."""
    names: list[str] = []
    parts: list[np.ndarray] = []
    features = problem.pipeline.names
    if "W" in params:
        W, b = params["W"], params["b"]
        outputs = [""] if W.shape[0] == 1 else [f"[{c}] " for c in problem.classes]
        for prefix in outputs:
            names += [f"{prefix}w {n}" for n in features] + [f"{prefix}b (bias)"]
        parts.append(np.column_stack([W, b]).ravel())
        units = original_units(problem, problem.model.pack(params))
        if units and "intercept" in units:
            names += [ORIGINAL_UNITS_HEADING, "intercept", *units["coefficients"]]
            parts.append([math.nan, units["intercept"], *units["coefficients"].values()])
    else:
        for name, value in params.items():
            names += [f"{name}[{','.join(map(str, index))}]" for index in np.ndindex(value.shape)]
            parts.append(np.ravel(value))
    values = np.concatenate([np.asarray(part, dtype=np.float64) for part in parts]) if parts else np.empty(0)
    return names, values


ORIGINAL_UNITS_HEADING = "— in original units —"


class ParameterTableModel(QAbstractTableModel):
    """Parameter names and values for a table view, which asks only for the rows on screen: a
    32-unit cascade's 4,385 rows cost a QTableWidget 38–47 ms a frame to refill, this nothing
    beyond building the value array."""

    COLUMNS = ("parameter", "value")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._names: list[str] = []
        self._values = np.empty(0)

    def set_rows(self, names: list[str], values: np.ndarray) -> None:
        if names != self._names:
            self.beginResetModel()
            self._names, self._values = names, values
            self.endResetModel()
        elif len(values):
            self._values = values
            self.dataChanged.emit(self.index(0, 1), self.index(len(values) - 1, 1), [Qt.ItemDataRole.DisplayRole])

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        if index.column() == 0:
            return self._names[index.row()]
        value = self._values[index.row()]
        return "" if math.isnan(value) and self._names[index.row()] == ORIGINAL_UNITS_HEADING else number(float(value))

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class ParametersPanel(QGroupBox):
    def __init__(self, parent=None):
        super().__init__("Parameters", parent)
        layout = QVBoxLayout(self)
        self.model = ParameterTableModel(self)
        self.table = named(QTableView(), "paramsTable", "Parameters")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A fixed value column wide enough for any number() text: sizing it to its contents measures
        # every row on every change.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, self.table.fontMetrics().horizontalAdvance("−0.000123457e+300") + 12)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        # Uniform rows: without a fixed size the view measures every row to lay them out.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(180)
        layout.addWidget(self.table)

    def show_parameters(self, problem, frame) -> None:
        if problem is None or frame is None or not frame.snapshot.params:
            self.model.set_rows([], np.empty(0))
            return
        self.model.set_rows(*parameter_rows(problem, frame.snapshot.params))


def status_text(frame, metrics: dict | None) -> str:
    """Step, epoch, J, test error (without λ), R² or accuracy, steps per second."""
    snapshot = frame.snapshot
    parts = [f"step {snapshot.step:,}", f"epoch {snapshot.epoch:,.2f}"]
    if metrics:
        train, test = metrics["train"], metrics["test"]
        parts.append(f"train loss {number(train['objective'])}")
        if test:
            error = "MSE" if "mse" in test else "cross-entropy"
            parts.append(f"test {error} {number(data_error(test))}")
        key, label = ("r2", "R²") if "r2" in train else ("accuracy", "accuracy")
        score = f"{label} {number(train[key], 4)}" if key == "r2" else f"{label} {train[key]:.4f}"
        if test:
            score += f" (test {number(test[key], 4)})" if key == "r2" else f" (test {test[key]:.4f})"
        parts.append(score)
    parts.append(f"{frame.steps_per_second:,.0f} steps/s")
    return "  ·  ".join(parts)


class MessageBar(QWidget):
    """One line above the plot: what happened (green), what went wrong (red), with details on demand."""

    detailsRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(objectName="messageLabel")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Message")
        self.details_button = named(QPushButton("Details…"), "messageDetailsButton", "Error details")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.details_button)
        self._details = ""
        self.details_button.clicked.connect(self._on_details_button_clicked)
        self.show_message("")

    def text(self) -> str:
        return self.label.text()

    def show_message(self, text: str, error: bool = False, details: str = "") -> None:
        self.label.setText(text)
        self._details = details
        self.details_button.setVisible(bool(details))
        self.setVisible(bool(text))
        colours = "color: #a40000; background: #fde8e8;" if error else "color: #1d5e20; background: #e8f5e9;"
        self.label.setStyleSheet(colours + " padding: 4px;")

    def _on_details_button_clicked(self) -> None:
        self.detailsRequested.emit(self._details)
