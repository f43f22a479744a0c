"""JupyterLab and Debian's Chromium for the browser tests (settings from the developers' guide).

    with jupyterlab(root, checkout) as lab, chromium() as browser:
        page = browser.new_page(); page.goto(lab.url("lab/tree/x.ipynb"))

JupyterLab binds 127.0.0.1 on a free port with a random token, keeps all its state under
`root`, and its kernels import `checkout`'s code (PYTHONPATH). It runs in its own session
(setsid), so the whole process group is stopped at the end, kernels included.

    jupyterlab(root, None, kernel_python=bare_python, student=True)

is a student's JupyterLab instead: its "python3" kernel is `kernel_python` (a bare environment,
nothing of this checkout) and nbgrader's instructor tools are turned off as the README tells a
JupyterHub's administrator to do (STUDENT_SETTINGS).
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]


def require_chromium():
    """The path of Debian's chromium; skip without it, but fail in CI (CI=true)."""
    path = shutil.which("chromium")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium; `make test` does it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": in CI a missing browser is a failure, not a skip")
        pytest.skip(message)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, port, token):
        self.port, self.token = port, token

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"


# The README's settings for students' servers: nbgrader's instructor tools off.
INSTRUCTOR_LAB_EXTENSIONS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")


def shutdown_kernels(lab):
    with contextlib.suppress(OSError, ValueError):
        with urllib.request.urlopen(lab.url("api/kernels"), timeout=5) as response:
            kernels = json.load(response)
        for kernel in kernels:
            request = urllib.request.Request(lab.url(f"api/kernels/{kernel['id']}"), method="DELETE")
            urllib.request.urlopen(request, timeout=10).close()


@contextlib.contextmanager
def jupyterlab(root, checkout, timeout=90, kernel_python=None, student=False):
    root = Path(root)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    env.pop("NBGRADER_EXECUTION", None)
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        env[variable] = str(root / "state" / variable.lower())
        Path(env[variable]).mkdir(parents=True, exist_ok=True)
    if kernel_python is not None:  # JUPYTER_PATH comes first: its "python3" replaces the server's own
        spec = root / "state" / "jupyter-path" / "kernels" / "python3"
        spec.mkdir(parents=True, exist_ok=True)
        (spec / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [str(kernel_python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "Python 3 (ipykernel)",
                    "language": "python",
                }
            )
        )
        env["JUPYTER_PATH"] = str(root / "state" / "jupyter-path")
    # No "official Jupyter news?" toast over the page (and no request for it).
    disabled = {"@jupyterlab/apputils-extension:announcements": True}
    if student:
        disabled.update(dict.fromkeys(INSTRUCTOR_LAB_EXTENSIONS, True))
        (Path(env["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, False)}})
        )
    labconfig = Path(env["JUPYTER_CONFIG_DIR"]) / "labconfig"
    labconfig.mkdir(exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}))
    port, token = free_port(), secrets.token_hex(16)
    log = open(root / "state" / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root / 'notebooks'}",
            f"--LabApp.workspaces_dir={root / 'state' / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.expose_app_in_browser=True",
            "--allow-root",
        ],
        env=env,
        cwd=root / "notebooks",
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # setsid
    lab = Lab(port, token)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({server.returncode}); see {log.name}")
            try:
                with urllib.request.urlopen(lab.url("api/status"), timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer within {timeout} s; see {log.name}")
            time.sleep(0.3)
        yield lab
    finally:
        shutdown_kernels(lab)  # kernels run in sessions of their own (jupyter_client)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)  # the server's own group: server and kernels
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@contextlib.contextmanager
def chromium(user_data_dir):
    """Headless Debian chromium through Playwright (never `playwright install`)."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=path,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()
