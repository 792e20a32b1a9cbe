"""The ordinal model in the window: chosen under Model, its K − 1 boundaries drawn as parallel lines,
its thresholds named in the parameters table, and its lesson with softmax pinned beside it."""

from __future__ import annotations

import numpy as np
import pytest
from guihelpers import WAIT, action, choose, combo, table_values, train_to, wait_settled

from regstudio.core.lessons import lesson


def _pieces(xs: np.ndarray, ys: np.ndarray) -> list[np.ndarray]:
    """The NaN-separated polylines of a boundary item as (n, 2) arrays."""
    points = np.column_stack([xs, ys])
    parts = np.split(points, np.flatnonzero(np.isnan(xs)) + 1)
    return [part[~np.isnan(part[:, 0])] for part in parts if np.count_nonzero(~np.isnan(part[:, 0])) > 2]


def test_model_combo_offers_the_ordinal_model():
    from regstudio.gui.panels import MODELS

    assert "ordinal" in [key for key, _ in MODELS]


def test_the_ordinal_lesson_draws_k_minus_1_parallel_boundaries_and_names_the_thresholds(qtbot, window):
    item = lesson("Ordinal")
    action(window, item.action_name).trigger()
    assert combo(window, "modelCombo").currentData() == "ordinal"
    qtbot.waitUntil(lambda: len(window.loss_plot.pins()) == 1, timeout=WAIT)
    assert [label for _, _, label in window.loss_plot.pins()] == ["model Softmax regression"]
    train_to(qtbot, window, 200)
    xs, ys = window.data_plot._boundary.getData()
    pieces = _pieces(xs, ys)
    # One straight line per threshold, each across the view: K − 1 = 4 of them, all parallel.
    directions = []
    for piece in pieces:
        centred = piece - piece.mean(axis=0)
        _, singular, vt = np.linalg.svd(centred)
        assert singular[1] < 1e-3 * singular[0]
        directions.append(vt[0] * np.sign(vt[0][1] or 1.0))
    assert len(pieces) == 4, [len(p) for p in pieces]
    for direction in directions[1:]:
        assert abs(direction @ directions[0]) > 0.9999
    values = table_values(window)
    for name in ("θ 1|2", "θ 2|3", "θ 3|4", "θ 4|5", "ln(θ 2|3 − θ 1|2)"):
        assert name in values, sorted(values)
    thresholds = [values[f"θ {k}|{k + 1}"] for k in range(1, 5)]
    assert thresholds == sorted(thresholds)


@pytest.mark.parametrize("model", ["softmax", "ordinal"])
def test_switching_between_softmax_and_ordinal_keeps_training(qtbot, window, model):
    action(window, lesson("Ordinal").action_name).trigger()
    wait_settled(qtbot, window)
    choose(window, "modelCombo", model)
    train_to(qtbot, window, 20)
    assert window.document.config.model == model


def test_the_column_dialog_orders_text_labels_for_the_ordinal_model(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog
    from test_window_files import patch_open_dialog

    from regstudio.gui.dialogs import ColumnDialog

    path = tmp_path / "reviews.csv"
    rows = [(x, 0.3 * x, "good" if x > 1 else "meh" if x > -1 else "bad") for x in np.linspace(3, -3, 30)]
    path.write_text("length,words,<b>mood</b>\n" + "".join(f"{float(a)!r},{float(b)!r},{c}\n" for a, b, c in rows)
                    .replace(",good", ",<b>good</b>"), encoding="utf-8")
    shown = {}

    def put_in_order(dialog):
        shown["labels"] = dialog.class_order()
        shown["visible"] = not dialog.order.isHidden()
        order = dialog.order
        order.insertItem(0, order.takeItem(order.count() - 1))   # drag "bad" to the top
        order.insertItem(1, order.takeItem(2))                    # then "meh" under it
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ColumnDialog, "exec", put_in_order)
    patch_open_dialog(monkeypatch, path)
    action(window, "actionOpenData").trigger()
    # Text has no order of its own: the list starts in the order the labels first appear.
    assert shown == {"labels": ("<b>good</b>", "meh", "bad"), "visible": True}
    assert window.document.config.class_order == ("bad", "meh", "<b>good</b>")
    choose(window, "modelCombo", "ordinal")
    train_to(qtbot, window, 5)
    problem, _ = window.controller.consistent()
    assert problem.classes == ("bad", "meh", "<b>good</b>")
    assert "θ meh|<b>good</b>" in table_values(window)


def test_the_landscape_of_the_ordinal_model_over_a_weight_and_a_log_gap_is_its_objective(qtbot, window):
    from guihelpers import button, wait_step
    from test_window_landscape import landscape_frame, open_landscape

    action(window, lesson("Ordinal").action_name).trigger()
    wait_settled(qtbot, window)
    open_landscape(qtbot, window)
    view = window.view_docks.live["landscape"]
    names = [view.x_combo.itemText(i) for i in range(view.x_combo.count())]
    assert names == ["w x1", "w x2", "θ 1|2", "ln(θ 2|3 − θ 1|2)", "ln(θ 3|4 − θ 2|3)", "ln(θ 4|5 − θ 3|4)"]
    view.y_combo.setCurrentIndex(4)
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    problem, frame = landscape_frame(qtbot, window, 1)
    landscape = frame.extras["landscape"]
    assert (landscape.i, landscape.j) == (0, 4)
    probe = problem.model.pack(frame.snapshot.params)
    probe[0], probe[4] = landscape.xs[5], landscape.ys[9]
    J = problem.model.objective(probe, problem.Xt_train, problem.y_train, frame.l2)
    assert landscape.values[9, 5] == pytest.approx(J, rel=1e-9)
