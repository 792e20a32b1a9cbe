"""Each lesson's claim as live numbers, for the caption bar: what the caption says, measured now.

``lesson_claim`` takes what the window has at a frame (the lesson's key, the problem, θ, the step,
the frame's metrics, the one-line/per-group comparison and the pinned runs' last losses) and returns
one line as a tuple of :class:`~regstudio.core.messages.Message` parts (each translated where it is
shown, then joined), or () when the numbers are not there yet.  Pure numpy; the window only puts the line on screen.
"""

from __future__ import annotations

import numpy as np

from .messages import Message, translate
from .training import Problem
from .views import problem_slope_formula

CLASSIFIER_CLAIMS = ("Logistic", "SquareError", "Softmax", "Xor", "Cascade")


def rating_error(problem: Problem, theta: np.ndarray) -> float:
    """Mean |predicted − true| class index over the test rows: how many stars a rating is off."""
    predicted = np.argmax(problem.model.predict(theta, problem.Xt_test), axis=1)
    return float(np.mean(np.abs(predicted - np.asarray(problem.y_test, dtype=np.int64))))


def lesson_claim(key: str, problem: Problem | None, theta: np.ndarray | None, step: int, metrics: dict | None,
                 group_comparison=None, pins: tuple = (), lr: float | None = None) -> tuple[Message, ...]:
    """The line for lesson ``key`` at ``step``; ``pins`` are (lr, steps, last J) of the pinned runs."""
    if problem is None or theta is None or not metrics or not metrics.get("train"):
        return ()
    train, test = metrics["train"], metrics.get("test")
    if key == "Slope":
        from .modelfile import original_units   # not before the first paint (start-up budget)

        formula = problem_slope_formula(problem)
        units = original_units(problem, theta)
        if formula is None or units is None:
            return ()
        (m,) = units["coefficients"].values()
        return (translate("Claims", "step {step}: gradient descent m = {m:.4g}, c = {c:.4g}  ·  slope formula "
                                   "m = {fm:.4g}, c = {fc:.4g}").format(
            step=step, m=m, c=units["intercept"], fm=formula.m, fc=formula.c),)
    if key == "LearningRate":
        parts = [translate("Claims", "step {step}: live run η = {lr:g}, J = {J:.4g}").format(
            step=step, lr=lr if lr is not None else problem.lr, J=train["objective"])]
        for pin_lr, steps, last in pins:
            parts.append(translate("Claims", "  ·  pinned η = {lr:g}: J = {J:.4g} after {steps} steps").format(
                lr=pin_lr, J=last, steps=steps))
        return tuple(parts)
    if key == "HiddenFactors" and group_comparison is not None and group_comparison.shared_test is not None:
        return (translate("Claims", "test MSE: one shared line = {shared:.4g}, one line per group = {grouped:.4g} "
                                   "({ratio:.1f}× lower)").format(
            shared=group_comparison.shared_test, grouped=group_comparison.grouped_test,
            ratio=group_comparison.shared_test / max(group_comparison.grouped_test, 1e-300)),)
    if key == "Ordinal" and test is not None and "accuracy" in test:
        return (translate("Claims", "step {step}: test accuracy {acc:.1%}, mean rating error {error:.2f} "
                                    "(ordinal, {count} parameters)").format(
            step=step, acc=test["accuracy"], error=rating_error(problem, theta), count=problem.model.n_params),)
    if key in CLASSIFIER_CLAIMS and "accuracy" in train:
        if test is not None:
            return (translate("Claims", "step {step}: accuracy {acc:.1%} (test {test:.1%}), cross-entropy "
                                        "{ce:.4g}").format(step=step, acc=train["accuracy"], test=test["accuracy"],
                                                           ce=train["cross_entropy"]),)
        return (translate("Claims", "step {step}: accuracy {acc:.1%}, cross-entropy {ce:.4g}").format(
            step=step, acc=train["accuracy"], ce=train["cross_entropy"]),)
    if "mse" in train:
        if test is not None:
            return (translate("Claims", "step {step}: degree {degree}, λ = {l2:g}: train MSE = {train:.4g}, "
                                        "test MSE = {test:.4g}").format(
                step=step, degree=problem.settings.degree, l2=problem.l2, train=train["mse"], test=test["mse"]),)
        return (translate("Claims", "step {step}: train MSE = {train:.4g}").format(step=step, train=train["mse"]),)
    return ()
