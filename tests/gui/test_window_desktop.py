"""Desktop integration: the icon, Help (samples, About), remembered layout and folder, dark palettes."""

from __future__ import annotations

import os

import numpy as np
import pytest
from conftest import close_window
from guihelpers import action, combo
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QLabel, QMenu, QMessageBox
from test_window_files import Recorder, patch_open_dialog

from regstudio import __version__
from regstudio.core.data import load_sample
from regstudio.desktop import ICON_SIZES, samples
from regstudio.gui.theme import dark_palette
from regstudio.gui.window_settings import settings


def test_the_window_carries_the_icon_at_every_size(window):
    sizes = window.windowIcon().availableSizes()
    assert {QSize(n, n) for n in ICON_SIZES} <= set(sizes)
    assert not window.windowIcon().pixmap(16, 16).toImage().isNull()


# --- Help → Open sample data ------------------------------------------------------------------------

def sample_actions(window):
    menu = window.findChild(QMenu, "menuHelp")
    opener = action(window, "actionOpenSample")
    assert opener in menu.actions()
    return opener.menu().actions()


def test_the_sample_menu_lists_every_shipped_sample_by_a_description(window):
    titles = [a.text() for a in sample_actions(window)]
    assert len(titles) == len(samples()) >= 3
    assert len(set(titles)) == len(titles)
    assert not {s.path.name for s in samples()} & set(titles)  # every sample has a description, not its file name


@pytest.mark.parametrize("sample", samples(), ids=lambda s: s.name)
def test_each_sample_opens_as_one_undo_step(window, sample):
    opener = next(a for a in sample_actions(window) if a.statusTip() == str(sample.path))
    before = {task: window.document.points[task] for task in ("regression", "classification")}
    steps = window.document.undo_stack.index
    opener.trigger()
    table = load_sample(sample.name)
    task = window.document.task
    data = window.document.points[task].data
    assert len(data) == len(table)
    assert data.x_names == tuple(table.header[: len(data.x_names)])
    first_input, _ = table.numeric_column(data.x_names[0])
    assert np.array_equal(np.sort(data.X[:, 0]), np.sort(first_input))
    if sample.name == "xor":
        assert task == "classification" and combo(window, "modelCombo").currentData() == "logistic"
    if sample.name == "hidden_factor":
        assert data.group_name == "group" and len(set(data.groups.tolist())) == 3
    assert window.document.undo_stack.index == steps + 1
    window.document.undo()
    assert window.document.points[task] is before[task]


# --- Help → About ----------------------------------------------------------------------------------

def test_about_names_the_version_licence_and_the_libraries(window, monkeypatch):
    import pyqtgraph
    import PySide6

    about = Recorder(None)
    monkeypatch.setattr(QMessageBox, "about", staticmethod(about))
    action(window, "actionAbout").trigger()
    (parent, title, text), = about.calls
    assert parent is window and "regstudio" in title
    for expected in (f"regstudio {__version__}", "MIT", qVersion(), PySide6.__version__, pyqtgraph.__version__,
                     np.__version__):
        assert expected in text


def test_about_qt_opens_qts_own_box(window, monkeypatch):
    about_qt = Recorder(None)
    monkeypatch.setattr(QMessageBox, "aboutQt", staticmethod(about_qt))
    action(window, "actionAboutQt").trigger()
    assert len(about_qt.calls) == 1 and about_qt.calls[0][0] is window


# --- settings ----------------------------------------------------------------------------------------

def dock_sizes(window):
    return {name: window.findChild(QDockWidget, name).size() for name in ("lossDock", "settingsDock")}


def test_size_and_docks_come_back_in_the_next_window(qtbot, make_window):
    first = make_window()
    first.resize(780, 580)   # within the offscreen screen (800 × 600): restoreGeometry keeps a window on its screen
    first.resizeDocks([first.loss_dock], [300], Qt.Orientation.Vertical)
    first.resizeDocks([first.settings_dock], [400], Qt.Orientation.Horizontal)
    first.findChild(QDockWidget, "landscapeDock").show()
    qtbot.wait(50)
    left = dock_sizes(first)
    assert left != dock_sizes(make_window())  # a second window open meanwhile starts from the defaults
    close_window(first)

    second = make_window()
    assert second.size() == QSize(780, 580)
    assert dock_sizes(second) == left
    assert second.findChild(QDockWidget, "landscapeDock").isVisible()
    assert not second.findChild(QDockWidget, "validationDock").isVisible()


def test_garbage_in_the_settings_is_ignored(make_window):
    reference = make_window()  # left open: nothing saved
    store = settings()
    garbage = {"mainWindow/geometry": "not a geometry", "mainWindow/state": 42,
               "mainWindow/splitters/mainSplitter": b"\x00\xffjunk", "mainWindow/splitters/plotSplitter": [1, 2],
               "files/lastFolder": ["no", "folder"], "recentFiles": []}
    for key, value in garbage.items():
        store.setValue(key, value)
    store.sync()
    window = make_window()
    assert window.size() == reference.size()
    assert dock_sizes(window) == dock_sizes(reference)
    assert window.files.last_folder() == os.getcwd()


def test_file_dialogs_start_in_the_folder_of_the_last_chosen_file(make_window, tmp_path, monkeypatch):
    folder = tmp_path / "course"
    folder.mkdir()
    data = folder / "line.csv"
    data.write_text("x,y\n0,1\n1,3\n2,5\n", encoding="utf-8")
    patch_open_dialog(monkeypatch, data)
    action(make_window(), "actionOpenData").trigger()

    cancelled = Recorder(("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(cancelled))
    action(make_window(), "actionExportPlot").trigger()  # a new window remembers it too
    assert cancelled.calls[0][2] == str(folder / "plot.png")


# --- dark palette ------------------------------------------------------------------------------------

def luminance(rgb) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def rendered_contrast(label: QLabel) -> float:
    """The WCAG contrast of a label as drawn: its background is the commonest colour of its pixels, its
    text the pixel that stands out most (glyph stems cover whole pixels)."""
    image = label.grab().toImage()
    pixels = np.array([[image.pixelColor(x, y).getRgb()[:3] for x in range(image.width())]
                       for y in range(image.height())]).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    background = luminance(colours[counts.argmax()])
    ratios = [(max(lum, background) + 0.05) / (min(lum, background) + 0.05) for lum in map(luminance, colours)]
    return max(ratios)


@pytest.fixture(params=["light", "dark"])
def palette_window(request, make_window):
    app = QApplication.instance()
    saved = app.palette()
    app.setPalette(dark_palette() if request.param == "dark" else app.style().standardPalette())
    yield make_window()
    app.setPalette(saved)


def test_notes_around_the_plot_are_readable_in_light_and_dark_palettes(qtbot, palette_window):
    window = palette_window
    window.caption_bar.show_caption("Learning rate", "Too large a step zig-zags across the valley.")
    window.axes_label.setText("The plot shows x1 and x2; x3 is held at its training mean.")
    window.axes_label.show()
    window.status_label.setText("step 12  ·  J = 0.25")
    for error in (False, True):
        window.message_bar.show_message("Exported 12 points to points.csv.", error=error)
        qtbot.wait(20)
        for label in (window.axes_label, window.message_bar.label, window.caption_bar.label, window.status_label):
            assert rendered_contrast(label) >= 4.5, (label.objectName() or label.accessibleName(), error)
