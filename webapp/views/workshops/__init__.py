"""The workshop's pages: setup and invitations, the secretariat's overview, the sign-up."""
