"""A workshop made through the workflows for the sign-up tests: two sessions (2 + 1 picks) of
themes with the given capacities, and invitees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests import factories as f
from webapp.extensions import db
from webapp.models import MilestoneKind, Role, User, Workshop, WorkshopInvitee
from webapp.workflows.workshops import invitations, setup
from webapp.workflows.workshops import signup as flow

NOW = f.at(2017, 1, 10, 10, 0)
DEADLINE = f.at(2017, 1, 30, 23, 59)


def workshop_milestone(cycle: Any) -> Any:
    return f.milestone(cycle, f.at(2017, 2, 6, 16, 0), MilestoneKind.WORKSHOP,
                       title="Workshop 6. februar", starts_at=f.at(2017, 2, 6, 9, 0))


def build(world: dict[str, Any], region: str = "north",
          capacities: Sequence[Sequence[int | None]] = ((3, 3, None), (2, 5)),
          rules: Sequence[tuple[int, int]] = ((2, 2), (1, 1)),
          minimum: int | None = None, title: str = "Workshop om udfordringer") -> Workshop:
    secretary = world[region]["users"][Role.SECRETARIAT]
    cycle = world[region]["cycle"]
    milestone = workshop_milestone(cycle)
    milestone.place = "Aalborg Kongres & Kultur Center"
    workshop = setup.create_workshop(secretary, cycle, setup.WorkshopData(
        title=title, programme="**Kl. 9.00** Velkomst",
        milestone=milestone, signup_deadline=DEADLINE, input_deadline=None), now=NOW)
    for n, (caps, (low, high)) in enumerate(zip(capacities, rules, strict=True), start=1):
        session = setup.add_session(secretary, workshop, setup.SessionData(
            title=f"Session {n}", position=n, starts_at=None, ends_at=None, picks_min=low,
            picks_max=high), now=NOW)
        session.workshop = workshop
        for m, cap in enumerate(caps, start=1):
            setup.add_theme(secretary, session, setup.ThemeData(
                title=f"Tema {n}.{m}", description="", position=m, capacity=cap,
                minimum=minimum, facilitator_id=None), now=NOW)
    db.session.flush()
    return workshop


def sessions(workshop: Workshop) -> list[Any]:
    from webapp.queries.workshops.loaders import sessions_with_themes

    return sessions_with_themes(workshop)


def theme_ids(workshop: Workshop) -> list[list[int]]:
    return [[t.id for t in s.themes] for s in sessions(workshop)]


def people(world: dict[str, Any], count: int, region: str = "north") -> list[User]:
    org = world[region]["municipality"]
    return [f.user(org, [Role.RESPONDENT]) for _ in range(count)]


def invite(world: dict[str, Any], workshop: Workshop, persons: Sequence[User],
           region: str = "north") -> list[WorkshopInvitee]:
    secretary = world[region]["users"][Role.SECRETARIAT]
    out = []
    for person in persons:
        invitee = invitations.invite_person(secretary, workshop, person.id, now=NOW)
        invitee.workshop = workshop
        out.append(invitee)
    return out


def sign(person: Any, invitee: WorkshopInvitee, picks: dict[int, list[int]], *,
         waitlist: bool = False, attending: bool | None = True, by_link: bool = False,
         now: Any = NOW) -> WorkshopInvitee:
    return flow.save_signup(person, invitee, flow.Choice(attending, picks, "", waitlist),
                            now=now, version=None, by_link=by_link)


def pick(workshop: Workshop, first: Sequence[int], second: Sequence[int]) -> dict[int, list[int]]:
    """Picks by position: theme indexes in session 1 and session 2."""
    ids = theme_ids(workshop)
    session_ids = [s.id for s in sessions(workshop)]
    return {session_ids[0]: [ids[0][i] for i in first],
            session_ids[1]: [ids[1][i] for i in second]}
