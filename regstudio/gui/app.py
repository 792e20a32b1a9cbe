"""``regstudio [FILE]``: show the window, optionally opening a CSV or a saved session."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from .main_window import MainWindow


def run(path: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("regstudio")
    app.setOrganizationName("regstudio")
    window = MainWindow()
    window.show()
    if path:
        window.open_file(path)
        window.mark_unmodified()
    return app.exec()
