"""bot/changes."""
