"""Prioritisation boards (issue 14): setup, blind scoring and its reminders, results."""
