"""Keep the App Home of recent viewers current: views.publish after every change and reminder.

Slack shows a Home tab as last published, so brs republishes it for the people who opened it
lately (a small, bounded set kept in memory; whoever opens it again is added back). The
publishing runs on one worker thread: a commit listener or a reminder run only wakes it, so
neither waits for Slack, and a burst of changes becomes one round of publishing.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.queries.home import home_data
from bot.render.home import home_view
from bot.settings import Settings
from jobs import recipients

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


log = logging.getLogger(__name__)

MAX_VIEWERS = 200
FORGET_AFTER = timedelta(days=30)

Render = Callable[[str, bool, int], dict]  # (user, editor, page) -> the view
# What makes one person's Home differ from another's beyond (editor, page): what they own and
# follow. Viewers alike share one render per refresh.
Personal = Callable[[str], Hashable]


def renderer(store: Store, today: Callable[[], date]) -> Render:
    """Build a Home view from the store as of `today()`."""

    def render(user: str, editor: bool, page: int) -> dict:
        return home_view(home_data(store, today=today(), editor=editor, user=user), page)

    return render


class HomeRefresher:
    """Who looked at Home lately (and at which page), and republishing it for them."""

    def __init__(
        self,
        client: Any,
        render: Render,
        is_editor: Callable[[str], bool],
        *,
        clock: Callable[[], datetime],
        max_viewers: int = MAX_VIEWERS,
        forget_after: timedelta = FORGET_AFTER,
        personal: Personal = lambda user: None,
    ) -> None:
        self._client = client
        self._personal = personal
        self._render = render
        self._is_editor = is_editor
        self._clock = clock
        self._max = max_viewers
        self._forget_after = forget_after
        self._viewers: OrderedDict[str, tuple[int, datetime]] = OrderedDict()  # oldest first
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._worker: threading.Thread | None = None
        self._stopped = False

    # --- people ---------------------------------------------------------------------

    def seen(self, user: str, page: int | None = None) -> int:
        """`user` opened Home (or turned a page); returns the page they are on."""
        with self._lock:
            old = self._viewers.pop(user, None)
            at = page if page is not None else (old[0] if old else 0)
            self._viewers[user] = (at, self._clock())
            while len(self._viewers) > self._max:
                self._viewers.popitem(last=False)
            return at

    def viewers(self) -> list[tuple[str, int]]:
        """Recent viewers, oldest first, with their page; those not seen lately are forgotten."""
        with self._lock:
            since = self._clock() - self._forget_after
            for user in [u for u, (_, at) in self._viewers.items() if at < since]:
                del self._viewers[user]
            return [(u, page) for u, (page, _) in self._viewers.items()]

    # --- publishing -----------------------------------------------------------------

    def publish(self, user: str, page: int = 0, cache: dict | None = None) -> bool:
        """Publish `user`'s Home now; False (logged) when Slack would not take it."""
        editor = self._is_editor(user)
        key = (self._personal(user), editor, page)
        view = cache.get(key) if cache is not None else None
        if view is None:
            view = self._render(user, editor, page)
            if cache is not None:
                cache[key] = view
        try:
            self._client.views_publish(user_id=user, view=view)
        except Exception as e:  # SlackApiError, or Slack unreachable after retries
            log.warning("home: views.publish for %s failed: %s", user, e)
            return False
        return True

    def refresh(self) -> None:
        """Republish every recent viewer's Home soon, on the worker thread; returns at once."""
        with self._lock:
            if self._stopped or not self._viewers:
                return
            self._idle.clear()
            self._wake.set()
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="brs-home", daemon=True)
                self._worker.start()

    def on_commit(self, changes: Iterable[Any]) -> None:
        """Store commit listener: whatever changed may show on Home."""
        self.refresh()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until no refresh is pending or running (tests, and a clean stop)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            with self._lock:
                if self._stopped:
                    self._idle.set()
                    return
                self._wake.clear()
            cache: dict = {}  # one view per (editor, page) per round
            try:
                for user, page in self.viewers():
                    self.publish(user, page, cache)
            except Exception:  # a view that cannot be built: logged, the worker lives on
                log.exception("home: refresh failed")
            with self._lock:
                if not self._wake.is_set():
                    self._idle.set()


def slack_home(
    client: Any, store: Store, settings: Settings, clock: Callable[[], datetime]
) -> HomeRefresher:
    """`brs serve`'s App Home: Slack editors (BRS_EDITORS), today in BRS_TZ, refreshed on commit."""

    def today() -> date:
        return clock().astimezone(settings.tz).date()

    def personal(user: str) -> Hashable:
        owned = tuple(c for c in store.codes() if user in recipients.owners(store, c))
        return (owned, recipients.follows(store, user))

    home = HomeRefresher(
        client, renderer(store, today), settings.is_editor, clock=clock, personal=personal
    )
    if hasattr(type(store), "on_commit"):  # the repository's Store; read-only twins have none
        store.on_commit(home.on_commit)
    return home
