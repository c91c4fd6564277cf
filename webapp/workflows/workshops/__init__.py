"""The workshop (issue 13)."""
