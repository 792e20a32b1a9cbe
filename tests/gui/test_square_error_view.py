"""The square error vs cross-entropy panel shows the comparison's own paths and gradients."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QWidget

from regstudio.core.landscape import compare_losses
from regstudio.gui.square_error_view import SquareErrorView


def test_the_panel_draws_each_loss_path_and_gradient_norm_of_the_comparison(qtbot):
    view = SquareErrorView()
    qtbot.addWidget(view)
    view.run(seed=3)
    qtbot.waitUntil(lambda: view.comparison is not None, timeout=10_000)
    view.shutdown()
    expected = compare_losses(3)
    for loss in ("ce", "mse"):
        xs, ys = view.plots[loss]._path.getData()
        np.testing.assert_array_equal(xs, expected.runs[loss].path[:, 0])
        np.testing.assert_array_equal(ys, expected.runs[loss].path[:, 1])
        np.testing.assert_array_equal(view.plots[loss].landscape.values, expected.landscapes[loss].values)
    assert "accuracy 0%" in view.titles["mse"].text() and "accuracy 100%" in view.titles["ce"].text()


def test_the_gradient_plot_has_its_object_name_and_only_the_two_gradient_curves(qtbot):
    view = SquareErrorView()
    qtbot.addWidget(view)
    assert view.findChild(QWidget, "gradientNormPlot") is view.gradient_plot
    assert view.gradient_plot.getPlotItem().listDataItems() == list(view.gradient_curves.values())


def test_the_comparison_is_computed_off_the_gui_thread_and_a_newer_seed_wins(qtbot, monkeypatch):
    import threading

    from regstudio.gui import square_error_view

    threads = []
    real = square_error_view.compare_losses

    def recorded(seed):
        threads.append(threading.current_thread())
        return real(seed)

    monkeypatch.setattr(square_error_view, "compare_losses", recorded)
    view = SquareErrorView()
    qtbot.addWidget(view)
    view.run(seed=1)
    view.run(seed=2)
    qtbot.waitUntil(lambda: view.comparison is not None and not view.jobs.busy, timeout=10_000)
    view.shutdown()
    assert threading.main_thread() not in threads and len(threads) == 2
    np.testing.assert_array_equal(view.comparison.runs["ce"].path, real(2).runs["ce"].path)
