"""`/brs changes` as Block Kit (plain dicts): a section per activity, who and when per line."""

from __future__ import annotations

from bot.queries.report_changes import ReportChanges
from bot.render import SECTION_MAX, TOTAL_MAX, Reply, cut, escape_mrkdwn, fmt_when, fmt_who

MAX_SHOWN = 45  # sections, leaving room in Slack's 50 blocks for the header and the tail


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, SECTION_MAX)}}


def render_changes(r: ReportChanges) -> Reply:
    head = f"Changes since {escape_mrkdwn(r.since)}"
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": head[:150]}}]
    if not r.activities:
        blocks.append(_section("Nothing changed."))
        return Reply(blocks, head)
    budget = TOTAL_MAX - 400
    for n, a in enumerate(r.activities):
        who = "the import"
        lines = [
            f"• {escape_mrkdwn(cut(x.what, 300))} — "
            f"{who if x.user == 'import' else fmt_who(x.user)}, {fmt_when(x.at)}"
            for x in a.lines
        ]
        text = cut(
            f"*{escape_mrkdwn(a.code)}* {escape_mrkdwn(a.title)}\n" + "\n".join(lines), SECTION_MAX
        )
        if n >= MAX_SHOWN or len(text) > budget:
            rest = len(r.activities) - n
            more = (
                f"… and {rest} more activit{'y' if rest == 1 else 'ies'}: /brs changes since <date>"
            )
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
            break
        budget -= len(text)
        blocks.append(_section(text))
    return Reply(blocks, f"{head}: {len(r.activities)} activities")
