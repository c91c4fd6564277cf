"""Create forms that have been used: a create form is sent once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .types import UTCDateTime


class UsedFormToken(Model):
    """The one-time token of a create form that created something, written in the same
    transaction as what it created. The unique nonce makes a second post of the same form (a
    double click, a resent POST) fail to claim it, so it creates nothing; `location` is where
    the first post's creation is shown, where the second one is sent."""

    __tablename__ = "used_form_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    form: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    location: Mapped[str] = mapped_column(String(500), default="")
    used_at: Mapped[datetime] = mapped_column(UTCDateTime())
