"""Text from data and files is shown as the characters it holds, never read as markup.

A CSV header ``<img src="/dev/zero">`` once made Qt read the device until memory ran out: Qt reads
pyqtgraph's labels and legends as HTML and guesses whether a label's, a message box's or a
tooltip's text is HTML.  These tests put ``<img src="/nonexistent/x.png">`` (never /dev/zero: a
failing test would exhaust the memory) and ``<b>bold</b>`` into column names, class labels, cells
and file names, and read back what each place shows.
"""

from __future__ import annotations

import pyqtgraph as pg
from guihelpers import (
    action,
    button,
    child,
    combo,
    displayed,
    label_shows,
    message_label,
    table_cells,
    wait_settled,
    wait_step,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox
from test_window_hostile import Recorder

from regstudio.gui.dialogs import ColumnDialog

IMAGE = '<img src="/nonexistent/x.png">'
BOLD = "<b>bold</b>"
ITALIC = "<i>third</i>"
# A file name cannot hold "/": no closing tag, and the image is one in the working folder (there is none).
FILE_STEM = "<b>bold & <img src=nonexistent.png>"


def axis_shows(plot: pg.PlotWidget, side: str) -> str:
    return plot.getAxis(side).label.toPlainText().rstrip()  # pyqtgraph adds a space before the units


def legend_shows(plot: pg.PlotWidget) -> list[str]:
    return [label.item.toPlainText() for _, label in plot.plotItem.legend.items]


def markup_csv(tmp_path):
    """Three inputs named with markup, labels with markup, one row with a missing cell (so the
    message bar names the file)."""
    path = tmp_path / f"{FILE_STEM}.csv"
    rows = [(-1.5, -1.4, 0.1, IMAGE), (-1.2, -1.6, 0.3, IMAGE), (-1.0, -1.1, 0.2, IMAGE), (-1.4, -0.9, 0.0, IMAGE),
            (1.5, 1.4, 0.1, BOLD), (1.2, 1.6, 0.2, BOLD), (1.0, 1.1, 0.3, BOLD), (1.4, 0.9, 0.0, BOLD)]
    lines = [f"{IMAGE},{BOLD},{ITALIC},label"] + [",".join(map(str, row)) for row in rows] + ["0.5,,0.1," + BOLD]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_markup_in_column_names_labels_and_file_names_is_shown_as_text(qtbot, window, tmp_path, monkeypatch):
    path = markup_csv(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(Recorder((str(path), ""))))
    picker = {}

    def accept(dialog):
        picker["labels"] = [label_shows(label) for label in dialog.findChildren(QLabel)]
        picker["targets"] = [dialog.target.itemText(i) for i in range(dialog.target.count())]
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ColumnDialog, "exec", accept)
    action(window, "actionOpenData").trigger()
    assert str(path) in picker["labels"] and picker["targets"] == [IMAGE, BOLD, ITALIC, "label"]
    assert window.document.config.model == "logistic"
    wait_settled(qtbot, window)

    plot = child(window, pg.PlotWidget, "dataPlot")
    assert (axis_shows(plot, "bottom"), axis_shows(plot, "left")) == (IMAGE, BOLD)
    assert f"class {BOLD}" in legend_shows(plot) and f"class {IMAGE}" in legend_shows(plot)
    assert label_shows(child(window, QLabel, "axesLabel")) == f"{ITALIC} held at its training mean"
    classes = combo(window, "classCombo")
    assert {classes.itemText(i) for i in range(classes.count())} == {f"class {BOLD}", f"class {IMAGE}"}
    assert label_shows(message_label(window)) == f"{path.name}: dropped 1 row with missing values."
    assert child(window, QLabel, "statusLabel").textFormat() == Qt.TextFormat.PlainText

    # parameter names hold the column names: the table, its tooltips and the landscape's axes
    names = [row[0] for row in table_cells(window) if IMAGE in row[0]]
    assert names
    model = window.parameters_panel.model
    tips = [displayed(model.index(i, 0).data(Qt.ItemDataRole.ToolTipRole)) for i in range(model.rowCount())]
    assert set(names) <= set(tips)
    window.show_views(["landscape"])
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    landscape = child(window, pg.PlotWidget, "landscapePlot")
    qtbot.waitUntil(lambda: landscape.landscape is not None, timeout=10_000)
    assert IMAGE in axis_shows(landscape, "bottom")

    # the file's name: the Undo item and its tooltip, the recent-files menu, the window title
    undo = action(window, "actionUndo")
    assert undo.text().replace("&&", "&") == f"Undo Open {path.name}"
    # the toolbar's button: the start of the same text, as text (a tool button reads "&&" as "&")
    shown = undo.iconText().replace("&&", "&")
    assert shown.endswith("…") and f"Undo Open {path.name}".startswith(shown[:-1])
    assert displayed(undo.toolTip()) == f"Undo Open {path.name}"
    recent = window.recent_menu.actions()[0]
    assert recent.iconText() == path.name and displayed(recent.toolTip()) == str(path)
    session = tmp_path / f"{FILE_STEM} [*].regstudio"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(Recorder((str(session), ""))))
    action(window, "actionSaveSessionAs").trigger()
    assert session.exists()
    assert window.windowHandle().title() == f"{session.name} — regstudio"


def test_markup_in_a_bad_cell_is_shown_as_text_in_the_error(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / f"{FILE_STEM}.csv"
    path.write_text(f"x,y\n1,2\n{IMAGE},4\n3,{BOLD}\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(Recorder((str(path), ""))))
    critical = Recorder(QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    action(window, "actionOpenData").trigger()
    assert len(critical.calls) == 1
    assert displayed(critical.calls[0][2]) == f"{path}: row 2 (line 3), column 'x': '{IMAGE}' is not a number"


def test_error_details_are_shown_as_text(qtbot, window, monkeypatch):
    details = f"Traceback (most recent call last):\n  {IMAGE}\nValueError: {BOLD}"
    window.message_bar.show_message(f"The run stopped: {BOLD}", error=True, details=details)
    assert label_shows(message_label(window)) == f"The run stopped: {BOLD}"
    shown = Recorder(QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "information", staticmethod(shown))
    button(window, "messageDetailsButton").click()
    assert len(shown.calls) == 1 and displayed(shown.calls[0][2]) == details
