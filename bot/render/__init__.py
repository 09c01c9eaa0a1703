"""Query results and change outcomes as Block Kit (plain dicts); `render` is in results.py."""

# The leaf names the grammar and the Slack listeners import from `bot.render` itself.
from bot.render.blocks import Reply, cut, error_reply, escape_mrkdwn
from bot.render.format import fmt_date, fmt_who

__all__ = ["Reply", "cut", "error_reply", "escape_mrkdwn", "fmt_date", "fmt_who"]
