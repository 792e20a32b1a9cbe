"""A run as an animation: which step each frame shows, and the GIF and MP4 writers.

Pure numpy and Pillow (imageio-ffmpeg for MP4, when installed); the window's offscreen renderer
(``gui/animation.py``) draws the frames and hands them here as RGB arrays.

Steps
    :func:`frame_steps` picks the step of each of ``fps × seconds`` frames between the first and
    the last step asked for: evenly spaced, or evenly on a log scale of (step − first + 1), so the
    fast early phase of gradient descent gets as many frames as the slow rest.  Frame 0 is the
    first step and the last frame the last; a frame shows the timeline's kept step nearest its own.

Writers
    Both write a temporary file beside the target and rename it over the target only when the
    last frame is written (:class:`~regstudio.core.atomic.AtomicFile`); Cancel or an error removes
    it, so there is never half a file.  Every requested frame is written, identical ones too (a
    short run stretched over many frames), so a file holds exactly ``fps × seconds`` frames.

    GIF: one global palette of 255 colours: the plots' own colours (thin lines would lose theirs to
    the colours of large areas), then colours chosen from the first and the last frame (what the run
    starts and ends looking like); each frame mapped to it without dithering (dithering makes every
    frame differ everywhere); a frame stores only the rectangle that changed since the previous one,
    with unchanged pixels inside it transparent, so a plot whose fit moves a little costs little.
    Frames are written as they come (memory holds one frame, whatever the length).  GIF delays are
    whole centiseconds: they alternate (7, 7, 6 at 15 fps) so the animation keeps its length.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

import numpy as np

from .atomic import AtomicFile
from .errors import RegstudioError
from .history import LossHistory
from .messages import translate
from .session import Points, SessionState
from .timeline import Timeline

SAMPLINGS = ("even", "log")
FORMATS = ("gif", "mp4")
FPS_RANGE = (1, 50)             # GIF delays are centiseconds: 50 fps is 2 cs, the shortest browsers honour
SECONDS_RANGE = (0.5, 600.0)
SIZE_RANGE = ((160, 3840), (120, 2160))
DEFAULT_SIZE = (1280, 720)
TRANSPARENT = 255               # the GIF palette's index for "unchanged since the previous frame"


@dataclass(frozen=True)
class AnimationOptions:
    """What to render: steps ``first``..``last``, ``fps`` frames a second for ``seconds``, steps
    sampled ``sampling`` ("even" or "log"), frames of ``size`` (width, height) pixels, with the loss
    plot and the loss landscape beside the data plot when asked."""

    first: int
    last: int
    fps: int = 15
    seconds: float = 10.0
    sampling: str = "even"
    size: tuple[int, int] = DEFAULT_SIZE
    loss: bool = False
    landscape: bool = False

    @property
    def frame_count(self) -> int:
        return max(1, round(self.fps * self.seconds))


def option_problem(options: AnimationOptions, first_step: int, last_step: int) -> tuple[str, str] | None:
    """(the option, why) for the first option out of range, or None.  The options are named as the
    command line's flags; the window names its fields the same way in its message."""
    low, high = FPS_RANGE
    if not low <= options.fps <= high:
        return "--fps", translate("Animation", "must be a whole number from {low} to {high} (got {value})").format(
            low=low, high=high, value=options.fps)
    low_s, high_s = SECONDS_RANGE
    if not (math.isfinite(options.seconds) and low_s <= options.seconds <= high_s):
        return "--seconds", translate("Animation", "must be from {low:g} to {high:g} (got {value:g})").format(
            low=low_s, high=high_s, value=options.seconds)
    for value, (low, high) in zip(options.size, SIZE_RANGE):
        if not low <= value <= high:
            return "--size", translate("Animation", "must be WIDTHxHEIGHT from {min_w}x{min_h} to {max_w}x{max_h} "
                                                    "(got {w}x{h})").format(
                min_w=SIZE_RANGE[0][0], min_h=SIZE_RANGE[1][0], max_w=SIZE_RANGE[0][1], max_h=SIZE_RANGE[1][1],
                w=options.size[0], h=options.size[1])
    if options.sampling not in SAMPLINGS:
        return "--sampling", translate("Animation", "must be even or log (got {value})").format(value=options.sampling)
    if not first_step <= options.first < options.last <= last_step:
        return "--steps", translate("Animation", "must be FIRST:LAST with {first} ≤ FIRST < LAST ≤ {last}, the run's "
                                                 "steps (got {low}:{high})").format(
            first=first_step, last=last_step, low=options.first, high=options.last)
    return None


def frame_steps(first: int, last: int, count: int, sampling: str = "even") -> np.ndarray:
    """The step each of ``count`` frames shows (int64, non-decreasing): ``first`` at frame 0, ``last``
    at the last frame, evenly spaced in between, or evenly in log(step − first + 1) for "log"."""
    if count == 1:
        return np.array([first], dtype=np.int64)
    if sampling == "log":
        offsets = np.expm1(np.linspace(0.0, math.log1p(last - first), count))
    else:
        offsets = np.linspace(0.0, float(last - first), count)
    steps = first + np.rint(offsets).astype(np.int64)
    steps[0], steps[-1] = first, last
    return steps


def session_timeline(pairs, step: int, theta, problem: object) -> Timeline:
    """A timeline of a saved session's run: its kept (step, θ) pairs, then θ at ``step``, all trained
    on ``problem`` (a session keeps one problem: its points as saved)."""
    theta = np.asarray(theta, dtype=np.float64)
    timeline = Timeline(theta.size)
    timeline.trained_on(0, problem)
    for kept_step, kept in pairs:
        timeline.record(int(kept_step), np.asarray(kept, dtype=np.float64))
    timeline.record(int(step), theta)
    return timeline


@dataclass(frozen=True)
class AnimationSource:
    """What an animation draws from: the run's ``timeline`` (θ of its kept steps and the problem each
    was trained on), the ``points`` of ``task`` drawn with ``axes`` (regression points coloured by
    group when ``grouped``), the loss ``history`` with the loss plot's ``log_loss`` and ``log_steps``
    scales, and the landscape's parameter pair (None: the default pair)."""

    timeline: Timeline
    points: Points
    task: str
    axes: tuple[int, int]
    grouped: bool
    history: LossHistory
    log_loss: bool = False
    log_steps: bool = False
    landscape_pair: tuple[int, int] | None = None


def session_source(session: SessionState, path: str) -> AnimationSource:
    """An animation source of a saved session's run: its problem prepared as the window prepares it,
    and its timeline as saved (:func:`session_timeline`).  The saved snapshots are the source, not a
    run retrained from the seed: a run changed mid-run (a new rate, edited points) retrains otherwise."""
    from .document import Document

    if session.theta is None:
        raise RegstudioError(translate("Animation", "{file}: the session holds no trained run (train a few steps "
                                                    "in the window, then save)").format(file=path))
    document = Document()
    document.restore(session, path)
    spec = document.problem_spec()
    if spec is None:
        raise RegstudioError(translate("Animation", "{file}: the session has no points to train on").format(file=path))
    problem = spec.prepare()
    if problem.model.n_params != len(session.theta):
        raise RegstudioError(translate("Animation", "{file}: the saved parameters ({saved}) do not fit the "
                                                    "session's model ({wanted})").format(
            file=path, saved=len(session.theta), wanted=problem.model.n_params))
    if not session.timeline:
        template = translate("Animation", "{file}: the session keeps only step {step} of its run (it was saved "
                                          "before regstudio kept a timeline): nothing to animate")
        raise RegstudioError(template.format(file=path, step=session.step))
    config = document.config
    points = document.points[document.task]
    history = LossHistory.from_dict(session.history) if session.history else LossHistory()
    return AnimationSource(session_timeline(session.timeline, session.step, session.theta, problem), points,
                           document.task, config.axes, points.data.groups is not None and config.use_group,
                           history, config.log_loss, config.log_steps)


def gif_delays(count: int, fps: int) -> list[int]:
    """Centiseconds each of ``count`` frames shows: whole numbers whose running sum stays within half a
    centisecond of (frame + 1) × 100 / fps, so the animation keeps its length."""
    ends = np.rint(np.arange(1, count + 1) * 100.0 / fps).astype(np.int64)
    return np.diff(ends, prepend=0).tolist()


def video_problem() -> str | None:
    """Why MP4 cannot be written here (the optional encoder is missing), or None when it can."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except ImportError:
        return translate("Animation", "MP4 needs the optional package imageio-ffmpeg (pip install "
                                      "'regstudio[video]'); GIF needs nothing more")
    except RuntimeError as exc:   # installed without a usable ffmpeg program
        return translate("Animation", "MP4 needs ffmpeg, which imageio-ffmpeg could not find ({reason})").format(
            reason=exc)
    return None


class AnimationWriter:
    """Writes RGB frames (height, width, 3) uint8 to a file, all or nothing: :meth:`close` renames
    the finished file over the target, :meth:`abort` (Cancel, an error) leaves nothing behind."""

    def __init__(self, path: str, size: tuple[int, int], fps: int, count: int):
        self.path, self.size, self.fps, self.count = path, size, fps, count
        self.written = 0
        self._output = AtomicFile(path)

    def write(self, frame: np.ndarray) -> None:
        if frame.shape != (self.size[1], self.size[0], 3):
            raise ValueError(f"frame of shape {frame.shape}, expected {(self.size[1], self.size[0], 3)}")
        self._write(frame)
        self.written += 1

    def close(self) -> None:
        """The last frame is written: finish the file and put it in place."""
        try:
            self._finish()
            self._output.commit()
        except BaseException:
            self._output.discard()
            raise

    def abort(self) -> None:
        """Stop and remove what was written (the target keeps what it was, or stays absent)."""
        try:
            self._stop()
        finally:
            self._output.discard()

    def _write(self, frame: np.ndarray) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError

    def _stop(self) -> None:
        raise NotImplementedError


class GifWriter(AnimationWriter):
    """An animated GIF, written frame by frame with one global palette (see the module's docstring):
    ``fixed_colours`` (n, 3) uint8 and colours chosen from ``palette_frames`` (at least the first)."""

    def __init__(self, path: str, size: tuple[int, int], fps: int, count: int, palette_frames,
                 fixed_colours=()):
        from PIL import Image

        super().__init__(path, size, fps, count)
        try:
            self._delays = gif_delays(count, fps)
            fixed = np.asarray(fixed_colours, dtype=np.uint8).reshape(-1, 3)[:TRANSPARENT // 2]
            sample = Image.fromarray(np.concatenate([np.asarray(f) for f in palette_frames], axis=0))
            chosen = sample.quantize(TRANSPARENT - len(fixed), method=Image.Quantize.MEDIANCUT)
            colours = fixed.ravel().tolist() + (chosen.getpalette() or [])[:3 * (TRANSPARENT - len(fixed))]
            colours += [0] * (3 * 256 - len(colours))   # TRANSPARENT and any unused entries
            self._lookup = _nearest_colours(np.array(colours[:3 * TRANSPARENT], dtype=np.float64).reshape(-1, 3))
            for k, colour in enumerate(fixed):   # the plots' own colours map to themselves exactly
                self._lookup[_cells(colour[None, None, :])[0, 0]] = k
            self._previous: np.ndarray | None = None
            self._file = open(self._output.temporary, "r+b")   # noqa: SIM115 (closed by _finish or _stop)
            width, height = size
            # GIF89a, the logical screen with a global table of 256 colours, and loop forever (NETSCAPE2.0).
            self._file.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + bytes(colours)
                             + b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")
        except BaseException:
            self._output.discard()
            raise

    def _write(self, frame: np.ndarray) -> None:
        from PIL import GifImagePlugin, Image

        indices = self._lookup[_cells(frame)]
        previous, self._previous = self._previous, indices
        left = top = 0
        params = {"duration": 10 * self._delays[self.written], "disposal": 1}
        if previous is not None:
            changed = indices != previous
            rows, columns = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            if len(rows):
                top, bottom, left, right = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
            else:   # the same picture again: one unchanged pixel keeps the frame (and its delay) in the file
                bottom, right = 1, 1
            indices = np.where(changed[top:bottom, left:right], indices[top:bottom, left:right], TRANSPARENT)
            params["transparency"] = TRANSPARENT
        image = Image.fromarray(np.ascontiguousarray(indices, dtype=np.uint8), "P")
        # getdata writes one frame's graphic control extension, image descriptor and LZW data with the
        # indices as they are (Pillow's own multi-frame writer keeps every frame in memory until the end
        # and merges identical frames).
        for chunk in GifImagePlugin.getdata(image, offset=(int(left), int(top)), **params):
            self._file.write(chunk)

    def _finish(self) -> None:
        self._file.write(b";")
        self._file.close()

    def _stop(self) -> None:
        self._file.close()


CELL_BITS = 6   # of each channel, for the palette lookup: colours 4 levels apart share a palette entry
LOOKUP_CHUNK = 8192


def _cells(rgb: np.ndarray) -> np.ndarray:
    """Each pixel's cell of the colour cube (2^CELL_BITS per channel), as an index into the lookup."""
    shift = 8 - CELL_BITS
    cells = (rgb[..., 0] >> shift).astype(np.int32) << (2 * CELL_BITS)
    cells |= (rgb[..., 1] >> shift).astype(np.int32) << CELL_BITS
    cells |= (rgb[..., 2] >> shift).astype(np.int32)
    return cells


def _nearest_colours(palette: np.ndarray) -> np.ndarray:
    """The palette entry nearest each cell's centre (uint8, one per cell).  Pillow's own mapping looks
    colours up by 5-bit cells and turned the white background into (252, 252, 251)."""
    size = 1 << CELL_BITS
    centres = (np.arange(size) + 0.5) * (256 / size)
    r, g, b = np.meshgrid(centres, centres, centres, indexing="ij")
    cube = np.column_stack([r.ravel(), g.ravel(), b.ravel()])
    norms = (palette ** 2).sum(axis=1)[None, :]
    nearest = np.empty(len(cube), dtype=np.uint8)
    for start in range(0, len(cube), LOOKUP_CHUNK):   # a chunk's distances: 16 MB, not 0.5 GB at once
        # ‖c − p‖² = ‖c‖² − 2 c·p + ‖p‖²; ‖c‖² is the same for every p
        part = cube[start:start + LOOKUP_CHUNK]
        nearest[start:start + LOOKUP_CHUNK] = np.argmin(norms - 2 * part @ palette.T, axis=1)
    return nearest


class Mp4Writer(AnimationWriter):
    """An H.264 MP4 (yuv420p, playable in slides and browsers) through imageio-ffmpeg's ffmpeg."""

    def __init__(self, path: str, size: tuple[int, int], fps: int, count: int):
        import imageio_ffmpeg

        super().__init__(path, size, fps, count)
        try:
            # The temporary name has no .mp4: the container is named; faststart puts the index first, so
            # a slide starts playing before the whole file is read.
            self._encoder = imageio_ffmpeg.write_frames(
                self._output.temporary, size, fps=fps, codec="libx264", pix_fmt_out="yuv420p", quality=7,
                macro_block_size=2, ffmpeg_log_level="error",
                output_params=["-f", "mp4", "-movflags", "+faststart"])
            self._encoder.send(None)
        except BaseException:
            self._output.discard()
            raise

    def _write(self, frame: np.ndarray) -> None:
        self._encoder.send(np.ascontiguousarray(frame))

    def _finish(self) -> None:
        self._encoder.close()

    def _stop(self) -> None:
        self._encoder.close()


def animation_format(path: str) -> str:
    """The format a file name's extension names ("gif" or "mp4"); anything else is an error naming it."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if extension not in FORMATS:
        raise RegstudioError(translate("Animation", "{file}: name it .gif or .mp4 (the format follows the "
                                                    "extension)").format(file=path))
    return extension


def open_writer(path: str, options: AnimationOptions, first_frames, fixed_colours=()) -> AnimationWriter:
    """The writer for ``path``'s format; a GIF's palette holds ``fixed_colours`` and colours chosen from
    ``first_frames``."""
    if animation_format(path) == "mp4":
        problem = video_problem()
        if problem:
            raise RegstudioError(translate("Animation", "{file}: {reason}").format(file=path, reason=problem))
        return Mp4Writer(path, options.size, options.fps, options.frame_count)
    return GifWriter(path, options.size, options.fps, options.frame_count, first_frames, fixed_colours)
