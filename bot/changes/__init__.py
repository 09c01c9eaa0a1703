"""Write commands checked against the store and committed; each returns an outcome value."""
