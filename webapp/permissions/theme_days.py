"""The political theme day: the secretariat writes the catalogue and runs the vote; the
region's people read the catalogue once it is sent; the region's politicians and the persons
the secretariat adds vote while the vote is open; the tally is read by anyone signed in in the
region (it is shown on a projector)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import object_session

from ..models import Role, ThemeDay, ThemeDayState, ThemeDayVoter
from . import Rule, rule


def _secretariat(subject: Any, obj: Any) -> bool:
    return Role.SECRETARIAT in subject.roles_in(obj.region_id)


def is_added_voter(day: ThemeDay, user_id: int | None) -> bool:
    """Whether the secretariat added the person as a voter: from the loaded list when there is
    one, else asked of the database."""
    if user_id is None:
        return False
    if "voters" in day.__dict__:
        return any(v.user_id == user_id for v in day.voters)
    session = object_session(day)
    if session is None:
        return False
    return session.scalar(select(ThemeDayVoter.user_id).where(
        ThemeDayVoter.theme_day_id == day.id, ThemeDayVoter.user_id == user_id)
        .limit(1)) is not None


def may_vote(subject: Any, day: ThemeDay) -> bool:
    """A politician of the region or an added voter (the state aside)."""
    return Role.POLITICIAN in subject.roles_in(day.region_id) or is_added_voter(day, subject.id)


def _not_draft(subject: Any, obj: Any, now: datetime | None) -> bool:
    if not isinstance(obj, ThemeDay) or _secretariat(subject, obj):
        return True
    return obj.state != ThemeDayState.DRAFT or obj.catalogue_sent_at is not None


def _vote(subject: Any, obj: Any, now: datetime | None) -> bool:
    if not isinstance(obj, ThemeDay):
        return True
    return obj.state == ThemeDayState.OPEN and may_vote(subject, obj)


RULES: dict[str, Rule] = {
    "theme_day.manage": rule(
        "Oprette temadage, skrive temakataloget, sende det ud, tilføje stemmeberettigede og "
        "åbne og afslutte afstemningen", Role.SECRETARIAT, system=True),
    "theme_day.view": rule(
        "Læse temakataloget og optællingen: regionens folk, når kataloget er sendt ud",
        signed_in=True, check=_not_draft),
    "theme_day.vote": rule(
        "Stemme på temadagen: regionens politikere og dem sekretariatet har tilføjet, mens "
        "afstemningen er åben", signed_in=True, check=_vote),
}
