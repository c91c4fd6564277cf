"""A council's treatment of the agreement: the meeting it is on ("sat på dagsorden"), its
decision (godkendt / godkendt med bemærkninger / ikke godkendt) with the minutes, a
postponement to a new meeting date, and the secretariat's correction of a recorded decision.

The party's own respondents record their council's meeting and decision while it is undecided;
the secretariat may record for any party (`on_behalf`) and alone corrects a recorded decision,
with a reason. Every save carries the record's version counter: of two people saving the same
record at the same moment, the second is refused (a stale edit) and sees what the first saved.

When a decision makes the agreement approved by every council, one e-mail goes to the
secretariat and every party's respondents, in the same transaction (`notify_if_in_force`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from ... import mail, uploads
from ...extensions import db
from ...formatting import format_date, to_local
from ...i18n import gettext as _
from ...links import absolute_url
from ...models import (
    ApprovalRound,
    ApprovalState,
    CouncilApproval,
    Organisation,
    Role,
    RoleGrant,
    StoredFile,
    User,
)
from ...permissions import Actor, require
from ..base import (
    WorkflowError,
    changed,
    check_date_window,
    check_stale,
    record,
    snapshot,
)
from ..states import APPROVALS
from .status import DECIDED, agreement_status

MEETING_FIELDS = ("meeting_date", "meeting_body", "agenda_url")
DECISION_FIELDS = ("decided_on", "remarks", "rejection_reason", "minutes_url",
                   "minutes_file_id", "on_behalf", "recorded_by_name")
MAX_TEXT = 10_000
MAX_BODY = 200
MAX_URL = 1000


@dataclass(frozen=True)
class Meeting:
    """The meeting a council treats the agreement at."""

    meeting_date: date | None
    meeting_body: str = ""
    agenda_url: str = ""


@dataclass(frozen=True)
class Decision:
    """A council's decision as typed: the outcome, its date, remarks or reason, the minutes
    (a link, or an uploaded PDF)."""

    state: ApprovalState | None
    decided_on: date | None
    remarks: str = ""
    rejection_reason: str = ""
    minutes_url: str = ""
    minutes: uploads.Upload | None = None


def _require_record(actor: Actor, approval: CouncilApproval, now: datetime) -> None:
    require(actor, "approval.record", approval, now,
            message=_("Du kan kun registrere jeres eget råds behandling, og kun indtil rådet "
                      "har besluttet. Kontakt sekretariatet for at rette en beslutning."))


def _require_manage(actor: Actor, approval: CouncilApproval) -> None:
    require(actor, "approval.manage", approval,
            message=_("Kun sekretariatet kan rette en registreret beslutning."))


def _opened_on(approval: CouncilApproval) -> date:
    return to_local(approval.round.opened_at).date()


def _check_meeting_date(approval: CouncilApproval, value: date | None, field: str) -> date:
    if value is None:
        raise WorkflowError(_("Angiv mødedatoen."), field=field)
    check_date_window(value, field)
    opened = _opened_on(approval)
    if value < opened:
        raise WorkflowError(_("Mødet kan ikke ligge før godkendelsesrunden blev åbnet "
                              "(%(opened)s).", opened=format_date(opened)), field=field)
    return value


def _check_text(value: str, field: str, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if len(value) > limit:
        raise WorkflowError(_("Teksten må højst være %(max)d tegn lang. Forkort den.",
                              max=limit), field=field)
    return value


def _check_url(value: str, field: str) -> str:
    """A link people can follow: http(s), no spaces. Nothing typed is no link."""
    value = _check_text(value, field, MAX_URL)
    if value and (not value.lower().startswith(("https://", "http://"))
                  or any(ch.isspace() for ch in value) or len(value) < 11):
        raise WorkflowError(_("Skriv en hel webadresse, der begynder med https://, fx "
                              "https://kommune.dk/dagsorden."), field=field)
    return value


def _editable(approval: CouncilApproval) -> None:
    if not APPROVALS.is_editable(approval):
        raise WorkflowError(_("Rådet har allerede besluttet (%(state)s). Kun sekretariatet kan "
                              "rette en registreret beslutning.",
                              state=APPROVALS.state_label(approval)))


def _writable(actor: Actor, approval: CouncilApproval, now: datetime,
              version: int | None) -> None:
    """The party's own (or the secretariat), from the version the page showed, undecided."""
    _require_record(actor, approval, now)
    check_stale(approval, version)
    _editable(approval)


def _set_meeting(approval: CouncilApproval, meeting_date: date, body: str,
                 agenda: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the meeting; the fields that changed, before and after."""
    before = snapshot(approval, MEETING_FIELDS)
    approval.meeting_date = meeting_date
    approval.meeting_body = body
    approval.agenda_url = agenda
    return changed(before, snapshot(approval, MEETING_FIELDS))


def schedule(actor: Actor, approval: CouncilApproval, meeting: Meeting, *, now: datetime,
             version: int | None) -> CouncilApproval:
    """Put the agreement on a council's agenda, or change the meeting already set."""
    _writable(actor, approval, now, version)
    meeting_date = _check_meeting_date(approval, meeting.meeting_date, "meeting_date")
    body = _check_text(meeting.meeting_body, "meeting_body", MAX_BODY)
    old, new = _set_meeting(approval, meeting_date, body,
                            _check_url(meeting.agenda_url, "agenda_url"))
    if approval.state != ApprovalState.SCHEDULED:
        APPROVALS.move(approval, ApprovalState.SCHEDULED, actor=actor, now=now,
                       action="council_approval.scheduled", region_id=approval.region_id,
                       label=approval.council_name, extra_before=old, extra_after=new)
    elif new:
        record(actor=actor, action="council_approval.scheduled", obj=approval, now=now,
               region_id=approval.region_id, label=approval.council_name, before=old,
               after=new)
    return approval


def postpone(actor: Actor, approval: CouncilApproval, meeting: Meeting, *, now: datetime,
             version: int | None) -> CouncilApproval:
    """The council put the treatment off to a new meeting ("udsat")."""
    _writable(actor, approval, now, version)
    APPROVALS.check(approval, ApprovalState.POSTPONED)
    meeting_date = _check_meeting_date(approval, meeting.meeting_date, "meeting_date")
    if approval.meeting_date is not None and meeting_date <= approval.meeting_date:
        raise WorkflowError(_("Den nye mødedato skal ligge efter det udsatte møde "
                              "(%(old)s).", old=format_date(approval.meeting_date)),
                            field="meeting_date")
    body = _check_text(meeting.meeting_body, "meeting_body", MAX_BODY) or approval.meeting_body
    old, new = _set_meeting(approval, meeting_date, body,
                            _check_url(meeting.agenda_url, "agenda_url"))
    APPROVALS.move(approval, ApprovalState.POSTPONED, actor=actor, now=now,
                   action="council_approval.postponed", region_id=approval.region_id,
                   label=approval.council_name, extra_before=old, extra_after=new)
    return approval


def _check_decision(approval: CouncilApproval, decision: Decision,
                    now: datetime) -> tuple[ApprovalState, date, str, str, str]:
    """The rules the form checks at its fields, for any caller (the view is not trusted)."""
    state = decision.state
    if state not in DECIDED:
        raise WorkflowError(_("Vælg rådets beslutning."), field="outcome")
    if decision.decided_on is None:
        raise WorkflowError(_("Angiv datoen for rådets beslutning."), field="decided_on")
    check_date_window(decision.decided_on, "decided_on")
    today = to_local(now).date()
    if decision.decided_on > today:
        raise WorkflowError(_("Beslutningsdatoen kan ikke ligge i fremtiden. Registrér "
                              "beslutningen, når rådet har truffet den."), field="decided_on")
    opened = _opened_on(approval)
    if decision.decided_on < opened:
        raise WorkflowError(_("Beslutningen kan ikke være truffet før godkendelsesrunden blev "
                              "åbnet (%(opened)s).", opened=format_date(opened)),
                            field="decided_on")
    remarks = _check_text(decision.remarks, "remarks")
    reason = _check_text(decision.rejection_reason, "rejection_reason")
    if state == ApprovalState.APPROVED_WITH_REMARKS and not remarks:
        raise WorkflowError(_("Skriv rådets bemærkninger: de skal med ved “godkendt med "
                              "bemærkninger”."), field="remarks")
    if state == ApprovalState.REJECTED and not reason:
        raise WorkflowError(_("Skriv begrundelsen for, at rådet ikke godkendte aftalen."),
                            field="rejection_reason")
    if state != ApprovalState.APPROVED_WITH_REMARKS:
        remarks = ""
    if state != ApprovalState.REJECTED:
        reason = ""
    minutes_url = _check_url(decision.minutes_url, "minutes_url")
    return state, decision.decided_on, remarks, reason, minutes_url


def _apply_decision(actor: Actor, approval: CouncilApproval, decision: Decision,
                    now: datetime) -> ApprovalState:
    """Check and write the decision's fields (not the state); returns the new state."""
    state, decided_on, remarks, reason, minutes_url = _check_decision(approval, decision, now)
    if decision.minutes is not None:
        stored: StoredFile = uploads.store(
            decision.minutes, region_id=approval.region_id, uploaded_by_id=actor.id, now=now,
            field="minutes_file", only_pdf=True)
        db.session.flush()
        approval.minutes_file_id = stored.id
    approval.decided_on = decided_on
    approval.remarks = remarks
    approval.rejection_reason = reason
    approval.minutes_url = minutes_url
    if approval.meeting_date is None or approval.state != ApprovalState.SCHEDULED:
        # A decision recorded after the fact, or after a postponement: the meeting is the one
        # that decided.
        approval.meeting_date = decided_on
    return state


def decide(actor: Actor, approval: CouncilApproval, decision: Decision, *, now: datetime,
           version: int | None) -> CouncilApproval:
    """Record the council's decision; the secretariat recording it is `on_behalf` the party."""
    _writable(actor, approval, now, version)
    fields = ("state", *DECISION_FIELDS, "meeting_date")
    before = snapshot(approval, fields)
    state = _apply_decision(actor, approval, decision, now)
    approval.recorded_at = now
    approval.recorded_by_id = actor.id
    approval.recorded_by_name = actor.name
    approval.on_behalf = getattr(actor, "organisation_id", None) != approval.organisation_id
    APPROVALS.set_state(approval, state)
    old, new = changed(before, snapshot(approval, fields))
    record(actor=actor, action="council_approval.decided", obj=approval, now=now,
           region_id=approval.region_id, label=approval.council_name, before=old, after=new)
    notify_if_in_force(actor, approval.round, now=now)
    return approval


def correct(actor: Actor, approval: CouncilApproval, decision: Decision, *, reason: str,
            now: datetime, version: int | None) -> CouncilApproval:
    """The secretariat corrects a recorded decision (a wrong date, the wrong outcome, the
    minutes); the reason and the old values are in the trail."""
    _require_manage(actor, approval)
    check_stale(approval, version)
    if approval.state not in DECIDED:
        raise WorkflowError(_("Der er ingen registreret beslutning at rette. Registrér "
                              "beslutningen i stedet."))
    reason = _check_text(reason, "correction_reason", 2000)
    if not reason:
        raise WorkflowError(_("Skriv, hvorfor beslutningen rettes."), field="correction_reason")
    fields = ("state", *DECISION_FIELDS, "meeting_date")
    before = snapshot(approval, fields)
    state = _apply_decision(actor, approval, decision, now)
    if state != approval.state:
        APPROVALS.set_state(approval, state)
    old, new = changed(before, snapshot(approval, fields))
    if not new:
        raise WorkflowError(_("Rettelsen ændrer ingenting. Ret de felter, der er forkerte."))
    record(actor=actor, action="council_approval.corrected", obj=approval, now=now,
           region_id=approval.region_id, label=approval.council_name, before=old,
           after={**new, "reason": reason})
    notify_if_in_force(actor, approval.round, now=now)
    return approval


def set_internal_note(actor: Actor, approval: CouncilApproval, note: str, *, now: datetime,
                      version: int | None) -> CouncilApproval:
    """The secretariat's own note on a party's record (a phone call, a promised date); never
    public. Possible in every state: it is not part of the decision."""
    _require_manage(actor, approval)
    check_stale(approval, version)
    note = _check_text(note, "internal_note")
    if note == approval.internal_note:
        return approval
    before = {"internal_note": approval.internal_note}
    approval.internal_note = note  # the version counter moves with the row
    record(actor=actor, action="council_approval.noted", obj=approval, now=now,
           region_id=approval.region_id, label=approval.council_name, before=before,
           after={"internal_note": note})
    return approval


# -- the agreement in force ------------------------------------------------------------------

def in_force_addresses(round_: ApprovalRound) -> list[str]:
    """The region's secretariat and the respondents of every party in the round (active,
    signed up), once each, sorted. One query."""
    region_id = round_.region_id
    party_ids = select(CouncilApproval.organisation_id).where(
        CouncilApproval.round_id == round_.id)
    secretariat = (RoleGrant.role == Role.SECRETARIAT) & (RoleGrant.region_id == region_id)
    respondent = ((RoleGrant.role == Role.RESPONDENT) & (RoleGrant.region_id == region_id)
                  & User.organisation_id.in_(party_ids))
    found = db.session.scalars(
        select(User.email).join(RoleGrant, RoleGrant.user_id == User.id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(User.active.is_(True), User.password_hash.is_not(None),
               Organisation.region_id == region_id, secretariat | respondent)
        .distinct())
    return sorted(set(found))


def notify_if_in_force(actor: Actor, round_: ApprovalRound, *, now: datetime) -> int:
    """If every council in the round has now approved, and nobody was told yet, queue the
    e-mail that the agreement is in force. Returns the number of e-mails queued.

    The round's row is locked first (PostgreSQL; SQLite writes one at a time anyway), so two
    councils' last decisions saved at the same moment count each other's: the second waits
    for the first and then sees both, and `in_force_notified_at` makes it go out once."""
    db.session.flush()
    notified, counter = db.session.execute(
        select(ApprovalRound.in_force_notified_at, ApprovalRound.version_id)
        .where(ApprovalRound.id == round_.id).with_for_update()).one()
    if notified is not None:
        return 0
    states = db.session.scalars(select(CouncilApproval.state).where(
        CouncilApproval.round_id == round_.id))
    cycle = round_.cycle
    status = agreement_status(states, cycle.first_year)
    if not status.in_force:
        return 0
    # Written as an UPDATE of the locked row: the loaded round may be older than the lock.
    db.session.execute(update(ApprovalRound).where(ApprovalRound.id == round_.id)
                       .values(in_force_notified_at=now, version_id=counter + 1)
                       .execution_options(synchronize_session=False))
    set_committed_value(round_, "in_force_notified_at", now)
    set_committed_value(round_, "version_id", counter + 1)
    addresses = in_force_addresses(round_)
    link = absolute_url("cycles.detail", cycle_id=cycle.id)
    for address in addresses:
        mail.queue("approval_in_force", address, now=now, region_id=cycle.region_id,
                   cycle=cycle.title, year=cycle.first_year, councils=status.total, link=link)
    record(actor=actor, action="approval_round.in_force", obj=round_, now=now,
           region_id=cycle.region_id, label=_("Godkendelse: %(title)s", title=cycle.title),
           after={"emails": len(addresses)})
    return len(addresses)
