"""Readouts of a run: the parameters table, the status line and the message bar.

Each draws a consistent (problem, frame) pair from the run controller and nothing else.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QEvent,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.readable import ParameterTable, TableLayout
from ..core.runner import data_error
from .i18n import QT_TRANSLATE_NOOP, localized
from .panels import named
from .safe_text import rich_plain
from .theme import message_style


# Significant digits of the value, ∂J/∂θ and Δθ columns: the gradient and the step are read for their
# sign and size, and four digits leave the names their room on a 1280-pixel screen.
COLUMN_DIGITS = (6, 4, 4)


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
               "∂J/∂θ", QT_TRANSLATE_NOOP("ParameterTableModel", "Δθ\n(this step)"))
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
        return repr(value) if role == Qt.ItemDataRole.ToolTipRole else number(value, COLUMN_DIGITS[column - 1])

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_title(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("ParameterTableModel", self.TIPS[section])
        return None


def number_width(values: np.ndarray, advance, digits: int = 6) -> int:
    """An upper bound in pixels on the widest ``number(v, digits)`` text of ``values`` (NaN: no
    text), where ``advance(text)`` is a font's width of ``text``, from the rules of %g: up to
    ``digits`` significant digits and a point, "0.000…" below 1, "e±XX" outside
    1e-4 ≤ |v| < 10^digits, a sign.  Vectorised: for
    a 32-unit cascade's 4,385 rows, 0.3 ms against 50 ms to format and measure every cell
    (benchmarks/bench_parameters_table.py)."""
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    if not values.size:
        return 0
    magnitude = np.abs(values)
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log10(np.where(magnitude > 0, magnitude, 1.0)))
    scientific = (exponent < -4) | (exponent >= digits)
    characters = np.where(scientific, digits + np.where(np.abs(exponent) >= 100, 3, 2),
                          np.where(exponent < 0, digits - exponent, digits))
    exponent_signs = max(advance("e+"), advance("e-"))
    width = (characters * advance("0") + advance(".") + scientific * exponent_signs
             + (values < 0) * advance("-"))
    width = np.where(np.isinf(values), advance("-inf"), width)
    return int(width.max())


MAX_NAME_LINES = 3
MAX_WRAPPED_ROWS = 64  # rows whose name may wrap; with more, the name column widens instead
NAME_WIDTH_STEP = 8  # pixels: the name column widens by this until every name wraps whole
ROW_PADDING = 6      # pixels above and below a row's text
NAME_MIN_WIDTH = 40  # pixels: the narrowest name column (and any column)
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
        # Number columns as wide as their longest number (bounded without formatting every row;
        # sizing to contents would measure every row on every change), growing within a problem so
        # they do not jitter; the names take what is left, wrapped (see _fit_name_column).
        header.setStretchLastSection(False)
        for column in (0, 1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self._advance = self.table.fontMetrics().horizontalAdvance
        # A title may take two lines ("Δθ" over "(this step)"): its width is its widest line's.
        self._header_widths = [max(map(header.fontMetrics().horizontalAdvance,
                                       ParameterTableModel.column_title(j).splitlines()))
                               + 2 * CELL_PADDING for j in range(len(ParameterTableModel.COLUMNS))]
        self._number_widths = [0, 0, 0]
        self.table.setHorizontalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        # Uniform rows: without a fixed size the view measures every row to lay them out.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._line_height = self.table.fontMetrics().height()
        vertical.setDefaultSectionSize(self._line_height + ROW_PADDING)
        self._names: list[str] = []          # the rows' names as shown, headings left out
        self._name_rows = np.empty(0, dtype=np.intp)   # the table row of each name
        self._name_widths = np.empty(0)      # pixels, one per name
        self._wrapped_rows: set[int] = set()  # rows made taller for a wrapped name
        self.table.viewport().installEventFilter(self)   # a new width may wrap the names anew
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(180)
        layout.addWidget(self.table)
        self.comparison_table = self._make_comparison_table()
        layout.addWidget(self.comparison_table)
        self._problem = None
        self._layout: TableLayout | None = None
        self._comparison = None

    def __repr__(self) -> str:
        return f"ParametersPanel({self._layout!r}, comparison={self._comparison!r})"

    def _make_comparison_table(self) -> QTableWidget:
        """One shared line against one line per group, train and test MSE: a table of its own,
        under its own headers, shown only for data with a group column."""
        table = named(QTableWidget(2, 2), "groupComparisonTable",
                      self.tr("Train and test MSE of one shared line against one line per group"))
        table.setHorizontalHeaderLabels([self.tr("train MSE"), self.tr("test MSE")])
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.hide()
        return table

    def _show_comparison(self, comparison) -> None:
        self._comparison = comparison
        table = self.comparison_table
        if comparison is None:
            table.hide()
            return
        names = []
        for row, (name, train, test) in enumerate(comparison.rows()):
            names.append(localized(name))
            for column, value in enumerate((train, test)):
                item = QTableWidgetItem("—" if value is None else number(value, 4))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if value is None:
                    item.setToolTip(self.tr("No test points: set Data → Test fraction above 0"))
                table.setItem(row, column, item)
        table.setVerticalHeaderLabels(names)
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        table.setFixedHeight(height + sum(table.verticalHeader().sectionSize(r) for r in range(2)))
        table.show()

    def show_parameters(self, problem, frame) -> None:
        if problem is None or frame is None or not frame.snapshot.params:
            self._show(ParameterTable((), np.empty((0, 3)), np.empty(0, dtype=bool)))
            self._problem = self._layout = None
            self._show_comparison(None)
            return
        if problem is not self._problem or self._layout is None:
            self._problem, self._layout = problem, TableLayout(problem)
            self._show_comparison(frame.group_comparison)  # computed on the training thread, once per problem
        snapshot = frame.snapshot
        self._show(self._layout.table(problem.model.pack(snapshot.params), snapshot.gradient, snapshot.update))

    def _show(self, table: ParameterTable) -> None:
        if self.model.set_table(table):
            self._number_widths = [0, 0, 0]
            self.table.clearSpans()
            for row in np.flatnonzero(table.headings):
                self.table.setSpan(int(row), 0, 1, len(ParameterTableModel.COLUMNS))
            # Once per set of rows (a problem), not per frame: 4,385 names measure in about 5 ms.
            self._name_rows = np.flatnonzero(~table.headings)
            self._names = [localized(table.names[row]) for row in self._name_rows]
            self._name_widths = np.array([self._advance(name) for name in self._names])
            self._wrapped_rows = set()  # a new set of rows starts at the default height
            self._fit_name_column()
        self._fit_number_columns(table)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._fit_name_column()
        return False

    def _wrapped_lines(self, i: int, room: int) -> int:
        """Lines name ``i`` takes wrapped into ``room`` pixels; more than MAX_NAME_LINES when a word
        is wider than ``room`` (it would be cut)."""
        box = self.table.fontMetrics().boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap,
                                                    self._names[i])
        if box.width() > room:
            return MAX_NAME_LINES + 1
        return math.ceil(box.height() / self._line_height)

    def _fit_name_column(self) -> None:
        """The name column takes what the numbers leave, and never less than every name needs to
        wrap whole into at most MAX_NAME_LINES lines (the table then scrolls sideways rather than
        cut a name).  A row whose name wraps is as tall as its lines; the rest keep one line."""
        header, vertical = self.table.horizontalHeader(), self.table.verticalHeader()
        numbers = sum(header.sectionSize(j) for j in (1, 2, 3))
        room = max(NAME_MIN_WIDTH, self.table.viewport().width() - numbers) - 2 * CELL_PADDING
        # Only names wider than the room wrap; past MAX_WRAPPED_ROWS of them (a large cascade) the
        # column widens instead, so one resize never measures thousands of names.
        order = np.argsort(self._name_widths)[::-1]
        while True:
            wide = [int(i) for i in order[:MAX_WRAPPED_ROWS + 1] if self._name_widths[i] > room]
            lines = {i: self._wrapped_lines(i, room) for i in wide}
            if len(wide) <= MAX_WRAPPED_ROWS and all(n <= MAX_NAME_LINES for n in lines.values()):
                break
            room += NAME_WIDTH_STEP
        if header.sectionSize(0) != room + 2 * CELL_PADDING:
            header.resizeSection(0, room + 2 * CELL_PADDING)
        one_line = self._line_height + ROW_PADDING
        for row in self._wrapped_rows - {int(self._name_rows[i]) for i in lines}:
            vertical.resizeSection(row, one_line)
        for i, count in lines.items():
            vertical.resizeSection(int(self._name_rows[i]), count * self._line_height + ROW_PADDING)
        self._wrapped_rows = {int(self._name_rows[i]) for i in lines}
        self.table.setWordWrap(bool(lines))

    def _fit_number_columns(self, table: ParameterTable) -> None:
        header = self.table.horizontalHeader()
        widened = False
        for j in range(3):
            width = max(self._header_widths[j + 1],
                        number_width(table.values[:, j], self._advance, COLUMN_DIGITS[j]) + 2 * CELL_PADDING)
            if width > self._number_widths[j]:
                self._number_widths[j] = width
                header.resizeSection(j + 1, width)
                widened = True
        if widened:
            self._fit_name_column()


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
    if frame.shown is None:   # a past step on the timeline is not being trained
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
