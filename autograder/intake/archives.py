"""Zip archives a student or an LMS made, read in place with Python's zipfile and our own limits:
nothing is unpacked to disk, and no member is trusted for its name, its mode or its sizes.

    with Archive.open(folder, "forget_gate.zip") as archive:    # or Rejected: not a zip, too many entries
        for entry in archive.entries:                           # .parts: the member's path, checked
            data = archive.read(entry, limit=NOTEBOOK_BYTES)    # bytes, or Rejected (link, bomb, bzip2, ...)
        archive.outside                                         # members whose names leave the archive

Sizes are counted as the bytes come out, not taken from the archive's directory; only stored
and deflated members are read (zipfile unpacks deflate in bounded steps, but bzip2 and LZMA in
one call: 785 bytes of bzip2 unpack to 1 GiB in memory before any size can be checked).
"""

import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass

from .files import megabytes
from .names import shown
from .rejected import Rejected

# An LMS export of 2,000 students who each hand back their whole folder (notebook, course data,
# the kit: about 25 files) has 50,000 entries.
ARCHIVE_ENTRIES = 100_000
# zipfile reads the whole central directory into memory before anything else: 100,000 entries
# with names of 100 characters take 15 MB.
DIRECTORY_BYTES = 16 * 2**20
ARCHIVE_BYTES = 16 * 2**30  # the file itself (the same export with every notebook's outputs)
# Notebooks deflate 3 to 10 times (JSON; images in them do not compress), trained models not at
# all; only filler unpacks 100 times. Checked once a member has given 1 MB.
RATIO = 100
RATIO_FROM = 2**20
METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
}
CHUNK = 1 << 16


@dataclass(frozen=True)
class Entry:
    parts: tuple  # the member's path, split at /, every part a plain name
    info: zipfile.ZipInfo

    @property
    def name(self):
        return self.info.filename


class Archive:
    """An open zip archive of the inbox: its entries, checked, and a reader with limits."""

    def __init__(self, file, name):
        self.file, self.name = file, name
        entries, size = end_of(file, name)
        if entries > ARCHIVE_ENTRIES:
            raise Rejected(
                f"{shown(name)} has {entries} entries, more than an archive of submissions has "
                f"({ARCHIVE_ENTRIES}): not read; zip the submissions again"
            )
        if size > DIRECTORY_BYTES:
            raise Rejected(
                f"{shown(name)} has a directory of {megabytes(size)}, more than "
                f"{ARCHIVE_ENTRIES} entries need: not read; zip the submissions again"
            )
        try:
            self.zip = zipfile.ZipFile(file)
            infos = self.zip.infolist()
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,
            struct.error,
        ) as error:
            raise Rejected(
                f"{shown(name)} is not a zip archive that can be read ({shown(error, 60)}): not read; "
                "zip the submissions again"
            ) from None
        if len(infos) > ARCHIVE_ENTRIES:
            raise Rejected(
                f"{shown(name)} has {len(infos)} entries, more than an archive of submissions has "
                f"({ARCHIVE_ENTRIES}): not read; zip the submissions again"
            )
        self.entries, self.outside = [], []
        for info in infos:
            parts = plain_parts(info.filename)
            if parts is None:
                self.outside.append(info.filename)
            elif not info.is_dir():
                self.entries.append(Entry(parts, info))

    @classmethod
    def open(cls, folder, name):
        file = folder.open_file(name, ARCHIVE_BYTES)
        try:
            return cls(file, name)
        except BaseException:
            file.close()
            raise

    def read(self, entry, limit):
        """The bytes of one member, at most `limit` of them, counted as they come; else Rejected."""
        info, shown_name = entry.info, f"{shown(entry.parts[-1])} in {shown(self.name)}"
        if stat.S_ISLNK(info.external_attr >> 16):
            raise Rejected(f"{shown_name} is a symbolic link: not followed; zip the file itself")
        if info.flag_bits & 0x1:
            raise Rejected(f"{shown_name} is encrypted: not read; zip it without a password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            method = METHODS.get(info.compress_type, f"method {info.compress_type}")
            raise Rejected(
                f"{shown_name} is compressed with {method}, which the grader does not unpack: "
                "not read; zip it again with the usual (deflate) compression"
            )
        if info.file_size > limit:
            raise Rejected(
                f"{shown_name} unpacks to {megabytes(info.file_size)} (as the archive says), more than "
                f"the grader reads for it ({megabytes(limit)}): not read; hand in the file itself"
            )
        chunks, size = [], 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise Rejected(f"{shown_name} unpacks to more than {megabytes(limit)}: not read")
                    if size > RATIO_FROM and size > RATIO * max(info.compress_size, 1):
                        raise Rejected(
                            f"{shown_name} unpacks to more than {RATIO} times its packed size, which "
                            "only filler does: not read; hand in the file itself"
                        )
                    chunks.append(chunk)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
            struct.error,
        ) as error:
            raise Rejected(f"{shown_name} is damaged ({shown(error, 60)}): not read; zip it again") from None
        return b"".join(chunks)

    def close(self):
        if getattr(self, "zip", None) is not None:
            self.zip.close()
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def plain_parts(member):
    """The member's path as plain names, or None if it would leave the archive (absolute, `..`,
    `.`, an empty part, a backslash that other tools read as a separator, a drive letter)."""
    if member.startswith("/") or "\\" in member or (len(member) > 1 and member[1] == ":"):
        return None
    parts = tuple(member[:-1].split("/") if member.endswith("/") else member.split("/"))
    if any(part in ("", ".", "..") for part in parts):
        return None
    return parts


def end_of(file, name):
    """(entries, directory size) from the archive's end record (zip64's when it has one), read
    before zipfile reads the directory itself."""
    file.seek(0, 2)
    size = file.tell()
    tail = min(size, 22 + 65535)
    file.seek(size - tail)
    data = file.read(tail)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or len(data) - at < 22:
        raise Rejected(f"{shown(name)} is not a zip archive (no end record): not read; zip the submissions again")
    _, _, _, _, entries, directory, _, _ = struct.unpack("<4s4H2LH", data[at : at + 22])
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and at >= 20 and data[at - 20 : at - 16] == b"PK\x06\x07":
        _, _, offset, _ = struct.unpack("<4sLQL", data[at - 20 : at])
        file.seek(offset)
        record = file.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            entries, directory = struct.unpack("<4sQ2H2L4Q", record)[6:8]
    file.seek(0)
    return entries, directory
