"""Turn a Reply into what is posted where everyone sees it: no Share button, maybe a byline."""

from __future__ import annotations

from bot.render.blocks import Reply, context
from bot.render.format import fmt_who

SHARE = "share"  # the action_id of the views' "Share in channel" button


def _is_share(block: dict) -> bool:
    return block.get("type") == "actions" and any(
        e.get("action_id") == SHARE for e in block.get("elements", ())
    )


def is_shareable(reply: Reply) -> bool:
    """Answers carry a Share button; errors and "not found" do not."""
    return any(_is_share(b) for b in reply.blocks)


def public_blocks(reply: Reply, shared_by: str | None = None) -> list[dict]:
    """The reply's blocks for a channel, thread or DM: already shared, so no Share button."""
    blocks = [b for b in reply.blocks if not _is_share(b)]
    if shared_by is not None:
        # Replaces the removed actions block, so the views' 50-block fit still holds.
        blocks.append(context(f"Shared by {fmt_who(shared_by)}"))
    return blocks
