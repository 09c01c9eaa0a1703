"""Slack listeners grouped by request kind; each module registers its own handlers."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, home, views
from bot.slack.listeners.deps import Deps


def register(app: App, deps: Deps) -> None:
    for module in (commands, actions, events, views):
        module.register(app, deps)
    if deps.home is not None:
        home.register(app, deps, deps.home)
