"""Prioritisation boards (issue 14): pages."""
