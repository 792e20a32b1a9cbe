"""Our files: atomic writes (a reader never sees half a file, a failed write leaves the old one),
reads that refuse anything but a regular file, and validated reads of versioned JSON documents."""

from __future__ import annotations

import json
import os
import stat

from .errors import DataError, ModelFileError
from .messages import Message, translate


MAX_INTEGER_DIGITS = 300  # characters; every such integer converts to a finite float


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8, atomically (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, sync it, then rename it over ``path``
    (see :class:`AtomicFile`)."""
    output = AtomicFile(path)
    try:
        with open(output.temporary, "r+b") as f:
            f.write(data)
    except OSError as exc:
        output.discard()
        raise DataError(_cannot_write(os.fspath(path), exc)) from None
    except BaseException:
        output.discard()
        raise
    output.commit()


class AtomicFile:
    """A file written under a temporary name beside ``path`` (``temporary``, created empty) and renamed
    over ``path`` by :meth:`commit`, or removed by :meth:`discard`: a reader never sees half a file,
    and a failed or cancelled write leaves the old one (or none).

    The file ends up as a plain ``open()`` would leave it, so classmates on a shared drive can read
    it: a new file gets 0666 less the umask, an existing one keeps its mode, and through a symbolic
    link the link's target is replaced, not the link. Whatever ``open()`` would not have written to
    is refused (:func:`write_problem`), since the rename would replace it.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        problem = write_problem(self.path)
        if problem:
            raise DataError(translate("Files", "{file}: cannot write: {reason}").format(file=self.path, reason=problem))
        self.target = os.path.realpath(self.path)
        self.folder = os.path.dirname(self.target)
        try:
            mode: int | None = stat.S_IMODE(os.stat(self.target).st_mode)
        except OSError:
            mode = None
        self.temporary = os.path.join(self.folder, f".regstudio-{os.urandom(8).hex()}.tmp")
        # Created with at most the final permissions (the umask applies), so no one can open the
        # temporary file who could not open the finished one.
        permissions = 0o666 if mode is None else mode & 0o777
        try:
            fd = os.open(self.temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         permissions)
        except OSError as exc:
            raise DataError(_cannot_write(self.path, exc)) from None
        os.close(fd)
        if mode is not None:
            try:
                os.chmod(self.temporary, mode)  # the bits the umask took away
            except OSError as exc:
                self.discard()
                raise DataError(_cannot_write(self.path, exc)) from None

    def commit(self) -> None:
        """Sync the temporary file and rename it over the target."""
        try:
            fd = os.open(self.temporary, os.O_RDWR | getattr(os, "O_BINARY", 0))   # Windows syncs only writable files
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(self.temporary, self.target)
        except OSError as exc:
            self.discard()
            raise DataError(_cannot_write(self.path, exc)) from None
        _fsync_folder(self.folder)

    def discard(self) -> None:
        """Remove the temporary file (the target is untouched)."""
        _remove(self.temporary)


def write_problem(path: str | os.PathLike) -> Message | None:
    """Why a save must not rename a new file over ``path`` (through a symbolic link, over its target),
    or None when nothing is there or it is a file the user may write.

    A rename replaces anything, even what ``open()`` would refuse: a device or a FIFO would become a
    regular file, a read-only file or (in a folder without the sticky bit) another user's file would
    be swapped for ours. ``os.access`` allows root everything, so the mode and the owner are checked
    as well.
    """
    try:
        info = os.stat(os.path.realpath(path))
    except OSError:
        return None  # nothing there, or nothing we may look at: the write itself says why it fails
    if not stat.S_ISREG(info.st_mode):
        return translate("Files", "it {problem}").format(problem=_type_problem(info.st_mode))
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return translate("Files", "the file belongs to another user (uid {owner})").format(owner=info.st_uid)
    if not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        return translate("Files", "the file is read-only")
    return None


def _cannot_write(path: str, exc: OSError) -> Message:
    return translate("Files", "{file}: cannot write ({reason})").format(file=path, reason=exc.strerror or exc)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable, where the system lets a folder be opened and synced (not Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def file_problem(path: str) -> str | None:
    """Why ``path`` cannot be read as a file ("no such file", "is a directory", …), or None."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return translate("Files", "no such file")
    except OSError as exc:
        return translate("Files", "cannot read ({reason})").format(reason=exc.strerror or exc)
    return None if stat.S_ISREG(mode) else _type_problem(mode)


def _type_problem(mode: int) -> Message:
    """What a path of ``mode`` is instead of a regular file ("is a directory", …)."""
    if stat.S_ISDIR(mode):
        return translate("Files", "is a directory")
    if stat.S_ISFIFO(mode):
        return translate("Files", "is not a regular file (it is a FIFO)")
    if stat.S_ISSOCK(mode):
        return translate("Files", "is not a regular file (it is a socket)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return translate("Files", "is not a regular file (it is a device)")
    return translate("Files", "is not a regular file (it is a special file)")


def read_file(path: str, error: type[Exception]) -> bytes:
    """The bytes of the regular file ``path``; anything else raises ``error`` with a one-line message.

    The type is checked before opening because opening a FIFO blocks until something writes to it
    (it would freeze the window) and reading a device may never end.
    """
    problem = file_problem(path)
    if problem:
        raise error(translate("Files", "{file}: {problem}").format(file=path, problem=problem))
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        message = translate("Files", "{file}: cannot read ({reason})")
        raise error(message.format(file=path, reason=exc.strerror or exc)) from None


def _json_int(text: str) -> int | float:
    """A JSON integer, or as a float (infinite beyond the float range) when it is too long to be a
    value of any field: the fields then refuse it by name as not a finite number or not a whole number,
    where int() would stop the whole read beyond 4,300 digits and a field's float() would overflow."""
    return int(text) if len(text) <= MAX_INTEGER_DIGITS else float(text)


def read_document(path: str, format_name: str, version: int, what: str) -> dict:
    """The JSON object in ``path`` whose ``format`` is ``format_name`` and ``version`` is ``version``.

    Anything else raises ModelFileError naming the file; ``what`` (a translatable "model" or "session")
    words it.
    """
    raw = read_file(path, ModelFileError)
    try:
        document = json.loads(raw.decode("utf-8-sig"), parse_int=_json_int)
    except UnicodeDecodeError:
        raise ModelFileError(translate("Files", "{file}: not a regstudio {what} file (not UTF-8 text)").format(
            file=path, what=what)) from None
    except json.JSONDecodeError as exc:
        raise ModelFileError(translate("Files", "{file}: not a regstudio {what} file (invalid JSON at line {line}, "
                                                "column {column})").format(
            file=path, what=what, line=exc.lineno, column=exc.colno)) from None
    except RecursionError:
        raise ModelFileError(translate("Files", "{file}: not a regstudio {what} file (JSON nested too deeply)")
                             .format(file=path, what=what)) from None
    if not isinstance(document, dict) or document.get("format") != format_name:
        raise ModelFileError(translate("Files", "{file}: not a regstudio {what} file (no \"format\": \"{format}\")")
                             .format(file=path, what=what, format=format_name))
    found = document.get("version")
    if type(found) is not int or found != version:
        raise ModelFileError(translate("Files", "{file}: {what} format version {found!r} is not supported "
                                                "(this regstudio reads version {version})").format(
            file=path, what=what, found=found, version=version))
    return document
