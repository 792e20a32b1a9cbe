"""``regstudio animate SESSION --out FILE``: the file holds fps × seconds frames, frame 0 shows step 0
(the picture of step 0, with "step 0" in its corner), bad options are one line naming the flag, and no
error leaves a file behind."""

from __future__ import annotations

import os
import subprocess
import sys

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from regstudio.cli import main
from regstudio.core.animation import AnimationOptions, session_source
from regstudio.core.history import LossHistory
from regstudio.core.lessons import lesson
from regstudio.core.runner import ProblemSpec
from regstudio.core.session import Points, SessionDisplay, SessionState, load_session, save_session
from regstudio.core.training import Settings, Trainer

STEPS = 60
SMALL = ("--size", "320x180")


def save_run(path, steps: int = STEPS, trained: bool = True) -> None:
    """The Cascade lesson's XOR run, ``steps`` steps, saved as the window saves it."""
    cascade = lesson("Cascade")
    points = cascade.points()
    settings = Settings(model="cascade", hidden=2, optimizer="gd", lr=3.0, seed=0, steps=steps, tol=0.0,
                        test_fraction=cascade.data.test_fraction)
    trainer = Trainer(ProblemSpec(points.data, settings, points.test.copy()).prepare())
    timeline = trainer.keep_timeline()
    history = LossHistory()
    history.extend(0, np.array([trainer.step() for _ in range(steps)]))
    kept = tuple((k.step, k.theta.tolist()) for k in timeline.sample(512) if k.step < steps)
    everything = {"classification": points, "regression": Points.empty("regression")}
    state = SessionState(everything, settings, trainer.theta.tolist(), steps, history.to_dict(), SessionDisplay(), kept)
    if not trained:
        state = SessionState(everything, settings)
    save_session(path, state)


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    path = tmp_path_factory.mktemp("session") / "xor.regstudio"
    save_run(path)
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rendered(session, step: int) -> np.ndarray:
    """The renderer's own picture of ``step`` at the test's size (the QApplication main() made)."""
    from regstudio.gui.animation import FrameRenderer

    source = session_source(load_session(session), str(session))
    renderer = FrameRenderer(source, AnimationOptions(0, STEPS, size=(320, 180)))
    try:
        return renderer.render(step).astype(np.int64)
    finally:
        renderer.close()


def test_gif_holds_fps_times_seconds_frames_and_starts_at_step_0(capsys, session, tmp_path):
    out = tmp_path / "run.gif"
    code, said, err = run(capsys, "animate", session, "--out", out, "--fps", "6", "--seconds", "2", *SMALL, "--quiet")
    assert (code, err) == (0, "")
    assert said.startswith(f"wrote {out}: 12 frames of steps 0–{STEPS} (320×180, 6 fps)")
    assert os.listdir(tmp_path) == ["run.gif"]
    with Image.open(out) as gif:
        assert gif.n_frames == 12 and gif.size == (320, 180)
        first = np.asarray(gif.convert("RGB"), dtype=np.int64)
        gif.seek(11)
        last = np.asarray(gif.convert("RGB"), dtype=np.int64)
    step0, final = rendered(session, 0), rendered(session, STEPS)
    # The GIF's palette changes a colour by a few levels at most; step 0 and the last step differ
    # wherever the boundary and the probability map moved.
    assert np.abs(first - step0).mean() < 2 < np.abs(first - final).mean()
    assert np.abs(last - final).mean() < 2
    # The corner says which step: step 0's picture differs from step 1's there too.
    corner = (slice(0, 40), slice(220, 320))
    assert np.abs(step0[corner] - rendered(session, 1)[corner]).max() > 100


def test_mp4_holds_fps_times_seconds_frames_and_starts_at_step_0(capsys, session, tmp_path):
    out = tmp_path / "run.mp4"
    code, _, err = run(capsys, "animate", session, "--out", out, "--fps", "5", "--seconds", "2", *SMALL, "--quiet")
    assert (code, err) == (0, "")
    count, _ = imageio_ffmpeg.count_frames_and_secs(str(out))   # its seconds are not reliable (0.4.8)
    assert count == 10
    frames = imageio_ffmpeg.read_frames(str(out))
    next(frames)   # the video's description comes first
    first = np.frombuffer(next(frames), dtype=np.uint8).reshape(180, 320, 3).astype(np.int64)
    frames.close()
    step0, final = rendered(session, 0), rendered(session, STEPS)
    assert np.abs(first - step0).mean() < 4 < np.abs(first - final).mean()   # H.264 is lossy


def test_loss_plot_and_landscape_beside_on_a_log_scale(capsys, session, tmp_path):
    out = tmp_path / "run.gif"
    code, _, err = run(capsys, "animate", session, "--out", out, "--fps", "4", "--seconds", "2", *SMALL, "--log",
                       "--loss", "--landscape", "--steps", "2:", "--quiet")
    assert (code, err) == (0, "")
    with Image.open(out) as gif:
        assert gif.n_frames == 8


@pytest.mark.parametrize("argv, flag", [
    (("--fps", "0"), "argument --fps"),
    (("--fps", "100"), "argument --fps"),
    (("--seconds", "-1"), "argument --seconds"),
    (("--size", "huge"), "argument --size"),
    (("--size", "20x20"), "argument --size"),
    (("--steps", "50:10"), "argument --steps"),
    (("--steps", f":{STEPS + 1}"), "argument --steps"),
    (("--steps", "ten"), "argument --steps"),
])
def test_bad_options_are_one_line_naming_the_flag(capsys, session, tmp_path, argv, flag):
    code, _, err = run(capsys, "animate", session, "--out", tmp_path / "run.gif", *argv)
    assert code == 2 and err.startswith(f"regstudio: error: {flag}: ") and err.count("\n") == 1, err
    assert os.listdir(tmp_path) == []


def test_bad_files_are_one_line(capsys, session, tmp_path):
    untrained = tmp_path / "untrained.regstudio"
    save_run(untrained, trained=False)
    for argv, said in (((session, "--out", tmp_path / "run.avi"), "name it .gif or .mp4"),
                       ((untrained, "--out", tmp_path / "run.gif"), "holds no trained run"),
                       ((tmp_path / "missing.regstudio", "--out", tmp_path / "run.gif"), "no such file"),
                       ((session, "--out", tmp_path / "no" / "run.gif"), "does not exist")):
        code, _, err = run(capsys, "animate", *argv)
        assert code == 2 and said in err and err.count("\n") == 1, err
    assert os.listdir(tmp_path) == ["untrained.regstudio"]


def test_the_real_command_draws_without_a_display(session, tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "regstudio", "animate", str(session), "--out", "run.gif",
                             "--fps", "2", "--seconds", "1", *SMALL, "--quiet"], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    with Image.open(tmp_path / "run.gif") as gif:
        assert gif.n_frames == 2


def test_a_session_without_a_timeline_says_so(capsys, session, tmp_path):
    import json

    document = json.loads(session.read_text(encoding="utf-8"))
    del document["training"]["timeline"]   # saved before sessions kept the timeline
    old = tmp_path / "old.regstudio"
    old.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(capsys, "animate", old, "--out", tmp_path / "run.gif")
    assert code == 2 and f"keeps only step {STEPS} of its run" in err and err.count("\n") == 1
    assert os.listdir(tmp_path) == ["old.regstudio"]
