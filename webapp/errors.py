"""The refusals every layer shares: a workflow raises them, `permissions.require` raises
`PermissionDenied`, views show their message. Kept apart so that permissions need not import
the workflows that import them."""

from __future__ import annotations


class WorkflowError(Exception):
    """A refused operation, with a message a person understands. `field` points at a form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(WorkflowError):
    pass
