"""Results and outcomes as Block Kit (plain dicts): blocks, format, results, outcomes, form, home.

`render` is bot.render.results.render; the leaf names below, which the grammar and the Slack
listeners use, stay importable from `bot.render` itself.
"""

from bot.render.blocks import Reply, cut, error_reply, escape_mrkdwn
from bot.render.format import fmt_date, fmt_who

__all__ = ["Reply", "cut", "error_reply", "escape_mrkdwn", "fmt_date", "fmt_who"]
