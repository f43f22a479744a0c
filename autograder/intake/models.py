"""A file a student hands in beside the notebook (bptt's trained model), measured in a child
process of its own with limits, never in the grader's worker.

    passed, message = measure(grade_agreement_lstm, folder, "agreement_lstm.npz")   # or Rejected

The grader reads the file (no link, at most HANDED_IN_BYTES) and hands its bytes to a fresh
Python (`python -m autograder.intake.models`) that first limits itself (address space, CPU
time, file size), then checks the .npz with limits of its own (check_npz: members, methods,
sizes counted as they unpack, the sizes each .npy header declares), and only then calls the
assignment's grader on a copy in a folder of its own. A file the child cannot read within
its limits, or in WALL_SECONDS, rejects the submission with the reason; a file it reads is
judged as the assignment says (a wrong model costs its cell, not the submission).
"""

import io
import json
import math
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from .files import megabytes, read_file
from .inbox import HANDED_IN_BYTES
from .names import shown
from .rejected import Rejected


@dataclass(frozen=True)
class Limits:
    # Measuring the largest model the course accepts (256 units) on 2,000 sentences takes 1 s of
    # CPU and 660 MB of address space here (16 units, the assignment's: 0.05 s and 180 MB).
    address_space: int = 2**30
    cpu_seconds: int = 10
    wall_seconds: float = 60  # CPU time above, plus Python's start and a busy machine
    file_bytes: int = 2 * HANDED_IN_BYTES  # the child writes one copy of the file


LIMITS = Limits()
# An .npz as np.savez writes it: one stored (or, np.savez_compressed, deflated) .npy per array.
# The course's model has 10 arrays; 2.7 MB of them for 256 units.
NPZ_MEMBERS = 64
NPZ_BYTES = HANDED_IN_BYTES  # every member unpacked, together
NPY_HEADER = 10_000  # numpy's own limit for a header it reads without allow_pickle
OUTPUT_BYTES = 64_000  # what the child may print: a verdict and its message


def measure(grader, folder, file_name, limits=LIMITS):
    """(passed, message) of grader(Path(file_name)) on the student's file, run in a limited child."""
    data = read_file(Path(folder) / file_name, HANDED_IN_BYTES)
    command = [
        sys.executable,
        "-s",
        "-m",
        "autograder.intake.models",
        f"{grader.__module__}:{grader.__qualname__}",
        file_name,
        json.dumps(asdict(limits)),
    ]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        # threads would multiply the address space and the CPU time the limits count
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        **{key: os.environ[key] for key in ("LD_LIBRARY_PATH",) if key in os.environ},
    }
    try:
        with tempfile.TemporaryDirectory(prefix="lstm-measure-") as scratch:
            done = subprocess.run(
                command, input=data, capture_output=True, timeout=limits.wall_seconds, env=environment, cwd=scratch
            )
    except subprocess.TimeoutExpired:
        raise Rejected(
            f"{shown(file_name)}: measuring it took more than {limits.wall_seconds:g} s: not graded; "
            "hand in the file the notebook's training cell saves"
        ) from None
    try:
        answer = json.loads(done.stdout[:OUTPUT_BYTES])
    except ValueError:
        answer = None
    if isinstance(answer, dict) and isinstance(answer.get("refused"), str):
        raise Rejected(answer["refused"][:2000])
    if isinstance(answer, dict) and isinstance(answer.get("verdict"), list) and len(answer["verdict"]) == 2:
        passed, message = answer["verdict"]
        return bool(passed), str(message)[:2000]
    if done.returncode < 0:  # killed: the CPU limit (SIGXCPU, then SIGKILL), or memory
        raise Rejected(
            f"{shown(file_name)}: measuring it passed the grader's limits ({limits.cpu_seconds} s of CPU, "
            f"{megabytes(limits.address_space)} of memory): not graded; hand in the file the notebook's "
            "training cell saves"
        )
    raise RuntimeError(
        f"measuring {file_name} failed (exit {done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}"
    )


def check_npz(data, file_name):
    """Rejected unless `data` is an .npz the grader can open within its limits. A file that is not
    a zip at all passes: the assignment's grader says what is wrong with it, as with any wrong file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return
    if len(members) > NPZ_MEMBERS:
        raise Rejected(
            f"{shown(file_name)} holds {len(members)} members, more than a model has ({NPZ_MEMBERS}): "
            "not read; save it with np.savez"
        )
    room = NPZ_BYTES
    for info in members:
        where = f"{shown(file_name)}'s {shown(info.filename, 40)}"
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            method = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}.get(info.compress_type, "an unknown method")
            raise Rejected(
                f"{where} is compressed with {method}, which np.savez never writes: not read; "
                "save the model with np.savez"
            )
        if info.file_size > room:
            raise Rejected(
                f"{where} unpacks to {megabytes(info.file_size)} (as the file says), more than a model of "
                f"the course needs ({megabytes(NPZ_BYTES)} in all): not read"
            )
        try:
            with archive.open(info) as stream:
                head = stream.read(NPY_HEADER + 128)
                size = len(head) + _drain(stream, room - len(head) + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise Rejected(
                f"{where} is damaged ({shown(error, 60)}): not read; save the model again with np.savez"
            ) from None
        if size > room:
            raise Rejected(f"{where} unpacks to more than {megabytes(NPZ_BYTES)} (the file says less): not read")
        room -= size
        declared = _declared_bytes(head)
        if declared is not None and declared > NPZ_BYTES:
            count = declared // 8
            raise Rejected(
                f"{where} declares an array of {megabytes(declared)} (about 2**{math.log2(max(count, 1)):.0f} "
                f"numbers), more than a model of the course has: not read"
            )


def _drain(stream, limit):
    """Read and count what is left of a stream, stopping once past `limit`."""
    size = 0
    while size <= limit:
        chunk = stream.read(1 << 16)
        if not chunk:
            break
        size += len(chunk)
    return size


def _declared_bytes(head):
    """How many bytes the .npy header at the start of `head` says its array holds, or None."""
    import numpy as np

    stream = io.BytesIO(head)
    try:
        version = np.lib.format.read_magic(stream)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(stream, max_header_size=NPY_HEADER)
    except (ValueError, OSError, EOFError, SyntaxError, TypeError):
        return None  # not an .npy numpy reads: the grader's own reading says so
    return math.prod(shape) * max(dtype.itemsize, 1)


# -- the child ----------------------------------------------------------------------------------------
def _limit_myself(limits):
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.address_space, limits.address_space))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))  # SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(grader_name, file_name, limits):
    """In the child: read the file from stdin, check it, measure it; print one JSON line."""
    _limit_myself(limits)
    data = sys.stdin.buffer.read(HANDED_IN_BYTES + 1)
    try:
        check_npz(data, file_name) if file_name.endswith(".npz") else None
        module_name, function_name = grader_name.split(":")
        import importlib

        grader = getattr(importlib.import_module(module_name), function_name)
        with tempfile.TemporaryDirectory(prefix="lstm-model-") as folder:
            os.chdir(folder)
            Path(file_name).write_bytes(data)
            passed, message = grader(Path(file_name))
        answer = {"verdict": [bool(passed), str(message)[:2000]]}
    except Rejected as rejected:
        answer = {"refused": str(rejected)}
    except MemoryError:
        answer = {
            "refused": f"{shown(file_name)} needs more than {megabytes(limits.address_space)} of memory to "
            "read: not graded; hand in the file the notebook's training cell saves"
        }
    sys.stdout.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], Limits(**json.loads(sys.argv[3])))
