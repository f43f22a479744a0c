"""The grader's own nbgrader commands read the course's configuration and nothing else.

nbgrader (through jupyter_core and traitlets) executes nbgrader_config.py files from the
invoking user's ~/.jupyter, ~/.local/etc/jupyter and more; IPython runs ~/.ipython startup
files. Someone who could write into the grader's home could run code as the grader through
them. Here such files are planted in a temporary HOME: plain `nbgrader` run there executes them
(the control), `python -m autograder release`, `autograde` and `feedback` do not.
"""

import os
import subprocess
import sys

import pytest

from autograder import samples
from autograder.course import assignment

pytestmark = pytest.mark.slow


def planted_home(home, marker):
    """Config files in every per-user place Jupyter and IPython look, each leaving a mark."""
    code = f"open({str(marker)!r}, 'a').write(__file__ + '\\n')\n"
    for path in (
        home / ".jupyter" / "nbgrader_config.py",
        home / ".jupyter" / "jupyter_config.py",
        home / ".local" / "etc" / "jupyter" / "nbgrader_config.py",
        home / ".ipython" / "profile_default" / "ipython_config.py",
        home / ".ipython" / "profile_default" / "startup" / "00-planted.py",
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)


def user_environment(home):
    """The environment of an instructor whose HOME is `home` (no Jupyter variables set)."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "IPYTHON", "MPLCONFIGDIR"))
    }
    env["HOME"] = str(home)
    return env


def test_a_config_planted_in_the_graders_home_is_not_run_by_release_autograde_or_feedback(tmp_path):
    home, marker = tmp_path / "home", tmp_path / "planted-config-ran"
    planted_home(home, marker)
    env = user_environment(home)

    control = subprocess.run(
        [sys.executable, "-m", "nbgrader", "db", "student", "list", f"--CourseDirectory.root={tmp_path / 'control'}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert marker.exists(), f"control: plain nbgrader did not read {home}/.jupyter:\n{control.stderr[-2000:]}"
    marker.unlink()

    course = ["--course-dir", str(tmp_path / "course"), "--release-dir", str(tmp_path / "release")]
    for command in (["release", "forget_gate"], ["autograde", str(tmp_path / "inbox")], ["feedback", "forget_gate"]):
        if command[0] == "autograde":
            notebook = samples.solved("forget_gate", tmp_path / "release")
            samples.write_submission(notebook, tmp_path / "inbox", "ada", "forget_gate")
        result = subprocess.run(
            [sys.executable, "-m", "autograder", *command, *course],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert not marker.exists(), f"`autograder {command[0]}` ran {marker.read_text()}"
    full = assignment("forget_gate").points
    assert (
        f"Score: {full:.1f} / {full:.1f}"
        in (tmp_path / "course" / "feedback" / "ada" / "forget_gate" / "forget_gate.html").read_text()
    )
