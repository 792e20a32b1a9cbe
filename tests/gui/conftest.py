"""Fixtures for the window tests: a shown MainWindow that is always closed (its QThread stopped)."""

from __future__ import annotations

import PySide6  # noqa: F401  (pyqtgraph must pick PySide6, DESIGN §7)
import pytest
import shiboken6
from guihelpers import forget_changes

from regstudio.gui import MainWindow


def close_window(window: MainWindow) -> None:
    """Close without the unsaved-changes question and check the training thread stopped."""
    thread = window.thread
    if shiboken6.isValid(window):
        forget_changes(window)
        assert window.close()
    assert not thread.isRunning()


@pytest.fixture
def make_window(qtbot):
    """Factory for shown windows; every window made is closed at teardown."""
    windows = []

    def make() -> MainWindow:
        window = MainWindow()
        # Not qtbot.addWidget: the window deletes itself when closed (WA_DeleteOnClose), and pytest-qt
        # would close a closed window's dead wrapper again; this fixture closes what is still open.
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        close_window(window)


@pytest.fixture
def window(make_window):
    return make_window()
