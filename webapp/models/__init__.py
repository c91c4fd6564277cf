"""All models, imported here so that Alembic and the app see one metadata."""

from .agreements import AgreementText, TextSection, TextVersion
from .approvals import ApprovalRound, ApprovalState, ApprovalVersionChange, CouncilApproval
from .audit import AuditEvent
from .consultations import (
    Consultation,
    ConsultationDocument,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    Outcome,
    Publication,
    ResponseAttachment,
    ResponseComment,
)
from .cycles import Cycle, CycleState, Milestone, MilestoneKind
from .files import StoredFile
from .forms import UsedFormToken
from .imports import ImportKind, PendingImport
from .mail import EmailAttachment, EmailState, OutboundEmail
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
from .workshop_input import (
    InputComment,
    InputItem,
    InputKind,
    ListTheme,
    ListThemeItem,
    ListThemeSource,
    RecommendationLabel,
)
from .workshop_signups import WorkshopInvitee, WorkshopPick, WorkshopPickSlot, WorkshopSeat
from .workshops import Workshop, WorkshopSession, WorkshopTheme

__all__ = [
    "AgreementText",
    "ApiToken",
    "ApprovalRound",
    "ApprovalState",
    "ApprovalVersionChange",
    "AuditEvent",
    "Consultation",
    "ConsultationDocument",
    "ConsultationParty",
    "ConsultationResponse",
    "ConsultationResponseState",
    "ConsultationState",
    "CouncilApproval",
    "Cycle",
    "CycleState",
    "DataRevision",
    "DeadlineExtension",
    "DeliveryState",
    "EmailAttachment",
    "EmailState",
    "ImportKind",
    "InputComment",
    "InputItem",
    "InputKind",
    "ListTheme",
    "ListThemeItem",
    "ListThemeSource",
    "LoginAttempt",
    "Milestone",
    "MilestoneKind",
    "OrgKind",
    "Organisation",
    "OutboundEmail",
    "Outcome",
    "PendingImport",
    "Publication",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireRecipient",
    "QuestionnaireResponse",
    "RecommendationLabel",
    "Region",
    "ReminderDelivery",
    "ReminderRule",
    "ResponseAttachment",
    "ResponseComment",
    "ResponseState",
    "Role",
    "RoleGrant",
    "RuleKind",
    "Section",
    "StoredFile",
    "Submission",
    "TargetAudience",
    "TargetGroup",
    "TextSection",
    "TextVersion",
    "UsedFormToken",
    "User",
    "Workshop",
    "WorkshopInvitee",
    "WorkshopPick",
    "WorkshopPickSlot",
    "WorkshopSeat",
    "WorkshopSession",
    "WorkshopTheme",
]
