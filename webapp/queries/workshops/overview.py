"""The secretariat's overview of a workshop's sign-up: per theme its participants, waiting list
and organisation mix, flagged when under its minimum; per session a chart of sign-ups against
capacity; the name lists, badges and XLSX rows. Four queries whatever the numbers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select

from ...charts import capacity_svg
from ...extensions import db
from ...formatting import danish_key
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...models import (
    Organisation,
    OrgKind,
    User,
    Workshop,
    WorkshopInvitee,
    WorkshopPick,
    WorkshopSession,
    WorkshopTheme,
)
from .loaders import sessions_with_themes

# The organisation mix's groups, in this order.
MIX_LABELS = {
    "municipality": _l("Kommuner"),
    "region": _l("Regionen"),
    "user_organisation": _l("Brugerorganisationer"),
    "other": _l("Andre"),
}


def mix_group(kind: OrgKind | None) -> str:
    if kind in (OrgKind.MUNICIPALITY, OrgKind.REGION, OrgKind.USER_ORGANISATION):
        return str(kind)
    return "other"


@dataclass
class Person:
    invitee_id: int
    name: str
    organisation: str
    group: str
    email: str
    attending: bool | None
    needs: str
    has_account: bool
    themes: list[str] = field(default_factory=list)


@dataclass
class ThemeRow:
    theme: WorkshopTheme
    participants: list[Person] = field(default_factory=list)
    waiting: list[Person] = field(default_factory=list)

    @property
    def mix(self) -> dict[str, int]:
        counted = Counter(p.group for p in self.participants)
        return {key: counted.get(key, 0) for key in MIX_LABELS}

    @property
    def below_minimum(self) -> bool:
        minimum = self.theme.minimum
        return minimum is not None and not self.theme.is_closed and len(
            self.participants) < minimum

    @property
    def free(self) -> int | None:
        capacity = self.theme.capacity
        return None if capacity is None else max(capacity - len(self.participants), 0)


@dataclass
class SessionBlock:
    session: WorkshopSession
    rows: list[ThemeRow]

    def chart(self) -> Markup:
        rows = [(r.theme.title, len(r.participants), r.theme.capacity, len(r.waiting))
                for r in self.rows if not r.theme.is_closed]
        return capacity_svg(
            rows, chart_id=f"session-{self.session.id}",
            title=_("Tilmeldte pr. tema: %(session)s", session=self.session.title),
            desc=_("Antal tilmeldte pr. tema mod antal pladser. Tallene står også i tabellen "
                   "ved siden af."),
            legend=(_("Tilmeldte"), _("Pladser"), _("(+n) på venteliste")))


@dataclass
class Overview:
    workshop: Workshop
    sessions: list[SessionBlock]
    people: list[Person]

    @property
    def answered_yes(self) -> list[Person]:
        return [p for p in self.people if p.attending]

    @property
    def answered_no(self) -> int:
        return sum(1 for p in self.people if p.attending is False)

    @property
    def unanswered(self) -> int:
        return sum(1 for p in self.people if p.attending is None)

    @property
    def flagged(self) -> list[ThemeRow]:
        return [r for s in self.sessions for r in s.rows if r.below_minimum]

    @property
    def with_needs(self) -> list[Person]:
        return [p for p in self.people if p.attending and p.needs]

    def row(self, theme_id: int) -> ThemeRow | None:
        return next((r for s in self.sessions for r in s.rows if r.theme.id == theme_id), None)


def overview(workshop: Workshop) -> Overview:
    sessions = sessions_with_themes(workshop)
    people: dict[int, Person] = {}
    for invitee, user, org in db.session.execute(
            select(WorkshopInvitee, User, Organisation)
            .outerjoin(User, User.id == WorkshopInvitee.user_id)
            .outerjoin(Organisation, Organisation.id == WorkshopInvitee.organisation_id)
            .where(WorkshopInvitee.workshop_id == workshop.id)):
        people[invitee.id] = Person(
            invitee.id, invitee.name, org.name if org is not None else "",
            mix_group(org.kind if org is not None else None),
            user.email if user is not None else (invitee.email or ""), invitee.attending,
            invitee.needs, invitee.user_id is not None)
    rows = {t.id: ThemeRow(t) for s in sessions for t in s.themes}
    for theme_id, invitee_id, waiting in db.session.execute(
            select(WorkshopPick.theme_id, WorkshopPick.invitee_id, WorkshopPick.waiting)
            .join(WorkshopTheme, WorkshopTheme.id == WorkshopPick.theme_id)
            .where(WorkshopTheme.workshop_id == workshop.id)
            .order_by(WorkshopPick.created_at, WorkshopPick.id)):
        person = people[invitee_id]
        row = rows[theme_id]
        (row.waiting if waiting else row.participants).append(person)
        if not waiting:
            person.themes.append(row.theme.title)
    for row in rows.values():
        row.participants.sort(key=lambda p: danish_key(p.name))
    ordered = sorted(people.values(), key=lambda p: (danish_key(p.name), p.invitee_id))
    return Overview(workshop, [SessionBlock(s, [rows[t.id] for t in s.themes]) for s in sessions],
                    ordered)


def xlsx_rows(data: Overview) -> tuple[list[str], list[list[object]]]:
    """One row per invitee: the name list as a spreadsheet."""
    headers = [_("Navn"), _("Organisation"), _("E-mail"), _("Deltager"),
               *(s.session.title for s in data.sessions), _("Venteliste"), _("Behov")]
    waiting_of: dict[int, list[str]] = {}
    theme_of: dict[tuple[int, int], list[str]] = {}
    for block in data.sessions:
        for row in block.rows:
            for p in row.participants:
                theme_of.setdefault((p.invitee_id, block.session.id), []).append(row.theme.title)
            for p in row.waiting:
                waiting_of.setdefault(p.invitee_id, []).append(row.theme.title)
    answer = {True: _("Ja"), False: _("Nej"), None: _("Ikke svaret")}
    out: list[list[object]] = []
    for p in data.people:
        out.append([p.name, p.organisation, p.email, answer[p.attending],
                    *(", ".join(theme_of.get((p.invitee_id, s.session.id), []))
                      for s in data.sessions),
                    ", ".join(waiting_of.get(p.invitee_id, [])), p.needs])
    return headers, out
