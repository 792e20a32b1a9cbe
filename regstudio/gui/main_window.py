"""The main window: layout, menus and wiring.

State lives in the core :class:`~regstudio.core.document.Document` (its changes reach Qt through
:class:`~regstudio.gui.document_events.DocumentEvents`), runs in
:class:`~regstudio.gui.run_controller.RunController`, behaviour in :class:`~regstudio.gui.presenter.Presenter`
and :class:`~regstudio.gui.files.FileActions`; the panels and plots are widgets of their own.

The views in docks are built when their dock is first shown (``ViewDocks``), and their modules are
imported then: start-up builds and imports only what the first paint shows.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING


from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QMainWindow, QMessageBox, QScrollArea, QToolBar,
                               QVBoxLayout, QWidget)

from ..core.messages import translate
from ..core.document import Change, Document
from ..core.session import Points
from .comparison import RunPins
from .data_plot import DataPlot
from .desktop import HelpMenu, application_icon
from .files import FileActions
from .i18n import ensure_language
from .language import LanguageMenu
from .lessons import CaptionBar, LessonActions
from .loss_plot import LossPlot
from .panels import DataPanel, KeyGuard, ModelPanel, OptimizerPanel, TrainingPanel
from .readouts import MessageBar, ParametersPanel
from .run_controller import RunController
from .safe_text import menu_text, rich_plain, title_text
from .document_events import UNDO_TEXT_PIXELS, DocumentEvents, UndoActions
from .presenter import Presenter
from .view_docks import VIEW_HEIGHT, ViewDocks
from .style import PRESENTATION_SCALE, PRESENTATION_VIEW_HEIGHT, configure_pyqtgraph, scaled_font
from .theme import NoteLabel
from .timeline import TimelineBar
from .widgets import ReadoutLine, StatusLine
from .window_settings import WindowLayout, presentation_remembered, remember_presentation

if TYPE_CHECKING:
    from .animation import AnimationActions


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, parent=None):
        """A window on ``document`` (a new one if None; a language switch hands its document on)."""
        configure_pyqtgraph()
        ensure_language()
        super().__init__(parent)
        # Delete the widgets on close, in this thread, not whenever Python's cyclic collector runs.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1320, 860)
        self.setWindowIcon(application_icon())
        self.document = document if document is not None else Document()
        self._handed_over = False
        self.events = DocumentEvents(self.document, self)
        self.controller = RunController(self)
        self._build_layout()
        self.presenter = Presenter(self.document, self.events, self.controller, self, self)
        self.files = FileActions(self, self.document, self.controller, self.presenter)
        self.animation: AnimationActions | None = None   # File → Export animation…, made when first used
        self.pins = RunPins(self.document, self.events, self.loss_plot, self)
        self.view_docks = ViewDocks(self, self.document, self.events, self.controller, self, beside=self.loss_dock)
        self.view_docks.add_registered(self)
        self.lessons = LessonActions(self, self)
        self.help_menu = HelpMenu(self, self)
        self.language_menu = LanguageMenu(self, self)
        self._build_actions()
        self.layout_settings = WindowLayout(self)
        self.layout_settings.restore()
        self._presenting = False
        self._settings_were_visible = True
        if presentation_remembered():
            self.settings_dock.show()   # saved hidden by presentation mode itself: back when it ends
            self.set_presentation(True)
        self.events.changed.connect(self._on_document_changed_for_title)
        self.message_bar.detailsRequested.connect(self._on_message_bar_details_requested)
        self._update_title()

    # --- layout -----------------------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.data_plot = DataPlot()
        self.loss_plot = LossPlot(self.document)
        self.message_bar = MessageBar()
        self.caption_bar = CaptionBar()
        self.axes_label = NoteLabel()
        self.axes_label.setObjectName("axesLabel")
        self.axes_label.setTextFormat(Qt.TextFormat.PlainText)  # it names columns
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.caption_bar)
        top_layout.addWidget(self.message_bar)
        top_layout.addWidget(self.data_plot, 1)
        self.step_back_action = QAction(self.tr("Step back"), self)
        self.step_back_action.setObjectName("actionStepBack")
        self.step_back_action.setShortcut(QKeySequence("Shift+Left"))
        self.step_back_action.setToolTip(self.tr("Show the run one step earlier (Shift+←)"))
        self.step_forward_action = QAction(self.tr("Step forward"), self)
        self.step_forward_action.setObjectName("actionStepForward")
        self.step_forward_action.setShortcut(QKeySequence("Shift+Right"))
        self.step_forward_action.setToolTip(self.tr("Show the run one step later, up to the newest (Shift+→)"))
        self.addActions([self.step_back_action, self.step_forward_action])
        # Under the loss plot, whose step axis it scrubs: the data plot keeps its height.
        self.timeline_bar = TimelineBar(self.step_back_action, self.step_forward_action)
        top_layout.addWidget(self.axes_label)
        self.formula_label = ReadoutLine()
        self.formula_label.setObjectName("formulaLabel")
        self.formula_label.setAccessibleName(self.tr("Slope formula"))
        top_layout.addWidget(self.formula_label)
        self.data_plot.formulaChanged.connect(self._on_data_plot_formula_changed)
        # The data plot is the window's centre and keeps its room: the loss plot and the views open
        # under it, the settings beside it (their dock spans the window's height, so a view below
        # never takes height from the settings, and Play lives in the toolbar).
        self.setCentralWidget(top)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setDockOptions(self.dockOptions() & ~QMainWindow.DockOption.AnimatedDocks)
        fixed = QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        self.loss_dock = QDockWidget(self.tr("Loss"), self)
        self.loss_dock.setObjectName("lossDock")
        self.loss_dock.setFeatures(fixed)
        loss_column = QWidget()
        loss_layout = QVBoxLayout(loss_column)
        loss_layout.setContentsMargins(0, 0, 0, 0)
        loss_layout.setSpacing(0)
        loss_layout.addWidget(self.loss_plot, 1)
        loss_layout.addWidget(self.timeline_bar)
        self.loss_dock.setWidget(loss_column)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.loss_dock)
        self.data_panel = DataPanel(self.document, self.events)
        self.model_panel = ModelPanel(self.document, self.events)
        self.optimizer_panel = OptimizerPanel(self.document, self.events)
        self.training_panel = TrainingPanel(self.document, self.events)
        self.parameters_panel = ParametersPanel()
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        for box in (self.data_panel, self.model_panel, self.optimizer_panel, self.training_panel):
            panel_layout.addWidget(box)
        panel_layout.addWidget(self.parameters_panel, 1)
        self._key_guard = KeyGuard(self)
        for widget in panel.findChildren(QWidget) + self.training_panel.controls.findChildren(QWidget):
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self._key_guard)
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        # Wide enough for the widest row and the vertical scroll bar, so the panel never scrolls
        # sideways (it used to, by 11 px, at every window size).
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                               + 2 * scroll.frameWidth())
        self.settings_dock = QDockWidget(self.tr("Settings"), self)
        self.settings_dock.setObjectName("settingsDock")
        self.settings_dock.setFeatures(fixed)
        self.settings_dock.setWidget(scroll)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.settings_dock)
        self.resizeDocks([self.loss_dock], [220], Qt.Orientation.Vertical)
        self.training_toolbar = QToolBar(self.tr("Training"), self)
        self.training_toolbar.setObjectName("trainingToolBar")
        self.training_toolbar.setMovable(False)
        self.training_toolbar.addWidget(self.training_panel.controls)
        self.addToolBar(self.training_toolbar)
        self.status_label = StatusLine()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setAccessibleName(self.tr("Status"))
        self.statusBar().addWidget(self.status_label, 1)

    # --- actions and menus ------------------------------------------------------------------------

    def _action(self, name: str, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        files, training = self.files, self.training_panel
        open_data = self._action("actionOpenData", self.tr("Open data…"), files.ask_open_data,
                                 QKeySequence.StandardKey.Open)
        open_session = self._action("actionOpenSession", self.tr("Open session…"), files.ask_open_session,
                                    QKeySequence("Ctrl+Shift+O"))
        save = self._action("actionSaveSession", self.tr("Save session"), files.save, QKeySequence.StandardKey.Save)
        save_as = self._action("actionSaveSessionAs", self.tr("Save session as…"), files.ask_save_as,
                               QKeySequence("Ctrl+Shift+S"))
        export = self._action("actionExportParameters", self.tr("Export parameters…"), files.ask_export_parameters,
                              QKeySequence("Ctrl+E"))
        export_plot = self._action("actionExportPlot", self.tr("Export plot image…"), files.ask_export_plot)
        export_animation = self._action("actionExportAnimation", self.tr("Export animation…"),
                                        self._ask_export_animation)
        export_code = self._action("actionExportCode", self.tr("Export as code…"), files.ask_export_code)
        export_points = self._action("actionExportPoints", self.tr("Export points…"), files.ask_export_points)
        clear = self._action("actionClearPoints", self.tr("Clear points"), self._on_clear_points_triggered)
        quit_action = self._action("actionQuit", self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.undo_actions = UndoActions(self.document, self.events, self)
        undo, redo = self.undo_actions.undo, self.undo_actions.redo
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])
        play = self._action("actionPlayPause", self.tr("Play/Pause"), training.play_button.toggle,
                            QKeySequence(Qt.Key.Key_Space))
        step = self._action("actionStep", self.tr("Step"), self.presenter.step, QKeySequence(Qt.Key.Key_S))
        reset = self._action("actionReset", self.tr("Reset"), self.presenter.restart, QKeySequence(Qt.Key.Key_R))
        self.step_back_action.triggered.connect(self.presenter.step_back)
        self.step_forward_action.triggered.connect(self.presenter.step_forward)
        pin = self._action("actionPinRun", self.tr("Pin this run's loss curve"), self._on_pin_run_triggered,
                           QKeySequence("Ctrl+P"))
        unpin = self._action("actionClearPins", self.tr("Clear pinned curves"), self.pins.clear)

        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(open_data)
        self.recent_menu = menu.addMenu(self.tr("Open recent"))
        for action in (open_session, save, save_as, None, export, export_code, export_points, export_plot,
                       export_animation, None, quit_action):
            menu.addSeparator() if action is None else menu.addAction(action)
        edit = self.menuBar().addMenu(self.tr("&Edit"))
        for action in (undo, redo, None, clear):
            edit.addSeparator() if action is None else edit.addAction(action)
        run = self.menuBar().addMenu(self.tr("&Training"))
        for action in (play, step, reset, None, self.step_back_action, self.step_forward_action, None, pin, unpin):
            run.addSeparator() if action is None else run.addAction(action)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.view_menu.setObjectName("menuView")
        for dock in self.view_docks.docks.values():
            action = dock.toggleViewAction()
            action.setObjectName(f"action{dock.objectName()[0].upper()}{dock.objectName()[1:]}")
            self.view_menu.addAction(action)
        self.view_menu.addAction(self.settings_dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.presentation_action = self._action("actionPresentationMode", self.tr("Presentation mode"),
                                                self.set_presentation, QKeySequence(Qt.Key.Key_F5))
        self.presentation_action.setCheckable(True)
        self.presentation_action.setToolTip(self.tr("For a projector: larger text, lines and points, and the "
                                                    "settings panel put away (F5)"))
        self.view_menu.addAction(self.presentation_action)
        self.view_menu.addSeparator()
        self.language_menu.build_menu(self.view_menu)
        self.lessons.build_menu(self.menuBar())
        self.help_menu.build_menu(self.menuBar())
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolBar")
        for action in (open_data, save, export, undo, redo, clear, pin):
            toolbar.addAction(action)
        button = toolbar.widgetForAction(undo)
        button.setFixedWidth(UNDO_TEXT_PIXELS + 2 * button.fontMetrics().averageCharWidth() + 8)
        self.fill_recent_menu()

    def set_presentation(self, on: bool) -> None:
        """Presentation mode (View menu, F5; remembered): text, lines and points PRESENTATION_SCALE ×
        larger, and the settings panel put away (Play, Step, Reset and the speed stay in the toolbar)."""
        on = bool(on)
        self.presentation_action.setChecked(on)
        if on == self._presenting:
            return
        self._presenting = on
        scale = PRESENTATION_SCALE if on else 1.0
        self.setFont(scaled_font(scale))
        # A line edit takes the platform's font for its class, not its parent's: it is told.
        self.formula_label.setFont(scaled_font(scale))
        self.data_plot.set_scale(scale)
        self.loss_plot.set_scale(scale)
        self.caption_bar.set_compact(on)
        # Larger text takes height: the plots under the data plot give it back, so it keeps 45 %.
        self.view_docks.set_view_height(PRESENTATION_VIEW_HEIGHT if on else VIEW_HEIGHT)
        if on:
            self._settings_were_visible = not self.settings_dock.isHidden()
            self.settings_dock.hide()
        elif self._settings_were_visible:
            self.settings_dock.show()
        remember_presentation(on)

    # --- the views in docks, built when first shown ------------------------------------------------

    def show_views(self, names) -> None:
        """Open the named views' docks and close the others (a lesson's views); "validation:degree"
        also starts that view's "degree" (a sweep)."""
        self.view_docks.show_only([name.partition(":")[0] for name in names])
        for name in names:
            view, _, option = name.partition(":")
            if option:
                self.view_docks.start(view, option)

    def _on_document_changed_for_title(self, change: Change) -> None:
        if change.file:
            self._update_title()

    def fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.files.recent()
        for path in recent:
            action = self.recent_menu.addAction(menu_text(os.path.basename(path)))
            action.setToolTip(rich_plain(path))
            action.triggered.connect(lambda _=False, p=path: self.files.open_file(p))
        self.recent_menu.setEnabled(bool(recent))

    def _on_clear_points_triggered(self) -> None:
        task = self.document.task
        if len(self.document.points[task]):
            # refit=False: draw on the same axes
            self.document.replace_points(task, Points.empty(task), text=translate("MainWindow", "Clear points"),
                                         refit=False)

    def _on_data_plot_formula_changed(self, text: str) -> None:
        self.formula_label.setText(text)
        self.formula_label.setVisible(bool(text))

    def _on_pin_run_triggered(self) -> None:
        if not self.pins.pin():
            self.message_bar.show_message(self.tr("Nothing to pin yet: train a few steps first."), error=True)

    def _ask_export_animation(self) -> None:
        from .animation import AnimationActions   # with the command: start-up does not import it

        if self.animation is None:
            self.animation = AnimationActions(self, self)
        self.animation.ask()

    def _on_message_bar_details_requested(self, details: str) -> None:
        QMessageBox.information(self, self.tr("What went wrong"), rich_plain(details))

    # --- files, title, closing --------------------------------------------------------------------

    def open_file(self, path: str) -> bool:
        return self.files.open_file(path)

    def mark_unmodified(self) -> None:
        """What is shown now counts as saved (a file opened from the command line, for instance)."""
        self.document.mark_saved(None)

    def is_modified(self) -> bool:
        return self.document.modified

    def _update_title(self) -> None:
        path = self.document.path
        name = title_text(os.path.basename(path)) if path else self.tr("untitled")
        self.setWindowTitle(self.tr("{name}{modified} — regstudio").format(
            name=name, modified="*" if self.document.modified else ""))

    def hand_over(self) -> None:
        """Another window shows this one's document now: close without asking to save it."""
        self._handed_over = True

    def closeEvent(self, event) -> None:
        if self.document.modified and not self._handed_over:
            answer = QMessageBox.question(
                self, self.tr("Unsaved changes"), self.tr("Save this session before closing?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.files.save()):
                event.ignore()
                return
        self.layout_settings.save()
        if self.animation is not None:
            self.animation.shutdown()
        self.view_docks.shutdown()
        self.lessons.shutdown()
        self.controller.shutdown()
        self.events.detach()
        event.accept()
