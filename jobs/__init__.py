"""The reminder scheduler and what it runs."""
