"""The workshop's read side: loaders, the sign-up page, the secretariat's overview."""
