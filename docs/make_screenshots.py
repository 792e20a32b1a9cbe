"""Regenerate docs/screenshots/*.png, grabbed offscreen at a classroom laptop's 1366 × 768:

- every model trained on a built-in data set (``linear.png`` …);
- the states a student meets: step 0, converged, diverged, an empty canvas, a small window;
- every lesson, after its claim has had time to come true, in English (``lesson_<key>.png``) and in
  Simplified Chinese (``zh_lesson_<key>.png``), and in presentation mode at a projector's
  1280 × 720 (``pres_lesson_<key>.png``);
- the learning-rate lesson in a dark palette (``dark.png``) and the Chinese window as it starts;
- a run rewound on the timeline (``timeline.png``);
- File → Export animation…'s options over the Cascade lesson's run (``animation.png``).

    python docs/make_screenshots.py [models | states | lessons | chinese | presentation | dark | timeline |
                                     animation]
    python docs/make_screenshots.py lessons=Ordinal,Softmax   (only these lessons; also chinese=, presentation=)

Chinese text needs a CJK font (Debian/Ubuntu: ``apt-get install fonts-noto-cjk`` or
``fonts-wqy-microhei``); without one Qt draws boxes.
"""

import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from regstudio.core.document import Recipe  # noqa: E402
from regstudio.core.lessons import LESSONS  # noqa: E402
from regstudio.gui import MainWindow  # noqa: E402
from regstudio.gui.i18n import install_language  # noqa: E402
from regstudio.gui.theme import dark_palette  # noqa: E402

# Settings of their own: no window restores a layout (open docks, sizes) left by the user or an earlier shot.
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="regstudio-shots-"))

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "screenshots")
LAPTOP = (1366, 768)
PROJECTOR = (1280, 720)

SHOTS = [  # file, data set, size, noise, config changes
    ("linear", "line", 30, 1.0, {"model": "linear"}),
    ("polynomial", "sine", 24, 0.3, {"model": "polynomial", "degree": 9, "test_fraction": 0.3}),
    ("ridge", "sine", 24, 0.3, {"model": "ridge", "degree": 9, "l2": 0.001, "test_fraction": 0.3}),
    ("hidden_factor", "hidden_factor", 150, 0.5, {"model": "linear", "use_group": True}),
    ("logistic", "circles", 200, 0.4, {"model": "logistic", "degree": 2, "test_fraction": 0.2}),
    ("softmax", "blobs", 200, 0.8, {"model": "softmax"}),
    ("cascade", "xor", 200, 0.5, {"model": "cascade", "lr": 1.0, "seed": 2}),
    ("ordinal", "star_ratings", 150, 0.4, {"model": "ordinal", "lr": 0.5}),
]

# Seconds of Play per lesson at the lesson's own speed: long enough for its caption to come true.
LESSON_SECONDS = {"Slope": 8.0, "LearningRate": 5.0, "Overfitting": 1.0, "Regularization": 1.0,
                  "HiddenFactors": 9.0, "Logistic": 5.0, "SquareError": 4.0, "Softmax": 10.0, "Xor": 10.0,
                  "Cascade": 6.0, "Ordinal": 11.0}


def pump(app, seconds):
    """Run the event loop for ``seconds``, blocking between events as app.exec() does (a loop of
    processEvents never lets the training thread's gate open, and it crawls)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def window_of(size=LAPTOP) -> MainWindow:
    window = MainWindow()
    window.resize(*size)
    window.show()
    return window


def save(window, name):
    window.grab().save(os.path.join(HERE, f"{name}.png"))
    print(f"{name}: {window.status_label.text()}  |  {window.message_bar.text()}")


def close(window):
    window.document.mark_saved(None)
    window.close()


def generate(window, data, size, noise, **changes):
    window.document.update(recipe=Recipe(data, size, noise), **changes)
    window.data_panel.generate_button.click()


FULL_SPEED = None   # steps_per_second None: as fast as the machine goes


def play(app, window, seconds, speed: float | None | str = "lesson's"):
    if speed != "lesson's":
        window.document.update(steps_per_second=speed)
    window.training_panel.play_button.setChecked(True)
    pump(app, seconds)
    window.training_panel.play_button.setChecked(False)
    pump(app, 0.5)


def models(app):
    for name, data, size, noise, changes in SHOTS:
        window = window_of()
        generate(window, data, size, noise, **changes)
        play(app, window, 4.0, speed=FULL_SPEED)
        save(window, name)
        close(window)


def states(app):
    window = window_of()
    pump(app, 1.0)
    save(window, "state_step0")
    play(app, window, 1.5, speed=FULL_SPEED)
    save(window, "state_converged")
    window.document.update(lr=1.78)
    window.training_panel.reset_button.click()
    play(app, window, 2.0, speed=10.0)
    save(window, "state_diverged")
    window.document.replace_points("regression", type(window.document.points["regression"]).empty("regression"))
    pump(app, 0.5)
    save(window, "state_empty")
    close(window)
    window = window_of((1024, 640))
    generate(window, "xor", 200, 0.5, model="cascade", lr=1.0, seed=2)
    play(app, window, 3.0, speed=FULL_SPEED)
    save(window, "state_small_window")
    close(window)


def lesson_shots(app, prefix, size=LAPTOP, presentation=False, keys=None):
    for item in LESSONS:
        if keys is not None and item.key not in keys:
            continue
        window = window_of(size)
        if presentation:
            window.set_presentation(True)
        window.lessons.load(item)
        pump(app, 1.0)
        play(app, window, LESSON_SECONDS[item.key])
        save(window, f"{prefix}{item.key}")
        if presentation:
            window.set_presentation(False)   # remembered otherwise: the next window would start in it
        close(window)


def chinese(app, keys=None):
    install_language("zh_CN")
    if keys is None:
        window = window_of()
        pump(app, 0.5)
        save(window, "zh_start")
        close(window)
    lesson_shots(app, "zh_lesson_", keys=keys)
    install_language("en")


def trained_lesson(app, key: str, steps: int) -> MainWindow:
    """A window with lesson ``key`` loaded and ``steps`` steps taken, paused."""
    window = window_of()
    window.lessons.load(next(item for item in LESSONS if item.key == key))
    pump(app, 0.5)
    window.controller.step(steps)
    pump(app, 2.0)
    return window


def timeline(app):
    """A logistic run of 300 steps rewound to step 25 on the timeline: timeline.png."""
    window = trained_lesson(app, "Logistic", 300)
    window.timeline_bar.slider.setValue(25)
    pump(app, 0.8)
    save(window, "timeline")
    close(window)


def animation(app):
    """The Cascade lesson trained 1,000 steps, File → Export animation…'s options over it: animation.png."""
    from PySide6.QtGui import QPainter

    from regstudio.gui.animation import AnimationDialog

    window = trained_lesson(app, "Cascade", 1000)
    timeline = window.controller.timeline
    dialog = AnimationDialog(timeline.first_step, timeline.last_step, window)
    dialog.sampling_combo.setCurrentIndex(1)
    dialog.loss_check.setChecked(True)
    dialog.landscape_check.setChecked(True)
    dialog.show()
    pump(app, 0.5)
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap((window.width() - dialog.width()) // 2, (window.height() - dialog.height()) // 3, dialog.grab())
    painter.end()
    shot.save(os.path.join(HERE, "animation.png"))
    dialog.close()
    close(window)


def dark(app):
    """The learning-rate lesson (caption, message bar, landscape) in a dark palette: dark.png."""
    light = app.palette()
    app.setPalette(dark_palette())
    window = window_of()
    window.lessons.load(next(item for item in LESSONS if item.key == "LearningRate"))
    play(app, window, LESSON_SECONDS["LearningRate"])
    save(window, "dark")
    close(window)
    app.setPalette(light)


PARTS = {"models": models, "states": states, "lessons": lambda app, keys=None: lesson_shots(app, "lesson_", keys=keys),
         "chinese": chinese,
         "presentation": lambda app, keys=None: lesson_shots(app, "pres_lesson_", PROJECTOR, True, keys=keys),
         "dark": dark, "timeline": timeline, "animation": animation}


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_language("en")
    for argument in sys.argv[1:] or PARTS:
        name, _, keys = argument.partition("=")
        if keys:
            PARTS[name](app, keys=keys.split(","))
        else:
            PARTS[name](app)


if __name__ == "__main__":
    main()
