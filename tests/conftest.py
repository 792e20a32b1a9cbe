"""Shared test setup: Qt runs offscreen, and QSettings (recent files) write into a throwaway folder.

Both must be set before Qt is imported.
"""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_NO_GLIB", "1")  # as the window sets it (regstudio/gui/__init__.py)
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="regstudio-test-config-")


import threading  # noqa: E402

import pytest  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "training_errors_expected: the test provokes a failure in the training "
                                       "process on purpose")


@pytest.fixture(autouse=True)
def fail_on_thread_exceptions(monkeypatch):
    """An exception that ends a thread prints a traceback and nothing more; here it fails the test."""
    raised = []
    monkeypatch.setattr(threading, "excepthook", raised.append)
    yield
    if raised:
        args = raised[0]
        pytest.fail(f"exception in thread {args.thread.name if args.thread else '?'}: "
                    f"{args.exc_type.__name__}: {args.exc_value}")
