"""``regstudio [FILE]`` refuses what cannot work before it starts Qt: a FILE that is not a regular
file, no display, or missing system libraries — one line on stderr and exit 2, never an abort."""

from __future__ import annotations

import os

import pytest

from regstudio.cli import main


def _refused(capsys, argv, needle):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("regstudio: error: "), err
    assert needle in err, err
    return err


def test_window_file_that_is_a_directory(tmp_path, capsys):
    folder = tmp_path / "lesson.regstudio"
    folder.mkdir()
    _refused(capsys, [os.fspath(folder)], f"{folder}: is a directory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_window_file_that_is_a_fifo(tmp_path, capsys):
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    _refused(capsys, [os.fspath(fifo)], f"{fifo}: is not a regular file (it is a FIFO)")


def test_window_file_that_is_missing(tmp_path, capsys):
    _refused(capsys, [os.fspath(tmp_path / "ghost.csv")], f"{tmp_path / 'ghost.csv'}: no such file")
