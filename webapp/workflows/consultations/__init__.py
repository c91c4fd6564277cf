"""The consultation ("høring"): setup, the list of parties, reminders (issue 11 part B)."""
