"""Reading refuses anything but a regular file, with a one-line message, and never blocks on a FIFO."""

from __future__ import annotations

import os
import threading

import pytest

from regstudio.core.atomic import read_document
from regstudio.core.data import load_csv
from regstudio.core.errors import DataError, ModelFileError
from regstudio.core.modelfile import read_model


def read_session_document(path):
    return read_document(os.fspath(path), "regstudio-session", 1, "session")


READERS = [(load_csv, DataError, "data.csv"), (read_model, ModelFileError, "model.json"),
           (read_session_document, ModelFileError, "lesson.regstudio")]
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def _error_of(read, path, seconds: float = 3.0) -> Exception | None:
    """The exception ``read(path)`` raises, from a thread so that a reader stuck opening a FIFO fails
    the test instead of hanging it."""
    outcome = {}

    def target():
        try:
            read(path)
        except Exception as exc:  # noqa: BLE001 - handed to the test to judge
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        # A writer appearing and leaving gives the blocked reader end-of-file, so the thread ends.
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(seconds)
        pytest.fail(f"{read.__name__} blocked opening the FIFO {path}")
    return outcome.get("error")


@needs_fifo
@pytest.mark.parametrize("read, error, name", READERS, ids=["csv", "model", "session"])
def test_a_fifo_is_refused_without_blocking(tmp_path, read, error, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    exc = _error_of(read, fifo)
    assert isinstance(exc, error), exc
    assert str(exc) == f"{fifo}: is not a regular file (it is a FIFO)"


@pytest.mark.parametrize("read, error, name", READERS, ids=["csv", "model", "session"])
def test_a_directory_is_named_as_one(tmp_path, read, error, name):
    folder = tmp_path / name
    folder.mkdir()
    with pytest.raises(error) as info:
        read(folder)
    assert str(info.value) == f"{folder}: is a directory"


@pytest.mark.parametrize("read, error, name", READERS, ids=["csv", "model", "session"])
def test_a_missing_file_is_named(tmp_path, read, error, name):
    with pytest.raises(error) as info:
        read(tmp_path / "absent" / name)
    assert str(info.value) == f"{tmp_path / 'absent' / name}: no such file"


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_a_device_is_refused():
    with pytest.raises(DataError) as info:
        load_csv("/dev/null")
    assert str(info.value) == "/dev/null: is not a regular file (it is a device)"
