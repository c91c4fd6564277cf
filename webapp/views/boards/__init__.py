"""Prioritisation boards' pages (issue 14): setup, scoring, results."""
