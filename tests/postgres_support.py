"""A real PostgreSQL server for the tests, in a temporary folder, on a Unix socket only.

    with postgres_server() as server:
        url = server.new_database("gradebook")   # postgresql+psycopg://lstm@/gradebook?host=...

Debian's binaries (/usr/lib/postgresql/<version>/bin, package `postgresql`; `make test` installs
it as root). PostgreSQL refuses to run as root: as root, the server runs as the system user
`postgres` (made by the package), or one made here with useradd. The test skips where the
server cannot start, but fails in CI (CI=true).
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROLE = "lstm"  # the superuser initdb makes; trust authentication on the socket only


def unavailable(message):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: in CI the PostgreSQL tests must run, not skip")
    pytest.skip(message)


def server_binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        unavailable("PostgreSQL is not installed (apt-get install -y postgresql; `make test` does it as root)")
    return Path(found[-1]).parent


def server_user():
    """The user the server runs as: ourselves, or, as root, an unprivileged system user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "lstm-postgres"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "lstm-postgres"],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam("lstm-postgres")


class Server:
    def __init__(self, socket_dir):
        self.socket_dir = socket_dir

    def new_database(self, name):
        """An empty database on this server; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), user=ROLE, dbname="postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{ROLE}@/{name}?host={self.socket_dir}"


@contextlib.contextmanager
def postgres_server():
    binaries, user = server_binaries(), server_user()
    folder = Path(tempfile.mkdtemp(prefix="lstm-postgres-"))
    as_user = []
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_user = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]

    def run(*command):
        return subprocess.run([*as_user, *command], capture_output=True, text=True, cwd=folder, timeout=120)

    data, log = folder / "data", folder / "server.log"
    started = False
    try:
        made = run(str(binaries / "initdb"), "-D", str(data), "-U", ROLE, "--auth=trust", "--no-sync")
        if made.returncode != 0:
            unavailable(f"initdb failed: {made.stderr[-2000:]}")
        options = f"-k {folder} -c listen_addresses='' -c fsync=off"
        start = run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start")
        if start.returncode != 0:
            unavailable(
                f"PostgreSQL did not start: {start.stderr[-1000:]}\n{log.read_text()[-2000:] if log.exists() else ''}"
            )
        started = True
        yield Server(folder)
    finally:
        if started:
            run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
