"""What is said about a file asked for with `/brs export` or `/brs timeline`."""

from __future__ import annotations

from bot.exports import KINDS
from bot.grammar.files import FileRequest
from bot.render import Reply, error_reply


def preparing(request: FileRequest) -> str:
    return f"Preparing the {KINDS[request.fmt].label}… it will appear in this conversation."


def console_reply(request: FileRequest) -> Reply:
    """The console has no channel to upload to: say how to write the file instead."""
    name = "timeline.png" if request.fmt == "png" else f"report.{request.fmt}"
    return error_reply(
        f"In Slack, /brs {request.text} uploads the {KINDS[request.fmt].label} to the channel. "
        f"Here, write it to a file: brs export --format {request.fmt} -o {name}"
    )
