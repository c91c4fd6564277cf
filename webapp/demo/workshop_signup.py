"""The demo's workshop of 6 February 2017 up to and including the sign-up (issue 13): the
workshop on the cycle's workshop milestone, its two sessions of five themes (facts.md), the
invitations (the region's people by organisation kind, and synthetic participants without an
account), sign-ups by the 2 + 1 rule, and one small group.

Not yet called by the demo command: the merge calls `seed_signup` before the input's seed.
Everything goes through the workflows with the story's own dates; each step is skipped when what
it makes exists, so calling it twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..formatting import LOCAL_TZ
from ..models import (
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    User,
    Workshop,
    WorkshopInvitee,
)
from ..permissions.workshops import InviteeGuest
from ..queries.workshops.loaders import sessions_with_themes
from ..workflows.workshops import invitations, setup, signup

TITLE = "Workshop om tendenser og udfordringer"
PROGRAMME = (
    "**Kl. 9.00** Velkomst og formål\n\n"
    "**Kl. 9.30** Session 1: Mestring af eget liv – to temagrupper efter eget valg\n\n"
    "**Kl. 12.00** Frokost\n\n"
    "**Kl. 12.45** Session 2: Målgrupper – konkrete udfordringer – én temagruppe\n\n"
    "**Kl. 14.45** Opsamling i plenum"
)
SESSIONS = [
    ("Session 1: Mestring af eget liv", (9, 30), (12, 0), 2, 2, [
        "Rehabilitering", "Velfærdsteknologi", "Fokus på beskæftigelse",
        "Sociale relationer", "Forskning, metode og evidens"]),
    ("Session 2: Målgrupper – konkrete udfordringer", (12, 45), (14, 45), 1, 1, [
        "Flere hjemløse", "Flere ældre med handicap",
        "Flere børn og unge med selvskadende adfærd",
        "Skolegang for børn og unge med autisme og ADHD",
        "Snitflader til behandlingspsykiatrien"]),
]
CAPACITY = 30
MINIMUM = 5
# The group that closed in 2018 because only two came.
SMALL = "Forskning, metode og evidens"
EXTERNAL = 60  # synthetic participants without an account


def _at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


SET_UP = _at(2017, 1, 9, 9)
DEADLINE = _at(2017, 1, 27, 12)
INPUT_DEADLINE = _at(2017, 2, 20, 12)


def seed_signup(created: list[str], cycle: Cycle, actor: User) -> Workshop | None:
    """The workshop and its sign-ups on `cycle`'s workshop milestone (None without one)."""
    milestone = db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.kind == MilestoneKind.WORKSHOP)
        .order_by(Milestone.id).limit(1))
    if milestone is None:
        return None
    workshop = db.session.scalar(select(Workshop).where(Workshop.cycle_id == cycle.id,
                                                        Workshop.title == TITLE))
    if workshop is None:
        workshop = setup.create_workshop(actor, cycle, setup.WorkshopData(
            title=TITLE, programme=PROGRAMME, milestone=milestone, signup_deadline=DEADLINE,
            input_deadline=INPUT_DEADLINE), now=SET_UP)
        _sessions(workshop, milestone, actor)
        created.append(f"workshop {TITLE}")
    else:
        workshop.cycle, workshop.milestone = cycle, milestone
    if not db.session.scalar(select(WorkshopInvitee.id).where(
            WorkshopInvitee.workshop_id == workshop.id).limit(1)):
        _invite(workshop, actor)
        _sign_up(workshop)
        created.append(f"workshop sign-ups for {TITLE}")
    return workshop


def _sessions(workshop: Workshop, milestone: Milestone, actor: User) -> None:
    day = (milestone.starts_at or milestone.ends_at).astimezone(LOCAL_TZ)
    for position, (title, start, end, low, high, themes) in enumerate(SESSIONS, start=1):
        session = setup.add_session(actor, workshop, setup.SessionData(
            title=title, position=position,
            starts_at=day.replace(hour=start[0], minute=start[1]),
            ends_at=day.replace(hour=end[0], minute=end[1]), picks_min=low, picks_max=high),
            now=SET_UP)
        session.workshop = workshop
        for n, theme in enumerate(themes, start=1):
            setup.add_theme(actor, session, setup.ThemeData(
                title=theme, description="", position=n, capacity=CAPACITY,
                minimum=MINIMUM, facilitator_id=None), now=SET_UP)


def _invite(workshop: Workshop, actor: User) -> None:
    for kind in (OrgKind.MUNICIPALITY, OrgKind.REGION, OrgKind.USER_ORGANISATION):
        invitations.invite_by_kind(actor, workshop, kind, now=SET_UP)
    orgs = list(db.session.scalars(select(Organisation.id).where(
        Organisation.region_id == cycle_region(workshop),
        Organisation.kind.in_([OrgKind.MUNICIPALITY, OrgKind.USER_ORGANISATION]))
        .order_by(Organisation.id)))
    for n in range(1, EXTERNAL + 1):
        invitations.invite_address(
            actor, workshop, name=f"Deltager {n:02d}", email=f"deltager{n:02d}@example.org",
            organisation_id=orgs[n % len(orgs)] if orgs else None, now=SET_UP)


def cycle_region(workshop: Workshop) -> int:
    return workshop.cycle.region_id


def _sign_up(workshop: Workshop) -> None:
    """Everyone but a few answers yes by the 2 + 1 rule, spread over the themes; the small
    group gets two."""
    sessions = sessions_with_themes(workshop)
    first = [t.id for t in sessions[0].themes if t.title != SMALL]
    small = next(t.id for t in sessions[0].themes if t.title == SMALL)
    second = [t.id for t in sessions[1].themes]
    invitees = list(db.session.scalars(select(WorkshopInvitee).where(
        WorkshopInvitee.workshop_id == workshop.id).order_by(WorkshopInvitee.id)))
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_([i.user_id for i in invitees if i.user_id])))}
    for n, invitee in enumerate(invitees):
        invitee.workshop = workshop
        if n % 9 == 8:
            continue  # has not answered: the reminders' audience
        picks = [first[n % 4], first[(n + 1) % 4]]
        if n in (3, 7):
            picks[1] = small
        choice = signup.Choice(True, {sessions[0].id: picks,
                                      sessions[1].id: [second[n % 5]]},
                               "Vegetar" if n % 17 == 0 else "", waitlist=True)
        when = _at(2017, 1, 10 + n % 15, 10)
        if invitee.user_id is None:
            signup.save_signup(InviteeGuest(invitee.name), invitee, choice, now=when,
                               version=None, by_link=True)
        else:
            signup.save_signup(users[invitee.user_id], invitee, choice, now=when,
                               version=None)
