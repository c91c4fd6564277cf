"""What an import would do, row by row: create, change, leave unchanged or refuse (and why).

The preview page shows a plan and the confirmation writes the same plan: both compute it from
the rows kept server-side and the database as it is, and the confirmation refuses when the
plan's digest differs from the one the secretariat saw. A plan costs a fixed number of
queries whatever the number of rows (the organisations of the region; for people also the
persons with the file's addresses and their roles, each in one query).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...models import ImportKind, Organisation, OrgKind, Region, Role, User
from ...text import email_problem, text_problem
from ..accounts import ROLE_FITS, ROLE_LABELS, normalise_email
from ..organisations import KIND_LABELS
from .files import Row

# The template's Danish headings and the keys they are read into.
COLUMNS: dict[ImportKind, dict[str, str]] = {
    ImportKind.ORGANISATIONS: {"Navn": "name", "Type": "kind",
                               "Byråd eller regionsråd": "council_name",
                               "Fælles e-mailadresse": "email"},
    ImportKind.PEOPLE: {"Navn": "name", "E-mailadresse": "email",
                        "Organisation": "organisation", "Roller": "roles"},
}

# Example rows for the templates.
EXAMPLES: dict[ImportKind, list[list[str]]] = {
    ImportKind.ORGANISATIONS: [
        ["Odense Kommune", "Kommune", "Odense Byråd", "rammeaftale@odense.example"],
        ["Region Syddanmark", "Region", "Regionsrådet", ""],
        ["Danske Handicaporganisationer Syddanmark", "Brugerorganisation", "", ""],
    ],
    ImportKind.PEOPLE: [
        ["Karin Kommune", "karin@odense.example", "Odense Kommune", "Besvarer"],
        ["Peter Politiker", "peter@odense.example", "Odense Kommune", "Politiker"],
    ],
}

ACTIONS = ("create", "change", "unchanged", "refuse")
ACTION_LABELS = {"create": _l("Oprettes"), "change": _l("Ændres"), "unchanged": _l("Uændret"),
                 "refuse": _l("Afvises")}

# Short words a secretariat writes in a spreadsheet, besides the labels the app shows.
ROLE_WORDS: dict[str, Role] = {
    "sekretariat": Role.SECRETARIAT, "besvarer": Role.RESPONDENT,
    "styregruppe": Role.STEERING_MEMBER, "styregruppemedlem": Role.STEERING_MEMBER,
    "brugerorganisation": Role.USER_ORG_REP, "politiker": Role.POLITICIAN,
    "observatør": Role.OBSERVER,
}
KIND_WORDS: dict[str, OrgKind] = {"kommune": OrgKind.MUNICIPALITY, "region": OrgKind.REGION,
                                  "brugerorganisation": OrgKind.USER_ORGANISATION,
                                  "sekretariat": OrgKind.SECRETARIAT,
                                  "styringsorgan": OrgKind.STEERING_BODY,
                                  "styregruppe": OrgKind.STEERING_BODY}
_ROLE_SPLIT = re.compile(r"[,;/+]|\bog\b")
MAX_NAME = 160


@dataclass
class PlannedRow:
    line: int
    action: str
    name: str
    data: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    target_id: int | None = None

    def refuse(self, reason: str) -> None:
        self.action = "refuse"
        self.reasons.append(reason)


@dataclass
class Plan:
    kind: ImportKind
    rows: list[PlannedRow]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.action for r in self.rows)
        return {a: found.get(a, 0) for a in ACTIONS}

    @property
    def writes(self) -> bool:
        counts = self.counts
        return bool(counts["create"] or counts["change"])

    @property
    def digest(self) -> str:
        """What the plan would write, as one hash: the confirmation must see the same."""
        body = [(r.line, r.action, r.target_id, r.data) for r in self.rows]
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False,
                                         default=str).encode()).hexdigest()


def rows_from_json(raw: list[Any]) -> list[Row]:
    return [Row(line=int(r["line"]), cells=dict(r["cells"]), formula=str(r.get("formula", "")))
            for r in raw]


def rows_to_json(rows: list[Row]) -> list[dict[str, Any]]:
    return [{"line": r.line, "cells": r.cells, "formula": r.formula} for r in rows]


def _text(row: PlannedRow, value: str, label: str, *, required: bool) -> str:
    if not value:
        if required:
            row.refuse(_("%(field)s mangler.", field=label))
        return ""
    if len(value) > MAX_NAME:
        row.refuse(_("%(field)s må højst have %(n)d tegn.", field=label, n=MAX_NAME))
    problem = text_problem(value)
    if problem:
        row.refuse(f"{label}: {problem}")
    return value


def _first_rows(rows: list[Row], key: str) -> dict[str, int]:
    """Each value's first line: a later row with the same value is a duplicate."""
    first: dict[str, int] = {}
    for r in rows:
        value = r.cells.get(key, "").casefold()
        if value:
            first.setdefault(value, r.line)
    return first


def _start(r: Row) -> PlannedRow:
    row = PlannedRow(line=r.line, action="create", name=r.cells.get("name", ""))
    if r.formula:
        row.refuse(_("Cellen %(cell)s indeholder en formel. Skriv værdien i cellen i stedet "
                     "(kopiér, og indsæt som værdi).", cell=r.formula))
    return row


def _region_organisations(region: Region) -> dict[str, Organisation]:
    return {o.name.casefold(): o for o in db.session.scalars(
        select(Organisation).where(Organisation.region_id == region.id))}


def plan_organisations(region: Region, rows: list[Row]) -> Plan:
    existing = _region_organisations(region)
    first = _first_rows(rows, "name")
    planned = []
    for r in rows:
        row = _start(r)
        name = _text(row, r.cells["name"], _("Navn"), required=True)
        kind_word = r.cells["kind"].casefold()
        kind = KIND_WORDS.get(kind_word) or next(
            (k for k in OrgKind if kind_word in (k.value, str(KIND_LABELS[k]).casefold())), None)
        if kind is None:
            row.refuse(_("Ukendt type “%(kind)s”. Brug Kommune, Region, Brugerorganisation, "
                         "Sekretariat eller Styringsorgan.", kind=r.cells["kind"]) if kind_word
                       else _("Type mangler."))
        council = _text(row, r.cells["council_name"], _("Byråd eller regionsråd"),
                        required=False)
        if kind in (OrgKind.MUNICIPALITY, OrgKind.REGION) and not council:
            row.refuse(_("En kommune eller region skal have navnet på sit råd, fx "
                         "“Odense Byråd” eller “Regionsrådet”."))
        if kind == OrgKind.REGION and name and name.casefold() != region.name.casefold():
            row.refuse(_("Kun jeres egen region, “%(name)s”, kan have typen Region.",
                         name=region.name))
        email = normalise_email(r.cells["email"])
        if email and email_problem(email):
            row.refuse(_("Fælles e-mailadresse: %(problem)s", problem=email_problem(email)))
        if name and first.get(name.casefold(), r.line) != r.line:
            row.refuse(_("Organisationen står allerede i række %(line)d.",
                         line=first[name.casefold()]))
        row.data = {"kind": kind.value if kind else "", "name": name,
                    "council_name": council or None, "email": email or None}
        found = existing.get(name.casefold()) if name else None
        if found is not None and row.action != "refuse":
            row.target_id = found.id
            row.data["name"] = found.name  # matched without regard to case: the name stays
            now = {"kind": found.kind.value, "name": found.name,
                   "council_name": found.council_name, "email": found.email}
            labels = {"kind": _("type"), "council_name": _("råd"), "email": _("e-mail")}
            row.changes = [labels[k] for k in labels if now[k] != row.data[k]]
            row.action = "change" if row.changes else "unchanged"
        planned.append(row)
    return Plan(ImportKind.ORGANISATIONS, planned)


def parse_roles(value: str) -> tuple[list[Role], list[str]]:
    """The roles a cell names, and the words it could not read."""
    roles: list[Role] = []
    unknown = []
    for word in (w.strip().casefold() for w in _ROLE_SPLIT.split(value)):
        if not word:
            continue
        role = ROLE_WORDS.get(word) or next(
            (r for r in Role if word in (r.value, str(ROLE_LABELS[r]).casefold())), None)
        if role is None:
            unknown.append(word)
        elif role not in roles:
            roles.append(role)
    return roles, unknown


def plan_people(region: Region, rows: list[Row]) -> Plan:
    organisations = _region_organisations(region)
    emails = sorted({normalise_email(r.cells["email"]) for r in rows if r.cells["email"]})
    # One query, whatever the number of rows: the persons with the file's addresses anywhere,
    # with their organisation's region and their roles.
    people = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_(emails))
        .options(joinedload(User.organisation), joinedload(User.grants))).unique()}
    first = _first_rows(rows, "email")
    planned = []
    for r in rows:
        row = _start(r)
        name = _text(row, r.cells["name"], _("Navn"), required=True)
        email = normalise_email(r.cells["email"])
        if not email:
            row.refuse(_("E-mailadresse mangler."))
        elif email_problem(email):
            row.refuse(_("E-mailadresse: %(problem)s", problem=email_problem(email)))
        elif first.get(email, r.line) != r.line:
            row.refuse(_("Adressen står allerede i række %(line)d.", line=first[email]))
        org_name = r.cells["organisation"]
        org = organisations.get(org_name.casefold()) if org_name else None
        if not org_name:
            row.refuse(_("Organisation mangler."))
        elif org is None:
            row.refuse(_("Organisationen “%(name)s” findes ikke i regionen. Importér "
                         "organisationerne først.", name=org_name))
        elif not org.active:
            row.refuse(_("Organisationen “%(name)s” er deaktiveret.", name=org.name))
        roles, unknown = parse_roles(r.cells["roles"])
        if unknown:
            row.refuse(_("Ukendt rolle: %(words)s. Brug fx Besvarer, Politiker, Observatør, "
                         "Styregruppe, Brugerorganisation eller Sekretariat.",
                         words=", ".join(f"“{w}”" for w in unknown)))
        elif not roles:
            row.refuse(_("Angiv mindst én rolle."))
        if org is not None:
            for role in roles:
                if role in ROLE_FITS and org.kind not in ROLE_FITS[role]:
                    row.refuse(_("Rollen “%(role)s” passer ikke til %(org)s. Giv den på "
                                 "personens side, hvis det er meningen.",
                                 role=ROLE_LABELS[role], org=org.name))
        row.data = {"name": name, "email": email, "organisation_id": org.id if org else None,
                    "roles": sorted(r.value for r in roles)}
        person = people.get(email) if email else None
        if person is not None and row.action != "refuse":
            if person.organisation.region_id != region.id:
                # Unique across regions: refused, without a word about where it is in use.
                row.refuse(_("Adressen er allerede i brug og kan ikke inviteres her. Kontakt "
                             "Aftalehjuls drift, hvis personen skal flyttes til jeres region."))
            elif org is not None and person.organisation_id != org.id:
                row.refuse(_("Personen findes allerede i %(org)s. Ret personen under "
                             "Personer.", org=person.organisation.name))
            else:
                row.target_id = person.id
                held = person.roles_in(region.id)
                new_roles = sorted(r.value for r in set(roles) - held)
                row.data["roles"] = new_roles
                row.changes = ([_("navn")] if person.name != name else []) + [
                    _("ny rolle: %(role)s", role=ROLE_LABELS[Role(v)]) for v in new_roles]
                row.action = "change" if row.changes else "unchanged"
        planned.append(row)
    return Plan(ImportKind.PEOPLE, planned)


def make_plan(kind: ImportKind, region: Region, rows: list[Row]) -> Plan:
    return (plan_organisations if kind == ImportKind.ORGANISATIONS else plan_people)(region, rows)
