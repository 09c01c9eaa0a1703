"""Errors callers catch, importable without loading the importer and its date patterns."""


class ReportError(ValueError):
    """A report that cannot be read; the message names the file and line."""
