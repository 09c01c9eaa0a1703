"""Events: a mention answers in its thread, a direct message is a command (App Home: home.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_sdk import WebClient

from bot.grammar import CommandError, Help, Show, parse
from bot.render import error_reply
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.messages import public_blocks

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
        command = mention_command(event.get("text", ""), deps.store.codes())
        brief = command in deps.store.codes()  # a code alone: the compact card, in a thread
        reply = (
            deps.answer(f"{command} brief" if brief else command)
            if command
            else error_reply(MENTION_HELP)
        )
        thread = event.get("thread_ts") or event["ts"]
        client.chat_postMessage(
            channel=event["channel"], thread_ts=thread, blocks=public_blocks(reply), text=reply.text
        )

    def direct(event: dict, say: Callable[..., object]) -> None:
        reply = deps.answer(event.get("text", ""), user=event.get("user"), channel=event["channel"])
        say(blocks=public_blocks(reply), text=reply.text)

    app.event("app_mention")(mention)
    app.event("message", matchers=[_direct_message])(direct)
    app.event("message")(ignore)  # edits, joins, bots: acknowledged and left alone
