"""Start-up imports and builds only what the first paint needs (budget: docs/architecture.md;
measured by benchmarks/bench_gui.py --startup-only): the views in docks wait for their dock, and
pyqtgraph is imported without making every Qt class."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QWidget

# What the window does not import until a dock, a job or a menu command needs it.
LAZY_MODULES = ("superqt", "regstudio.gui.live_views", "regstudio.gui.validation_view",
                "regstudio.gui.square_error_view", "regstudio.gui.landscape_plot", "regstudio.gui.hidden_space_plot",
                "regstudio.gui.dialogs", "regstudio.core.landscape", "regstudio.core.hidden_space",
                "regstudio.core.sweeps", "regstudio.core.codegen", "regstudio.core.modelfile")

# The views' object names, by the dock that holds them.
VIEW_NAMES = {"landscape": "landscapePlot", "hidden_space": "hiddenSpacePlot", "validation": "validationPlot",
              "square_error": "ceLandscapePlot"}


def _fresh_interpreter(code: str) -> dict:
    """Run ``code`` in a new Python on the regstudio these tests import; its last line, as JSON."""
    source = os.path.dirname(os.path.dirname(__import__("regstudio").__file__))
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                       PYTHONPATH=os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env=environment, cwd=source)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_window_module_leaves_the_views_and_commands_unimported():
    found = _fresh_interpreter(
        "import json, sys\n"
        "import regstudio.gui\n"
        f"print(json.dumps([m for m in {LAZY_MODULES!r} if m in sys.modules]))")
    assert found == []


def test_pyqtgraph_finds_every_qt_name_though_the_classes_are_made_when_used():
    found = _fresh_interpreter(
        "import json\n"
        "import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets\n"
        "import regstudio.gui\n"
        "from pyqtgraph.Qt import QtCore, QtGui, QtWidgets\n"
        "out = {}\n"
        "for short, source, mirror in (('QtCore', PySide6.QtCore, QtCore), ('QtGui', PySide6.QtGui, QtGui),\n"
        "                              ('QtWidgets', PySide6.QtWidgets, QtWidgets)):\n"
        "    made = len(vars(source))\n"
        "    names = [n for n in dir(source) if not n.startswith('__')]\n"
        "    different = [n for n in names if getattr(mirror, n) is not getattr(source, n)]\n"
        "    out[short] = {'made': made, 'names': len(names), 'different': different}\n"
        "out['opengl'] = QtWidgets.QOpenGLWidget.__name__\n"
        "out['missing'] = hasattr(QtCore, 'NoSuchQtName')\n"
        "print(json.dumps(out))")
    for short in ("QtCore", "QtGui", "QtWidgets"):
        # dir() lists every name again, each pyqtgraph name is PySide6's own object, and the import
        # had made only some of them
        assert found[short]["different"] == [], short
        assert found[short]["made"] < found[short]["names"] / 2, short
    assert found["opengl"] == "QOpenGLWidget" and found["missing"] is False


def test_pyqtgraph_in_this_process_is_the_one_the_window_uses():
    assert pg.QtCore.QPointF is __import__("PySide6.QtCore").QtCore.QPointF


@pytest.mark.parametrize("dock_name", list(VIEW_NAMES))
def test_a_dock_builds_its_view_when_first_shown(window, dock_name):
    dock = window.view_docks.docks[dock_name]
    assert dock.widget() is None and window.findChild(QWidget, VIEW_NAMES[dock_name]) is None
    dock.show()
    view = window.findChild(QWidget, VIEW_NAMES[dock_name])
    assert view is not None and dock.isAncestorOf(view)
    assert dock_name in window.view_docks.views


def test_the_view_menu_opens_a_view_never_built(window):
    action = next(a for a in window.view_menu.actions() if a.objectName() == "actionLandscapeDock")
    action.trigger()
    assert window.view_docks.is_open("landscape")
    assert window.findChild(QWidget, "landscapePlot") is not None
    assert "landscape" in window.view_docks.live


def test_asking_for_a_view_builds_it_without_opening_its_dock(window):
    view = window.view_docks.view("validation")
    assert window.findChild(QWidget, "validationPlot") is view.plot
    assert not window.view_docks.is_open("validation")
