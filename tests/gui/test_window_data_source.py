"""The Data box says where the points on screen came from: a built-in set, a lesson, a file or clicks,
and whether they were edited by hand since (the recipe rows under it are what Generate makes next)."""

from __future__ import annotations

from guihelpers import action, button, child, choose, click, spin
from PySide6.QtWidgets import QFileDialog, QLabel

from regstudio.core.generators import CLASSIFICATION_SETS
from regstudio.core.lessons import lesson
from regstudio.gui.panels import generator_label


def shown(window) -> str:
    return child(window, QLabel, "dataSourceLabel").text()


def test_the_data_box_describes_the_points_on_screen(qtbot, window, tmp_path, monkeypatch):
    points = window.document.points["regression"]
    assert shown(window).startswith(f"{len(points)} points: ")
    (x0, x1), (y0, y1) = window.data_plot.view_ranges()
    w, h = x1 - x0, y1 - y0
    click(qtbot, window, x0 + 0.1 * w, y1 - 0.1 * h)   # corners, away from the points
    click(qtbot, window, x1 - 0.1 * w, y0 + 0.1 * h)
    assert shown(window).endswith(", edited by hand") and shown(window).startswith(f"{len(points) + 2} points")
    spin(window, "testFractionSpin").setValue(0.4)   # a new split keeps the points, and their edits
    assert shown(window).endswith(", edited by hand")
    action(window, "actionUndo").trigger()
    action(window, "actionUndo").trigger()
    action(window, "actionUndo").trigger()
    assert shown(window) == f"{len(points)} points: Noisy line"   # undone edits are no edits

    action(window, "actionClearPoints").trigger()
    click(qtbot, window, (x0 + x1) / 2, (y0 + y1) / 2)
    assert shown(window) == "1 point: clicked on the canvas"

    action(window, lesson("HiddenFactors").action_name).trigger()
    assert shown(window) == "60 points: Hidden factor (species), from the lesson “Hidden factors: one line per species”"

    data = tmp_path / "rent.csv"
    data.write_text("size,rent\n" + "".join(f"{20 + 5 * i},{300 + 40 * i + (i % 3)}\n" for i in range(12)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(data), "")))
    action(window, "actionOpenData").trigger()
    qtbot.waitUntil(lambda: shown(window) == "12 points: rent.csv")   # the lesson ended with the new data

    choose(window, "generatorCombo", "line")
    button(window, "generateButton").click()
    assert shown(window) == f"{window.document.config.recipe.size} points: Noisy line"
    # Every built-in set is named as the Generate box names it ("two blobs" used to say "K blobs")
    choose(window, "modelCombo", "logistic")
    for key in CLASSIFICATION_SETS:
        choose(window, "generatorCombo", key)
        button(window, "generateButton").click()
        assert shown(window).endswith(f": {generator_label(key)}"), (key, shown(window))
