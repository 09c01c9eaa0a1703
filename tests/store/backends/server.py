"""A real PostgreSQL server for the tests: BRS_TEST_DATABASE_URL or DATABASE_URL when set, else a
throw-away cluster started here with initdb/pg_ctl; skipped with the reason when neither works.

Each test gets a schema of its own (search_path in the URL), dropped afterwards, so tests never
see each other's data and a given server keeps nothing of theirs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

PASSWORD = "brs-test-secret"
DEBIAN_BINDIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for bindir in DEBIAN_BINDIRS:
        if (bindir / name).exists():
            return str(bindir / name)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """initdb + pg_ctl in a temporary folder, loopback only; as root, run as `nobody`."""
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip(
            "PostgreSQL tests need a server: set BRS_TEST_DATABASE_URL, or install "
            "PostgreSQL (initdb and pg_ctl were not found)"
        )
    user = "nobody" if os.geteuid() == 0 else None  # the server refuses to run as root
    home = Path(tempfile.mkdtemp(prefix="brs-pg-"))
    if user:
        shutil.chown(home, user)
    data, port = home / "data", _free_port()
    run = {"user": user, "capture_output": True, "text": True, "timeout": 120}
    (home / "pw").write_text(PASSWORD)  # TCP logins need it: wrong passwords can be tested
    if user:
        shutil.chown(home / "pw", user)
    made = subprocess.run(
        [initdb, "-D", str(data), "-U", "brs", "--pwfile", str(home / "pw"), "--no-sync"]
        + ["-E", "UTF8", "--auth-local=trust", "--auth-host=scram-sha-256"],
        **run,
    )
    if made.returncode != 0:
        shutil.rmtree(home, ignore_errors=True)
        pytest.skip(f"PostgreSQL tests: initdb failed: {made.stderr.strip()[-300:]}")
    options = f"-h 127.0.0.1 -p {port} -k {home} -F -c max_connections=200"
    started = subprocess.run(
        [pg_ctl, "-D", str(data), "-l", str(home / "log"), "-o", options, "-w", "start"], **run
    )
    if started.returncode != 0:
        log = (home / "log").read_text(errors="replace")[-300:] if (home / "log").exists() else ""
        shutil.rmtree(home, ignore_errors=True)
        pytest.skip(f"PostgreSQL tests: the server did not start: {log.strip()}")
    try:
        yield f"postgresql://brs:{PASSWORD}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], **run)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session", name="pg_server")
def pg_server_fixture() -> Iterator[str]:
    """The URL of a server the tests may create schemas on."""
    given = os.environ.get("BRS_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if given:
        yield given
        return
    with throwaway_cluster() as url:
        yield url


def with_schema(url: str, schema: str) -> str:
    """`url` whose sessions put their tables in `schema`."""
    option = quote(f"-csearch_path={schema}", safe="")
    return f"{url}{'&' if '?' in url else '?'}options={option}"


@contextlib.contextmanager
def fresh_schema(server: str) -> Iterator[str]:
    """A URL on an empty schema of its own, dropped afterwards."""
    import psycopg

    schema = f"brs_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL tests: cannot create a schema on the test server: {exc}")
    try:
        yield with_schema(server, schema)
    finally:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(name="pg_url")
def pg_url_fixture(pg_server: str) -> Iterator[str]:
    with fresh_schema(pg_server) as url:
        yield url
