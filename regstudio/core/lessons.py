"""One-click lessons: each loads data, settings and the views that show one idea of the course notes.

A lesson is data (a seeded built-in data set), a configuration of the window, the views to open,
optional pinned comparison runs, and a caption saying what to look for.  The numbers in the
caption are facts about this exact set-up: ``tests/core/test_lessons.py`` trains every lesson
headless, as the window would, and asserts its claim.  The window's train/test split comes from
:func:`session.split_rng`, so the tests split exactly as the window does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .data import Dataset
from .generators import generate
from .messages import translate
from .runner import ProblemSpec
from .session import Points, split_rng
from .training import UNBOUNDED_STEPS, Settings, Trainer

WRONG_START_Z = 10.0   # |z| at the class means of a lesson's confidently wrong start
# Window settings that are not core Settings fields (the rest are passed to Settings as they are).
WINDOW_ONLY = frozenset({"steps_per_second", "use_group", "log_loss", "log_steps", "axes", "click_class"})


@dataclass(frozen=True)
class DataRecipe:
    """A built-in data set: ``generate(generator, n, noise, seed, **options)``."""

    generator: str
    n: int
    noise: float
    seed: int = 0
    options: tuple = ()
    test_fraction: float = 0.0

    def dataset(self) -> Dataset:
        return generate(self.generator, self.n, self.noise, seed=self.seed, **dict(self.options))


@dataclass(frozen=True)
class Lesson:
    """``key`` names the menu action (``lesson`` + key); ``config`` holds window settings (Config
    field → value); ``views`` the views to open ("landscape", "validation:degree",
    "validation:l2", "hidden_space", "square_error"); ``pins`` runs of ``pin_steps`` steps with
    these config changes, pinned on the loss plot; ``claim_steps`` how long the caption's claim
    assumes the student trains."""

    key: str
    title: str
    caption: str
    data: DataRecipe
    config: dict
    views: tuple[str, ...] = ()
    pins: tuple[dict, ...] = ()
    pin_steps: int = 0
    claim_steps: int = 200
    # The lesson's second part, one click away in its caption: (button text, config changes).
    next_step: tuple | None = None
    # Start the run where every point is confidently on the wrong side (a logistic model), as the
    # notes' square error against cross-entropy comparison does, instead of at zero.
    wrong_start: bool = False

    def __repr__(self) -> str:
        return f"Lesson({self.key!r}, {self.data.generator} n={self.data.n}, {self.config.get('model')})"

    @property
    def action_name(self) -> str:
        return "lesson" + self.key

    def points(self) -> Points:
        """The lesson's points with the window's test flags."""
        dataset = self.data.dataset()
        return Points.from_dataset(dataset, self.data.test_fraction, split_rng(self.config.get("seed", 0)))

    def settings(self, steps: int = UNBOUNDED_STEPS, **changes) -> Settings:
        config = dict(self.config, **changes)
        core = {key: value for key, value in config.items() if key not in WINDOW_ONLY}
        return Settings(steps=steps, test_fraction=self.data.test_fraction, **core)

    def spec(self, steps: int = UNBOUNDED_STEPS, **changes) -> ProblemSpec:
        """What the window trains after the lesson loads (with ``changes`` to its config)."""
        points = self.points()
        data = points.data
        if data.group_name is not None and not dict(self.config, **changes).get("use_group", False):
            data = replace(data, groups=None, group_name=None)
        return ProblemSpec(data, self.settings(steps, **changes), points.test.copy())

    def start(self) -> tuple[float, ...] | None:
        """θ to start the lesson's run from, or None (the seed's).  With ``wrong_start``: the weights
        point from class 1's mean to class 0's on the standardised features, scaled so that z = ∓10
        at the two class means (σ within e⁻¹⁰ of the wrong answer), and the bias puts z = 0 midway."""
        if not self.wrong_start:
            return None
        problem = self.spec().prepare()
        Xt, y = problem.Xt_train, problem.y_train
        ones = np.asarray(y).reshape(-1) == 1
        mu1, mu0 = Xt[:, ones].mean(axis=1), Xt[:, ~ones].mean(axis=1)
        gap = mu1 - mu0
        w = -WRONG_START_Z * gap / (gap @ gap / 2)
        params = {"W": w[None, :], "b": np.array([-w @ (mu0 + mu1) / 2])}
        return tuple(float(v) for v in problem.model.pack(params))

    def reference_run(self, changes: dict) -> tuple[list[int], list[float]]:
        """Steps 0…``pin_steps`` and their objective for this set-up with ``changes`` (a pinned run)."""
        trainer = Trainer(self.spec(**changes).prepare())
        losses: list[float] = []
        for snapshot in trainer.run(max_steps=self.pin_steps):
            losses.extend(snapshot.losses)
        losses.append(trainer.evaluate()["train"]["objective"])
        return list(range(len(losses))), losses


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "Slope", translate("Lessons", "Regression: the slope formula and gradient descent"),
        translate("Lessons",
                  "Gradient descent lowers the mean squared error step by step. The dashed line is the notes' "
                  "slope formula, m = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)² and c = ȳ − m·x̄, computed directly. "
                  "Press Play: the fitted line settles onto it in about 70 steps, while on the landscape "
                  "(the notes' plane of w and b, features unscaled) the path runs down the bowl to the star, its "
                  "lowest point. J is the mean squared error, the notes' L(w, b) the sum: J = L / n, same lowest "
                  "point."),
        DataRecipe("line", 20, 1.0, seed=0),
        {"model": "linear", "optimizer": "gd", "lr": 0.1, "seed": 0, "standardize": False,
         "steps_per_second": 10.0},
        views=("landscape",), claim_steps=100),
    Lesson(
        "LearningRate", translate("Lessons", "Learning rate: too small, just right, too large"),
        translate("Lessons",
                  "Two runs are pinned on the loss plot: learning rate 0.005 is still far from the bottom after "
                  "70 steps, 0.1 gets there. The live run at 0.28 is too large: on the landscape each step "
                  "jumps across the narrow valley in w and lands further out, so the path zig-zags, leaves the "
                  "bowl, and the run stops as diverged within 20 steps."),
        DataRecipe("line", 20, 1.0, seed=0),
        # a log loss axis: the diverging run's J of 173 would press the pinned curves flat on a linear one
        {"model": "linear", "optimizer": "gd", "lr": 0.28, "seed": 0, "standardize": False,
         "steps_per_second": 4.0, "log_loss": True},
        views=("landscape",), pins=({"lr": 0.005}, {"lr": 0.1}), pin_steps=70, claim_steps=20),
    Lesson(
        "Overfitting", translate("Lessons", "Overfitting and choosing the degree"),
        translate("Lessons",
                  "Half of these 24 points are held out for testing (hollow). Degree 9 is solved exactly: the "
                  "curve bends through the training points and misses the test points between them. The "
                  "validation curves below fit degrees 1 to 10: training error keeps falling, test error is "
                  "lowest near degree 3 and higher at 9. Click a row and Apply to use that degree."),
        DataRecipe("cubic", 24, 0.5, seed=0, test_fraction=0.5),
        {"model": "polynomial", "degree": 9, "optimizer": "exact", "seed": 0, "steps_per_second": 20.0},
        views=("validation:degree",), claim_steps=1),
    Lesson(
        "Regularization", translate("Lessons", "L2 regularisation: λ, smoothness, and the bias left out"),
        translate("Lessons",
                  "Ridge regression adds λ‖w‖² to the error, leaving the bias b out: λ flattens the curve "
                  "without pulling it towards zero. The sweep of λ from 10⁻⁶ to 100: training error rises with "
                  "λ; test error is lowest near λ = 0.03 and high at both ends (wild wiggles between the "
                  "training points at the tiniest λ, a flat curve at the largest). Apply the best λ and watch "
                  "the curve smooth out."),
        DataRecipe("sine", 30, 0.3, seed=0, test_fraction=0.5),
        {"model": "ridge", "degree": 9, "l2": 1e-6, "optimizer": "exact", "seed": 0, "steps_per_second": 20.0},
        views=("validation:l2",), claim_steps=1),
    Lesson(
        "HiddenFactors", translate("Lessons", "Hidden factors: one line per species"),
        translate("Lessons",
                  "These points come from three species, each with its own line. One shared line fits them "
                  "badly; with the species column as one-hot indicators (Data → Group column) each species gets "
                  "its own intercept b + δ and its own slope, and the test error drops by more than ten times."),
        DataRecipe("hidden_factor", 60, 0.5, seed=0, test_fraction=0.25),
        {"model": "linear", "optimizer": "gd", "lr": 0.3, "seed": 0, "use_group": True, "steps_per_second": 50.0},
        claim_steps=400),
    Lesson(
        "Logistic", translate("Lessons", "Logistic regression and cross-entropy"),
        translate("Lessons",
                  "Logistic regression passes a weighted sum through σ to get a probability, and gradient "
                  "descent lowers the cross-entropy. The boundary is where p = ½; the colours show p "
                  "everywhere. Within 100 steps every point is on its own side."),
        DataRecipe("two_blobs", 60, 0.9, seed=0, test_fraction=0.25),
        {"model": "logistic", "optimizer": "gd", "lr": 0.5, "seed": 0, "steps_per_second": 20.0},
        claim_steps=100),
    Lesson(
        "SquareError", translate("Lessons", "Why not square error for logistic regression"),
        translate("Lessons",
                  "The panel below descends both losses from the same start, where every point is confidently "
                  "on the wrong side. Square error's surface is flat there (σ is saturated, so its gradient is "
                  "hundreds of times smaller) and its path barely moves: accuracy stays at 0 %. Cross-entropy's "
                  "gradient is largest exactly there, and it reaches 100 %. The main plot starts the same way: "
                  "Play trains it with cross-entropy; Loss → Square error on σ(z) and Reset show it stall."),
        DataRecipe("two_blobs", 60, 0.9, seed=0),
        {"model": "logistic", "loss": "ce", "optimizer": "gd", "lr": 0.5, "seed": 0, "steps_per_second": 20.0},
        views=("square_error",), claim_steps=300, wrong_start=True),
    Lesson(
        "Softmax", translate("Lessons", "Several classes: softmax and one-hot targets"),
        translate("Lessons",
                  "With three classes each target is a one-hot vector and softmax turns three weighted sums "
                  "into three probabilities that add up to 1. The lines are the class boundaries, where two "
                  "classes are equally likely; after 200 steps every training point is classified correctly."),
        DataRecipe("blobs", 90, 0.9, seed=0, options=(("classes", 3),), test_fraction=0.25),
        {"model": "softmax", "optimizer": "gd", "lr": 0.5, "seed": 0, "steps_per_second": 20.0},
        claim_steps=200),
)


LESSONS += (
    Lesson(
        "Xor", translate("Lessons", "The limit of one line, and feature transformation"),
        translate("Lessons",
                  "1. No line puts the two XOR classes on opposite sides: logistic regression's cross-entropy stays "
                  "near ln 2 ≈ 0.69, no better than guessing. 2. The pinned curve is the same model fed each point's "
                  "distances to (1.5, 1.5) and (−1.5, −1.5) (Model → Features): in that plane, shown under "
                  "Hidden space, one line separates the classes. Degree 2 works too: x1·x2 is the feature XOR needs."),
        DataRecipe("xor", 200, 0.2, seed=0),
        {"model": "logistic", "optimizer": "gd", "lr": 1.0, "seed": 0, "steps_per_second": 50.0},
        views=("hidden_space",), pins=({"features": "distances"},), pin_steps=500, claim_steps=500,
        next_step=(translate("Lessons", "2. Use distance features"), {"features": "distances"})),
    Lesson(
        "Cascade", translate("Lessons", "Two logistic units are a neural network"),
        translate("Lessons",
                  "Two hidden logistic units each draw a line (their own colours); the output unit draws one "
                  "line in their outputs (x₁′, x₂′), shown under Hidden space. Press Play (10 steps a second, "
                  "so the change can be watched): around steps 20–45 the hidden units move the four clouds "
                  "until one line separates them, and accuracy climbs to 100 %, where logistic regression "
                  "alone stayed at chance. Speed up to watch the loss keep falling."),
        DataRecipe("xor", 200, 0.2, seed=0),
        # 10 steps a second: at 100 the interesting steps 20–45 passed in a quarter of a second.
        {"model": "cascade", "hidden": 2, "optimizer": "gd", "lr": 3.0, "seed": 0, "steps_per_second": 10.0},
        views=("hidden_space",), claim_steps=1000),
    Lesson(
        "Ordinal", translate("Lessons", "Ordered classes: star ratings and ordinal regression"),
        translate("Lessons",
                  "Star ratings 1–5 along x1 (x2 has nothing to do with them); half of the 100 points are held out "
                  "for testing. Ordinal regression models P(rating ≤ k) = σ(θ_k − w·x): one weight vector and four "
                  "ordered thresholds, K + d − 1 = 6 parameters, so its K − 1 = 4 boundaries are parallel lines. "
                  "Softmax (pinned) treats the ratings as unordered classes with K·(d + 1) = 15 parameters. After "
                  "500 steps the ordinal model rates 54 % of the test points right and is 0.48 stars off on "
                  "average; softmax 40 % and 0.64 stars."),
        DataRecipe("star_ratings", 100, 0.6, seed=0, test_fraction=0.5),
        # η = 0.3: the log gaps' curvature grows with the gaps, and at 0.5 a run on a nearly separable
        # set of ratings jumped out of its valley after 270 steps.
        {"model": "ordinal", "optimizer": "gd", "lr": 0.3, "seed": 0, "steps_per_second": 50.0, "click_class": "1"},
        pins=({"model": "softmax"},), pin_steps=500, claim_steps=500),
)


def lesson(key: str) -> Lesson:
    for item in LESSONS:
        if item.key == key:
            return item
    raise KeyError(f"no lesson {key!r} (lessons: {', '.join(item.key for item in LESSONS)})")
