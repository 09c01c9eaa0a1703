"""Work that follows a Slack ack, on the app's own bounded pools, so no request waits for it.

Bolt runs with process_before_response=True: a listener's ack is sent when the listener
returns, so a listener only decides (reads answer in the ack; writes commit before it) and
hands what talks to Slack afterwards to one of two pools:

- `form()`: views.open. A trigger_id expires 3 s after the click, so form opens have a pool
  of their own that slow uploads can never fill.
- `later()`: uploads, shared cards, replies to mentions and DMs, chat.update on reminders,
  App Home publishing, response_url notes. When every worker is busy (Slack rate-limiting,
  say) further work queues up to a bound; past it `later()` says no and the listener tells
  the person to try again instead of acknowledging work it may never do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPException

log = logging.getLogger(__name__)

# A slow follow-up mostly waits on Slack (an upload, a post waiting out Retry-After), so
# threads are cheap; 8 keep five stalled uploads from holding up the rest.
LATER_WORKERS = 8
# views.open is one quick call, useless once its trigger is 3 s old.
FORM_WORKERS = 4
# Queued or running follow-ups at most (beyond it, "busy, try again"): about a minute of
# work at Slack's Tier 3 rate limits, and a bound on what a stop has to finish.
LATER_LIMIT = 100
STOP_WAIT = 20.0  # seconds a stop waits for acknowledged follow-ups to finish

BUSY = "I am busy with other requests right now; nothing was done, try again in a minute."


class FollowUps:
    """Two thread pools; each piece of work is logged if it fails, never raised to a caller."""

    def __init__(
        self,
        *,
        later_workers: int = LATER_WORKERS,
        form_workers: int = FORM_WORKERS,
        limit: int = LATER_LIMIT,
        inline: bool = False,
    ) -> None:
        self._inline = inline  # run work in the caller's thread (handler tests, no pools)
        self._later = ThreadPoolExecutor(later_workers, thread_name_prefix="brs-later")
        self._forms = ThreadPoolExecutor(form_workers, thread_name_prefix="brs-form")
        self._limit = limit
        self._pending = 0
        self._cond = threading.Condition()
        self._stopped = False

    def later(self, work: Callable[[], object], what: str) -> bool:
        """Run `work` soon; False (nothing queued) when the bound is reached or stopping."""
        return self._submit(self._later, work, what, bounded=True)

    def form(self, work: Callable[[], object], what: str) -> bool:
        """Run `work` (a views.open) at once on the form pool."""
        return self._submit(self._forms, work, what, bounded=False)

    def pending(self) -> int:
        with self._cond:
            return self._pending

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until nothing is queued or running (tests, and a clean stop)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending == 0, timeout)

    def stop(self, timeout: float = STOP_WAIT) -> None:
        """Take no more work; finish what was acknowledged, waiting up to `timeout`."""
        with self._cond:
            self._stopped = True
        if not self.wait_idle(timeout):
            log.warning("follow-ups: %d still running at stop", self.pending())
        self._later.shutdown(wait=False)
        self._forms.shutdown(wait=False)

    def _submit(
        self, pool: ThreadPoolExecutor, work: Callable[[], object], what: str, *, bounded: bool
    ) -> bool:
        with self._cond:
            if self._stopped or (bounded and self._pending >= self._limit):
                log.warning("follow-ups: %s refused (%d pending)", what, self._pending)
                return False
            self._pending += 1
        if self._inline:
            self._run(work, what)
            return True
        try:
            pool.submit(self._run, work, what)
        except RuntimeError:  # the pool shut down meanwhile
            self._done()
            return False
        return True

    def _run(self, work: Callable[[], object], what: str) -> None:
        try:
            work()
        except (OSError, HTTPException) as e:  # Slack unreachable: nothing a traceback adds
            log.warning(
                "follow-up %s: Slack could not be reached: %s: %s", what, type(e).__name__, e
            )
        except Exception:  # a bug in one follow-up must not kill the worker or hide it
            log.exception("follow-up %s failed", what)
        finally:
            self._done()

    def _done(self) -> None:
        with self._cond:
            self._pending -= 1
            self._cond.notify_all()
