"""Council approvals (issue 12): the approval round and each council's decision."""
