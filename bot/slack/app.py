"""Build the Slack app: one slack-bolt App wired to brs's listeners; nothing happens at import."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings
from bot.slack import listeners
from bot.slack.home import HomeRefresher, slack_home
from bot.slack.listeners.deps import Deps

if TYPE_CHECKING:  # the contract is the store itself
    from store.repository import Store

log = logging.getLogger(__name__)

# Two retries each: "500 twice, then ok" still posts; backoff keeps a failing post under ~4 s.
RETRIES = 2


def web_client(settings: Settings) -> WebClient:
    """The Web API client: SLACK_API_URL when set, retrying 429 (Retry-After), 5xx and resets."""
    client = WebClient(
        token=settings.bot_token,
        base_url=settings.api_url or WebClient.BASE_URL,
    )
    # slack_sdk retries only connection errors by default; add rate limits and server errors.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RETRIES))
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=RETRIES))
    return client


def create_app(
    settings: Settings,
    *,
    store: Store,
    clock: Callable[[], datetime],
    client: WebClient | None = None,
    home: HomeRefresher | None = None,
) -> App:
    """The Bolt app; the token is not checked until the first request calls auth.test.

    `home` keeps App Home current; without one, the app makes its own.
    """
    app = App(
        name="brs",
        client=client or web_client(settings),
        # Socket Mode requests carry no signature; Bolt skips the check for them.
        signing_secret=settings.signing_secret or "",
        token_verification_enabled=False,
    )

    @app.error
    def log_error(error: Exception, body: dict) -> None:
        kind = body.get("type") or body.get("command") or "request"
        log.error("brs: %s failed", kind, exc_info=error)

    home = home or slack_home(app.client, store, settings, clock)
    listeners.register(app, Deps(store=store, clock=clock, settings=settings, home=home))
    return app
