"""Roles and object-level checks.

Every object belongs to a region. Another region's object is a 404 (its existence is not leaked);
a known object the person may not touch is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec

from flask import abort
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from .extensions import db, login_manager
from .models import Cycle, Milestone, Organisation, Region, Role, User

P = ParamSpec("P")
View = Callable[P, ResponseReturnValue]


def region_of(obj: Any) -> int:
    if isinstance(obj, Region):
        return obj.id
    if isinstance(obj, User):
        return obj.region_id
    if isinstance(obj, Milestone):
        return obj.cycle.region_id
    return obj.region_id


def is_secretariat(user: Any, region_id: int | None = None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_role(Role.SECRETARIAT, region_id)
    )


def can_view(user: Any, obj: Any) -> bool:
    return bool(user.is_authenticated and region_of(obj) == user.region_id)


def can_edit(user: Any, obj: Any) -> bool:
    """Cycles, milestones, organisations and people are edited by the region's secretariat."""
    return can_view(user, obj) and is_secretariat(user, region_of(obj))


def role_required(*roles: Role) -> Callable[[View[P]], View[P]]:
    """The current person must hold one of `roles` in their own region, else 403."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.roles_in(current_user.region_id) & set(roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


secretariat_required = role_required(Role.SECRETARIAT)


def scoped_cycle_or_404(cycle_id: int, user: Any, *options: Any) -> Cycle:
    cycle = db.session.scalar(
        select(Cycle)
        .where(Cycle.id == cycle_id, Cycle.region_id == user.region_id)
        .options(*options)
    )
    if cycle is None:
        abort(404)
    return cycle


def scoped_milestone_or_404(cycle: Cycle, milestone_id: int) -> Milestone:
    milestone = db.session.scalar(
        select(Milestone).where(Milestone.id == milestone_id, Milestone.cycle_id == cycle.id)
    )
    if milestone is None:
        abort(404)
    # The cycle is already loaded and scoped: attach it without a query or a change event.
    set_committed_value(milestone, "cycle", cycle)
    return milestone


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
    from sqlalchemy.orm import selectinload

    person = db.session.scalar(
        select(User)
        .join(Organisation, User.organisation_id == Organisation.id)
        .where(User.id == user_id, Organisation.region_id == viewer.region_id)
        .options(selectinload(User.organisation), selectinload(User.grants))
    )
    if person is None:
        abort(404)
    return person


def scoped_questionnaire_or_404(questionnaire_id: int, user: Any) -> Any:
    """A questionnaire of the user's region, with its milestone, cycle, sections, questions and
    recipients loaded in a fixed number of queries."""
    from sqlalchemy.orm import joinedload, selectinload

    from .models import Questionnaire, Section

    questionnaire = db.session.scalar(
        select(Questionnaire)
        .join(Cycle, Questionnaire.cycle_id == Cycle.id)
        .where(Questionnaire.id == questionnaire_id, Cycle.region_id == user.region_id)
        .options(
            joinedload(Questionnaire.cycle),
            joinedload(Questionnaire.milestone),
            selectinload(Questionnaire.sections).selectinload(Section.questions),
            selectinload(Questionnaire.recipients),
        )
    )
    if questionnaire is None:
        abort(404)
    return questionnaire
