"""Slack listeners grouped by request kind; each module registers its own handlers."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, views
from bot.listeners.deps import Deps


def register(app: App, deps: Deps) -> None:
    for module in (commands, actions, events, views):
        module.register(app, deps)
