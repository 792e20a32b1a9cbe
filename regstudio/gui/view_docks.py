"""The views besides the data and loss plots, each in a dock of its own (View menu).

A live view is a pure core computation plus a widget: while its dock is open, the view's request
goes to the training thread, which computes it with every plot geometry (within the same share of
its time) and sends the result in the frame, so it always belongs to the frame's parameters.  A
closed view costs nothing.

Every view is registered in :data:`DOCKED_VIEWS` by name, title and maker (``module:function``, the
function taking the window and returning the view wired to it).  Adding a view is one line there and
the view's own module: nothing else in the window names it.

A dock is made with the window (the View menu holds its toggle action and the window's saved layout
places it), but its view is built the first time the dock is shown (``show()``, the View menu, a
lesson, a restored layout) or asked for (:meth:`ViewDocks.view`): the views' plots and their modules
cost about a tenth of a second that the window's first paint does not need.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from ..core.document import Change, Document
from .document_events import DocumentEvents
from .i18n import QT_TRANSLATE_NOOP
from .run_controller import RunController

if TYPE_CHECKING:
    from .main_window import MainWindow


@dataclass(frozen=True)
class DockedView:
    """A view in a dock: ``name`` (its dock is ``{name}Dock``; a lesson names it), ``title`` (English,
    translated in the "ViewDocks" context), and ``maker``, "module:function": the function takes the
    window and returns the view (a widget, or a :class:`LiveView`) wired to it.  The module is
    imported when the dock is first shown.  A view may have ``start(option)`` (a lesson's
    "validation:degree" calls ``start("degree")``) and ``shutdown()`` (called as the window closes)."""

    name: str
    title: str
    maker: str


DOCKED_VIEWS = (
    DockedView("landscape", QT_TRANSLATE_NOOP("ViewDocks", "Loss landscape"),
               "regstudio.gui.live_views:docked_landscape"),
    DockedView("hidden_space", QT_TRANSLATE_NOOP("ViewDocks", "Hidden space"),
               "regstudio.gui.live_views:docked_hidden_space"),
    DockedView("validation", QT_TRANSLATE_NOOP("ViewDocks", "Validation curves"),
               "regstudio.gui.validation_view:docked"),
    DockedView("square_error", QT_TRANSLATE_NOOP("ViewDocks", "Square error vs cross-entropy"),
               "regstudio.gui.square_error_view:docked"),
)


class LiveView:
    """One view: ``name`` (its key in a frame's extras) and a widget; subclasses say what to ask the
    training thread for (``request``) and draw what comes back (``show``).  The window gives its
    dock a title when it adds it (:meth:`ViewDocks.add`)."""

    name = ""

    def __init__(self, widget: QWidget):
        self.widget = widget
        self.requests_changed: Callable[[], None] = lambda: None  # set by the docks

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def request(self, problem, config):
        """The core request to compute with each geometry for ``problem``, or None (nothing to show)."""
        return None

    def show(self, problem, frame, result) -> None:
        """Draw ``result``, computed from ``frame``'s parameters on ``problem``."""

    def reset(self, problem) -> None:
        """A new run or problem: forget what belonged to the previous one."""


# While training plays, each live view redraws at most this often, and at most one of them per frame
# (the data and loss plots keep the full frame rate): with every view open, drawing them all on every
# frame stalled the window 40–70 ms, and both on the same frame 25 ms.
VIEWS_PER_SECOND = 15
MAX_WAIT = 0.25   # seconds a view waits at most for a frame without new plot geometry
VIEW_HEIGHT = 0.24   # of the window's height, for a view a lesson opens (and the loss plot beside it)


class _Dock(QDockWidget):
    """A dock that builds its view just before it is first shown (``setVisible`` is what ``show()``,
    the toggle action and ``QMainWindow.restoreState`` call)."""

    def __init__(self, title: str, parent: QWidget, build: Callable[[], None]):
        super().__init__(title, parent)
        self._build: Callable[[], None] | None = build

    def build(self) -> None:
        if self._build is not None:
            build, self._build = self._build, None
            build()

    def setVisible(self, visible: bool) -> None:
        if visible:
            self.build()
        super().setVisible(visible)


class ViewDocks(QObject):
    """Docks for the live views and for views that run on their own (validation curves).

    Each view is built by a function given to :meth:`add`, when its dock is first shown or the view
    is first asked for; ``views`` holds those built so far (widgets, or :class:`LiveView`), ``live``
    the live views among them."""

    def __init__(self, window: QMainWindow, document: Document, events: DocumentEvents, controller: RunController,
                 parent=None, beside: QDockWidget | None = None):
        """Docks for ``add``; :meth:`add_registered` adds those of :data:`DOCKED_VIEWS`.  The views open
        to the right of ``beside`` (the loss plot's dock), tabbed together, so the data plot above
        keeps its height."""
        super().__init__(parent)
        self.window, self.document, self.controller = window, document, controller
        self.beside = beside
        self.view_height = VIEW_HEIGHT   # of the window's height, for a view a lesson opens
        self.docks: dict[str, QDockWidget] = {}
        self.views: dict[str, QWidget | LiveView] = {}
        self.live: dict[str, LiveView] = {}
        self._makers: dict[str, Callable[[], QWidget | LiveView]] = {}
        self._problem = None
        self._run_id = None
        self._last_drawn: dict[str, float] = {}
        self._last_geometry = None
        controller.frameArrived.connect(self._on_controller_frame_arrived)
        events.changed.connect(self._on_document_changed)

    def add(self, name: str, title: str, make: Callable[[], QWidget | LiveView],
            area=Qt.DockWidgetArea.BottomDockWidgetArea) -> QDockWidget:
        """A hidden dock ``{name}Dock`` titled ``title`` (translated) for the view ``make()`` returns,
        called when the dock is first shown: a widget, or a :class:`LiveView` (its ``widget`` goes in
        the dock)."""
        dock = _Dock(title, self.window, lambda: self._build(name))
        dock.setObjectName(f"{name}Dock")
        dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        self.window.addDockWidget(area, dock)
        # One strip of tabs beside the loss plot: a lesson's view opens in front, the others a click away.
        first = next(iter(self.docks.values()), None)
        if first is not None:
            self.window.tabifyDockWidget(first, dock)
        elif self.beside is not None:
            self.window.splitDockWidget(self.beside, dock, Qt.Orientation.Horizontal)
        dock.hide()
        dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        self.docks[name] = dock
        self._makers[name] = make
        return dock

    def add_registered(self, window: MainWindow) -> None:
        """A dock for each view in :data:`DOCKED_VIEWS`, its view made by its maker from ``window``."""
        for docked in DOCKED_VIEWS:
            self.add(docked.name, self.tr(docked.title), partial(_make, docked, window))

    def start(self, name: str, option: str) -> None:
        """Open view ``name``'s dock and start what ``option`` names (e.g. a sweep)."""
        self.view(name).start(option)  # type: ignore[union-attr]

    def shutdown(self) -> None:
        """Stop the built views' own threads (the window closes)."""
        for view in self.views.values():
            stop = getattr(view, "shutdown", None)
            if stop is not None:
                stop()

    def view(self, name: str) -> QWidget | LiveView:
        """The view in dock ``name``, built now (its dock left as it is) if it was not yet."""
        dock = self.docks[name]
        if isinstance(dock, _Dock):
            dock.build()
        return self.views[name]

    def _build(self, name: str) -> None:
        view = self._makers.pop(name)()
        self.views[name] = view
        if isinstance(view, LiveView):
            self.docks[name].setWidget(view.widget)
            self.live[name] = view
            view.requests_changed = self.update_requests
            if self._run_id is not None:
                view.reset(self._problem)   # as every live view was at the newest frame's problem
        else:
            self.docks[name].setWidget(view)

    def is_open(self, name: str) -> bool:
        return not self.docks[name].isHidden()

    def show_only(self, names) -> None:
        """Open the docks named (a lesson's views) and close the others."""
        wanted = [name for name in names if name in self.docks]
        for name, dock in self.docks.items():
            dock.setVisible(name in wanted)
        if wanted:
            front = self.docks[wanted[0]]
            front.raise_()
            # Three fifths of the width under the data plot (the lesson's view is what the lesson is
            # about: at half, the square-error panel's three plots were 150 px wide), and VIEW_HEIGHT
            # of the window's height: the data plot keeps at least 45 % on a 1280 × 720 projector.
            if self.beside is not None and not front.isFloating():
                self.window.resizeDocks([self.beside, front], [2, 3], Qt.Orientation.Horizontal)
            self._fit_height(front)
        self.update_requests()

    def set_view_height(self, share: float) -> None:
        """The loss plot and the views take ``share`` of the window's height from now on, and now."""
        self.view_height = share
        if self.beside is not None:
            self._fit_height(self.beside)

    def _fit_height(self, dock: QDockWidget) -> None:
        self.window.resizeDocks([dock], [int(self.window.height() * self.view_height)], Qt.Orientation.Vertical)

    def update_requests(self) -> None:
        """Tell the training thread which live views to compute, for the current problem."""
        problem, config = self.controller.problem, self.document.config
        requests = []
        for name, view in self.live.items():
            if self.is_open(name) and problem is not None:
                request = view.request(problem, config)
                if request is not None:
                    requests.append(request)
        self.controller.set_extra_views(tuple(requests))

    def _on_dock_visibility_changed(self, visible: bool) -> None:
        self.update_requests()
        pair = self.controller.consistent()
        if visible and pair is not None:
            # A view opened while paused draws from the newest frame (and asks for its own results)
            # rather than wait for a step.
            self._on_controller_frame_arrived(pair[1])

    def _on_document_changed(self, change: Change) -> None:
        if change.config:
            self.update_requests()

    def _on_controller_frame_arrived(self, frame) -> None:
        problem = frame.problem
        if problem is not self._problem or frame.run_id != self._run_id:
            self._problem, self._run_id = problem, frame.run_id
            for view in self.live.values():
                view.reset(problem)
            self.update_requests()
        extras = frame.extras or {}
        now = time.perf_counter()
        due = [name for name in self.live if self.is_open(name)]
        new_geometry = frame.geometry is not self._last_geometry
        self._last_geometry = frame.geometry
        if frame.playing and new_geometry and any(now - self._last_drawn.get(name, 0.0) < MAX_WAIT for name in due):
            # The data plot repaints on this frame: leave the views to a frame of their own, so the
            # two costs do not add up in one pass of the event loop (unless a view waited too long).
            return
        if frame.playing:
            # the view that waited longest, if it waited long enough
            due = sorted((name for name in due if now - self._last_drawn.get(name, 0.0) >= 1 / VIEWS_PER_SECOND),
                         key=lambda name: self._last_drawn.get(name, 0.0))[:1]
        for name in due:
            result = extras.get(name)
            self.live[name].show(problem, frame, result)
            self._last_drawn[name] = now


def _make(docked: DockedView, window: MainWindow) -> QWidget | LiveView:
    module, _, function = docked.maker.partition(":")
    return getattr(importlib.import_module(module), function)(window)
