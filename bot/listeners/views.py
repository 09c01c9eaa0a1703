"""Modal submissions (view_submission) register here; the editing issue adds the first one."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.deps import Deps


def register(app: App, deps: Deps) -> None:
    """No modals yet: `/brs edit` and its form arrive with the editing commands."""
