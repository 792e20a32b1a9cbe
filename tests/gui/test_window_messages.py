"""Messages the window shows name its own controls; the command line's name its flags (tests/cli)."""

from __future__ import annotations

import time

import numpy as np
from guihelpers import action, choose, click, combo, message_label, spin
from PySide6.QtCore import Qt, QTimer
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


def test_a_degree_with_too_many_features_says_why_and_the_window_stays_responsive(qtbot, window, tmp_path,
                                                                                  monkeypatch):
    """Degree 5 on a 30-input CSV froze the window for 13 s and degree 6 ran out of memory, after which
    the degree box showed a degree that was not the one training.  The training thread now refuses
    such a degree at once, by counting, and the message bar says why."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 30))
    path = tmp_path / "wide.csv"
    path.write_text(",".join([f"x{i}" for i in range(30)] + ["y"]) + "\n"
                    + "".join(",".join(f"{v:.4f}" for v in [*row, row.sum()]) + "\n" for row in X))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(Recorder((str(path), ""))))
    monkeypatch.setattr(ColumnDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    action(window, "actionOpenData").trigger()
    choose(window, "modelCombo", "polynomial")
    degree = spin(window, "degreeSpin")
    assert degree.value() == 3  # 5,455 features: allowed
    qtbot.waitUntil(lambda: window.controller.consistent() is not None
                    and window.controller.consistent()[0].model.n_features == 5_455, timeout=10_000)

    ticks = []
    probe = QTimer(window)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    probe.start(10)
    started = time.perf_counter()
    degree.setFocus()
    for _ in range(3):  # as a user steps it: 4 (46,375 features), 5 (324,631), 6 (1,947,791)
        qtbot.keyClick(degree, Qt.Key.Key_Up)
    expected = ("Degree 6 on 30 inputs makes 1,947,791 features; at most 10,000 are allowed: lower Degree under "
                "Model, or choose fewer inputs when you open the data")
    assert shows(qtbot, window, expected) == expected
    qtbot.wait(300)  # the window goes on handling events after the refusal
    probe.stop()
    assert degree.value() == window.document.config.degree == 6
    gaps = np.diff([started, *ticks])
    assert len(ticks) > 10 and gaps.max() < 0.5, f"the event loop stalled {gaps.max():.2f} s"

    degree.setValue(2)  # the advice works: degree 2 on 30 inputs trains (495 features)
    qtbot.waitUntil(lambda: window.controller.consistent() is not None
                    and window.controller.consistent()[0].model.n_features == 495, timeout=10_000)
    qtbot.waitUntil(lambda: not message_label(window).isVisible(), timeout=5_000)
