"""Places on a theme: taking a numbered seat, and giving freed seats to the waiting list.

A seat is taken by writing it, never by reading first and trusting the read: (theme, seat) is
unique among picks, so when two sign-ups take the same last seat at once, the database refuses
the second (on PostgreSQL its INSERT waits for the first to commit, then fails). That attempt
is undone alone (a savepoint) and the next free seat is tried; none left means full.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ... import mail
from ...extensions import db
from ...models import User, WorkshopInvitee, WorkshopPick, WorkshopSeat, WorkshopTheme
from .invitations import address_of, signup_link


def free_seat(theme_id: int) -> int | None:
    """The lowest seat of the theme no pick holds, as this transaction sees it now."""
    taken = select(WorkshopPick.seat).where(WorkshopPick.theme_id == theme_id,
                                            WorkshopPick.seat.is_not(None))
    return db.session.scalar(
        select(WorkshopSeat.seat).where(WorkshopSeat.theme_id == theme_id,
                                        WorkshopSeat.seat.not_in(taken))
        .order_by(WorkshopSeat.seat).limit(1))


def _write(change: Callable[[int | None], WorkshopPick], seat: int | None) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(change(seat))
            db.session.flush()
    except IntegrityError:
        return False
    return True


def seat(theme: WorkshopTheme, change: Callable[[int | None], WorkshopPick]) -> bool:
    """Give a pick a place on the theme: `change(seat)` builds or updates the pick holding
    that seat (None on a theme without a limit). False when the theme is full."""
    if theme.capacity is None:
        return _write(change, None)
    while (number := free_seat(theme.id)) is not None:
        if _write(change, number):
            return True
        # Taken by someone else at the same moment, now committed: try the next free seat.
    return False


def fill_free_seats(theme: WorkshopTheme, now: datetime) -> list[WorkshopPick]:
    """The waiting, first come first served, get the theme's free seats and are told."""
    if theme.is_closed:
        return []
    waiting = list(db.session.scalars(
        select(WorkshopPick).where(WorkshopPick.theme_id == theme.id,
                                   WorkshopPick.waiting.is_(True))
        .order_by(WorkshopPick.created_at, WorkshopPick.id)))
    promoted = []
    for pick in waiting:
        pick_id = pick.id

        def promote(number: int | None, pick_id: int = pick_id) -> WorkshopPick:
            found = db.session.get_one(WorkshopPick, pick_id)
            found.seat, found.waiting = number, False
            return found

        if not seat(theme, promote):
            break
        promoted.append(pick)
    if promoted:
        tell(promoted, "workshop_place", theme, now)
    return promoted


def tell(picks: list[WorkshopPick], template: str, theme: WorkshopTheme, now: datetime,
         **context: Any) -> None:
    """E-mail the invitees of these picks about `theme` (a place, a move, a closing)."""
    invitees = {i.id: i for i in db.session.scalars(select(WorkshopInvitee).where(
        WorkshopInvitee.id.in_({p.invitee_id for p in picks})))}
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({i.user_id for i in invitees.values() if i.user_id})))}
    workshop = theme.session.workshop
    for invitee in invitees.values():
        address = address_of(invitee, users.get(invitee.user_id) if invitee.user_id else None)
        if address:
            mail.queue(template, address, now=now, region_id=workshop.region_id,
                       name=invitee.name, title=workshop.title, theme=theme.title,
                       link=signup_link(invitee), **context)
