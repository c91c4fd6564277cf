"""Council approvals: pages."""
