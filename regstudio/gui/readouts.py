"""Readouts of a run: the parameters table, the status line and the message bar.

Each draws a consistent (problem, frame) pair from the run controller and nothing else.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.readable import ParameterTable, TableLayout
from ..core.runner import data_error
from .i18n import QT_TRANSLATE_NOOP, localized
from .panels import named
from .safe_text import rich_plain
from .theme import message_style


def number(value: float, digits: int = 6) -> str:
    """About ``digits`` significant digits, in scientific notation when the value is huge or tiny."""
    if value is None:
        return ""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f"{value:.{digits}g}"


def loss_number(value: float) -> str:
    """``number`` of a loss, which is never below zero: the sums that make one can round an exact
    fit's to −7.6e-15, which reads as a negative loss (shown as 0)."""
    return number(0.0 if value <= 0 else value)


class ParameterTableModel(QAbstractTableModel):
    """A :class:`~regstudio.core.readable.ParameterTable` for a table view, which asks only for the
    rows on screen: a 32-unit cascade's 4,385 rows cost a QTableWidget 38–47 ms a frame to refill,
    this nothing beyond building the value array.  Headings are bold and span the row (the view
    sets the spans); an empty cell is a number the row does not have (no step taken yet)."""

    COLUMNS = (QT_TRANSLATE_NOOP("ParameterTableModel", "parameter"), QT_TRANSLATE_NOOP("ParameterTableModel", "value"),
               "∂J/∂θ", QT_TRANSLATE_NOOP("ParameterTableModel", "Δθ (this step)"))
    TIPS = (QT_TRANSLATE_NOOP("ParameterTableModel", "Hover a name for the whole of it"),
            QT_TRANSLATE_NOOP("ParameterTableModel", "The parameter's value"),
            QT_TRANSLATE_NOOP("ParameterTableModel", "∂J/∂θ: the gradient at the parameters the last step "
                                                     "started from"),
            QT_TRANSLATE_NOOP("ParameterTableModel", "The change the last step applied: θ after − θ before "
                                                     "(−η·∂J/∂θ for gradient descent)"))

    @classmethod
    def column_title(cls, section: int) -> str:
        """The heading of column ``section`` in the window's language."""
        return QCoreApplication.translate("ParameterTableModel", cls.COLUMNS[section])

    def __init__(self, parent=None):
        super().__init__(parent)
        self._table = ParameterTable((), np.empty((0, 3)), np.empty(0, dtype=bool))
        self._bold = QFont()
        self._bold.setBold(True)

    def __repr__(self) -> str:
        return f"ParameterTableModel({self._table!r})"

    def set_table(self, table: ParameterTable) -> bool:
        """Show ``table``; True when its rows changed (the view then lays out its headings anew)."""
        if table.names != self._table.names:
            self.beginResetModel()
            self._table = table
            self.endResetModel()
            return True
        self._table = table
        if len(table.names):
            self.dataChanged.emit(self.index(0, 1), self.index(len(table.names) - 1, 3),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])
        return False

    def is_heading(self, row: int) -> bool:
        return bool(self._table.headings[row])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._table.names)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        heading = self._table.headings[row]
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if heading else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == 0:
            name = localized(self._table.names[row])  # names hold column names and group levels
            return rich_plain(name) if role == Qt.ItemDataRole.ToolTipRole else name
        value = float(self._table.values[row, column - 1])
        # NaN is "none" in the gradient and step columns, a diverged number in the value column.
        if heading or (math.isnan(value) and column > 1):
            return None if role == Qt.ItemDataRole.ToolTipRole else ""
        return repr(value) if role == Qt.ItemDataRole.ToolTipRole else number(value)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_title(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("ParameterTableModel", self.TIPS[section])
        return None


def number_width(values: np.ndarray, advance) -> int:
    """An upper bound in pixels on the widest ``number()`` text of ``values`` (NaN: no text), where
    ``advance(text)`` is a font's width of ``text``, from the rules of %.6g: up to 6 significant
    digits and a point, "0.000…" below 1, "e±XX" outside 1e-4 ≤ |v| < 1e6, a sign.  Vectorised: for
    a 32-unit cascade's 4,385 rows, 0.3 ms against 50 ms to format and measure every cell
    (benchmarks/bench_parameters_table.py)."""
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    if not values.size:
        return 0
    magnitude = np.abs(values)
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log10(np.where(magnitude > 0, magnitude, 1.0)))
    scientific = (exponent < -4) | (exponent >= 6)
    digits = np.where(scientific, 6 + np.where(np.abs(exponent) >= 100, 3, 2),
                      np.where(exponent < 0, 6 - exponent, 6))
    exponent_signs = max(advance("e+"), advance("e-"))
    width = (digits * advance("0") + advance(".") + scientific * exponent_signs
             + (values < 0) * advance("-"))
    width = np.where(np.isinf(values), advance("-inf"), width)
    return int(width.max())


NAME_MIN_WIDTH = 40  # pixels: the name column elides down to this before the numbers lose room
CELL_PADDING = 5     # pixels either side of a cell's text


class ParametersPanel(QGroupBox):
    """The parameters in original units, the trained parameters with the last step's gradient and
    step and, when the data has a group column, one shared line against one line per group."""

    def __init__(self, parent=None):
        super().__init__(self.tr("Parameters"), parent)
        layout = QVBoxLayout(self)
        self.model = ParameterTableModel(self)
        self.table = named(QTableView(), "paramsTable", self.tr("Parameters"))
        self.table.setModel(self.model)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(NAME_MIN_WIDTH)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Number columns as wide as their longest number (bounded without formatting every row;
        # sizing to contents would measure every row on every change), growing within a problem so
        # they do not jitter; the names take what is left and elide, whole in their tooltips.
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self._advance = self.table.fontMetrics().horizontalAdvance
        self._header_widths = [header.fontMetrics().horizontalAdvance(ParameterTableModel.column_title(j))
                               + 2 * CELL_PADDING for j in range(len(ParameterTableModel.COLUMNS))]
        self._number_widths = [0, 0, 0]
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        # Uniform rows: without a fixed size the view measures every row to lay them out.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(180)
        layout.addWidget(self.table)
        self._problem = None
        self._layout: TableLayout | None = None
        self._comparison: ParameterTable | None = None

    def __repr__(self) -> str:
        return f"ParametersPanel({self._layout!r}, comparison={self._comparison is not None})"

    def show_parameters(self, problem, frame) -> None:
        if problem is None or frame is None or not frame.snapshot.params:
            self._show(ParameterTable((), np.empty((0, 3)), np.empty(0, dtype=bool)))
            return
        if problem is not self._problem or self._layout is None:
            self._problem, self._layout = problem, TableLayout(problem)
            # computed on the training thread, once per problem
            comparison = frame.group_comparison
            self._comparison = None if comparison is None else comparison.table()
        snapshot = frame.snapshot
        table = self._layout.table(problem.model.pack(snapshot.params), snapshot.gradient, snapshot.update)
        self._show(table if self._comparison is None else table + self._comparison)

    def _show(self, table: ParameterTable) -> None:
        if self.model.set_table(table):
            self._number_widths = [0, 0, 0]
            self.table.clearSpans()
            for row in np.flatnonzero(table.headings):
                self.table.setSpan(int(row), 0, 1, len(ParameterTableModel.COLUMNS))
        self._fit_number_columns(table)

    def _fit_number_columns(self, table: ParameterTable) -> None:
        header = self.table.horizontalHeader()
        for j in range(3):
            width = max(self._header_widths[j + 1],
                        number_width(table.values[:, j], self._advance) + 2 * CELL_PADDING)
            if width > self._number_widths[j]:
                self._number_widths[j] = width
                header.resizeSection(j + 1, width)


def status_text(frame, metrics: dict | None) -> str:
    """Step, epoch, the learning rate η and the penalty λ (when there is one), J, test error (without λ),
    R² or accuracy, steps per second: one translated
    template per readout, joined by a separator."""
    snapshot = frame.snapshot
    parts = [QCoreApplication.translate("StatusLine", "step {step:,}").format(step=snapshot.step),
             QCoreApplication.translate("StatusLine", "epoch {epoch:,.2f}").format(epoch=snapshot.epoch)]
    if frame.lr:
        parts.append(QCoreApplication.translate("StatusLine", "η = {lr:g}").format(lr=frame.lr))
    if frame.l2:
        parts.append(QCoreApplication.translate("StatusLine", "λ = {l2:.4g}").format(l2=frame.l2))
    if metrics:
        train, test = metrics["train"], metrics["test"]
        parts.append(QCoreApplication.translate("StatusLine", "train loss {loss}").format(
            loss=loss_number(train["objective"])))
        test_error = data_error(test)
        if test_error is not None:
            template = (QCoreApplication.translate("StatusLine", "test MSE {error}") if "mse" in test
                        else QCoreApplication.translate("StatusLine", "test cross-entropy {error}"))
            parts.append(template.format(error=loss_number(test_error)))
        if "r2" in train:
            score = (QCoreApplication.translate("StatusLine", "R² {train} (test {test})") if test
                     else QCoreApplication.translate("StatusLine", "R² {train}"))
            parts.append(score.format(train=number(train["r2"], 4), test=number(test["r2"], 4) if test else ""))
        else:
            score = (QCoreApplication.translate("StatusLine", "accuracy {train:.4f} (test {test:.4f})") if test
                     else QCoreApplication.translate("StatusLine", "accuracy {train:.4f}"))
            parts.append(score.format(train=train["accuracy"], test=test["accuracy"] if test else 0.0))
    parts.append(QCoreApplication.translate("StatusLine", "{speed:,.0f} steps/s").format(
        speed=frame.steps_per_second))
    return "  ·  ".join(parts)


class MessageBar(QWidget):
    """One line above the plot: what happened (green), what went wrong (red), with details on demand."""

    detailsRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("messageLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote file names and cells
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("Message"))
        self.details_button = named(QPushButton(self.tr("Details…")), "messageDetailsButton",
                                    self.tr("Error details"))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.details_button)
        self._details = ""
        self.details_button.clicked.connect(self._on_details_button_clicked)
        self.show_message("")

    def text(self) -> str:
        return self.label.text()

    def show_message(self, text: str, error: bool = False, details: str = "") -> None:
        """Show ``text`` (a core message is shown in the window's language; "" hides the bar)."""
        self.label.setText(localized(text))
        self._details = details
        self.details_button.setVisible(bool(details))
        self.setVisible(bool(text))
        self.label.setStyleSheet(message_style(error))

    def _on_details_button_clicked(self) -> None:
        self.detailsRequested.emit(self._details)
