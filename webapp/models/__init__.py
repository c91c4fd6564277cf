"""All models, imported here so that Alembic and the app see one metadata."""

from .audit import AuditEvent
from .cycles import Cycle, CycleState, Milestone, MilestoneKind
from .mail import EmailState, OutboundEmail
from .parties import ApiToken, LoginAttempt, Organisation, OrgKind, Region, Role, RoleGrant, User
from .questionnaires import (
    DeadlineExtension,
    Question,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionType,
    Response,
    ResponseState,
    Section,
    Submission,
    TargetAudience,
    TargetGroup,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Cycle",
    "CycleState",
    "DeadlineExtension",
    "EmailState",
    "LoginAttempt",
    "Milestone",
    "MilestoneKind",
    "OrgKind",
    "Organisation",
    "OutboundEmail",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireRecipient",
    "Region",
    "Response",
    "ResponseState",
    "Role",
    "RoleGrant",
    "Section",
    "Submission",
    "TargetAudience",
    "TargetGroup",
    "User",
]
