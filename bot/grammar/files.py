"""`/brs export md|docx|csv|ics` and `/brs timeline`: the grammar, the file, its upload to Slack.

The upload is slack_sdk's files_upload_v2 (files.getUploadURLExternal, the upload itself,
files.completeUploadExternal) through the injected client, made after the command's ack.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.grammar import CommandError
from bot.render import Reply, error_reply, escape_mrkdwn, fmt_date, fmt_who

log = logging.getLogger(__name__)

VERBS = frozenset({"export", "timeline"})
# What Slack offers; the CLI also writes json, and png is the timeline.
FORMATS = ("md", "docx", "csv", "ics", "json", "png")
FORM = "/brs export md (or docx, csv, ics), /brs timeline"


@dataclass(frozen=True)
class FileRequest:
    fmt: str  # one of FORMATS

    @property
    def text(self) -> str:
        return "timeline" if self.fmt == "png" else f"export {self.fmt}"


@dataclass(frozen=True)
class FileOut:
    filename: str
    data: bytes
    title: str


def parse(verb: str, rest: list[str]) -> FileRequest:
    """Read `export [format]` or `timeline`; CommandError says what was wrong and the right form."""
    verb = verb.lower()
    if verb == "timeline":
        if rest:
            raise CommandError('"timeline" takes nothing more, like: /brs timeline')
        return FileRequest("png")
    if not rest:
        return FileRequest("md")
    fmt = rest[0].lower().lstrip(".")
    if len(rest) > 1 or fmt not in FORMATS:
        shown = " ".join(rest)[:30]
        raise CommandError(
            f'Unknown export format "{shown}"; use md, docx, csv or ics, like: /brs export csv'
        )
    return FileRequest(fmt)


def requested(text: str) -> FileRequest | None:
    """The file a `/brs` text asks for, None if it asks for something else; CommandError."""
    words = text.replace("&amp;", "&").split()
    if words and words[0].lower() == "/brs":
        words = words[1:]
    if not words or words[0].lower() not in VERBS:
        return None
    return parse(words[0], words[1:])


def preparing(request: FileRequest) -> str:
    from bot.exports import KINDS

    return f"Preparing the {KINDS[request.fmt].label}… it will appear in this conversation."


def console_reply(request: FileRequest) -> Reply:
    """The console has no channel to upload to: say how to write the file instead."""
    from bot.exports import KINDS

    name = "timeline.png" if request.fmt == "png" else f"report.{request.fmt}"
    return error_reply(
        f"In Slack, /brs {request.text} uploads the {KINDS[request.fmt].label} to the channel. "
        f"Here, write it to a file: brs export --format {request.fmt} -o {name}"
    )


def build(store: Any, request: FileRequest, *, now: datetime, today: date) -> FileOut:
    """The file for `request` from the store's current state."""
    from bot.exports import KINDS, export_bytes, filename

    data = export_bytes(store, request.fmt, now=now, today=today)
    kind = KINDS[request.fmt]
    title = f"{kind.label.capitalize()}, {fmt_date(today)}"
    return FileOut(filename(request.fmt, today), data, title)


# What a person can do about the usual reasons Slack refuses an upload.
_WHY = {
    "not_in_channel": "I am not a member of this channel: invite me with `/invite @brs`, "
    "then try again.",
    "channel_not_found": "I cannot post in this conversation: invite me with `/invite @brs`, "
    "or ask me in a direct message (in a direct message with someone else I cannot post).",
    "missing_scope": "The app may not upload files yet: a workspace admin reinstalls it from "
    "the current manifest (it asks for files:write).",
    "is_archived": "This channel is archived.",
    "ratelimited": "Slack is limiting how fast I may upload; try again in a minute.",
}


def why(error: Exception) -> str:
    """One line saying why an upload failed and what to do; never a traceback."""
    from slack_sdk.errors import SlackApiError

    if isinstance(error, SlackApiError):
        status = error.response.status_code
        if status >= 500:  # the body may be an HTML error page: do not look inside
            return f"Slack answered with a server error ({status}) after retries; try again later."
        code = error.response.get("error", "") if status == 200 else ""
        return _WHY.get(code, f"Slack refused the upload: `{escape_mrkdwn(code or str(status))}`.")
    return "Slack could not be reached, even after retries; try again later."


def upload(client: Any, channel: str, out: FileOut, *, user: str | None = None) -> None:
    """Upload and share in `channel`; raises SlackApiError, SlackClientError or OSError."""
    asked = f", asked for by {fmt_who(user)}" if user else ""
    client.files_upload_v2(
        channel=channel,
        file=out.data,
        filename=out.filename,
        title=out.title,
        initial_comment=f"{escape_mrkdwn(out.title)}{asked}",
    )
    log.info("uploaded %s (%d bytes) to %s", out.filename, len(out.data), channel)
