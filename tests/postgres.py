"""A real PostgreSQL server for the tests: Debian's ``postgresql`` package, started per session.

The server lives in a temporary folder, listens on a free loopback port and its socket
folder, runs with ``fsync=off`` (the tests' data is thrown away) and is stopped when the
session ends. ``initdb`` refuses to run as root, so as root the server runs as the
``postgres`` user the Debian package creates. Without PostgreSQL installed the tests that
need it skip, except on CI (``CI=true``), where they fail: ``make test`` installs it.

``db_url`` gives each test an empty database on each backend, SQLite and PostgreSQL, so a
test that takes it runs once per backend.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DEBIAN_BINARIES = Path("/usr/lib/postgresql")
RUN_AS = "postgres"  # the Debian package's user, for when the tests run as root
_names = itertools.count()


@dataclass(frozen=True)
class PostgresServer:
    """A running server: its port, superuser, and how to reach a database on it."""

    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user,
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(statement)  # type: ignore[arg-type]  # our own literal SQL


def binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: Debian's newest version, else the PATH's."""
    versions = sorted(DEBIAN_BINARIES.glob("*/bin/initdb"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", RUN_AS, "--", *command]


@contextlib.contextmanager
def running_server(bin_dir: Path) -> Iterator[PostgresServer]:
    """Start a throwaway server; stop it and delete its folder on leaving."""
    folder = Path(tempfile.mkdtemp(prefix="sidedoor-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam(RUN_AS)
        os.chown(folder, account.pw_uid, account.pw_gid)
    data, port, user = folder / "data", free_port(), "sidedoor"

    def run(*args: str) -> None:
        done = subprocess.run(_as_server_user([str(bin_dir / args[0]), *args[1:]]),
                              capture_output=True, text=True, timeout=120, cwd=folder)
        if done.returncode != 0:
            log = (folder / "server.log").read_text() if (folder / "server.log").exists() else ""
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr}{log}")

    try:
        run("initdb", "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
            "-w", "-t", "60", "start")
        try:
            yield PostgresServer(port=port, user=user)
        finally:
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session (skips without one, fails on CI)."""
    bin_dir = binaries()
    if bin_dir is None:
        message = ("PostgreSQL is not installed: apt-get install postgresql "
                   "(make test does it when run as root)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with running_server(bin_dir) as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    name = f"sidedoor_test_{os.getpid()}_{next(_names)}"
    postgres_server.sql(f"CREATE DATABASE {name}")
    try:
        yield postgres_server.url(name)
    finally:
        from sidedoor.store import Store

        for url, store in list(Store._open.items()):  # let go of the pooled connections
            if url == postgres_server.url(name):
                store.engine.dispose()
                del Store._open[url]
        postgres_server.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store URL on each backend in turn: the test runs once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))
