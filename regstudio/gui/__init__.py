"""The window.  PySide6 is imported before pyqtgraph so that pyqtgraph binds to it, not to PyQt."""

import os

# Qt's own event loop rather than GLib's, for the application this process creates: GLib's emits
# QAbstractEventDispatcher.awake and aboutToBlock back to back around each wait, so the training
# thread's gate (gui/run_controller.py) never saw the window busy and a 20-point linear run froze
# the window for seconds; Qt's emits them around the wait itself.
os.environ.setdefault("QT_NO_GLIB", "1")

import PySide6.QtCore  # noqa: E402, F401  (must precede pyqtgraph)

from .pyqtgraph_import import import_pyqtgraph  # noqa: E402

import_pyqtgraph()  # before any module of the window imports it: without making every Qt class

from .main_window import MainWindow  # noqa: E402

__all__ = ["MainWindow"]
