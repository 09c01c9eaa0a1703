"""Connecting to DATABASE_URL: one-line errors that name it and never show the password."""

from __future__ import annotations

import psycopg
from psycopg.conninfo import conninfo_to_dict

from store.storage import StoreError

CONNECT_TIMEOUT = 5  # seconds: an unreachable host stops `brs serve` soon, not after minutes
FORM = "postgresql://USER:PASSWORD@HOST:5432/DBNAME"


def parts(url: str) -> dict[str, str]:
    """The URL's parameters; StoreError if it is not a PostgreSQL URL (the URL is not shown)."""
    if not url.startswith(("postgres://", "postgresql://")):
        raise StoreError(f"DATABASE_URL is not a PostgreSQL URL; use the form {FORM}.")
    try:
        found = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        # Its message quotes the URL, password included: say what is wrong in our words.
        raise StoreError(f"DATABASE_URL cannot be read as a URL; use the form {FORM}.") from None
    return {k: str(v) for k, v in found.items() if v is not None}


def label(url: str) -> str:
    """What to call the database in messages: user@host:port/dbname, never the password."""
    p = parts(url)
    user = f"{p['user']}@" if "user" in p else ""
    host = p.get("host") or p.get("hostaddr") or "localhost"
    port = f":{p['port']}" if "port" in p else ""
    return f"{user}{host}{port}/{p.get('dbname', '')}"


def reason(exc: BaseException, url: str) -> str:
    """The server's or libpq's last line about `exc`, with any password it might echo removed."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    # libpq: 'connection to server at "h", port 5432 failed: FATAL:  password authentication…'
    text = text.rpartition("failed: ")[2] or text
    text = " ".join(text.removeprefix("FATAL:").split())
    secret = parts(url).get("password")
    if secret:
        text = text.replace(secret, "***")
    return text.rstrip(".?")


def connect(url: str, **kwargs: object) -> psycopg.Connection:
    """A connection, or StoreError("DATABASE_URL: cannot connect to … : <why>.")."""
    where = label(url)
    try:
        return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, **kwargs)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        raise StoreError(
            f"DATABASE_URL: cannot connect to PostgreSQL at {where}: {reason(exc, url)}."
        ) from None
