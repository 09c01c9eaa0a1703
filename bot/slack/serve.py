"""`brs serve`: the Slack app and the reminder scheduler in one process.

HTTP mode serves slack-bolt's WSGI adapter with waitress, a production-grade
multi-threaded WSGI server (Bolt's own `app.start()` is a development server), behind
bot.slack.edge's checks; Socket Mode uses slack-bolt's built-in Socket Mode adapter.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.compose import compose
from bot.exports.feed import CALENDAR_PATH, calendar_feed, ensure_ids
from bot.settings import Settings, check_for_serve
from bot.slack.app import create_app, web_client
from bot.slack.edge import slack_edge
from bot.slack.followups import FollowUps
from bot.slack.health import Health, Report, WatchedReminders
from bot.slack.home import slack_home
from bot.slack.outbox import SlackOutbox
from bot.slack.socket_mode import OnceSocketModeHandler
from jobs.runner import ReminderScheduler, WhenLeader, run_scheduler
from store.storage import StoreError

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


log = logging.getLogger(__name__)

HOST = "0.0.0.0"  # a platform such as Heroku routes to $PORT on every interface
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Commits are durable once in the history (one fsync); the TinyDB file is rewritten (with two
# more fsyncs) only every this many records and on stop. Opens replay what it lacks.
CHECKPOINT_EVERY = 100

# waitress, chosen rather than left at its defaults (docs/slack-setup.md, "Capacity"):
# A request holds a worker thread only while its listener runs: an answer from memory, or
# one history fsync for a change (follow-ups have pools of their own), so 16 threads serve
# far more than Slack sends one app.
THREADS = 16
# Open connections at most. waitress's default of 100 let ~100 idle sockets (no signature
# needed) lock everyone out; an idle connection costs a file descriptor and a few KB, so 1,000
# (poll(), not select(), which stops at descriptor 1,024), with the descriptor limit raised
# to fit at start.
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT = 30  # seconds an idle connection is kept (default 120); Slack's are brief
CLEANUP_INTERVAL = 5  # seconds between sweeps for idle ones (default 30)
MAX_BODY = 1_000_000  # bytes (default 1 GB); Slack's largest payloads are a few KB
MAX_HEADERS = 65_536  # bytes of request headers (default 256 KB)
PING_INTERVAL = 10.0  # Socket Mode: seconds between pings, and between checks for a lost one
SPARE_FILES = 200  # descriptors beside the connections: the store, Slack clients, logs

Wsgi = Callable[[dict, Callable[..., Any]], Iterable[bytes]]
HealthCheck = Callable[[], "Report | bool"]


def wsgi_app(
    app: App,
    health: HealthCheck,
    routes: Mapping[str, Wsgi] | None = None,
    *,
    secret: str | None = None,
) -> Wsgi:
    """POST /slack/events to Bolt behind bot.slack.edge, GET /healthz, and any further
    `routes` (path -> WSGI app); 404 elsewhere (Bolt's adapter answers those).

    `secret` defaults to the signing secret the app was built with (create_app's).
    """
    bolt: Wsgi = SlackRequestHandler(app, path=EVENTS_PATH)
    secret = secret or getattr(app, "_signing_secret", None)
    events = slack_edge(bolt, secret) if secret else bolt
    table: dict[str, Wsgi] = {
        EVENTS_PATH: events,
        HEALTH_PATH: health_app(health),
        **(routes or {}),
    }

    folders = [(path, handler) for path, handler in table.items() if path.endswith("/")]

    def application(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or ""
        handler = table.get(path) or next((h for p, h in folders if path.startswith(p)), bolt)
        return handler(environ, start_response)

    return application


def health_app(health: HealthCheck) -> Wsgi:
    """GET /healthz: 200 and one line while healthy, else 503 and the first reason."""

    def answer(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
            return [b""]
        report = health()
        if isinstance(report, bool):  # a plain check (benchmarks): readable or not
            report = Report(report, "ok" if report else "store not readable")
        status = "200 OK" if report.ok else "503 Service Unavailable"
        start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [report.line.replace("\n", " ").encode() + b"\n"]

    return answer


def calendar_routes(
    store: Store, settings: Settings, clock: Callable[[], datetime]
) -> dict[str, Wsgi]:
    """GET /calendar/<token>.ics (bot.exports.feed), for wsgi_app's `routes`."""
    return {CALENDAR_PATH: calendar_app(calendar_feed(store, settings, clock))}


def calendar_app(calendar: Callable[[str], bytes | None]) -> Wsgi:
    """The calendar for its secret path; a wrong token looks like any unknown page (404)."""

    def answer(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        ics = calendar(environ.get("PATH_INFO") or "") if method in ("GET", "HEAD") else None
        if ics is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found\n"]
        headers = [("Content-Type", "text/calendar; charset=utf-8"), ("Cache-Control", "no-cache")]
        start_response("200 OK", [*headers, ("Content-Length", str(len(ics)))])
        return [b"" if method == "HEAD" else ics]

    return answer


def http_server(wsgi: Wsgi, *, host: str, port: int, threads: int = THREADS, **kw: Any) -> Any:
    """A waitress server, bound, ready to `.run()`; port 0 picks a free one (`.effective_port`)."""
    from waitress import create_server

    settings: dict[str, Any] = {
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
        "max_request_body_size": MAX_BODY,
        "max_request_header_size": MAX_HEADERS,
        "asyncore_use_poll": True,
        **kw,
    }
    return create_server(wsgi, host=host, port=port, threads=threads, ident="brs", **settings)


def room_for_connections(limit: int = CONNECTION_LIMIT) -> int:
    """Raise the open-files limit to fit `limit` connections; the limit that fits."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = limit + SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft != resource.RLIM_INFINITY and soft < want:
        fits = max(soft - SPARE_FILES, 50)
        log.warning("brs: only %d open files allowed: at most %d connections", soft, fits)
        return fits
    return limit


def socket_mode_handler(
    app: App, settings: Settings, *, ping_interval: float = PING_INTERVAL
) -> OnceSocketModeHandler:
    """Built, not connected: `.start()` calls apps.connections.open and opens the WebSocket.

    A connection found closed is replaced within `ping_interval` seconds.
    """
    return OnceSocketModeHandler(
        app, app_token=settings.app_token, web_client=app.client, ping_interval=ping_interval
    )


def _not_token_unused(record: logging.LogRecord) -> bool:
    # Bolt falls back to $SLACK_BOT_TOKEN, then warns that our client's token wins; it is ours.
    return "`token` will be unused" not in record.getMessage()


def _stop_on_sigterm() -> None:
    # Platforms stop processes with SIGTERM: unwind like Ctrl+C so the store closes cleanly.
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def open_for_serve(
    settings: Settings, clock: Callable[[], datetime], database_url: str | None = None
) -> Store:
    """The store, or StoreError in one line for a file that cannot be read at all.

    With `database_url` the store is PostgreSQL (store.backends), which processes share.
    """
    from store.backends import open_any

    try:
        return open_any(
            settings.db_path, database_url, clock=clock, checkpoint_every=CHECKPOINT_EVERY
        )
    except UnicodeDecodeError as e:
        raise StoreError(
            f"The store {settings.db_path} is not UTF-8 text (byte {e.start}); restore it from "
            "a backup or set BRS_DB to another file."
        ) from None
    except (ValueError, TypeError, KeyError, AttributeError) as e:  # parsed, but not a store
        raise StoreError(
            f"The store {settings.db_path} cannot be read ({type(e).__name__}: {e}); restore "
            "it from a backup or set BRS_DB to another file."
        ) from None


def serve(
    settings: Settings, *, clock: Callable[[], datetime], database_url: str | None = None
) -> int:
    """Check the settings, open the store, run until stopped. ConfigError/StoreError propagate.

    With `database_url` the store is PostgreSQL, which any number of processes share.
    """
    check_for_serve(settings)  # before anything is opened: a bad setting changes nothing
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("slack_bolt.App").addFilter(_not_token_unused)
    _stop_on_sigterm()
    with open_for_serve(settings, clock, database_url) as store:
        # Beside the store file on TinyDB; on PostgreSQL a table every process shares.
        seen = store.seen_window()
        followups = FollowUps()
        ensure_ids(store, settings)  # the calendar's token and UIDs, made once per store
        client = web_client(settings)
        home = slack_home(client, store, settings, clock)  # App Home, current after each change
        app = create_app(
            settings,
            store=store,
            clock=clock,
            client=client,
            home=home,
            followups=followups,
            seen=seen,
        )
        health = Health(store, None if database_url else settings.db_path, clock=clock, seen=seen)
        # The reminder scheduler: exactly one, in the process that owns the store file (its
        # lock keeps a second process out) or holds the database's scheduler lock; stopped
        # before the store closes.
        reminders = WatchedReminders(store, settings, SlackOutbox(client), clock, compose=compose)

        def start() -> ReminderScheduler:
            scheduler = ReminderScheduler(
                reminders, clock=clock, tz=settings.tz, on_posted=home.refresh
            )
            store.on_commit(scheduler.on_commit)
            scheduler.start()
            return scheduler

        scheduler: ReminderScheduler | WhenLeader = run_scheduler(store, start)
        health.watch(reminders, scheduler)
        try:
            with contextlib.suppress(KeyboardInterrupt):
                _run(app, settings, health, calendar_routes(store, settings, clock))
        finally:
            followups.stop()  # what was acknowledged is finished first
            scheduler.shutdown()
            home.stop()
            seen.close()
    log.info("brs: stopped")
    return 0


def _run(app: App, settings: Settings, health: HealthCheck, routes: dict[str, Wsgi]) -> None:
    if settings.socket_mode:
        handler = socket_mode_handler(app, settings)
        log.info("brs: Socket Mode")
        try:
            handler.start()  # blocks until Ctrl+C or SIGTERM
        finally:
            handler.close()
    else:
        wsgi = wsgi_app(app, health, routes, secret=settings.signing_secret)
        limit = room_for_connections()
        server = http_server(wsgi, host=HOST, port=settings.port, connection_limit=limit)
        log.info("brs: HTTP on port %s at %s", server.effective_port, EVENTS_PATH)
        server.run()  # returns on Ctrl+C or SIGTERM
