"""Workshop sign-up (issue 13): who is invited, their answer and needs, and their picks.

The limits hold in the database, not only in the code, so that two people taking the last place
at the same moment cannot both get it:

- a limited theme has numbered seats 1..capacity (`WorkshopSeat`); a pick that holds a place
  names its seat, and (theme, seat) is unique among picks. Two sign-ups for the last seat insert
  the same (theme, seat): the database lets one through and refuses the other.
- a session has numbered pick slots 1..picks_max (`WorkshopPickSlot`); a pick names its slot,
  and (invitee, session, slot) is unique, so nobody holds more picks than the rule allows.

A pick on a full theme may wait (`waiting`, no seat): it keeps its slot, so a person on the
waiting list has still made their picks; places go to the waiting in the order they came
(created_at, id).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import utcnow
from .parties import Organisation, User
from .types import UTCDateTime
from .workshops import Workshop, WorkshopTheme


class WorkshopInvitee(Model):
    """One invited person: a person with an account, or a named address without one (who
    signs up through a signed personal link carrying `access_nonce`). `attending` is None until
    they answer."""

    __tablename__ = "workshop_invitees"
    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id"),
        UniqueConstraint("workshop_id", "email"),
        CheckConstraint("user_id IS NOT NULL OR email IS NOT NULL", name="who"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The organisation they come from (the person's own; chosen for an address), for the mix.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))  # people without an account only
    access_nonce: Mapped[str | None] = mapped_column(String(32), unique=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attending: Mapped[bool | None] = mapped_column(Boolean)
    needs: Mapped[str] = mapped_column(Text, default="")  # dietary or accessibility needs
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    workshop: Mapped[Workshop] = relationship(lazy="raise")
    user: Mapped[User | None] = relationship(lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.workshop.region_id

    @property
    def has_account(self) -> bool:
        return self.user_id is not None


class WorkshopSeat(Model):
    """A numbered place of a limited theme: 1..capacity exist, no more."""

    __tablename__ = "workshop_seats"
    __table_args__ = (CheckConstraint("seat >= 1", name="seat_positive"),)

    theme_id: Mapped[int] = mapped_column(ForeignKey("workshop_themes.id"), primary_key=True)
    seat: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class WorkshopPickSlot(Model):
    """A numbered pick of a session's rule: 1..picks_max exist, no more."""

    __tablename__ = "workshop_pick_slots"
    __table_args__ = (CheckConstraint("slot >= 1", name="slot_positive"),)

    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id"),
                                            primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class WorkshopPick(Model):
    """An invitee's pick of a theme: with a seat (a limited theme), without one (no limit), or
    waiting for a seat."""

    __tablename__ = "workshop_picks"
    __table_args__ = (
        UniqueConstraint("invitee_id", "theme_id"),
        UniqueConstraint("invitee_id", "session_id", "slot"),
        UniqueConstraint("theme_id", "seat"),
        ForeignKeyConstraint(["session_id", "slot"],
                             ["workshop_pick_slots.session_id", "workshop_pick_slots.slot"]),
        ForeignKeyConstraint(["theme_id", "seat"],
                             ["workshop_seats.theme_id", "workshop_seats.seat"]),
        CheckConstraint("NOT waiting OR seat IS NULL", name="waiting_has_no_seat"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("workshop_invitees.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("workshop_themes.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    seat: Mapped[int | None] = mapped_column(Integer)
    waiting: Mapped[bool] = mapped_column(Boolean, default=False)
    # First come, first served: the waiting list's order.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    invitee: Mapped[WorkshopInvitee] = relationship(lazy="raise")
    theme: Mapped[WorkshopTheme] = relationship(lazy="raise")
