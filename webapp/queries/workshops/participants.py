"""Who takes part in which theme: the one place the input rules learn it, from the sign-up
rows. A participant is an invitee with an account who said yes and holds a place in the theme
(a seat, or a pick of a theme without a limit); someone on the waiting list is not (yet)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from ...extensions import db
from ...models import WorkshopInvitee, WorkshopPick


def participant_ids(theme_ids: Collection[int]) -> dict[int, set[int]]:
    """{theme id: the user ids signed up for it} for the themes asked about (one query)."""
    if not theme_ids:
        return {}
    out: dict[int, set[int]] = {}
    for theme_id, user_id in db.session.execute(
            select(WorkshopPick.theme_id, WorkshopInvitee.user_id)
            .join(WorkshopInvitee, WorkshopInvitee.id == WorkshopPick.invitee_id)
            .where(WorkshopPick.theme_id.in_(list(theme_ids)),
                   WorkshopPick.waiting.is_(False),
                   WorkshopInvitee.attending.is_(True),
                   WorkshopInvitee.user_id.is_not(None))):
        if user_id is not None:  # the query asks for people with an account only
            out.setdefault(theme_id, set()).add(user_id)
    return out
