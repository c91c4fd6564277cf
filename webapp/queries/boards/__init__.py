"""Prioritisation boards as read (issue 14): loaders, a member's ballot, the results."""
