"""The status line's numbers."""

from __future__ import annotations

import re
from types import SimpleNamespace

from regstudio.gui.readouts import status_text


NEGATIVE = re.compile(r"[-−]\d")


def frame(step: int = 12):
    return SimpleNamespace(snapshot=SimpleNamespace(step=step, epoch=float(step)), steps_per_second=250.0, lr=0.1, l2=0.0,
                           shown=None)


def test_losses_rounded_below_zero_read_zero():
    regression = {"train": {"objective": -7.6e-15, "mse": 1e-15, "r2": 1.0},
                  "test": {"objective": 0.0, "mse": -2.2e-16, "r2": 1.0}}
    text = status_text(frame(), regression)
    assert "train loss 0  ·  test MSE 0  ·" in text and not NEGATIVE.search(text), text
    classification = {"train": {"objective": -1.1e-16, "cross_entropy": -1.1e-16, "accuracy": 1.0},
                      "test": {"objective": -3e-17, "cross_entropy": -3e-17, "accuracy": 1.0}}
    text = status_text(frame(), classification)
    assert "train loss 0  ·  test cross-entropy 0  ·" in text and not NEGATIVE.search(text), text


def test_losses_keep_their_value_and_a_failed_one_reads_nan():
    metrics = {"train": {"objective": 0.25, "mse": 0.25, "r2": 0.5}, "test": None}
    assert "train loss 0.25" in status_text(frame(), metrics).split("  ·  ")
    metrics = {"train": {"objective": float("nan"), "mse": float("nan"), "r2": float("nan")}, "test": None}
    assert "train loss nan" in status_text(frame(), metrics).split("  ·  ")


def test_the_status_line_names_the_learning_rate_and_a_penalty_as_the_notes_write_them():
    shown = frame(7)
    shown.l2 = 0.03162
    text = status_text(shown, None)
    assert "η = 0.1" in text and "λ = 0.03162" in text and "l2" not in text
    shown.l2 = 0.0
    assert "λ" not in status_text(shown, None)
