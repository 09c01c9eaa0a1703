"""Slack-facing side of brs: command grammar, queries, views, the Slack app, the console."""
