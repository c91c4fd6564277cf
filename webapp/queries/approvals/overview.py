"""Reading a cycle's approval round: every council's record, the agreement's status, days left
and the version changes, as plain data in a fixed number of queries (three, whatever the number
of parties). The secretariat's overview, the XLSX export, the public page and the API all read
through here; the public variant leaves out the internal note and who recorded a decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload, selectinload

from ... import exports
from ...extensions import db
from ...formatting import danish_key, to_local
from ...i18n import lazy_gettext as _l
from ...models import (
    AgreementText,
    ApprovalRound,
    ApprovalState,
    ApprovalVersionChange,
    CouncilApproval,
    Cycle,
    TextVersion,
)
from ...workflows.approvals.status import DECIDED, AgreementStatus, agreement_status
from ...workflows.states import APPROVALS

# The order the legend, the counts and the export list the states in.
STATE_ORDER = (ApprovalState.APPROVED, ApprovalState.APPROVED_WITH_REMARKS,
               ApprovalState.SCHEDULED, ApprovalState.POSTPONED, ApprovalState.PENDING,
               ApprovalState.REJECTED)


def state_label(state: ApprovalState) -> str:
    return APPROVALS.label(state)


def record_href(approval_id: int) -> str:
    """One party's record page."""
    return url_for("approvals.record", approval_id=approval_id)


def minutes_href(approval_id: int) -> str:
    """The uploaded minutes, public like the page."""
    return url_for("approvals.minutes", approval_id=approval_id)


@dataclass(frozen=True)
class ApprovalRow:
    id: int
    organisation_id: int
    party: str
    council: str
    state: ApprovalState
    state_label: str
    meeting_date: date | None
    meeting_body: str
    agenda_url: str
    decided_on: date | None
    remarks: str
    rejection_reason: str
    minutes_url: str  # the link given, or the uploaded file's address; "" when none
    minutes_uploaded: bool
    meeting_after_deadline: bool  # flagged: the council meets after the round's deadline
    decided: bool
    # Internal: None / "" / False on the public variant.
    internal_note: str = ""
    recorded_by: str = ""
    recorded_at: datetime | None = None
    on_behalf: bool = False

    @property
    def href(self) -> str:
        return record_href(self.id)


@dataclass(frozen=True)
class VersionChangeRow:
    decided_at: datetime
    from_label: str
    to_label: str
    approvals_stand: bool
    reason: str


@dataclass(frozen=True)
class StateCount:
    state: ApprovalState
    label: str
    count: int


@dataclass(frozen=True)
class RoundOverview:
    round_id: int
    cycle_id: int
    cycle_title: str
    region_name: str
    text_title: str
    version_label: str
    text_version_id: int
    opened_at: datetime
    deadline: datetime
    days_left: int  # Copenhagen calendar days from the app clock's today; negative when past
    status: AgreementStatus
    rows: tuple[ApprovalRow, ...]
    version_changes: tuple[VersionChangeRow, ...]
    public: bool

    @property
    def counts(self) -> list[StateCount]:
        """Each state with its number of parties, in the legend's order (zeros included)."""
        return [StateCount(s, state_label(s), sum(1 for r in self.rows if r.state == s))
                for s in STATE_ORDER]

    @property
    def late_meetings(self) -> int:
        return sum(1 for r in self.rows if r.meeting_after_deadline)

    @property
    def percent(self) -> int:
        total = self.status.total
        return round(100 * self.status.approved / total) if total else 0


def round_of_cycle(cycle_id: int, *, region_id: int | None = None) -> ApprovalRound | None:
    """The cycle's round with its cycle (and region), milestone, text version and records: two
    queries. `region_id` scopes it to a region (another region's cycle reads as no round)."""
    query = (select(ApprovalRound).join(Cycle, Cycle.id == ApprovalRound.cycle_id)
             .where(ApprovalRound.cycle_id == cycle_id)
             .options(joinedload(ApprovalRound.cycle).joinedload(Cycle.region),
                      joinedload(ApprovalRound.milestone),
                      joinedload(ApprovalRound.text_version).joinedload(TextVersion.text),
                      selectinload(ApprovalRound.approvals)))
    if region_id is not None:
        query = query.where(Cycle.region_id == region_id)
    return db.session.scalar(query)


def days_left(deadline: datetime, now: datetime) -> int:
    """Calendar days in Copenhagen from today to the deadline's day: 0 on the day itself."""
    return (to_local(deadline).date() - to_local(now).date()).days


def meeting_after(meeting: date | None, deadline: datetime) -> bool:
    return meeting is not None and meeting > to_local(deadline).date()


def _row(a: CouncilApproval, deadline: datetime, public: bool) -> ApprovalRow:
    uploaded = a.minutes_file_id is not None
    decided = a.state in DECIDED
    internal: dict[str, Any] = {} if public else {
        "internal_note": a.internal_note or "", "recorded_by": a.recorded_by_name or "",
        "recorded_at": a.recorded_at, "on_behalf": bool(a.on_behalf)}
    return ApprovalRow(
        id=a.id, organisation_id=a.organisation_id, party=a.party_name,
        council=a.council_name, state=a.state, state_label=state_label(a.state),
        meeting_date=a.meeting_date, meeting_body=a.meeting_body or "",
        agenda_url=a.agenda_url or "", decided_on=a.decided_on, remarks=a.remarks or "",
        rejection_reason=a.rejection_reason or "",
        minutes_url=minutes_href(a.id) if uploaded else (a.minutes_url or ""),
        minutes_uploaded=uploaded,
        # A decided council has met; only a meeting still to come can be late.
        meeting_after_deadline=not decided and meeting_after(a.meeting_date, deadline),
        decided=decided, **internal)


def version_changes(round_id: int) -> list[VersionChangeRow]:
    """The round's new-final-version choices, oldest first, with both versions' labels."""
    old, new = aliased(TextVersion), aliased(TextVersion)
    old_text, new_text = aliased(AgreementText), aliased(AgreementText)
    rows = db.session.execute(
        select(ApprovalVersionChange, old.label, old_text.title, new.label, new_text.title)
        .join(old, old.id == ApprovalVersionChange.from_version_id)
        .join(old_text, old_text.id == old.text_id)
        .join(new, new.id == ApprovalVersionChange.to_version_id)
        .join(new_text, new_text.id == new.text_id)
        .where(ApprovalVersionChange.round_id == round_id)
        .order_by(ApprovalVersionChange.decided_at, ApprovalVersionChange.id))
    return [VersionChangeRow(change.decided_at, f"{old_title}: {old_label}",
                             f"{new_title}: {new_label}", change.approvals_stand,
                             change.reason or "")
            for change, old_label, old_title, new_label, new_title in rows]


def overview(approval_round: ApprovalRound, now: datetime, *,
             public: bool = False) -> RoundOverview:
    """The round as plain data (one query more than `round_of_cycle`: the version changes).
    `public` leaves out what only the secretariat reads."""
    cycle = approval_round.cycle
    deadline = approval_round.deadline
    rows = sorted((_row(a, deadline, public) for a in approval_round.approvals),
                  key=lambda r: danish_key(r.party))
    version = approval_round.text_version
    return RoundOverview(
        round_id=approval_round.id, cycle_id=cycle.id, cycle_title=cycle.title,
        region_name=cycle.region.name, text_title=version.text.title,
        version_label=version.label, text_version_id=version.id,
        opened_at=approval_round.opened_at, deadline=deadline,
        days_left=days_left(deadline, now),
        status=agreement_status((r.state for r in rows), cycle.first_year),
        rows=tuple(rows), version_changes=tuple(version_changes(approval_round.id)),
        public=public)


def public_overview(cycle_id: int, now: datetime,
                    visible: Callable[[Cycle], bool]) -> RoundOverview | None:
    """What anyone may read about a cycle's round: None when the cycle has no round or
    `visible(cycle)` says no (the view asks the public rule: never a draft). Three queries."""
    approval_round = round_of_cycle(cycle_id)
    if approval_round is None or not visible(approval_round.cycle):
        return None
    return overview(approval_round, now, public=True)


def _local(value: datetime | None) -> datetime | None:
    """A spreadsheet cell holds no time zone: Copenhagen wall-clock time."""
    return to_local(value).replace(tzinfo=None) if value is not None else None


def export_table(data: RoundOverview, base_url: str) -> tuple[list[str], list[list[Any]]]:
    """The overview as a sheet: Danish headers, dates as dates, yes/no as "Ja"/"Nej"."""
    headers = [str(h) for h in (
        _l("Part"), _l("Byråd/regionsråd"), _l("Status"), _l("Mødedato"), _l("Behandles i"),
        _l("Dagsorden"), _l("Mødet ligger efter fristen"), _l("Beslutningsdato"),
        _l("Bemærkninger"), _l("Begrundelse for ikke godkendt"), _l("Beslutningsprotokol"))]
    if not data.public:
        headers += [str(h) for h in (_l("Registreret af"), _l("Registreret"),
                                     _l("På partens vegne"), _l("Intern note"))]
    yes, no = str(_l("Ja")), str(_l("Nej"))
    rows: list[list[Any]] = []
    for r in data.rows:
        minutes = f"{base_url}{r.minutes_url}" if r.minutes_uploaded else r.minutes_url
        row: list[Any] = [r.party, r.council, r.state_label, r.meeting_date, r.meeting_body,
                          r.agenda_url, yes if r.meeting_after_deadline else no, r.decided_on,
                          r.remarks, r.rejection_reason, minutes]
        if not data.public:
            row += [r.recorded_by, _local(r.recorded_at), yes if r.on_behalf else no,
                    r.internal_note]
        rows.append(row)
    return headers, rows


def xlsx_export(data: RoundOverview, base_url: str) -> bytes:
    headers, rows = export_table(data, base_url)
    widths = [26, 26, 22, 12, 22, 30, 12, 14, 36, 36, 36, 22, 18, 12, 36]
    return exports.write_xlsx(headers, rows, sheet_title=str(_l("Godkendelser")),
                              widths=widths[:len(headers)])
