"""Speed of the core engine against hand-written numpy, and the CSV loading budget (docs/architecture.md, budgets).

What is measured:

1. Full-batch ``gd`` steps per second of the real engine — a ``Dataset`` of random numbers goes
   through ``prepare(dataset, Settings(model=..., optimizer="gd", test_fraction=0, tol=0))`` and
   ``Trainer.step()`` runs in a timed loop — for linear, logistic, softmax (K = 3) and cascade
   (H = 2 and H = 8, two classes) models, N = 1e3 … 1e6 rows and d = 1 and 10 input features.
   Next to it, in the same run and on the same prepared arrays (``Xt`` features × rows), a bare numpy
   loop of the same maths: the objectives and gradients of ``regstudio/core/models.py`` written out
   by hand with every N-sized array preallocated and filled through ``out=``.  Two hand-written
   choices differ from models.py's code (not its maths): σ(z) is built from the same e^(−|z|) but
   takes its sign with ``copysign`` instead of a masked ``where=`` subtraction, and the softmax loop
   uses a one-hot (K, N) target built once before timing, the way one would write
   ``(P − onehot(y)) / N``.  The ratio engine/bare is time per step of the engine over that of the bare
   loop; ``|Δloss|`` is the relative difference of the two first-step objectives (same starting
   parameters), which shows that both compute the same thing.
   Each figure is the best of 5 timed runs of enough steps to last about 0.4 s (at least 3 steps, so
   few at N = 1e6), after one warm-up step and 0.05 s of calibration; the engine and bare runs
   alternate.
2. Engine steps per second with ``Settings(dtype="float32")`` for linear and logistic at N ≥ 1e5,
   and the speed-up over float64 (the design expected 2–3×).
3. Loading a 1e6-row, 3-column numeric CSV with ``load_csv(path).dataset(y="c")``, next to
   ``numpy.loadtxt`` on the same file.

A final section prints each budget with PASS or FAIL, as information; the exit code is always 0.
The load average is printed at the start and the end: on a 2-core machine another busy process
slows the multi-threaded BLAS calls a lot, so figures taken under load are not comparable.

Run:  python benchmarks/bench_core.py          (full, a few minutes)
      python benchmarks/bench_core.py --quick  (N ≤ 1e5 only, no CSV; a fast check)
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time

import numpy as np

from regstudio.core.data import Dataset, load_csv
from regstudio.core.training import Settings, Trainer, prepare

ROW_COUNTS = (10**3, 10**4, 10**5, 10**6)
QUICK_MAX_ROWS = 10**5
FEATURE_COUNTS = (1, 10)
FLOAT32_MODELS = ("linear", "logistic")
FLOAT32_MIN_ROWS = 10**5
CALIBRATION_SECONDS = 0.05
TARGET_SECONDS = 0.4
MIN_STEPS = 3
REPEATS = 5
CSV_ROWS = 10**6

RATIO_BUDGET = 3.0
RATIO_BUDGET_MIN_ROWS = 10**5
RATIO_BUDGET_MODELS = ("linear", "logistic")
FLOAT32_SPEEDUP_BUDGET = 2.0
CSV_BUDGET_SECONDS = 2.0


class Case:
    """One model configuration: its label, its engine settings and its number of classes (0: regression)."""

    def __init__(self, label: str, model: str, n_classes: int, hidden: int = 2):
        self.label, self.model, self.n_classes, self.hidden = label, model, n_classes, hidden

    def settings(self, dtype: str = "float64") -> Settings:
        return Settings(model=self.model, hidden=self.hidden, optimizer="gd", test_fraction=0.0, tol=0.0,
                        steps=10**9, dtype=dtype)


CASES = (
    Case("linear", "linear", 0),
    Case("logistic", "logistic", 2),
    Case("softmax K=3", "softmax", 3),
    Case("cascade H=2", "cascade", 2, hidden=2),
    Case("cascade H=8", "cascade", 2, hidden=8),
)


def random_dataset(n_rows: int, n_features: int, n_classes: int, rng: np.random.Generator) -> Dataset:
    """Gaussian inputs; a noisy linear target, or labels "0", "1", … from noisy linear scores."""
    X = rng.standard_normal((n_rows, n_features))
    scores = X @ rng.standard_normal((n_features, max(n_classes, 1)))
    scores += 0.5 * rng.standard_normal(scores.shape)
    if n_classes == 0:
        y = scores[:, 0]
    elif n_classes == 2:
        y = np.array(["0", "1"])[(scores[:, 0] > 0).astype(np.int64)]
    else:
        y = np.array([str(k) for k in range(n_classes)])[scores.argmax(axis=1)]
    names = tuple(f"x{j + 1}" for j in range(n_features))
    return Dataset(X=X, y=y, groups=None, x_names=names, y_name="y")


# --- The bare loops: models.py's formulas by hand, every N-sized array preallocated. ---------------

def _views(vector: np.ndarray, shapes) -> list[np.ndarray]:
    """Consecutive reshaped views of a flat vector (the engine's parameter layout)."""
    views, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        views.append(vector[start:start + size].reshape(shape))
        start += size
    return views


def _sigmoid(z, e, out):
    """out ← σ(z) without overflow: e ← e^(−|z|), σ(|z|) = 1/(1 + e), σ(z) = ½ + copysign(σ(|z|) − ½, z)."""
    np.abs(z, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.add(e, 1.0, out=out)
    np.reciprocal(out, out=out)
    out -= 0.5
    np.copysign(out, z, out=out)
    out += 0.5


def _squared_error_grad_(z, y):
    """z ← 2(z − y)/N; returns mean((z − y)²)."""
    z -= y
    loss = float(np.dot(z, z)) / z.shape[0]
    z *= 2.0 / z.shape[0]
    return loss


def _sigmoid_cross_entropy_grad_(z, y, e, t):
    """z ← (σ(z) − y)/N; returns mean(softplus(z) − y·z) with softplus(z) = max(z, 0) + ln(1 + e^(−|z|))."""
    n = z.shape[0]
    np.maximum(z, 0.0, out=t)
    loss = float(t.sum()) - float(np.dot(y, z))
    _sigmoid(z, e, out=t)
    np.subtract(t, y, out=z)
    z *= 1.0 / n
    np.log1p(e, out=t)
    return (loss + float(t.sum())) / n


def _softmax_cross_entropy_grad_(Z, onehot, E, column):
    """Z ← (softmax(Z) − onehot)/N over axis 0; returns mean(−ln softmax(Z)[y])."""
    n = Z.shape[1]
    np.max(Z, axis=0, out=column)
    Z -= column
    np.exp(Z, out=E)
    picked = float(np.vdot(Z, onehot))
    np.sum(E, axis=0, out=column)
    E /= column
    np.log(column, out=column)
    loss = (float(column.sum()) - picked) / n
    np.subtract(E, onehot, out=Z)
    Z *= 1.0 / n
    return loss


def bare_affine_step(Xt, theta, lr, n_outputs, head_grad_):
    """One gd step of Z = W·X + b with ``head_grad_(Z)`` turning Z into ∂J/∂Z and returning the loss."""
    p, n = Xt.shape
    shapes = [(n_outputs, p), (n_outputs,)]
    W, b = _views(theta, shapes)
    grad = np.empty_like(theta)
    gW, gb = _views(grad, shapes)
    Z = np.empty((n_outputs, n))

    def step():
        np.matmul(W, Xt, out=Z)
        np.add(Z, b[:, None], out=Z)
        loss = head_grad_(Z)
        np.matmul(Z, Xt.T, out=gW)
        np.sum(Z, axis=1, out=gb)
        np.subtract(theta, lr * grad, out=theta)
        return loss

    return step


def bare_cascade_step(Xt, y, theta, lr, hidden):
    """One gd step of A = σ(W₁·X + b₁), z = W₂·A + b₂ with a sigmoid cross-entropy head (two classes)."""
    p, n = Xt.shape
    shapes = [(hidden, p), (hidden,), (1, hidden), (1,)]
    W1, b1, W2, b2 = _views(theta, shapes)
    grad = np.empty_like(theta)
    gW1, gb1, gW2, gb2 = _views(grad, shapes)
    A_in, E, A, dA = (np.empty((hidden, n)) for _ in range(4))
    Z, e, t = np.empty((1, n)), np.empty(n), np.empty(n)

    def step():
        np.matmul(W1, Xt, out=A_in)
        np.add(A_in, b1[:, None], out=A_in)
        _sigmoid(A_in, E, out=A)
        np.matmul(W2, A, out=Z)
        np.add(Z, b2[:, None], out=Z)
        loss = _sigmoid_cross_entropy_grad_(Z[0], y, e, t)
        np.matmul(Z, A.T, out=gW2)
        np.sum(Z, axis=1, out=gb2)
        np.matmul(W2.T, Z, out=dA)
        np.multiply(dA, A, out=dA)
        np.subtract(1.0, A, out=A_in)
        np.multiply(dA, A_in, out=dA)
        np.matmul(dA, Xt.T, out=gW1)
        np.sum(dA, axis=1, out=gb1)
        np.subtract(theta, lr * grad, out=theta)
        return loss

    return step


def bare_step(case: Case, Xt, y, theta, lr):
    """The bare loop's step function for ``case``; it updates its own copy of ``theta``."""
    theta = theta.copy()
    n = Xt.shape[1]
    if case.model == "linear":
        return bare_affine_step(Xt, theta, lr, 1, lambda Z: _squared_error_grad_(Z[0], y))
    if case.model == "logistic":
        e, t = np.empty(n), np.empty(n)
        return bare_affine_step(Xt, theta, lr, 1, lambda Z: _sigmoid_cross_entropy_grad_(Z[0], y, e, t))
    if case.model == "softmax":
        onehot = np.zeros((case.n_classes, n))
        onehot[y, np.arange(n)] = 1.0
        E, column = np.empty((case.n_classes, n)), np.empty(n)
        return bare_affine_step(Xt, theta, lr, case.n_classes,
                                lambda Z: _softmax_cross_entropy_grad_(Z, onehot, E, column))
    return bare_cascade_step(Xt, y, theta, lr, case.hidden)


# --- Timing ----------------------------------------------------------------------------------------

class StepTimer:
    """Times a step function: one warm-up step, a short calibration, then runs of enough steps to
    last ~TARGET_SECONDS each (the best run counts)."""

    def __init__(self, step):
        self.step = step
        self.first_loss = step()
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < CALIBRATION_SECONDS:
            step()
            count += 1
        self.n_steps = max(MIN_STEPS, round(TARGET_SECONDS * count / elapsed))
        self.best_seconds = float("inf")

    def run(self) -> None:
        step = self.step
        start = time.perf_counter()
        for _ in range(self.n_steps):
            step()
        self.best_seconds = min(self.best_seconds, (time.perf_counter() - start) / self.n_steps)

    @property
    def steps_per_second(self) -> float:
        return 1.0 / self.best_seconds


def time_alternating(*timers: StepTimer) -> None:
    """REPEATS rounds in which every timer runs once, so a slow spell of the machine hits all alike."""
    for _ in range(REPEATS):
        for timer in timers:
            timer.run()


def engine_timer(dataset: Dataset, settings: Settings) -> tuple[StepTimer, Trainer, np.ndarray]:
    """A timer over ``Trainer.step`` of the prepared problem, the trainer, and its initial parameters."""
    trainer = Trainer(prepare(dataset, settings))
    initial_theta = trainer.theta.copy()
    return StepTimer(trainer.step), trainer, initial_theta


# --- Report ----------------------------------------------------------------------------------------

def format_rows(n: int) -> str:
    return f"1e{round(np.log10(n))}" if n == 10 ** round(np.log10(n)) else str(n)


def benchmark_models(row_counts, rng):
    """Print the engine-versus-bare table; return its rows and the float32 rows for the budgets."""
    print(f"{'model':<12} {'d':>2} {'N':>5} {'engine st/s':>12} {'bare st/s':>12} {'engine/bare':>12}"
          f" {'steps e/b':>11} {'|Δloss|':>8}")
    results, float32_results = [], []
    for n_rows in row_counts:
        for n_features in FEATURE_COUNTS:
            for case in CASES:
                dataset = random_dataset(n_rows, n_features, case.n_classes, rng)
                engine, trainer, initial_theta = engine_timer(dataset, case.settings())
                problem = trainer.problem
                bare = StepTimer(bare_step(case, problem.Xt_train, problem.y_train, initial_theta, trainer.lr))
                time_alternating(engine, bare)
                ratio = bare.steps_per_second / engine.steps_per_second
                loss_difference = abs(engine.first_loss - bare.first_loss) / max(abs(bare.first_loss), 1e-300)
                print(f"{case.label:<12} {n_features:>2} {format_rows(n_rows):>5} {engine.steps_per_second:>12.1f}"
                      f" {bare.steps_per_second:>12.1f} {ratio:>11.2f}x {engine.n_steps:>5}/{bare.n_steps:<5}"
                      f" {loss_difference:>8.1e}", flush=True)
                results.append((case, n_features, n_rows, ratio))
                if case.model in FLOAT32_MODELS and n_rows >= FLOAT32_MIN_ROWS:
                    single, _, _ = engine_timer(dataset, case.settings("float32"))
                    time_alternating(single)
                    float32_results.append((case, n_features, n_rows, engine.steps_per_second,
                                            single.steps_per_second))
    return results, float32_results


def print_float32(float32_results) -> None:
    print("\nfloat32 engine (Settings(dtype='float32')) against the float64 engine above")
    print(f"{'model':<12} {'d':>2} {'N':>5} {'float64 st/s':>13} {'float32 st/s':>13} {'speed-up':>9}")
    for case, n_features, n_rows, double, single in float32_results:
        print(f"{case.label:<12} {n_features:>2} {format_rows(n_rows):>5} {double:>13.1f} {single:>13.1f}"
              f" {single / double:>8.2f}x")


def benchmark_csv(n_rows: int, rng) -> float:
    """Print the seconds of load_csv + Table.dataset and of numpy.loadtxt on one n_rows × 3 numeric CSV;
    return the former."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "bench.csv")
        np.savetxt(path, rng.standard_normal((n_rows, 3)), fmt="%.6f", delimiter=",", header="a,b,c",
                   comments="")
        start = time.perf_counter()
        dataset = load_csv(path).dataset(y="c", task="regression")
        regstudio_seconds = time.perf_counter() - start
        start = time.perf_counter()
        array = np.loadtxt(path, delimiter=",", skiprows=1)
        numpy_seconds = time.perf_counter() - start
    print(f"\nCSV {format_rows(n_rows)} rows × 3 columns ({dataset.X.shape[0]} rows read, loadtxt {array.shape})")
    print(f"  load_csv + dataset: {regstudio_seconds:.2f} s   numpy.loadtxt: {numpy_seconds:.2f} s"
          f"   ratio {regstudio_seconds / numpy_seconds:.2f}x")
    return regstudio_seconds


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_budgets(results, float32_results, csv_seconds) -> None:
    print("\nbudget (docs/architecture.md; information only)")
    for case, n_features, n_rows, ratio in results:
        if case.model in RATIO_BUDGET_MODELS and n_rows >= RATIO_BUDGET_MIN_ROWS:
            print(f"  {verdict(ratio <= RATIO_BUDGET)}  gd {case.label:<8} d={n_features:<2} N={format_rows(n_rows):<4}"
                  f" engine/bare {ratio:.2f}x (≤ {RATIO_BUDGET:g}x)")
    for case, n_features, n_rows, double, single in float32_results:
        speedup = single / double
        print(f"  {verdict(speedup >= FLOAT32_SPEEDUP_BUDGET)}  float32 {case.label:<8} d={n_features:<2}"
              f" N={format_rows(n_rows):<4} speed-up {speedup:.2f}x (≥ {FLOAT32_SPEEDUP_BUDGET:g}x)")
    if csv_seconds is None:
        print(f"  ----  CSV {format_rows(CSV_ROWS)} rows: not measured with --quick")
    else:
        print(f"  {verdict(csv_seconds <= CSV_BUDGET_SECONDS)}  CSV {format_rows(CSV_ROWS)} rows × 3 columns:"
              f" {csv_seconds:.2f} s (≤ {CSV_BUDGET_SECONDS:g} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"only N ≤ {QUICK_MAX_ROWS:.0e} and no CSV")
    args = parser.parse_args()
    row_counts = [n for n in ROW_COUNTS if not args.quick or n <= QUICK_MAX_ROWS]
    rng = np.random.default_rng(0)
    print(f"regstudio core benchmark: numpy {np.__version__}, Python {platform.python_version()},"
          f" {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}{' (--quick)' if args.quick else ''}\n")
    start = time.perf_counter()
    results, float32_results = benchmark_models(row_counts, rng)
    print_float32(float32_results)
    csv_seconds = None if args.quick else benchmark_csv(CSV_ROWS, rng)
    print_budgets(results, float32_results, csv_seconds)
    print(f"\ntotal {time.perf_counter() - start:.0f} s, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
