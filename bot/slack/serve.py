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
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.compose import compose
from bot.settings import Settings, check_for_serve
from bot.slack.app import create_app, web_client
from bot.slack.home import slack_home
from bot.slack.outbox import SlackOutbox
from jobs.runner import run_scheduler, start_scheduler

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


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


def store_health(store: Store, path: Path | None) -> Callable[[], bool]:
    """Readable: the store's file (None: a database) is there and can be read, and the store
    answers a read."""

    def healthy() -> bool:
        try:
            if path is not None:
                with open(path, "rb") as f:
                    f.read(1)
            return bool(store.codes()) and store.version >= 0
        except Exception:  # any failure to read is "not healthy", never a 500
            log.warning("health check: store not readable", exc_info=True)
            return False

    return healthy


def wsgi_app(app: App, healthy: Callable[[], bool]) -> Wsgi:
    """POST /slack/events to Bolt, GET /healthz, 404 elsewhere (Bolt's adapter answers those)."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ["REQUEST_METHOD"] in ("GET", "HEAD"):
            ok = healthy()
            body = b"ok\n" if ok else b"store not readable\n"
            status = "200 OK" if ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [body]
        return bolt(environ, start_response)

    return application


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


def serve(
    settings: Settings, *, clock: Callable[[], datetime], database_url: str | None = None
) -> int:
    """Check the settings, open the store, run until stopped. ConfigError/StoreError propagate.

    With `database_url` the store is PostgreSQL, which any number of processes share.
    """
    check_for_serve(settings)  # before anything is opened: a bad setting changes nothing
    from store.backends import open_any

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("slack_bolt.App").addFilter(_not_token_unused)
    _stop_on_sigterm()
    with open_any(
        settings.db_path, database_url, clock=clock, checkpoint_every=CHECKPOINT_EVERY
    ) as store:
        client = web_client(settings)
        home = slack_home(client, store, settings, clock)  # App Home, current after each change
        app = create_app(settings, store=store, clock=clock, client=client, home=home)

        # The reminder scheduler: exactly one, in the process that owns the store file (its
        # lock keeps a second process out) or holds the database's scheduler lock; stopped
        # before the store closes.
        scheduler = run_scheduler(
            store,
            lambda: start_scheduler(
                store,
                settings,
                SlackOutbox(app.client),
                clock,
                compose=compose,
                on_posted=home.refresh,
            ),
        )
        try:
            with contextlib.suppress(KeyboardInterrupt):
                _run(app, settings, store, None if database_url else settings.db_path)
        finally:
            scheduler.shutdown()
            home.stop()
    log.info("brs: stopped")
    return 0


def _run(app: App, settings: Settings, store: Store, path: Path | None) -> None:
    if settings.socket_mode:
        handler = socket_mode_handler(app, settings)
        log.info("brs: Socket Mode")
        try:
            handler.start()  # blocks until Ctrl+C or SIGTERM
        finally:
            handler.close()
    else:
        wsgi = wsgi_app(app, store_health(store, path))
        server = http_server(wsgi, host=HOST, port=settings.port)
        log.info("brs: HTTP on port %s at %s", server.effective_port, EVENTS_PATH)
        server.run()  # returns on Ctrl+C or SIGTERM
