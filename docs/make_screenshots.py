"""Regenerate docs/screenshots/*.png: every model trained on a built-in data set, the states a
student meets (step 0, converged, diverged, an empty canvas, a small window), and every lesson with
its views after its claim has had time to come true, grabbed offscreen.

    python docs/make_screenshots.py [lessons | dark | chinese]

``chinese`` shoots the window in Simplified Chinese (zh_*.png); offscreen Qt renders the Chinese
text with the system's CJK fonts (Debian/Ubuntu: ``apt-get install fonts-noto-cjk``).
"""

import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from regstudio.core.lessons import LESSONS  # noqa: E402
from regstudio.core.session import Points  # noqa: E402
from regstudio.gui import MainWindow  # noqa: E402
from regstudio.gui.i18n import install_language  # noqa: E402
from regstudio.gui.theme import dark_palette  # noqa: E402

# Settings of their own: no window restores a layout (open docks, sizes) left by the user or an earlier shot.
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="regstudio-shots-"))

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
        window.presenter._on_data_panel_generate_requested(data, size, noise)
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
    window.presenter.restart()
    window.training_panel.play_button.setChecked(True)
    pump(app, 2.0)
    save(window, "state_diverged")
    window.presenter.replace_points("regression", Points.empty("regression"), "Clear points", refit=False)
    pump(app, 0.5)
    save(window, "state_empty")
    close(window)
    window = MainWindow()
    window.resize(1024, 640)
    window.show()
    window.state.update(model="cascade", lr=1.0, seed=2, steps_per_second=None)
    window.presenter._on_data_panel_generate_requested("xor", 200, 0.5)
    window.training_panel.play_button.setChecked(True)
    pump(app, 3.0)
    save(window, "state_small_window")
    close(window)


# Seconds of Play per lesson at the lesson's own speed: long enough for its caption to come true.
LESSON_SECONDS = {"Slope": 8.0, "LearningRate": 5.0, "Overfitting": 2.0, "Regularization": 2.0,
                  "HiddenFactors": 9.0, "Logistic": 5.0, "SquareError": 1.0, "Softmax": 10.0, "Xor": 10.0,
                  "Cascade": 11.0}


def lessons(app):
    for item in LESSONS:
        window = MainWindow()
        window.resize(1320, 900)
        window.show()
        window.lessons.load(item)
        pump(app, 0.5)
        window.training_panel.play_button.setChecked(True)
        pump(app, LESSON_SECONDS[item.key])
        window.training_panel.play_button.setChecked(False)
        pump(app, 0.5)
        save(window, f"lesson_{item.key}")
        close(window)


def dark(app):
    """The learning-rate lesson (caption, message bar, landscape) in a dark palette: dark.png."""
    light = app.palette()
    app.setPalette(dark_palette())
    window = MainWindow()
    window.resize(1320, 900)
    window.show()
    window.lessons.load(next(item for item in LESSONS if item.key == "LearningRate"))
    window.training_panel.play_button.setChecked(True)
    pump(app, LESSON_SECONDS["LearningRate"])
    save(window, "dark")
    close(window)
    app.setPalette(light)


def chinese(app):
    """The window in Chinese: as it starts, and the lessons on learning rate (diverged), overfitting
    (validation curves) and the cascade (hidden space)."""
    install_language("zh_CN")
    window = MainWindow()
    window.resize(1320, 900)
    window.show()
    pump(app, 0.5)
    save(window, "zh_start")
    close(window)
    for key in ("LearningRate", "Overfitting", "Cascade"):
        window = MainWindow()
        window.resize(1320, 900)
        window.show()
        window.lessons.load(next(item for item in LESSONS if item.key == key))
        pump(app, 0.5)
        window.training_panel.play_button.setChecked(True)
        pump(app, LESSON_SECONDS[key])
        window.training_panel.play_button.setChecked(False)
        pump(app, 0.5)
        save(window, f"zh_lesson_{key}")
        close(window)
    install_language("en")


def main(seconds: float = 4.0) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_language("en")
    if sys.argv[1:] == ["dark"]:
        dark(app)
        return
    if sys.argv[1:] == ["chinese"]:
        chinese(app)
        return
    if sys.argv[1:] != ["lessons"]:
        models(app, seconds)
        states(app)
    lessons(app)
    dark(app)
    chinese(app)


if __name__ == "__main__":
    main()
