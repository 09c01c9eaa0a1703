"""Events: a mention answers in its thread, a direct message is a command (App Home: home.py)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.grammar import CommandError, Help, Show, parse
from bot.render import Reply, error_reply
from bot.slack.failures import text
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.messages import public_blocks
from bot.slack.posting import UNCLEAR, NotConfirmed, OncePoster, post_metadata

log = logging.getLogger(__name__)

# The read-only verbs a mention may start with ("@brs funding partly").
VERBS = frozenset({"help", "list", "section", "funding", "deadlines", "search", "history"})
_SLACK_TOKEN = re.compile(r"<[^>]*>")  # <@U123>, <#C123|general>, <https://…>
_CODE = re.compile(r"\b([A-Za-z]+)(\d+)\b")
MENTION_HELP = (
    "Ask me about an activity by its code, like `@brs what about S8?`, "
    "or type `/brs help` to see everything I can answer."
)


def mention_command(text: str, codes: Iterable[str]) -> str | None:
    """The command a mention asks for: what the grammar reads (a command or a plain question),
    else the first activity code named; else None."""
    words = _SLACK_TOKEN.sub(" ", text).split()
    if words and words[0].lower() in VERBS:
        return " ".join(words)
    try:
        if words and not isinstance(parse(" ".join(words)), (Help, Show)):
            return " ".join(words)  # "@brs what is due in the next 30 days?"
    except CommandError:
        pass
    known = {c.casefold(): c for c in codes}
    found = _CODE.findall(" ".join(words))
    for letters, digits in found:
        if (letters + digits).casefold() in known:
            return known[(letters + digits).casefold()]
    # "S18" looks like a code: answer it, so the reply lists the valid ones.
    prefixes = {re.sub(r"\d+$", "", c) for c in known}
    return next((a + d for a, d in found if a.casefold() in prefixes), None)


def _direct_message(event: dict) -> bool:
    # People typing to the bot, not edits, joins or other bots (Bolt already drops our own).
    return event.get("channel_type") == "im" and not event.get("subtype") and "bot_id" not in event


def ignore() -> None:
    """Acknowledge an event brs has nothing to say to; unhandled events would get a 404."""


def register(app: App, deps: Deps) -> None:
    def mention(event: dict, client: WebClient) -> None:
        command = mention_command(str(event.get("text") or ""), deps.store.codes())
        brief = command in deps.store.codes()  # a code alone: the compact card, in a thread
        reply = (
            deps.answer(f"{command} brief" if brief else command)
            if command
            else error_reply(MENTION_HELP)
        )
        channel, ts = text(event, "channel"), text(event, "ts")
        thread = event.get("thread_ts") if isinstance(event.get("thread_ts"), str) else ts
        _reply_later(deps, client, channel, reply, f"mention:{channel}:{ts}", thread)

    def direct(event: dict, client: WebClient) -> None:
        channel, ts = text(event, "channel"), text(event, "ts")
        words = event.get("text")
        words = words if isinstance(words, str) else ""
        # A change is committed here, before the ack; the reply is posted after it.
        reply = deps.answer(words, user=event.get("user"), channel=channel)
        _reply_later(deps, client, channel, reply, f"dm:{channel}:{ts}", None)

    app.event("app_mention")(mention)
    app.event("message", matchers=[_direct_message])(direct)
    app.event("message")(ignore)  # edits, joins, bots: acknowledged and left alone


def _reply_later(
    deps: Deps, client: WebClient, channel: str, reply: Reply, key: str, thread: str | None
) -> None:
    poster = deps.poster or OncePoster(client)

    def send() -> None:
        fields = {"blocks": public_blocks(reply), "text": reply.text}
        if thread:
            fields["thread_ts"] = thread
        try:
            poster.post(channel, metadata=post_metadata(key), **fields)
        except (NotConfirmed, SlackApiError, *UNCLEAR) as e:
            log.warning("reply in %s not posted: %s", channel, e)

    if not deps.followups.later(send, "reply"):
        log.warning("reply in %s dropped: too many follow-ups queued", channel)
