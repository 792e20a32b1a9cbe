"""``regstudio [FILE]``: show the window, optionally opening a CSV or a saved session."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from .desktop import application_icon
from .main_window import MainWindow
from .window_settings import APPLICATION, ORGANIZATION


def run(path: str | None = None) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setWindowIcon(application_icon())
    app.setDesktopFileName("regstudio")  # Wayland matches the window to regstudio.desktop by this name
    window = MainWindow()
    window.show()
    if path:
        window.open_file(path)
        window.mark_unmodified()
    return app.exec()
