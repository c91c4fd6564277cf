"""Capacity questionnaires: target groups, questionnaires, questions, responses, extensions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import enum_column, utcnow
from .cycles import Cycle, Milestone
from .parties import Organisation
from .types import UTCDateTime


class TargetAudience(enum.StrEnum):
    CHILDREN_YOUTH = "children_youth"
    ADULTS = "adults"


class QuestionType(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    GRID = "grid"


class ResponseState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REOPENED = "reopened"


class TargetGroup(Model):
    """Reference data the secretariat maintains: who the offers are for."""

    __tablename__ = "target_groups"
    __table_args__ = (UniqueConstraint("region_id", "audience", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    audience: Mapped[TargetAudience] = mapped_column(enum_column(TargetAudience, "audience"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class Questionnaire(Model):
    __tablename__ = "questionnaires"
    __table_args__ = (UniqueConstraint("cycle_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    # The questionnaire milestone: it opens at its start and closes at its deadline.
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaires.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(lazy="raise")
    milestone: Mapped[Milestone] = relationship(lazy="raise")

    @property
    def region_id(self) -> int:
        return self.cycle.region_id
    sections: Mapped[list[Section]] = relationship(
        back_populates="questionnaire", lazy="raise", cascade="all, delete-orphan",
        order_by="(Section.position, Section.id)",
    )
    recipients: Mapped[list[QuestionnaireRecipient]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def opens_at(self) -> datetime | None:
        return self.milestone.starts_at

    @property
    def closes_at(self) -> datetime:
        return self.milestone.ends_at

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


class QuestionnaireRecipient(Model):
    __tablename__ = "questionnaire_recipients"
    __table_args__ = (UniqueConstraint("questionnaire_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class Section(Model):
    __tablename__ = "questionnaire_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="sections", lazy="raise")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", lazy="raise", cascade="all, delete-orphan",
        order_by="(Question.position, Question.id)",
    )

    __mapper_args__ = {"version_id_col": version_id}


class Question(Model):
    """One question. `key` is stable across clones: prefill and year-on-year match on it.

    `config` by type: integer/decimal {"min", "max"}; single/multiple choice {"choices": [...]};
    scale {"allow_dont_know"}; grid {"audience", "columns": [{"key", "label", "type", "min",
    "max", "allow_dont_know", "required", "required_when": {"column", "in"}}]}.
    `condition` {"question": key, "in": [values]} makes the question required when it holds.
    """

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_sections.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(64))
    type: Mapped[QuestionType] = mapped_column(enum_column(QuestionType, "question_type"))
    label: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    section: Mapped[Section] = relationship(back_populates="questions", lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}


class QuestionnaireResponse(Model):
    """The one official response of an organisation; several of its people edit the draft."""

    __tablename__ = "responses"
    # The audit trail has named these "Response" since the start; the class was renamed so it
    # no longer shadows Flask's Response.
    audit_type: ClassVar[str] = "Response"
    __table_args__ = (UniqueConstraint("questionnaire_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[ResponseState] = mapped_column(
        enum_column(ResponseState, "response_state"), default=ResponseState.DRAFT
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Keys filled from last cycle's answers and not yet touched: marked in the form.
    prefilled: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_name: Mapped[str] = mapped_column(String(160), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_by_name: Mapped[str] = mapped_column(String(160), default="")
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}


class Submission(Model):
    """Every submission is kept: what was sent, by whom, when."""

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_response_submitted", "response_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_by_name: Mapped[str] = mapped_column(String(160), default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DeadlineExtension(Model):
    __tablename__ = "deadline_extensions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}
