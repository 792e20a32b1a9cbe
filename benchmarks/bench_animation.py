"""The animation export's budget: a 10-second, 15 fps, 1280×720 GIF of a 1,000-step cascade run
renders in under 30 s (on this 2-core machine).

The run is the Cascade lesson's (XOR, 200 points, two hidden units, η = 3, seed 0) trained 1,000 steps
headless, saved as a session as the window saves it (its timeline sampled to at most 512 steps);
then ``regstudio animate SESSION --out run.gif`` renders it, in this process, timed from the command's
start to its end (loading the session, Qt, rendering, encoding, the rename).  Also printed: the same
with the loss plot and the landscape beside the data plot, and an MP4, each against the same budget.

This is not a test: it prints figures and PASS/FAIL as information and always exits 0.

Run:  python benchmarks/bench_animation.py [--keep FOLDER] [--quick]
      (--keep leaves the session and the animations there: the README's GIF is made from that session.)
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from regstudio.cli import main  # noqa: E402
from regstudio.core.history import LossHistory  # noqa: E402
from regstudio.core.lessons import lesson  # noqa: E402
from regstudio.core.runner import ProblemSpec  # noqa: E402
from regstudio.core.session import (Points, SessionDisplay, SessionState, save_session,  # noqa: E402
                                    timeline_sample_size)
from regstudio.core.training import Settings, Trainer  # noqa: E402

BUDGET_SECONDS = 30.0
STEPS = 1000


def cascade_session(path: str, steps: int = STEPS) -> None:
    """The Cascade lesson's run, ``steps`` steps, saved as the window saves a session."""
    cascade = lesson("Cascade")
    points = cascade.points()
    config = cascade.config
    settings = Settings(model="cascade", hidden=config["hidden"], optimizer="gd", lr=config["lr"], seed=config["seed"],
                        steps=steps, tol=0.0, test_fraction=cascade.data.test_fraction)
    trainer = Trainer(ProblemSpec(points.data, settings, points.test.copy()).prepare())
    timeline = trainer.keep_timeline()
    history = LossHistory()
    losses = [trainer.step() for _ in range(steps)]
    history.extend(0, np.array(losses))
    theta = trainer.theta.tolist()
    kept = tuple((k.step, k.theta.tolist()) for k in timeline.sample(timeline_sample_size(len(theta)))
                 if k.step < trainer.step_count)
    save_session(path, SessionState({"classification": points, "regression": Points.empty("regression")}, settings,
                                    theta, trainer.step_count, history.to_dict(), SessionDisplay(), kept))


def timed(*argv: str) -> tuple[float, int, str]:
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return time.perf_counter() - started, code, out.getvalue().strip()


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", metavar="FOLDER", help="write the session and animations here")
    parser.add_argument("--quick", action="store_true", help="only the budget case")
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="bench-animation-")
    os.makedirs(folder, exist_ok=True)
    session = os.path.join(folder, "cascade.regstudio")
    started = time.perf_counter()
    cascade_session(session)
    print(f"session: {STEPS:,}-step cascade run (XOR, 200 points) in {time.perf_counter() - started:.2f} s, "
          f"{os.path.getsize(session) / 1024:.0f} KB")
    cases = [("GIF 1280x720, 15 fps, 10 s (the budget case)", "run.gif", ())]
    if not args.quick:
        cases += [("GIF with loss plot and landscape", "run-side.gif", ("--loss", "--landscape")),
                  ("MP4 1280x720, 15 fps, 10 s", "run.mp4", ())]
    for name, out, extra in cases:
        seconds, code, said = timed("animate", session, "--out", os.path.join(folder, out), "--fps", "15",
                                    "--seconds", "10", "--size", "1280x720", "--quiet", *extra)
        verdict = "PASS" if code == 0 and seconds <= BUDGET_SECONDS else "FAIL"
        print(f"{name}: {seconds:.1f} s of {BUDGET_SECONDS:.0f} s ({seconds / BUDGET_SECONDS:.2f} of the budget) "
              f"{verdict}\n    {said}")
    if not args.keep:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)


if __name__ == "__main__":
    main_bench()
    sys.exit(0)
