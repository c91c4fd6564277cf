"""Regions (the tenants), organisations, people and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    inspect,
    select,
    true,
)
from sqlalchemy.orm import InstanceState, Mapped, column_property, mapped_column, relationship

from ..extensions import Model
from .base import enum_column, utcnow
from .types import UTCDateTime


class OrgKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    REGION = "region"
    USER_ORGANISATION = "user_organisation"
    SECRETARIAT = "secretariat"
    STEERING_BODY = "steering_body"


class Role(enum.StrEnum):
    SECRETARIAT = "secretariat"
    RESPONDENT = "respondent"
    STEERING_MEMBER = "steering_member"
    USER_ORG_REP = "user_org_rep"
    POLITICIAN = "politician"
    OBSERVER = "observer"


class Region(Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # A deactivated region keeps every row; its people cannot sign in until it is activated.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def region_id(self) -> int:
        """A region is its own tenant: `can` asks every object the same question."""
        return self.id

    def __repr__(self) -> str:
        return f"<Region {self.code}>"


class Organisation(Model):
    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("region_id", "name"),
        CheckConstraint(
            "kind NOT IN ('municipality', 'region') OR council_name IS NOT NULL",
            name="council_required",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    name: Mapped[str] = mapped_column(String(160))
    council_name: Mapped[str | None] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version_id: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region] = relationship(lazy="raise")
    # Read with the organisation (one subquery, no lazy load): may its people sign in?
    region_active: Mapped[bool] = column_property(
        select(Region.active).where(Region.id == region_id).correlate_except(Region)
        .scalar_subquery())

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Changes when the password changes: old sessions and signed links stop working.
    session_nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Non-urgent notices collected into one e-mail a day instead of one each.
    digest_notices: Mapped[bool] = mapped_column(Boolean, default=False)
    # The private calendar feed's secret; a new one revokes the old address.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", lazy="raise", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}

    # Flask-Login: the id carries the nonce, so a password change logs out every other session.
    def get_id(self) -> str:
        return f"{self.id}.{self.session_nonce}"

    @property
    def is_active(self) -> bool:
        """May sign in: active, with a password, and in a region that is not deactivated."""
        return self.active and self.password_hash is not None and self.region_open

    @property
    def region_open(self) -> bool:
        """Whether the person's region is active, read like `region_id` (no lazy load)."""
        state: InstanceState[User] = inspect(self)
        if "organisation" not in state.unloaded or state.session is None:
            return self.organisation.region_active
        with state.session.no_autoflush:
            return bool(state.session.execute(
                select(Region.active).join(Organisation, Organisation.region_id == Region.id)
                .where(Organisation.id == self.organisation_id)).scalar_one())

    @property
    def region_id(self) -> int:
        """The region of the person's organisation. Answered without a lazy load (the
        relationship is lazy="raise") and without flushing the caller's pending changes."""
        state: InstanceState[User] = inspect(self)
        if "organisation" not in state.unloaded or state.session is None:
            return self.organisation.region_id
        with state.session.no_autoflush:
            return state.session.execute(
                select(Organisation.region_id).where(Organisation.id == self.organisation_id)
            ).scalar_one()

    def roles_in(self, region_id: int) -> set[Role]:
        return {g.role for g in self.grants if g.region_id == region_id}

    def has_role(self, role: Role, region_id: int | None = None) -> bool:
        region_id = self.region_id if region_id is None else region_id
        return role in self.roles_in(region_id)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleGrant(Model):
    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "region_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants", lazy="raise")


class ApiToken(Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's last four characters, so its owner can tell tokens apart; None for tokens
    # made before they were kept.
    last_four: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="raise")


class LoginAttempt(Model):
    """One attempt at something throttled (a login, a password reset request); the throttles
    count recent ones of their `purpose` per account and per client address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_created", "email", "created_at"),
        Index("ix_login_attempts_address_created", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16), default="login", server_default="login")
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
