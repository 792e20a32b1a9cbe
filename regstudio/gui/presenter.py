"""The presenter: what the window does, without how it is laid out.

It subscribes to the document and to the run controller and keeps the window in step with them:
a settings change starts a run or adjusts the running one, an edit of the points trains on, a
frame from the training thread is drawn.  Mouse gestures on the canvas become undoable edits.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject

from ..core.data import class_order
from ..core.messages import translate
from ..core.document import RUN_KEYS, Change, Document, RunHistory
from ..core.history import LossHistory
from ..core.training import STOP_CONVERGED, STOP_DIVERGED
from ..core.views import Viewport
from .data_plot import MAX_DRAWN_POINTS
from .i18n import localized, localized_generated
from .panels import GENERATOR_LABELS
from .readouts import status_text
from .run_controller import RunController
from .document_events import DocumentEvents
from .style import class_colors, color_index

if TYPE_CHECKING:
    from .main_window import MainWindow

# While playing, the numbers (parameters table, status line, timeline) are shown at most 4 times a second,
# as a meter shows them: faster is not read, and each refresh cost the window's thread, which training
# shares, 0.8 ms a frame at 26 frames a second (their repaints and the table's formatting).
READOUT_SECONDS = 0.25


class Presenter(QObject):
    """Turns the document's changes into trainer commands and redraws, frames into plots and
    readouts, and canvas gestures into document edits."""

    def __init__(self, document: Document, events: DocumentEvents, controller: RunController, window: MainWindow,
                 parent=None):
        super().__init__(parent)
        self.document, self.controller, self.window = document, controller, window
        self._run_message = ("", False, "")
        self._note = ""
        self._last_metrics = None
        self._drawn_geometry = None
        self._geometry_exact = True   # whether the data plot shows _drawn_geometry itself, not one close to it
        self._class_colors: tuple = (None, None)   # (class labels, their colours)
        self._last_readout_update = 0.0
        self._click_rng = np.random.default_rng(1)
        events.changed.connect(self._on_document_changed)
        controller.lossesArrived.connect(self._on_controller_losses_arrived)
        controller.frameArrived.connect(self._on_controller_frame_arrived)
        controller.playingChanged.connect(window.training_panel.show_playing)
        controller.runFailed.connect(self._on_controller_run_failed)
        canvas = window.data_plot.canvas
        canvas.clicked.connect(self._on_canvas_clicked)
        canvas.deleteRequested.connect(self._on_canvas_delete_requested)
        canvas.dragged.connect(self._on_canvas_dragged)
        canvas.sigRangeChangedManually.connect(self._on_canvas_range_changed)
        window.training_panel.stepRequested.connect(self.step)
        window.training_panel.playToggled.connect(self._on_training_panel_play_toggled)
        window.timeline_bar.stepChosen.connect(self._on_timeline_bar_step_chosen)
        window.training_panel.resetRequested.connect(self.restart)
        window.data_panel.generateRequested.connect(self._on_data_panel_generate_requested)
        for panel in (window.data_panel, window.model_panel, window.optimizer_panel, window.training_panel):
            panel.settingRefused.connect(self._on_panel_setting_refused)
        controller.set_speed(document.config.steps_per_second)
        window.loss_plot.set_scales(document.config.log_loss, document.config.log_steps)
        self.refresh_points(fit=True)
        self._restart_saved_run()   # a document handed over by a language switch goes on where it was

    # --- runs -------------------------------------------------------------------------------------

    def viewport(self) -> Viewport:
        x_range, y_range = self.window.data_plot.view_ranges()
        return Viewport(x_range, y_range, self.document.config.axes)

    def restart(self, restore_theta=None, restore_step: int = 0, history: LossHistory | None = None,
                restore_timeline: tuple = ()) -> None:
        """A new run from the seed (or from restored parameters) on the current points and settings:
        one Start to the training thread, carrying the view, speed and play state.

        The problem is prepared on the training thread; settings that make no problem come back as
        a failure the message bar shows."""
        self._last_metrics = None
        start = self.document.selections.start
        if restore_theta is None and start is not None:
            restore_theta = np.asarray(start)
        spec, hint = self._spec()
        # Solve exactly: the solution is the run's point, and step 0 showed a flat line under a caption
        # that describes the solved fit.  Any other method waits at its start for Step or Play.
        solve = spec is not None and spec.settings.optimizer == "exact" and restore_theta is None
        self.controller.start(spec, self.viewport(), restore_theta, restore_step, steps=1 if solve else 0,
                              restore_timeline=restore_timeline)
        if spec is None:
            self.window.data_plot.clear_fit()
            self._drawn_geometry = None
            self.window.parameters_panel.show_parameters(None, None)
        self.document.new_history(RunHistory(history) if spec is not None else None)
        self.window.loss_plot.new_run()
        self.window.loss_plot.set_has_test(spec is not None and bool(spec.test_mask.any()))
        self._set_run_message(*(hint or ("", False)))

    def _restart_saved_run(self) -> None:
        """A restored session's run goes on where it was saved (if the model fits its parameters:
        the training thread checks, see ``_on_controller_frame_arrived``)."""
        run = self.document.saved_run
        if run is None:
            self.restart()
            return
        spec, _hint = self._spec()
        if spec is None:
            self.restart()
            self.set_note(self.tr("{file}: the saved parameters could not be restored (the file has {saved}, the "
                                  "model needs data to train on); training starts from the seed.").format(
                file=os.path.basename(self.document.path or ""), saved=len(run.theta)))
            return
        self.restart(restore_theta=run.theta, restore_step=run.step, history=run.history,
                     restore_timeline=run.timeline)

    def _spec(self):
        """The problem spec to train on, or None and a hint why not."""
        points = self.document.training_points()
        if not len(points):
            return None, (self.tr("Click on the canvas to add points, or generate or open a data set."), False)
        if self.document.task == "classification" and len(set(points.data.y.tolist())) < 2:
            return None, (self.tr("Add points of a second class: choose it under Data → Click adds."), False)
        return self.document.problem_spec(), None

    def _train_on_edited_points(self) -> None:
        spec, _hint = self._spec()
        if self.controller.spec is None or spec is None:
            self.restart()
            return
        self.controller.replace(spec, self.viewport())
        self.window.loss_plot.set_has_test(bool(spec.test_mask.any()))
        self._set_run_message("")

    def step(self) -> None:
        """One step: from the past step shown, if any (a new branch)."""
        self._branch_if_rewound()
        self.controller.step(1)

    def _on_training_panel_play_toggled(self, playing: bool) -> None:
        if playing:
            self._branch_if_rewound()
        self.controller.play(playing)

    # --- the rewind timeline ----------------------------------------------------------------------

    def _on_timeline_bar_step_chosen(self, step: int) -> None:
        self.show_step(step)

    def show_step(self, step: int | None) -> None:
        """Show the run as it was at ``step`` (None or the newest step: the newest)."""
        controller = self.controller
        if controller.timeline is None:
            self._show_timeline()
            return
        controller.show_step(step)
        self._show_timeline()
        if controller.shown_step is None:
            self.window.loss_plot.show_step_marker(None)
            if controller.latest is not None:
                self._on_controller_frame_arrived(controller.latest)

    def step_back(self) -> None:
        """Shift+←: one step earlier on the timeline (pausing a playing run)."""
        current = self.controller.shown_step
        current = self.controller.newest_step if current is None else current
        if current > 0:
            self.show_step(current - 1)

    def step_forward(self) -> None:
        """Shift+→: one step later on the timeline, up to the newest."""
        if self.controller.shown_step is not None:
            self.show_step(self.controller.shown_step + 1)

    def _branch_if_rewound(self) -> None:
        """Going on from a past step: the old continuation is pinned, and the loss history forgets
        the steps after the one shown (the training thread's timeline forgets them too)."""
        controller = self.controller
        if controller.shown_step is None:
            return
        kept = controller.shown.snapshot.step if controller.shown is not None else controller.shown_step
        self.window.pins.pin(note=self.tr("before going back to step {step:,}").format(step=kept))
        history = self.document.history
        history.train.truncate(kept - 1)   # the loss of step k is J at the parameters step k starts from
        history.test.truncate(kept)
        history.marks = [mark for mark in history.marks if mark.step <= kept]
        history.tip = None
        self.window.loss_plot.show_step_marker(None)
        self.window.loss_plot.redraw()

    def _show_timeline(self) -> None:
        controller = self.controller
        shown = controller.shown
        self.window.timeline_bar.show_run(controller.newest_step, controller.shown_step,
                                          None if shown is None else shown.snapshot.step)

    # --- the document -----------------------------------------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        """One transaction's change: the views follow it, and the training thread gets one command
        (a Start for new data or run settings, a Replace for edited points, else what changed)."""
        document = self.document
        config = document.config
        keys = change.config
        if change.source != "drag":
            self.window.data_plot.canvas.cancel_drag()
        if change.tasks and change.source != "open":
            self._note = ""
        if change.restored:
            self._note = ""
        edited = document.task in change.tasks
        if edited or change.restored or keys & {"model", "axes", "use_group"}:
            self.refresh_points(fit=change.refit or change.restored or bool(keys & {"model", "axes"}))
        if keys & {"log_loss", "log_steps"}:
            self.window.loss_plot.set_scales(config.log_loss, config.log_steps)
        new_start = "start" in change.selections and document.selections.start is not None
        if change.restored or change.refit and edited or keys & RUN_KEYS or new_start:
            # The Start carries the speed, the viewport and the learning rate and λ.
            self.controller.set_speed(config.steps_per_second, send=False)
            if change.restored:
                self._restart_saved_run()
            else:
                self.restart()   # a new start point chosen on the landscape included
            return
        if edited:
            if not self.controller.playing:
                # J at the shown step changes with the points: a new segment, not a step of training.
                self._mark_loss_plot("data", self.tr("data edited"), moves_loss=True)
            self._train_on_edited_points()   # the Replace carries the viewport, learning rate and λ
        else:
            if keys & {"lr", "l2"}:
                if "lr" in keys and config.lr is not None:
                    self._mark_loss_plot("lr", self.tr("η → {lr:g}").format(lr=config.lr), moves_loss=False)
                if "l2" in keys and config.l2 is not None:   # λ is part of J: a new segment starts
                    self._mark_loss_plot("l2", self.tr("λ → {l2:.4g}").format(l2=config.l2), moves_loss=True)
                self.controller.set_hyperparameters(lr=config.lr, l2=config.l2)
            if "axes" in keys:
                self.controller.set_view(self.viewport())
        if "steps_per_second" in keys:
            self.controller.set_speed(config.steps_per_second)

    def _mark_loss_plot(self, kind: str, text: str, moves_loss: bool) -> None:
        if self.document.history.mark(kind, text, moves_loss) is not None:
            self.window.loss_plot.redraw()

    def set_note(self, text: str) -> None:
        """A note about the data (e.g. rows dropped on opening) that stays until the data change."""
        self._note = text
        self._show_message()

    def _set_run_message(self, text: str, error: bool = False, details: str = "") -> None:
        self._run_message = (text, error, details)
        self._show_message()

    def _show_message(self) -> None:
        text, error, details = self._run_message
        if text and not error and self._note:
            # A run's news ("Converged …") and a note about the data or the pins are both worth reading.
            self.window.message_bar.show_message(f"{text} {self._note}")
        elif text:
            self.window.message_bar.show_message(text, error, details)
        else:
            self.window.message_bar.show_message(self._note)

    # --- the data view ----------------------------------------------------------------------------

    def classes(self) -> tuple[str, ...]:
        problem = self.controller.problem
        if problem is not None and problem.classes is not None:
            return problem.classes
        points = self.document.points["classification"]
        return class_order(points.data.y) if len(points) else ()

    def refresh_points(self, fit: bool = False) -> None:
        document, plot = self.document, self.window.data_plot
        task, axes = document.task, document.config.axes
        points = document.points[task]
        data = points.data
        classes = class_order(data.y) if task == "classification" and len(points) else ()
        grouped = data.groups is not None and document.config.use_group
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
        self.window.axes_label.setText("  ·  ".join(notes))
        self.window.axes_label.setVisible(bool(notes))  # an empty line would take the data plot's height

    def _on_canvas_range_changed(self, *_) -> None:
        self.controller.set_view(self.viewport())

    # --- frames -----------------------------------------------------------------------------------

    def _on_controller_losses_arrived(self, first_step: int, losses, test_errors) -> None:
        self.document.history.add(first_step, losses, test_errors)

    def _on_controller_frame_arrived(self, frame) -> None:
        problem = frame.problem
        if problem is None:  # nothing to train on: the message bar says why
            self.window.status_label.setText("")
            self._show_timeline()
            return
        snapshot = frame.snapshot
        now = time.perf_counter()
        readouts_due = (not frame.playing or snapshot.stop_reason is not None
                        or now - self._last_readout_update > READOUT_SECONDS)
        if readouts_due:
            self._last_readout_update = now
            self._show_timeline()
        if frame.shown is not None:
            self._draw_past_frame(problem, frame)
            return
        self.window.loss_plot.show_step_marker(None)   # the newest step again (an edit, Reset, a branch)
        if frame.restore_refused is not None:
            saved, wanted = frame.restore_refused
            self.document.new_history()
            self.window.loss_plot.new_run()
            self.set_note(self.tr("{file}: the saved parameters could not be restored (the file has {saved}, the "
                                  "model needs {wanted}); training starts from the seed.").format(
                file=os.path.basename(self.document.path or ""), saved=saved, wanted=wanted))
        self._draw_geometry(problem, frame.geometry, playing=frame.playing and not snapshot.stop_reason)
        if snapshot.metrics is not None:
            self._last_metrics = snapshot.metrics
        train = snapshot.metrics["train"] if snapshot.metrics else None
        loss_plot = self.window.loss_plot
        self.document.history.tip = None if train is None else (snapshot.step, train["objective"])
        loss_plot.redraw()
        if readouts_due:
            self.window.parameters_panel.show_parameters(problem, frame)
            self.window.status_label.setText(status_text(frame, self._last_metrics))
        if snapshot.stop_reason == STOP_DIVERGED:
            self._set_run_message(self.tr("{message}, then press Reset.").format(
                message=_sentence(localized(snapshot.message))), error=True)
        elif snapshot.stop_reason == STOP_CONVERGED:
            self._set_run_message(self.tr("{message}.", "a finished run's message as a sentence").format(
                message=_sentence(localized(snapshot.message))))

    def _draw_geometry(self, problem, geometry, playing: bool = False) -> None:
        """The plot geometry of a frame, once: frames carry the last geometry on when the runner sent
        none, and drawing it again costs a repaint of the whole data plot for nothing.  While playing,
        the data plot skips a fit that looks the same (``DataPlot.show_geometry``); a frame of a paused
        or finished run draws the one it carries if that was skipped."""
        if geometry is None or geometry.view.axes != self.document.config.axes:
            return
        if geometry is self._drawn_geometry and (playing or self._geometry_exact):
            return
        colors = self._colors_of(problem.classes)
        self._geometry_exact = self.window.data_plot.show_geometry(geometry, colors, problem.classes, playing=playing)
        self._drawn_geometry = geometry
        self.controller.geometry_shown(self._geometry_exact)

    def _colors_of(self, classes) -> np.ndarray | None:
        """``class_colors(classes)``, worked out again only when the classes change (0.15 ms a frame)."""
        if classes is None:
            return None
        key = tuple(classes)
        if self._class_colors[0] != key:
            self._class_colors = (key, class_colors(classes))
        return self._class_colors[1]

    def _draw_past_frame(self, problem, frame) -> None:
        """A past step on show: its fit, parameters and status, and a marker on the loss plot; the
        run's history and messages stay the newest step's."""
        self._draw_geometry(problem, frame.geometry)
        self.window.loss_plot.show_step_marker(frame.snapshot.step)
        self.window.parameters_panel.show_parameters(problem, frame)
        self.window.status_label.setText(status_text(frame, frame.snapshot.metrics))

    def _on_panel_setting_refused(self, text: str) -> None:
        self._set_run_message(_sentence(text), error=True)

    def _on_controller_run_failed(self, summary: str, details: str) -> None:
        self._set_run_message(_sentence(summary), error=True, details=details)

    # --- editing points ---------------------------------------------------------------------------

    def _on_canvas_clicked(self, x: float, y: float) -> None:
        document = self.document
        task, axes = document.task, document.config.axes
        points = document.points[task]
        data = points.data
        x_row = data.X.mean(axis=0) if len(points) else np.zeros(len(data.x_names))
        group = data.groups[0] if data.groups is not None and len(points) else None
        is_test = bool(self._click_rng.random() < document.config.test_fraction)
        if task == "regression":
            x_row[axes[0]] = x
            document.add_point(task, x_row, y, is_test, group)
            return
        label = document.config.click_class
        if label is None:
            return
        x_row[axes[0]], x_row[axes[1]] = x, y
        document.add_point(task, x_row, label, is_test, group)

    def _on_canvas_delete_requested(self, x: float, y: float) -> None:
        row = self.window.data_plot.nearest_row(x, y)
        if row is not None:
            self.document.delete_point(self.document.task, row)

    def _on_canvas_dragged(self, row: int, x: float, y: float, finished: bool) -> None:
        document = self.document
        task, axes = document.task, document.config.axes
        points = document.points[task]
        if not 0 <= row < len(points):
            self.window.data_plot.canvas.cancel_drag()
            return
        x_row = points.data.X[row].copy()
        if task == "regression":
            x_row[axes[0]] = x
            document.move_point(task, row, x_row, y)
        else:
            x_row[axes[0]], x_row[axes[1]] = x, y
            document.move_point(task, row, x_row)
        if finished:
            document.end_drag()

    def _on_data_panel_generate_requested(self) -> None:
        document = self.document
        recipe = document.config.recipe
        # a Message (translated where shown): the Edit menu follows a change of language
        label = translate("DataPanel", GENERATOR_LABELS[recipe.generator])
        with document.transaction(translate("Presenter", "Generate {data}").format(data=label)):
            document.end_lesson()
            config = document.config
            points = localized_generated(recipe.points(config.task, config.test_fraction, config.seed))
            document.replace_points(config.task, points, source=points.data.source)


def _sentence(text: str) -> str:
    """The core's messages start in lower case (they also end CLI lines); the window shows sentences."""
    return text[:1].upper() + text[1:]
