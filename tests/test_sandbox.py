"""The student kernel's jail itself, outside a whole grading run."""
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from autograder.sandbox import Limits, Sandbox, can_isolate, make_base

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not can_isolate(), reason="needs root and util-linux unshare/setpriv")]


def test_python_inside_a_hidden_folder_is_mounted_back_read_only():
    """In CI the virtual environment is .venv inside the checkout, which the jail hides: the
    kernel must still start from it, and still not see the rest of the hidden folder."""
    environment = Path(sys.prefix)
    hidden = environment.parent  # the checkout in CI; here whatever holds the environment
    scratch = Path(tempfile.mkdtemp(dir="/var/tmp"))  # the jail's own area, outside `hidden`
    if hidden == Path("/") or scratch.is_relative_to(hidden):
        pytest.skip(f"cannot hide {hidden} without hiding the jail's scratch area")
    secret = hidden / f"secret-{uuid.uuid4().hex}.txt"
    secret.write_text("solutions")
    try:
        with Sandbox(Limits(cell_timeout=20), make_base(scratch), hidden=[str(hidden)]) as sandbox:
            started, listed, written, planted = sandbox.run([
                "import numpy, sys; print(sys.prefix)",
                f"import os; print(os.path.exists({str(secret)!r}))",
                f"open({str(environment / 'planted.txt')!r}, 'w').write('x')",
                f"open({str(hidden / 'planted.txt')!r}, 'w').write('x')",
            ])
    finally:
        secret.unlink()
        shutil.rmtree(scratch, ignore_errors=True)
    assert started.status == "ok", started.reason
    assert listed.status == "ok" and "False" in str(listed.outputs), "the hidden folder's files are visible"
    assert written.status == "error", "the environment should be read-only"
    assert not (environment / "planted.txt").exists()
    assert planted.status == "error", "nothing may be created in a hidden folder, even the kernel's own copy"
