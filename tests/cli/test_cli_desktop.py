"""``regstudio samples`` and ``regstudio desktop-entry``, and the shipped freedesktop entry itself."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from regstudio.cli import main
from regstudio.core.data import load_csv, sample_names
from regstudio.desktop import ICON_SIZES, desktop_file_path, icon_path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_samples_prints_each_sample_path_and_a_description_that_matches_it(capsys):
    code, out, err = run(capsys, "samples")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(sample_names()) >= 3
    for line in lines:
        path, description = line.split("\t")
        assert os.path.isabs(path) and Path(path).stem in sample_names()
        table = load_csv(path)
        rows, columns = re.match(r"(\d+) .*\((.*)\)", description).groups()
        assert int(rows) == len(table)
        assert columns.split(", ") == list(table.header)


def test_a_sample_path_trains_from_the_command_line(capsys, tmp_path):
    code, out, err = run(capsys, "samples")
    xor = next(line.split("\t")[0] for line in out.splitlines() if line.split("\t")[0].endswith("xor.csv"))
    code, out, err = run(capsys, "train", xor, "--y", "label", "--model", "logistic", "--features", "distances",
                         "--lr", "1", "--quiet", "--out", str(tmp_path / "m.json"))
    assert code == 0, err
    assert (tmp_path / "m.json").is_file()


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive: Name[zh_CN]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_file_launches_the_gui_script_with_the_shipped_icon():
    entry = desktop_entry(desktop_file_path())
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert "text/csv" in entry["MimeType"].split(";")
    for key in ("Name", "GenericName", "Comment"):
        assert entry[key] and entry[f"{key}[zh_CN]"]
    command, field = entry["Exec"].split()
    gui_scripts = {e.name for e in metadata.entry_points(group="gui_scripts") if e.value.startswith("regstudio.")}
    assert command in gui_scripts and field == "%f"
    assert icon_path().stem == entry["Icon"]
    assert all(icon_path(size).is_file() for size in ICON_SIZES)


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_the_desktop_file_is_valid():
    result = subprocess.run(["desktop-file-validate", str(desktop_file_path())], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout


def test_desktop_entry_installs_the_launcher_and_icons_where_menus_look(capsys, tmp_path):
    code, out, err = run(capsys, "desktop-entry", "--data-home", str(tmp_path))
    assert code == 0, err
    written = {Path(line) for line in out.splitlines()}
    assert all(path.is_file() for path in written)
    launcher = tmp_path / "applications" / "regstudio.desktop"
    assert launcher in written
    assert {tmp_path / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "regstudio.png" for n in ICON_SIZES} <= written
    command = desktop_entry(launcher)["Exec"].rsplit(" ", 1)[0].strip('"')
    assert Path(command).name == "regstudio-gui"
    assert desktop_entry(launcher)["Icon"] == "regstudio"


def test_desktop_entry_that_cannot_write_is_one_line(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, out, err = run(capsys, "desktop-entry", "--data-home", str(blocker))
    assert code == 2 and out == ""
    assert err.startswith("regstudio: error: cannot install the desktop entry") and err.count("\n") == 1
