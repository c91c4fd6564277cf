"""A secretariat's import of organisations or people, kept between the preview and the
confirmation: the rows as read from the file, so what is confirmed is what was previewed."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import enum_column, utcnow
from .types import UTCDateTime


class ImportKind(enum.StrEnum):
    ORGANISATIONS = "organisations"
    PEOPLE = "people"


class PendingImport(Model):
    """One uploaded file, parsed, waiting for its confirmation. The random `token` names it in
    the address; `rows` are the file's cells as text (never the file itself), and `sha256` the
    uploaded bytes' digest for the trail. Confirmed or abandoned ones are deleted."""

    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[ImportKind] = mapped_column(enum_column(ImportKind, "import_kind"))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
