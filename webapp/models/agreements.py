"""Agreement texts: a cycle's texts, their numbered versions and each version's sections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import utcnow
from .cycles import Cycle
from .types import UTCDateTime


class AgreementText(Model):
    """One text of a cycle's agreement, e.g. "Udviklingsstrategi" or "Styringsaftale"."""

    __tablename__ = "agreement_texts"
    __table_args__ = (UniqueConstraint("cycle_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(lazy="raise")
    versions: Mapped[list[TextVersion]] = relationship(
        back_populates="text", lazy="raise", cascade="all, delete-orphan",
        order_by="TextVersion.number",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.cycle.region_id


class TextVersion(Model):
    """A numbered version ("Udkast 1", "Udkast 2", "Endelig"). Frozen once sent: never changed."""

    __tablename__ = "text_versions"
    __table_args__ = (UniqueConstraint("text_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("agreement_texts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 … within the text
    label: Mapped[str] = mapped_column(String(80))
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    # The version this one was copied from (None for the first, or an imported one).
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("text_versions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    text: Mapped[AgreementText] = relationship(back_populates="versions", lazy="raise")
    sections: Mapped[list[TextSection]] = relationship(
        back_populates="text_version", lazy="raise", cascade="all, delete-orphan",
        order_by="(TextSection.position, TextSection.id)",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.text.region_id

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class TextSection(Model):
    """A numbered section: heading and Markdown body. Changed only through its version (whose
    counter moves), never after the version is frozen.

    `key` is the section's identity across versions (copied into the next version), so the
    diff pairs sections that were renamed or moved and a consultation comment's section can
    be found again in the next version.
    """

    __tablename__ = "text_sections"
    __table_args__ = (UniqueConstraint("text_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_version_id: Mapped[int] = mapped_column(ForeignKey("text_versions.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[int] = mapped_column(Integer, default=1)  # 1 = "2", 2 = "2.1"
    heading: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")

    text_version: Mapped[TextVersion] = relationship(back_populates="sections", lazy="raise")
