"""The workshop (issue 13): setup, invitations, sign-up and the reminders' audience."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...i18n import gettext as _
from ...models import Workshop, WorkshopSession, WorkshopTheme
from ...permissions import Actor, RegionScope, require


def require_manage(actor: Actor, region_id: int) -> None:
    """The secretariat's operations (setup, invitations, moves) all ask this."""
    require(actor, "workshop.manage", RegionScope(region_id),
            message=_("Kun sekretariatet kan tilrettelægge workshops."))


def sessions_with_themes(workshop: Workshop) -> list[WorkshopSession]:
    """The sessions in order, each with its themes in order: two queries for any number. The
    read side uses it too (queries.workshops.loaders)."""
    sessions = list(db.session.scalars(select(WorkshopSession).where(
        WorkshopSession.workshop_id == workshop.id)
        .order_by(WorkshopSession.position, WorkshopSession.id)))
    themes = list(db.session.scalars(select(WorkshopTheme).where(
        WorkshopTheme.workshop_id == workshop.id)
        .order_by(WorkshopTheme.position, WorkshopTheme.id)))
    for session in sessions:
        set_committed_value(session, "workshop", workshop)
        own = [t for t in themes if t.session_id == session.id]
        for theme in own:
            set_committed_value(theme, "session", session)
        set_committed_value(session, "themes", own)
    return sessions
