"""Forms of the consultation."""
