"""All models, imported here so that Alembic and the app see one metadata."""

from .audit import AuditEvent
from .cycles import Cycle, CycleState, Milestone, MilestoneKind
from .forms import UsedFormToken
from .mail import EmailState, OutboundEmail
from .parties import ApiToken, LoginAttempt, Organisation, OrgKind, Region, Role, RoleGrant, User
from .questionnaires import (
    DeadlineExtension,
    Question,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    QuestionType,
    ResponseState,
    Section,
    Submission,
    TargetAudience,
    TargetGroup,
)
from .reminders import DeliveryState, ReminderDelivery, ReminderRule, RuleKind
from .revision import DataRevision

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Cycle",
    "CycleState",
    "DataRevision",
    "DeadlineExtension",
    "DeliveryState",
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
    "QuestionnaireResponse",
    "Region",
    "ReminderDelivery",
    "ReminderRule",
    "ResponseState",
    "Role",
    "RoleGrant",
    "RuleKind",
    "Section",
    "Submission",
    "TargetAudience",
    "TargetGroup",
    "UsedFormToken",
    "User",
]
