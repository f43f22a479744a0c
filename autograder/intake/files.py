"""Files in folders a student controls, read without following a link; and the only way the
grader makes or removes a folder of a student: inside the course folder, checked.

    with Folder.open(inbox, "jane", "forget_gate") as folder:   # each part: a real folder, not a link
        for entry in folder.entries():                           # (name, kind): file | folder | link | other
            data = folder.read(entry.name, NOTEBOOK_BYTES)       # bytes, or Rejected (link, pipe, hard link, too large)
    target = fresh_folder(course_root, "submitted", "jane", "forget_gate")   # emptied, made, inside the course
    remove_folder(course_root, "autograded", "jane", "forget_gate")

Every folder below the one the instructor named is opened relative to its parent's descriptor
with O_NOFOLLOW, and every file with O_NOFOLLOW | O_NONBLOCK (a named pipe would otherwise wait
forever), then checked with fstat: what is read is what was checked, even if a student swaps a
file for a link in between.
"""

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from .names import shown
from .rejected import Rejected

READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
CHUNK = 1 << 20


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str  # file | folder | link | other


class Folder:
    """An open folder (its descriptor): list and read what is in it, following no link."""

    def __init__(self, fd, where):
        self.fd, self.where = fd, where

    @classmethod
    def open(cls, top, *parts):
        """`top` (a path the instructor gave, followed as given), then each of `parts`, refusing links."""
        fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        where = Path(top)
        try:
            for part in parts:
                fd, parent = cls._child(fd, part, where / part), fd
                os.close(parent)
                where = where / part
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, where)

    @staticmethod
    def _child(fd, name, where):
        try:
            return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
        except OSError:
            kind = kind_of(fd, name)
            if kind == "link":
                raise Rejected(
                    f"{shown(where.name)} is a symbolic link: not followed; hand in the folder itself"
                ) from None
            raise Rejected(f"{shown(where.name)} is not a folder ({kind})") from None

    def folder(self, name):
        """The sub-folder `name` (not a link), open."""
        return Folder(self._child(self.fd, name, self.where / name), self.where / name)

    def entries(self, limit=None):
        """[Entry] of what is in the folder, sorted by name; nothing is followed. More than `limit`
        entries: Rejected."""
        found = []
        with os.scandir(self.fd) as listing:
            for item in listing:
                if limit is not None and len(found) >= limit:
                    raise Rejected(f"{shown(self.where.name)} holds more than {limit} entries: not read")
                found.append(Entry(item.name, kind_of(self.fd, item.name)))
        return sorted(found, key=lambda entry: entry.name)

    def read(self, name, limit):
        """The bytes of the regular file `name`, at most `limit` of them; else Rejected saying why."""
        fd = self._open_file(name)
        try:
            return read_open(fd, name, limit)
        finally:
            os.close(fd)

    def open_file(self, name, limit):
        """The regular file `name` (not a link, one name, at most `limit` bytes), open for reading."""
        fd = self._open_file(name)
        try:
            checked(fd, name)
            if os.fstat(fd).st_size > limit:
                raise Rejected(f"{shown(name)} is larger than {megabytes(limit)}: not read")
        except BaseException:
            os.close(fd)
            raise
        return os.fdopen(fd, "rb")

    def _open_file(self, name):
        try:
            return os.open(name, READ, dir_fd=self.fd)
        except FileNotFoundError:
            raise Rejected(f"{shown(name)} is not there (removed while it was read)") from None
        except OSError:
            kind = kind_of(self.fd, name)
            if kind == "link":
                raise Rejected(f"{shown(name)} is a symbolic link: not followed; hand in the file itself") from None
            raise Rejected(f"{shown(name)} could not be opened ({kind})") from None

    def close(self):
        os.close(self.fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def kind_of(fd, name):
    """file | folder | link | other (pipes, sockets, devices) | missing, without following a link."""
    try:
        mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
    except OSError:
        return "missing"
    if stat.S_ISLNK(mode):
        return "link"
    return "file" if stat.S_ISREG(mode) else "folder" if stat.S_ISDIR(mode) else "other"


def checked(fd, name):
    """Rejected unless the open file is a regular file with one name."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise Rejected(f"{shown(name)} is not a regular file (a pipe, socket or device): not read; hand in the file")
    if info.st_nlink > 1:
        # A second name for a file elsewhere: what the student hands in must be the student's own copy.
        raise Rejected(
            f"{shown(name)} is a hard link ({info.st_nlink} names for one file): not read; hand in a copy of the file"
        )


def read_open(fd, name, limit):
    """The bytes of an open file, checked: a regular file with one name, at most `limit` bytes."""
    checked(fd, name)
    chunks, size = [], 0
    while size <= limit:
        chunk = os.read(fd, min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise Rejected(
            f"{shown(name)} is larger than {megabytes(limit)}, more than the grader reads for a file "
            "of that name: not read; hand in the file the assignment asks for"
        )
    return b"".join(chunks)


def read_file(path, limit):
    """The regular file at `path` (its last part not a link), at most `limit` bytes; else Rejected."""
    path = Path(path)
    with Folder.open(path.parent) as folder:
        return folder.read(path.name, limit)


def megabytes(size):
    """A size as a person reads it: 25 MB, 1 kB, 8 TB."""
    for unit, scale in (("TB", 2**40), ("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if size >= scale:
            return f"{size / scale:.0f} {unit}"
    return f"{size} bytes"


# -- what the grader writes: inside the course folder only --------------------------------------
def inside(root, *parts):
    """root/parts..., refused (Rejected) unless every part is one plain name and the path, with every
    folder on the way that exists, stays inside `root` without passing a link."""
    root = Path(root).resolve()
    path = root
    for part in parts:
        if not isinstance(part, str) or part in ("", ".", "..") or "/" in part or "\0" in part:
            raise Rejected(f"{shown(part)} would name a place outside the course folder: not written")
        path = path / part
        if path.is_symlink():
            raise Rejected(f"{shown(path)} is a symbolic link inside the course folder: not written through")
    if not path.resolve().is_relative_to(root):
        raise Rejected(f"{shown(path)} is outside the course folder {shown(root)}: not written")
    return path


def remove_folder(root, *parts):
    """Remove root/parts... (a folder of the grader's, inside the course folder) if it is there."""
    path = inside(root, *parts)
    if path.is_dir():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    return path


def fresh_folder(root, *parts):
    """root/parts..., empty and new: whatever was there is removed first, only inside the course."""
    path = remove_folder(root, *parts)
    path.mkdir(parents=True)
    inside(root, *parts)  # nothing on the way became a link while it was made
    return path


def write_new(folder, name, data):
    """Write a new file `name` in `folder` (one the grader made); never through an existing file or link."""
    fd = os.open(Path(folder) / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
