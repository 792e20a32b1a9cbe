"""Desktop integration in the window: the icon and the Help menu (``menuHelp``).

Help holds *Open sample data* (``actionOpenSample``: the samples shipped in ``regstudio.resources``,
each opened exactly as *Open data…* opens a CSV, so one undo step), *About regstudio*
(``actionAbout``) and *About Qt*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import platform
from functools import cache

import numpy
import pyqtgraph
import PySide6
from PySide6.QtCore import QObject, qVersion
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QMenuBar, QMessageBox

from .. import __version__
from ..desktop import ICON_SIZES, Sample, icon_path, samples

if TYPE_CHECKING:
    from .main_window import MainWindow


@cache
def application_icon() -> QIcon:
    """The regstudio icon at every rendered size (PNG: no SVG support needed to show it)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_path(size)))
    return icon


def _camel(name: str) -> str:
    """``hidden_factor`` → ``HiddenFactor`` (object names of the sample actions)."""
    return "".join(part.capitalize() for part in name.split("_"))


class HelpMenu(QObject):
    """Builds the Help menu of ``window``, which must have ``files`` (``FileActions``)."""

    def __init__(self, window: MainWindow, parent=None):
        super().__init__(parent)
        self.window = window

    def sample_title(self, sample: Sample) -> str:
        """What the menu calls a sample: a short translated description, else the file's name."""
        titles = {
            "cubic": self.tr("Cubic curve: choose a polynomial degree, see overfitting"),
            "hidden_factor": self.tr("Three species: one line for each group"),
            "xor": self.tr("XOR: two classes that no single line separates"),
        }
        return titles.get(sample.name, sample.path.name)

    def build_menu(self, menubar: QMenuBar) -> QMenu:
        menu = menubar.addMenu(self.tr("&Help"))
        menu.setObjectName("menuHelp")
        sample_menu = menu.addMenu(self.tr("Open sample data"))
        sample_menu.setObjectName("menuSamples")
        sample_menu.menuAction().setObjectName("actionOpenSample")
        for sample in samples():
            action = QAction(self.sample_title(sample), self.window)
            action.setObjectName(f"sample{_camel(sample.name)}")
            action.setStatusTip(str(sample.path))
            action.setToolTip(str(sample.path))
            action.triggered.connect(lambda _=False, s=sample: self.open_sample(s))
            sample_menu.addAction(action)
        menu.addSeparator()
        about = QAction(self.tr("About regstudio"), self.window)
        about.setObjectName("actionAbout")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._on_about_triggered)
        about_qt = QAction(self.tr("About Qt"), self.window)
        about_qt.setObjectName("actionAboutQt")
        about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)
        about_qt.triggered.connect(self._on_about_qt_triggered)
        menu.addActions([about, about_qt])
        return menu

    def open_sample(self, sample: Sample) -> bool:
        """Open ``sample`` as the File menu opens a CSV."""
        return self.window.files.open_data(str(sample.path))

    def about_text(self) -> str:
        """The About box's rich text: what regstudio is, its licence, where to read more, the versions."""
        paragraphs = [
            self.tr("Learn regression and classification by watching gradient descent train, live."),
            self.tr("Free software under the MIT licence."),
            self.tr("The README that comes with regstudio explains the window, the lessons, the command "
                    "line, the data files and the mathematics of every model. Help → Open sample data "
                    "opens the data sets used there; <tt>regstudio samples</tt> prints where they are."),
            self.tr("Qt {qt}, PySide6 {pyside}, pyqtgraph {pyqtgraph}, numpy {numpy}, Python {python}").format(
                qt=qVersion(), pyside=PySide6.__version__, pyqtgraph=pyqtgraph.__version__,
                numpy=numpy.__version__, python=platform.python_version()),
        ]
        return f"<h3>regstudio {__version__}</h3>" + "".join(f"<p>{p}</p>" for p in paragraphs)

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self.window, self.tr("About regstudio"), self.about_text())

    def _on_about_qt_triggered(self) -> None:
        QMessageBox.aboutQt(self.window, self.tr("About Qt"))
