"""The consultation ("høring"): the list of consulted parties, their responses with section
comments and attachments, and the secretariat's processing of each point."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .agreements import TextVersion
from .base import enum_column, utcnow
from .cycles import Cycle, Milestone
from .files import StoredFile
from .parties import Organisation
from .types import UTCDateTime


class ConsultationState(enum.StrEnum):
    DRAFT = "draft"  # being prepared; the parties know nothing yet
    OPENED = "opened"  # sent: the invitations went out; open/closed follow from the dates


class Publication(enum.StrEnum):
    """Who sees all responses once the deadline has passed."""

    INVITED = "invited"
    PUBLIC = "public"


class ConsultationResponseState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Outcome(enum.StrEnum):
    INCORPORATED = "incorporated"  # Indarbejdet
    PARTLY = "partly"  # Delvist indarbejdet
    NOT_INCORPORATED = "not_incorporated"  # Ikke indarbejdet
    NOTED = "noted"  # Taget til efterretning


class Consultation(Model):
    """A consultation on one frozen text version. Its period is its milestone's: it opens at
    the milestone's start and closes at its end (the deadline)."""

    __tablename__ = "consultations"
    __table_args__ = (UniqueConstraint("cycle_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    text_version_id: Mapped[int] = mapped_column(ForeignKey("text_versions.id"))
    title: Mapped[str] = mapped_column(String(200))
    letter: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # Required when the deadline is less than four weeks after the start; the parties see it.
    short_deadline_reason: Mapped[str] = mapped_column(Text, default="")
    publication: Mapped[Publication] = mapped_column(
        enum_column(Publication, "publication"), default=Publication.INVITED
    )
    state: Mapped[ConsultationState] = mapped_column(
        enum_column(ConsultationState, "consultation_state"), default=ConsultationState.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(lazy="raise")
    milestone: Mapped[Milestone] = relationship(lazy="raise")
    text_version: Mapped[TextVersion] = relationship(lazy="raise")
    parties: Mapped[list[ConsultationParty]] = relationship(
        back_populates="consultation", lazy="raise", cascade="all, delete-orphan"
    )
    documents: Mapped[list[ConsultationDocument]] = relationship(
        lazy="raise", cascade="all, delete-orphan",
        order_by="(ConsultationDocument.position, ConsultationDocument.id)",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.cycle.region_id

    @property
    def starts_at(self) -> datetime | None:
        return self.milestone.starts_at

    @property
    def deadline(self) -> datetime:
        return self.milestone.ends_at


class ConsultationDocument(Model):
    """An extra document sent with the consultation (a cover letter, an appendix)."""

    __tablename__ = "consultation_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    file: Mapped[StoredFile] = relationship(lazy="raise")


class ConsultationParty(Model):
    """One line of the list of consulted parties ("høringslisten"): an organisation of the
    region, or a named external address without an account (which answers through a signed
    personal link carrying `access_nonce`)."""

    __tablename__ = "consultation_parties"
    __table_args__ = (
        UniqueConstraint("consultation_id", "organisation_id"),
        UniqueConstraint("consultation_id", "email"),
        CheckConstraint("organisation_id IS NOT NULL OR email IS NOT NULL", name="who"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # The name on the list: the organisation's (copied when invited) or the external party's.
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))  # external parties only
    access_nonce: Mapped[str | None] = mapped_column(String(32), unique=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An extension for this party alone: a response until then is accepted (and marked late).
    extended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    consultation: Mapped[Consultation] = relationship(back_populates="parties", lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.consultation.region_id


class ConsultationResponse(Model):
    """The one official response of a party; its people share the draft. The secretariat's
    processing (summary, comment, the outcome of the general text) lives here too."""

    __tablename__ = "consultation_responses"
    __table_args__ = (UniqueConstraint("party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("consultation_parties.id"))
    state: Mapped[ConsultationResponseState] = mapped_column(
        enum_column(ConsultationResponseState, "consultation_response_state"),
        default=ConsultationResponseState.DRAFT,
    )
    no_comments: Mapped[bool] = mapped_column(Boolean, default=False)  # "Ingen bemærkninger"
    general_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_name: Mapped[str] = mapped_column(String(160), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_by_name: Mapped[str] = mapped_column(String(160), default="")
    is_late: Mapped[bool] = mapped_column(Boolean, default=False)
    # The secretariat's processing.
    summary: Mapped[str] = mapped_column(Text, default="")
    secretariat_comment: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "outcome"))
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    processed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    party: Mapped[ConsultationParty] = relationship(lazy="raise")
    comments: Mapped[list[ResponseComment]] = relationship(
        back_populates="response", lazy="raise", cascade="all, delete-orphan",
        order_by="(ResponseComment.position, ResponseComment.id)",
    )
    attachments: Mapped[list[ResponseAttachment]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ResponseAttachment.id"
    )

    __mapper_args__ = {"version_id_col": version_id}


class ResponseComment(Model):
    """A point of a response tied to a section of the consulted version, with the
    secretariat's outcome; `changed_section_key` names the section of the next version it
    changed (the diff shows the response beside it)."""

    __tablename__ = "consultation_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("consultation_responses.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("text_sections.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "outcome"))
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    changed_section_key: Mapped[str | None] = mapped_column(String(32))

    response: Mapped[ConsultationResponse] = relationship(back_populates="comments", lazy="raise")


class ResponseAttachment(Model):
    __tablename__ = "consultation_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("consultation_responses.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))

    file: Mapped[StoredFile] = relationship(lazy="raise")
