"""The PostgreSQL schema: numbered steps applied at start under a lock; shipped steps are final."""

from __future__ import annotations

import psycopg

from store.storage import StoreError

# Step n brings the schema from version n-1 to n. Add steps; never change a shipped one.
STEPS: tuple[str, ...] = (
    """
    CREATE TABLE brs_state (
        id integer PRIMARY KEY CHECK (id = 1),
        version bigint NOT NULL  -- the seq of the last history record: the store's version
    );
    INSERT INTO brs_state VALUES (1, 0);
    CREATE TABLE brs_documents (
        kind text NOT NULL,
        name text NOT NULL,
        value json NOT NULL,  -- json, not jsonb: keys keep the order they were written in
        seq bigint NOT NULL,  -- the history record that last wrote it
        PRIMARY KEY (kind, name)
    );
    CREATE TABLE brs_history (
        seq bigint PRIMARY KEY,
        target text NOT NULL,
        field text NOT NULL,
        old json,
        new json,
        "user" text NOT NULL,
        at text NOT NULL,
        batch bigint NOT NULL,
        grp text  -- store.documents.group_of(target): an activity and its deadlines
    );
    CREATE INDEX brs_history_target ON brs_history (target, seq);
    CREATE INDEX brs_history_grp ON brs_history (grp, seq);
    CREATE TABLE brs_meta (key text PRIMARY KEY, value json NOT NULL);
    CREATE TABLE brs_reminders (key text PRIMARY KEY, doc json NOT NULL);
    """,
    # 2 (brs store schema 2): a record may hold only what changed (store.records: op "append":
    # old = the length before, new = the items added; "trim": old = the items removed, new =
    # the length after); reads resolve them to whole values.
    """
    ALTER TABLE brs_history ADD COLUMN op text NOT NULL DEFAULT 'set';
    """,
    # 3: the Events API's seen window, shared by every process (store.postgres.seen).
    """
    CREATE TABLE brs_seen (
        key text PRIMARY KEY,
        at double precision NOT NULL,  -- seconds since the epoch: claimed, or handled
        done boolean NOT NULL DEFAULT false
    );
    CREATE INDEX brs_seen_at ON brs_seen (at);
    """,
)
SCHEMA_VERSION = len(STEPS)
# Any constant both processes agree on: two `brs serve` starting together upgrade once.
UPGRADE_LOCK = 0x62727375  # "brsu"


def current_version(conn: psycopg.Connection) -> int:
    found = conn.execute("SELECT to_regclass('brs_schema') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return 0
    row = conn.execute("SELECT max(version) FROM brs_schema").fetchone()
    return int(row[0] or 0) if row else 0


def upgrade(conn: psycopg.Connection, label: str) -> int:
    """Apply the steps this database lacks, in one transaction; returns the version it is at."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (UPGRADE_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS brs_schema ("
            "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        version = current_version(conn)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The database {label} has brs schema version {version} but this brs reads "
                f"{SCHEMA_VERSION}; upgrade brs or set DATABASE_URL to another database."
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute(STEPS[number - 1])
            conn.execute("INSERT INTO brs_schema (version) VALUES (%s)", (number,))
    return SCHEMA_VERSION
