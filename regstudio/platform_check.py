"""Whether the window can start, asked before Qt is imported.

When Qt cannot find a display or load its platform plugin it prints several lines and aborts the
process (exit 134, a core dump on some systems); here the same causes become one line and exit 2.
Pure Python, no Qt: it must run where Qt would abort.
"""

from __future__ import annotations

import ctypes
import os
import sys

# The libraries PySide6's Qt (6.8-6.11 wheels) links against and does not bundle, with the
# Debian/Ubuntu package of each: `readelf -d` NEEDED entries of libQt6Gui, libQt6DBus and libQt6Widgets
# (every platform) and of the xcb platform plugin libqxcb.so and its libQt6XcbQpa (X11 only).
# libc, libstdc++, zlib and the like are left out: no system that runs Python lacks them.
GUI_LIBRARIES = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libX11.so.6": "libx11-6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
NO_DISPLAY_HINT = "set DISPLAY, or run under xvfb-run; for headless use `regstudio train`"


def library_loads(soname: str) -> bool:
    """Whether the dynamic loader finds ``soname`` (and what it needs) the way Qt's loading would."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _platforms() -> list[str]:
    """The platform plugins Qt will try, in order, as QGuiApplication chooses them on Linux."""
    requested = os.environ.get("QT_QPA_PLATFORM", "")
    if requested:
        candidates = requested.split(";")
    else:
        wayland_session = "WAYLAND_DISPLAY" in os.environ or os.environ.get("XDG_SESSION_TYPE") == "wayland"
        candidates = ["wayland", "xcb"] if wayland_session else ["xcb"]
    return [name.split(":")[0].strip() for name in candidates if name.strip()]


def _can_connect(platform: str) -> bool:
    """Whether ``platform`` has a display server to talk to; platforms without one (offscreen, minimal,
    vnc, eglfs…) always can."""
    if platform == "xcb":
        return bool(os.environ.get("DISPLAY"))
    if platform.startswith("wayland"):
        if os.environ.get("WAYLAND_DISPLAY"):
            return True
        runtime = os.environ.get("XDG_RUNTIME_DIR")  # libwayland's default socket is wayland-0 there
        if not runtime:
            return False
        return os.path.exists(os.path.join(runtime, "wayland-0"))
    return True


def _missing_packages(libraries: dict[str, str]) -> str | None:
    """The one-line complaint about the libraries among ``libraries`` that do not load, or None."""
    packages = " ".join(dict.fromkeys(package for soname, package in libraries.items()
                                      if not library_loads(soname)))
    if not packages:
        return None
    return (f"the window needs system libraries that are missing: {packages} "
            f"(install them with: sudo apt-get install {packages})")


def window_problem() -> str | None:
    """Why the window cannot start here, as one line, or None if Qt should manage (or this is not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    platforms = _platforms()
    usable = [name for name in platforms if _can_connect(name)]
    if not usable:
        unset = [variable for prefix, variable in (("xcb", "DISPLAY"), ("wayland", "WAYLAND_DISPLAY"))
                 if any(name.startswith(prefix) for name in platforms)]
        return f"no display: {' and '.join(unset)} {'is' if len(unset) == 1 else 'are'} not set ({NO_DISPLAY_HINT})"
    missing = _missing_packages(GUI_LIBRARIES)
    if missing:
        return missing
    for name in usable:  # Qt falls back to the next platform when one fails to load
        if name != "xcb":
            return None
        missing = _missing_packages(XCB_LIBRARIES)
        if not missing:
            return None
    return missing
