"""What regstudio ships besides code: the sample data sets, the icons and the freedesktop entry.

Pure Python, no Qt: ``regstudio samples`` and ``regstudio desktop-entry`` use it without a display.
The files live in the package ``regstudio.resources`` (the top-level ``resources/`` folder of a
checkout, which the wheel installs under that name).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .core.data import sample_names

APP_ID = "regstudio"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
GUI_SCRIPT = "regstudio-gui"

# One line each for `regstudio samples`; the window shows its own translated titles (gui/help_menu.py).
SAMPLE_DESCRIPTIONS = {
    "cubic": "60 noisy points on a cubic (x, y): polynomial degree and overfitting",
    "hidden_factor": "90 points of three species (x, y, group): one line per group",
    "xor": "120 points in XOR corners (x1, x2, label): no line separates the two classes",
}


def resource_folder() -> Path:
    """The installed ``regstudio.resources`` folder (``resources/`` in a source checkout)."""
    try:
        folder = resources.files("regstudio.resources")
    except ModuleNotFoundError:
        folder = resources.files("regstudio") / ".." / "resources"
    return Path(str(folder)).resolve()


@dataclass(frozen=True)
class Sample:
    name: str
    path: Path
    description: str


def samples() -> list[Sample]:
    """Every shipped sample CSV, by name, with its absolute path and a one-line description."""
    folder = resource_folder() / "data"
    return [Sample(name, folder / f"{name}.csv", SAMPLE_DESCRIPTIONS.get(name, ""))
            for name in sample_names()]


def icon_path(size: int | None = None) -> Path:
    """The scalable icon (``size`` None) or the PNG rendered at ``size`` pixels."""
    return resource_folder() / "icons" / ("regstudio.svg" if size is None else f"regstudio-{size}.png")


def desktop_file_path() -> Path:
    return resource_folder() / f"{APP_ID}.desktop"


def data_home() -> Path:
    """``$XDG_DATA_HOME``, by default ``~/.local/share``: where per-user launchers and icons go.

    The base directory spec has a relative (or empty) value ignored: it would install into
    whatever folder the command happened to run in."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".local" / "share"


# The Desktop Entry spec's reserved characters (the Exec key): an argument holding one is quoted.
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_QUOTED_ESCAPES = re.compile(r'(["`$\\])')


def exec_argument(text: str) -> str:
    r"""``text`` as one argument of an Exec line, as the Desktop Entry spec writes it: in double quotes
    when it holds a reserved character, with ``"``, backtick, ``$`` and ``\`` escaped by a backslash
    inside them; ``%`` doubled (``%f`` and the like are field codes); then the file format's own
    escapes of a string value (``\\``, ``\n``, ``\t``, ``\r``), which come off first when the line is
    read, so a backslash in ``text`` is written as four."""
    if not text or _RESERVED & set(text):
        text = '"' + _QUOTED_ESCAPES.sub(r"\\\1", text) + '"'
    text = text.replace("%", "%%")
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def _gui_command() -> str:
    """The Exec command: the gui-script beside this Python when there is one (a virtual environment
    is usually not on the desktop's PATH), else its bare name."""
    script = Path(sys.executable).parent / GUI_SCRIPT
    return exec_argument(str(script)) if script.is_file() else GUI_SCRIPT


def desktop_entry_text() -> str:
    """The shipped entry with Exec naming the gui-script that belongs to this installation."""
    lines = desktop_file_path().read_text(encoding="utf-8").splitlines()
    return "".join((f"Exec={_gui_command()} %f" if line.startswith("Exec=") else line) + "\n" for line in lines)


def install_desktop_entry(target: Path | None = None) -> list[Path]:
    """Copy the entry and the icons into ``target`` (default :func:`data_home`) the way menus look them
    up: ``applications/regstudio.desktop`` and ``icons/hicolor/<n>x<n>/apps/regstudio.png``."""
    target = data_home() if target is None else Path(target)
    written = []
    entry = target / "applications" / f"{APP_ID}.desktop"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(desktop_entry_text(), encoding="utf-8")
    written.append(entry)
    icons = [(icon_path(size), f"{size}x{size}", "png") for size in ICON_SIZES]
    for source, folder, extension in icons + [(icon_path(), "scalable", "svg")]:
        destination = target / "icons" / "hicolor" / folder / "apps" / f"{APP_ID}.{extension}"
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        written.append(destination)
    return written
