"""What "Mine opgaver" reads: the region's current cycle, the milestones that concern a person's
roles, the questionnaires behind them with the person's organisation's state, and its council's
approval of the agreement."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..formatting import to_local
from ..models import (
    ApprovalRound,
    ApprovalState,
    BoardMember,
    BoardState,
    CouncilApproval,
    Cycle,
    CycleState,
    DeadlineExtension,
    EmailState,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    OutboundEmail,
    PrioritisationBoard,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    ResponseState,
)
from ..workflows.approvals.audience import UNDECIDED, meeting_passed
from ..workflows.approvals.status import AgreementStatus, agreement_status
from ..workflows.questionnaires.responses import Deadline, effective_deadline
from .boards.scoring import Progress, progress_of


@dataclass
class Task:
    milestone: Milestone
    days_left: int
    ongoing: bool
    # The reader's own deadline: the milestone's, or the organisation's extension.
    deadline: Deadline


def current_cycle(region_id: int) -> Cycle | None:
    """The region's open cycle with the earliest years: the one being worked on now."""
    return db.session.scalar(
        select(Cycle)
        .where(Cycle.region_id == region_id, Cycle.state == CycleState.OPEN)
        .order_by(Cycle.first_year, Cycle.id)
        .options(joinedload(Cycle.milestones))
        .limit(1)
    )


def tasks_for(milestones: list[Milestone], roles: set[str], at: datetime,
              own: Mapping[int, Deadline] | None = None,
              invited: Collection[int] = (), until_done: Collection[int] = ()) -> list[Task]:
    """What concerns these roles and is not yet past, nearest deadline first. `own` holds the
    organisation's own deadlines by milestone id (`own_deadlines`): an extension keeps a task
    on the list, with its date, until the extended deadline. A milestone in `invited` (a
    consultation the organisation is on the list of) concerns the reader whatever its roles;
    one in `until_done` (a council approval not yet decided) stays past its deadline."""
    today = to_local(at).date()
    tasks = []
    for m in milestones:
        deadline = (own or {}).get(m.id) or Deadline(m.ends_at, False)
        if ((deadline.at < at and m.id not in until_done)
                or not (m.concerns(roles) or m.id in invited)):
            continue
        starts = m.starts_at
        tasks.append(Task(
            milestone=m,
            days_left=(to_local(deadline.at).date() - today).days,
            ongoing=starts is not None and starts <= at,
            deadline=deadline,
        ))
    return sorted(tasks, key=lambda t: (t.deadline.at, t.milestone.id))


def own_deadlines(questionnaires: Mapping[int, list[Any]]) -> dict[int, Deadline]:
    """The organisation's own deadline per milestone, from `questionnaires_by_milestone`: the
    latest extended deadline of the milestone's questionnaires it answers, where it has one."""
    found: dict[int, Deadline] = {}
    for milestone_id, items in questionnaires.items():
        for item in items:
            deadline = item["deadline"]
            if item["recipient"] and deadline.extended and (
                    milestone_id not in found or deadline.at > found[milestone_id].at):
                found[milestone_id] = deadline
    return found


def questionnaires_by_milestone(milestones: list[Milestone],
                                organisation_id: int) -> dict[int, list[Any]]:
    """The questionnaires behind questionnaire milestones, with my organisation's response
    state and own deadline, so a task links straight to the form. One query whatever the
    number."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.QUESTIONNAIRE]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Questionnaire, QuestionnaireResponse.state, QuestionnaireRecipient.id,
               DeadlineExtension.until)
        .outerjoin(QuestionnaireResponse,
                   (QuestionnaireResponse.questionnaire_id == Questionnaire.id)
                   & (QuestionnaireResponse.organisation_id == organisation_id))
        .outerjoin(QuestionnaireRecipient,
                   (QuestionnaireRecipient.questionnaire_id == Questionnaire.id)
                   & (QuestionnaireRecipient.organisation_id == organisation_id))
        .outerjoin(DeadlineExtension,
                   (DeadlineExtension.questionnaire_id == Questionnaire.id)
                   & (DeadlineExtension.organisation_id == organisation_id))
        .options(joinedload(Questionnaire.milestone))
        .where(Questionnaire.milestone_id.in_(ids))
        .order_by(Questionnaire.id)
    ).all()
    found: dict[int, list[Any]] = {}
    for questionnaire, state, recipient, until in rows:
        found.setdefault(questionnaire.milestone_id, []).append(
            {"questionnaire": questionnaire, "state": state, "recipient": recipient is not None,
             "deadline": effective_deadline(questionnaire.closes_at,
                                            until if recipient is not None else None)})
    return found


@dataclass
class ApprovalTask:
    """The reader's organisation's council approval, still undecided: a task to record it."""

    approval_id: int
    council_name: str
    is_region: bool
    state: ApprovalState
    meeting_date: date | None
    meeting_passed: bool  # held without a recorded decision: record it now

    @property
    def path(self) -> str:
        return url_for("approvals.record", approval_id=self.approval_id)


def approvals_by_milestone(milestones: list[Milestone], organisation_id: int | None,
                           at: datetime) -> dict[int, list[ApprovalTask]]:
    """For a party's respondents: its council's undecided approval in the rounds on these
    approval milestones, by milestone. One query at most, whatever the number of parties."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.APPROVAL]
    if not ids or organisation_id is None:
        return {}
    today = to_local(at).date()
    found: dict[int, list[ApprovalTask]] = {}
    for approval_id, council, kind, state, meeting, milestone_id in db.session.execute(
            select(CouncilApproval.id, CouncilApproval.council_name, Organisation.kind,
                   CouncilApproval.state, CouncilApproval.meeting_date,
                   ApprovalRound.milestone_id)
            .join(ApprovalRound, ApprovalRound.id == CouncilApproval.round_id)
            .join(Organisation, Organisation.id == CouncilApproval.organisation_id)
            .where(ApprovalRound.milestone_id.in_(ids),
                   CouncilApproval.organisation_id == organisation_id,
                   CouncilApproval.state.in_(UNDECIDED))
            .order_by(CouncilApproval.id)):
        found.setdefault(milestone_id, []).append(ApprovalTask(
            approval_id, council, kind == OrgKind.REGION, state, meeting,
            meeting_passed(state, meeting, today)))
    return found


# -- what needs the secretariat now ---------------------------------------------------------

# How far ahead the secretariat's "coming up" looks.
UPCOMING_DAYS = 21
# The most failed e-mails or reopened answers listed by name (the rest are counted).
LISTED = 5


@dataclass
class RunningQuestionnaire:
    questionnaire_id: int
    title: str
    milestone: Milestone
    days_left: int
    recipients: int
    submitted: int

    @property
    def missing(self) -> int:
        return self.recipients - self.submitted


@dataclass
class Reopened:
    questionnaire_id: int
    questionnaire_title: str
    organisation_name: str


@dataclass
class FailedEmail:
    id: int
    to_address: str
    subject: str
    at: datetime


@dataclass
class ApprovalProgress:
    """The cycle's approval round as the secretariat follows it: the agreement's status."""

    cycle_id: int
    milestone: Milestone
    status: AgreementStatus
    days_left: int

    @property
    def path(self) -> str:
        """The round's overview."""
        return url_for("approval_overview.overview", cycle_id=self.cycle_id)


def approval_progress(cycle: Cycle | None, at: datetime) -> ApprovalProgress | None:
    """The current cycle's approval round, if it has one. One query, none for a cycle without an
    approval milestone; the states are counted in the database, whatever the number of
    parties."""
    milestones = {m.id: m for m in (cycle.milestones if cycle else [])
                  if m.kind == MilestoneKind.APPROVAL}
    if cycle is None or not milestones:
        return None
    rows = db.session.execute(
        select(ApprovalRound.milestone_id, CouncilApproval.state, func.count(CouncilApproval.id))
        .outerjoin(CouncilApproval, CouncilApproval.round_id == ApprovalRound.id)
        .where(ApprovalRound.cycle_id == cycle.id)
        .group_by(ApprovalRound.milestone_id, CouncilApproval.state)).all()
    if not rows:
        return None
    milestone = milestones.get(rows[0][0])
    if milestone is None:  # a round on a milestone that is no longer an approval milestone
        return None
    states = [ApprovalState(state) for _, state, n in rows if state is not None
              for _i in range(n)]
    return ApprovalProgress(cycle.id, milestone, agreement_status(states, cycle.first_year),
                            (to_local(milestone.ends_at).date() - to_local(at).date()).days)


@dataclass
class SecretariatNow:
    """What needs the secretariat now: the running questionnaires, what is coming up in the next
    weeks (every milestone, whoever it is for), answers reopened and not yet sent again, and
    e-mails that could not be sent. A fixed number of queries, whatever the region's size."""

    running: list[RunningQuestionnaire]
    upcoming: list[Task]
    reopened: list[Reopened]
    reopened_total: int
    failed: list[FailedEmail]
    failed_total: int
    approvals: ApprovalProgress | None = None

    @property
    def empty(self) -> bool:
        return not (self.running or self.upcoming or self.reopened_total or self.failed_total
                    or self.approvals)


def secretariat_now(region_id: int, cycle: Cycle | None, at: datetime) -> SecretariatNow:
    milestones = list(cycle.milestones) if cycle else []
    today = to_local(at).date()

    def days_to(moment: datetime) -> int:
        return (to_local(moment).date() - today).days

    by_id = {m.id: m for m in milestones}
    running_ids = [m.id for m in milestones if m.kind == MilestoneKind.QUESTIONNAIRE
                   and m.ends_at >= at and (m.starts_at is None or m.starts_at <= at)]
    running: list[RunningQuestionnaire] = []
    if running_ids:
        submitted = (select(func.count(QuestionnaireResponse.id))
                     .where(QuestionnaireResponse.questionnaire_id == Questionnaire.id,
                            QuestionnaireResponse.state == ResponseState.SUBMITTED)
                     .scalar_subquery())
        recipients = (select(func.count(QuestionnaireRecipient.id))
                      .where(QuestionnaireRecipient.questionnaire_id == Questionnaire.id)
                      .scalar_subquery())
        for qid, title, milestone_id, n_recipients, n_submitted in db.session.execute(
                select(Questionnaire.id, Questionnaire.title, Questionnaire.milestone_id,
                       recipients, submitted)
                .where(Questionnaire.milestone_id.in_(running_ids))
                .order_by(Questionnaire.id)):
            milestone = by_id[milestone_id]
            running.append(RunningQuestionnaire(qid, title, milestone, days_to(milestone.ends_at),
                                                n_recipients or 0, n_submitted or 0))
        running.sort(key=lambda r: (r.milestone.ends_at, r.questionnaire_id))

    horizon = UPCOMING_DAYS
    upcoming = sorted(
        # days until it begins (an event), or until its deadline when it has begun or has none
        (Task(milestone=m, days_left=days_to(m.starts_at if m.starts_at and m.starts_at > at
                                             else m.ends_at),
              ongoing=m.starts_at is not None and m.starts_at <= at,
              deadline=Deadline(m.ends_at, False))
         for m in milestones
         if m.ends_at >= at and m.id not in running_ids
         and days_to(m.starts_at or m.ends_at) <= horizon),
        key=lambda t: (t.milestone.starts_at or t.milestone.ends_at, t.milestone.id))

    reopened_rows = db.session.execute(
        select(Questionnaire.id, Questionnaire.title, Organisation.name,
               func.count().over().label("total"))
        .join(QuestionnaireResponse, QuestionnaireResponse.questionnaire_id == Questionnaire.id)
        .join(Organisation, Organisation.id == QuestionnaireResponse.organisation_id)
        .join(Cycle, Cycle.id == Questionnaire.cycle_id)
        .where(Cycle.region_id == region_id, Cycle.state == CycleState.OPEN,
               QuestionnaireResponse.state == ResponseState.REOPENED)
        .order_by(Questionnaire.id, Organisation.name)
        .limit(LISTED)).all()
    failed_rows = db.session.execute(
        select(OutboundEmail.id, OutboundEmail.to_address, OutboundEmail.subject,
               OutboundEmail.created_at, func.count().over().label("total"))
        .where(OutboundEmail.region_id == region_id,
               OutboundEmail.state == EmailState.FAILED)
        .order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
        .limit(LISTED)).all()
    return SecretariatNow(
        running=running,
        upcoming=upcoming,
        reopened=[Reopened(r[0], r[1], r[2]) for r in reopened_rows],
        reopened_total=reopened_rows[0].total if reopened_rows else 0,
        failed=[FailedEmail(r[0], r[1], r[2], r[3]) for r in failed_rows],
        failed_total=failed_rows[0].total if failed_rows else 0,
        approvals=approval_progress(cycle, at),
    )


# -- prioritisation boards: a member's own scoring (issue 14) ---------------------------------

@dataclass
class BoardTask:
    """An open board the reader is a member of, with their own progress (never a score)."""

    board_id: int
    title: str
    progress: Progress

    @property
    def complete(self) -> bool:
        return self.progress.total > 0 and self.progress.done >= self.progress.total

    @property
    def path(self) -> str:
        return url_for("board_scoring.overview", board_id=self.board_id)


def boards_by_milestone(milestones: list[Milestone], user_id: int) -> dict[int, list[BoardTask]]:
    """The open boards on these prioritisation milestones the person is a member of, by
    milestone, with their own progress: four queries at most, none without such a milestone."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.PRIORITISATION]
    if not ids:
        return {}
    rows = db.session.execute(
        select(PrioritisationBoard.id, PrioritisationBoard.title,
               PrioritisationBoard.milestone_id)
        .join(BoardMember, BoardMember.board_id == PrioritisationBoard.id)
        .where(PrioritisationBoard.milestone_id.in_(ids),
               PrioritisationBoard.state == BoardState.OPEN, BoardMember.user_id == user_id)
        .order_by(PrioritisationBoard.id)).all()
    progress = progress_of([r[0] for r in rows], user_id)
    found: dict[int, list[BoardTask]] = {}
    for board_id, title, milestone_id in rows:
        found.setdefault(milestone_id, []).append(BoardTask(board_id, title, progress[board_id]))
    return found


def unfinished_boards(tasks: Mapping[int, list[BoardTask]]) -> set[int]:
    """The milestones with a board the person has not finished: kept on the list past the
    deadline while the board is open."""
    return {m for m, items in tasks.items() if any(not t.complete for t in items)}
