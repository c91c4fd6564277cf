"""Reading organisations and people, scoped to the reader's region."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Organisation, User


def scoped_organisation_or_404(org_id: int, user: Any) -> Organisation:
    org = db.session.scalar(
        select(Organisation).where(
            Organisation.id == org_id, Organisation.region_id == user.region_id
        )
    )
    if org is None:
        abort(404)
    return org


def scoped_user_or_404(user_id: int, viewer: Any) -> User:
    person = db.session.scalar(
        select(User)
        .join(Organisation, User.organisation_id == Organisation.id)
        .where(User.id == user_id, Organisation.region_id == viewer.region_id)
        .options(selectinload(User.organisation), selectinload(User.grants))
    )
    if person is None:
        abort(404)
    return person
