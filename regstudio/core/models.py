"""Models, their objectives and analytic gradients.

Data are stored features × samples: ``Xt`` is (p, N), so every product below is a BLAS call on
contiguous rows.  Parameters live in one flat float64 vector ``theta`` that the optimizers update;
``unpack`` returns named views into it.  Every objective is a mean over samples plus an L2 term
that never includes a bias::

    linear    J = mean((ŷ − y)²)                        + λ‖w‖²     ŷ = w·x + b
    logistic  J = mean(−y ln σ(z) − (1−y) ln(1−σ(z)))   + λ‖w‖²     z = w·x + b
              (loss="mse":  J = mean((σ(z) − y)²)       + λ‖w‖²)
    softmax   J = mean(−ln softmax(Wx + b)_y)           + λ‖W‖²_F
    cascade   J = mean(CE(head(W₂ σ(W₁x + b₁) + b₂)))   + λ(‖W₁‖² + ‖W₂‖²)
    ordinal   J = mean(−ln P(y | x))                    + λ‖w‖²     P(y ≤ k | x) = σ(θ_k − w·x)

A *head* turns the logits ``Z`` (K, N) into predictions and a mean loss; in training it overwrites
``Z`` with ``∂(mean loss)/∂Z`` to spare an N-sized allocation per step.  ``losses`` takes the same
mean loss of G logit sets at once, Z (G, K, N) → (G,): the loss landscape's grid points.

Dot products are written ``a @ b``, never ``np.dot(a, b)``: ``np.dot`` lets go of the interpreter
lock even for 20 numbers, and a training thread that lets go of it and takes it back every few
microseconds starves the window's thread, which waits for the lock behind it (a convoy: at N = 20
the window waited up to 0.5–1.1 s for the lock, the GUI stall's p99 was 40–120 ms; ``@`` holds the lock
on small arrays and releases it on large ones, see benchmarks/bench_gil_convoy.py).
"""

from __future__ import annotations

import threading

import numpy as np

from .errors import SettingsError
from .messages import translate
from .metrics import classification_metrics, regression_metrics


class _Buffers:
    """N-sized scratch arrays reused across steps (keyed by thread, name, shape and dtype).

    Each thread has its own: a model belongs to a problem that the window's thread evaluates too (the
    landscape's exact optimum) while the training thread steps it, and numpy lets go of the
    interpreter lock on large arrays, so two threads sharing one scratch array corrupted each other's
    sums (softmax on 10⁵ points diverged at step 2 in the window, never without it).
    """

    def __init__(self):
        self._arrays = {}

    def get(self, name, shape, dtype):
        key = (threading.get_ident(), name, shape, np.dtype(dtype))
        array = self._arrays.get(key)
        if array is None:
            if len(self._arrays) > 32:
                self._arrays.clear()
            array = self._arrays[key] = np.empty(shape, dtype=dtype)
        return array


class SquaredError:
    """Regression head: K = 1, ŷ = z, loss = mean((z − y)²), ∂/∂z = 2(z − y)/N; y (N,) float.

    Every head answers the same questions, so nothing outside asks which head it is: ``activation``
    (as the model file names it), ``exact_solver`` ("least_squares", "newton" or None),
    ``predict(Z)``, ``encode_target(y_index)``, ``metrics(y, Z)``, ``loss(Z, y, buffers)`` (the
    objective's, Z (K, N)) and ``losses(Z, y)`` (the landscape's, Z (G, K, N) → (G,)).
    """

    name = "mse"
    activation = "identity"
    exact_solver = "least_squares"

    def output(self, Z):
        return Z[0].copy()

    def predict(self, Z):
        """ŷ (N,)."""
        return Z[0].copy()

    def encode_target(self, y, dtype=np.float64):
        return np.ascontiguousarray(y, dtype=dtype)

    def metrics(self, y, Z) -> dict:
        return regression_metrics(y, Z[0])

    def loss(self, Z, y, buffers):
        r = buffers.get("r", y.shape, Z.dtype)
        np.subtract(Z[0], y, out=r)
        return float(r @ r) / y.shape[0]

    def losses(self, Z, y):
        """mean((z − y)²) of each of G logit sets: Z (G, 1, N), y (N,) → (G,)."""
        r = Z[:, 0, :] - y
        return np.einsum("gn,gn->g", r, r) / y.shape[0]

    def loss_grad_(self, Z, y, buffers):
        z = Z[0]
        z -= y
        loss = float(z @ z) / y.shape[0]
        z *= 2.0 / y.shape[0]
        return loss


def _exp_minus_abs(z, buffers, name="e"):
    """e^(−|z|) into a reused buffer: the stable building block of σ and softplus."""
    e = buffers.get(name, z.shape, z.dtype)
    np.abs(z, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    return e


def _sigmoid_(z, e):
    """Overwrite z with σ(z) given e = e^(−|z|) (consumed), accurate in relative terms for any z.

    σ(z) = 1/(1 + e) for z ≥ 0 and e/(1 + e) for z < 0, i.e. σ(z) = m/(1 + e) with m = 1 for
    z ≥ 0 and m = e for z < 0, which is ``max([z ≥ 0], e)`` since e ≤ 1.  Neither branch
    subtracts from 1, so σ(−40) is 4.25e-18, not 0; NaN stays NaN (``maximum`` propagates it).
    Four unmasked passes: faster than a masked ``where=`` multiply or ``np.where``.
    """
    np.greater_equal(z, 0.0, out=z)
    np.maximum(z, e, out=z)
    e += 1.0
    z /= e
    return z


def _sigmoid(a):
    """σ(a) computed in place (``a`` is overwritten and returned)."""
    return _sigmoid_(a, np.exp(-np.abs(a)))


def _softplus(z):
    """softplus(z) = ln(1 + e^z) = max(z, 0) + ln(1 + e^(−|z|)) (N,), without overflow; −ln σ(−z)."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def _binary_cross_entropy(z, y, e, buffers):
    """mean(softplus(z) − y·z), softplus(z) = max(z, 0) + ln(1 + e^(−|z|))."""
    t = buffers.get("t", z.shape, z.dtype)
    np.abs(z, out=t)
    positive_part = (float(z.sum()) + float(t.sum())) / 2
    np.log1p(e, out=t)
    return (float(t.sum()) + positive_part - float(y @ z)) / z.shape[0]


def _binary_log_proba(z):
    """(N, 2) log-probabilities of the classes 0 and 1 from logits z (N,): −softplus(z), −softplus(−z)."""
    return -np.column_stack([_softplus(z), _softplus(-z)])


class _BinaryHead:
    """What the two sigmoid heads share: K = 1 logit, targets 0/1 floats, two class probabilities."""

    activation = "sigmoid"

    def output(self, Z):
        return _sigmoid(Z[0].copy())

    def log_output(self, Z):
        return _binary_log_proba(Z[0])

    def predict(self, Z):
        """(N, 2) class probabilities; σ(−z) rather than 1 − σ(z), which rounds P(class 0) < 1e-16 to 0."""
        return np.column_stack([_sigmoid(-Z[0]), _sigmoid(Z[0].copy())])

    def encode_target(self, y_index, dtype=np.float64):
        return np.ascontiguousarray(y_index, dtype=dtype)

    def metrics(self, y, Z) -> dict:
        return classification_metrics(y.astype(np.int64), self.log_output(Z))


class SigmoidCrossEntropy(_BinaryHead):
    """Binary head: K = 1, p = σ(z), loss = mean CE, ∂/∂z = (σ(z) − y)/N; y (N,) in {0, 1}."""

    name = "ce"
    exact_solver = "newton"

    def loss(self, Z, y, buffers):
        return _binary_cross_entropy(Z[0], y, _exp_minus_abs(Z[0], buffers), buffers)

    def losses(self, Z, y):
        """mean(softplus(z) − y·z) of each of G logit sets: Z (G, 1, N), y (N,) 0/1 floats → (G,)."""
        z = Z[:, 0, :]
        return (_softplus(z).sum(axis=1) - z @ y) / y.shape[0]

    def loss_grad_(self, Z, y, buffers):
        z = Z[0]
        e = _exp_minus_abs(z, buffers)
        loss = _binary_cross_entropy(z, y, e, buffers)
        _sigmoid_(z, e)
        z -= y
        z *= 1.0 / y.shape[0]
        return loss


class SigmoidSquaredError(_BinaryHead):
    """The notes' counter-example: p = σ(z), loss = mean((p − y)²), ∂/∂z = 2(p − y)p(1 − p)/N."""

    name = "mse"
    exact_solver = None  # `exact` solves the cross-entropy objective

    def loss(self, Z, y, buffers):
        p = self.output(Z)
        p -= y
        return float(p @ p) / y.shape[0]

    def losses(self, Z, y):
        """mean((σ(z) − y)²) of each of G logit sets: Z (G, 1, N), y (N,) 0/1 floats → (G,)."""
        p = _sigmoid(Z[:, 0, :].copy())
        p -= y
        return np.einsum("gn,gn->g", p, p) / y.shape[0]

    def loss_grad_(self, Z, y, buffers):
        z = Z[0]
        p = _sigmoid_(z, _exp_minus_abs(z, buffers))
        slope = buffers.get("t", z.shape, z.dtype)
        np.subtract(1.0, p, out=slope)
        slope *= p
        p -= y
        loss = float(p @ p) / y.shape[0]
        p *= slope
        p *= 2.0 / y.shape[0]
        return loss


class _ClassIndexHead:
    """What the K-class heads share (softmax, cumulative logit): int64 class-index targets, and
    ``output``/``log_output`` (N, K) class probabilities and their logs, which the subclass gives."""

    def output(self, Z):
        raise NotImplementedError

    def log_output(self, Z):
        raise NotImplementedError

    def predict(self, Z):
        """(N, K) class probabilities."""
        return self.output(Z)

    def encode_target(self, y_index, dtype=np.float64):
        return np.ascontiguousarray(y_index, dtype=np.int64)

    def metrics(self, y, Z) -> dict:
        return classification_metrics(y, self.log_output(Z))


class SoftmaxCrossEntropy(_ClassIndexHead):
    """K-class head: P = softmax(Z) over axis 0, loss = mean(−ln P[y]), ∂/∂Z = (P − onehot(y))/N.

    y (N,) int64 class indices.
    """

    name = "ce"
    activation = "softmax"
    exact_solver = "newton"

    def output(self, Z):
        P = Z - Z.max(axis=0)
        np.exp(P, out=P)
        P /= P.sum(axis=0)
        return P.T.copy()

    def log_output(self, Z):
        """(N, K) log-softmax: Z − max − ln Σ exp(Z − max), finite where softmax underflows to 0."""
        L = Z - Z.max(axis=0)
        L -= np.log(np.exp(L).sum(axis=0))
        return L.T.copy()

    def _shifted_log_normaliser(self, Z, buffers):
        Z -= Z.max(axis=0)
        E = buffers.get("E", Z.shape, Z.dtype)
        np.exp(Z, out=E)
        S = E.sum(axis=0)
        return E, S

    def loss(self, Z, y, buffers):
        Z = Z.copy()
        E, S = self._shifted_log_normaliser(Z, buffers)
        picked = np.take_along_axis(Z, y[None, :], axis=0)
        return float(np.log(S).sum() - picked.sum()) / y.shape[0]

    def losses(self, Z, y):
        """mean(ln Σ_k exp(Z_k) − Z_y) of each of G logit sets: Z (G, K, N), y (N,) int64 → (G,)."""
        top = Z.max(axis=1, keepdims=True)
        log_normaliser = np.log(np.exp(Z - top).sum(axis=1)) + top[:, 0, :]
        picked = Z[:, y, np.arange(y.shape[0])]
        return (log_normaliser.sum(axis=1) - picked.sum(axis=1)) / y.shape[0]

    def loss_grad_(self, Z, y, buffers):
        E, S = self._shifted_log_normaliser(Z, buffers)
        rows = y[None, :]
        loss = float(np.log(S).sum() - np.take_along_axis(Z, rows, axis=0).sum()) / y.shape[0]
        np.divide(E, S, out=Z)
        np.put_along_axis(Z, rows, np.take_along_axis(Z, rows, axis=0) - 1.0, axis=0)
        Z *= 1.0 / y.shape[0]
        return loss


class CumulativeLogitCrossEntropy(_ClassIndexHead):
    """Ordinal head (proportional odds): K ordered classes from the K − 1 cumulative logits.

    Z (K − 1, N) holds z_k = θ_k − w·x, k = 1 … K − 1, increasing in k; P(y ≤ k) = σ(z_k), so with
    z_0 = −∞ and z_K = +∞ the class probabilities are P(y = k) = σ(z_{k+1}) − σ(z_k), (N, K).  For a
    sample of class k write u = z_{k+1} (upper) and l = z_k (lower), g = u − l > 0.  Since
    σ(u) − σ(l) = σ(u)·σ(−l)·(1 − e^(−g)), its loss is, without cancellation for any u and l::

        loss = softplus(−u) + softplus(l) − ln(1 − e^(−g))            (0 for the absent bound's terms)
        ∂loss/∂u = −σ(−u) − 1/(e^g − 1),   ∂loss/∂l = σ(l) + 1/(e^g − 1)

    and the mean over the N samples; ``loss_grad_`` overwrites Z with ∂(mean loss)/∂Z (K − 1, N).
    y (N,) int64 class indices 0 … K − 1.
    """

    name = "ce"
    activation = "cumulative_logit"
    exact_solver = "newton"

    @staticmethod
    def _bounds(Z, y):
        """(u, l) (…, N): each sample's upper and lower cumulative logit, ±∞ where the class has none."""
        infinity = np.full(Z.shape[:-2] + (1, Z.shape[-1]), np.inf)
        padded = np.concatenate([-infinity, Z, infinity], axis=-2)
        columns = np.arange(y.shape[0])
        return padded[..., y + 1, columns], padded[..., y, columns]

    @staticmethod
    def _log_gap_term(up, lo):
        """ln(1 − e^(l − u)) (…, N): 0 where a bound is infinite."""
        return np.log(-np.expm1(lo - up))

    def _sample_losses(self, Z, y):
        up, lo = self._bounds(Z, y)
        return _softplus(-up) + _softplus(lo) - self._log_gap_term(up, lo)

    def log_output(self, Z):
        """(N, K) log-probabilities ln(σ(z_{k+1}) − σ(z_k)), finite where the probabilities underflow."""
        infinity = np.full((1, Z.shape[1]), np.inf)
        padded = np.concatenate([-infinity, Z, infinity])
        U, L = padded[1:], padded[:-1]
        return (-_softplus(-U) - _softplus(L) + self._log_gap_term(U, L)).T.copy()

    def output(self, Z):
        return np.exp(self.log_output(Z))

    def loss(self, Z, y, buffers):
        return float(self._sample_losses(Z, y).sum()) / y.shape[0]

    def losses(self, Z, y):
        """Mean loss of each of G logit sets: Z (G, K − 1, N), y (N,) int64 → (G,)."""
        return self._sample_losses(Z, y).sum(axis=-1) / y.shape[0]

    def loss_grad_(self, Z, y, buffers):
        up, lo = self._bounds(Z, y)
        loss = float((_softplus(-up) + _softplus(lo) - self._log_gap_term(up, lo)).sum()) / y.shape[0]
        # 1/(e^g − 1) is 0 where a bound is infinite (e^∞ − 1 = ∞).
        pull = 1.0 / np.expm1(up - lo)
        columns = np.arange(y.shape[0])
        has_upper, has_lower = y < Z.shape[0], y > 0
        Z[...] = 0.0
        Z[y[has_upper], columns[has_upper]] = (-_sigmoid(-up[has_upper]) - pull[has_upper]) / y.shape[0]
        Z[y[has_lower] - 1, columns[has_lower]] = (_sigmoid(lo[has_lower].copy()) + pull[has_lower]) / y.shape[0]
        return loss

    def curvature(self, Z, y):
        """Second derivatives of each sample's loss in (u, l): ∂²/∂u², ∂²/∂l², ∂²/∂u∂l, each (N,).

        With h(g) = −ln(1 − e^(−g)), h″(g) = 1/((e^g − 1)(1 − e^(−g))): ∂²/∂u² = σ(u)σ(−u) + h″,
        ∂²/∂l² = σ(l)σ(−l) + h″, ∂²/∂u∂l = −h″; every term with an infinite bound is 0.
        """
        up, lo = self._bounds(Z, y)
        g = up - lo
        h2 = 1.0 / (np.expm1(g) * -np.expm1(-g))
        su = _sigmoid(up.copy()) * _sigmoid(-up)
        sl = _sigmoid(lo.copy()) * _sigmoid(-lo)
        return su + h2, sl + h2, -h2


class Model:
    """Common parts: the flat parameter vector, its named views, the L2 term, buffers.

    What callers ask instead of the class: ``n_hidden`` (hidden units; 0 for the affine models),
    ``has_hidden_layer``, ``exact_solver`` and ``hidden_activations``.
    """

    kind = "model"
    n_hidden = 0

    def __init__(self, n_features: int, n_outputs: int, head):
        self.n_features = int(n_features)
        self.n_outputs = int(n_outputs)
        self.head = head
        self._buffers = _Buffers()
        sizes = [int(np.prod(shape)) for _, shape in self.shapes]
        self.n_params = sum(sizes)
        self._offsets = np.cumsum([0, *sizes])
        mask = np.zeros(self.n_params)
        for (name, _), start, stop in zip(self.shapes, self._offsets[:-1], self._offsets[1:]):
            if name.startswith("W"):
                mask[start:stop] = 1.0
        self.penalized = mask

    def __repr__(self) -> str:
        shapes = ", ".join(f"{n}{tuple(s)}" for n, s in self.shapes)
        return f"{type(self).__name__}({shapes}, head={self.head.name})"

    @property
    def has_hidden_layer(self) -> bool:
        return self.n_hidden > 0

    @property
    def exact_solver(self) -> str | None:
        """The head's exact solver ("least_squares" or "newton") where the model's kind has one, else None."""
        return self.head.exact_solver if has_exact_solver(self.kind) else None

    @property
    def shapes(self):
        raise NotImplementedError

    def init(self, rng: np.random.Generator, how: str = "auto") -> np.ndarray:
        """Initial parameters θ (n_params,): ``how`` is one of INITIALISATIONS."""
        raise NotImplementedError

    def unpack(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """Named views of ``theta`` (writing to them writes to ``theta``)."""
        return {name: theta[start:stop].reshape(shape)
                for (name, shape), start, stop in zip(self.shapes, self._offsets[:-1], self._offsets[1:])}

    def pack(self, params: dict) -> np.ndarray:
        theta = np.empty(self.n_params)
        views = self.unpack(theta)
        for name, shape in self.shapes:
            value = np.asarray(params[name], dtype=np.float64)
            if value.shape != tuple(shape):
                raise ValueError(f"parameter {name} has shape {value.shape}, expected {tuple(shape)}")
            views[name][...] = value
        return theta

    def penalty(self, theta, l2) -> float:
        return l2 * float((theta * self.penalized) @ theta) if l2 else 0.0

    def _add_penalty_grad(self, theta, l2, grad):
        if l2:
            grad += (2.0 * l2) * self.penalized * theta

    def logits(self, theta, Xt) -> np.ndarray:
        raise NotImplementedError

    def predict(self, theta, Xt) -> np.ndarray:
        """Regression: ŷ (N,).  Classification: class probabilities (N, K), K ≥ 2."""
        return self.head.predict(self.logits(theta, Xt))

    def hidden_activations(self, theta, Xt) -> np.ndarray:
        """A (H, N): what each hidden unit outputs, H = ``n_hidden`` (no rows without a hidden layer)."""
        return np.empty((0, Xt.shape[1]))

    def log_proba(self, theta, Xt) -> np.ndarray:
        """Classification: class log-probabilities (N, K) from the logits, finite wherever they are."""
        return self.head.log_output(self.logits(theta, Xt))

    def objective(self, theta, Xt, y, l2) -> float:
        """J(θ): mean loss over the N columns of ``Xt`` plus the L2 term."""
        return self.head.loss(self.logits(theta, Xt), y, self._buffers) + self.penalty(theta, l2)

    def objective_grad(self, theta, Xt, y, l2, grad) -> float:
        """Return J(θ) and write ∇J(θ) into ``grad`` (n_params,)."""
        raise NotImplementedError


class AffineModel(Model):
    """Linear, logistic and softmax models: Z = W·X + b.

    Shapes: W (K, p), b (K,), Xt (p, N), Z (K, N); K = 1 for regression and binary
    classification, K = number of classes for softmax.
    """

    def __init__(self, kind: str, n_features: int, n_outputs: int, head):
        self.kind = kind
        super().__init__(n_features, n_outputs, head)

    @property
    def shapes(self):
        return [("W", (self.n_outputs, self.n_features)), ("b", (self.n_outputs,))]

    def init(self, rng: np.random.Generator, how: str = "auto") -> np.ndarray:
        """Zeros (``auto`` and ``zeros``), or small seeded normal weights (``random``)."""
        theta = np.zeros(self.n_params)
        if how == "random":
            theta[:] = rng.standard_normal(self.n_params) * self.penalized
        return theta

    def logits(self, theta, Xt):
        p = self.unpack(theta)
        Z = self._buffers.get("Z", (self.n_outputs, Xt.shape[1]), Xt.dtype)
        np.matmul(p["W"].astype(Xt.dtype, copy=False), Xt, out=Z)
        Z += p["b"].astype(Xt.dtype)[:, None]
        return Z

    def objective_grad(self, theta, Xt, y, l2, grad):
        dZ = self.logits(theta, Xt)
        loss = self.head.loss_grad_(dZ, y, self._buffers)
        g = self.unpack(grad)
        g["W"][...] = dZ @ Xt.T
        g["b"][...] = dZ.sum(axis=1)
        self._add_penalty_grad(theta, l2, grad)
        return loss + self.penalty(theta, l2)


class CascadeModel(Model):
    """Two layers of logistic units: A = σ(W₁·X + b₁), Z = W₂·A + b₂, then the head.

    Shapes: W1 (H, p), b1 (H,), W2 (K, H), b2 (K,), A (H, N), Z (K, N); K = 1 with a sigmoid
    output for two classes, K = number of classes with a softmax output otherwise.
    """

    kind = "cascade"

    def __init__(self, n_features: int, n_hidden: int, n_outputs: int, head):
        if n_hidden < 1:
            raise SettingsError(f"--hidden must be at least 1 (got {n_hidden})")
        self.n_hidden = int(n_hidden)
        super().__init__(n_features, n_outputs, head)

    @property
    def shapes(self):
        H, K = self.n_hidden, self.n_outputs
        return [("W1", (H, self.n_features)), ("b1", (H,)), ("W2", (K, H)), ("b2", (K,))]

    def init(self, rng: np.random.Generator, how: str = "auto") -> np.ndarray:
        """Glorot-scaled normal weights and zero biases (``auto``, ``random``): tiny weights leave XOR
        at the symmetric saddle — which ``zeros`` shows: every hidden unit stays identical."""
        theta = np.zeros(self.n_params)
        if how == "zeros":
            return theta
        p = self.unpack(theta)
        for name in ("W1", "W2"):
            fan_out, fan_in = p[name].shape
            p[name][...] = rng.standard_normal(p[name].shape) * np.sqrt(2.0 / (fan_in + fan_out))
        return theta

    def _hidden(self, p, Xt):
        A = self._buffers.get("A", (self.n_hidden, Xt.shape[1]), Xt.dtype)
        np.matmul(p["W1"].astype(Xt.dtype, copy=False), Xt, out=A)
        A += p["b1"].astype(Xt.dtype)[:, None]
        return _sigmoid(A)

    def logits(self, theta, Xt):
        p = self.unpack(theta)
        A = self._hidden(p, Xt)
        return p["W2"].astype(A.dtype, copy=False) @ A + p["b2"].astype(A.dtype)[:, None]

    def hidden_activations(self, theta, Xt) -> np.ndarray:
        """A (H, N): what each hidden unit outputs, for the lesson on cascades."""
        return self._hidden(self.unpack(theta), Xt).copy()

    def objective_grad(self, theta, Xt, y, l2, grad):
        p = self.unpack(theta)
        A = self._hidden(p, Xt)
        dZ = p["W2"].astype(A.dtype, copy=False) @ A + p["b2"].astype(A.dtype)[:, None]
        loss = self.head.loss_grad_(dZ, y, self._buffers)
        g = self.unpack(grad)
        g["W2"][...] = dZ @ A.T
        g["b2"][...] = dZ.sum(axis=1)
        dA = p["W2"].T.astype(A.dtype) @ dZ
        dA *= A
        dA *= 1.0 - A
        g["W1"][...] = dA @ Xt.T
        g["b1"][...] = dA.sum(axis=1)
        self._add_penalty_grad(theta, l2, grad)
        return loss + self.penalty(theta, l2)


class OrdinalModel(Model):
    """Ordinal logistic regression (cumulative logit, proportional odds): K ordered classes.

    P(y ≤ k | x) = σ(θ_k − w·x), k = 1 … K − 1, with thresholds θ_1 < … < θ_{K−1}: one weight vector
    and K − 1 parallel boundaries w·x = θ_k, K + p − 1 parameters (softmax has K·(p + 1)).

    Parameters: W (1, p) the weights w, ``theta1`` (1,) the first threshold θ_1, ``log_gaps``
    (K − 2,) ln(θ_{k+1} − θ_k), so θ_k = θ_1 + Σ_{i<k} e^(log_gaps_i) stays ordered whatever the
    optimizer does.  Only W is penalised.  The logits are the cumulative ones, Z (K − 1, N) with
    Z_k = θ_k − w·x; the head is :class:`CumulativeLogitCrossEntropy`.

    Signs, as statsmodels' ``OrderedModel(distr="logit")``: it models P(y ≤ k) = F(cut_k − x·β) with
    params [β, cut_1, ln(cut_2 − cut_1), …] and no constant in x, which is exactly θ = [w, θ_1, log_gaps]
    here: on the same features, with λ = 0, the optima are equal entry by entry.
    """

    kind = "ordinal"

    def __init__(self, n_features: int, n_classes: int):
        if n_classes < 2:
            raise SettingsError(f"ordinal regression needs at least 2 classes (found {n_classes})")
        self.n_classes = int(n_classes)
        super().__init__(n_features, n_classes - 1, CumulativeLogitCrossEntropy())

    @property
    def shapes(self):
        return [("W", (1, self.n_features)), ("theta1", (1,)), ("log_gaps", (self.n_classes - 2,))]

    def init(self, rng: np.random.Generator, how: str = "auto") -> np.ndarray:
        """Thresholds 1 apart centred on 0 (log gaps 0); weights zero (``auto``, ``zeros``) or small
        seeded normals (``random``).  Zero gaps do not exist: ``log_gaps`` = 0 is the tidy start."""
        theta = np.zeros(self.n_params)
        if how == "random":
            theta[:] = rng.standard_normal(self.n_params) * self.penalized
        self.unpack(theta)["theta1"][0] = -(self.n_classes - 2) / 2
        return theta

    def thresholds(self, theta) -> np.ndarray:
        """θ_1 … θ_{K−1} (K − 1,), increasing."""
        p = self.unpack(theta)
        return p["theta1"][0] + np.concatenate([[0.0], np.cumsum(np.exp(p["log_gaps"]))])

    def threshold_jacobian(self, theta) -> np.ndarray:
        """∂θ_k/∂(theta1, log_gaps) (K − 1, K − 1): column 0 is ones, column i + 1 is e^(log_gaps_i)
        below row i."""
        gaps = np.exp(self.unpack(theta)["log_gaps"])
        M = np.zeros((self.n_classes - 1, self.n_classes - 1))
        M[:, 0] = 1.0
        for i, gap in enumerate(gaps):
            M[i + 1:, i + 1] = gap
        return M

    def logits(self, theta, Xt):
        w = self.unpack(theta)["W"][0].astype(Xt.dtype, copy=False)
        return self.thresholds(theta).astype(Xt.dtype)[:, None] - (w @ Xt)[None, :]

    def objective_grad(self, theta, Xt, y, l2, grad):
        dZ = self.logits(theta, Xt)
        loss = self.head.loss_grad_(dZ, y, self._buffers)
        g = self.unpack(grad)
        g["W"][0] = -(dZ.sum(axis=0) @ Xt.T)
        # ∂J/∂θ_k, then through θ_k = θ_1 + Σ_{i<k} e^(log_gaps_i): ∂J/∂log_gaps_i = e^(log_gaps_i)·Σ_{k>i} ∂J/∂θ_k.
        by_threshold = dZ.sum(axis=1).astype(np.float64)
        g["theta1"][0] = by_threshold.sum()
        g["log_gaps"][...] = np.exp(self.unpack(theta)["log_gaps"]) * np.cumsum(by_threshold[::-1])[::-1][1:]
        self._add_penalty_grad(theta, l2, grad)
        return loss + self.penalty(theta, l2)


MODEL_KINDS = ("linear", "polynomial", "ridge", "logistic", "softmax", "cascade", "ordinal")
REGRESSION_KINDS = frozenset({"linear", "polynomial", "ridge"})
HIDDEN_LAYER_KINDS = frozenset({CascadeModel.kind})
# Least squares or Newton solve these exactly; a hidden layer makes the objective non-convex.
EXACT_SOLVER_KINDS = frozenset(MODEL_KINDS) - HIDDEN_LAYER_KINDS
# Square error of σ(z) is the notes' counter-example for one sigmoid unit; every other classifier
# trains on cross-entropy.
LOSS_CHOICE_KINDS = frozenset({"logistic"})


def has_exact_solver(kind: str) -> bool:
    """Whether ``optimizer="exact"`` exists for model ``kind`` (the one place that says so)."""
    return kind in EXACT_SOLVER_KINDS


def has_hidden_layer(kind: str) -> bool:
    """Whether model ``kind`` has hidden units (``hidden`` applies); its models' ``has_hidden_layer``."""
    return kind in HIDDEN_LAYER_KINDS


def has_loss_choice(kind: str) -> bool:
    """Whether model ``kind`` may train on square error (``loss="mse"``) instead of cross-entropy."""
    return kind in LOSS_CHOICE_KINDS


def is_classifier(kind: str) -> bool:
    return kind not in REGRESSION_KINDS


def build_model(kind: str, n_features: int, n_classes: int = 0, loss: str = "ce", hidden: int = 2) -> Model:
    """The model of ``kind`` for ``n_features`` features (and ``n_classes`` classes if a classifier)."""
    if kind not in MODEL_KINDS:
        raise SettingsError(f"unknown model {kind!r} (choose from {', '.join(MODEL_KINDS)})")
    if loss not in ("ce", "mse"):
        raise SettingsError(f"--loss must be ce or mse (got {loss!r})")
    if kind in REGRESSION_KINDS:
        return AffineModel(kind, n_features, 1, SquaredError())
    if loss == "mse" and not has_loss_choice(kind):
        raise SettingsError(f"--loss mse applies to the logistic model only ({kind} trains on cross-entropy)")
    if kind == "logistic":
        if n_classes != 2:
            advice = translate("Models", "choose Softmax regression under Model for more").for_command_line(
                "use --model softmax for more")
            raise SettingsError(translate("Models", "logistic regression needs exactly 2 classes (found {count}); "
                                                    "{advice}").format(count=n_classes, advice=advice))
        return AffineModel(kind, n_features, 1, SigmoidSquaredError() if loss == "mse" else SigmoidCrossEntropy())
    if kind == "softmax":
        return AffineModel(kind, n_features, n_classes, SoftmaxCrossEntropy())
    if kind == "ordinal":
        return OrdinalModel(n_features, n_classes)
    if n_classes == 2:
        return CascadeModel(n_features, hidden, 1, SigmoidCrossEntropy())
    return CascadeModel(n_features, hidden, n_classes, SoftmaxCrossEntropy())


def encode_target(model: Model, y_index: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Class indices (N,) as the head wants them: 0/1 floats for a sigmoid head, int64 for softmax and ordinal."""
    return model.head.encode_target(y_index, dtype)
