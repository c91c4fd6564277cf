"""The approval round: opening it on a frozen final text version, its parties, and a new final
version after decisions were recorded.

The parties are fixed when the round opens (one record per party with a council, its name and
its council's name copied): an organisation added to or removed from the region later changes
nothing here until the secretariat adds or removes it, audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...formatting import danish_key
from ...i18n import gettext as _
from ...models import (
    AgreementText,
    ApprovalRound,
    ApprovalState,
    ApprovalVersionChange,
    CouncilApproval,
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    TextVersion,
)
from ...permissions import Actor, require
from ..base import WorkflowError, bump_version, check_stale, record, snapshot
from ..states import APPROVALS, CYCLES
from .decisions import DECISION_FIELDS, MEETING_FIELDS, notify_if_in_force
from .status import DECIDED

COUNCIL_KINDS = (OrgKind.MUNICIPALITY, OrgKind.REGION)
MAX_REASON = 2000


def _require_manage(actor: Actor, obj: Cycle | ApprovalRound) -> None:
    require(actor, "approval.manage", obj,
            message=_("Kun sekretariatet kan åbne og ændre godkendelsesrunden."))


def council_parties(region_id: int) -> list[Organisation]:
    """The region's active parties with a council (the municipalities and the region), in
    Danish alphabetical order: the round's default list, since every council must approve."""
    found = db.session.scalars(select(Organisation).where(
        Organisation.region_id == region_id, Organisation.active.is_(True),
        Organisation.kind.in_(COUNCIL_KINDS)))
    return sorted(found, key=lambda o: danish_key(o.name))


def final_versions(cycle_id: int) -> list[TextVersion]:
    """The cycle's frozen final text versions, newest first: what a round can be opened on."""
    return list(db.session.scalars(
        select(TextVersion).join(AgreementText, AgreementText.id == TextVersion.text_id)
        .where(AgreementText.cycle_id == cycle_id, TextVersion.is_final.is_(True),
               TextVersion.frozen_at.is_not(None))
        .order_by(TextVersion.created_at.desc(), TextVersion.id.desc())))


def approval_milestones(cycle_id: int) -> list[Milestone]:
    return list(db.session.scalars(select(Milestone).where(
        Milestone.cycle_id == cycle_id, Milestone.kind == MilestoneKind.APPROVAL)
        .order_by(Milestone.ends_at, Milestone.id)))


def _check_version(cycle: Cycle, version: TextVersion | None) -> TextVersion:
    if version is None:
        raise WorkflowError(_("Vælg den endelige tekstversion, der skal godkendes."),
                            field="text_version_id")
    text_cycle = db.session.scalar(
        select(AgreementText.cycle_id).where(AgreementText.id == version.text_id))
    if text_cycle != cycle.id:
        raise WorkflowError(_("Vælg en tekstversion fra denne cyklus."), field="text_version_id")
    if not version.is_final or version.frozen_at is None:
        raise WorkflowError(_("Kun en endelig, låst tekstversion kan sendes til politisk "
                              "godkendelse: teksten må ikke ændre sig, mens rådene "
                              "behandler den."), field="text_version_id")
    return version


def _check_milestone(cycle: Cycle, milestone: Milestone | None) -> Milestone:
    if milestone is None or milestone.cycle_id != cycle.id \
            or milestone.kind != MilestoneKind.APPROVAL:
        raise WorkflowError(_("Vælg cyklussens milepæl af typen “Politisk godkendelse”: dens "
                              "slutning er fristen for rådenes godkendelse."),
                            field="milestone_id")
    return milestone


def _check_party(cycle: Cycle, organisation: Organisation) -> None:
    if organisation.region_id != cycle.region_id or organisation.kind not in COUNCIL_KINDS \
            or not organisation.active:
        raise WorkflowError(_("Vælg kun blandt regionens kommuner og regionen."),
                            field="organisations")
    if not (organisation.council_name or "").strip():
        raise WorkflowError(_("%(name)s har intet råd angivet. Skriv rådets navn på "
                              "organisationen først.", name=organisation.name),
                            field="organisations")


def _record_for(round_: ApprovalRound, organisation: Organisation) -> CouncilApproval:
    approval = CouncilApproval(
        round_id=round_.id, organisation_id=organisation.id, party_name=organisation.name,
        council_name=organisation.council_name or "", state=ApprovalState.PENDING)
    return approval  # appended to round_.approvals, which sets its `round`


def open_round(actor: Actor, cycle: Cycle, *, text_version: TextVersion | None,
               milestone: Milestone | None, organisations: Sequence[Organisation],
               now: datetime) -> ApprovalRound:
    """Open the cycle's one round: a record per chosen party, each "afventer"."""
    _require_manage(actor, cycle)
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet og kan ikke ændres. Genåbn den først."))
    if db.session.scalar(select(ApprovalRound.id).where(ApprovalRound.cycle_id == cycle.id)):
        raise WorkflowError(_("Cyklussen har allerede en godkendelsesrunde."))
    version = _check_version(cycle, text_version)
    approval_milestone = _check_milestone(cycle, milestone)
    if not organisations:
        raise WorkflowError(_("Vælg mindst én part: aftalen skal godkendes af alle "
                              "kommunalbestyrelser og regionsrådet."), field="organisations")
    for organisation in organisations:
        _check_party(cycle, organisation)
    round_ = ApprovalRound(cycle_id=cycle.id, milestone_id=approval_milestone.id,
                           text_version_id=version.id, opened_at=now, opened_by_id=actor.id,
                           approvals=[], version_changes=[])
    round_.cycle = cycle
    round_.milestone = approval_milestone
    round_.text_version = version
    db.session.add(round_)
    db.session.flush()
    chosen = {o.id: o for o in organisations}.values()
    for organisation in sorted(chosen, key=lambda o: danish_key(o.name)):
        round_.approvals.append(_record_for(round_, organisation))
    db.session.flush()
    record(actor=actor, action="approval_round.opened", obj=round_, now=now,
           region_id=cycle.region_id, label=_("Godkendelse: %(title)s", title=cycle.title),
           after={"text_version_id": version.id, "milestone_id": approval_milestone.id,
                  "councils": [a.party_name for a in round_.approvals]})
    return round_


def add_party(actor: Actor, round_: ApprovalRound, organisation: Organisation, *,
              now: datetime, version: int | None) -> CouncilApproval:
    """A party the round lacks (a municipality that joined, one left out by mistake)."""
    _require_manage(actor, round_)
    check_stale(round_, version)
    _check_party(round_.cycle, organisation)
    if any(a.organisation_id == organisation.id for a in round_.approvals):
        raise WorkflowError(_("%(name)s er allerede part i godkendelsesrunden.",
                              name=organisation.name), field="organisations")
    approval = _record_for(round_, organisation)
    round_.approvals.append(approval)
    bump_version(round_)
    db.session.flush()
    record(actor=actor, action="approval_round.party_added", obj=round_, now=now,
           region_id=round_.region_id, label=_label(round_),
           after={"party_name": approval.party_name, "council_name": approval.council_name})
    return approval


def remove_party(actor: Actor, round_: ApprovalRound, approval: CouncilApproval, *,
                 now: datetime, version: int | None) -> None:
    """Take a party out of the round (it left the agreement); its record is kept in the trail.
    The agreement may then be in force: the e-mail goes out as after a decision."""
    _require_manage(actor, round_)
    check_stale(round_, version)
    if approval.round_id != round_.id:
        raise WorkflowError(_("Parten er ikke med i godkendelsesrunden."), field="organisations")
    before = {"party_name": approval.party_name, "council_name": approval.council_name,
              **snapshot(approval, ("state", *MEETING_FIELDS, *DECISION_FIELDS))}
    round_.approvals.remove(approval)
    bump_version(round_)
    db.session.flush()
    record(actor=actor, action="approval_round.party_removed", obj=round_, now=now,
           region_id=round_.region_id, label=_label(round_), before=before)
    notify_if_in_force(actor, round_, now=now)


def _label(round_: ApprovalRound) -> str:
    return _("Godkendelse: %(title)s", title=round_.cycle.title)


def change_version(actor: Actor, round_: ApprovalRound, *, text_version: TextVersion | None,
                   approvals_stand: bool | None, reason: str, now: datetime,
                   version: int | None) -> ApprovalVersionChange:
    """Move the round to a new final version. Where councils have decided already, the
    secretariat says whether their decisions stand or must be taken again; taken again, every
    decided record goes back to "afventer" with its old values in the trail."""
    _require_manage(actor, round_)
    check_stale(round_, version)
    cycle = round_.cycle
    new = _check_version(cycle, text_version)
    if new.id == round_.text_version_id:
        raise WorkflowError(_("Runden er allerede på denne version. Vælg den nye endelige "
                              "version."), field="text_version_id")
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Skriv, hvorfor der er en ny endelig version, og hvad der er "
                              "ændret."), field="reason")
    if len(reason) > MAX_REASON:
        raise WorkflowError(_("Teksten må højst være %(max)d tegn lang. Forkort den.",
                              max=MAX_REASON), field="reason")
    decided = [a for a in round_.approvals if a.state in DECIDED]
    if decided and approvals_stand is None:
        raise WorkflowError(_("Vælg, om de beslutninger, rådene allerede har truffet, står ved "
                              "magt, eller om de skal træffes igen."), field="approvals_stand")
    stand = True if approvals_stand is None else approvals_stand
    change = ApprovalVersionChange(round_id=round_.id, from_version_id=round_.text_version_id,
                                   to_version_id=new.id, approvals_stand=stand, reason=reason,
                                   decided_at=now, decided_by_id=actor.id)
    db.session.add(change)
    before_version = round_.text_version_id
    round_.text_version_id = new.id
    round_.text_version = new
    if not stand:
        for approval in decided:
            _retake(actor, approval, now)
    db.session.flush()
    record(actor=actor, action="approval_round.version_changed", obj=round_, now=now,
           region_id=cycle.region_id, label=_label(round_),
           before={"text_version_id": before_version},
           after={"text_version_id": new.id, "approvals_stand": stand, "reason": reason,
                  "retaken": [a.party_name for a in decided] if not stand else []})
    return change


def _retake(actor: Actor, approval: CouncilApproval, now: datetime) -> None:
    """A decided record back to "afventer": meeting and decision cleared, the old values kept
    in the trail."""
    fields = (*MEETING_FIELDS, *DECISION_FIELDS)
    before = snapshot(approval, fields)
    approval.meeting_date = None
    approval.meeting_body = ""
    approval.agenda_url = ""
    approval.decided_on = None
    approval.remarks = ""
    approval.rejection_reason = ""
    approval.minutes_url = ""
    approval.minutes_file_id = None
    approval.recorded_at = None
    approval.recorded_by_id = None
    approval.recorded_by_name = ""
    approval.on_behalf = False
    APPROVALS.move(approval, ApprovalState.PENDING, actor=actor, now=now,
                   action="council_approval.retake", region_id=approval.region_id,
                   label=approval.council_name, extra_before=before)
