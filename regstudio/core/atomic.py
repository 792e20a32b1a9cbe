"""Our JSON files: atomic writes (a reader never sees half a file, a failed write leaves the old
one) and validated reads of versioned documents."""

from __future__ import annotations

import json
import os
import tempfile

from .errors import DataError, ModelFileError


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to a temporary file beside ``path``, then rename it over ``path``."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(prefix=".regstudio-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise DataError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise DataError(f"{path}: cannot write ({exc.strerror or exc})") from None


def read_document(path: str, format_name: str, version: int, what: str) -> dict:
    """The JSON object in ``path`` whose ``format`` is ``format_name`` and ``version`` is ``version``.

    Anything else raises ModelFileError naming the file; ``what`` ("model", "session") words it.
    """
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: not a regstudio {what} file (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"{path}: not a regstudio {what} file (invalid JSON at line {exc.lineno}, "
                             f"column {exc.colno})") from None
    except RecursionError:
        raise ModelFileError(f"{path}: not a regstudio {what} file (JSON nested too deeply)") from None
    if not isinstance(document, dict) or document.get("format") != format_name:
        raise ModelFileError(f"{path}: not a regstudio {what} file (no \"format\": \"{format_name}\")")
    found = document.get("version")
    if type(found) is not int or found != version:
        raise ModelFileError(f"{path}: {what} format version {found!r} is not supported "
                             f"(this regstudio reads version {version})")
    return document
