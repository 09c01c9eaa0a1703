"""The grammar of `/brs export md|docx|csv|deadlines|ics` and `/brs timeline`: which file."""

from __future__ import annotations

from dataclasses import dataclass

from bot.grammar.words import CommandError, without_prefix

VERBS = frozenset({"export", "timeline"})
# What Slack offers; the CLI also writes json, and png is the timeline.
FORMATS = ("md", "docx", "csv", "deadlines-csv", "ics", "json", "png")
ALIASES = {"deadlines": "deadlines-csv"}
FORM = "/brs export md (or docx, csv, deadlines, ics), /brs timeline"


@dataclass(frozen=True)
class FileRequest:
    fmt: str  # one of FORMATS

    @property
    def text(self) -> str:
        return "timeline" if self.fmt == "png" else f"export {self.fmt}"


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
    fmt = ALIASES.get(fmt, fmt)
    if len(rest) > 1 or fmt not in FORMATS:
        shown = " ".join(rest)[:30]
        raise CommandError(
            f'Unknown export format "{shown}"; use md, docx, csv, deadlines or ics, '
            "like: /brs export csv"
        )
    return FileRequest(fmt)


def requested(text: str) -> FileRequest | None:
    """The file a `/brs` text asks for, None if it asks for something else; CommandError."""
    words = without_prefix(text)
    if not words or words[0].lower() not in VERBS:
        return None
    return parse(words[0], words[1:])
