"""store/report."""
