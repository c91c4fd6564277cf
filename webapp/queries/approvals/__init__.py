"""Council approvals: the read side."""
