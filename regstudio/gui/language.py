"""View → Language (``menuLanguage``): switch the window between English and Chinese.

Qt translates a text when it is set, so a switch rebuilds the window in the new language: the
session (points, settings, trained parameters and loss history, view options), its file, whether
it has unsaved changes, the geometry and the docks carry over. The undo history and pinned curves
start afresh. The choice is remembered (``ui/language``) for the next start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from .i18n import LANGUAGES, current_language, install_language, remember_language

if TYPE_CHECKING:
    from .main_window import MainWindow

# Windows made by a switch: nothing else holds them (the first one is held by app.run).
_windows: list = []


def switch_language(window: MainWindow, language: str) -> MainWindow:
    """Install ``language``, remember it, and replace ``window`` by a new one on the same document
    (points, settings, undo steps, pins, lesson, file) in that language, its run going on from the
    same parameters; returns the new window."""
    from .main_window import MainWindow  # the window module imports this one

    remember_language(language)
    if language == current_language():
        return window
    session = window.files.session_state()
    window.document.keep_run(session.theta, session.step, session.history, session.timeline)
    window.layout_settings.save()
    install_language(language)
    replacement = MainWindow(window.document)
    replacement.show()
    window.hand_over()
    window.close()
    _windows[:] = [w for w in _windows if w is not window]
    _windows.append(replacement)
    return replacement


class LanguageMenu(QObject):
    """The View → Language submenu of ``window``: one checkable action per language, each named in
    its own language (``actionLanguage_en``, ``actionLanguage_zh_CN``)."""

    def __init__(self, window: MainWindow, parent=None):
        super().__init__(parent)
        self.window = window

    def build_menu(self, view_menu: QMenu) -> QMenu:
        menu = view_menu.addMenu(self.tr("Language"))
        menu.setObjectName("menuLanguage")
        group = QActionGroup(menu)
        for code, name in LANGUAGES.items():
            action = QAction(name, menu)
            action.setObjectName(f"actionLanguage_{code}")
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _checked=False, c=code: self._on_language_triggered(c))
            group.addAction(action)
            menu.addAction(action)
        return menu

    def _on_language_triggered(self, language: str) -> None:
        switch_language(self.window, language)
