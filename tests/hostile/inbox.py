"""Hostile inboxes: what the grader's OWN process reads from a submission, beside right answers.

    world = World(release, course_root, host)      # where things are; host: files a student must not reach
    for case in cases(world): case.write(inbox)     # folders, zips, links, timestamps, ids, models, records

tests/hostile/corpus.py attacks the student's kernel; these attack the grader around it: the
inbox walk, zip archives, names, timestamp.txt, the notebook's JSON, handed-in files and the
records a kernel sends. Each case says what must become of it:

- "graded": graded like any other (a check the student forged or broke scores zero: `zero`);
- "rejected": recorded in the gradebook as not graded, with a reason that names the file;
- "refused": its name is not a student id (or it holds nothing of its own student's), so it
  never reaches the gradebook, a path or a CSV cell; `autograde` lists it (escaped) with the reason.

Whatever the grader would leak carries TOKEN, so that a test can look for it everywhere.
"""

import base64
import copy
import io
import json
import os
import struct
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from autograder import samples, verify
from autograder.cells import checks
from autograder.course import REPOSITORY, assignment

FORGET_GATE_ID = "forget_gate"
BPTT = "bptt"
MODEL = "agreement_lstm.npz"
TOKEN = f"lstm-leak-{uuid.uuid4().hex[:12]}"  # in the instructor's files a link could reach
ESCAPE = f"lstm-escaped-{uuid.uuid4().hex[:12]}"  # in the names of files an archive would write outside
FORGET_GATE = {"forget_gate_lecture", "forget_gate_hidden"}  # the test cells of forget_gate()

# bz2.compress(b"\0" * 2**30, 9): 785 bytes that unpack to 1 GiB (25 s to make, so kept here).
BZIP2_GIGABYTE = base64.b64decode(
    "QlpoOTFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLf"
    "AV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBN"
    "RkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZ"
    "Dgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAgg"
    "ADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFB"
    "WSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADA"
    "AAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakK"
    "gJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFf"
    "jkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZC"
    "oCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J"
    "4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAw"
    "gE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkm"
    "U1lIfF/JAIpSyADAAAAEAAggADDMBSmmkSJDYUSJDxdyRThQkPaI5AI="
)


@dataclass
class World:
    release: Path  # the course's released folder
    course_root: Path  # the course folder (gradebook, submitted/, autograded/)
    host: Path  # a folder of the instructor's with files no student may reach (each holds TOKEN)

    @property
    def secret(self):
        return self.host / "secret.txt"

    @property
    def instructors_model(self):
        return self.host / MODEL


@dataclass
class Case:
    name: str  # the student id where there is one; else what autograde lists
    what: str
    write: object  # write(inbox) puts the case in the inbox (or in the course's submitted/)
    outcome: str  # graded | rejected | refused
    reason: str = ""  # words the summary (rejected) or autograde's listing (refused) must hold
    file: str = ""  # the student's file (or folder, or archive) the reason must name
    assignment: str = FORGET_GATE_ID
    zero: set = field(default_factory=set)  # graded: test cells that must score 0; the rest full


# -- making files ----------------------------------------------------------------------------
def notebook_bytes(notebook):
    return nbformat.writes(notebook).encode()


def folder_of(inbox, student, assignment_id=FORGET_GATE_ID):
    folder = Path(inbox) / student / assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def zip_of(path, members, compression=zipfile.ZIP_DEFLATED):
    """A zip of {name: bytes or ZipInfo-with-bytes (info, data)}."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            if isinstance(data, tuple):
                archive.writestr(*data)
            else:
                archive.writestr(name, data)
    return path


def symlink_member(name, target):
    """A zip entry that unzip would make a symbolic link (Unix mode S_IFLNK in external_attr)."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info, target.encode()


def raw_zip(members):
    """Zip bytes from [(name, method, crc, declared size, payload)], written by hand: the members
    may lie about their sizes or use any method, and 100,000 of them take a fraction of a second."""
    local, central, offset = [], [], 0
    for name, method, crc, size, payload in members:
        name = name.encode()
        header = (
            struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(payload), size, len(name), 0) + name
        )
        local.append(header + payload)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0,
                crc,
                len(payload),
                size,
                len(name),
                0,
                0,
                0,
                0,
                0o100644 << 16,
                offset,
            )
            + name
        )
        offset += len(header) + len(payload)
    directory = b"".join(central)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, min(len(members), 0xFFFF), min(len(members), 0xFFFF), len(directory), offset, 0
    )
    if len(members) > 0xFFFF:  # zip64: the counts live in the zip64 end record
        end64 = struct.pack(
            "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, len(members), len(members), len(directory), offset
        )
        locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, offset + len(directory), 1)
        end = end64 + locator + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return b"".join(local) + directory + end


def npy_header(shape, descr="<f8"):
    """The first bytes of an .npy file that declares `shape` (and holds no data)."""
    header = repr({"descr": descr, "fortran_order": False, "shape": tuple(shape)}).encode()
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header


def npz_members(model):
    """{member name: .npy bytes} of a saved model, as np.savez writes them."""
    with zipfile.ZipFile(io.BytesIO(model)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def deflated_zeros(total, prefix=b""):
    """A deflate stream of `prefix` and `total` zero bytes, made chunk by chunk (a bomb's payload), and its CRC."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, left = [compressor.compress(prefix)], zlib.crc32(prefix), total
    while left:
        chunk = b"\0" * min(left, 2**22)
        out.append(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
        left -= len(chunk)
    out.append(compressor.flush())
    return b"".join(out), crc


# -- notebook sources a student could write -----------------------------------------------------
def checks_of(grade_ids, assignment_id=FORGET_GATE_ID):
    """[Check] the assignment's test cells call (hidden ones included)."""
    source = nbformat.read(assignment(assignment_id).source_notebooks[0], as_version=4)
    found = []
    for cell in source.cells:
        if verify.grade_id(cell) in grade_ids:
            found += checks(cell.source)
    return found


def forging(received_json):
    """A forget_gate that is wrong, and writes a record of its own (raw JSON text) for every trial
    of every check of forget_gate before the real one: the grader must read it as data."""
    lines = []
    for check in checks_of(FORGET_GATE):
        for trial in range(check.trials):
            lines.append(
                f'{{"kind": {json.dumps(check.kind)}, "exercise": {json.dumps(check.name)}, '
                f'"key": {json.dumps(check.key)}, '
                f'"trial": {trial}, "received": {received_json}}}'
            )
    return (
        "import os\n"
        f"FORGED = {chr(10).join(lines)!r}\n"
        "def forget_gate(W_f, h_prev, x_t, b_f):\n"
        "    with open(os.environ['LSTM_COURSE_RECORDS'], 'a') as f:\n"
        "        f.write(FORGED + '\\n')\n"
        "    return np.zeros(len(b_f))\n"
    )


def with_added_cell(notebook, after, source):
    notebook = copy.deepcopy(notebook)
    index = next(i for i, c in enumerate(notebook.cells) if verify.grade_id(c) == after)
    notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return notebook


def nested(depth):
    """JSON text nested `depth` levels deep."""
    return "[" * depth + "]" * depth


# -- the cases ---------------------------------------------------------------------------------
def cases(world):
    right = samples.solved(FORGET_GATE_ID, world.release)
    right_bytes = notebook_bytes(right)
    blank = notebook_bytes(samples.released(FORGET_GATE_ID, world.release))
    bptt_right = notebook_bytes(samples.solved(BPTT, world.release))
    model = samples.solution_files(BPTT)[MODEL]
    solution = REPOSITORY / "assignments" / FORGET_GATE_ID / f"{FORGET_GATE_ID}.ipynb"
    found = []

    def case(name, what, outcome, reason="", file="", assignment_id=FORGET_GATE_ID, zero=()):
        def register(write):
            found.append(Case(name, what, write, outcome, reason, file, assignment_id, set(zero)))
            return write

        return register

    def handed_in(student, files, assignment_id=FORGET_GATE_ID):
        def write(inbox):
            folder = folder_of(inbox, student, assignment_id)
            for file_name, data in files.items():
                (folder / file_name).write_bytes(data)

        return write

    def bptt(student, model_bytes):
        return handed_in(student, {"bptt.ipynb": bptt_right, MODEL: model_bytes}, BPTT)

    def simple(name, what, outcome, write, **expect):
        case(name, what, outcome, **expect)(write)

    # Honest students, beside and after every attack (folders, per-student zip, an LMS export).
    simple(
        "right_folder",
        "every answer right, a folder",
        "graded",
        handed_in("right_folder", {"forget_gate.ipynb": right_bytes}),
    )
    simple(
        "right_zip",
        "every answer right, in right_zip.zip",
        "graded",
        lambda inbox: zip_of(inbox / "right_zip.zip", {"right_zip/forget_gate/forget_gate.ipynb": right_bytes}),
    )
    simple("right_lms_a", "every answer right, in an LMS export forget_gate.zip", "graded", lambda inbox: None)
    simple("right_lms_b", "every answer right, in the same LMS export", "graded", lambda inbox: None)
    simple("right_bptt", "bptt right, with its trained model", "graded", bptt("right_bptt", model), assignment_id=BPTT)
    simple(
        "zz_right_last",
        "every answer right, graded after every attack",
        "graded",
        handed_in("zz_right_last", {"forget_gate.ipynb": right_bytes}),
    )

    # Names that resolve outside: nothing in them is a student id, and nothing is deleted.
    for archive in ("...zip", "..zip", ".zip"):
        simple(
            archive,
            f"an archive named {archive}",
            "refused",
            lambda inbox, archive=archive: zip_of(inbox / archive, {"x/forget_gate/forget_gate.ipynb": right_bytes}),
            reason="not a student",
            file=archive,
        )
    simple(
        "zip_slip",
        "a zip with ../, ../../ and absolute entries",
        "rejected",
        lambda inbox: zip_of(
            inbox / "zip_slip.zip",
            {
                "zip_slip/forget_gate/forget_gate.ipynb": right_bytes,
                f"../{ESCAPE}-up.txt": b"x",
                f"../../{ESCAPE}-up2.txt": b"x",
                f"/tmp/{ESCAPE}-absolute.txt": b"x",
                f"zip_slip/forget_gate/../../../{ESCAPE}.txt": b"x",
            },
        ),
        reason="outside",
        file="zip_slip.zip",
    )

    # A student's archive laid out for another student, sorted before that student's own folder:
    # it neither hands in for right_folder nor gets right_folder refused.
    simple(
        "aa_mallory",
        "aa_mallory.zip holding right_folder/forget_gate/ (a blank notebook)",
        "refused",
        lambda inbox: zip_of(inbox / "aa_mallory.zip", {"right_folder/forget_gate/forget_gate.ipynb": blank}),
        reason="read as student aa_mallory's archive",
        file="aa_mallory.zip",
    )
    simple(
        "ab_mallory",
        "ab_mallory.zip holding right_folder/forget_gate/ (a blank notebook) and ../x",
        "refused",
        lambda inbox: zip_of(
            inbox / "ab_mallory.zip",
            {"right_folder/forget_gate/forget_gate.ipynb": blank, f"../{ESCAPE}-mallory.txt": b"x"},
        ),
        reason="outside the archive",
        file="ab_mallory.zip",
    )

    # Archives: bombs, too many entries, not a zip, a method that cannot be read within limits.
    spaces, spaces_crc = deflated_zeros(200 * 2**20)
    simple(
        "zip_bomb",
        "a notebook of 200 MB of zero bytes deflated to 200 kB",
        "rejected",
        lambda inbox: (inbox / "zip_bomb.zip").write_bytes(
            raw_zip([("zip_bomb/forget_gate/forget_gate.ipynb", 8, spaces_crc, 200 * 2**20, spaces)])
        ),
        reason="unpack",
        file="forget_gate.ipynb",
    )
    simple(
        "lms_bomb",
        "in the LMS export beside honest students: a notebook that unpacks 1,000 times",
        "rejected",
        lambda inbox: (inbox / "forget_gate.zip").write_bytes(
            raw_zip(
                [
                    ("right_lms_a/forget_gate.ipynb", 0, zlib.crc32(right_bytes), len(right_bytes), right_bytes),
                    ("lms_bomb/forget_gate.ipynb", 8, spaces_crc, 200 * 2**20, spaces),
                    ("right_lms_b/forget_gate.ipynb", 0, zlib.crc32(right_bytes), len(right_bytes), right_bytes),
                ]
            )
        ),
        reason="unpack",
        file="forget_gate.ipynb",
    )
    simple(
        "many_entries.zip",
        "an archive of 100,001 empty entries",
        "refused",
        lambda inbox: (inbox / "many_entries.zip").write_bytes(
            raw_zip([(f"many_entries/forget_gate/{n}.txt", 0, 0, 0, b"") for n in range(100_001)])
        ),
        reason="entries",
        file="many_entries.zip",
    )
    simple(
        "not_a_zip.zip",
        "an archive that is not a zip",
        "refused",
        lambda inbox: (inbox / "not_a_zip.zip").write_bytes(b"PK\x03\x04" + os.urandom(3000)),
        reason="not a zip",
        file="not_a_zip.zip",
    )
    simple(
        "zip_bzip2",
        "a notebook compressed with bzip2: 785 bytes that unpack to 1 GiB",
        "rejected",
        lambda inbox: (inbox / "zip_bzip2.zip").write_bytes(
            raw_zip([("zip_bzip2/forget_gate/forget_gate.ipynb", 12, 0, 20_000, BZIP2_GIGABYTE)])
        ),
        reason="bzip2",
        file="forget_gate.ipynb",
    )

    # Links: the inbox's, and inside a zip. None is followed; each is reported.
    simple(
        "link_student",
        "a student folder that is a link to another student's",
        "refused",
        lambda inbox: (inbox / "link_student").symlink_to(inbox / "right_folder", target_is_directory=True),
        reason="link",
        file="link_student",
    )

    def link_assignment(inbox):
        (inbox / "link_assignment").mkdir()
        (inbox / "link_assignment" / FORGET_GATE_ID).symlink_to(solution.parent, target_is_directory=True)

    simple(
        "link_assignment",
        "forget_gate/ is a link to assignments/forget_gate (the solution)",
        "rejected",
        link_assignment,
        reason="link",
        file=FORGET_GATE_ID,
    )

    def link_file(student, name, target, assignment_id=FORGET_GATE_ID, others=None):
        def write(inbox):
            folder = folder_of(inbox, student, assignment_id)
            for other, data in (others or {}).items():
                (folder / other).write_bytes(data)
            (folder / name).symlink_to(target)

        return write

    simple(
        "link_solution",
        "the notebook is a link to the solution",
        "rejected",
        link_file("link_solution", "forget_gate.ipynb", solution),
        reason="link",
        file="forget_gate.ipynb",
    )
    simple(
        "link_host",
        "the notebook is a link to a host file",
        "rejected",
        link_file("link_host", "forget_gate.ipynb", world.secret),
        reason="link",
        file="forget_gate.ipynb",
    )
    simple(
        "link_neighbour",
        "the notebook is a link to another student's",
        "rejected",
        lambda inbox: link_file(
            "link_neighbour", "forget_gate.ipynb", inbox / "right_folder" / FORGET_GATE_ID / "forget_gate.ipynb"
        )(inbox),
        reason="link",
        file="forget_gate.ipynb",
    )
    simple(
        "link_model",
        "bptt's model is a link to the instructor's trained model",
        "rejected",
        link_file("link_model", MODEL, world.instructors_model, BPTT, {"bptt.ipynb": bptt_right}),
        reason="link",
        file=MODEL,
        assignment_id=BPTT,
    )
    simple(
        "link_timestamp",
        "timestamp.txt is a link to /dev/zero",
        "rejected",
        link_file("link_timestamp", "timestamp.txt", Path("/dev/zero"), others={"forget_gate.ipynb": right_bytes}),
        reason="link",
        file="timestamp.txt",
    )
    simple(
        "zip_link",
        "a zip whose notebook entry is a symbolic link to the solution",
        "rejected",
        lambda inbox: zip_of(
            inbox / "zip_link.zip",
            {
                "zip_link/forget_gate/forget_gate.ipynb": symlink_member(
                    "zip_link/forget_gate/forget_gate.ipynb", str(solution)
                )
            },
        ),
        reason="link",
        file="forget_gate.ipynb",
    )
    simple(
        "archive_link.zip",
        "an archive in the inbox that is a link",
        "refused",
        lambda inbox: (inbox / "archive_link.zip").symlink_to(world.host / "elsewhere.zip"),
        reason="link",
        file="archive_link.zip",
    )

    def hard_link(inbox):
        folder = folder_of(inbox, "hard_link")
        os.link(world.host / "answers.ipynb", folder / "forget_gate.ipynb")

    simple(
        "hard_link",
        "the notebook is a hard link to the instructor's file",
        "rejected",
        hard_link,
        reason="hard link",
        file="forget_gate.ipynb",
    )

    def fifo(inbox):
        os.mkfifo(folder_of(inbox, "fifo") / "forget_gate.ipynb")

    simple(
        "fifo",
        "the notebook is a named pipe (reading it would wait forever)",
        "rejected",
        fifo,
        reason="not a regular file",
        file="forget_gate.ipynb",
    )

    # timestamp.txt, as nbgrader's parse_utc would read it.
    for student, text, what in (
        ("ts_nines", b"99999999999999999999", "20 nines (nbgrader's parse_utc: OverflowError)"),
        ("ts_garbage", "yesterday, probably \x00\xff".encode("latin-1"), "garbage"),
        ("ts_huge", b"2026-03-01 12:00:00 UTC" + b" " * 10 * 2**20, "10 MB"),
        ("ts_tzfile", b"2026-03-01 12:00:00 /dev/stdin", "a time zone that names a file (the grader's stdin)"),
    ):
        simple(
            student,
            f"timestamp.txt: {what}",
            "rejected",
            handed_in(student, {"forget_gate.ipynb": right_bytes, "timestamp.txt": text}),
            reason="timestamp.txt",
            file="timestamp.txt",
        )

    # Student ids: formulas, terminal escapes, newlines, non-UTF-8, too long. None becomes a path,
    # a CSV cell or a raw terminal line.
    for raw in (
        '=HYPERLINK("https:evil","x")',
        "+cmd|'calc'!A0",
        "@SUM(1+1)",
        "-2+3",
        "\x1b]0;owned\x07\x1b[2J",
        "evil\nname",
        "x" * 200,
        "\u202eevil",
    ):
        simple(
            raw,
            f"a student folder named {raw[:30]!r}",
            "refused",
            handed_in(raw, {"forget_gate.ipynb": right_bytes}),
            reason="not a student id",
            file=raw,
        )
    simple(
        os.fsdecode(b"bad\xff"),
        "a student folder whose name is not UTF-8",
        "refused",
        handed_in(os.fsdecode(b"bad\xff"), {"forget_gate.ipynb": right_bytes}),
        reason="not a student id",
        file="bad",
    )
    simple(
        "escaped_file",
        "the only notebook's name holds terminal escapes",
        "rejected",
        handed_in("escaped_file", {"\x1b[2J\x1b]0;owned\x07.ipynb": right_bytes}),
        reason="no notebook",
        file="forget_gate.ipynb",
    )

    # The notebook's JSON.
    deep = right_bytes.replace(b'"metadata": {', b'"metadata": {"deep": ' + nested(100_000).encode() + b", ", 1)
    simple(
        "nested_json",
        "a notebook nested 100,000 levels deep",
        "rejected",
        handed_in("nested_json", {"forget_gate.ipynb": deep}),
        reason="nested",
        file="forget_gate.ipynb",
    )

    def huge_notebook(inbox):
        with open(folder_of(inbox, "huge_notebook") / "forget_gate.ipynb", "wb") as f:
            f.write(right_bytes[:-2] + b', "padding": "')
            for _ in range(200):
                f.write(b"x" * 2**20)
            f.write(b'"}\n')

    simple("huge_notebook", "a 200 MB notebook", "rejected", huge_notebook, reason="MB", file="forget_gate.ipynb")
    many = json.loads(blank)
    many["cells"] = [{"cell_type": "raw", "metadata": {}, "source": ""}] * 300_000
    simple(
        "many_cells",
        "a notebook of 300,000 cells",
        "rejected",
        handed_in("many_cells", {"forget_gate.ipynb": json.dumps(many).encode()}),
        reason="cells",
        file="forget_gate.ipynb",
    )
    string_format = json.loads(right_bytes)
    string_format["nbformat"] = "4"
    simple(
        "nbformat_text",
        "nbformat given as text",
        "rejected",
        handed_in("nbformat_text", {"forget_gate.ipynb": json.dumps(string_format).encode()}),
        reason="nbformat",
        file="forget_gate.ipynb",
    )
    odd_id = json.loads(right_bytes)
    for cell in odd_id["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "forget_gate":
            cell["metadata"]["nbgrader"]["grade_id"] = {"not": "a string"}
    simple(
        "grade_id_dict",
        "the forget_gate answer's grade_id is a dict",
        "graded",
        handed_in("grade_id_dict", {"forget_gate.ipynb": json.dumps(odd_id).encode()}),
        zero=FORGET_GATE,
    )
    simple(
        "parser_bomb",
        "an added cell of 200,000 unary minus signs (ast.parse: MemoryError)",
        "graded",
        handed_in(
            "parser_bomb",
            {"forget_gate.ipynb": notebook_bytes(with_added_cell(right, "setup", "x = " + "-" * 200_000 + "1"))},
        ),
    )
    simple(
        "long_answer",
        "an added cell of 200 kB of code (the grader's parser takes 100 MB a 200 kB)",
        "graded",
        handed_in(
            "long_answer",
            {"forget_gate.ipynb": notebook_bytes(with_added_cell(right, "setup", "x = [" + "1," * 100_000 + "]"))},
        ),
    )

    # Handed-in files: bptt's model.
    members = npz_members(model)

    def model_with(replaced):
        rows = []
        for name, data in members.items():
            method, crc, size, payload = replaced.get(name, (0, zlib.crc32(data), len(data), data))
            rows.append((name, method, crc, size, payload))
        return raw_zip(rows)

    simple(
        "model_2_40",
        "a model whose W_f header declares 2**40 floats",
        "rejected",
        bptt(
            "model_2_40",
            model_with(
                {
                    "W_f.npy": (
                        0,
                        zlib.crc32(npy_header((2**20, 2**20))),
                        len(npy_header((2**20, 2**20))),
                        npy_header((2**20, 2**20)),
                    )
                }
            ),
        ),
        reason="declares",
        file=MODEL,
        assignment_id=BPTT,
    )
    simple(
        "model_bzip2",
        "a model whose W_f member is 785 bytes of bzip2 that unpack to 1 GiB",
        "rejected",
        bptt("model_bzip2", model_with({"W_f.npy": (12, 0, 20_000, BZIP2_GIGABYTE)})),
        reason="bzip2",
        file=MODEL,
        assignment_id=BPTT,
    )
    header = npy_header((2**24,))
    zeros, zeros_crc = deflated_zeros(2**27, header)
    simple(
        "model_deflate",
        "a model whose W_f member deflates 128 MB of zeros into 130 kB",
        "rejected",
        bptt("model_deflate", model_with({"W_f.npy": (8, zeros_crc, len(header) + 2**27, zeros)})),
        reason="unpack",
        file=MODEL,
        assignment_id=BPTT,
    )

    def larger_than_scratch(inbox):
        folder = folder_of(inbox, "model_huge", BPTT)
        (folder / "bptt.ipynb").write_bytes(bptt_right)
        with open(folder / MODEL, "wb") as f:
            f.write(model)
            f.truncate(150 * 2**20)  # sparse: costs the test no disk

    simple(
        "model_huge",
        "a 150 MB model: larger than a kernel's 100 MB scratch",
        "rejected",
        larger_than_scratch,
        reason="MB",
        file=MODEL,
        assignment_id=BPTT,
    )

    # Records the kernel sends the grader (the student's code writes them itself).
    simple(
        "record_digits",
        "records holding a 400-digit integer",
        "graded",
        handed_in(
            "record_digits",
            {
                "forget_gate.ipynb": notebook_bytes(
                    samples.set_cell(
                        right, "forget_gate", forging('{"kind": "array", "shape": [3], "values": [' + "9" * 400 + "]}")
                    )
                )
            },
        ),
        zero=FORGET_GATE,
    )
    simple(
        "record_shape",
        "records with an infinite shape",
        "graded",
        handed_in(
            "record_shape",
            {
                "forget_gate.ipynb": notebook_bytes(
                    samples.set_cell(
                        right, "forget_gate", forging('{"kind": "array", "shape": [Infinity], "values": []}')
                    )
                )
            },
        ),
        zero=FORGET_GATE,
    )
    simple(
        "record_nested",
        "records nested 450 tuples deep",
        "graded",
        handed_in(
            "record_nested",
            {
                "forget_gate.ipynb": notebook_bytes(
                    samples.set_cell(
                        right,
                        "forget_gate",
                        forging('{"kind": "tuple", "items": [' * 450 + '{"kind": "none"}' + "]}" * 450),
                    )
                )
            },
        ),
        zero=FORGET_GATE,
    )
    simple(
        "record_flood",
        "an added cell that writes 8 million empty records",
        "graded",
        handed_in(
            "record_flood",
            {
                "forget_gate.ipynb": notebook_bytes(
                    with_added_cell(
                        right,
                        "setup",
                        "import os\nwith open(os.environ['LSTM_COURSE_RECORDS'], 'a') as f:\n"
                        "    for _ in range(200):\n        f.write('{}\\n' * 40_000)\n",
                    )
                )
            },
        ),
        reason="records",
    )
    return found


def submitted_cases(world):
    """Folders put straight into the course's submitted/ (as `nbgrader collect` does): the
    grader reads them as hostile too."""
    right_bytes = notebook_bytes(samples.solved(FORGET_GATE_ID, world.release))
    solution = REPOSITORY / "assignments" / FORGET_GATE_ID / f"{FORGET_GATE_ID}.ipynb"
    submitted = world.course_root / "submitted"

    def put(student, files, links=None):
        def write(_inbox):
            folder = submitted / student / FORGET_GATE_ID
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (folder / name).write_bytes(data)
            for name, target in (links or {}).items():
                (folder / name).symlink_to(target)

        return write

    return [
        Case(
            "collected_right",
            "every answer right, as nbgrader's collect leaves it",
            put(
                "collected_right",
                {
                    "forget_gate.ipynb": right_bytes,
                    "timestamp.txt": b"2026-03-01 12:00:00.000000 UTC",
                    "submission_secret.txt": b"a-secret",
                },
            ),
            "graded",
        ),
        Case(
            "collected_nines",
            "timestamp.txt of 20 nines, in submitted/",
            put("collected_nines", {"forget_gate.ipynb": right_bytes, "timestamp.txt": b"9" * 20}),
            "rejected",
            reason="timestamp.txt",
            file="timestamp.txt",
        ),
        Case(
            "collected_link",
            "the notebook in submitted/ is a link to the solution",
            put("collected_link", {}, {"forget_gate.ipynb": solution}),
            "rejected",
            reason="link",
            file="forget_gate.ipynb",
        ),
        Case(
            "=1+1",
            "a folder in submitted/ named =1+1",
            put("=1+1", {"forget_gate.ipynb": right_bytes}),
            "refused",
            reason="not a student id",
            file="=1+1",
        ),
    ]


def host_files(world):
    """The instructor's files a student must never reach: each holds TOKEN."""
    world.host.mkdir(parents=True, exist_ok=True)
    world.secret.write_text(f"instructor's secret {TOKEN}\n")
    answers = nbformat.read(REPOSITORY / "assignments" / FORGET_GATE_ID / f"{FORGET_GATE_ID}.ipynb", as_version=4)
    answers.metadata["leak"] = TOKEN
    nbformat.write(answers, world.host / "answers.ipynb")
    model = dict(np.load(io.BytesIO(samples.solution_files(BPTT)[MODEL])))
    buffer = io.BytesIO()
    np.savez(buffer, **model, leak=np.frombuffer(TOKEN.encode(), dtype=np.uint8))
    world.instructors_model.write_bytes(buffer.getvalue())
    (world.host / "elsewhere.zip").write_bytes(
        zip_of(io.BytesIO(), {"archive_link/forget_gate/forget_gate.ipynb": TOKEN.encode()}).getvalue()
    )
