"""Keeping an uploaded file's rows until the secretariat confirms, and writing the plan.

The rows are kept server-side (`PendingImport`, named by a random token in the address), so
the confirmation writes what was previewed: the file cannot change between the two. The plan is
computed again at the confirmation and must have the digest the preview showed; if the
region's data changed in between, nothing is written and the new preview is shown.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...i18n import gettext as _
from ...models import (
    ImportKind,
    Organisation,
    OrgKind,
    PendingImport,
    Region,
    Role,
    RoleGrant,
    User,
)
from ...permissions import Actor, RegionScope, require
from ...security import new_nonce
from .. import accounts
from ..base import WorkflowError, record
from .files import Table, read_table
from .plan import COLUMNS, Plan, make_plan, rows_from_json, rows_to_json

# How long an uploaded file waits for its confirmation.
KEPT_FOR = timedelta(hours=2)


@dataclass(frozen=True)
class ImportResult:
    created: int
    changed: int
    unchanged: int
    refused: int
    invited: int


def _require(actor: Actor, region_id: int) -> None:
    require(actor, "region.import", RegionScope(region_id),
            message=_("Kun sekretariatet kan importere organisationer og personer."))


def read_file(kind: ImportKind, data: bytes, filename: str) -> Table:
    return read_table(data, filename, COLUMNS[kind])


def stage(actor: User, region_id: int, kind: ImportKind, *, data: bytes, filename: str,
          now: datetime) -> PendingImport:
    """Read the file and keep its rows for the preview. Nothing of the region changes."""
    _require(actor, region_id)
    table = read_file(kind, data, filename)
    # Files left unconfirmed by anyone: gone once they are past their time.
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < now - KEPT_FOR))
    pending = PendingImport(token=secrets.token_hex(16), region_id=region_id, user_id=actor.id,
                            kind=kind, file_name=table.file_name,
                            sha256=hashlib.sha256(data).hexdigest(),
                            rows=rows_to_json(table.rows), created_at=now)
    db.session.add(pending)
    db.session.flush()
    return pending


def is_expired(pending: PendingImport, now: datetime) -> bool:
    return pending.created_at < now - KEPT_FOR


def pending_plan(pending: PendingImport, region: Region) -> Plan:
    return make_plan(pending.kind, region, rows_from_json(pending.rows))


def confirm(actor: User, pending: PendingImport, region: Region, *, digest: str,
            now: datetime) -> ImportResult:
    """Write what the preview showed, once: the kept rows go with it."""
    _require(actor, pending.region_id)
    if pending.user_id != actor.id or region.id != pending.region_id:
        raise WorkflowError(_("Importen hører til en anden person."))
    if is_expired(pending, now):
        raise WorkflowError(_("Forhåndsvisningen er udløbet. Upload filen igen."))
    plan = pending_plan(pending, region)
    if plan.digest != digest:
        raise WorkflowError(_("Regionens data er ændret siden forhåndsvisningen. Se den nye "
                              "forhåndsvisning, og bekræft igen."), field="digest")
    # Claimed by deleting it: of two confirmations at once, the second deletes nothing.
    claimed = cast(CursorResult[Any], db.session.execute(
        delete(PendingImport).where(PendingImport.id == pending.id)
        .execution_options(synchronize_session=False)))
    if claimed.rowcount != 1:
        raise WorkflowError(_("Importen er allerede gemt."))
    return write(actor, region, plan, file_name=pending.file_name, sha256=pending.sha256,
                 now=now)


def discard(actor: User, pending: PendingImport) -> None:
    _require(actor, pending.region_id)
    db.session.delete(pending)


def run(actor: Actor, region: Region, kind: ImportKind, table: Table, *, sha256: str,
        now: datetime, skip_refused: bool = False) -> tuple[Plan, ImportResult | None]:
    """The command line's import: the plan, and the result when it was written. A file with a
    refused row writes nothing unless `skip_refused`."""
    _require(actor, region.id)
    plan = make_plan(kind, region, table.rows)
    if plan.counts["refuse"] and not skip_refused:
        return plan, None
    return plan, write(actor, region, plan, file_name=table.file_name, sha256=sha256, now=now)


def write(actor: Actor, region: Region, plan: Plan, *, file_name: str, sha256: str,
          now: datetime) -> ImportResult:
    """The plan's creations and changes in the caller's transaction, one audit event with the
    counts; new people are invited, each through the outbox."""
    _require(actor, region.id)
    if not region.active:
        raise WorkflowError(_("Regionen er deaktiveret."))
    if plan.kind == ImportKind.ORGANISATIONS:
        invited = 0
        _write_organisations(region, plan, now)
    else:
        invited = _write_people(actor, region, plan, now)
    counts = plan.counts
    result = ImportResult(created=counts["create"], changed=counts["change"],
                          unchanged=counts["unchanged"], refused=counts["refuse"],
                          invited=invited)
    record(actor=actor, action="import.organisations" if plan.kind == ImportKind.ORGANISATIONS
           else "import.people", obj=None, now=now,
           region_id=region.id, label=file_name,
           after={"file_name": file_name, "sha256": sha256, "rows": len(plan.rows),
                  "created_count": result.created, "changed_count": result.changed,
                  "unchanged_count": result.unchanged, "invited_count": invited})
    return result


def _write_organisations(region: Region, plan: Plan, now: datetime) -> None:
    targets = {o.id: o for o in db.session.scalars(
        select(Organisation).where(Organisation.region_id == region.id))}
    for row in plan.rows:
        data = row.data
        if row.action == "create":
            db.session.add(Organisation(
                region_id=region.id, kind=OrgKind(data["kind"]), name=data["name"],
                council_name=data["council_name"], email=data["email"], active=True,
                created_at=now))
        elif row.action == "change" and row.target_id is not None:
            org = targets[row.target_id]
            org.kind = OrgKind(data["kind"])
            org.council_name, org.email = data["council_name"], data["email"]
    db.session.flush()


def _write_people(actor: Actor, region: Region, plan: Plan, now: datetime) -> int:
    changing = [r for r in plan.rows if r.action == "change" and r.target_id is not None]
    existing = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_([r.target_id for r in changing]))
        .options(joinedload(User.grants))).unique()}
    for row in changing:
        person = existing[row.target_id or 0]
        person.name = row.data["name"]
        for role in row.data["roles"]:
            person.grants.append(RoleGrant(region_id=region.id, role=Role(role),
                                           granted_at=now))
    created = []
    for row in plan.rows:
        if row.action != "create":
            continue
        person = User(email=row.data["email"], name=row.data["name"],
                      organisation_id=row.data["organisation_id"], session_nonce=new_nonce(),
                      active=True, created_at=now, invited_at=now,
                      grants=[RoleGrant(region_id=region.id, role=Role(role), granted_at=now)
                              for role in row.data["roles"]])
        db.session.add(person)
        created.append(person)
    db.session.flush()
    orgs = {o.id: o for o in db.session.scalars(
        select(Organisation).where(Organisation.region_id == region.id))}
    inviter = accounts.inviter_name(actor)
    for person in created:
        accounts.send_invitation(person, orgs[person.organisation_id], inviter=inviter, now=now)
    return len(created)
