"""The prioritisation boards' pages: setup, scoring, results."""
