"""Upload an exported file to a conversation with files_upload_v2, after the command's ack.

files_upload_v2 is files.getUploadURLExternal, the upload itself and
files.completeUploadExternal, through the injected client.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.exports.files import FileOut
from bot.render import escape_mrkdwn, fmt_who

log = logging.getLogger(__name__)


def upload(client: WebClient, channel: str, out: FileOut, *, user: str | None = None) -> None:
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
