"""Failures injected into the training thread: ``Trainer.step`` raises once, on a chosen call."""

from __future__ import annotations

from regstudio.core import training


def fail_once(monkeypatch, on_call: int = 5, error: Exception | None = None) -> None:
    """The ``on_call``-th ``Trainer.step`` from now raises ``error`` (RuntimeError("injected")); the
    others train normally."""
    original = training.Trainer.step
    calls = 0

    def step(self):
        nonlocal calls
        calls += 1
        if calls == on_call:
            raise error or RuntimeError("injected")
        return original(self)

    monkeypatch.setattr(training.Trainer, "step", step)
