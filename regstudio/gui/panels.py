"""The side panels: data, model, optimizer and training controls.

Each panel writes the user's choices into the :class:`~regstudio.core.document.Document` and
renders itself from its changes, with its widgets' signals blocked while it does, so a
render never writes back.  Requests that are actions, not settings (generate, step, play, reset),
leave as signals.
"""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from ..core.document import Document, Recipe
from ..core.generators import CLASSIFICATION_SETS, GENERATORS
from ..core.models import has_exact_solver, has_hidden_layer, has_loss_choice
from ..core.session import SESSION_LIMITS
from ..core.errors import SettingsError
from .i18n import QT_TRANSLATE_NOOP, error_text, localized
from .document_events import DocumentEvents
from .style import CLASS_COLORS, color_index
from .widgets import LogSpinBox

# Display texts in English, marked for translation and translated where shown (the keys stay as they are).
MODELS = [("linear", QT_TRANSLATE_NOOP("ModelPanel", "Linear regression")),
          ("polynomial", QT_TRANSLATE_NOOP("ModelPanel", "Polynomial regression")),
          ("ridge", QT_TRANSLATE_NOOP("ModelPanel", "Ridge regression")),
          ("logistic", QT_TRANSLATE_NOOP("ModelPanel", "Logistic regression")),
          ("softmax", QT_TRANSLATE_NOOP("ModelPanel", "Softmax regression")),
          ("cascade", QT_TRANSLATE_NOOP("ModelPanel", "Cascade of logistic units")),
          ("ordinal", QT_TRANSLATE_NOOP("ModelPanel", "Ordinal logistic regression"))]
OPTIMIZERS = [("gd", QT_TRANSLATE_NOOP("OptimizerPanel", "Gradient descent")),
              ("sgd", QT_TRANSLATE_NOOP("OptimizerPanel", "Stochastic GD (mini-batch)")),
              ("momentum", QT_TRANSLATE_NOOP("OptimizerPanel", "Momentum")),
              ("adagrad", QT_TRANSLATE_NOOP("OptimizerPanel", "Adagrad")),
              ("adam", QT_TRANSLATE_NOOP("OptimizerPanel", "Adam")),
              ("exact", QT_TRANSLATE_NOOP("OptimizerPanel", "Solve exactly"))]
GENERATOR_LABELS = {"line": QT_TRANSLATE_NOOP("DataPanel", "Noisy line"),
                    "cubic": QT_TRANSLATE_NOOP("DataPanel", "Noisy cubic"),
                    "sine": QT_TRANSLATE_NOOP("DataPanel", "Noisy sine"),
                    "hidden_factor": QT_TRANSLATE_NOOP("DataPanel", "Hidden factor (species)"),
                    "two_blobs": QT_TRANSLATE_NOOP("DataPanel", "Two blobs"),
                    "blobs": QT_TRANSLATE_NOOP("DataPanel", "K blobs"),
                    "xor": QT_TRANSLATE_NOOP("DataPanel", "XOR"),
                    "circles": QT_TRANSLATE_NOOP("DataPanel", "Circles"),
                    "spiral": QT_TRANSLATE_NOOP("DataPanel", "Spiral"),
                    "star_ratings": QT_TRANSLATE_NOOP("DataPanel", "Star ratings (1–5)")}
SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, None]
SHORTCUT_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_S, Qt.Key.Key_R)


def named(widget, name: str, label: str, tip: str = ""):
    """Object name for tests, the human label for screen readers, and a tooltip."""
    widget.setObjectName(name)
    widget.setAccessibleName(label)
    if tip:
        widget.setToolTip(tip)
    return widget


def generator_label(key: str) -> str:
    """The name of built-in data set ``key`` in the window's language."""
    return QCoreApplication.translate("DataPanel", GENERATOR_LABELS[key])


def color_swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def speed_index(steps_per_second: float | None) -> int:
    if steps_per_second is None:
        return len(SPEEDS) - 1
    finite = np.array(SPEEDS[:-1], dtype=float)
    return int(np.argmin(np.abs(np.log(finite) - np.log(steps_per_second))))


def speed_text(steps_per_second: float | None) -> str:
    if steps_per_second is None:
        return QCoreApplication.translate("TrainingPanel", "full speed")
    return QCoreApplication.translate("TrainingPanel", "{speed:,.0f} steps/s").format(speed=steps_per_second)


class KeyGuard(QObject):
    """Lets a focused input widget keep the bare keys that are also window shortcuts (Space, S, R):
    Space on a focused check box ticks it instead of toggling Play."""

    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.ShortcutOverride and event.key() in SHORTCUT_KEYS
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.accept()
            return True
        return False


def _set_items(combo: QComboBox, items, current) -> None:
    """Refill ``combo`` with (label, data[, icon]) items if they differ, then select ``current``."""
    listed = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
    if listed != [(item[0], item[1]) for item in items]:
        combo.clear()
        for item in items:
            if len(item) == 3:
                combo.addItem(item[2], item[0], item[1])
            else:
                combo.addItem(item[0], item[1])
    combo.setCurrentIndex(max(0, combo.findData(current)))


class _Panel(QGroupBox):
    settingRefused = Signal(str)

    def __init__(self, title: str, document: Document, events: DocumentEvents, parent=None):
        super().__init__(title, parent)
        self.document = document
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        events.changed.connect(self._on_document_changed)

    def _update(self, **changes) -> None:
        """Write a choice into the document; one it refuses (a combination no run can have) is said
        in the message bar (``settingRefused``) and the panel shows the document's settings again."""
        try:
            self.document.update(**changes)
        except SettingsError as exc:
            self._on_document_changed()
            self.settingRefused.emit(error_text(exc))

    def _on_document_changed(self, *_) -> None:
        blocked = [(w, w.blockSignals(True)) for w in self.findChildren(QWidget)]
        try:
            self.render_state()
        finally:
            for widget, was in blocked:
                widget.blockSignals(was)

    def render_state(self) -> None:
        """Show the state in the widgets (named so as not to hide QWidget.render, which paints)."""
        raise NotImplementedError


class DataPanel(_Panel):
    generateRequested = Signal()

    def __init__(self, document: Document, events: DocumentEvents, parent=None):
        super().__init__(self.tr("Data"), document, events, parent)
        self.generator_combo = named(QComboBox(), "generatorCombo", self.tr("Data set"),
                                     self.tr("A built-in data set to generate"))
        self.size_spin = named(QSpinBox(), "sizeSpin", self.tr("Rows"), self.tr("Rows to generate"))
        self.size_spin.setRange(2, 1_000_000)
        self.size_spin.setGroupSeparatorShown(True)
        self.noise_spin = named(QDoubleSpinBox(), "noiseSpin", self.tr("Noise"), self.tr("Noise (standard deviation)"))
        self.noise_spin.setRange(0.0, 10.0)
        self.noise_spin.setSingleStep(0.1)
        self.generate_button = named(QPushButton(self.tr("Generate")), "generateButton", self.tr("Generate"),
                                     self.tr("Replace the points by a new data set (undoable)"))
        row = QHBoxLayout()
        for widget in (self.size_spin, self.noise_spin, self.generate_button):
            row.addWidget(widget)
        self.class_combo = named(QComboBox(), "classCombo", self.tr("Click adds"), self.tr("The class a click adds"))
        self.test_fraction_spin = named(QDoubleSpinBox(), "testFractionSpin", self.tr("Test fraction"),
                                        self.tr("Share of points held out for testing (drawn hollow)"))
        self.test_fraction_spin.setRange(*SESSION_LIMITS["test_fraction"])
        self.test_fraction_spin.setSingleStep(0.05)
        self.x_axis_combo = named(QComboBox(), "xAxisCombo", self.tr("Horizontal axis"))
        self.y_axis_combo = named(QComboBox(), "yAxisCombo", self.tr("Vertical axis"))
        # What is on screen, whatever made it; the rows under it are what Generate makes next.
        self.source_label = QLabel()
        self.source_label.setObjectName("dataSourceLabel")
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)   # file names are the user's
        self.source_label.setWordWrap(True)
        self.form.addRow(self.tr("On screen"), self.source_label)
        for label, field in ((self.tr("Generate"), self.generator_combo), (self.tr("Size, noise"), row),
                             (self.tr("Click adds"), self.class_combo),
                             (self.tr("Test fraction"), self.test_fraction_spin),
                             (self.tr("Horizontal axis"), self.x_axis_combo),
                             (self.tr("Vertical axis"), self.y_axis_combo)):
            self.form.addRow(label, field)
        self.generate_button.clicked.connect(self._on_generate_button_clicked)
        self.generator_combo.currentIndexChanged.connect(self._on_recipe_changed)
        self.size_spin.valueChanged.connect(self._on_recipe_changed)
        self.noise_spin.valueChanged.connect(self._on_recipe_changed)
        self.class_combo.currentIndexChanged.connect(self._on_class_combo_changed)
        self.test_fraction_spin.valueChanged.connect(self._on_test_fraction_spin_changed)
        self.x_axis_combo.currentIndexChanged.connect(self._on_axis_combo_changed)
        self.y_axis_combo.currentIndexChanged.connect(self._on_axis_combo_changed)
        self._on_document_changed()

    def render_state(self) -> None:
        document, config = self.document, self.document.config
        task = config.task
        _set_items(self.generator_combo, [(generator_label(k), k) for k in GENERATORS
                                          if (k in CLASSIFICATION_SETS) == (task == "classification")],
                   config.recipe.generator)
        self.size_spin.setValue(config.recipe.size)
        self.noise_spin.setValue(config.recipe.noise)
        labels = document.click_classes
        _set_items(self.class_combo, [(self.tr("class {label}").format(label=label), label,
                                       color_swatch(CLASS_COLORS[color_index(label, labels)]))
                                      for label in labels], config.click_class)
        self.test_fraction_spin.setValue(config.test_fraction)
        self.source_label.setText(self.points_description())
        names = list(document.points[task].data.x_names)
        for combo, axis in ((self.x_axis_combo, 0), (self.y_axis_combo, 1)):
            _set_items(combo, [(name, i) for i, name in enumerate(names)], config.axes[axis])
        inputs = len(names)
        self.form.setRowVisible(self.class_combo, task == "classification")
        self.form.setRowVisible(self.x_axis_combo, inputs > (1 if task == "regression" else 2))
        self.form.setRowVisible(self.y_axis_combo, task == "classification" and inputs > 2)

    def points_description(self) -> str:
        """Where the points on screen came from: a built-in set (and the lesson that made it), a
        file, or clicks; with how many there are and whether they were edited by hand since."""
        document = self.document
        points = document.points[document.task]
        source = points.data.source
        if source in GENERATORS:
            origin = generator_label(source)
            if document.lesson is not None:
                origin = self.tr("{data}, from the lesson “{lesson}”").format(
                    data=origin, lesson=localized(document.lesson.lesson.title))
        elif source == "drawn" or not source:
            origin = self.tr("clicked on the canvas")
        else:
            origin = os.path.basename(source) or source
        text = self.tr("%n point(s): {origin}", "", len(points)).format(origin=origin)
        if points.edited and source != "drawn":
            text += self.tr(", edited by hand")
        return text

    def _on_generate_button_clicked(self) -> None:
        self.generateRequested.emit()

    def _on_recipe_changed(self, *_args) -> None:
        self._update(recipe=Recipe(self.generator_combo.currentData(), self.size_spin.value(),
                                           self.noise_spin.value()))

    def _on_class_combo_changed(self, _index: int) -> None:
        self._update(click_class=self.class_combo.currentData())

    def _on_test_fraction_spin_changed(self, value: float) -> None:
        self._update(test_fraction=round(value, 4))

    def _on_axis_combo_changed(self, _index: int) -> None:
        self._update(axes=(max(0, self.x_axis_combo.currentIndex()), max(0, self.y_axis_combo.currentIndex())))


class ModelPanel(_Panel):
    def __init__(self, document: Document, events: DocumentEvents, parent=None):
        super().__init__(self.tr("Model"), document, events, parent)
        self.model_combo = named(QComboBox(), "modelCombo", self.tr("Model"))
        for key, label in MODELS:
            self.model_combo.addItem(QCoreApplication.translate("ModelPanel", label), key)
        self.degree_spin = named(QSpinBox(), "degreeSpin", self.tr("Degree"),
                                 self.tr("Polynomial degree of the features"))
        self.degree_spin.setRange(*SESSION_LIMITS["degree"])
        self.l2_spin = named(LogSpinBox(1e-6, SESSION_LIMITS["l2"][1], 0.0, allow_zero=True), "l2Spin",
                             self.tr("L2 penalty λ"),
                             self.tr("L2 penalty λ on the weights (never the bias)"))
        self.hidden_spin = named(QSpinBox(), "hiddenSpin", self.tr("Hidden units"), self.tr("Hidden logistic units"))
        self.hidden_spin.setRange(*SESSION_LIMITS["hidden"])
        self.loss_combo = named(QComboBox(), "lossCombo", self.tr("Loss"))
        self.loss_combo.addItem(self.tr("Cross-entropy"), "ce")
        self.loss_combo.addItem(self.tr("Square error on σ(z)"), "mse")
        self.group_combo = named(QComboBox(), "groupCombo", self.tr("Group column"),
                                 self.tr("Give each group its own intercept and slope"))
        self.features_combo = named(QComboBox(), "featuresCombo", self.tr("Features"),
                                    self.tr("Feed the model the inputs, or each point's distances to two reference "
                                            "points (the notes' hand-made feature transformation)"))
        self.features_combo.addItem(self.tr("Inputs x1, x2"), "raw")
        self.features_combo.addItem(self.tr("Distances to 2 points"), "distances")
        self.standardize_check = named(QCheckBox(self.tr("Standardise features")), "standardizeCheck",
                                       self.tr("Standardise features"),
                                       self.tr("Train on features scaled to mean 0 and standard deviation 1 (faster, "
                                               "round bowls); off, the parameters are the notes' b and w in the "
                                               "data's units"))
        for label, widget in ((self.tr("Model"), self.model_combo), (self.tr("Degree"), self.degree_spin),
                              (self.tr("L2 λ"), self.l2_spin), (self.tr("Hidden units (σ)"), self.hidden_spin),
                              (self.tr("Loss"), self.loss_combo), (self.tr("Features"), self.features_combo),
                              (self.tr("Group column (δ)"), self.group_combo)):
            self.form.addRow(label, widget)
        self.form.addRow("", self.standardize_check)
        self.model_combo.currentIndexChanged.connect(self._on_model_combo_changed)
        self.degree_spin.valueChanged.connect(self._on_degree_spin_changed)
        self.l2_spin.valueChanged.connect(self._on_l2_spin_changed)
        self.hidden_spin.valueChanged.connect(self._on_hidden_spin_changed)
        self.loss_combo.currentIndexChanged.connect(self._on_loss_combo_changed)
        self.group_combo.currentIndexChanged.connect(self._on_group_combo_changed)
        self.features_combo.currentIndexChanged.connect(self._on_features_combo_changed)
        self.standardize_check.toggled.connect(self._on_standardize_check_toggled)
        self._on_document_changed()

    def render_state(self) -> None:
        config = self.document.config
        self.model_combo.setCurrentIndex(self.model_combo.findData(config.model))
        self.degree_spin.setValue(config.degree)
        self.l2_spin.setValue(config.l2)
        self.hidden_spin.setValue(config.hidden)
        self.loss_combo.setCurrentIndex(self.loss_combo.findData(config.loss))
        self.features_combo.setCurrentIndex(self.features_combo.findData(config.features))
        self.standardize_check.setChecked(config.standardize)
        inputs = len(self.document.points[config.task].data.x_names)
        # Distances need two inputs; the row stays while they are chosen, so they can be unchosen.
        self.form.setRowVisible(self.features_combo, config.task == "classification"
                                and (inputs == 2 or config.features == "distances"))
        group = self.document.points[config.task].data.group_name
        _set_items(self.group_combo, [(self.tr("(none)"), None)] + ([(group, group)] if group is not None else []),
                   group if config.use_group else None)
        self.form.setRowVisible(self.degree_spin, config.model != "linear")
        self.form.setRowVisible(self.hidden_spin, has_hidden_layer(config.model))
        self.form.setRowVisible(self.loss_combo, has_loss_choice(config.model))
        self.form.setRowVisible(self.group_combo, group is not None)

    def _on_model_combo_changed(self, _index: int) -> None:
        self._update(model=self.model_combo.currentData())

    def _on_degree_spin_changed(self, value: int) -> None:
        self._update(degree=value)

    def _on_l2_spin_changed(self, value: float) -> None:
        self._update(l2=value)

    def _on_hidden_spin_changed(self, value: int) -> None:
        self._update(hidden=value)

    def _on_loss_combo_changed(self, _index: int) -> None:
        self._update(loss=self.loss_combo.currentData())

    def _on_group_combo_changed(self, index: int) -> None:
        self._update(use_group=index > 0)

    def _on_standardize_check_toggled(self, checked: bool) -> None:
        self._update(standardize=checked)

    def _on_features_combo_changed(self, _index: int) -> None:
        self._update(features=self.features_combo.currentData())


class OptimizerPanel(_Panel):
    def __init__(self, document: Document, events: DocumentEvents, parent=None):
        super().__init__(self.tr("Optimizer"), document, events, parent)
        self.optimizer_combo = named(QComboBox(), "optimizerCombo", self.tr("Method"))
        self.learning_rate_spin = named(LogSpinBox(*SESSION_LIMITS["lr"], 0.1), "learningRateSpin",
                                        self.tr("Learning rate"),
                                        self.tr("Learning rate η (arrows step on a log scale)"))
        self.batch_spin = named(QSpinBox(), "batchSizeSpin", self.tr("Batch size"),
                                self.tr("Mini-batch size (full = every training row)"))
        self.batch_spin.setRange(0, SESSION_LIMITS["batch_size"][1])  # 0: "full"
        self.batch_spin.setSpecialValueText(self.tr("full"))
        self.seed_spin = named(QSpinBox(), "seedSpin", self.tr("Seed"),
                               self.tr("Seed of initial weights, batches and data"))
        self.seed_spin.setRange(*SESSION_LIMITS["seed"])
        self.init_combo = named(QComboBox(), "initCombo", self.tr("Initial weights"))
        for label, key in ((self.tr("Default (zeros; cascade: Glorot)"), "auto"), (self.tr("Zeros"), "zeros"),
                           (self.tr("Random (seeded)"), "random")):
            self.init_combo.addItem(label, key)
        for label, widget in ((self.tr("Method"), self.optimizer_combo),
                              (self.tr("Learning rate η"), self.learning_rate_spin),
                              (self.tr("Batch size"), self.batch_spin), (self.tr("Seed"), self.seed_spin),
                              (self.tr("Initial weights"), self.init_combo)):
            self.form.addRow(label, widget)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_combo_changed)
        self.learning_rate_spin.valueChanged.connect(self._on_learning_rate_spin_changed)
        self.batch_spin.valueChanged.connect(self._on_batch_spin_changed)
        self.seed_spin.valueChanged.connect(self._on_seed_spin_changed)
        self.init_combo.currentIndexChanged.connect(self._on_init_combo_changed)
        self._on_document_changed()

    def render_state(self) -> None:
        config = self.document.config
        _set_items(self.optimizer_combo, [(QCoreApplication.translate("OptimizerPanel", label), key)
                                          for key, label in OPTIMIZERS
                                          if key != "exact" or has_exact_solver(config.model)], config.optimizer)
        self.learning_rate_spin.setValue(config.lr)
        # SGD is mini-batch by definition: its box has no "full" (a spin box shows its special text
        # at its minimum, so with a minimum of 1 a batch of 1 would read "full" and typing "10" failed).
        sgd = config.optimizer == "sgd"
        self.batch_spin.setMinimum(1 if sgd else 0)
        self.batch_spin.setSpecialValueText("" if sgd else self.tr("full"))
        self.batch_spin.setValue(config.batch_size or 0)
        self.seed_spin.setValue(config.seed)
        self.init_combo.setCurrentIndex(self.init_combo.findData(config.init))
        self.form.setRowVisible(self.learning_rate_spin, config.optimizer != "exact")
        self.form.setRowVisible(self.batch_spin, config.optimizer not in ("gd", "exact"))
        self.form.setRowVisible(self.init_combo, config.optimizer != "exact")

    def _on_optimizer_combo_changed(self, _index: int) -> None:
        self._update(optimizer=self.optimizer_combo.currentData())

    def _on_learning_rate_spin_changed(self, value: float) -> None:
        self._update(lr=value)

    def _on_batch_spin_changed(self, value: int) -> None:
        self._update(batch_size=value or None)

    def _on_seed_spin_changed(self, value: int) -> None:
        self._update(seed=value)

    def _on_init_combo_changed(self, _index: int) -> None:
        self._update(init=self.init_combo.currentData())


class TrainingPanel(_Panel):
    """Play, Step, Reset and the speed (``controls``, which the window puts in its toolbar, always in
    view), and the loss plot's scales (the panel itself)."""

    stepRequested = Signal()
    playToggled = Signal(bool)
    resetRequested = Signal()

    def __init__(self, document: Document, events: DocumentEvents, parent=None):
        super().__init__(self.tr("Loss plot"), document, events, parent)
        self.step_button = named(QPushButton(self.tr("Step")), "stepButton", self.tr("Step"),
                                 self.tr("One parameter update (S)"))
        self.play_button = named(QPushButton(self.tr("Play")), "playButton", self.tr("Play"),
                                 self.tr("Animate gradient descent (Space)"))
        self.play_button.setCheckable(True)
        # "Pause" is longer than "Play" in some languages: the toolbar must not move when it flips.
        width = max(self.play_button.fontMetrics().horizontalAdvance(text)
                    for text in (self.tr("Play"), self.tr("Pause")))
        self.play_button.setMinimumWidth(width + 2 * self.play_button.fontMetrics().averageCharWidth() + 16)
        self.reset_button = named(QPushButton(self.tr("Reset")), "resetButton", self.tr("Reset"),
                                  self.tr("Start again from the seed (R)"))
        self.speed_slider = named(QSlider(Qt.Orientation.Horizontal), "speedSlider", self.tr("Speed"),
                                  self.tr("Steps per second"))
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setMinimumWidth(90)
        self.speed_label = QLabel()
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setMinimumWidth(self.speed_label.fontMetrics().horizontalAdvance("0000 /s ") + 4)
        self.controls = QWidget()
        self.controls.setObjectName("trainingControls")
        row = QHBoxLayout(self.controls)
        row.setContentsMargins(4, 0, 4, 0)
        for button in (self.step_button, self.play_button, self.reset_button):
            row.addWidget(button)
        speed_name = QLabel(self.tr("Speed"))
        speed_name.setBuddy(self.speed_slider)
        row.addSpacing(8)
        row.addWidget(speed_name)
        row.addWidget(self.speed_slider, 1)
        row.addWidget(self.speed_label)
        self.log_check = named(QCheckBox(self.tr("Log loss")), "logScaleCheck", self.tr("Logarithmic loss axis"))
        self.log_steps_check = named(QCheckBox(self.tr("Log steps")), "logStepsCheck", self.tr("Logarithmic step axis"))
        scales = QHBoxLayout()
        scales.addWidget(self.log_check)
        scales.addWidget(self.log_steps_check)
        self.form.addRow(scales)
        self.step_button.clicked.connect(self.stepRequested)
        self.play_button.toggled.connect(self._on_play_button_toggled)
        self.reset_button.clicked.connect(self.resetRequested)
        self.speed_slider.valueChanged.connect(self._on_speed_slider_changed)
        self.log_check.toggled.connect(self._on_log_check_toggled)
        self.log_steps_check.toggled.connect(self._on_log_steps_check_toggled)
        self._on_document_changed()

    def render_state(self) -> None:
        config = self.document.config
        with QSignalBlocker(self.speed_slider):  # in the toolbar: not among the panel's own children
            self.speed_slider.setValue(speed_index(config.steps_per_second))
        self.speed_label.setText(speed_text(config.steps_per_second))
        self.log_check.setChecked(config.log_loss)
        self.log_steps_check.setChecked(config.log_steps)

    def show_playing(self, playing: bool) -> None:
        """Reflect the run's play state (the runner stops playing when a run ends)."""
        self.play_button.blockSignals(True)
        self.play_button.setChecked(playing)
        self.play_button.blockSignals(False)
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.play_button.setAccessibleName(self.tr("Pause") if playing else self.tr("Play"))

    def _on_play_button_toggled(self, playing: bool) -> None:
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.playToggled.emit(playing)

    def _on_speed_slider_changed(self, index: int) -> None:
        self._update(steps_per_second=SPEEDS[index])

    def _on_log_check_toggled(self, on: bool) -> None:
        self._update(log_loss=on)

    def _on_log_steps_check_toggled(self, on: bool) -> None:
        self._update(log_steps=on)
