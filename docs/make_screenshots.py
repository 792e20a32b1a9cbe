"""Regenerate docs/screenshots/*.png: every model trained on a built-in data set, grabbed offscreen.

    python docs/make_screenshots.py
"""

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from regstudio.gui import MainWindow  # noqa: E402
from regstudio.gui.main_window import SPEEDS  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "screenshots")

SHOTS = [  # file, model, data set, size, noise, {widget: value}
    ("linear", "linear", "line", 30, 1.0, {}),
    ("polynomial", "polynomial", "sine", 24, 0.3, {"degree_spin": 9, "test_fraction_spin": 0.3}),
    ("ridge", "ridge", "sine", 24, 0.3, {"degree_spin": 9, "l2_spin": 0.001, "test_fraction_spin": 0.3}),
    ("hidden_factor", "linear", "hidden_factor", 150, 0.5, {}),
    ("logistic", "logistic", "circles", 200, 0.4, {"degree_spin": 2, "test_fraction_spin": 0.2}),
    ("softmax", "softmax", "blobs", 200, 0.8, {}),
    ("cascade", "cascade", "xor", 200, 0.5, {"learning_rate_spin": 1.0, "seed_spin": 2}),
]


def pump(app, seconds):
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.005)


def main(seconds: float = 4.0) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    for name, model, data, size, noise, values in SHOTS:
        window = MainWindow()
        window.show()
        window.model_combo.setCurrentIndex(window.model_combo.findData(model))
        for widget, value in values.items():
            getattr(window, widget).setValue(value)
        window.generator_combo.setCurrentIndex(window.generator_combo.findData(data))
        window.size_spin.setValue(size)
        window.noise_spin.setValue(noise)
        window.generate_button.click()
        window.speed_slider.setValue(len(SPEEDS) - 1)
        window.play_button.setChecked(True)
        pump(app, seconds)
        window.play_button.setChecked(False)
        pump(app, 0.3)
        window.grab().save(os.path.join(HERE, f"{name}.png"))
        print(f"{name}: {window.status_label.text()}")
        window.undo_stack.setClean()
        window._settings_dirty = False
        window.close()


if __name__ == "__main__":
    main()
