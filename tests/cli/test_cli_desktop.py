"""``regstudio samples`` and ``regstudio desktop-entry``, and the shipped freedesktop entry itself."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from regstudio.cli import main
from regstudio.core.data import load_csv, sample_names
from regstudio.desktop import ICON_SIZES, data_home, desktop_entry_text, desktop_file_path, icon_path


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


def test_desktop_entry_with_an_empty_data_home_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "desktop-entry", "--data-home", "")
    assert code == 2 and out == ""
    assert err == "regstudio: error: argument --data-home: must name a folder (got an empty path)\n"
    assert os.listdir(tmp_path) == []


def test_a_relative_xdg_data_home_is_ignored(tmp_path, monkeypatch):
    """The base directory spec: a relative path in XDG_DATA_HOME is invalid and ignored."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "share")
    assert data_home() == tmp_path / ".local" / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert data_home() == tmp_path / "data"


def _exec_arguments(value: str) -> list[str]:
    """An Exec value read back as the Desktop Entry spec reads it: the string escapes of the file format
    first, then the quoting of each argument, then ``%%`` (field codes such as ``%f`` are left)."""
    text = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), value)
    arguments, current, quoted, escaped, started = [], "", False, False, False
    for char in text:
        if escaped:
            assert char in '"`$\\', f"\\{char} is not an escape inside quotes"
            current, escaped = current + char, False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted, started = not quoted, True
        elif char == " " and not quoted:
            if started:
                arguments.append(current)
            current, started = "", False
        else:
            current, started = current + char, True
    assert not quoted and not escaped, value
    if started:
        arguments.append(current)
    return [a if a.startswith("%") and len(a) == 2 else a.replace("%%", "%") for a in arguments]


@pytest.mark.parametrize("folder", ['we"ird $HOME `id` 100% back\\slash', "plain", "tab\there", "new\nline (1)"],
                         ids=["quote dollar backtick percent backslash space", "plain", "tab", "newline"])
def test_the_exec_line_names_the_gui_script_whatever_its_path(tmp_path, monkeypatch, folder):
    bin_folder = tmp_path / folder / "bin"
    bin_folder.mkdir(parents=True)
    script = bin_folder / "regstudio-gui"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(bin_folder / "python"))
    launcher = tmp_path / "regstudio.desktop"
    launcher.write_text(desktop_entry_text(), encoding="utf-8")
    (exec_line,) = [line for line in launcher.read_text(encoding="utf-8").splitlines() if line.startswith("Exec=")]
    assert _exec_arguments(exec_line[len("Exec="):]) == [str(script), "%f"]
    if folder == "plain":
        assert exec_line == f"Exec={script} %f"
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(launcher)], capture_output=True, text=True)
        assert result.returncode == 0 and "error" not in result.stdout, result.stdout + result.stderr
