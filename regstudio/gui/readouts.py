"""Readouts of a run: the parameters table, the status line and the message bar.

Each draws a consistent (problem, frame) pair from the run controller and nothing else.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

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


def parameter_rows(problem, params: dict) -> list[tuple[str, float | None]]:
    """(name, value) rows: weights per feature and class, the bias, then the original units."""
    rows = []
    names = problem.pipeline.names
    if "W" in params:
        W, b = params["W"], params["b"]
        outputs = [""] if W.shape[0] == 1 else [f"[{c}] " for c in problem.classes]
        for k, prefix in enumerate(outputs):
            rows += [(f"{prefix}w {n}", W[k, j]) for j, n in enumerate(names)]
            rows.append((f"{prefix}b (bias)", b[k]))
        units = original_units(problem, problem.model.pack(params))
        if units and "intercept" in units:
            rows.append(("— in original units —", None))
            rows.append(("intercept", units["intercept"]))
            rows += [(name, value) for name, value in units["coefficients"].items()]
    else:
        for name, value in params.items():
            for index in np.ndindex(value.shape):
                rows.append((f"{name}[{','.join(map(str, index))}]", value[index]))
    return rows


class ParametersPanel(QGroupBox):
    def __init__(self, parent=None):
        super().__init__("Parameters", parent)
        layout = QVBoxLayout(self)
        self.table = named(QTableWidget(0, 2), "paramsTable", "Parameters")
        self.table.setHorizontalHeaderLabels(["parameter", "value"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A fixed value column wide enough for any number() text: sizing it to its contents measures
        # every row on every change, quadratic in the rows (a 32-unit cascade's 4,320 rows took 19 s).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, self.table.fontMetrics().horizontalAdvance("−0.000123457e+300") + 12)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(180)
        layout.addWidget(self.table)

    def show_parameters(self, problem, frame) -> None:
        rows = [] if problem is None or frame is None or not frame.snapshot.params else \
            parameter_rows(problem, frame.snapshot.params)
        table = self.table
        table.setUpdatesEnabled(False)
        table.setRowCount(len(rows))
        for i, (name, value) in enumerate(rows):
            for j, text in enumerate((name, "" if value is None else number(float(value)))):
                item = table.item(i, j)
                if item is None:
                    item = QTableWidgetItem()
                    table.setItem(i, j, item)
                if item.text() != text:
                    item.setText(text)
        table.setUpdatesEnabled(True)


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
