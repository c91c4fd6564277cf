"""The workshop's read side."""
