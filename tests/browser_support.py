"""JupyterLab and Debian's Chromium for the browser tests (settings from the developers' guide).

    with jupyterlab(root, checkout) as lab, chromium() as browser:
        page = browser.new_page(); page.goto(lab.url("lab/tree/x.ipynb"))

JupyterLab binds 127.0.0.1 on a free port with a random token, keeps all its state under
`root`, and its kernels import `checkout`'s code (PYTHONPATH). It runs in its own session
(setsid), so the whole process group is stopped at the end, kernels included.
"""
import contextlib
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

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-gpu", "--no-first-run", "--disable-sync"]


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


def shutdown_kernels(lab):
    import json

    with contextlib.suppress(OSError, ValueError):
        with urllib.request.urlopen(lab.url("api/kernels"), timeout=5) as response:
            kernels = json.load(response)
        for kernel in kernels:
            request = urllib.request.Request(lab.url(f"api/kernels/{kernel['id']}"), method="DELETE")
            urllib.request.urlopen(request, timeout=10).close()


@contextlib.contextmanager
def jupyterlab(root, checkout, timeout=90):
    root = Path(root)
    env = dict(os.environ, PYTHONPATH=str(checkout))
    env.pop("NBGRADER_EXECUTION", None)
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        env[variable] = str(root / "state" / variable.lower())
        Path(env[variable]).mkdir(parents=True, exist_ok=True)
    # No "official Jupyter news?" toast over the page (and no request for it).
    labconfig = Path(env["JUPYTER_CONFIG_DIR"]) / "labconfig"
    labconfig.mkdir(exist_ok=True)
    (labconfig / "page_config.json").write_text(
        '{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}')
    port, token = free_port(), secrets.token_hex(16)
    log = open(root / "state" / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root / 'notebooks'}",
         f"--LabApp.workspaces_dir={root / 'state' / 'workspaces'}", "--LabApp.news_url=None",
         "--LabApp.expose_app_in_browser=True", "--allow-root"],
        env=env, cwd=root / "notebooks", stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # setsid
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
            str(user_data_dir), executable_path=path, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1000})
        try:
            yield context
        finally:
            context.close()
