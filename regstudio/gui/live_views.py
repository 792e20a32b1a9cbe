"""The live views in docks: each pairs a core request with the widget that draws its result."""

from __future__ import annotations

from ..core.hidden_space import HiddenSpaceRequest, has_hidden_space
from .hidden_space_plot import HiddenSpacePlot
from .style import CLASS_SYMBOLS, class_colors, color_index
from .view_docks import LiveView


class HiddenSpaceView(LiveView):
    """The points as the output unit sees them: the cascade's hidden outputs, or the distances of
    the notes' hand-made transformation, with the output unit's boundary (a line there)."""

    name, title = "hidden_space", "Hidden space"

    def __init__(self):
        super().__init__(HiddenSpacePlot())
        self._drawn = None

    def request(self, problem, config):
        return HiddenSpaceRequest() if has_hidden_space(problem) else None

    def show(self, problem, frame, result) -> None:
        if result is self._drawn:
            return
        self._drawn = result
        classes = problem.classes or ()
        self.widget.show_hidden_space(result, class_colors(classes),
                                      [CLASS_SYMBOLS[color_index(c, classes)] for c in classes])

    def reset(self, problem) -> None:
        self._drawn = None
        self.widget.show_hidden_space(None, ())
