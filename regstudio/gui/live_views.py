"""The live views in docks: each pairs a core request with the widget that draws its result."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..core.document import Change, Document
from ..core.hidden_space import HiddenSpaceRequest, has_hidden_space
from ..core.landscape import (Landscape, LandscapeRequest, covering_range, default_pair, default_ranges,
                              distance_to_optimum, exact_optimum, parameter_labels)
from ..core.landscape_view import LandscapeViewRequest
from ..core.training import Problem
from .hidden_space_plot import HiddenSpacePlot
from .i18n import localized
from .landscape_plot import LandscapePlot
from .panels import named
from .readouts import number
from .style import CLASS_SYMBOLS, class_colors, color_index
from .document_events import DocumentEvents
from .view_docks import LiveView

if TYPE_CHECKING:
    from .main_window import MainWindow


HIDDEN_SPACE_POINTS = 1000   # points drawn in the hidden space (moving every frame, so not cached)


class HiddenSpaceView(LiveView):
    """The points as the output unit sees them: the cascade's hidden outputs, or the distances of
    the notes' hand-made transformation, with the output unit's boundary (a line there)."""

    name = "hidden_space"

    def __init__(self):
        self.plot = HiddenSpacePlot()
        super().__init__(self.plot)
        self._drawn = None

    def request(self, problem, config):
        return HiddenSpaceRequest(max_points=HIDDEN_SPACE_POINTS) if has_hidden_space(problem) else None

    def show(self, problem, frame, result) -> None:
        if result is self._drawn:
            return
        self._drawn = result
        classes = problem.classes or ()
        self.plot.show_hidden_space(result, class_colors(classes),
                                    [CLASS_SYMBOLS[color_index(c, classes)] for c in classes])

    def reset(self, problem) -> None:
        self._drawn = None
        self.plot.show_hidden_space(None, ())


def docked_hidden_space(window: MainWindow) -> HiddenSpaceView:
    return HiddenSpaceView()


MAX_PATH_POINTS = 4000


def _thinned_path(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """At most about MAX_PATH_POINTS: an hour at 30 frames a second would be 10⁵ points redrawn every
    frame, so the older part is halved, the newest points (where the eye is) kept as they came."""
    keep = MAX_PATH_POINTS // 2
    while len(xs) > MAX_PATH_POINTS:
        xs, ys = xs[:-keep:2] + xs[-keep:], ys[:-keep:2] + ys[-keep:]
    return xs, ys


# A path that leaves the map widens it to hold the path, up to this many times the bowl's span (a
# diverging path grows geometrically: past this the bowl would shrink to a dot).
MAX_ZOOM_OUT = 16


class LandscapeView(LiveView):
    """J over two parameters the user picks (the rest at their current values), the optimizer's path
    through them, the exact optimum and the distance to it.  A click on the map chooses the start
    point (the document's selection; the run restarts from it, and Reset goes back to it).
    The ranges are set at the run's first frame (covering the start and θ*) and stay
    put while the path moves, so a too-large learning rate visibly leaves the bowl."""

    name = "landscape"

    def __init__(self, document: Document, events: DocumentEvents):
        self.document = document
        self.plot = LandscapePlot()
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(2, 2, 2, 2)
        row = QHBoxLayout()
        self.x_combo = named(QComboBox(), "landscapeXCombo",
                             QCoreApplication.translate("LandscapeView", "Landscape x parameter"))
        self.y_combo = named(QComboBox(), "landscapeYCombo",
                             QCoreApplication.translate("LandscapeView", "Landscape y parameter"))
        self.distance_label = QLabel()
        self.distance_label.setObjectName("landscapeDistanceLabel")
        for label, combo in (("x", self.x_combo), ("y", self.y_combo)):
            row.addWidget(QLabel(label))
            row.addWidget(combo, 1)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.distance_label)
        super().__init__(widget)
        self._problem: Problem | None = None
        self._pair: tuple[int, int] | None = None
        self._ranges = None
        self._bowl = None     # the ranges the run started with; following the path widens them
        self._optimum: np.ndarray | None = None
        self._optimum_l2: float | None = None
        self._path_x: list[float] = []
        self._path_y: list[float] = []
        self._last_step = -1
        self._theta: np.ndarray | None = None
        self._drawn: Landscape | None = None
        self.x_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.y_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.plot.startRequested.connect(self._on_plot_start_requested)
        events.changed.connect(self._on_document_changed)

    def request(self, problem: Problem | None, config):
        if problem is None or self._pair is None or self._ranges is None or problem is not self._problem:
            return None
        i, j = self._pair
        return LandscapeViewRequest(LandscapeRequest(i, j, *self._ranges), problem.model.n_params)

    def reset(self, problem) -> None:
        labels = [] if problem is None else parameter_labels(problem)
        same_parameters = self._problem is not None and labels == parameter_labels(self._problem)
        shown = [localized(label) for label in labels]
        if problem is not None and not same_parameters:
            self._pair = self._chosen_pair(problem)
            for combo, index in ((self.x_combo, self._pair[0]), (self.y_combo, self._pair[1])):
                combo.blockSignals(True)
                combo.clear()
                combo.addItems(shown)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
        self._problem = problem
        self.plot.set_parameter_labels(shown)
        self._optimum, self._optimum_l2 = None, None
        # The same parameters (a reset, a click on the map, edited points) keep the axes where they
        # are, unless the new start lies outside them.
        self._restart_path(keep_ranges=same_parameters)

    def _restart_path(self, keep_ranges: bool = False) -> None:
        if not keep_ranges:
            self._ranges = None
        elif self._bowl is not None:
            self._ranges = self._bowl   # a new run starts on the bowl again, not on the last run's escape
        self._path_x, self._path_y = [], []
        self._last_step = -1
        self._drawn = None
        self.plot.show_landscape(None)
        self.plot.set_path([], [])
        self.plot.set_current(None)
        self.plot.set_exit(None)

    def show(self, problem, frame, result) -> None:
        if problem is None or self._pair is None or not frame.snapshot.params:
            return
        theta = problem.model.pack(frame.snapshot.params)
        self._theta = theta
        i, j = self._pair
        if self._optimum_l2 != frame.l2:
            self._optimum, self._optimum_l2 = exact_optimum(problem, frame.l2), frame.l2
        if self._ranges is not None and not self._path_x and not _inside(theta[i], theta[j], self._ranges):
            self._ranges = None
        if self._ranges is None:
            self._ranges = self._bowl = _bowl_ranges(theta, i, j, self._optimum)
            self.requests_changed()
        step = frame.snapshot.step
        timeline = frame.timeline
        if frame.shown is not None and timeline is not None:
            # A past step on the rewind timeline: the path as it was then, from the kept steps; the
            # live path stays as it is for the newest step.
            path = timeline.path((i, j), step)
            self._draw(problem, frame, result, theta, path[:, 0].tolist(), path[:, 1].tolist())
            return
        if step < self._last_step:
            # A new branch from a past step: its path so far is the timeline's.
            path = timeline.path((i, j), step) if timeline is not None else np.empty((0, 2))
            self._path_x, self._path_y = path[:, 0].tolist(), path[:, 1].tolist()
            self._last_step = step
        if step != self._last_step:
            self._path_x.append(float(theta[i]))
            self._path_y.append(float(theta[j]))
            self._last_step = step
            self._path_x, self._path_y = _thinned_path(self._path_x, self._path_y)
        self._draw(problem, frame, result, theta, self._path_x, self._path_y)

    def _draw(self, problem, frame, result, theta, path_x: list[float], path_y: list[float]) -> None:
        assert self._pair is not None   # show() draws only with a pair chosen
        i, j = self._pair
        self._follow_path(theta[i], theta[j])
        if isinstance(result, Landscape) and result is not self._drawn and (result.i, result.j) == (i, j):
            self.plot.show_landscape(result)
            self._drawn = result
        self.plot.set_path(*_thinned_path(path_x, path_y))
        self.plot.set_current(float(theta[i]), float(theta[j]))
        optimum = self._optimum
        self.plot.set_optimum(None if optimum is None else (float(optimum[i]), float(optimum[j])))
        distance = distance_to_optimum(theta, optimum)
        lines = [] if distance is None else [QCoreApplication.translate(
            "LandscapeView", "distance to the exact optimum ‖θ − θ*‖ = {distance}").format(distance=number(distance))]
        drawn = self._drawn
        if drawn is not None and drawn.sampled:
            template = QCoreApplication.translate(
                "LandscapeView", "J on an even sample of {used:,} of the {total:,} training rows (a large data set)")
            lines.append(template.format(used=drawn.rows_used, total=drawn.rows_total))
        self.distance_label.setText("\n".join(lines))

    def _follow_path(self, x: float, y: float) -> None:
        """When the path leaves the map, widen the ranges to hold the whole path and the optimum
        (a zig-zag is seen as one, not as streaks off the edge), up to MAX_ZOOM_OUT × the bowl's
        span; beyond that an arrow on the edge shows where the path went."""
        ranges, bowl = self._ranges, self._bowl
        if ranges is None or bowl is None or not (math.isfinite(x) and math.isfinite(y)) or _inside(x, y, ranges):
            self.plot.set_exit(None)
            return
        optimum = self._optimum
        wider = []
        for values, (lo, hi), k in ((self._path_x, bowl[0], 0), (self._path_y, bowl[1], 1)):
            finite = [v for v in values if math.isfinite(v)]
            if optimum is not None:
                finite.append(float(optimum[self._pair[k]]))
            centre, half = (lo + hi) / 2, (hi - lo) / 2 * MAX_ZOOM_OUT
            # Wider than needed (margin ½): a diverging path leaves again at once, each step farther.
            low, high = covering_range(finite, 0.5)
            wider.append((max(low, centre - half), min(high, centre + half)))
        if not all(_contains(outer, inner) for outer, inner in zip(ranges, wider)):
            self._ranges = tuple((min(a[0], b[0]), max(a[1], b[1])) for a, b in zip(ranges, wider))
            self.requests_changed()
        ranges = self._ranges
        if _inside(x, y, ranges):
            self.plot.set_exit(None)
            return
        (x0, x1), (y0, y1) = ranges
        self.plot.set_exit((min(max(x, x0), x1), min(max(y, y0), y1)), (x - (x0 + x1) / 2, y - (y0 + y1) / 2))

    def _chosen_pair(self, problem: Problem) -> tuple[int, int]:
        """The pair the student chose (kept in the document), if this problem has it, else the default."""
        pair = self.document.selections.landscape_pair
        if pair is not None and max(pair) < problem.model.n_params:
            return pair
        return default_pair(problem)

    def _on_combo_changed(self, _index: int) -> None:
        i, j = self.x_combo.currentIndex(), self.y_combo.currentIndex()
        if i < 0 or j < 0 or i == j:
            return
        self.document.select(landscape_pair=(i, j))

    def _on_document_changed(self, change: Change) -> None:
        if "landscape_pair" not in change.selections or self._problem is None:
            return
        pair = self._chosen_pair(self._problem)
        if pair != self._pair:
            self._pair = pair
            for combo, index in ((self.x_combo, pair[0]), (self.y_combo, pair[1])):
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
            self._restart_path()
            self.requests_changed()

    def _on_plot_start_requested(self, x: float, y: float) -> None:
        if self._theta is None or self._pair is None:
            return
        start = self._theta.copy()
        start[self._pair[0]], start[self._pair[1]] = x, y
        self.document.select(start=tuple(float(v) for v in start))   # the presenter starts a run from it


def docked_landscape(window: MainWindow) -> LandscapeView:
    return LandscapeView(window.document, window.events)


def _contains(outer: tuple[float, float], inner: tuple[float, float]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _inside(x: float, y: float, ranges) -> bool:
    (x0, x1), (y0, y1) = ranges
    return x0 <= x <= x1 and y0 <= y <= y1


def _bowl_ranges(theta: np.ndarray, i: int, j: int, optimum: np.ndarray | None):
    """Ranges centred on the optimum that hold the start and its mirror image through the optimum:
    a learning rate just too large first jumps about that far to the other side, so its first
    zig-zags stay in view before the path leaves the bowl."""
    if optimum is None:
        return default_ranges(theta, i, j)
    mirror = 2 * optimum - theta
    return tuple(covering_range([theta[k], optimum[k], mirror[k]], 0.15) for k in (i, j))
