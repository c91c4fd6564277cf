"""The data revision: one row whose token every writing transaction replaces at its commit."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model


class DataRevision(Model):
    __tablename__ = "data_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A fresh random token per committed write: a rolled-back write leaves the old one, and two
    # histories (a test's rolled-back transaction and the next test's) never share a token.
    token: Mapped[str] = mapped_column(String(32))
