"""`brs serve`: the Slack app and the reminder scheduler in one process.

HTTP mode serves slack-bolt's WSGI adapter with waitress, a production-grade
multi-threaded WSGI server (Bolt's own `app.start()` is a development server);
Socket Mode uses slack-bolt's built-in Socket Mode adapter.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.compose import compose
from bot.exports.feed import CALENDAR_PATH, calendar_feed, ensure_ids
from bot.settings import Settings, check_for_serve
from bot.slack.app import create_app, web_client
from bot.slack.home import slack_home
from bot.slack.listeners.deps import Store
from bot.slack.outbox import SlackOutbox
from jobs.runner import start_scheduler

log = logging.getLogger(__name__)

HOST = "0.0.0.0"  # a platform such as Heroku routes to $PORT on every interface
# waitress workers. Bolt (default mode) holds the request thread while it polls for the ack
# every 10 ms, so each command in flight occupies one thread for >= 10 ms; threads are cheap.
THREADS = 16
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Commits are durable once in the history (one fsync); the TinyDB file is rewritten (with two
# more fsyncs) only every this many records and on stop. Opens replay what it lacks.
CHECKPOINT_EVERY = 100

Wsgi = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


def store_health(store: Store, path: Path) -> Callable[[], bool]:
    """Readable: the store's file is there and can be read, and the store answers a read."""

    def healthy() -> bool:
        try:
            with open(path, "rb") as f:
                f.read(1)
            return bool(store.codes())
        except Exception:  # any failure to read is "not healthy", never a 500
            log.warning("health check: store not readable", exc_info=True)
            return False

    return healthy


def wsgi_app(
    app: App, healthy: Callable[[], bool], calendar: Callable[[str], bytes | None] | None = None
) -> Wsgi:
    """POST /slack/events to Bolt, GET /healthz, GET /calendar/<token>.ics (bot.exports.feed),
    404 elsewhere (Bolt's adapter answers those)."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        if calendar is not None and environ.get("PATH_INFO", "").startswith(CALENDAR_PATH):
            return _calendar(calendar, environ, start_response)
        if environ.get("PATH_INFO") == HEALTH_PATH and environ["REQUEST_METHOD"] in ("GET", "HEAD"):
            ok = healthy()
            body = b"ok\n" if ok else b"store not readable\n"
            status = "200 OK" if ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [body]
        return bolt(environ, start_response)

    return application


def _calendar(
    calendar: Callable[[str], bytes | None], environ: dict, start_response: Callable[..., Any]
) -> Iterable[bytes]:
    ics = calendar(environ["PATH_INFO"]) if environ["REQUEST_METHOD"] in ("GET", "HEAD") else None
    if ics is None:  # a wrong token looks like any unknown page
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]
    headers = [("Content-Type", "text/calendar; charset=utf-8"), ("Cache-Control", "no-cache")]
    start_response("200 OK", [*headers, ("Content-Length", str(len(ics)))])
    return [b"" if environ["REQUEST_METHOD"] == "HEAD" else ics]


def http_server(wsgi: Wsgi, *, host: str, port: int, threads: int = THREADS, **kw: Any) -> Any:
    """A waitress server, bound, ready to `.run()`; port 0 picks a free one (`.effective_port`)."""
    from waitress import create_server

    return create_server(wsgi, host=host, port=port, threads=threads, ident="brs", **kw)


def socket_mode_handler(app: App, settings: Settings) -> SocketModeHandler:
    """Built, not connected: `.start()` calls apps.connections.open and opens the WebSocket."""
    return SocketModeHandler(app, app_token=settings.app_token, web_client=app.client)


def _not_token_unused(record: logging.LogRecord) -> bool:
    # Bolt falls back to $SLACK_BOT_TOKEN, then warns that our client's token wins; it is ours.
    return "`token` will be unused" not in record.getMessage()


def _stop_on_sigterm() -> None:
    # Platforms stop processes with SIGTERM: unwind like Ctrl+C so the store closes cleanly.
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def serve(settings: Settings, *, clock: Callable[[], datetime]) -> int:
    """Check the settings, open the store, run until stopped. ConfigError/StoreError propagate."""
    check_for_serve(settings)  # before anything is opened: a bad setting changes nothing
    from store.bootstrap import open_store

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("slack_bolt.App").addFilter(_not_token_unused)
    _stop_on_sigterm()
    with open_store(settings.db_path, clock=clock, checkpoint_every=CHECKPOINT_EVERY) as store:
        ensure_ids(store, settings)  # the calendar's token and UIDs, made once per store
        client = web_client(settings)
        home = slack_home(client, store, settings, clock)  # App Home, current after each change
        app = create_app(settings, store=store, clock=clock, client=client, home=home)

        # The reminder scheduler: exactly one, in the process that owns the store (its lock
        # keeps a second process out), stopped before the store closes.
        scheduler = start_scheduler(
            store,
            settings,
            SlackOutbox(app.client),
            clock,
            compose=compose,
            on_posted=home.refresh,
        )
        try:
            with contextlib.suppress(KeyboardInterrupt):
                _run(app, settings, store, clock)
        finally:
            scheduler.shutdown()
            home.stop()
    log.info("brs: stopped")
    return 0


def _run(app: App, settings: Settings, store: Store, app_clock: Callable[[], datetime]) -> None:
    if settings.socket_mode:
        handler = socket_mode_handler(app, settings)
        log.info("brs: Socket Mode")
        try:
            handler.start()  # blocks until Ctrl+C or SIGTERM
        finally:
            handler.close()
    else:
        feed = calendar_feed(store, settings, app_clock)
        wsgi = wsgi_app(app, store_health(store, settings.db_path), feed)
        server = http_server(wsgi, host=HOST, port=settings.port)
        log.info("brs: HTTP on port %s at %s", server.effective_port, EVENTS_PATH)
        server.run()  # returns on Ctrl+C or SIGTERM
