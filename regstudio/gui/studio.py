"""The studio: what the window does, without how it is laid out.

It subscribes to the state model and to the run controller and keeps the views in step with them:
a settings change starts a run or adjusts the running one, an edit of the points trains on, a
frame from the training thread is drawn.  Mouse gestures on the canvas become undoable edits.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject

from ..core.data import class_order
from ..core.generators import generate
from ..core.history import LossHistory
from ..core.session import Points
from ..core.training import STOP_CONVERGED, STOP_DIVERGED
from ..core.views import View
from .commands import AddPoint, ChangeTestFlags, DeletePoint, MovePoint, ReplacePoints
from .data_plot import MAX_DRAWN_POINTS
from .i18n import localized
from .panels import GENERATOR_LABELS
from .readouts import status_text
from .run_controller import RunController
from .state import RUN_KEYS, StudioState
from .style import class_colors, color_index

TABLE_SECONDS = 0.1  # the parameters table refreshes at most 10 times a second while playing


class Studio(QObject):
    def __init__(self, state: StudioState, controller: RunController, views, parent=None):
        super().__init__(parent)
        self.state, self.controller, self.views = state, controller, views
        self._run_message = ("", False, "")
        self._note = ""
        self._last_metrics = None
        self._drawn_geometry = None
        self._last_table_update = 0.0
        self._click_rng = np.random.default_rng(1)
        state.configChanged.connect(self._on_state_config_changed)
        state.pointsChanged.connect(self._on_state_points_changed)
        state.restored.connect(self._on_state_restored)
        controller.lossesArrived.connect(self._on_controller_losses_arrived)
        controller.frameArrived.connect(self._on_controller_frame_arrived)
        controller.playingChanged.connect(views.training_panel.show_playing)
        controller.runFailed.connect(self._on_controller_run_failed)
        canvas = views.data_plot.canvas
        canvas.clicked.connect(self._on_canvas_clicked)
        canvas.deleteRequested.connect(self._on_canvas_delete_requested)
        canvas.dragged.connect(self._on_canvas_dragged)
        canvas.sigRangeChangedManually.connect(self._on_canvas_range_changed)
        views.training_panel.stepRequested.connect(self.step)
        views.training_panel.playToggled.connect(self.controller.play)
        views.training_panel.resetRequested.connect(self.restart)
        views.data_panel.generateRequested.connect(self._on_data_panel_generate_requested)
        controller.set_speed(state.config.steps_per_second)
        views.loss_plot.set_scales(state.config.log_loss, state.config.log_steps)
        self.refresh_points(fit=True)
        self.restart()

    # --- runs -------------------------------------------------------------------------------------

    def view(self) -> View:
        x_range, y_range = self.views.data_plot.view_ranges()
        return View(x_range, y_range, self.state.config.axes)

    def restart(self, restore_theta=None, restore_step: int = 0, history: LossHistory | None = None) -> None:
        """A new run from the seed (or from restored parameters) on the current points and settings.

        The problem is prepared on the training thread; settings that make no problem come back as
        a failure the message bar shows."""
        self._last_metrics = None
        spec, hint = self._spec()
        self.controller.start(spec, self.view(), restore_theta, restore_step)
        if spec is None:
            self.views.data_plot.clear_fit()
            self._drawn_geometry = None
            self.views.parameters_panel.show_parameters(None, None)
        self.views.loss_plot.clear_history(history if spec is not None else None)
        self.views.loss_plot.set_has_test(spec is not None and bool(spec.test_mask.any()))
        self._set_run_message(*(hint or ("", False)))

    def _spec(self):
        """The problem spec to train on, or None and a hint why not."""
        points = self.state.training_points()
        if not len(points):
            return None, (self.tr("Click on the canvas to add points, or generate or open a data set."), False)
        if self.state.task == "classification" and len(set(points.data.y.tolist())) < 2:
            return None, (self.tr("Add points of a second class: choose it under Data → Click adds."), False)
        return self.state.problem_spec(), None

    def _train_on_edited_points(self) -> None:
        spec, _hint = self._spec()
        if self.controller.spec is None or spec is None:
            self.restart()
            return
        self.controller.replace(spec)
        self.views.loss_plot.set_has_test(bool(spec.test_mask.any()))
        self._set_run_message("")

    def step(self) -> None:
        self.controller.step(1)

    # --- state ------------------------------------------------------------------------------------

    def _on_state_config_changed(self, keys) -> None:
        config = self.state.config
        if "model" in keys or "axes" in keys or "use_group" in keys:
            self.refresh_points(fit="model" in keys or "axes" in keys)
        if keys & RUN_KEYS:
            self.restart()
        elif keys & {"lr", "l2"}:
            self.controller.set_hyperparameters(lr=config.lr, l2=config.l2)
        if "steps_per_second" in keys:
            self.controller.set_speed(config.steps_per_second)
        if "axes" in keys:
            self.controller.set_view(self.view())
        if "test_fraction" in keys:
            task = self.state.task
            resplit = self.state.points[task].resplit(config.test_fraction, self.state.split_rng())
            self.state.undo_stack.push(ChangeTestFlags(self.state, task, resplit.test))
        if keys & {"log_loss", "log_steps"}:
            self.views.loss_plot.set_scales(config.log_loss, config.log_steps)

    def _on_state_points_changed(self, task: str, refit: bool, source: str) -> None:
        if source != "drag":
            self.views.data_plot.canvas.cancel_drag()
        if source != "open":
            self._note = ""
        if task != self.state.task:
            return
        self.refresh_points(fit=refit)
        if refit:
            self.restart()
        else:
            self._train_on_edited_points()
        self.controller.set_view(self.view())

    def _on_state_restored(self) -> None:
        config = self.state.config
        self.controller.set_speed(config.steps_per_second)
        self.views.loss_plot.set_scales(config.log_loss, config.log_steps)
        self._note = ""
        self.refresh_points(fit=True)

    def set_note(self, text: str) -> None:
        """A note about the data (e.g. rows dropped on opening) that stays until the data change."""
        self._note = text
        self._show_message()

    def _set_run_message(self, text: str, error: bool = False, details: str = "") -> None:
        self._run_message = (text, error, details)
        self._show_message()

    def _show_message(self) -> None:
        text, error, details = self._run_message
        if text:
            self.views.message_bar.show_message(text, error, details)
        else:
            self.views.message_bar.show_message(self._note)

    # --- the data view ----------------------------------------------------------------------------

    def classes(self) -> tuple[str, ...]:
        problem = self.controller.problem
        if problem is not None and problem.classes is not None:
            return problem.classes
        points = self.state.points["classification"]
        return class_order(points.data.y) if len(points) else ()

    def refresh_points(self, fit: bool = False) -> None:
        state, plot = self.state, self.views.data_plot
        task, axes = state.task, state.config.axes
        points = state.points[task]
        data = points.data
        classes = class_order(data.y) if task == "classification" and len(points) else ()
        grouped = data.groups is not None and state.config.use_group
        plot.show_points(points, task, axes, lambda label: color_index(label, classes),
                         class_order(data.groups) if grouped and len(points) else None)
        if fit:
            plot.fit_view(points, task, axes)
        names = data.x_names
        plot.set_axis_names(names[axes[0]], data.y_name if task == "regression" else names[axes[1]])
        shown = {axes[0]} if task == "regression" else {axes[0], axes[1]}
        notes = []
        others = [n for i, n in enumerate(names) if i not in shown]
        if len(others) == 1:
            notes.append(self.tr("{name} held at its training mean").format(name=others[0]))
        elif others:
            notes.append(self.tr("{names} held at their training mean").format(
                names=self.tr(", ", "between the names of inputs").join(others)))
        if len(points) > MAX_DRAWN_POINTS:
            notes.append(self.tr("showing {shown:,} of {total:,} points").format(shown=MAX_DRAWN_POINTS,
                                                                                  total=len(points)))
        tested = int(points.test.sum())
        if tested:
            notes.append(self.tr("%n test point(s) drawn hollow", "", tested))
        self.views.axes_label.setText("  ·  ".join(notes))

    def _on_canvas_range_changed(self, *_) -> None:
        self.controller.set_view(self.view())

    # --- frames -----------------------------------------------------------------------------------

    def _on_controller_losses_arrived(self, first_step: int, losses, test_errors) -> None:
        self.views.loss_plot.add(first_step, losses, test_errors)

    def _on_controller_frame_arrived(self, frame) -> None:
        problem = frame.problem
        if problem is None:  # nothing to train on: the message bar says why
            self.views.status_label.setText("")
            return
        snapshot = frame.snapshot
        geometry = frame.geometry
        # Frames carry the last geometry on when the runner sent none: drawing it again costs a
        # repaint of the whole data plot for nothing.
        if geometry is not None and geometry is not self._drawn_geometry \
                and geometry.view.axes == self.state.config.axes:
            colors = class_colors(problem.classes) if problem.classes is not None else None
            self.views.data_plot.show_geometry(geometry, colors, problem.classes)
            self._drawn_geometry = geometry
        if snapshot.metrics is not None:
            self._last_metrics = snapshot.metrics
        train = snapshot.metrics["train"] if snapshot.metrics else None
        loss_plot = self.views.loss_plot
        loss_plot.set_tip(snapshot.step, None if train is None else train["objective"])
        loss_plot.redraw()
        now = time.perf_counter()
        if not frame.playing or now - self._last_table_update > TABLE_SECONDS or snapshot.stop_reason:
            self._last_table_update = now
            self.views.parameters_panel.show_parameters(problem, frame)
        self.views.status_label.setText(status_text(frame, self._last_metrics))
        if snapshot.stop_reason == STOP_DIVERGED:
            self._set_run_message(self.tr("{message}, then press Reset.").format(
                message=_sentence(localized(snapshot.message))), error=True)
        elif snapshot.stop_reason == STOP_CONVERGED:
            self._set_run_message(self.tr("{message}.", "a finished run's message as a sentence").format(
                message=_sentence(localized(snapshot.message))))

    def _on_controller_run_failed(self, summary: str, details: str) -> None:
        self._set_run_message(_sentence(summary), error=True, details=details)

    # --- editing points ---------------------------------------------------------------------------

    def _push(self, command) -> None:
        self.state.undo_stack.push(command)

    def _on_canvas_clicked(self, x: float, y: float) -> None:
        state = self.state
        task, axes = state.task, state.config.axes
        points = state.points[task]
        data = points.data
        x_row = data.X.mean(axis=0) if len(points) else np.zeros(len(data.x_names))
        group = data.groups[0] if data.groups is not None and len(points) else None
        is_test = bool(self._click_rng.random() < state.config.test_fraction)
        if task == "regression":
            x_row[axes[0]] = x
            self._push(AddPoint(state, task, x_row, y, is_test, group))
            return
        label = state.config.click_class
        if label is None:
            return
        x_row[axes[0]], x_row[axes[1]] = x, y
        self._push(AddPoint(state, task, x_row, label, is_test, group))

    def _on_canvas_delete_requested(self, x: float, y: float) -> None:
        row = self.views.data_plot.nearest_row(x, y)
        if row is not None:
            self._push(DeletePoint(self.state, self.state.task, row))

    def _on_canvas_dragged(self, row: int, x: float, y: float, _finished: bool) -> None:
        state = self.state
        task, axes = state.task, state.config.axes
        points = state.points[task]
        if not 0 <= row < len(points):
            self.views.data_plot.canvas.cancel_drag()
            return
        x_row = points.data.X[row].copy()
        if task == "regression":
            x_row[axes[0]] = x
            self._push(MovePoint(state, task, row, x_row, y))
        else:
            x_row[axes[0]], x_row[axes[1]] = x, y
            self._push(MovePoint(state, task, row, x_row))

    def _on_data_panel_generate_requested(self, name: str, size: int, noise: float) -> None:
        options = {"classes": 3} if name == "blobs" else {}
        data = generate(name, size, noise, seed=self.state.config.seed, **options)
        points = Points.from_dataset(data, self.state.config.test_fraction, self.state.split_rng())
        label = QCoreApplication.translate("DataPanel", str(GENERATOR_LABELS[name]))
        self._push(ReplacePoints(self.state, self.state.task, points, self.tr("Generate {data}").format(data=label)))

    def replace_points(self, task: str, points: Points, text: str, source: str = "", refit: bool = True) -> None:
        """A whole new point set (undoable); ``refit`` fits the axes to it."""
        self._push(ReplacePoints(self.state, task, points, text, refit=refit, source=source))


def _sentence(text: str) -> str:
    """The core's messages start in lower case (they also end CLI lines); the window shows sentences."""
    return text[:1].upper() + text[1:]
