"""What the window remembers between runs: its geometry, its docks and toolbar, presentation mode
and the folder the file dialogs last looked in.

Everything lives in one QSettings store, named explicitly (organisation and application "regstudio"),
so a window made without ``app.run`` (the tests, the screenshot script) uses the same store. A value
that is missing, from another version or simply garbage is ignored: the window keeps its defaults.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

ORGANIZATION = APPLICATION = "regstudio"
# Raised when the docks change so much that an older saved arrangement would misplace them (2: the loss
# plot and the settings became docks, the views open beside the loss plot).
LAYOUT_VERSION = 2
LAST_FOLDER_KEY = "files/lastFolder"
PRESENTATION_KEY = "view/presentation"


def settings() -> QSettings:
    """The application's settings store (recent files, window layout, last folder, UI language), in the
    default format: the tests switch every store to INI files in a folder of their own."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _bytes(value) -> QByteArray | None:
    """A stored blob as Qt's restore functions take it, or None when the value is anything else."""
    if isinstance(value, QByteArray):
        return value
    if isinstance(value, (bytes, bytearray)):
        return QByteArray(bytes(value))
    return None


def presentation_remembered() -> bool:
    """Presentation mode was on when the last window closed (anything but a true bool counts as off)."""
    value = settings().value(PRESENTATION_KEY)
    return value is True or value == "true"


def remember_presentation(on: bool) -> None:
    settings().setValue(PRESENTATION_KEY, bool(on))


def last_folder() -> str | None:
    """The folder of the last file chosen in a file dialog, if it still exists."""
    value = settings().value(LAST_FOLDER_KEY)
    return value if isinstance(value, str) and os.path.isdir(value) else None


def remember_folder(path: str) -> None:
    """Start the next file dialog where ``path`` (a chosen file) is."""
    settings().setValue(LAST_FOLDER_KEY, os.path.dirname(os.path.abspath(path)))


class WindowLayout:
    """Saves and restores a main window's geometry and its dock and toolbar state."""

    def __init__(self, window: QMainWindow, group: str = "mainWindow"):
        self.window, self.group = window, group

    def save(self) -> None:
        store = settings()
        store.beginGroup(self.group)
        store.setValue("geometry", self.window.saveGeometry())
        store.setValue("state", self.window.saveState(LAYOUT_VERSION))
        store.endGroup()

    def restore(self) -> None:
        """Apply what was saved; each part that is missing or unreadable is skipped on its own."""
        store = settings()
        store.beginGroup(self.group)
        geometry, state = _bytes(store.value("geometry")), _bytes(store.value("state"))
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        if state is not None:
            self.window.restoreState(state, LAYOUT_VERSION)
        store.endGroup()
