"""Follows and DMs in words (outcomes of bot.changes.follows)."""

from __future__ import annotations

from bot.changes import follows as f
from bot.render.blocks import Reply, context, cut, escape_mrkdwn, fit, section
from bot.render.results import render as render_result

DM_ON_NOTE = "`/brs dm on` turns reminders by DM back on."


def _said(text: str, note: str = "") -> Reply:
    blocks = [section(text)]
    if note:
        blocks.append(context(note))
    return Reply(fit(blocks), cut(text.replace("*", ""), 300))


def _activities(pairs: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"• *{escape_mrkdwn(c)}* {escape_mrkdwn(cut(t, 120))}" for c, t in pairs)


def render(outcome: f.Outcome) -> Reply:
    """One reply per outcome; a Problem is the shared renderer's."""
    if isinstance(outcome, f.Followed):
        c, title = escape_mrkdwn(outcome.code), escape_mrkdwn(cut(outcome.title, 120))
        if outcome.on:
            head = "You already follow" if not outcome.changed else ":bell: You now follow"
            note = f"Its reminders come to you by DM. `/brs unfollow {c}` stops them."
            if outcome.dm_off:
                note = f"You turned reminders by DM off, so none come yet. {DM_ON_NOTE}"
            return _said(f"{head} *{c}* {title}.", note)
        head = "You did not follow" if not outcome.changed else ":no_bell: You no longer follow"
        return _said(f"{head} *{c}* {title}.", "`/brs following` lists what you follow.")
    if isinstance(outcome, f.FollowList):
        parts = []
        if outcome.follows:
            parts.append(f"*You follow* ({len(outcome.follows)})\n{_activities(outcome.follows)}")
        else:
            parts.append("You follow nothing yet: `/brs follow S8` gets S8's reminders by DM.")
        if outcome.owns:
            parts.append(f"*You own* ({len(outcome.owns)})\n{_activities(outcome.owns)}")
        note = "Reminders come to you by DM (`/brs dm off` stops them)."
        if not outcome.dm_on:
            note = f"Reminders by DM are off for you. {DM_ON_NOTE}"
        return _said("\n\n".join(parts), note)
    if isinstance(outcome, f.DmSet):
        if outcome.changed is None:
            text = "Reminders by DM are *on* for you." if outcome.on else ""
            text = text or "Reminders by DM are *off* for you."
        elif outcome.on:
            text = ":bell: Reminders by DM are on again" + ("" if outcome.changed else " already")
            text += ": for what you own or follow."
        else:
            text = ":no_bell: Reminders by DM are off" + ("" if outcome.changed else " already")
            text += "; the channel still gets them."
        note = "`/brs dm off` / `/brs dm on`; `/brs following` lists what you follow or own."
        return _said(text, note)
    return render_result(outcome)
