"""Square error against cross-entropy for logistic regression, side by side (the notes' argument).

Both losses are minimised by gradient descent from the same confidently wrong start: the two loss
surfaces over (w, b) with each path, and the gradient norm along each.  Square error's surface is
flat far from the target (σ saturates, so its gradient vanishes) and its path barely moves;
cross-entropy's gradient is largest exactly there.  Computed on a worker thread on demand (about 50 ms).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from ..core.landscape import compare_losses, parameter_labels
from .i18n import QT_TRANSLATE_NOOP, localized
from .landscape_plot import LandscapePlot
from .panels import named
from .readouts import number
from .workers import Jobs
from .style import plain_plot

if TYPE_CHECKING:
    from .main_window import MainWindow

TITLES = {"ce": QT_TRANSLATE_NOOP("SquareErrorView", "cross-entropy"),
          "mse": QT_TRANSLATE_NOOP("SquareErrorView", "square error on σ(z)")}
COLOURS = {"ce": "#0072B2", "mse": "#D55E00"}


class SquareErrorView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.comparison = None
        self.jobs = Jobs(self)
        self._wanted: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        # One row of one-line titles over the three plots, the controls beside the third title: in a
        # short dock (presentation mode at 1280 × 720) a row of controls and a row of wrapped
        # titles left the maps 10 px high.
        controls = QHBoxLayout()
        self.seed_spin = named(QSpinBox(), "squareErrorSeedSpin", self.tr("Comparison data seed"))
        self.seed_spin.setRange(0, 999)
        self.run_button = named(QPushButton(self.tr("Compare")), "squareErrorRunButton", self.tr("Run the comparison"),
                                self.tr("Descend both losses from the same start on the same data"))
        controls.addWidget(QLabel(self.tr("data seed")))
        controls.addWidget(self.seed_spin)
        controls.addWidget(self.run_button)
        self.summary = QLabel()
        self.summary.setObjectName("squareErrorSummary")
        grid = QGridLayout()
        self.plots = {}
        self.titles = {}
        for column, loss in enumerate(("ce", "mse")):
            # Both maps share one colour scale in kind (log10 of J − J_min): no key beside each, so
            # the paths have the room (the keys took two fifths of each map at 1366 × 768).
            plot = LandscapePlot(color_bar=False)
            plot.setToolTip(self.tr("Colour: log10(J − J_min + ε) of this loss; dark is low, yellow high"))
            plot.setObjectName(f"{loss}LandscapePlot")
            plot.setAccessibleName(self.tr("Loss landscape, {loss}").format(loss=self.tr(TITLES[loss])))
            title = QLabel()
            title.setObjectName(f"{loss}LandscapeTitle")
            grid.addWidget(title, 0, column)
            grid.addWidget(plot, 1, column)
            self.plots[loss], self.titles[loss] = plot, title
        self.gradient_plot = pg.PlotWidget()  # its keywords go to PlotItem.plot, not to Qt properties
        self.gradient_plot.setObjectName("gradientNormPlot")
        plain_plot(self.gradient_plot)
        self.gradient_plot.setAccessibleName(self.tr("Gradient norm along each path"))
        self.gradient_plot.setLogMode(y=True)
        self.gradient_plot.setLabel("left", "‖∇J‖")
        self.gradient_plot.setLabel("bottom", self.tr("step"))
        self.gradient_plot.addLegend(offset=(-10, 10))
        self.gradient_curves = {loss: self.gradient_plot.plot(pen=pg.mkPen(COLOURS[loss], width=2),
                                                              name=self.tr(TITLES[loss]))
                                for loss in ("ce", "mse")}
        grid.addWidget(self.gradient_plot, 1, 2)
        self.gradient_plot.setToolTip(self.tr("Gradient norm ‖∇J‖ along each path"))
        grid.addLayout(controls, 0, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(1, 1)
        layout.addLayout(grid, 1)
        layout.addWidget(self.summary)
        self.run_button.clicked.connect(self._on_run_button_clicked)

    def run(self, seed: int | None = None) -> None:
        """Start the comparison for ``seed`` (or the box's); it is drawn when it arrives."""
        if seed is not None:
            self.seed_spin.setValue(seed)
        self._wanted = self.seed_spin.value()
        self.jobs.start(_compare, self._wanted, on_returned=self._on_jobs_returned)

    def _on_jobs_returned(self, result) -> None:
        seed, comparison = result
        if seed != self._wanted:
            return  # a newer comparison is on its way
        self.comparison = comparison
        for loss, plot in self.plots.items():
            run, landscape = comparison.runs[loss], comparison.landscapes[loss]
            plot.set_parameter_labels([localized(label) for label in parameter_labels(run.problem)])
            plot.show_landscape(landscape)
            plot.set_path(run.path[:, 0], run.path[:, 1])
            plot.set_current(*run.path[-1])
            plot.set_optimum(None)
            steps = len(run.path) - 1
            self.titles[loss].setText(self.tr("<b>{loss}</b>: accuracy {accuracy:.0%}").format(
                loss=self.tr(TITLES[loss]), accuracy=run.accuracy))
            self.titles[loss].setToolTip(self.tr("{loss}: accuracy {accuracy:.0%} after {steps} steps").format(
                loss=self.tr(TITLES[loss]), accuracy=run.accuracy, steps=steps))
            norms = np.asarray(run.grad_norms, dtype=np.float64)
            keep = norms > 0
            self.gradient_curves[loss].setData(np.arange(len(norms))[keep], norms[keep])
        ce, mse = comparison.runs["ce"], comparison.runs["mse"]
        w, b = comparison.start
        numbers = {"w": number(w), "b": number(b), "lr": number(comparison.lr),
                   "ce": number(ce.grad_norms[0], 3), "mse": number(mse.grad_norms[0], 3)}
        # One short line (it must not widen the dock); the sentence in full in its tooltip.
        self.summary.setText(self.tr("‖∇J‖ at the start: cross-entropy {ce}, square error {mse}").format(**numbers))
        self.summary.setToolTip(self.tr(
            "Both start at w = {w}, b = {b} (every point on the wrong side) with learning rate {lr}. "
            "Starting gradient: cross-entropy {ce}, square error {mse}.").format(**numbers))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.comparison is None and not self.jobs.busy:
            self.run()

    def shutdown(self) -> None:
        self.jobs.shutdown()

    def _on_run_button_clicked(self) -> None:
        self.run()


def _compare(seed: int):
    """On a worker thread: (seed, the comparison on that seed's data)."""
    return seed, compare_losses(seed)


def docked(window: MainWindow) -> SquareErrorView:
    return SquareErrorView()
