"""Import pyqtgraph without making every Qt class at start-up.

PySide6 makes a class's Python type (with its enums) the first time the class is used.  pyqtgraph's
``pyqtgraph.Qt`` mirrors QtCore, QtGui and QtWidgets in modules of its own by copying every name in
``dir()`` of each, which makes all of them at once: over a thousand classes, 80–100 ms of a
0.6 s start-up budget, for classes the window mostly never uses.

:func:`import_pyqtgraph` imports pyqtgraph while the three modules' ``dir()`` lists only the names
made so far, and gives pyqtgraph's mirror of each a module ``__getattr__`` (PEP 562) that takes any
other name from PySide6 when it is first asked for and keeps it: ``pg.QtCore.QPointF`` is the same
object as before, made when first used, and found in the mirror's own namespace after that.

It changes nothing if pyqtgraph is already imported, or if PySide6 or pyqtgraph do not work the way
it expects (then pyqtgraph is imported as usual).
"""

from __future__ import annotations

import sys
from functools import partial
from types import ModuleType

import PySide6.QtCore
import PySide6.QtGui
import PySide6.QtWidgets

MIRRORED = (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets)


def _mirror_of(module: ModuleType) -> ModuleType | None:
    """pyqtgraph's copy of ``module`` (``pyqtgraph.Qt.QtCore`` for ``PySide6.QtCore``), if made yet."""
    return sys.modules.get("pyqtgraph.Qt." + module.__name__.rpartition(".")[2])


def _take_from(module: ModuleType, mirror: ModuleType, name: str):
    """The mirror's ``__getattr__``: ``module``'s attribute ``name``, kept in the mirror."""
    value = getattr(module, name)   # AttributeError as PySide6 raises it
    setattr(mirror, name, value)
    return value


def _names_made(module: ModuleType, full_dir) -> list[str]:
    """``dir(module)`` while pyqtgraph is imported.  When its mirror exists, pyqtgraph is about to
    copy the names: the mirror gets its ``__getattr__`` and the copy only the names made so far."""
    mirror = _mirror_of(module)
    if mirror is None:
        return full_dir()
    if "__getattr__" not in vars(mirror):
        mirror.__getattr__ = partial(_take_from, module, mirror)  # type: ignore[method-assign]
    return list(vars(module))


def import_pyqtgraph() -> None:
    if "pyqtgraph" in sys.modules:
        return
    originals = {module: vars(module).get("__dir__") for module in MIRRORED}
    if not all(callable(function) for function in originals.values()):
        import pyqtgraph  # noqa: F401  (a PySide6 without lazy classes: nothing to gain)
        return
    for module, full_dir in originals.items():
        module.__dir__ = partial(_names_made, module, full_dir)  # type: ignore[method-assign]
    try:
        import pyqtgraph  # noqa: F401
    except Exception:
        # Not as expected: forget what was imported and import it as usual (raising what it raises).
        _restore(originals)
        for name in [name for name in sys.modules if name == "pyqtgraph" or name.startswith("pyqtgraph.")]:
            del sys.modules[name]
        import pyqtgraph  # noqa: F401, F811
    finally:
        _restore(originals)


def _restore(originals) -> None:
    for module, full_dir in originals.items():
        module.__dir__ = full_dir
