"""`/brs changes` as Block Kit (plain dicts): a section per activity, who and when on each line."""

from __future__ import annotations

from bot.queries.report_changes import ReportChanges
from bot.render.blocks import SECTION_MAX, Reply, actions, button, cut, escape_mrkdwn, fit, header
from bot.render.blocks import section as section_block
from bot.render.format import fmt_when, fmt_who

MORE = "older changes: /brs changes since <date>"


def _who(user: str) -> str:
    return "the import" if user == "import" else fmt_who(user)


def render_changes(r: ReportChanges) -> Reply:
    """Activities in report order; fit() keeps it within Slack's limits, pointing at the rest."""
    head = f"Changes since {r.since}"
    blocks = [header(cut(head, 150))]
    if not r.activities:
        blocks.append(section_block("Nothing changed."))
    for a in r.activities:
        lines = [
            f"• {escape_mrkdwn(cut(x.what, 300))} — {_who(x.user)}, {fmt_when(x.at)}"
            for x in a.lines
        ]
        title = f"*{escape_mrkdwn(a.code)}* {escape_mrkdwn(cut(a.title, 120))}"
        blocks.append(section_block(cut("\n".join([title, *lines]), SECTION_MAX)))
    blocks.append(actions(button("Share in channel", "share", r.command)))
    count = len(r.activities)
    text = f"{head}: {count} activit{'y' if count == 1 else 'ies'} changed"
    return Reply(fit(blocks, MORE), cut(escape_mrkdwn(text), 300))
