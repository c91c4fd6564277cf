"""Prioritisation boards (issue 14): the read side."""
