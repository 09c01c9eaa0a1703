"""Build the Slack app: one slack-bolt App wired to brs's listeners; nothing happens at import."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
from bot.slack.dedupe import once_per_event
from bot.slack.failures import error_handler
from bot.slack.followups import FollowUps
from bot.slack.home import HomeRefresher, slack_home
from bot.slack.listeners.deps import Deps
from bot.slack.posting import OncePoster
from store.dedupe import SeenWindow

if TYPE_CHECKING:  # the contract is the store itself
    from store.repository import Store

log = logging.getLogger(__name__)

# Two retries each: "500 twice, then ok" still posts; backoff keeps a failing call under ~4 s.
RETRIES = 2
# With process_before_response every listener runs on the request's own thread (waitress's,
# or Socket Mode's), and follow-ups run on FollowUps' pools; Bolt's executor would only run
# lazy listeners, which brs has none of. Two threads, named, instead of Bolt's anonymous five.
BOLT_WORKERS = 2


def web_client(settings: Settings) -> WebClient:
    """The Web API client for calls that are safe to repeat (views, chat.update, history,
    uploads): SLACK_API_URL when set, retrying 429 (Retry-After), 5xx and resets. Posts go
    through bot.slack.posting instead, which never repeats one blindly."""
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
    followups: FollowUps | None = None,
    seen: SeenWindow | None = None,
) -> App:
    """The Bolt app; the token is not checked until the first request calls auth.test.

    `home` keeps App Home current; `followups` runs what follows an ack; `seen` remembers
    handled events and requests (without it, only for this app's lifetime). Each defaults
    to one of the app's own.
    """
    app = App(
        name="brs",
        client=client or web_client(settings),
        # Socket Mode requests carry no signature; Bolt skips the check for them.
        signing_secret=settings.signing_secret or "",
        token_verification_enabled=False,
        # The ack is the listener's return: no 10 ms polling for it, and what follows the
        # ack runs on FollowUps, so no request waits for Slack.
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(BOLT_WORKERS, thread_name_prefix="brs-bolt"),
    )
    followups = followups or FollowUps()
    app.error(error_handler(followups))
    seen = seen if seen is not None else SeenWindow(None, clock=clock)
    app.use(once_per_event(seen))
    home = home or slack_home(app.client, store, settings, clock)
    deps = Deps(
        store=store,
        clock=clock,
        settings=settings,
        home=home,
        followups=followups,
        poster=OncePoster(app.client),
        seen=seen,
    )
    listeners.register(app, deps)
    return app
