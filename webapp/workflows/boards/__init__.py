"""Prioritisation boards (issue 14): setup and running, scoring, results."""
