"""Reading organisations, people and the audit trail, scoped to the reader's region."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import ApiToken, AuditEvent, Organisation, User
from ..routing import clamp_page


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


def api_tokens_of(user: User) -> list[ApiToken]:
    """A person's API tokens, newest first, revoked ones included (marked as such)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def api_token_or_404(owner: User, token_id: int) -> ApiToken:
    """One of `owner`'s tokens; anybody else's, or an unknown id, is a 404."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == owner.id))
    if token is None:
        abort(404)
    return token


def region_organisations(region_id: int) -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).where(Organisation.region_id == region_id)
        .order_by(Organisation.kind, Organisation.name)))


def people_per_organisation(region_id: int) -> dict[int, int]:
    return {org_id: n for org_id, n in db.session.execute(
        select(User.organisation_id, func.count(User.id))
        .join(Organisation, User.organisation_id == Organisation.id)
        .where(Organisation.region_id == region_id)
        .group_by(User.organisation_id))}


def people_page(region_id: int, search: str, page: int, size: int) -> tuple[list[User], int]:
    """One page of the region's people (with organisation and roles) and how many match.
    The search looks in names case-insensitively (Danish letters too) and in addresses."""
    query = (
        select(User)
        .join(Organisation, User.organisation_id == Organisation.id)
        .where(Organisation.region_id == region_id)
    )
    if search:
        needle = search.lower()
        query = query.where(func.lower(User.name).contains(needle, autoescape=True)
                            | User.email.contains(needle, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    persons = db.session.scalars(
        query.options(selectinload(User.organisation), selectinload(User.grants))
        .order_by(Organisation.name, User.name, User.id)
        .limit(size).offset((clamp_page(page) - 1) * size)
    ).all()
    return list(persons), total


def audit_page(region_id: int, codes: list[str], prefixes: list[str], page: int,
               size: int) -> list[AuditEvent]:
    """One page of the region's audit trail, newest first, and one more row if there is a next
    page. Filtered on exact action codes or their beginnings when any are given."""
    query = select(AuditEvent).where(AuditEvent.region_id == region_id)
    if codes or prefixes:
        query = query.where(or_(AuditEvent.action.in_(codes), *(
            AuditEvent.action.startswith(p, autoescape=True) for p in prefixes)))
    return list(db.session.scalars(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(size + 1).offset((clamp_page(page) - 1) * size)))
