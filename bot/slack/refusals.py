"""Why Slack refused something, in one line a person can act on: the one table of reasons."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

# What a person can do about the usual reasons Slack refuses a post or an upload.
WHY = {
    "not_in_channel": "I am not a member of this channel: invite me with `/invite @brs`, "
    "then try again.",
    "channel_not_found": "I cannot post in this conversation: invite me with `/invite @brs`, "
    "or ask me in a direct message (in a direct message with someone else I cannot post).",
    "missing_scope": "The app may not do this yet: a workspace admin reinstalls it from "
    "the current manifest (it asks for every scope brs uses).",
    "is_archived": "This channel is archived.",
    "ratelimited": "Slack is limiting how fast I may post; try again in a minute.",
}


def why(error: Exception, what: str = "post") -> str:
    """One line saying why `what` failed and what to do; never empty, never a traceback."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        if status >= 500:  # the body may be an HTML error page: do not look inside
            return f"Slack answered with a server error ({status}) after retries; try again later."
        code = error.response.get("error", "") or ("ratelimited" if status == 429 else "")
        shown = (code or str(status)).replace("&", "&amp;").replace("<", "&lt;")
        return WHY.get(code, f"Slack refused the {what}: `{shown}`.")
    return "Slack could not be reached, even after retries; try again later."


def brief(error: Exception) -> str:
    """For the log: what Slack answered, without advice."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        if status >= 400:
            return f"Slack answered HTTP {status}"
        return f"Slack answered {error.response.get('error', 'not ok')}"
    return f"Slack could not be reached ({type(error).__name__}: {error})"
