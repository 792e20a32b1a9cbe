"""Regenerate docs/screenshots/*.png: every model trained on a built-in data set, and the states a
student meets (step 0, converged, diverged, an empty canvas, a small window), grabbed offscreen.

    python docs/make_screenshots.py
"""

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from regstudio.core.session import Points  # noqa: E402
from regstudio.gui import MainWindow  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "screenshots")

SHOTS = [  # file, data set, size, noise, config changes
    ("linear", "line", 30, 1.0, {"model": "linear"}),
    ("polynomial", "sine", 24, 0.3, {"model": "polynomial", "degree": 9, "test_fraction": 0.3}),
    ("ridge", "sine", 24, 0.3, {"model": "ridge", "degree": 9, "l2": 0.001, "test_fraction": 0.3}),
    ("hidden_factor", "hidden_factor", 150, 0.5, {"model": "linear"}),
    ("logistic", "circles", 200, 0.4, {"model": "logistic", "degree": 2, "test_fraction": 0.2}),
    ("softmax", "blobs", 200, 0.8, {"model": "softmax"}),
    ("cascade", "xor", 200, 0.5, {"model": "cascade", "lr": 1.0, "seed": 2}),
]


def pump(app, seconds):
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.005)


def save(window, name):
    window.grab().save(os.path.join(HERE, f"{name}.png"))
    print(f"{name}: {window.status_label.text()}  |  {window.message_bar.text()}")


def close(window):
    window.state.mark_saved(None)
    window.close()


def models(app, seconds):
    for name, data, size, noise, changes in SHOTS:
        window = MainWindow()
        window.show()
        window.state.update(**changes)
        window.studio._on_data_panel_generate_requested(data, size, noise)
        window.state.update(steps_per_second=None)
        window.training_panel.play_button.setChecked(True)
        pump(app, seconds)
        window.training_panel.play_button.setChecked(False)
        pump(app, 0.3)
        save(window, name)
        close(window)


def states(app):
    window = MainWindow()
    window.show()
    pump(app, 1.0)
    save(window, "state_step0")
    window.state.update(steps_per_second=None)
    window.training_panel.play_button.setChecked(True)
    pump(app, 1.5)
    save(window, "state_converged")
    window.state.update(lr=1.78)
    window.studio.restart()
    window.training_panel.play_button.setChecked(True)
    pump(app, 2.0)
    save(window, "state_diverged")
    window.studio.replace_points("regression", Points.empty("regression"), "Clear points", refit=False)
    pump(app, 0.5)
    save(window, "state_empty")
    close(window)
    window = MainWindow()
    window.resize(1024, 640)
    window.show()
    window.state.update(model="cascade", lr=1.0, seed=2, steps_per_second=None)
    window.studio._on_data_panel_generate_requested("xor", 200, 0.5)
    window.training_panel.play_button.setChecked(True)
    pump(app, 3.0)
    save(window, "state_small_window")
    close(window)


def main(seconds: float = 4.0) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    models(app, seconds)
    states(app)


if __name__ == "__main__":
    main()
