"""A workshop with sessions and themes written directly (the sign-up part builds them through
its own workflows), and input on them, for the input tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests import factories
from webapp.extensions import db
from webapp.models import (
    Cycle,
    InputItem,
    InputKind,
    MilestoneKind,
    Workshop,
    WorkshopSession,
    WorkshopTheme,
)


def workshop(cycle: Cycle, *, themes: int = 4, sessions: int = 2,
             input_deadline: datetime | None = None, title: str = "Workshop") -> Workshop:
    """A workshop on a new workshop milestone with `themes` themes spread over `sessions`."""
    milestone = factories.milestone(cycle, factories.at(2017, 2, 6, 15, 30),
                                    kind=MilestoneKind.WORKSHOP, title=f"{title} (milepæl)",
                                    starts_at=factories.at(2017, 2, 6, 9, 0))
    made = Workshop(cycle_id=cycle.id, milestone_id=milestone.id, title=title, programme="",
                    signup_deadline=factories.at(2017, 1, 27, 12),
                    input_deadline=input_deadline or factories.at(2017, 2, 20, 12))
    made.cycle = cycle  # the rules ask the workshop's region
    db.session.add(made)
    db.session.flush()
    groups = [WorkshopSession(workshop_id=made.id, title=f"Session {n}", position=n,
                              picks_min=1, picks_max=2) for n in range(1, sessions + 1)]
    db.session.add_all(groups)
    db.session.flush()
    for n in range(themes):
        db.session.add(WorkshopTheme(workshop_id=made.id, session_id=groups[n % sessions].id,
                                     title=f"Tema {n + 1}", position=n))
    db.session.flush()
    return made


def themes_of(made: Workshop) -> list[WorkshopTheme]:
    from sqlalchemy import select

    return list(db.session.scalars(select(WorkshopTheme).where(
        WorkshopTheme.workshop_id == made.id).order_by(WorkshopTheme.position)))


def item(theme: WorkshopTheme, *, kind: InputKind = InputKind.CHALLENGE, heading: str = "",
         body: str = "En udfordring.", author: Any = None) -> InputItem:
    made = InputItem(theme_id=theme.id, kind=kind, heading=heading, body=body,
                     author_id=author.id if author is not None else None,
                     author_name=author.name if author is not None else "Facilitator",
                     created_at=factories.at(2017, 2, 6, 10), comments=[])
    db.session.add(made)
    db.session.flush()
    return made
