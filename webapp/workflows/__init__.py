"""The only code that changes state. Each operation checks permission and the transition, changes
rows, writes an audit event and queues e-mail. It never commits: the caller does, once."""

from .base import PermissionDenied, WorkflowError

__all__ = ["PermissionDenied", "WorkflowError"]
