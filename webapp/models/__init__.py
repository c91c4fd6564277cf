"""All models, imported here so that Alembic and the app see one metadata."""

from .audit import AuditEvent
from .cycles import Cycle, CycleState, Milestone, MilestoneKind
from .mail import EmailState, OutboundEmail
from .parties import ApiToken, LoginAttempt, Organisation, OrgKind, Region, Role, RoleGrant, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Cycle",
    "CycleState",
    "EmailState",
    "LoginAttempt",
    "Milestone",
    "MilestoneKind",
    "OrgKind",
    "Organisation",
    "OutboundEmail",
    "Region",
    "Role",
    "RoleGrant",
    "User",
]
