"""``write_text_atomic`` (model, session and prediction files) gives files the mode a plain ``open()``
would, writes through symbolic links, syncs to disk before renaming, and leaves nothing behind when a
write fails."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from regstudio.core import atomic
from regstudio.core.atomic import write_text_atomic
from regstudio.core.errors import DataError

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and symbolic links")


@pytest.fixture
def umask():
    """Set the process umask for one test (it is process-wide: restored afterwards)."""
    original = os.umask(0o022)
    yield os.umask
    os.umask(original)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@posix_only
@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)],
                         ids=["umask-022", "umask-002", "umask-077"])
def test_a_new_file_gets_the_umask_mode(tmp_path, umask, mask, expected):
    umask(mask)
    write_text_atomic(tmp_path / "model.json", "{}\n")
    assert _mode(tmp_path / "model.json") == expected


@posix_only
@pytest.mark.parametrize("existing", [0o640, 0o666, 0o600], ids=["0640", "0666", "0600"])
def test_an_existing_file_keeps_its_mode(tmp_path, umask, existing):
    umask(0o022)
    path = tmp_path / "lesson.regstudio"
    path.write_text("old")
    os.chmod(path, existing)
    write_text_atomic(path, "new")
    assert path.read_text() == "new"
    assert _mode(path) == existing


@posix_only
def test_a_symbolic_link_stays_and_its_target_gets_the_text(tmp_path, umask):
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "model.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "model.json"
    link.symlink_to(os.path.join("shared", "model.json"))
    write_text_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == os.path.join("shared", "model.json")
    assert target.read_text() == "new" and _mode(target) == 0o640
    assert sorted(os.listdir(tmp_path / "shared")) == ["model.json"]


@posix_only
def test_a_dangling_symbolic_link_creates_its_target(tmp_path):
    link = tmp_path / "model.json"
    link.symlink_to(tmp_path / "made.json")
    write_text_atomic(link, "new")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "new"


@posix_only
def test_the_file_is_synced_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events = []
    fsync, replace = os.fsync, os.replace

    def recording_fsync(fd):
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        fsync(fd)

    def recording_replace(source, destination):
        events.append("rename")
        replace(source, destination)

    monkeypatch.setattr(atomic.os, "fsync", recording_fsync)
    monkeypatch.setattr(atomic.os, "replace", recording_replace)
    write_text_atomic(tmp_path / "model.json", "{}\n")
    assert events == ["fsync file", "rename", "fsync folder"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    path.write_text("old")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(DataError) as info:
        write_text_atomic(path, "new")
    assert str(info.value) == f"{path}: cannot write ({os.strerror(errno.ENOSPC)})"
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["model.json"]


def test_text_that_cannot_be_encoded_leaves_no_temporary(tmp_path):
    path = tmp_path / "model.json"
    path.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(path, "lone surrogate \ud800")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["model.json"]


def test_a_folder_in_the_way_is_a_one_line_error(tmp_path):
    (tmp_path / "model.json").mkdir()
    with pytest.raises(DataError, match="model.json: cannot write"):
        write_text_atomic(tmp_path / "model.json", "{}")
    assert os.listdir(tmp_path) == ["model.json"]


# The rename would replace whatever is at the path, even what open() refuses to write to.

is_root = hasattr(os, "geteuid") and os.geteuid() == 0


@posix_only
def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    with pytest.raises(DataError) as info:
        write_text_atomic(fifo, "{}")
    assert str(info.value) == f"{fifo}: cannot write: it is not a regular file (it is a FIFO)"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["model.json"]


@pytest.mark.skipif(not is_root, reason="making a device node needs root")
def test_a_device_is_refused_and_stays_a_device(tmp_path):
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null
    with pytest.raises(DataError, match="null: cannot write: it is not a regular file \\(it is a device\\)"):
        write_text_atomic(device, "{}")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@posix_only
def test_a_read_only_file_is_refused_and_kept(tmp_path):
    path = tmp_path / "model.json"
    path.write_text("old")
    os.chmod(path, 0o444)  # root may still open it for writing, but the mode says no
    with pytest.raises(DataError) as info:
        write_text_atomic(path, "new")
    assert str(info.value) == f"{path}: cannot write: the file is read-only"
    assert path.read_text() == "old" and _mode(path) == 0o444
    assert os.listdir(tmp_path) == ["model.json"]


@posix_only
def test_a_link_to_a_read_only_file_is_refused(tmp_path):
    (tmp_path / "target.json").write_text("old")
    os.chmod(tmp_path / "target.json", 0o444)
    link = tmp_path / "model.json"
    link.symlink_to("target.json")
    with pytest.raises(DataError, match="model.json: cannot write: the file is read-only"):
        write_text_atomic(link, "new")
    assert (tmp_path / "target.json").read_text() == "old" and link.is_symlink()


@pytest.mark.skipif(not is_root, reason="giving a file to another user needs root")
def test_another_users_file_in_a_shared_folder_is_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)  # everyone may rename in it: no sticky bit
    path = shared / "model.json"
    path.write_text("theirs")
    os.chmod(path, 0o644)
    os.chown(path, 4321, 4321)
    with pytest.raises(DataError) as info:
        write_text_atomic(path, "ours")
    assert str(info.value) == f"{path}: cannot write: the file belongs to another user (uid 4321)"
    assert path.read_text() == "theirs" and os.stat(path).st_uid == 4321
