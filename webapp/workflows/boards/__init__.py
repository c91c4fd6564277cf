"""Prioritisation boards (issue 14): running a board, scoring, results and publication."""
