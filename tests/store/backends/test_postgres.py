"""PostgreSQL only: several stores (as processes would) on one database, schema versions,
configuration errors that name DATABASE_URL without the password, the scheduler lock."""

from __future__ import annotations

import re
import threading
import time
import uuid
from datetime import date

import psycopg
import pytest

from store.postgres.connect import parts
from store.postgres.repository import PgStore
from store.postgres.writes import ClaimLost
from store.repository import ChangedMeanwhile, StoreError
from tests.store.backends.conftest import clock
from tests.store.factories import sample_report


@pytest.fixture
def pair(pg_url):
    """Two stores on one database, as two `brs serve` processes have."""
    with PgStore.open(pg_url, clock=clock) as a:
        a.import_report(sample_report())
        with PgStore.open(pg_url, clock=clock) as b:
            yield a, b


def test_a_change_through_one_is_read_through_the_other_at_once(pair):
    a, b = pair
    before = b.version
    a.commit("U1", [("activity:S17", "title", "Activity S17", "Renamed")])
    assert b.version == before + 1  # what bot.answer's cache is keyed by
    assert b.activity("S17").title == "Renamed"
    assert b.last_change("S17").new == "Renamed"
    assert b.history("S17", newest=1)[0].user == "U1"


def test_a_stale_copy_cannot_overwrite_anothers_change(pair):
    a, b = pair
    b.activity("S17")  # b's copy is current now
    a.commit("U1", [("activity:S17", "title", "Activity S17", "From A")])
    with pytest.raises(ChangedMeanwhile, match="changed meanwhile"):
        b.commit("U2", [("activity:S17", "title", "Activity S17", "From B")])
    assert a.activity("S17").title == b.activity("S17").title == "From A"


def test_writers_in_two_stores_lose_no_update(pair):
    def add_lines(store, who: str) -> None:
        for i in range(15):
            while True:
                old = list(store.activity("S17").rows[0].status)
                try:
                    store.commit(who, [("activity:S17", "rows.0.status", old, [*old, f"{who}{i}"])])
                    break
                except ChangedMeanwhile:
                    continue

    threads = [
        threading.Thread(target=add_lines, args=(s, w)) for s, w in zip(pair, "AB", strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pair[0].version  # noqa: B018 - catches up, as a new command does
    lines = pair[0].activity("S17").rows[0].status
    assert sorted(lines[1:]) == sorted([f"A{i}" for i in range(15)] + [f"B{i}" for i in range(15)])
    seqs = [c.seq for c in pair[1].history("S17")]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_listeners_hear_another_processs_commit(pair):
    a, b = pair
    heard = threading.Event()
    b.on_commit(lambda changes: heard.set() if changes[0].target == "event:X" else None)
    a.set_event("X", date(2013, 1, 1), "U1")
    assert heard.wait(3), "the commit through A never reached B's listener"


def test_schema_is_applied_once_and_a_newer_one_is_refused(pg_url):
    PgStore.open(pg_url, clock=clock).close()
    PgStore.open(pg_url, clock=clock).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM brs_schema").fetchall() == [(1,), (2,), (3,)]
        conn.execute("INSERT INTO brs_schema (version) VALUES (4)")
    with pytest.raises(StoreError) as err:
        PgStore.open(pg_url, clock=clock)
    assert "schema version 4" in str(err.value) and "DATABASE_URL" in str(err.value)


def _refused(url: str) -> str:
    with pytest.raises(StoreError) as err:
        PgStore.open(url, clock=clock)
    message = str(err.value)
    assert "\n" not in message and "DATABASE_URL" in message
    return message


def test_a_wrong_password_names_database_url_and_never_the_password(pg_url):
    real = parts(pg_url).get("password")
    if not real:
        pytest.skip("the test server's URL has no password to get wrong")
    wrong = pg_url.replace(f":{real}@", ":wrong-secret-4711@")
    message = _refused(wrong)
    assert "password authentication failed" in message
    assert "wrong-secret-4711" not in message and real not in message


def test_bad_urls_and_unreachable_servers_say_so_in_one_line(pg_url):
    assert "not a PostgreSQL URL" in _refused("mysql://u:pw-1234@localhost/brs")
    assert "pw-1234" not in _refused("postgresql://u:pw-1234@localhost/brs?nonsense=1")
    with socket_closed() as port:
        message = _refused(f"postgresql://u:pw-1234@127.0.0.1:{port}/brs")
    assert "Connection refused" in message and "pw-1234" not in message


class socket_closed:
    """A loopback port nothing listens on."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        pass


def test_one_scheduler_lock_and_a_lost_one_claims_nothing(pair, pg_url):
    a, b = pair
    lock_a, lock_b = a.scheduler_lock(), b.scheduler_lock()
    assert lock_a.acquire() and not lock_b.acquire()
    a.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sending"}})
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as if A's network went away
        conn.execute("SELECT pg_terminate_backend(%s)", (lock_a.pid,))
    time.sleep(0.2)
    with pytest.raises(ClaimLost):
        a.put_reminder_entries({"S17-1|7": {"on": "2012-08-31", "state": "sending"}})
    assert not lock_a.held()
    assert lock_b.acquire() and lock_b.held()
    assert "S17-1|7" not in b.reminder_entries()
    a.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sent", "ts": "1.2"}})


def test_a_reminder_sent_through_one_cannot_be_claimed_through_the_other(pair):
    a, b = pair
    a.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sending"}})
    a.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sent", "ts": "1.2"}})
    with pytest.raises(ClaimLost, match=re.escape("S17-2|7 was posted already")):
        b.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sending"}})
    assert b.reminder_entries()["S17-2|7"]["state"] == "sent"
    # The deadline moved: a new date is a new reminder, claimed as usual.
    b.put_reminder_entries({"S17-2|7": {"on": "2013-01-31", "state": "sending"}})


def test_a_database_brs_may_not_create_tables_in_is_one_line(pg_server, pg_url):
    from urllib.parse import urlsplit, urlunsplit

    role, password = f"brs_reader_{uuid.uuid4().hex[:8]}", "reader-pw-7261"
    with psycopg.connect(pg_url, autocommit=True) as conn:  # may use the schema, not create
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    try:
        parts_ = urlsplit(pg_url)
        netloc = f"{role}:{password}@{parts_.hostname}:{parts_.port}"
        message = _refused(urlunsplit(parts_._replace(netloc=netloc)))
        assert "permission denied" in message and password not in message
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")
