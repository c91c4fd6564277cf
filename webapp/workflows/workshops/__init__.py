"""The workshop (issue 13): setup, invitations, sign-up and the reminders' audience."""
