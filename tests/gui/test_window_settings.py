"""Settings in the window: each model keeps its degree and λ, view-only changes leave the session
unmodified, and the group column is used only when chosen."""

from __future__ import annotations

import numpy as np
from guihelpers import (
    action,
    button,
    child,
    choose,
    combo,
    full_speed,
    spin,
    wait_settled,
    wait_step,
)
from PySide6.QtWidgets import QCheckBox, QFileDialog, QSlider

from regstudio.core.data import load_csv
from regstudio.core.session import Points
from regstudio.gui.panels import SPEEDS


def shown_settings(window) -> tuple:
    """The model, degree and λ the model panel shows."""
    return combo(window, "modelCombo").currentData(), spin(window, "degreeSpin").value(), spin(window, "l2Spin").value()


def trained_settings(window) -> tuple:
    settings = window.controller.spec.settings
    return settings.model, settings.degree, settings.l2


def test_switching_models_brings_back_each_models_degree_and_l2(qtbot, window):
    choose(window, "modelCombo", "polynomial")
    assert shown_settings(window) == ("polynomial", 3, 0.0)
    spin(window, "degreeSpin").setValue(5)
    choose(window, "modelCombo", "logistic")
    assert shown_settings(window) == trained_settings(window) == ("logistic", 1, 0.0)
    choose(window, "modelCombo", "ridge")
    assert shown_settings(window) == trained_settings(window) == ("ridge", 1, 0.01)
    spin(window, "l2Spin").setValue(0.5)
    choose(window, "modelCombo", "polynomial")
    assert shown_settings(window) == trained_settings(window) == ("polynomial", 5, 0.0)
    choose(window, "modelCombo", "ridge")
    assert shown_settings(window) == trained_settings(window) == ("ridge", 1, 0.5)
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    assert window.controller.problem.settings.l2 == 0.5


def saved(window, tmp_path, name="s.regstudio") -> None:
    """Save the session, so what the window shows counts as unmodified."""
    assert window.files.save_session(str(tmp_path / name))
    assert not window.is_modified() and window.windowTitle().startswith(f"{name} —")


def test_view_changes_leave_the_session_unmodified_and_a_setting_does_not(qtbot, window, tmp_path):
    choose(window, "modelCombo", "logistic")
    saved(window, tmp_path)
    slider = child(window, QSlider, "speedSlider")
    slider.setValue(SPEEDS.index(200))
    child(window, QCheckBox, "logScaleCheck").click()
    child(window, QCheckBox, "logStepsCheck").click()
    choose(window, "classCombo", "1")
    config = window.document.config
    assert (config.steps_per_second, config.log_loss, config.log_steps, config.click_class) == (200, True, True, "1")
    assert not window.is_modified() and window.windowTitle().startswith("s.regstudio —")
    full_speed(window)
    assert window.document.config.steps_per_second is None and not window.is_modified()

    spin(window, "learningRateSpin").setValue(0.5)
    assert window.is_modified() and window.windowTitle().startswith("s.regstudio* —")


def test_choosing_the_inputs_on_the_axes_leaves_the_session_unmodified(qtbot, window, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    path = tmp_path / "three.csv"
    rows = "".join(f"{float(a)!r},{float(b)!r},{float(c)!r},{int(a > 0)}\n" for a, b, c in X)
    path.write_text("x1,x2,x3,label\n" + rows)
    data = load_csv(str(path)).dataset("label", ["x1", "x2", "x3"], None, task="classification")
    choose(window, "modelCombo", "logistic")
    window.document.replace_points("classification", Points(data, np.zeros(len(data), dtype=bool)),
                                   text="Open three.csv")
    assert window.document.task == "classification" and window.document.points["classification"].data.x_names == (
        "x1", "x2", "x3")
    saved(window, tmp_path)
    assert window.document.config.axes == (0, 1)
    choose(window, "yAxisCombo", 2)
    assert window.document.config.axes == (0, 2)
    assert not window.is_modified() and window.windowTitle().startswith("s.regstudio —")


def test_training_uses_the_group_column_only_when_it_is_chosen(qtbot, window):
    choose(window, "generatorCombo", "hidden_factor")
    button(window, "generateButton").click()
    group = combo(window, "groupCombo")
    assert group.currentData() == "group"
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    problem = window.controller.problem
    assert problem.model.n_params == 6 and problem.pipeline.group_levels == ("species A", "species B", "species C")

    group.setCurrentIndex(group.findData(None))
    assert not window.document.config.use_group
    assert window.document.training_points().data.groups is None
    wait_settled(qtbot, window)
    problem = window.controller.problem
    assert problem.dataset.groups is None and problem.pipeline.names == ["x"]
    assert problem.model.n_params == 2  # one line for every species: w and b
    assert len(window.controller.latest.snapshot.params["W"][0]) == 1

    group.setCurrentIndex(group.findData("group"))
    wait_settled(qtbot, window)
    assert window.controller.problem.model.n_params == 6


def test_saving_asks_for_no_name_after_a_view_change(qtbot, window, tmp_path, monkeypatch):
    """A view change after a save keeps the saved name and leaves nothing to save."""
    saved(window, tmp_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    child(window, QCheckBox, "logScaleCheck").click()
    assert not window.is_modified()
    action(window, "actionSaveSession").trigger()
    assert window.document.path == str(tmp_path / "s.regstudio")
