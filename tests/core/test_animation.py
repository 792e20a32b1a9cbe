"""The animation's pure parts: the step of each frame, GIF delays, the GIF and MP4 writers (every frame
written, identical ones too; Cancel or an error leaves no file), the options' checks, a session's timeline."""

from __future__ import annotations

import os

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from regstudio.core.animation import (AnimationOptions, GifWriter, Mp4Writer, animation_format, frame_steps,
                                      gif_delays, open_writer, option_problem, session_timeline, video_problem)
from regstudio.core.errors import RegstudioError


def frames(count: int, size=(64, 48)) -> list[np.ndarray]:
    """``count`` distinct pictures: a bar that moves to the right, on white."""
    width, height = size
    result = []
    for k in range(count):
        frame = np.full((height, width, 3), 255, dtype=np.uint8)
        frame[10:30, 2 + 3 * k:8 + 3 * k] = (213, 94, 0)
        result.append(frame)
    return result


@pytest.mark.parametrize("sampling", ["even", "log"])
def test_frame_steps_run_from_first_to_last(sampling):
    steps = frame_steps(3, 1003, 150, sampling)
    assert len(steps) == 150 and steps[0] == 3 and steps[-1] == 1003
    assert np.all(np.diff(steps) >= 0)


def test_log_sampling_gives_the_early_steps_frames():
    even, log = frame_steps(0, 1000, 100, "even"), frame_steps(0, 1000, 100, "log")
    assert (even < 50).sum() == 5
    assert (log < 50).sum() >= 50   # half the frames in the first 5 % of the run
    assert log[1] <= 1


def test_one_frame_shows_the_first_step():
    assert frame_steps(7, 9, 1).tolist() == [7]


@pytest.mark.parametrize("fps", [1, 10, 15, 24, 30, 50])
def test_gif_delays_keep_the_length(fps):
    delays = gif_delays(150, fps)
    assert len(delays) == 150 and min(delays) >= 1
    assert abs(sum(delays) - 150 * 100 / fps) <= 0.5


def test_gif_holds_every_frame_identical_ones_too(tmp_path):
    path = str(tmp_path / "run.gif")
    pictures = frames(6)
    pictures.insert(3, pictures[2])   # the same picture twice: a short run stretched over more frames
    writer = GifWriter(path, (64, 48), 15, len(pictures), [pictures[0], pictures[-1]], [(213, 94, 0)])
    for picture in pictures:
        writer.write(picture)
    writer.close()
    assert os.listdir(tmp_path) == ["run.gif"]
    with Image.open(path) as gif:
        assert gif.n_frames == len(pictures) and gif.size == (64, 48)
        durations = []
        for k, picture in enumerate(pictures):
            gif.seek(k)
            durations.append(gif.info["duration"])
            assert np.array_equal(np.asarray(gif.convert("RGB")), picture), f"frame {k}"
    assert sum(durations) == pytest.approx(len(pictures) * 1000 / 15, abs=5)


def test_mp4_holds_every_frame(tmp_path):
    assert video_problem() is None   # the test extra installs imageio-ffmpeg: MP4 is tested, never skipped
    path = str(tmp_path / "run.mp4")
    pictures = frames(12)
    writer = Mp4Writer(path, (64, 48), 10, len(pictures))
    for picture in pictures:
        writer.write(picture)
    writer.close()
    assert os.listdir(tmp_path) == ["run.mp4"]
    # Frames only: imageio-ffmpeg 0.4.8 counts the seconds of a 2-second file as 1.4 (ffmpeg says 2.00)
    count, _ = imageio_ffmpeg.count_frames_and_secs(path)
    assert count == len(pictures)


@pytest.mark.parametrize("extension", ["gif", "mp4"])
def test_abort_leaves_no_file_and_keeps_the_old_one(tmp_path, extension):
    options = AnimationOptions(0, 10, fps=10, seconds=1.0, size=(64, 48))
    pictures = frames(10)
    fresh = str(tmp_path / f"new.{extension}")
    writer = open_writer(fresh, options, pictures[:1])
    writer.write(pictures[0])
    writer.abort()
    old = tmp_path / f"old.{extension}"
    old.write_bytes(b"the previous animation")
    writer = open_writer(str(old), options, pictures[:1])
    writer.write(pictures[0])
    writer.abort()
    assert os.listdir(tmp_path) == [old.name] and old.read_bytes() == b"the previous animation"


def test_an_error_while_writing_leaves_no_file(tmp_path):
    path = str(tmp_path / "run.gif")
    writer = GifWriter(path, (64, 48), 10, 3, frames(1))
    with pytest.raises(ValueError, match="shape"):
        writer.write(np.zeros((10, 10, 3), dtype=np.uint8))
    writer.abort()
    assert os.listdir(tmp_path) == []


def test_the_extension_chooses_the_format():
    assert animation_format("a/run.GIF") == "gif" and animation_format("run.mp4") == "mp4"
    for name in ("run.avi", "run", "gif"):
        with pytest.raises(RegstudioError, match="name it .gif or .mp4"):
            animation_format(name)


@pytest.mark.parametrize("changes, flag", [
    ({"fps": 0}, "--fps"), ({"fps": 51}, "--fps"), ({"seconds": 0.1}, "--seconds"),
    ({"seconds": float("nan")}, "--seconds"), ({"size": (100, 720)}, "--size"), ({"size": (1280, 5000)}, "--size"),
    ({"sampling": "cubic"}, "--sampling"), ({"first": 5, "last": 5}, "--steps"), ({"last": 1001}, "--steps"),
    ({"first": -1}, "--steps"),
])
def test_options_out_of_range_name_their_flag(changes, flag):
    options = AnimationOptions(**{"first": 0, "last": 1000, **changes})
    problem = option_problem(options, 0, 1000)
    assert problem is not None and problem[0] == flag and "\n" not in problem[1]


def test_default_options_are_the_budget_case():
    options = AnimationOptions(0, 1000)
    assert option_problem(options, 0, 1000) is None
    assert (options.fps, options.seconds, options.size, options.frame_count) == (15, 10.0, (1280, 720), 150)


def test_a_session_timeline_keeps_the_saved_steps():
    pairs = [(0, [0.0, 0.0]), (4, [1.0, 2.0])]
    timeline = session_timeline(pairs, 9, [3.0, 4.0], "problem")
    assert timeline.steps().tolist() == [0, 4, 9]
    kept = timeline.nearest(6)
    assert kept is not None and kept.step == 4 and kept.theta.tolist() == [1.0, 2.0]
    assert timeline.problem_at(9) == ("problem", True)
