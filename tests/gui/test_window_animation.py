"""File → Export animation… (``actionExportAnimation``): the options dialog, the static save dialog
(the format follows the extension), the file with fps × seconds frames starting at step 0, and Cancel,
which leaves no file."""

from __future__ import annotations

import os

import imageio_ffmpeg
import numpy as np
import pytest
from guihelpers import action, message_label, train_to
from PIL import Image
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton

from regstudio.core.animation import AnimationOptions
from regstudio.gui.animation import AnimationActions, AnimationDialog, FrameRenderer

WAIT = 60_000


def choose_options(monkeypatch, fps: int, seconds: float, size=(320, 180), loss: bool = False) -> None:
    def accept(dialog: AnimationDialog) -> int:
        dialog.fps_spin.setValue(fps)
        dialog.seconds_spin.setValue(seconds)
        dialog.width_spin.setValue(size[0])
        dialog.height_spin.setValue(size[1])
        dialog.loss_check.setChecked(loss)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnimationDialog, "exec", accept)


def save_as(monkeypatch, path, chosen_filter: str = "") -> list:
    asked = []

    def answer(parent, caption, folder, filters):
        asked.append(filters)
        return str(path), chosen_filter or filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def wait_done(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.animation is not None and window.animation.export is not None
                    and window.animation.export.done, timeout=WAIT)


@pytest.mark.parametrize("name, chosen, written", [
    ("run.gif", "", "run.gif"),
    ("clip", "MP4 video (*.mp4)", "clip.mp4"),       # no extension: the filter chosen
    ("clip.gif", "MP4 video (*.mp4)", "clip.gif"),   # the extension decides
])
def test_export_animation_writes_fps_times_seconds_frames(qtbot, window, monkeypatch, tmp_path, name, chosen, written):
    train_to(qtbot, window, 30)
    choose_options(monkeypatch, fps=4, seconds=2.5, loss=True)
    asked = save_as(monkeypatch, tmp_path / name, chosen)
    action(window, "actionExportAnimation").trigger()
    wait_done(qtbot, window)
    assert asked == ["Animated GIF (*.gif);;MP4 video (*.mp4)"]
    assert os.listdir(tmp_path) == [written]
    path = str(tmp_path / written)
    if written.endswith(".gif"):
        with Image.open(path) as gif:
            assert gif.n_frames == 10 and gif.size == (320, 180)
    else:
        count, _ = imageio_ffmpeg.count_frames_and_secs(path)
        assert count == 10
    last = window.animation.export.options.last
    assert message_label(window).text().startswith(f"Exported 10 frames of steps 0–{last:,} to {written}")


def test_frame_0_shows_step_0(qtbot, window, monkeypatch, tmp_path):
    train_to(qtbot, window, 30)
    choose_options(monkeypatch, fps=2, seconds=2)
    save_as(monkeypatch, tmp_path / "run.gif")
    action(window, "actionExportAnimation").trigger()
    wait_done(qtbot, window)
    export = window.animation.export
    assert export.steps[0] == 0
    renderer = FrameRenderer(window.animation.source(), export.options)
    try:
        step0, step1 = renderer.render(0).astype(int), renderer.render(int(export.steps[1])).astype(int)
    finally:
        renderer.close()
    with Image.open(tmp_path / "run.gif") as gif:
        first = np.asarray(gif.convert("RGB"), dtype=int)
    assert np.abs(first - step0).mean() < 2 < np.abs(first - step1).mean()


def test_cancel_leaves_no_file(qtbot, window, tmp_path):
    train_to(qtbot, window, 30)
    target = tmp_path / "run.gif"
    target.write_bytes(b"an older animation")
    options = AnimationOptions(0, window.controller.timeline.last_step, fps=30, seconds=20, size=(320, 180))
    window.animation = AnimationActions(window, window)
    export = window.animation.start(str(target), options)
    qtbot.waitUntil(lambda: export.written >= 2, timeout=WAIT)
    window.animation.progress.findChild(QPushButton).click()   # its Cancel button
    qtbot.waitUntil(lambda: export.done, timeout=WAIT)
    assert export.cancelled and export.written < options.frame_count
    assert os.listdir(tmp_path) == ["run.gif"] and target.read_bytes() == b"an older animation"
    assert message_label(window).text() == "Cancelled: no file was written."


def test_nothing_to_animate_before_a_step(qtbot, window, monkeypatch):
    monkeypatch.setattr(AnimationDialog, "exec", lambda dialog: pytest.fail("no dialog before training"))
    action(window, "actionExportAnimation").trigger()
    assert message_label(window).text() == "Nothing to animate yet: train a few steps first."


def test_closing_the_window_cancels_an_export(qtbot, make_window, tmp_path):
    window = make_window()
    train_to(qtbot, window, 30)
    window.animation = AnimationActions(window, window)
    export = window.animation.start(str(tmp_path / "run.gif"),
                                    AnimationOptions(0, 30, fps=30, seconds=20, size=(320, 180)))
    qtbot.waitUntil(lambda: export.written >= 1, timeout=WAIT)
    window.document.mark_saved(None)
    window.close()
    assert export.cancelled and os.listdir(tmp_path) == []


def test_without_the_encoder_gif_only_and_the_dialog_says_why(qtbot, window, monkeypatch, tmp_path):
    import regstudio.gui.animation as animation

    monkeypatch.setattr(animation, "video_problem", lambda: "MP4 needs the optional package imageio-ffmpeg")
    train_to(qtbot, window, 30)
    shown = []

    def accept(dialog: AnimationDialog) -> int:
        shown.append((dialog.mp4, dialog.format_label.text(), dialog.frames_label.text()))
        dialog.width_spin.setValue(320)
        dialog.height_spin.setValue(180)
        dialog.fps_spin.setValue(2)
        dialog.seconds_spin.setValue(1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnimationDialog, "exec", accept)
    asked = save_as(monkeypatch, tmp_path / "run")
    action(window, "actionExportAnimation").trigger()
    wait_done(qtbot, window)
    assert shown == [(False, "Animated GIF only: MP4 needs the optional package imageio-ffmpeg.", "150 frames")]
    assert asked == ["Animated GIF (*.gif)"] and os.listdir(tmp_path) == ["run.gif"]
