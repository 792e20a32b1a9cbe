"""Command line: ``regstudio train``, ``predict``, ``animate``, ``samples``, ``desktop-entry``, and
``regstudio [FILE]`` for the window.

Errors are one line on stderr (``regstudio: error: …``); exit code 2 for bad input or usage,
1 for a run that failed (divergence) or an internal error, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import sys
import time
import warnings

from . import __version__
from .core.atomic import file_problem, write_problem, write_text_atomic
from .core.data import load_csv
from .core.errors import RegstudioError
from .core.features import XOR_REFERENCES
from .core.messages import translate
from .core.models import MODEL_KINDS, is_classifier
from .core.optimizers import OPTIMIZERS
from .core.training import (
    DEFAULT_BATCH_SIZE,
    FEATURE_KINDS,
    INITIALISATIONS,
    STOP_DIVERGED,
    Settings,
    Trainer,
    prepare,
)
from .desktop import install_desktop_entry, samples
from .platform_check import window_problem

PROGRESS_SECONDS = 2.0


class UsageError(RegstudioError):
    """Raised by the parsers instead of printing usage and exiting."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _checked(convert, accept, requirement: str, name: str):
    """An argparse ``type``: ``convert`` the text, then insist on a finite value that ``accept``s."""
    def parse(text: str):
        value = convert(text)
        try:
            finite = math.isfinite(value)
        except OverflowError:  # an integer beyond the float range
            raise argparse.ArgumentTypeError(f"is too large ({len(text)} digits)") from None
        if not finite:
            raise argparse.ArgumentTypeError(f"must be a finite number (got {text!r})")
        if not accept(value):
            raise argparse.ArgumentTypeError(f"must be {requirement} (got {text})")
        return value

    parse.__name__ = name  # argparse names the type in "invalid <name> value"
    return parse


_positive_int = _checked(int, lambda v: v >= 1, "at least 1", "positive integer")
_non_negative_int = _checked(int, lambda v: v >= 0, "zero or positive", "non-negative integer")
_positive_float = _checked(float, lambda v: v > 0, "positive", "positive number")
_non_negative_float = _checked(float, lambda v: v >= 0, "zero or positive", "non-negative number")
_fraction = _checked(float, lambda v: 0 <= v < 1, "at least 0 and below 1", "fraction")


def _references(text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """``--references x1,y1,x2,y2``: two reference points for ``--features distances``."""
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or not all(map(math.isfinite, values)):
        raise argparse.ArgumentTypeError(f"must be four finite numbers x1,y1,x2,y2 (got {text!r})")
    return (values[0], values[1]), (values[2], values[3])


_references.__name__ = "reference points"


def _folder(text: str) -> str:
    """``--data-home DIR`` as an absolute path; an empty one would install into the current folder."""
    if not text:
        raise argparse.ArgumentTypeError("must name a folder (got an empty path)")
    return os.path.abspath(text)


_folder.__name__ = "folder"


def _size(text: str) -> tuple[int, int]:
    """``--size WIDTHxHEIGHT`` in pixels."""
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"must be WIDTHxHEIGHT in pixels, e.g. 1280x720 (got {text!r})")
    return int(width), int(height)


_size.__name__ = "size"


def _step_range(text: str) -> tuple[int | None, int | None]:
    """``--steps FIRST:LAST`` (either may be left out: the run's first or last step)."""
    first, colon, last = text.partition(":")
    if not colon or not all(part.isdigit() for part in (first, last) if part):
        raise argparse.ArgumentTypeError(f"must be FIRST:LAST, e.g. 0:500 or :200 (got {text!r})")
    return (int(first) if first else None), (int(last) if last else None)


_step_range.__name__ = "step range"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="regstudio", description="Learn regression and classification by gradient descent.")
    parser.add_argument("--version", action="version", version=f"regstudio {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{train,predict,animate,samples,desktop-entry}",
                                     parser_class=_Parser)

    train = commands.add_parser("train", help="train a model on a CSV file and write it as JSON",
                                description="Train a model on a CSV file; write the model file.")
    train.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
    train.add_argument("--y", required=True, metavar="COL", help="target column")
    train.add_argument("--x", action="append", metavar="COL",
                       help="input column (repeat for several; default: every column but --y and --group)")
    train.add_argument("--model", required=True, choices=MODEL_KINDS)
    train.add_argument("--degree", type=_positive_int, metavar="P",
                       help="polynomial degree of the features (default 3 for polynomial, else 1)")
    train.add_argument("--l2", type=_non_negative_float, metavar="LAMBDA",
                       help="L2 penalty λ on the weights, never the biases (default 0.01 for ridge, else 0)")
    train.add_argument("--hidden", type=_positive_int, default=2, metavar="H",
                       help="hidden logistic units of the cascade (default 2)")
    train.add_argument("--loss", choices=("ce", "mse"), default="ce",
                       help="logistic only: cross-entropy (default) or square error on σ(z)")
    train.add_argument("--features", choices=FEATURE_KINDS, default="raw",
                       help="raw inputs (default), or distances: replace the two inputs by their distances to "
                            "two reference points (the course notes' feature transformation)")
    references = ",".join(f"{v:g}" for point in XOR_REFERENCES for v in point)
    train.add_argument("--references", type=_references, metavar="X1,Y1,X2,Y2",
                       help=f"the reference points of --features distances (default {references}: the class-0 "
                            "corners of the xor data set)")
    train.add_argument("--group", metavar="COL",
                       help="group column: each group gets its own intercept and coefficients")
    train.add_argument("--class-order", metavar="LABEL,LABEL,…", type=lambda text: tuple(text.split(",")),
                       default=(), help="ordinal only: the order of text labels, lowest first (default: the "
                                        "order they first appear; numbers sort numerically)")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="gd")
    train.add_argument("--lr", type=_positive_float, metavar="ETA",
                       help="learning rate (default: gd 0.1, sgd 0.05, momentum 0.05, adagrad 0.5, adam 0.05)")
    train.add_argument("--batch-size", type=_positive_int, metavar="B",
                       help=f"mini-batch size (sgd default {DEFAULT_BATCH_SIZE}; momentum/adagrad/adam "
                            "default full batch)")
    train.add_argument("--steps", type=_positive_int, default=1000, metavar="S",
                       help="maximum number of parameter updates (default 1000)")
    train.add_argument("--tol", type=_non_negative_float, default=1e-6, metavar="T",
                       help="stop when every gradient component is ≤ T (mini-batch: when the epoch's mean "
                            "loss changes by ≤ T relative); 0 disables (default 1e-6)")
    train.add_argument("--seed", type=_non_negative_int, default=0, metavar="S")
    train.add_argument("--test-fraction", type=_fraction, default=0.2, metavar="F",
                       help="share of rows held out for testing (default 0.2)")
    train.add_argument("--no-standardize", action="store_true", help="use the features as they are")
    train.add_argument("--init", choices=INITIALISATIONS, default="auto",
                       help="initial weights: auto (zeros; cascade: Glorot), zeros, random (seeded normal)")
    train.add_argument("--float32", action="store_true", help="train in single precision (faster on big data)")
    train.add_argument("--out", required=True, metavar="MODEL.json")
    train.add_argument("--quiet", action="store_true", help="no progress lines")

    predict = commands.add_parser("predict", help="predict with a model file",
                                  description="Predict every row of a CSV with a model file.")
    predict.add_argument("model", metavar="MODEL.json")
    predict.add_argument("data", metavar="DATA.csv")
    predict.add_argument("--out", metavar="PRED.csv", help="output CSV (default: standard output)")

    animate = commands.add_parser("animate", help="render a saved session's run as an animated GIF or an MP4",
                                  description="Render the run of a saved session (.regstudio) frame by frame, from "
                                              "its saved timeline: the data plot with the fit or boundary, the "
                                              "step and J in a corner.")
    animate.add_argument("session", metavar="SESSION")
    animate.add_argument("--out", required=True, metavar="FILE.gif|FILE.mp4",
                         help="the animation; its extension chooses the format (MP4 needs imageio-ffmpeg)")
    animate.add_argument("--fps", type=_positive_int, default=15, metavar="N", help="frames per second (default 15)")
    animate.add_argument("--seconds", type=_positive_float, default=10.0, metavar="S",
                         help="length in seconds (default 10): fps × seconds frames")
    animate.add_argument("--size", type=_size, default=(1280, 720), metavar="WIDTHxHEIGHT",
                         help="frame size in pixels (default 1280x720)")
    animate.add_argument("--steps", type=_step_range, default=(None, None), metavar="FIRST:LAST",
                         help="the steps to show (default: the whole run)")
    animate.add_argument("--log", action="store_true",
                         help="sample the steps on a log scale, so the fast early steps get frames (default: evenly)")
    animate.add_argument("--loss", action="store_true", help="show the loss plot beside the data plot")
    animate.add_argument("--landscape", action="store_true", help="show the loss landscape beside the data plot")
    animate.add_argument("--quiet", action="store_true", help="no progress lines")

    commands.add_parser("samples", help="list the sample CSV files shipped with regstudio",
                        description="Print each shipped sample CSV's path and what it holds.")
    entry = commands.add_parser("desktop-entry", help="add regstudio to the desktop's application menu",
                                description="Install the freedesktop launcher (.desktop file) and the icons "
                                            "for this user, and print each file written.")
    entry.add_argument("--data-home", type=_folder, metavar="DIR",
                       help="where to install (default: $XDG_DATA_HOME, or ~/.local/share)")
    return parser


def _format_metrics(metrics: dict | None) -> str:
    if metrics is None:
        return "none"
    keys = ("mse", "rmse", "mae", "r2") if "r2" in metrics else ("cross_entropy", "accuracy")
    return " ".join(f"{k}={metrics[k]:.6g}" for k in keys)


def _note(message: str) -> None:
    """Every message of the command line reaches the user here, one line on standard error, made with
    core's ``translate`` so all of them sit in the translation catalogue with the window's."""
    print(f"regstudio: {message}", file=sys.stderr)


def _check_out_path(path: str) -> None:
    """Fail before the work, not after it, when ``--out`` cannot be written: the path must not be a
    folder, its folder must exist and be writable (the atomic write creates a file beside the
    file a symbolic link points to), and what is there must be a file the user may write."""
    folder = os.path.dirname(os.path.realpath(path))
    if os.path.isdir(path):
        raise RegstudioError(translate("CommandLine", "--out {path}: is a folder; name a file in it").format(path=path))
    if not os.path.isdir(folder):
        if os.path.exists(folder):
            template = translate("CommandLine", "--out {path}: the folder {folder} is not a folder")
        else:
            template = translate("CommandLine", "--out {path}: the folder {folder} does not exist")
        raise RegstudioError(template.format(path=path, folder=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RegstudioError(translate("CommandLine", "--out {path}: the folder {folder} is not writable").format(
            path=path, folder=folder))
    problem = write_problem(path)
    if problem:
        raise RegstudioError(translate("CommandLine", "--out {path}: cannot write: {reason}").format(
            path=path, reason=problem))


def run_train(args) -> int:
    from .core.modelfile import model_document, write_json  # not imported to open the window

    _check_out_path(args.out)
    table = load_csv(args.data)
    if table.encoding_note:
        _note(table.encoding_note)
    task = "classification" if is_classifier(args.model) else "regression"
    dataset = table.dataset(args.y, args.x, args.group, task=task)
    dropped = dataset.dropped
    if dropped:
        _note(translate("CommandLine", "{file}: dropped %n row(s) with missing values", "", dropped)
              .format(file=args.data))
    if args.references is not None and args.features != "distances":
        raise UsageError(translate("CommandLine", "--references applies to --features distances"))
    if args.class_order and args.model != "ordinal":
        raise UsageError(translate("CommandLine", "--class-order applies to --model ordinal"))
    settings = Settings(model=args.model, degree=args.degree, l2=args.l2, hidden=args.hidden, loss=args.loss,
                        optimizer=args.optimizer, lr=args.lr, batch_size=args.batch_size, steps=args.steps,
                        tol=args.tol, seed=args.seed, test_fraction=args.test_fraction,
                        standardize=not args.no_standardize, dtype="float32" if args.float32 else "float64",
                        init=args.init, features=args.features, references=args.references or XOR_REFERENCES,
                        class_order=args.class_order)
    trainer = Trainer(prepare(dataset, settings))
    started = last_report = time.perf_counter()
    final = None
    for snapshot in trainer.run(chunk_seconds=0.25, metrics_seconds=math.inf):
        final = snapshot
        now = time.perf_counter()
        if not args.quiet and snapshot.stop_reason is None and now - last_report >= PROGRESS_SECONDS:
            last_report = now
            _note(translate("CommandLine", "step {step}/{steps}  loss {loss:.6g}  ({seconds:.0f} s)").format(
                step=snapshot.step, steps=trainer.max_steps, loss=snapshot.losses[-1], seconds=now - started))
    assert final is not None and final.metrics is not None  # run() always ends with an evaluated snapshot
    if final.stop_reason == STOP_DIVERGED:
        _note(translate("CommandLine", "error: {reason}; no model written").format(reason=final.message))
        return 1
    write_json(args.out, model_document(trainer.problem, final, trainer.lr, trainer.l2))
    steps = final.step
    print(translate("CommandLine", "{model} ({optimizer}): %n step(s), {stop}; train {train}; test {test}; "
                                   "wrote {out}", "", steps).format(
        model=args.model, optimizer=args.optimizer, stop=final.stop_reason,
        train=_format_metrics(final.metrics["train"]), test=_format_metrics(final.metrics["test"]), out=args.out))
    return 0


def run_predict(args) -> int:
    from .core.modelfile import read_model  # not imported to open the window

    if args.out:
        _check_out_path(args.out)
    trained = read_model(args.model)
    table = load_csv(args.data)
    if table.encoding_note:
        _note(table.encoding_note)
    columns, incomplete, overflowed = trained.predict_table(table)
    if incomplete:
        _note(translate("CommandLine", "{file}: %n row(s) with a missing input have empty predictions", "",
                        incomplete).format(file=args.data))
    if overflowed:
        count = len(overflowed)
        _note(translate("CommandLine", "{file}: no prediction for %n row(s): the model's numbers overflow float64 "
                                       "there (first: row {row}); rescale the inputs", "", count).format(
            file=args.data, row=overflowed[0] + 1))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*columns.values()))
    if args.out:
        write_text_atomic(args.out, buffer.getvalue())
    else:
        sys.stdout.write(buffer.getvalue())
    return 0


def run_animate(args) -> int:
    from .core.animation import AnimationOptions, animation_format, option_problem, session_source, video_problem
    from .core.session import load_session

    _check_out_path(args.out)
    if animation_format(args.out) == "mp4" and video_problem():
        raise RegstudioError(translate("CommandLine", "--out {path}: {reason}").format(
            path=args.out, reason=video_problem()))
    source = session_source(load_session(args.session), args.session)
    timeline = source.timeline
    first_step, last_step = timeline.first_step or 0, timeline.last_step or 0
    first, last = args.steps
    options = AnimationOptions(first=first_step if first is None else first, last=last_step if last is None else last,
                               fps=args.fps, seconds=args.seconds, sampling="log" if args.log else "even",
                               size=args.size, loss=args.loss, landscape=args.landscape)
    problem = option_problem(options, first_step, last_step)
    if problem:
        raise UsageError(translate("CommandLine", "argument {flag}: {reason}").format(flag=problem[0],
                                                                                      reason=problem[1]))
    # Frames are drawn by the window's own plots, offscreen: no display is needed, none is opened.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    reason = window_problem()
    if reason:
        raise RegstudioError(reason)
    from PySide6.QtWidgets import QApplication

    from .gui.animation import AnimationExport
    from .gui.style import configure_pyqtgraph

    # PySide6 6.8.0 warns "Failed to disconnect" for every plot item pyqtgraph tears down (harmless,
    # fixed in 6.8.1): a script's stderr is for what went wrong.
    warnings.filterwarnings("ignore", message="Failed to disconnect", category=RuntimeWarning)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_pyqtgraph()
    started = last_report = time.perf_counter()

    def progress(written: int) -> None:
        nonlocal last_report
        now = time.perf_counter()
        if not args.quiet and now - last_report >= PROGRESS_SECONDS:
            last_report = now
            _note(translate("CommandLine", "frame {frame}/{frames}  ({seconds:.0f} s)").format(
                frame=written, frames=options.frame_count, seconds=now - started))

    AnimationExport(source, options, args.out, app).run(progress)
    frames = options.frame_count
    print(translate("CommandLine", "wrote {out}: %n frame(s) of steps {first}–{last} ({width}×{height}, {fps} fps), "
                                   "{size:.1f} MB in {seconds:.1f} s", "", frames).format(
        out=args.out, first=options.first, last=options.last, width=options.size[0], height=options.size[1],
        fps=options.fps, size=os.path.getsize(args.out) / 2**20, seconds=time.perf_counter() - started))
    return 0


def run_samples(args) -> int:
    for sample in samples():
        print(f"{sample.path}\t{sample.description}")
    return 0


def run_desktop_entry(args) -> int:
    try:
        written = install_desktop_entry(args.data_home)
    except OSError as exc:
        raise RegstudioError(translate("CommandLine", "cannot install the desktop entry: {reason}: {file}").format(
            reason=exc.strerror or exc, file=exc.filename)) from exc
    for path in written:
        print(path)
    return 0


COMMANDS = {"train": run_train, "predict": run_predict, "animate": run_animate, "samples": run_samples,
            "desktop-entry": run_desktop_entry}


def open_window(argv: list[str]) -> int:
    parser = _Parser(prog="regstudio", description="Open the regstudio window.")
    parser.add_argument("file", nargs="?", metavar="FILE", help="a CSV file or a saved .regstudio session")
    args = parser.parse_args(argv)
    problem = args.file and file_problem(args.file)
    if problem:
        raise UsageError(translate("Files", "{file}: {problem}").format(file=args.file, problem=problem))
    problem = window_problem()  # before Qt, which aborts the process on these problems
    if problem:
        raise RegstudioError(problem)
    from .gui.app import run  # Qt is imported only for the window, never for train/predict
    return run(args.file)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] in (*COMMANDS, "-h", "--help", "--version"):
            args = build_parser().parse_args(argv)
            return COMMANDS[args.command](args)
        return open_window(argv)
    except RegstudioError as exc:
        _note(translate("CommandLine", "error: {reason}").format(reason=exc))
        return 2
    except KeyboardInterrupt:
        _note(translate("CommandLine", "interrupted"))
        return 130
    except MemoryError:
        _note(translate("CommandLine", "error: out of memory"))
        return 1
    except Exception as exc:  # the contract is one line, never a traceback
        _note(translate("CommandLine", "error: internal error ({kind}: {reason}); please report it").format(
            kind=type(exc).__name__, reason=exc))
        return 1


if __name__ == "__main__":
    sys.exit(main())
