"""``regstudio`` (the window) without a display or without Qt's X11 libraries: one line and exit 2,
checked before Qt is imported, instead of Qt's plugin message and an abort (exit 134)."""

from __future__ import annotations

import os
import subprocess
import sys
import types

import pytest

from regstudio import platform_check
from regstudio.cli import main
from regstudio.platform_check import window_problem

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux only")
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE", "XDG_RUNTIME_DIR")


@pytest.fixture
def desktop(monkeypatch):
    """A Linux environment with no display variables; ``desktop(NAME=value, …)`` sets some, and
    ``desktop.lacking`` names sonames the loader shall not find (every other one loads).

    The window module is a stand-in that records in ``desktop.started`` instead of starting Qt, which
    would abort the whole test run where the check is missing.
    """
    for variable in DISPLAY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    lacking = set()
    monkeypatch.setattr(platform_check, "library_loads", lambda soname: soname not in lacking)
    started = []
    window = types.ModuleType("regstudio.gui.app")
    window.run = lambda path=None: started.append(path) or 0
    monkeypatch.setitem(sys.modules, "regstudio.gui.app", window)

    def set_environment(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    set_environment.lacking = lacking
    set_environment.started = started
    return set_environment


@linux_only
def test_no_display_is_one_line_and_exit_2(desktop, capsys):
    desktop()
    assert main([]) == 2
    assert desktop.started == []
    err = capsys.readouterr().err
    assert err == ("regstudio: error: no display: DISPLAY is not set (set DISPLAY, or run under xvfb-run; "
                   "for headless use `regstudio train`)\n")


@linux_only
def test_no_display_with_a_file_argument(desktop, capsys, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("x,y\n1,2\n")
    desktop(XDG_SESSION_TYPE="wayland")
    assert main([os.fspath(data)]) == 2
    assert desktop.started == []
    assert "no display: DISPLAY and WAYLAND_DISPLAY are not set" in capsys.readouterr().err


@linux_only
def test_a_headless_server_hears_about_the_display_first(desktop):
    desktop.lacking.update(platform_check.GUI_LIBRARIES)
    assert window_problem().startswith("no display: DISPLAY is not set")


@linux_only
def test_missing_x_libraries_are_named_with_their_packages(desktop, capsys):
    desktop(DISPLAY=":0")
    desktop.lacking.update({"libxcb-cursor.so.0", "libxcb-icccm.so.4"})
    assert main([]) == 2
    assert desktop.started == []
    assert capsys.readouterr().err == (
        "regstudio: error: the window needs system libraries that are missing: libxcb-cursor0 libxcb-icccm4 "
        "(install them with: sudo apt-get install libxcb-cursor0 libxcb-icccm4)\n")


@linux_only
def test_a_library_every_platform_needs(desktop):
    desktop(QT_QPA_PLATFORM="offscreen")
    desktop.lacking.update({"libEGL.so.1", "libglib-2.0.so.0", "libgthread-2.0.so.0"})
    assert window_problem() == ("the window needs system libraries that are missing: libegl1 libglib2.0-0 "
                                "(install them with: sudo apt-get install libegl1 libglib2.0-0)")


@linux_only
@pytest.mark.parametrize("environment", [
    {"QT_QPA_PLATFORM": "offscreen"},
    {"QT_QPA_PLATFORM": "minimal"},
    {"QT_QPA_PLATFORM": "vnc:size=800x600"},
    {"DISPLAY": ":0"},
    {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"},
    {"WAYLAND_DISPLAY": "wayland-1"},
    {"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-1"},
    {"QT_QPA_PLATFORM": "wayland-egl;xcb", "DISPLAY": ":0"},
], ids=["offscreen", "minimal", "vnc", "x11", "xcb", "wayland-session", "wayland", "fallback-to-xcb"])
def test_platforms_that_can_start(desktop, environment):
    desktop(**environment)
    assert window_problem() is None


@linux_only
def test_x_libraries_do_not_matter_off_x11(desktop):
    desktop.lacking.update(platform_check.XCB_LIBRARIES)
    desktop(QT_QPA_PLATFORM="offscreen", DISPLAY=":0")
    assert window_problem() is None
    desktop(QT_QPA_PLATFORM="wayland", WAYLAND_DISPLAY="wayland-0")
    assert window_problem() is None


@linux_only
def test_wayland_without_a_compositor(desktop, tmp_path):
    desktop(QT_QPA_PLATFORM="wayland", XDG_RUNTIME_DIR=os.fspath(tmp_path))
    assert window_problem().startswith("no display: WAYLAND_DISPLAY is not set (")
    (tmp_path / "wayland-0").touch()  # libwayland's default socket
    assert window_problem() is None


@linux_only
def test_missing_x_libraries_with_a_fallback_platform(desktop):
    desktop.lacking.add("libxcb-keysyms.so.1")
    desktop(QT_QPA_PLATFORM="xcb;offscreen", DISPLAY=":0")
    assert window_problem() is None
    desktop(QT_QPA_PLATFORM="xcb")
    assert "libxcb-keysyms1" in window_problem()


def test_other_systems_are_not_checked(desktop, monkeypatch):
    monkeypatch.setattr(platform_check.sys, "platform", "darwin")
    desktop.lacking.update(platform_check.GUI_LIBRARIES)
    assert window_problem() is None


@linux_only
def test_the_real_loader():
    assert platform_check.library_loads("libc.so.6")
    assert not platform_check.library_loads("libregstudio-no-such-library.so.7")


@linux_only
def test_the_tests_offscreen_platform_passes_the_check_on_this_machine(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert window_problem() is None


@linux_only
def test_python_m_regstudio_without_a_display_exits_2_without_aborting():
    environment = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARIABLES}
    result = subprocess.run([sys.executable, "-m", "regstudio"], capture_output=True, text=True, timeout=120,
                            env=environment)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("regstudio: error: no display: ") and result.stderr.count("\n") == 1, \
        result.stderr
    assert "Aborted" not in result.stderr and "qt.qpa" not in result.stderr
    assert result.stdout == ""

