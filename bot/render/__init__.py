"""Results and outcomes as Block Kit (plain dicts): blocks, format, results, outcomes, form, home.

The leaf names below stay importable from `bot.render`; `render` is in bot.render.results.
"""

from bot.render.blocks import (
    FULL_TEXT,
    MAX_BLOCKS,
    SECTION_MAX,
    OpenModal,
    Reply,
    cut,
    error_reply,
    escape_mrkdwn,
    fit,
)
from bot.render.format import badge, due_line, fmt_date, fmt_days, fmt_when, fmt_who

__all__ = [
    "FULL_TEXT",
    "MAX_BLOCKS",
    "SECTION_MAX",
    "OpenModal",
    "Reply",
    "badge",
    "cut",
    "due_line",
    "error_reply",
    "escape_mrkdwn",
    "fit",
    "fmt_date",
    "fmt_days",
    "fmt_when",
    "fmt_who",
]
