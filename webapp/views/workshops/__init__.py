"""The workshop's pages (issue 13)."""
