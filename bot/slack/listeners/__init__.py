"""Slack listeners grouped by request kind; each module registers its own handlers."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, files, home, views
from bot.slack.listeners.deps import Deps


def register(app: App, deps: Deps) -> None:
    # files first: its /brs listener takes export and timeline before the one that answers the rest
    for module in (files, commands, actions, events, views):
        module.register(app, deps)
    if deps.home is not None:
        home.register(app, deps, deps.home)
