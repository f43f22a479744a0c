"""Each parser of the grader's intake (autograder/intake) on hostile input, one by one, and a fuzz
test per parser: whatever it is given, it returns a value of its declared shape or raises
Rejected, nothing else. (The whole class, graded by the command line, is test_inbox_class.py.)
"""

import datetime
import functools
import io
import json
import math
import os
import re
import resource
import subprocess
import sys
import types
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder import intake, report, samples, verify
from autograder.intake import archives, inbox, models, names, notebooks, records
from autograder.parallel import Progress
from hostile import inbox as hostile
from student_kit.values import from_plain, plain

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# -- ids, names, terminal, CSV ----------------------------------------------------------------------
@pytest.mark.parametrize("honest", ["s123", "jane.doe", "jane_doe@uni.edu", "A-1", "x" * 64])
def test_the_ids_exchanges_and_lmss_use_are_student_ids(honest):
    assert intake.student_id(honest) == honest


@pytest.mark.parametrize(
    "hostile_id",
    [
        '=HYPERLINK("x")',
        "+cmd",
        "@SUM(1)",
        "-2+3",
        "..",
        ".",
        "",
        "a/b",
        "\x1b[2J",
        "evil\nname",
        "x" * 65,
        "\u202eevil",
        "bad\udcff",
        ".hidden",
        "tab\there",
        None,
        5,
    ],
)
def test_anything_else_is_no_student_id(hostile_id):
    with pytest.raises(intake.Rejected, match="not a student id"):
        intake.student_id(hostile_id)


def test_text_a_student_controls_reaches_a_terminal_as_one_line_of_plain_characters():
    for text in ("\x1b]0;owned\x07\x1b[2J", "a\nb\rc", "\u202eevil", os.fsdecode(b"bad\xff"), "\x9b31m", "x" * 500):
        line = intake.shown(text)
        assert not CONTROL.search(line) and len(line) <= names.SHOWN + 3, repr(line)


def test_no_formula_reaches_a_csv_cell(tmp_path):
    rows = [
        {"student": student, "assignment": "forget_gate", "score": 1.0, "max_score": 12, "=q": "-1"}
        for student in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx", "\rx", "fine")
    ]
    path = report.write_csv(rows, tmp_path / "grades.csv")
    cells = [cell for line in path.read_text().splitlines()[1:] for cell in line.split(",")]
    assert cells and not [cell for cell in cells if cell[:1] in names.FORMULA_STARTS], cells
    assert "'=1+1" in path.read_text() and "fine" in path.read_text()


def test_no_escape_reaches_the_tables_or_the_progress_bar():
    rows = [{"student": "\x1b]0;owned\x07", "assignment": "forget_gate", "score": 1.0, "max_score": 12}]
    assert "\x1b" not in report.table(rows)
    stream = io.StringIO()
    Progress(1, "1 worker", stream).step("\x1b[2J\x1b]0;owned\x07/forget_gate")
    assert "\x1b" not in stream.getvalue() and "\x07" not in stream.getvalue()


@FUZZ
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_fuzz_names(text):
    for parse in (intake.student_id, intake.file_name):
        try:
            assert parse(text) == text and isinstance(text, str) and not CONTROL.search(text)
        except intake.Rejected as rejected:
            assert not CONTROL.search(str(rejected))
    line = intake.shown(text)
    assert isinstance(line, str) and not CONTROL.search(line) and len(line) <= names.SHOWN + 3


# -- timestamp.txt -------------------------------------------------------------------------------------
def test_nbgraders_timestamps_read_as_nbgrader_reads_them():
    from nbgrader.utils import parse_utc

    for text in ("2026-03-01 12:00:00.123456 UTC", "2026-03-01 12:00:00 CET", "2026-03-01T12:00:00Z", "2026-03-01"):
        assert intake.timestamp(text.encode()) == parse_utc(text)
    assert intake.timestamp(b"") is None and intake.timestamp(b"  \n") is None


@pytest.mark.parametrize(
    "data",
    [
        b"9" * 20,
        b"yesterday",
        "2026-03-01 \x00\xff".encode("latin-1"),
        b"\xff\xfe",
        b"2026-03-01 12:00:00 " + b" " * 2000,
        b"2026-03-01 12:00:00 /dev/stdin",
        b"2026-03-01 12:00:00 ../../../../etc/passwd",
        b"0001-01-01 00:00:00 +0100",
        b"2026-02-30 12:00:00",
        b"2026-03-01 12:00:00 Europe/../../../dev/zero",
    ],
)
def test_a_timestamp_nbgrader_cannot_read_is_rejected_naming_the_file(data):
    with pytest.raises(intake.Rejected, match="timestamp.txt"):
        intake.timestamp(data)


@FUZZ
@given(st.binary(max_size=80) | st.text(alphabet="0123456789-: .TZ+UTCES/", max_size=40).map(str.encode))
def test_fuzz_timestamp(data):
    try:
        when = intake.timestamp(data)
    except intake.Rejected as rejected:
        assert "timestamp.txt" in str(rejected)
        return
    assert when is None or (isinstance(when, datetime.datetime) and when.tzinfo is None)


# -- the notebook's JSON --------------------------------------------------------------------------------
@functools.cache
def right_notebook():
    return hostile.notebook_bytes(samples.solved("forget_gate"))


def assert_declared_shape(notebook):
    assert notebook.nbformat == 4 and len(notebook.cells) <= notebooks.NOTEBOOK_CELLS
    for cell in notebook.cells:
        assert cell.cell_type in ("code", "markdown", "raw") and isinstance(cell.source, str)
        assert set(cell.metadata) <= {"nbgrader"}
        if cell.metadata:
            assert set(cell.metadata.nbgrader) == {"grade_id"} and isinstance(cell.metadata.nbgrader.grade_id, str)


def test_a_right_notebook_keeps_every_answer_and_id():
    parsed = intake.notebook(right_notebook(), "forget_gate.ipynb")
    original = samples.solved("forget_gate")
    assert [(c.cell_type, c.source, verify.grade_id(c)) for c in parsed.cells] == [
        (c.cell_type, c.source, verify.grade_id(c)) for c in original.cells
    ]
    assert_declared_shape(parsed)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (b'{"nbformat": 4, "cells": [], "x": ' + b"[" * 200 + b"]" * 200 + b"}", "nested"),
        (b'{"nbformat": "4", "cells": []}', "nbformat"),
        (b'{"nbformat": true, "cells": []}', "nbformat"),
        (b'{"nbformat": 5, "cells": []}', "nbformat 5"),
        (b'{"nbformat": 4, "cells": {}}', "damaged"),
        (b'{"nbformat": 4, "cells": [1]}', "damaged"),
        (b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": [1]}]}', "damaged"),
        (json.dumps({"nbformat": 4, "cells": [{"cell_type": "raw", "source": ""}] * 2001}).encode(), "cells"),
        (b"{" + b" " * (notebooks.NOTEBOOK_BYTES + 1) + b"}", "MB"),
    ],
)
def test_a_notebook_the_grader_cannot_read_is_rejected_with_the_reason(data, words):
    with pytest.raises(intake.Rejected, match=words) as rejected:
        intake.notebook(data, "forget_gate.ipynb")
    assert "forget_gate.ipynb" in str(rejected.value)


def test_odd_metadata_costs_the_cell_its_id_not_the_grader():
    raw = json.loads(right_notebook())
    raw["cells"][0]["metadata"] = {"nbgrader": {"grade_id": {"a": 1}}}
    raw["cells"][1]["metadata"] = {"nbgrader": ["not", "a", "dict"]}
    raw["cells"][2]["metadata"] = "text"
    raw["cells"][3]["cell_type"] = "widget"
    parsed = intake.notebook(json.dumps(raw).encode(), "forget_gate.ipynb")
    assert_declared_shape(parsed)
    assert [verify.grade_id(c) for c in parsed.cells[:3]] == [None, None, None] and parsed.cells[3].cell_type == "raw"


def json_values():
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
        max_leaves=30,
    )


@FUZZ
@given(st.data())
def test_fuzz_notebook(data):
    base = json.loads(right_notebook())
    choice = data.draw(st.integers(0, 3))
    if choice == 0:
        blob = data.draw(st.binary(max_size=300))
    elif choice == 1:
        blob = json.dumps(data.draw(json_values())).encode()
    else:  # a real notebook with one field replaced by anything
        cell = data.draw(st.integers(0, len(base["cells"]) - 1))
        key = data.draw(st.sampled_from(["cell_type", "source", "metadata", "outputs", "id"]))
        target = base if choice == 3 else base["cells"][cell]
        target[data.draw(st.sampled_from(["nbformat", "cells", "metadata"])) if choice == 3 else key] = data.draw(
            json_values()
        )
        blob = json.dumps(base).encode()
    try:
        parsed = intake.notebook(blob, "forget_gate.ipynb")
    except intake.Rejected as rejected:
        assert "forget_gate.ipynb" in str(rejected) or "nbformat" in str(rejected)
        return
    assert_declared_shape(parsed)


# -- records and outputs from the kernel -----------------------------------------------------------------
def kit_line(received=None, raised=None):
    entry = {"kind": "random", "exercise": "forget_gate", "key": 20, "trial": 0}
    if raised is not None:
        entry["raised"] = raised
    else:
        entry["received"] = plain(received)
    return json.dumps(entry).encode()


def test_what_the_kit_records_arrives_as_it_was_sent():
    for value in (np.array([0.1, -2.5, np.nan]), (np.eye(2), np.zeros((0, 3))), None, "text", np.float64(3.0)):
        record = intake.record(kit_line(value))
        assert record is not None
        rebuilt, sent = from_plain(record["received"]), value
        assert repr(rebuilt) == repr(from_plain(plain(sent)))
    raised = intake.record(kit_line(raised={"type": "ValueError", "message": "shapes (3,) and (4,)"}))
    assert raised["raised"] == {"type": "ValueError", "message": "shapes (3,) and (4,)"}


HEAD = b'{"kind": "random", "exercise": "forget_gate", "key": 20, "trial": 0, "received": '


@pytest.mark.parametrize(
    "line",
    [
        HEAD + b'{"kind": "array", "shape": [1], "values": [' + b"9" * 400 + b"]}}",
        HEAD + b'{"kind": "array", "shape": [Infinity], "values": []}}',
        HEAD + b'{"kind": "array", "shape": [1000000000000000000000, 0], "values": []}}',
        HEAD + b'{"kind": "array", "shape": [2], "values": [1.0, true]}}',
        HEAD + b'{"kind": "tuple", "items": [' * 30 + b'{"kind": "none"}' + b"]}" * 30 + b"}",
        b'{"kind": "random", "exercise": "forget_gate", "key": 20, "trial": 1e999, "received": {"kind": "none"}}',
        b'{"kind": "random", "exercise": ["x"], "key": 20, "trial": 0, "received": {"kind": "none"}}',
        b'{"kind": "random", "exercise": "forget_gate", "key": 20, "trial": 0, "raised": {"type": [[[]]]}}',
        b"[" * 100_000 + b"]" * 100_000,
        b"{}",
        b"\xff",
        b"",
    ],
)
def test_a_record_the_grader_cannot_read_is_dropped(line):
    assert intake.record(line) is None


def assert_record_shape(record):
    assert set(record) in (
        {"kind", "exercise", "key", "trial", "received"},
        {"kind", "exercise", "key", "trial", "raised"},
    )
    assert record["kind"] in records.RECORD_KINDS and isinstance(record["exercise"], str)
    assert isinstance(record["trial"], int) and 0 <= record["trial"] < records.RECORD_TRIALS
    if "raised" in record:
        assert all(isinstance(record["raised"][k], str) for k in ("type", "message"))
        return
    total, todo = 0, [(record["received"], 0)]
    while todo:
        value, level = todo.pop()
        assert level <= records.RECORD_DEPTH
        if value["kind"] == "tuple":
            todo += [(item, level + 1) for item in value["items"]]
        elif value["kind"] == "array":
            assert value["values"].dtype == np.float64 and value["values"].size == math.prod(value["shape"])
            total += value["values"].size
        else:
            assert value["kind"] in ("none", "unreadable")
    assert total <= records.RECORD_VALUES
    from_plain(record["received"])  # and the grader's reader takes it


@FUZZ
@given(st.data())
def test_fuzz_record(data):
    choice = data.draw(st.integers(0, 2))
    if choice == 0:
        line = data.draw(st.binary(max_size=200))
    else:
        entry = json.loads(kit_line(np.arange(3.0)))
        if choice == 1:
            entry[data.draw(st.sampled_from(["kind", "exercise", "key", "trial", "received", "raised"]))] = data.draw(
                json_values()
            )
        else:
            entry["received"] = data.draw(
                st.recursive(
                    st.builds(
                        lambda shape, values: {"kind": "array", "shape": shape, "values": values},
                        st.lists(st.integers(-2, 3) | st.floats(), max_size=3),
                        st.lists(st.floats() | st.integers(), max_size=6),
                    )
                    | st.just({"kind": "none"})
                    | json_values(),
                    lambda inner: st.builds(
                        lambda items: {"kind": "tuple", "items": items}, st.lists(inner, max_size=3)
                    ),
                    max_leaves=10,
                )
            )
        line = json.dumps(entry).encode()
    record = intake.record(line)
    if record is not None:
        assert_record_shape(record)


@FUZZ
@given(json_values())
def test_fuzz_output(value):
    for candidate in (
        value,
        {
            "output_type": "display_data",
            "data": {"text/plain": "x", "application/json": value},
            "metadata": {"x": value},
        },
        {"output_type": "error", "ename": "E", "evalue": value, "traceback": []},
    ):
        output = intake.output(candidate)
        if output is not None:
            assert output["output_type"] in ("stream", "display_data", "execute_result", "error")
            json.dumps(output)  # it can be written into the graded notebook


def test_an_output_nested_past_the_limit_is_dropped():
    for levels in (records.OUTPUT_DEPTH, 500):
        deep = json.loads("[" * levels + "]" * levels)
        assert (
            intake.output({"output_type": "display_data", "data": {"text/plain": "x"}, "metadata": {"m": deep}}) is None
        )
    fine = json.loads("[" * 10 + "]" * 10)
    assert intake.output({"output_type": "display_data", "data": {"text/plain": "x"}, "metadata": {"m": fine}})
    assert intake.output({"output_type": "stream", "name": "stdout", "text": "fine"})["text"] == "fine"


def test_the_graders_parser_of_answers_survives_what_a_student_writes():
    for source in (
        "x = " + "-" * 1_000_000 + "1",
        "x = [" + "1," * 500_000 + "]",
        "a\x00b",
        "(" * 300 + ")" * 300,
        "x=" + "1+" * 100_000 + "1",
    ):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert verify.advice(source) == []
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # kB
    assert verify.advice("import lstm_ref") != []


# -- archives ----------------------------------------------------------------------------------------------
def open_archive(path):
    return archives.Archive.open(intake.Folder.open(path.parent), path.name)


def test_members_that_leave_the_archive_are_named_never_read(tmp_path):
    hostile.zip_of(
        tmp_path / "a.zip",
        {
            "../up.txt": b"x",
            "/abs.txt": b"x",
            "s/forget_gate/../../x": b"x",
            "s\\..\\x": b"x",
            "s/forget_gate/forget_gate.ipynb": b"{}",
        },
    )
    with open_archive(tmp_path / "a.zip") as archive:
        assert sorted(archive.outside) == ["../up.txt", "/abs.txt", "s/forget_gate/../../x", "s\\..\\x"]
        assert [entry.parts for entry in archive.entries] == [("s", "forget_gate", "forget_gate.ipynb")]


@functools.cache
def hostile_members():
    """{what: ([(name, method, crc, declared size, payload)], words the rejection holds)}."""
    zeros, crc = hostile.deflated_zeros(3 * 2**20)
    return {
        "ratio": ([("s/f.ipynb", 8, crc, 3 * 2**20, zeros)], "100 times"),
        "bzip2": ([("s/f.ipynb", 12, 0, 10, hostile.BZIP2_GIGABYTE)], "bzip2"),
        "lzma": ([("s/f.ipynb", 14, 0, 10, b"x" * 10)], "LZMA"),
        "lies about its size": ([("s/f.ipynb", 0, zlib.crc32(b"x" * 100), 10, b"x" * 100)], "damaged"),
        "declares 4 GB": ([("s/f.ipynb", 0, 0, 2**32 - 1, b"")], "unpacks to 4 GB"),
    }


@pytest.mark.parametrize("what", ["ratio", "bzip2", "lzma", "lies about its size", "declares 4 GB"])
def test_a_member_is_read_within_limits_or_rejected(tmp_path, what):
    members, words = hostile_members()[what]
    (tmp_path / "a.zip").write_bytes(hostile.raw_zip(members))
    with open_archive(tmp_path / "a.zip") as archive, pytest.raises(intake.Rejected, match=words):
        archive.read(archive.entries[0], notebooks.NOTEBOOK_BYTES)


def test_too_many_entries_are_refused_before_zipfile_reads_them(tmp_path):
    (tmp_path / "many.zip").write_bytes(
        hostile.raw_zip([(f"s/forget_gate/{n}", 0, 0, 0, b"") for n in range(archives.ARCHIVE_ENTRIES + 1)])
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(intake.Rejected, match="entries"):
        open_archive(tmp_path / "many.zip")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024


@FUZZ
@given(st.data())
def test_fuzz_archive(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    if data.draw(st.booleans()):
        blob = data.draw(st.binary(max_size=400))
    else:
        members = data.draw(
            st.lists(
                st.tuples(
                    st.text(max_size=30),
                    st.sampled_from([0, 8, 12, 14, 99]),
                    st.integers(0, 2**32 - 1),
                    st.integers(0, 2**32 - 1),
                    st.binary(max_size=50),
                ),
                max_size=5,
            )
        )
        blob = hostile.raw_zip(members)
        if data.draw(st.booleans()):  # damage it anywhere
            at = data.draw(st.integers(0, max(len(blob) - 1, 0)))
            blob = blob[:at] + data.draw(st.binary(max_size=8)) + blob[at + 8 :]
    (folder / "a.zip").write_bytes(blob)
    try:
        archive = open_archive(folder / "a.zip")
    except intake.Rejected:
        return
    with archive:
        for entry in archive.entries:
            assert all(part not in ("", ".", "..") and "/" not in part and "\\" not in part for part in entry.parts)
            try:
                assert len(archive.read(entry, 4096)) <= 4096
            except intake.Rejected:
                pass


# -- the inbox walk and the course folder ------------------------------------------------------------------------
def test_the_walk_follows_no_link_and_reads_no_pipe(tmp_path):
    secret = tmp_path / "host" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(hostile.TOKEN)
    box = tmp_path / "inbox"
    honest = hostile.folder_of(box, "honest")
    (honest / "forget_gate.ipynb").write_text("{}")
    (box / "linked").symlink_to(secret.parent)
    hostile.folder_of(box, "file_link")
    (box / "file_link" / "forget_gate" / "forget_gate.ipynb").symlink_to(secret)
    (box / "folder_link").mkdir()
    (box / "folder_link" / "forget_gate").symlink_to(secret.parent)
    os.mkfifo(hostile.folder_of(box, "pipe") / "forget_gate.ipynb")
    os.link(secret, hostile.folder_of(box, "hard") / "forget_gate.ipynb")
    found = list(inbox.walk(box, {"forget_gate": ()}))
    handed = {item.student: item for item in found if isinstance(item, inbox.Handed)}
    refused = {item.student: item.reason for item in found if isinstance(item, inbox.Refused)}
    assert list(handed) == ["honest"] and handed["honest"].files == {"forget_gate.ipynb": b"{}"}
    assert "symbolic link" in refused["file_link"] and "symbolic link" in refused["folder_link"]
    assert "not a regular file" in refused["pipe"] and "hard link" in refused["hard"]
    assert any(
        item.where == "linked" and "symbolic link" in item.reason for item in found if isinstance(item, inbox.Skipped)
    )
    assert hostile.TOKEN not in repr(found)


def test_the_grader_writes_and_removes_only_inside_the_course_folder(tmp_path):
    course, outside = tmp_path / "course", tmp_path / "outside"
    (course / "submitted").mkdir(parents=True)
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    (course / "submitted" / "mallory").symlink_to(outside)
    for parts in (
        ("submitted", ".."),
        ("submitted", "..", ".."),
        ("/etc",),
        ("submitted", "a/b"),
        ("submitted", ""),
        ("submitted", "mallory", "forget_gate"),
        ("submitted", "mallory"),
    ):
        with pytest.raises(intake.Rejected):
            intake.fresh_folder(course, *parts)
        with pytest.raises(intake.Rejected):
            intake.remove_folder(course, *parts)
    assert (outside / "keep.txt").read_text() == "keep" and course.is_dir()
    made = intake.fresh_folder(course, "submitted", "jane", "forget_gate")
    intake.write_new(made, "forget_gate.ipynb", b"{}")
    (made / "link").symlink_to(outside / "keep.txt")
    with pytest.raises(FileExistsError):
        intake.write_new(made, "link", b"overwritten")
    assert (outside / "keep.txt").read_text() == "keep"


# -- handed-in models, measured in a limited child -------------------------------------------------------------
def model_grader():
    from autograder.saved_models import grade_agreement_lstm

    return grade_agreement_lstm


def test_the_right_model_is_measured_in_the_child(tmp_path):
    (tmp_path / hostile.MODEL).write_bytes(samples.solution_files("bptt")[hostile.MODEL])
    passed, message = intake.measure(model_grader(), tmp_path, hostile.MODEL)
    assert passed and "passes" in message


def model_with(replaced):
    rows = []
    for name, data in hostile.npz_members(samples.solution_files("bptt")[hostile.MODEL]).items():
        rows.append((name, *replaced.get(name, (0, zlib.crc32(data), len(data), data))))
    return hostile.raw_zip(rows)


@functools.cache
def hostile_models():
    """{what: (the .npz's bytes, words the rejection holds)}."""
    header = hostile.npy_header((2**20, 2**20))
    zeros, crc = hostile.deflated_zeros(2**25)
    return {
        "bzip2 member": (model_with({"W_f.npy": (12, 0, 20_000, hostile.BZIP2_GIGABYTE)}), "bzip2"),
        "header of 2**40 floats": (model_with({"W_f.npy": (0, zlib.crc32(header), len(header), header)}), "declares"),
        "deflate bomb": (model_with({"W_f.npy": (8, crc, 2**25, zeros)}), "unpacks"),
        "too many members": (
            hostile.raw_zip([(f"a{n}.npy", 0, 0, 0, b"") for n in range(models.NPZ_MEMBERS + 1)]),
            "members",
        ),
    }


@pytest.mark.parametrize("what", ["bzip2 member", "header of 2**40 floats", "deflate bomb", "too many members"])
def test_a_model_the_grader_cannot_read_within_limits_is_rejected(tmp_path, what):
    data, words = hostile_models()[what]
    (tmp_path / hostile.MODEL).write_bytes(data)
    # In a process of its own: RUSAGE_CHILDREN here would hold every child this test worker ever
    # waited for (a VM of 4 GB, a training run), not only the reader's.
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE_IN_A_FRESH_PROCESS, str(tmp_path), hostile.MODEL],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    rejected, grew, child = json.loads(measured.stdout.splitlines()[-1])
    assert rejected and re.search(words, rejected), measured.stdout + measured.stderr
    assert grew < 50 * 1024, "the grader's own memory grew"
    assert child < models.LIMITS.address_space // 1024, "the reader went past its address space"


MEASURE_IN_A_FRESH_PROCESS = """
import json, resource, sys
from pathlib import Path
from autograder import intake
from autograder.saved_models import grade_agreement_lstm
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    intake.measure(grade_agreement_lstm, Path(sys.argv[1]), sys.argv[2])
    rejected = None
except intake.Rejected as error:
    rejected = str(error)
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps([rejected, grew, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def test_a_model_that_takes_too_long_is_rejected_not_waited_for(tmp_path):
    """The child's CPU and wall-clock limits stop a measurement that runs past them. The largest
    model the course accepts takes about 1 s of CPU here, less on a faster CPU: the graders that
    run past the limits are tests.hostile.slow_graders', whose cost is the same on any CPU."""
    n = 256
    rng = np.random.default_rng(0)
    from student_kit.agreement import VOCABULARY

    params = {f"W_{g}": rng.normal(size=(n, n + len(VOCABULARY))) for g in ("f", "i", "c", "o")}
    params |= {f"b_{g}": rng.normal(size=n) for g in ("f", "i", "c", "o")} | {
        "W_y": rng.normal(size=(1, n)),
        "b_y": np.zeros(1),
    }
    buffer = io.BytesIO()
    np.savez(buffer, **params)
    (tmp_path / hostile.MODEL).write_bytes(buffer.getvalue())
    for grader, limits, words in (
        ("spin", models.Limits(cpu_seconds=1), "limits"),
        ("sleep", models.Limits(wall_seconds=2), "took more than 2 s"),
    ):
        named = types.SimpleNamespace(__module__="tests.hostile.slow_graders", __qualname__=grader)
        with pytest.raises(intake.Rejected, match=words):  # stopped, not waited for (the sleep is an hour)
            intake.measure(named, tmp_path, hostile.MODEL, limits)


def test_a_linked_model_is_never_read(tmp_path):
    secret = tmp_path / "instructors.npz"
    secret.write_bytes(samples.solution_files("bptt")[hostile.MODEL])
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / hostile.MODEL).symlink_to(secret)
    with pytest.raises(intake.Rejected, match="symbolic link"):
        intake.measure(model_grader(), tmp_path / "submission", hostile.MODEL)


@FUZZ
@given(st.data())
def test_fuzz_npz(data):
    members = hostile.npz_members(samples.solution_files("bptt")[hostile.MODEL])
    if data.draw(st.booleans()):
        blob = data.draw(st.binary(max_size=300))
    else:
        name = data.draw(st.sampled_from(sorted(members)))
        shape = data.draw(st.lists(st.integers(0, 2**40), max_size=3))
        header = hostile.npy_header(shape, data.draw(st.sampled_from(["<f8", "<f4", "|O", "<c16", "V8"])))
        payload = header + data.draw(st.binary(max_size=64))
        method = data.draw(st.sampled_from([0, 8]))
        if method == 8:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = packer.compress(payload) + packer.flush()
        else:
            packed = payload
        rows = [(other, 0, zlib.crc32(value), len(value), value) for other, value in members.items() if other != name]
        blob = hostile.raw_zip(rows + [(name, method, zlib.crc32(payload), len(payload), packed)])
    try:
        models.check_npz(blob, hostile.MODEL)
    except intake.Rejected as rejected:
        assert hostile.MODEL in str(rejected)


def inbox_trees():
    """Random inboxes: folders, files, links (to a secret file or folder), pipes and zips, with
    names a student could choose."""
    names = st.sampled_from(
        [
            "jane",
            "s1",
            "forget_gate",
            "bptt",
            "forget_gate.ipynb",
            "timestamp.txt",
            hostile.MODEL,
            "=x",
            "\x1b[2J",
            "a b",
            "jane.zip",
            "forget_gate.zip",
            "x.ipynb",
        ]
    ) | st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0"), min_size=1, max_size=12
    ).filter(lambda name: name not in (".", ".."))
    leaves = (
        st.tuples(st.just("file"), st.binary(max_size=40))
        | st.tuples(st.just("link"), st.sampled_from(["secret.txt", "secret-folder"]))
        | st.tuples(st.just("fifo"))
        | st.tuples(st.just("zip"), st.dictionaries(st.text(max_size=30), st.binary(max_size=20), max_size=4))
    )
    return st.recursive(
        leaves, lambda inner: st.tuples(st.just("folder"), st.dictionaries(names, inner, max_size=4)), max_leaves=12
    ).filter(lambda tree: tree[0] == "folder")


def build(where, tree, host):
    kind, content = tree[0], tree[1] if len(tree) > 1 else None
    if kind == "folder":
        where.mkdir()
        for name, child in content.items():
            build(where / name, child, host)
    elif kind == "file":
        where.write_bytes(content)
    elif kind == "link":
        where.symlink_to(host / content)
    elif kind == "fifo":
        os.mkfifo(where)
    else:
        hostile.zip_of(where, content)


@FUZZ
@given(inbox_trees())
def test_fuzz_inbox_walk(tmp_path_factory, tree):
    top = tmp_path_factory.mktemp("walk")
    host = top / "host"
    (host / "secret-folder").mkdir(parents=True)
    (host / "secret.txt").write_text(hostile.TOKEN)
    (host / "secret-folder" / "forget_gate.ipynb").write_text(hostile.TOKEN)
    try:
        build(top / "inbox", tree, host)
    except (OSError, UnicodeError, ValueError, IndexError):
        return  # a name this filesystem (or zipfile, writing it) does not take
    expected = {"forget_gate": (), "bptt": (hostile.MODEL,)}
    for item in inbox.walk(top / "inbox", expected):
        assert isinstance(item, (inbox.Handed, inbox.Refused, inbox.Skipped))
        assert not CONTROL.search(str(getattr(item, "reason", ""))) and not CONTROL.search(item.where)
        if isinstance(item, inbox.Skipped):
            continue
        assert names.STUDENT_ID.fullmatch(item.student) and item.assignment in expected
        if isinstance(item, inbox.Handed):
            for name, data in item.files.items():
                assert names.FILE_NAME.fullmatch(name) and inbox.wanted(name, expected[item.assignment])
                assert len(data) <= inbox.limit_of(name) and hostile.TOKEN.encode() not in data


# Paths a student could write in an archive: folders named after themselves, another student (in
# either case) or nothing in particular, then an assignment and a file; or anything, `..` included.
FOLDERS = ["mallory", "Mallory", "zed", "wrap", "forget_gate", "..", "", "=x"]


def archive_members():
    laid_out = st.tuples(
        st.lists(st.sampled_from(FOLDERS), max_size=2),
        st.sampled_from(["forget_gate", "bptt", "x"]),
        st.sampled_from(["forget_gate.ipynb", "bptt.ipynb", hostile.MODEL, "timestamp.txt", ".."]),
    ).map(lambda path: "/".join([*path[0], path[1], path[2]]))
    anything = st.lists(st.sampled_from(FOLDERS) | st.text(max_size=6), min_size=1, max_size=5).map("/".join)
    return st.dictionaries(laid_out | anything | st.text(max_size=30), st.binary(max_size=20), max_size=6)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["mallory.zip", "Mallory.zip", "zed.zip", "forget_gate.zip", "bptt.zip"]),
        archive_members(),
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_an_archive_speaks_only_for_whom_its_name_says(tmp_path_factory, zips):
    """Whatever its members, an archive named after a student hands in or refuses for that
    student alone; one named after an assignment, for student ids, of assignments of the course."""
    box = tmp_path_factory.mktemp("archives")
    try:
        for name, members in zips.items():
            hostile.zip_of(box / name, members)
    except (OSError, UnicodeError, ValueError, IndexError):
        return  # a name zipfile does not write
    expected = {"forget_gate": (), "bptt": (hostile.MODEL,)}
    for item in inbox.walk(box, expected):
        assert not CONTROL.search(str(getattr(item, "reason", ""))) and not CONTROL.search(item.where)
        if isinstance(item, inbox.Skipped):
            continue
        stem = item.where.split(":")[0].removesuffix(".zip")
        assert names.STUDENT_ID.fullmatch(item.student) and item.assignment in expected
        assert stem in expected or item.student == stem, item
