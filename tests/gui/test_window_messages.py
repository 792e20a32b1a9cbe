"""Messages the window shows name its own controls; the command line's name its flags (tests/cli)."""

from __future__ import annotations

from guihelpers import action, choose, click, combo, message_label
from PySide6.QtWidgets import QDialog, QFileDialog
from test_window_hostile import Recorder, empty_spot

from regstudio.gui.dialogs import ColumnDialog


def shows(qtbot, window, expected: str) -> str:
    """The message bar's text once it shows ``expected`` (failures come back from the training thread)."""
    label = message_label(window)
    try:
        qtbot.waitUntil(lambda: label.isVisible() and expected in label.text(), timeout=5_000)
    finally:
        assert "--" not in label.text(), label.text()
    return label.text()


def test_a_third_class_for_logistic_regression_points_to_softmax_under_model(qtbot, window):
    choose(window, "modelCombo", "logistic")
    choose(window, "classCombo", "2")
    click(qtbot, window, *empty_spot(window))
    shows(qtbot, window, "Logistic regression needs exactly 2 classes (found 3); choose Softmax regression under "
                         "Model for more")
    choose(window, "modelCombo", "softmax")
    qtbot.waitUntil(lambda: not message_label(window).isVisible(), timeout=5_000)


def test_solving_square_error_exactly_points_to_gradient_descent_under_optimizer(qtbot, window):
    choose(window, "modelCombo", "logistic")
    choose(window, "lossCombo", "mse")
    choose(window, "optimizerCombo", "exact")
    shows(qtbot, window, "“Solve exactly” solves the cross-entropy objective; choose Gradient descent under "
                         "Optimizer to train on square error")


def test_distances_on_three_inputs_point_to_the_features_they_can_change(qtbot, window, tmp_path, monkeypatch):
    choose(window, "modelCombo", "logistic")
    choose(window, "featuresCombo", "distances")
    path = tmp_path / "three.csv"
    path.write_text("a,b,c,label\n0,0,0,0\n1,1,1,1\n0,1,0,0\n1,0,1,1\n0,0,1,0\n1,1,0,1\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(Recorder((str(path), ""))))
    monkeypatch.setattr(ColumnDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    action(window, "actionOpenData").trigger()
    shows(qtbot, window, "“Distances to 2 points” under Features needs exactly two input columns (the data has 3: "
                         "a, b, c)")
    assert combo(window, "featuresCombo").isVisible()  # where the message says
    choose(window, "featuresCombo", "raw")
    qtbot.waitUntil(lambda: not message_label(window).isVisible(), timeout=5_000)

