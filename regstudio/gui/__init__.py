"""The window.  PySide6 is imported before pyqtgraph so that pyqtgraph binds to it, not to PyQt."""

import PySide6.QtCore  # noqa: F401  (must precede pyqtgraph)

from .main_window import MainWindow

__all__ = ["MainWindow"]
