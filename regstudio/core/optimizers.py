"""Update rules.  Each updates ``theta`` in place from a gradient; hyperparameters are plain
attributes that may change between steps (the window's learning-rate slider does so mid-run).

``gd`` and ``sgd`` share the plain rule θ ← θ − η∇J; they differ in the batch the trainer feeds.
"""

from __future__ import annotations

import numpy as np

from .errors import SettingsError

OPTIMIZERS = ("gd", "sgd", "momentum", "adagrad", "adam", "exact")
DEFAULT_LEARNING_RATE = {"gd": 0.1, "sgd": 0.05, "momentum": 0.05, "adagrad": 0.5, "adam": 0.05, "exact": 1.0}


class GradientDescent:
    """θ ← θ − η g."""

    # Whether a step's size is bounded by about η whatever the gradient (adaptive rules): then the
    # loss cannot grow geometrically, and a high loss is wandering, not divergence.
    bounded_step = False

    def __init__(self, lr: float):
        self.lr = lr

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr:g})"

    def reset(self):
        """Forget accumulated state (velocities, moments)."""

    def step(self, theta: np.ndarray, grad: np.ndarray) -> None:
        theta -= self.lr * grad


class Momentum(GradientDescent):
    """v ← βv + g;  θ ← θ − η v  (heavy ball, β = 0.9)."""

    def __init__(self, lr: float, beta: float = 0.9):
        super().__init__(lr)
        self.beta = beta
        self.velocity: np.ndarray | None = None

    def reset(self):
        self.velocity = None

    def step(self, theta, grad):
        if self.velocity is None:
            self.velocity = np.zeros_like(theta)
        self.velocity *= self.beta
        self.velocity += grad
        theta -= self.lr * self.velocity


class Adagrad(GradientDescent):
    """G ← G + g²;  θ ← θ − η g / (√G + ε); each component moves at most η per step."""

    bounded_step = True

    def __init__(self, lr: float, eps: float = 1e-8):
        super().__init__(lr)
        self.eps = eps
        self.sum_squares: np.ndarray | None = None

    def reset(self):
        self.sum_squares = None

    def step(self, theta, grad):
        if self.sum_squares is None:
            self.sum_squares = np.zeros_like(theta)
        self.sum_squares += grad * grad
        theta -= self.lr * grad / (np.sqrt(self.sum_squares) + self.eps)


class Adam(GradientDescent):
    """Adam with bias correction (β₁ = 0.9, β₂ = 0.999, ε = 1e-8), t counting steps from 1:

    m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  θ ← θ − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
    Each component moves at most about η(1 − β₁)/√(1 − β₂) ≈ 3.2η per step.
    """

    bounded_step = True

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.reset()

    def reset(self):
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None
        self.t = 0

    def step(self, theta, grad):
        if self.m is None or self.v is None:
            self.m, self.v = np.zeros_like(theta), np.zeros_like(theta)
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * grad
        self.v = self.beta2 * self.v + (1 - self.beta2) * grad * grad
        m_hat = self.m / (1 - self.beta1 ** self.t)
        v_hat = self.v / (1 - self.beta2 ** self.t)
        theta -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def make_optimizer(name: str, lr: float | None = None) -> GradientDescent:
    """The update rule called ``name`` (as on the command line); ``exact`` is handled by the trainer."""
    if name not in OPTIMIZERS:
        raise SettingsError(f"unknown optimizer {name!r} (choose from {', '.join(OPTIMIZERS)})")
    lr = DEFAULT_LEARNING_RATE[name] if lr is None else lr
    if not np.isfinite(lr) or lr <= 0:
        raise SettingsError(f"--lr must be a positive number (got {lr:g})")
    rule = {"momentum": Momentum, "adagrad": Adagrad, "adam": Adam}.get(name, GradientDescent)
    return rule(float(lr))
