"""Fixtures for the window tests: a shown MainWindow that is always closed (its QThread stopped)."""

from __future__ import annotations

import logging
import threading

import PySide6  # noqa: F401  (pyqtgraph must pick PySide6, docs/architecture.md, pitfalls)
import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

# regstudio.gui first: it imports pyqtgraph the way the application does (gui/pyqtgraph_import.py),
# before guihelpers and the test modules import it.
from regstudio.gui import MainWindow
from regstudio.gui.i18n import install_language
from regstudio.core.runner import ProblemSpec
from guihelpers import forget_changes


def close_window(window: MainWindow) -> None:
    """Close without the unsaved-changes question and check the training thread stopped."""
    if shiboken6.isValid(window):
        thread = window.controller._thread
        forget_changes(window)
        assert window.close()
        assert thread is None or thread.isFinished()


@pytest.fixture(scope="session", autouse=True)
def english(qapp):
    """The tests read the window's English texts, whatever language this machine's LANG says."""
    install_language("en")


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path_factory):
    """Every test starts from empty settings of its own (recent files, last folder, window layout), so
    a layout one test leaves behind (a dock open, a splitter moved) never reaches the next test's window."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


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


@pytest.fixture(autouse=True)
def fail_on_training_errors(request):
    """A failure in the training process is logged by the run controller (and shown in the window);
    a test fails on one unless it is marked ``training_errors_expected``."""
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.ERROR)
    logger = logging.getLogger("regstudio")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
    if records and request.node.get_closest_marker("training_errors_expected") is None:
        pytest.fail("training failed:\n" + "\n".join(r.getMessage() for r in records))


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch):
    """A modal message box would block the test run; one that a test does not patch itself fails it
    (a question included: an unexpected one would wait for an answer forever)."""
    def unexpected(parent, title, text, *args, **kwargs):
        raise AssertionError(f"unexpected dialog {title!r}: {text}")

    for name in ("critical", "information", "warning", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(unexpected))


@pytest.fixture
def hold_prepare(monkeypatch):
    """``hold_prepare()`` holds every problem prepared on the training thread from then on, until the
    event it returns is set (at teardown at the latest): until then the runner cannot answer a
    change of problem."""
    release = threading.Event()
    prepare = ProblemSpec.prepare

    def held(self):
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(10), "the test never released the runner"
        return prepare(self)

    def hold() -> threading.Event:
        monkeypatch.setattr(ProblemSpec, "prepare", held)
        return release

    yield hold
    release.set()
