"""Signing up for a workshop, and the secretariat's moves.

A person answers yes or no, picks themes per session under the session's rule, may join the
waiting list of a full theme, and writes their needs; they may change it all until the sign-up
deadline. A changed sign-up keeps the picks that stay (their seats and their place in a waiting
list); a freed seat goes at once to the first waiting, who is told by e-mail.

The rule's maximum and each theme's capacity hold in the database (numbered slots and seats,
models/workshop_signups.py); the two-tabs case of one person is serialised by a row lock on
the invitee (PostgreSQL; SQLite's writing request holds the database's write lock anyway).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...formatting import format_datetime
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import (
    WorkshopInvitee,
    WorkshopPick,
    WorkshopSession,
    WorkshopTheme,
)
from ...permissions import Actor, require
from ...permissions.workshops import Attendance, InviteeGuest
from ..base import WorkflowError, bump_version, check_stale, record
from . import require_manage, sessions_with_themes
from .seats import fill_free_seats, seat, tell

NEEDS_MAX = 2000

Signer = Actor | InviteeGuest


def session_field(session_id: int) -> str:
    """The form field of a session's picks: where its messages are shown."""
    return f"session_{session_id}"


@dataclass
class Choice:
    """What a person submits: attending (None: not answered), the theme ids per session id,
    their needs, and whether they accept the waiting list of a full theme."""

    attending: bool | None
    picks: Mapping[int, Sequence[int]] = field(default_factory=dict)
    needs: str = ""
    waitlist: bool = False


def rule_text(session: WorkshopSession) -> str:
    """The session's rule in words: "Vælg 2 temaer", "Vælg 1–2 temaer"."""
    low, high = session.picks_min, session.picks_max
    if low == high:
        return ngettext("Vælg %(num)d tema", "Vælg %(num)d temaer", high)
    if low == 0:
        return ngettext("Vælg højst %(num)d tema", "Vælg højst %(num)d temaer", high)
    return _("Vælg %(low)d–%(high)d temaer", low=low, high=high)


def rule_problems(sessions: Sequence[WorkshopSession], choice: Choice) -> dict[str, str]:
    """What is wrong with the picks against each session's rule and themes, by field (the form
    shows them all; the workflow refuses on the first)."""
    problems: dict[str, str] = {}
    if choice.attending is None:
        problems["attending"] = _("Svar ja eller nej.")
        return problems
    if not choice.attending:
        return problems
    known = {s.id for s in sessions}
    for session_id in choice.picks:
        if session_id not in known:
            problems["attending"] = _("Vælg kun temaer fra workshoppens sessioner.")
    for session in sessions:
        chosen = list(dict.fromkeys(choice.picks.get(session.id, ())))
        themes = {t.id: t for t in session.themes}
        where = session_field(session.id)
        if any(t not in themes for t in chosen):
            problems[where] = _("Vælg blandt temaerne i “%(session)s”.", session=session.title)
        elif closed := [themes[t].title for t in chosen if themes[t].is_closed]:
            problems[where] = _("Temaet “%(theme)s” er lukket. Vælg et andet tema.",
                                theme=closed[0])
        elif not session.picks_min <= len(chosen) <= session.picks_max:
            problems[where] = _("%(rule)s i “%(session)s” (du har valgt %(n)d).",
                                rule=rule_text(session), session=session.title, n=len(chosen))
    return problems


def _lock(invitee: WorkshopInvitee) -> None:
    """Serialise one person's sign-ups (two tabs): a row lock on PostgreSQL."""
    db.session.execute(select(WorkshopInvitee.id).where(WorkshopInvitee.id == invitee.id)
                       .with_for_update())


def save_signup(actor: Signer, invitee: WorkshopInvitee, choice: Choice, *, now: datetime,
                version: int | None, by_link: bool = False) -> WorkshopInvitee:
    workshop = invitee.workshop
    require(actor, "workshop.signup", Attendance(workshop, invitee, by_link), now,
            message=_("Du kan kun tilmelde dig selv."))
    if now > workshop.signup_deadline:
        raise WorkflowError(_("Fristen for tilmelding var %(when)s. Kontakt sekretariatet, "
                              "hvis du vil ændre din tilmelding.",
                              when=format_datetime(workshop.signup_deadline)),
                            field="attending")
    _lock(invitee)
    check_stale(invitee, version)
    needs = choice.needs.strip()
    if len(needs) > NEEDS_MAX:
        raise WorkflowError(_("Skriv højst %(n)d tegn.", n=NEEDS_MAX), field="needs")
    sessions = sessions_with_themes(workshop)
    problems = rule_problems(sessions, choice)
    if problems:
        where, message = next(iter(problems.items()))
        raise WorkflowError(message, field=where)
    existing = list(db.session.scalars(select(WorkshopPick).where(
        WorkshopPick.invitee_id == invitee.id)))
    wanted = {s.id: list(dict.fromkeys(choice.picks.get(s.id, ()))) if choice.attending else []
              for s in sessions}
    themes = {t.id: t for s in sessions for t in s.themes}
    keep_ids = {t for ids in wanted.values() for t in ids}
    freed = [p.theme_id for p in existing if p.theme_id not in keep_ids]
    for pick in existing:
        if pick.theme_id not in keep_ids:
            db.session.delete(pick)
    db.session.flush()
    kept = {p.theme_id: p for p in existing if p.theme_id in keep_ids}
    seated: list[str] = []
    waiting: list[str] = []
    for session in sessions:
        used = {p.slot for p in kept.values() if p.session_id == session.id}
        slots = iter(n for n in range(1, session.picks_max + 1) if n not in used)
        for theme_id in wanted[session.id]:
            theme = themes[theme_id]
            if theme_id in kept:
                (waiting if kept[theme_id].waiting else seated).append(theme.title)
                continue
            slot = next(slots)
            if _take(invitee, session, theme, slot, now):
                seated.append(theme.title)
            elif choice.waitlist:
                db.session.add(WorkshopPick(invitee_id=invitee.id, session_id=session.id,
                                            theme_id=theme.id, slot=slot, waiting=True,
                                            created_at=now))
                db.session.flush()
                waiting.append(theme.title)
            else:
                raise WorkflowError(
                    _("Temaet “%(theme)s” er fuldt. Vælg et andet tema, eller sæt kryds ved "
                      "ventelisten.", theme=theme.title), field=session_field(session.id))
    for theme_id in dict.fromkeys(freed):
        fill_free_seats(themes[theme_id], now)
    before = {"attending": invitee.attending, "needs": invitee.needs or None}
    invitee.attending = choice.attending
    invitee.needs = needs
    invitee.answered_at = now
    bump_version(invitee)
    record(actor=actor, action="workshop.signed_up", obj=invitee, now=now,
           region_id=workshop.region_id, label=f"{workshop.title}: {invitee.name}",
           before=before, after={"attending": choice.attending, "themes": seated,
                                 "waiting": waiting, "needs": needs or None})
    return invitee


def _take(invitee: WorkshopInvitee, session: WorkshopSession, theme: WorkshopTheme, slot: int,
          now: datetime) -> bool:
    def build(number: int | None) -> WorkshopPick:
        return WorkshopPick(invitee_id=invitee.id, session_id=session.id, theme_id=theme.id,
                            slot=slot, seat=number, waiting=False, created_at=now)

    return seat(theme, build)


# -- the secretariat ---------------------------------------------------------------------------

def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Skriv en begrundelse: den står i e-mailen til deltageren."),
                            field="reason")
    return reason


def _target(theme: WorkshopTheme, target_id: int | None) -> WorkshopTheme:
    target = next((t for t in theme.session.themes if t.id == target_id), None)
    if target is None or target.id == theme.id:
        raise WorkflowError(_("Vælg et andet tema i samme session."), field="to_theme_id")
    if target.is_closed:
        raise WorkflowError(_("Temaet “%(theme)s” er lukket.", theme=target.title),
                            field="to_theme_id")
    return target


def _move_pick(pick: WorkshopPick, target: WorkshopTheme, *, may_wait: bool,
               now: datetime) -> bool:
    """Move a pick to another theme of its session, keeping its slot and its time of sign-up
    (its place in a waiting list). False when the target is full and it may not wait."""
    invitee_id, session_id, slot, since = (pick.invitee_id, pick.session_id, pick.slot,
                                           pick.created_at)
    db.session.delete(pick)
    db.session.flush()

    def build(number: int | None) -> WorkshopPick:
        return WorkshopPick(invitee_id=invitee_id, session_id=session_id, theme_id=target.id,
                            slot=slot, seat=number, waiting=False, created_at=since)

    if seat(target, build):
        return True
    if not may_wait:
        return False
    db.session.add(WorkshopPick(invitee_id=invitee_id, session_id=session_id,
                                theme_id=target.id, slot=slot, waiting=True, created_at=since))
    db.session.flush()
    return True


def move_person(actor: Actor, theme: WorkshopTheme, invitee: WorkshopInvitee,
                to_theme_id: int | None, reason: str, *, now: datetime) -> WorkshopPick:
    """Move one participant (or one on the waiting list) to another theme of the session,
    with a reason the person is e-mailed. The theme they leave fills from its waiting list."""
    workshop = theme.session.workshop
    require_manage(actor, workshop.region_id)
    theme = next(t for s in sessions_with_themes(workshop) for t in s.themes if t.id == theme.id)
    target = _target(theme, to_theme_id)
    reason = _reason(reason)
    pick = db.session.scalar(select(WorkshopPick).where(
        WorkshopPick.invitee_id == invitee.id, WorkshopPick.theme_id == theme.id))
    if pick is None:
        raise WorkflowError(_("Personen står ikke på temaet."), field="invitee_id")
    if db.session.scalar(select(WorkshopPick.id).where(
            WorkshopPick.invitee_id == invitee.id,
            WorkshopPick.theme_id == target.id)) is not None:
        raise WorkflowError(_("%(name)s har allerede valgt “%(theme)s”.", name=invitee.name,
                              theme=target.title), field="to_theme_id")
    if not _move_pick(pick, target, may_wait=False, now=now):
        raise WorkflowError(_("Temaet “%(theme)s” er fuldt.", theme=target.title),
                            field="to_theme_id")
    moved = db.session.scalar(select(WorkshopPick).where(
        WorkshopPick.invitee_id == invitee.id, WorkshopPick.theme_id == target.id))
    assert moved is not None
    fill_free_seats(theme, now)
    bump_version(invitee)
    record(actor=actor, action="workshop.moved", obj=invitee, now=now,
           region_id=workshop.region_id, label=f"{workshop.title}: {invitee.name}",
           before={"themes": [theme.title]}, after={"themes": [target.title],
                                                    "reason": reason})
    tell([moved], "workshop_moved", target, now, from_theme=theme.title, reason=reason)
    return moved


def close_theme(actor: Actor, theme: WorkshopTheme, to_theme_id: int | None, reason: str, *,
                now: datetime, version: int | None) -> int:
    """Close a theme (too few came) and move its people to another theme of the session: in
    the order they signed up, to free seats and then to its waiting list. Someone who already
    picked the other theme keeps that pick and loses the closed one. Everyone is e-mailed.
    Returns how many were moved."""
    workshop = theme.session.workshop
    require_manage(actor, workshop.region_id)
    check_stale(theme, version)
    theme = next(t for s in sessions_with_themes(workshop) for t in s.themes if t.id == theme.id)
    if theme.is_closed:
        raise WorkflowError(_("Temaet er allerede lukket."))
    target = _target(theme, to_theme_id)
    reason = _reason(reason)
    picks = list(db.session.scalars(select(WorkshopPick).where(
        WorkshopPick.theme_id == theme.id)
        .order_by(WorkshopPick.waiting, WorkshopPick.created_at, WorkshopPick.id)))
    already = set(db.session.scalars(select(WorkshopPick.invitee_id).where(
        WorkshopPick.theme_id == target.id)))
    moved_invitees = []
    for pick in picks:
        if pick.invitee_id in already:
            db.session.delete(pick)
            db.session.flush()
            continue
        moved_invitees.append(pick.invitee_id)
        _move_pick(pick, target, may_wait=True, now=now)
    theme.closed_at = now
    theme.closed_reason = reason
    moved = list(db.session.scalars(select(WorkshopPick).where(
        WorkshopPick.theme_id == target.id, WorkshopPick.invitee_id.in_(moved_invitees))))
    record(actor=actor, action="workshop_theme.closed", obj=theme, now=now,
           region_id=workshop.region_id,
           after={"reason": reason, "to": target.title, "moved": len(moved)})
    if moved:
        tell(moved, "workshop_theme_closed", target, now, from_theme=theme.title,
             reason=reason)
    return len(moved)
