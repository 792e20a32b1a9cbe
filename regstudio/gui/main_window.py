"""The main window: turns clicks into core calls and the training thread's frames into plots."""

from __future__ import annotations

import os
import time

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (registers ImageExporter and SVGExporter)
from PySide6.QtCore import QSettings, Qt, QThread
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QMainWindow, QMessageBox, QPushButton, QScrollArea,
                               QSlider, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..core.data import Dataset, class_order, load_csv
from ..core.errors import RegstudioError
from ..core.generators import CLASSIFICATION_SETS, GENERATORS, generate
from ..core.modelfile import model_document, original_units, write_json
from ..core.models import is_classifier
from ..core.session import Points, SessionState, load_session, save_session
from ..core.training import STOP_CONVERGED, STOP_DIVERGED, Settings, Trainer, prepare
from .commands import MovePoint, ReplacePoints
from .data_plot import MAX_DRAWN_POINTS, DataPlot
from .dialogs import ColumnDialog, obvious_columns
from .loss_plot import LossPlot
from .style import CLASS_COLORS, MAX_CLASSES, class_rgb, configure_pyqtgraph
from .widgets import LogSpinBox
from .worker import TrainingWorker, ViewRequest

MODELS = [("linear", "Linear regression"), ("polynomial", "Polynomial regression"), ("ridge", "Ridge regression"),
          ("logistic", "Logistic regression"), ("softmax", "Softmax regression"),
          ("cascade", "Cascade of logistic units")]
OPTIMIZERS = [("gd", "Gradient descent"), ("sgd", "Stochastic GD (mini-batch)"), ("momentum", "Momentum"),
              ("adagrad", "Adagrad"), ("adam", "Adam"), ("exact", "Solve exactly")]
SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None]
DEFAULT_SPEED = SPEEDS.index(20)
GENERATOR_LABELS = {"line": "Noisy line", "cubic": "Noisy cubic", "sine": "Noisy sine",
                    "hidden_factor": "Hidden factor (species)", "two_blobs": "Two blobs", "blobs": "K blobs",
                    "xor": "XOR", "circles": "Circles", "spiral": "Spiral"}
DEFAULT_DEGREE = {"polynomial": 3}
DEFAULT_L2 = {"ridge": 0.01}
SESSION_FILTER = "regstudio session (*.regstudio)"
RECENT_LIMIT = 8


def _task(model: str) -> str:
    return "classification" if is_classifier(model) else "regression"


def _color_swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class MainWindow(QMainWindow):
    def __init__(self, parent=None):
        configure_pyqtgraph()
        super().__init__(parent)
        # Delete the widgets on close, in this thread: left to Python's cyclic garbage collector they
        # may be destroyed from whichever thread triggers a collection — the training thread too.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("regstudio")
        self.resize(1320, 860)
        self.undo_stack = QUndoStack(self)
        self.session_path: str | None = None
        self._settings_dirty = False
        self._run_id = 0
        self._problem = None
        self._last_snapshot = None
        self._last_metrics = None
        self._last_table_update = 0.0
        self._degree = dict(DEFAULT_DEGREE)
        self._l2 = dict(DEFAULT_L2)
        rng = np.random.default_rng(0)
        self.points = {"regression": Points.from_dataset(generate("line", 20, 1.0, seed=0), 0.0, rng),
                       "classification": Points.from_dataset(generate("two_blobs", 60, 0.9, seed=0), 0.0, rng)}
        self._click_rng = np.random.default_rng(1)
        self._group_default = False

        self._build_views()
        self._build_controls()
        self._build_actions()
        self._start_thread()
        self._on_speed_slider_changed(self.speed_slider.value())
        self._sync_visibility()
        self._refresh_data_view(fit=True)
        self._restart()
        self._update_title()

    # ------------------------------------------------------------------------------------------------
    # construction

    def _build_views(self) -> None:
        self.data_plot = DataPlot()
        self.loss_plot = LossPlot()
        self.message_label = QLabel(objectName="messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("messageLabel")
        self.axes_label = QLabel(objectName="axesLabel")
        self.axes_label.setStyleSheet("color: #555;")
        left = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.message_label)
        top_layout.addWidget(self.data_plot, 1)
        top_layout.addWidget(self.axes_label)
        left.addWidget(top)
        left.addWidget(self.loss_plot)
        left.setSizes([600, 240])
        self.panel = QWidget()
        self.panel_layout = QVBoxLayout(self.panel)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(350)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([950, 370])
        self.setCentralWidget(splitter)
        self.status_label = QLabel(objectName="statusLabel")
        self.statusBar().addWidget(self.status_label, 1)
        self.data_plot.canvas.clicked.connect(self._on_canvas_clicked)
        self.data_plot.canvas.deleteRequested.connect(self._on_canvas_delete_requested)
        self.data_plot.canvas.dragged.connect(self._on_canvas_dragged)
        self.data_plot.canvas.sigRangeChangedManually.connect(self._on_data_plot_range_changed)

    def _named(self, widget, name: str, tip: str = ""):
        widget.setObjectName(name)
        widget.setAccessibleName(name)
        if tip:
            widget.setToolTip(tip)
        return widget

    def _group(self, title: str) -> QFormLayout:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.panel_layout.addWidget(box)
        return form

    def _build_controls(self) -> None:
        data = self._group("Data")
        self.generator_combo = self._named(QComboBox(), "generatorCombo")
        self.size_spin = self._named(QSpinBox(), "sizeSpin", "Rows to generate")
        self.size_spin.setRange(2, 1_000_000)
        self.size_spin.setValue(60)
        self.size_spin.setGroupSeparatorShown(True)
        self.noise_spin = self._named(QDoubleSpinBox(), "noiseSpin", "Noise (standard deviation)")
        self.noise_spin.setRange(0.0, 10.0)
        self.noise_spin.setSingleStep(0.1)
        self.noise_spin.setValue(0.5)
        self.generate_button = self._named(QPushButton("Generate"), "generateButton")
        row = QHBoxLayout()
        row.addWidget(self.size_spin)
        row.addWidget(self.noise_spin)
        row.addWidget(self.generate_button)
        data.addRow("Data set", self.generator_combo)
        data.addRow("Size, noise", row)
        self.class_combo = self._named(QComboBox(), "classCombo", "The class a click adds")
        data.addRow("Click adds", self.class_combo)
        self.test_fraction_spin = self._named(QDoubleSpinBox(), "testFractionSpin",
                                              "Share of points held out for testing (drawn hollow)")
        self.test_fraction_spin.setRange(0.0, 0.9)
        self.test_fraction_spin.setSingleStep(0.05)
        self.test_fraction_spin.setValue(0.0)
        data.addRow("Test fraction", self.test_fraction_spin)
        self.x_axis_combo = self._named(QComboBox(), "xAxisCombo")
        self.y_axis_combo = self._named(QComboBox(), "yAxisCombo")
        data.addRow("Horizontal axis", self.x_axis_combo)
        data.addRow("Vertical axis", self.y_axis_combo)
        self.data_form = data

        model = self._group("Model")
        self.model_combo = self._named(QComboBox(), "modelCombo")
        for key, label in MODELS:
            self.model_combo.addItem(label, key)
        self.degree_spin = self._named(QSpinBox(), "degreeSpin", "Polynomial degree of the features")
        self.degree_spin.setRange(1, 15)
        self.l2_spin = self._named(LogSpinBox(1e-6, 100.0, 0.0, allow_zero=True), "l2Spin",
                                   "L2 penalty λ on the weights (never the bias)")
        self.hidden_spin = self._named(QSpinBox(), "hiddenSpin", "Hidden logistic units")
        self.hidden_spin.setRange(1, 32)
        self.hidden_spin.setValue(2)
        self.loss_combo = self._named(QComboBox(), "lossCombo")
        self.loss_combo.addItem("Cross-entropy", "ce")
        self.loss_combo.addItem("Square error on σ(z)", "mse")
        self.group_combo = self._named(QComboBox(), "groupCombo", "Give each group its own intercept and slope")
        for label, widget in (("Model", self.model_combo), ("Degree", self.degree_spin), ("L2 λ", self.l2_spin),
                              ("Hidden units", self.hidden_spin), ("Loss", self.loss_combo),
                              ("Group column", self.group_combo)):
            model.addRow(label, widget)
        self.model_form = model

        optimizer = self._group("Optimizer")
        self.optimizer_combo = self._named(QComboBox(), "optimizerCombo")
        self.learning_rate_spin = self._named(LogSpinBox(1e-5, 100.0, 0.1), "learningRateSpin",
                                              "Learning rate η (arrows step on a log scale)")
        self.batch_spin = self._named(QSpinBox(), "batchSizeSpin", "Mini-batch size (full = every training row)")
        self.batch_spin.setRange(0, 1_000_000)
        self.batch_spin.setSpecialValueText("full")
        self.batch_spin.setValue(0)
        self.seed_spin = self._named(QSpinBox(), "seedSpin", "Seed of initial weights, batches and data")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.init_combo = self._named(QComboBox(), "initCombo")
        for label, key in (("Default (zeros; cascade: Glorot)", "auto"), ("Zeros", "zeros"),
                           ("Random (seeded)", "random")):
            self.init_combo.addItem(label, key)
        for label, widget in (("Method", self.optimizer_combo), ("Learning rate", self.learning_rate_spin),
                              ("Batch size", self.batch_spin), ("Seed", self.seed_spin),
                              ("Initial weights", self.init_combo)):
            optimizer.addRow(label, widget)
        self.optimizer_form = optimizer

        training = self._group("Training")
        self.step_button = self._named(QPushButton("Step"), "stepButton", "One parameter update (S)")
        self.play_button = self._named(QPushButton("Play"), "playButton", "Animate gradient descent (Space)")
        self.play_button.setCheckable(True)
        self.reset_button = self._named(QPushButton("Reset"), "resetButton", "Start again from the seed (R)")
        buttons = QHBoxLayout()
        for button in (self.step_button, self.play_button, self.reset_button):
            buttons.addWidget(button)
        training.addRow(buttons)
        self.speed_slider = self._named(QSlider(Qt.Orientation.Horizontal), "speedSlider", "Steps per second")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setValue(DEFAULT_SPEED)
        self.speed_label = QLabel()
        speed = QHBoxLayout()
        speed.addWidget(self.speed_slider, 1)
        speed.addWidget(self.speed_label)
        training.addRow("Speed", speed)
        self.log_check = self._named(QCheckBox("Log scale"), "logScaleCheck")
        training.addRow("Loss plot", self.log_check)

        params = QGroupBox("Parameters")
        params_layout = QVBoxLayout(params)
        self.params_table = self._named(QTableWidget(0, 2), "paramsTable")
        self.params_table.setHorizontalHeaderLabels(["parameter", "value"])
        self.params_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.params_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.params_table.verticalHeader().setVisible(False)
        self.params_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.params_table.setMinimumHeight(180)
        params_layout.addWidget(self.params_table)
        self.panel_layout.addWidget(params, 1)

        self._fill_optimizer_combo()
        self._fill_generator_combo()
        self._fill_class_combo()
        self.degree_spin.setValue(self._degree.get(self._model(), 1))

        self.model_combo.currentIndexChanged.connect(self._on_model_combo_changed)
        self.optimizer_combo.currentIndexChanged.connect(self._on_setting_changed)
        for spin in (self.degree_spin, self.hidden_spin, self.seed_spin, self.batch_spin):
            spin.valueChanged.connect(self._on_setting_changed)
        for combo in (self.loss_combo, self.group_combo, self.init_combo):
            combo.currentIndexChanged.connect(self._on_setting_changed)
        self.learning_rate_spin.valueChanged.connect(self._on_learning_rate_changed)
        self.l2_spin.valueChanged.connect(self._on_l2_changed)
        self.x_axis_combo.currentIndexChanged.connect(self._on_axis_changed)
        self.y_axis_combo.currentIndexChanged.connect(self._on_axis_changed)
        self.test_fraction_spin.valueChanged.connect(self._on_test_fraction_changed)
        self.generate_button.clicked.connect(self._on_generate_clicked)
        self.step_button.clicked.connect(self._on_step_clicked)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.reset_button.clicked.connect(self._restart)
        self.speed_slider.valueChanged.connect(self._on_speed_slider_changed)
        self.log_check.toggled.connect(self.loss_plot.set_log_scale)

    def _build_actions(self) -> None:
        def action(name, text, slot, shortcut=None):
            a = QAction(text, self)
            a.setObjectName(name)
            if shortcut is not None:
                a.setShortcut(shortcut)
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.action_open_data = action("actionOpenData", "Open data…", self._on_open_data,
                                       QKeySequence.StandardKey.Open)
        self.action_open_session = action("actionOpenSession", "Open session…", self._on_open_session,
                                          QKeySequence("Ctrl+Shift+O"))
        self.action_save_session = action("actionSaveSession", "Save session", self._on_save_session,
                                          QKeySequence.StandardKey.Save)
        self.action_save_session_as = action("actionSaveSessionAs", "Save session as…", self._on_save_session_as,
                                             QKeySequence("Ctrl+Shift+S"))
        self.action_export_parameters = action("actionExportParameters", "Export parameters…",
                                               self._on_export_parameters, QKeySequence("Ctrl+E"))
        self.action_export_plot = action("actionExportPlot", "Export plot image…", self._on_export_plot)
        self.action_clear_points = action("actionClearPoints", "Clear points", self._on_clear_points)
        self.action_quit = action("actionQuit", "Quit", self.close, QKeySequence.StandardKey.Quit)
        self.action_undo = self.undo_stack.createUndoAction(self, "Undo")
        self.action_undo.setObjectName("actionUndo")
        self.action_undo.setShortcuts([QKeySequence.StandardKey.Undo])
        self.action_redo = self.undo_stack.createRedoAction(self, "Redo")
        self.action_redo.setObjectName("actionRedo")
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.action_undo, self.action_redo])
        play_key = action("actionPlayPause", "Play/Pause", self.play_button.toggle, QKeySequence(Qt.Key.Key_Space))
        step_key = action("actionStep", "Step", self._on_step_clicked, QKeySequence(Qt.Key.Key_S))
        reset_key = action("actionReset", "Reset", self._restart, QKeySequence(Qt.Key.Key_R))

        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.action_open_data)
        self.recent_menu = menu.addMenu("Open recent")
        menu.addAction(self.action_open_session)
        menu.addAction(self.action_save_session)
        menu.addAction(self.action_save_session_as)
        menu.addSeparator()
        menu.addAction(self.action_export_parameters)
        menu.addAction(self.action_export_plot)
        menu.addSeparator()
        menu.addAction(self.action_quit)
        edit = self.menuBar().addMenu("&Edit")
        edit.addAction(self.action_undo)
        edit.addAction(self.action_redo)
        edit.addSeparator()
        edit.addAction(self.action_clear_points)
        run = self.menuBar().addMenu("&Training")
        for a in (play_key, step_key, reset_key):
            run.addAction(a)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolBar")
        for a in (self.action_open_data, self.action_save_session, self.action_export_parameters,
                  self.action_undo, self.action_redo, self.action_clear_points):
            toolbar.addAction(a)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self._fill_recent_menu()

    def _start_thread(self) -> None:
        self.worker = TrainingWorker()
        self.thread = QThread()
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.loop)
        self.worker.frameReady.connect(self._on_worker_frame)
        self.thread.start()

    # ------------------------------------------------------------------------------------------------
    # state read from the controls

    def _model(self) -> str:
        return self.model_combo.currentData()

    def _task(self) -> str:
        return _task(self._model())

    def _optimizer(self) -> str:
        return self.optimizer_combo.currentData()

    def _axes(self) -> tuple[int, int]:
        x = max(0, self.x_axis_combo.currentIndex())
        y = max(0, self.y_axis_combo.currentIndex())
        return x, y

    def settings(self) -> Settings:
        model, optimizer = self._model(), self._optimizer()
        batch = self.batch_spin.value()
        return Settings(model=model, degree=1 if model == "linear" else self.degree_spin.value(),
                        l2=self.l2_spin.value(), hidden=self.hidden_spin.value(),
                        loss=self.loss_combo.currentData() if model == "logistic" else "ce",
                        optimizer=optimizer, lr=self.learning_rate_spin.value(),
                        batch_size=batch if batch and optimizer not in ("gd", "exact") else None,
                        steps=10**15, seed=self.seed_spin.value(), test_fraction=self.test_fraction_spin.value(),
                        init=self.init_combo.currentData())

    def _training_data(self) -> Points:
        points = self.points[self._task()]
        data = points.data
        if data.group_name is not None and self.group_combo.currentIndex() <= 0:
            data = Dataset(data.X, data.y, None, data.x_names, data.y_name, None, 0, data.source)
            return Points(data, points.test)
        return points

    def _classes(self) -> tuple[str, ...]:
        if self._problem is not None and self._problem.classes is not None:
            return self._problem.classes
        return class_order(self.points["classification"].data.y) if len(self.points["classification"]) else ()

    def _color_index(self, label: str, classes) -> int:
        """Drawn labels "0"…"9" keep their own colour; other labels take their place in class order."""
        if label.isdigit() and int(label) < MAX_CLASSES:
            return int(label)
        return list(classes).index(label) % MAX_CLASSES if label in classes else 0

    def _view_request(self) -> ViewRequest:
        x_range, y_range = self.data_plot.view_ranges()
        classes = self._classes()
        palette = class_rgb()
        colors = np.array([palette[self._color_index(c, classes)] for c in classes], dtype=np.uint8) if classes \
            else None
        return ViewRequest(x_range, y_range, self._axes(), colors)

    # ------------------------------------------------------------------------------------------------
    # filling controls

    def _fill_optimizer_combo(self) -> None:
        current = self._optimizer() or "gd"
        self.optimizer_combo.blockSignals(True)
        self.optimizer_combo.clear()
        for key, label in OPTIMIZERS:
            if key == "exact" and self._model() == "cascade":
                continue
            self.optimizer_combo.addItem(label, key)
        index = self.optimizer_combo.findData(current)
        self.optimizer_combo.setCurrentIndex(max(0, index))
        self.optimizer_combo.blockSignals(False)

    def _fill_generator_combo(self) -> None:
        task = self._task()
        self.generator_combo.clear()
        for key in GENERATORS:
            if (key in CLASSIFICATION_SETS) == (task == "classification"):
                self.generator_combo.addItem(GENERATOR_LABELS[key], key)

    def _fill_class_combo(self) -> None:
        current = self.class_combo.currentData()
        labels = class_order(self.points["classification"].data.y) if len(self.points["classification"]) else ()
        if all(label.isdigit() and int(label) < MAX_CLASSES for label in labels):
            labels = tuple(str(k) for k in range(MAX_CLASSES))
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        for label in labels[:MAX_CLASSES]:
            self.class_combo.addItem(_color_swatch(CLASS_COLORS[self._color_index(label, labels)]),
                                     f"class {label}", label)
        index = self.class_combo.findData(current)
        self.class_combo.setCurrentIndex(max(0, index))
        self.class_combo.blockSignals(False)

    def _fill_axis_combos(self) -> None:
        names = list(self.points[self._task()].data.x_names)
        if names == [self.x_axis_combo.itemText(i) for i in range(self.x_axis_combo.count())]:
            return
        for combo, default in ((self.x_axis_combo, 0), (self.y_axis_combo, min(1, len(names) - 1))):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(default)
            combo.blockSignals(False)

    def _fill_group_combo(self) -> None:
        """List the data's group column; a new data set starts with it in use if it came with one."""
        group = self.points[self._task()].data.group_name
        listed = self.group_combo.itemData(1) if self.group_combo.count() > 1 else None
        if self.group_combo.count() and group == listed:
            return
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem("(none)", None)
        if group is not None:
            self.group_combo.addItem(group, group)
            self.group_combo.setCurrentIndex(1 if self._group_default else 0)
        self.group_combo.blockSignals(False)

    def _sync_visibility(self) -> None:
        model, optimizer, task = self._model(), self._optimizer(), self._task()
        n_inputs = len(self.points[task].data.x_names)
        rows = [(self.model_form, self.degree_spin, model != "linear"),
                (self.model_form, self.hidden_spin, model == "cascade"),
                (self.model_form, self.loss_combo, model == "logistic"),
                (self.model_form, self.group_combo, self.points[task].data.group_name is not None),
                (self.optimizer_form, self.learning_rate_spin, optimizer != "exact"),
                (self.optimizer_form, self.batch_spin, optimizer not in ("gd", "exact")),
                (self.optimizer_form, self.init_combo, optimizer != "exact"),
                (self.data_form, self.class_combo, task == "classification"),
                (self.data_form, self.x_axis_combo, n_inputs > (1 if task == "regression" else 2)),
                (self.data_form, self.y_axis_combo, task == "classification" and n_inputs > 2)]
        for form, widget, visible in rows:
            form.setRowVisible(widget, visible)

    # ------------------------------------------------------------------------------------------------
    # training runs

    def _restart(self) -> None:
        """Start a fresh run from the seed with the current data and settings."""
        self._start_run()

    def _start_run(self, restored: SessionState | None = None) -> None:
        """A new run; with ``restored``, it continues the run of a session file (its parameters,
        step count and loss history) instead of starting from the seed."""
        self._run_id += 1
        self._last_snapshot = self._last_metrics = None
        self.loss_plot.clear_history()
        self._problem = self._build_problem()
        trainer = Trainer(self._problem) if self._problem is not None else None
        if trainer is not None and restored is not None and restored.theta is not None \
                and len(restored.theta) == trainer.model.n_params:
            trainer.theta[:] = restored.theta
            trainer.step_count = trainer.batches_seen = restored.step
            losses = np.asarray(restored.losses or [], dtype=np.float64)
            self.loss_plot.add(restored.step - len(losses), losses, None)
        self.worker.start(self._run_id, trainer, self._view_request())
        if trainer is None:
            self.play_button.setChecked(False)
            self.data_plot.clear_fit()
            self._show_parameters(None)
        else:
            self.worker.play(self.play_button.isChecked())
        self._refresh_data_view()

    def _build_problem(self):
        points = self._training_data()
        task = self._task()
        if len(points) == 0:
            self._set_message("Click on the canvas to add points, or generate or open a data set.")
            return None
        if task == "classification" and len(set(points.data.y.tolist())) < 2:
            self._set_message("Add points of a second class: choose it under Data → Click adds.")
            return None
        try:
            problem = prepare(points.data, self.settings(), test_mask=points.test)
        except RegstudioError as exc:
            self._set_message(str(exc), error=True)
            return None
        self._set_message("")
        return problem

    def _on_points_changed(self) -> None:
        """Data edited: keep training on the new points, from the current parameters."""
        if self._problem is None:
            self._restart()
            return
        problem = self._build_problem()
        if problem is None:
            self._restart()
            return
        self._problem = problem
        self.worker.replace_problem(problem)
        self.worker.set_view(self._view_request())

    # ------------------------------------------------------------------------------------------------
    # handlers: controls

    def _on_model_combo_changed(self, _index: int) -> None:
        previous_task = self.generator_combo.currentData() in CLASSIFICATION_SETS
        model = self._model()
        for spin, memory, default in ((self.degree_spin, self._degree, 1), (self.l2_spin, self._l2, 0.0)):
            spin.blockSignals(True)
            spin.setValue(memory.get(model, default))
            spin.blockSignals(False)
        self._fill_optimizer_combo()
        if previous_task != (self._task() == "classification"):
            self._fill_generator_combo()
            self._refresh_data_view(fit=True)
        self._on_setting_changed()

    def _on_setting_changed(self, *_) -> None:
        self._degree[self._model()] = self.degree_spin.value()
        self._settings_dirty = True
        self._sync_visibility()
        self._update_title()
        self._restart()

    def _on_learning_rate_changed(self, value: float) -> None:
        self._settings_dirty = True
        self.worker.set_hyperparameters(lr=value)

    def _on_l2_changed(self, value: float) -> None:
        self._l2[self._model()] = value
        self._settings_dirty = True
        self.worker.set_hyperparameters(l2=value)

    def _on_axis_changed(self, _index: int) -> None:
        self._refresh_data_view(fit=True)
        self.worker.set_view(self._view_request())

    def _on_speed_slider_changed(self, index: int) -> None:
        speed = SPEEDS[index]
        self.speed_label.setText("full speed" if speed is None else f"{speed} steps/s")
        self.worker.set_speed(speed)

    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing and self._problem is None:
            self._restart()
        self.worker.play(playing)

    def _on_step_clicked(self) -> None:
        self.play_button.setChecked(False)
        if self._problem is not None:
            self.worker.step(1)

    def _on_data_plot_range_changed(self, *_) -> None:
        self.worker.set_view(self._view_request())

    # ------------------------------------------------------------------------------------------------
    # handlers: editing points

    def _push_points(self, after: Points, text: str, fit: bool = False, task: str | None = None) -> None:
        task = task or self._task()
        self.undo_stack.push(ReplacePoints(self._apply_points_fit if fit else self._apply_points, task,
                                           self.points[task], after, text))

    def _apply_points(self, task: str, points: Points) -> None:
        self.points[task] = points
        if task == self._task():
            self._refresh_data_view()
            self._on_points_changed()

    def _apply_points_fit(self, task: str, points: Points) -> None:
        self.points[task] = points
        if task == self._task():
            self._fill_group_combo()
            self._sync_visibility()
            self._refresh_data_view(fit=True)
            self._restart()

    def _split_rng(self) -> np.random.Generator:
        """The train/test split's own stream: the generators draw from ``default_rng(seed)``, and
        reusing that stream would make the split follow the data (the first 30 % of x values)."""
        return np.random.default_rng([self.seed_spin.value(), 0x5EED])

    def _new_point_is_test(self) -> bool:
        return bool(self._click_rng.random() < self.test_fraction_spin.value())

    def _on_canvas_clicked(self, x: float, y: float) -> None:
        task = self._task()
        points = self.points[task]
        data = points.data
        mean = data.X.mean(axis=0) if len(points) else np.zeros(len(data.x_names))
        x_row = mean.copy()
        axes = self._axes()
        group = data.groups[0] if data.groups is not None and len(points) else None
        if task == "regression":
            x_row[axes[0]] = x
            after = points.add(x_row, y, self._new_point_is_test(), group)
        else:
            label = self.class_combo.currentData()
            if label is None:
                return
            x_row[axes[0]], x_row[axes[1]] = x, y
            after = points.add(x_row, label, self._new_point_is_test(), group)
        self._push_points(after, "Add point")

    def _on_canvas_delete_requested(self, x: float, y: float) -> None:
        row = self.data_plot.nearest_row(x, y)
        if row is not None:
            self._push_points(self.points[self._task()].remove(row), "Delete point")

    def _on_canvas_dragged(self, row: int, x: float, y: float, _finished: bool) -> None:
        task = self._task()
        points = self.points[task]
        axes = self._axes()
        x_row = points.data.X[row].copy()
        if task == "regression":
            x_row[axes[0]] = x
            after = points.move(row, x_row, y)
        else:
            x_row[axes[0]], x_row[axes[1]] = x, y
            after = points.move(row, x_row)
        self.undo_stack.push(MovePoint(self._apply_points, task, points, after, row))

    def _on_clear_points(self) -> None:
        task = self._task()
        if len(self.points[task]):
            self._push_points(Points.empty(task), "Clear points")

    def _on_generate_clicked(self) -> None:
        name = self.generator_combo.currentData()
        options = {"classes": 3} if name == "blobs" else {}
        data = generate(name, self.size_spin.value(), self.noise_spin.value(), seed=self.seed_spin.value(), **options)
        self._group_default = data.group_name is not None
        rng = self._split_rng()
        self._push_points(Points.from_dataset(data, self.test_fraction_spin.value(), rng),
                          f"Generate {GENERATOR_LABELS[name]}", fit=True)

    def _on_test_fraction_changed(self, value: float) -> None:
        task = self._task()
        rng = self._split_rng()
        self._push_points(self.points[task].resplit(value, rng), "Change test fraction")

    # ------------------------------------------------------------------------------------------------
    # the data view

    def _refresh_data_view(self, fit: bool = False) -> None:
        task = self._task()
        points = self.points[task]
        self._fill_axis_combos()
        self._fill_group_combo()
        self._fill_class_combo()
        self._sync_visibility()
        classes = class_order(points.data.y) if task == "classification" and len(points) else ()
        grouped = points.data.groups is not None and self.group_combo.currentIndex() > 0
        self.data_plot.show_points(points, task, self._axes(), lambda label: self._color_index(label, classes),
                                   class_order(points.data.groups) if grouped and len(points) else None)
        if fit:
            self.data_plot.fit_view(points, task, self._axes())
        names = points.data.x_names
        axes = self._axes()
        if task == "regression":
            self.data_plot.setLabel("bottom", names[axes[0]])
            self.data_plot.setLabel("left", points.data.y_name)
            shown = {axes[0]}
        else:
            self.data_plot.setLabel("bottom", names[axes[0]])
            self.data_plot.setLabel("left", names[axes[1]])
            shown = {axes[0], axes[1]}
        notes = []
        others = [n for i, n in enumerate(names) if i not in shown]
        if others:
            notes.append(f"{', '.join(others)} held at {'its' if len(others) == 1 else 'their'} training mean")
        if len(points) > MAX_DRAWN_POINTS:
            notes.append(f"showing {MAX_DRAWN_POINTS:,} of {len(points):,} points")
        tested = int(points.test.sum())
        if tested:
            notes.append(f"{tested} test point{'s' if tested != 1 else ''} drawn hollow")
        self.axes_label.setText("  ·  ".join(notes))

    # ------------------------------------------------------------------------------------------------
    # frames from the training thread

    def _on_worker_frame(self) -> None:
        frame = self.worker.take_frame()
        if frame is None or frame.run_id != self._run_id:
            return
        snapshot = frame.snapshot
        self.loss_plot.add(snapshot.step - len(frame.losses), frame.losses, frame.test_point)
        self.loss_plot.redraw()
        if frame.ranges is not None:
            self.data_plot.show_fit(frame.curves, frame.image, frame.boundaries, frame.ranges, frame.hidden_lines)
        self._last_snapshot = snapshot
        if snapshot.metrics is not None:
            self._last_metrics = snapshot.metrics
        now = time.perf_counter()
        if not self.play_button.isChecked() or now - self._last_table_update > 0.1 or snapshot.stop_reason:
            self._last_table_update = now
            self._show_parameters(snapshot)
        self._show_status(snapshot, frame.steps_per_second)
        if snapshot.stop_reason == STOP_DIVERGED:
            self.play_button.setChecked(False)
            self._set_message(f"{snapshot.message}, then press Reset.", error=True)
        elif snapshot.stop_reason == STOP_CONVERGED:
            self.play_button.setChecked(False)
            self._set_message(snapshot.message.capitalize() + ".")

    def _show_status(self, snapshot, steps_per_second: float) -> None:
        parts = [f"step {snapshot.step:,}", f"epoch {snapshot.epoch:,.2f}"]
        metrics = snapshot.metrics or self._last_metrics
        if metrics:
            train, test = metrics["train"], metrics["test"]
            parts.append(f"train loss {train['objective']:.5g}")
            if test:
                parts.append(f"test loss {test['objective']:.5g}")
            key, label = ("r2", "R²") if "r2" in train else ("accuracy", "accuracy")
            score = f"{label} {train[key]:.4f}"
            if test:
                score += f" (test {test[key]:.4f})"
            parts.append(score)
        parts.append(f"{steps_per_second:,.0f} steps/s")
        self.status_label.setText("  ·  ".join(parts))

    def _show_parameters(self, snapshot) -> None:
        rows = []
        if snapshot is not None and self._problem is not None:
            names = self._problem.pipeline.names
            params = snapshot.params
            if "W" in params:
                W, b = params["W"], params["b"]
                outputs = [""] if W.shape[0] == 1 else [f"[{c}] " for c in self._problem.classes]
                for k, prefix in enumerate(outputs):
                    rows += [(f"{prefix}w {n}", W[k, j]) for j, n in enumerate(names)]
                    rows.append((f"{prefix}b (bias)", b[k]))
                units = original_units(self._problem, self._problem.model.pack(params))
                if units and "intercept" in units:
                    rows.append(("— in original units —", None))
                    rows.append(("intercept", units["intercept"]))
                    rows += [(name, value) for name, value in units["coefficients"].items()]
            else:
                for name, value in params.items():
                    for index in np.ndindex(value.shape):
                        rows.append((f"{name}[{','.join(map(str, index))}]", value[index]))
        table = self.params_table
        table.setRowCount(len(rows))
        for i, (name, value) in enumerate(rows):
            for j, text in enumerate((name, "" if value is None else f"{value: .6g}")):
                item = table.item(i, j)
                if item is None:
                    item = QTableWidgetItem()
                    table.setItem(i, j, item)
                item.setText(text)

    def _set_message(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
        palette = "color: #a40000; background: #fde8e8;" if error else "color: #1d5e20; background: #e8f5e9;"
        self.message_label.setStyleSheet(palette + " padding: 4px;")

    # ------------------------------------------------------------------------------------------------
    # files

    def _error(self, title: str, exc: Exception) -> None:
        QMessageBox.critical(self, title, str(exc))

    def _on_open_data(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open data", self._last_folder(),
                                              "CSV files (*.csv *.tsv *.txt);;All files (*)")
        if path:
            self.open_data(path)

    def open_data(self, path: str) -> bool:
        """Load a CSV into the current task's points (asking for columns when they are not obvious)."""
        try:
            table = load_csv(path)
        except RegstudioError as exc:
            self._error("Cannot open data", exc)
            return False
        choice = obvious_columns(table.header)
        if choice is None:
            dialog = ColumnDialog(path, table.header, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            choice = dialog.choice()
        target, inputs, group = choice
        task = self._task()
        numeric_target = True
        try:
            table.numeric_column(target)
        except RegstudioError:
            numeric_target = False
        if table.header == ("x1", "x2", "label") or (not numeric_target and table.header != ("x", "y")):
            task = "classification"  # text labels are classes; in an x,y file they are a typo, reported below
        try:
            data = table.dataset(target, inputs, group, task=task)
            if task == "classification" and len(class_order(data.y)) > MAX_CLASSES:
                raise RegstudioError(f"{path}: column {target!r} has more than {MAX_CLASSES} classes")
        except RegstudioError as exc:
            self._error("Cannot open data", exc)
            return False
        if data.dropped:
            self._set_message(f"{os.path.basename(path)}: dropped {data.dropped} row(s) with missing values.")
        self._group_default = group is not None
        rng = self._split_rng()
        if task != self._task():
            n_classes = len(class_order(data.y))
            self.model_combo.setCurrentIndex(self.model_combo.findData("logistic" if n_classes == 2 else "softmax"))
        self._push_points(Points.from_dataset(data, self.test_fraction_spin.value(), rng),
                          f"Open {os.path.basename(path)}", fit=True, task=task)
        self._remember_recent(path)
        return True

    def _on_export_parameters(self) -> None:
        if self._problem is None or self._last_snapshot is None:
            QMessageBox.information(self, "Nothing to export", "Train a model first.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export parameters", self._last_folder("model.json"),
                                              "Model JSON (*.json)")
        if path:
            self.export_parameters(path)

    def export_parameters(self, path: str) -> None:
        document = model_document(self._problem, self._last_snapshot, self.learning_rate_spin.value(),
                                  self.l2_spin.value())
        try:
            write_json(path, document)
        except (RegstudioError, ValueError) as exc:
            self._error("Cannot export parameters", exc)

    def _on_export_plot(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plot image", self._last_folder("plot.png"),
                                                   "PNG image (*.png);;SVG image (*.svg)")
        if path:
            self.export_plot(path)

    def export_plot(self, path: str) -> None:
        exporter_type = pg.exporters.SVGExporter if path.lower().endswith(".svg") else pg.exporters.ImageExporter
        if not os.path.splitext(path)[1]:
            path += ".png"
        try:
            exporter_type(self.data_plot.plotItem).export(path)
        except OSError as exc:
            self._error("Cannot export plot", exc)

    def session_state(self) -> SessionState:
        snapshot = self._last_snapshot
        theta = None if snapshot is None or self._problem is None else self._problem.model.pack(snapshot.params)
        return SessionState(points=dict(self.points), settings=self.settings(),
                            theta=None if theta is None else theta.tolist(),
                            step=0 if snapshot is None else snapshot.step,
                            losses=self.loss_plot.train.values.tolist(),
                            view={"speed": self.speed_slider.value(), "log_loss": self.log_check.isChecked(),
                                  "axes": list(self._axes()), "use_group": self.group_combo.currentIndex() > 0,
                                  "class": self.class_combo.currentData()})

    def _on_save_session(self) -> bool:
        if self.session_path is None:
            return self._on_save_session_as()
        return self.save_session(self.session_path)

    def _on_save_session_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save session", self._last_folder("session.regstudio"),
                                              SESSION_FILTER)
        if not path:
            return False
        if not path.endswith(".regstudio"):
            path += ".regstudio"
        return self.save_session(path)

    def save_session(self, path: str) -> bool:
        try:
            save_session(path, self.session_state())
        except (RegstudioError, ValueError) as exc:
            self._error("Cannot save session", exc)
            return False
        self.session_path = path
        self._settings_dirty = False
        self.undo_stack.setClean()
        self._remember_recent(path)
        self._update_title()
        return True

    def _on_open_session(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open session", self._last_folder(),
                                              f"{SESSION_FILTER};;All files (*)")
        if path:
            self.open_session(path)

    def open_session(self, path: str) -> bool:
        try:
            state = load_session(path)
        except RegstudioError as exc:
            self._error("Cannot open session", exc)
            return False
        self.play_button.setChecked(False)
        s = state.settings
        view = state.view or {}
        widgets = [self.model_combo, self.optimizer_combo, self.degree_spin, self.l2_spin, self.hidden_spin,
                   self.loss_combo, self.learning_rate_spin, self.batch_spin, self.seed_spin, self.init_combo,
                   self.test_fraction_spin, self.group_combo, self.speed_slider]
        for widget in widgets:
            widget.blockSignals(True)
        self.model_combo.setCurrentIndex(self.model_combo.findData(s.model))
        self._fill_optimizer_combo()
        self.optimizer_combo.setCurrentIndex(max(0, self.optimizer_combo.findData(s.optimizer)))
        self.degree_spin.setValue(s.degree or 1)
        self.l2_spin.setValue(s.l2 or 0.0)
        self.hidden_spin.setValue(s.hidden)
        self.loss_combo.setCurrentIndex(max(0, self.loss_combo.findData(s.loss)))
        if s.lr is not None:
            self.learning_rate_spin.setValue(s.lr)
        self.batch_spin.setValue(s.batch_size or 0)
        self.seed_spin.setValue(s.seed)
        self.init_combo.setCurrentIndex(max(0, self.init_combo.findData(s.init)))
        self.test_fraction_spin.setValue(s.test_fraction)
        self.speed_slider.setValue(int(view.get("speed", DEFAULT_SPEED)))
        for widget in widgets:
            widget.blockSignals(False)
        self._on_speed_slider_changed(self.speed_slider.value())
        self.log_check.setChecked(bool(view.get("log_loss", False)))
        self.points = dict(state.points)
        self._group_default = bool(view.get("use_group", False))
        self.group_combo.setCurrentIndex(0)
        self.undo_stack.clear()
        self._fill_generator_combo()
        self._refresh_data_view(fit=True)
        axes = view.get("axes") or [0, 1]
        self.x_axis_combo.setCurrentIndex(int(axes[0]))
        self.y_axis_combo.setCurrentIndex(int(axes[1]))
        self._start_run(restored=state)
        self.session_path = path
        self._settings_dirty = False
        self._remember_recent(path)
        self._update_title()
        return True

    # ------------------------------------------------------------------------------------------------
    # recent files, title, closing

    def _settings_store(self) -> QSettings:
        return QSettings("regstudio", "regstudio")

    def _recent(self) -> list[str]:
        value = self._settings_store().value("recentFiles", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _remember_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [path] + [p for p in self._recent() if p != path]
        self._settings_store().setValue("recentFiles", recent[:RECENT_LIMIT])
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self._recent()
        for path in recent:
            action = self.recent_menu.addAction(os.path.basename(path))
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        self.recent_menu.setEnabled(bool(recent))

    def _last_folder(self, name: str = "") -> str:
        recent = self._recent()
        folder = os.path.dirname(recent[0]) if recent else os.getcwd()
        return os.path.join(folder, name) if name else folder

    def open_file(self, path: str) -> bool:
        """A CSV or a saved session, by its name."""
        return self.open_session(path) if path.endswith(".regstudio") else self.open_data(path)

    def mark_unmodified(self) -> None:
        """What is shown now counts as saved (a file opened from the command line, for instance)."""
        self._settings_dirty = False
        self.undo_stack.setClean()
        self._update_title()

    def is_modified(self) -> bool:
        return self._settings_dirty or not self.undo_stack.isClean()

    def _update_title(self, *_) -> None:
        name = os.path.basename(self.session_path) if self.session_path else "untitled"
        self.setWindowTitle(f"{name}{'*' if self.is_modified() else ''} — regstudio")

    def closeEvent(self, event) -> None:
        if self.is_modified():
            answer = QMessageBox.question(
                self, "Unsaved changes", "Save this session before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self._on_save_session()):
                event.ignore()
                return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the training thread and wait for it (a running QThread at exit aborts Python)."""
        if self.thread.isRunning():
            self.worker.quit()
            self.thread.quit()
            self.thread.wait()
