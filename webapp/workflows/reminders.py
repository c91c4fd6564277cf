"""Deadline reminders: rules per milestone, and the pass that sends what is due exactly once.

`run_due(now)` is all the scheduler does. A pass looks only at milestones whose deadline lies
near `now`, asks their audiences what is still pending, and for every due (rule, recipient,
occurrence) inserts a delivery row under a unique key before queueing the e-mail: whoever
inserts first sends; a second scheduler, or the same one after a crash, finds the row and
moves on. Occurrences missed by more than the grace window (downtime) are marked skipped, not
sent late in a burst. Just before each e-mail is sent the audience is asked again, so an owner
(an organisation or a person) that has delivered in the meantime is not reminded, and the
secretariat's digest is written from who is missing at that moment.

`schedule` is the one planning function: the pass, the dashboard's "next reminders" and the
preview of a rule's e-mail all read their times from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import mail
from ..extensions import begin_write, db
from ..formatting import LOCAL_TZ, format_date, format_datetime, to_local
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..links import base_url
from ..models import (
    Cycle,
    CycleState,
    DeliveryState,
    Milestone,
    OutboundEmail,
    ReminderDelivery,
    ReminderRule,
    Role,
    RoleGrant,
    RuleKind,
    User,
)
from ..permissions import require
from ..text import email_problem
from . import audiences
from .audiences import Owner, OwnerKind, PendingItem
from .base import WorkflowError, changed, in_date_window, record, snapshot
from .states import DELIVERIES

MAX_REPEATS = 8  # weekly overdue reminders stop after two months even if the cycle stays open
# The occurrence numbers of an item's run of reminders (PendingItem.series) start at
# series × SERIES: more than any rule has occurrences.
SERIES = 100
MAX_BEFORE_DAYS = 60
LOOKAHEAD = timedelta(days=MAX_BEFORE_DAYS + 1)
MAX_AFTER_DAYS = 30
# The furthest a rule's last reminder can fall after its deadline, and a day to spare.
LOOKBACK = timedelta(days=2 + MAX_AFTER_DAYS + MAX_AFTER_DAYS * MAX_REPEATS)

KIND_LABELS = {
    RuleKind.BEFORE: _l("Før fristen"),
    RuleKind.OVERDUE: _l("Efter fristen"),
    RuleKind.DIGEST: _l("Oversigt til sekretariatet"),
}


def grace() -> timedelta:
    return timedelta(hours=current_app.config["REMINDER_GRACE_HOURS"])


# -- rules -------------------------------------------------------------------------------

def create_default_rules(milestone: Milestone, now: datetime) -> list[ReminderRule]:
    """The rules the audience of the milestone's kind declares; none for a kind nobody is
    reminded of (a kickoff, a theme day)."""
    rules = [ReminderRule(milestone_id=milestone.id, kind=rule.kind,
                          offset_days=rule.offset_days, repeat_days=rule.repeat_days,
                          send_at=rule.send_at, paused=False, created_at=now)
             for rule in audiences.default_rules(milestone.kind)]
    db.session.add_all(rules)
    return rules


def create_default_rules_if_none(milestone: Milestone, now: datetime) -> list[ReminderRule]:
    """For a milestone whose kind changed: a kickoff turned questionnaire gets the defaults it
    would have been created with; rules the milestone already has are left as they are."""
    if db.session.scalar(select(ReminderRule.id).where(
            ReminderRule.milestone_id == milestone.id).limit(1)) is not None:
        return []
    return create_default_rules(milestone, now)


def copy_rules(milestone_ids: dict[int, int], now: datetime) -> None:
    """A cloned cycle keeps each milestone's reminder rules as the secretariat left them."""
    for rule in db.session.scalars(select(ReminderRule).where(
            ReminderRule.milestone_id.in_(list(milestone_ids)))):
        db.session.add(ReminderRule(
            milestone_id=milestone_ids[rule.milestone_id], kind=rule.kind,
            offset_days=rule.offset_days, repeat_days=rule.repeat_days, send_at=rule.send_at,
            paused=rule.paused, created_at=now))


def _require(actor: User, milestone: Milestone) -> None:
    require(actor, "reminders.manage", milestone,
            message=_("Kun sekretariatet kan ændre påmindelser."))


def _parse_send_at(value: str) -> str:
    try:
        parsed = time.fromisoformat(value.strip().replace(".", ":"))
    except ValueError:
        raise WorkflowError(_("Skriv et klokkeslæt, fx 08:00."), field="send_at") from None
    return parsed.strftime("%H:%M")


def check_rule(kind: RuleKind, offset_days: int, repeat_days: int | None) -> None:
    if kind == RuleKind.BEFORE and not 0 <= offset_days <= MAX_BEFORE_DAYS:
        raise WorkflowError(_("Angiv mellem 0 og %(n)d dage før fristen.", n=MAX_BEFORE_DAYS),
                            field="offset_days")
    if kind == RuleKind.OVERDUE and not 0 <= offset_days <= MAX_AFTER_DAYS:
        raise WorkflowError(_("Angiv mellem 0 og %(n)d dage efter fristen.", n=MAX_AFTER_DAYS),
                            field="offset_days")
    if kind == RuleKind.DIGEST and not -30 <= offset_days <= MAX_BEFORE_DAYS:
        raise WorkflowError(_("Angiv mellem -30 og %(n)d dage.", n=MAX_BEFORE_DAYS),
                            field="offset_days")
    if repeat_days is not None and not 1 <= repeat_days <= MAX_AFTER_DAYS:
        raise WorkflowError(_("Gentag mellem hver 1. og hver 30. dag."), field="repeat_days")


RULE_FIELDS = ("kind", "offset_days", "repeat_days", "send_at", "paused")


def add_rule(actor: User, milestone: Milestone, *, kind: RuleKind, offset_days: int,
             repeat_days: int | None, send_at: str, now: datetime) -> ReminderRule:
    _require(actor, milestone)
    check_rule(kind, offset_days, repeat_days)
    rule = ReminderRule(milestone_id=milestone.id, kind=kind, offset_days=offset_days,
                        repeat_days=repeat_days if kind == RuleKind.OVERDUE else None,
                        send_at=_parse_send_at(send_at), paused=False, created_at=now)
    db.session.add(rule)
    db.session.flush()
    record(actor=actor, action="reminder_rule.created", obj=rule, now=now,
           region_id=milestone.cycle.region_id, label=milestone.title,
           after=snapshot(rule, RULE_FIELDS))
    return rule


def update_rule(actor: User, rule: ReminderRule, milestone: Milestone, *, offset_days: int,
                repeat_days: int | None, send_at: str, paused: bool, now: datetime,
                version: int | None = None) -> ReminderRule:
    from .base import check_stale

    _require(actor, milestone)
    check_stale(rule, version)
    check_rule(rule.kind, offset_days, repeat_days)
    before = snapshot(rule, RULE_FIELDS)
    rule.offset_days = offset_days
    rule.repeat_days = repeat_days if rule.kind == RuleKind.OVERDUE else None
    rule.send_at = _parse_send_at(send_at)
    rule.paused = paused
    b, a = changed(before, snapshot(rule, RULE_FIELDS))
    if a:
        record(actor=actor, action="reminder_rule.updated", obj=rule, now=now,
               region_id=milestone.cycle.region_id, label=milestone.title, before=b, after=a)
    return rule


def delete_rule(actor: User, rule: ReminderRule, milestone: Milestone, *, now: datetime) -> None:
    """Only a rule that has sent nothing: its log must keep its reasons. Pause it instead."""
    _require(actor, milestone)
    if db.session.scalar(select(ReminderDelivery.id).where(
            ReminderDelivery.rule_id == rule.id).limit(1)) is not None:
        raise WorkflowError(_("Påmindelsen er allerede brugt og står i loggen. Sæt den på "
                              "pause i stedet for at slette den."))
    record(actor=actor, action="reminder_rule.deleted", obj=rule, now=now,
           region_id=milestone.cycle.region_id, label=milestone.title,
           before=snapshot(rule, RULE_FIELDS))
    db.session.delete(rule)


# -- when ---------------------------------------------------------------------------------

def _at_local(day: date, send_at: str) -> datetime:
    hour, minute = (int(p) for p in send_at.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC)


def occurrences(rule: ReminderRule, deadline: datetime) -> list[tuple[int, datetime]]:
    """(occurrence number, due time) for a deadline, on the Copenhagen wall clock. A stored
    deadline outside the app's dates (year 1 or 9999) has none: its arithmetic would overflow."""
    if not in_date_window(deadline):
        return []
    try:
        return _occurrences(rule, deadline)
    except (OverflowError, ValueError):
        return []


def _occurrences(rule: ReminderRule, deadline: datetime) -> list[tuple[int, datetime]]:
    day = to_local(deadline).date()
    if rule.kind == RuleKind.OVERDUE:
        step = rule.repeat_days or 0
        count = MAX_REPEATS + 1 if step else 1
        times = [(n, _at_local(day + timedelta(days=rule.offset_days + n * step), rule.send_at))
                 for n in range(count)]
        return [(n, due) for n, due in times if due > deadline]  # "overdue" must be after
    due = _at_local(day - timedelta(days=rule.offset_days), rule.send_at)
    if rule.kind == RuleKind.BEFORE and due >= deadline:
        return []  # "before" must be before
    return [(0, due)]


# -- planning -----------------------------------------------------------------------------

@dataclass
class Schedule:
    """When one rule reminds one pending item, against the item's own deadline; for a digest
    rule, when the secretariat hears about everything pending at the milestone (item None)."""

    rule: ReminderRule
    milestone: Milestone
    item: PendingItem | None
    pending: list[PendingItem]  # everything pending at the milestone
    # (occurrence, due time), as `occurrences` gives them, numbered in the item's series
    times: list[tuple[int, datetime]]


def schedule(pairs: Sequence[tuple[ReminderRule, Milestone]],
             now: datetime) -> Iterator[Schedule]:
    """Every time these rules would remind what is pending now, asking the audiences once.

    All times, past and future: the pass takes those that are due, the dashboard those ahead
    and the preview one. A milestone with nothing pending (or no audience) has none.
    """
    if not pairs:
        return
    milestones = {m.id: m for _, m in pairs}
    by_milestone: dict[int, list[PendingItem]] = {}
    for item in audiences.pending(list(milestones.values()), now):
        by_milestone.setdefault(item.milestone_id, []).append(item)
    for rule, milestone in pairs:
        pending_here = by_milestone.get(milestone.id, [])
        if not pending_here:
            continue
        if rule.kind == RuleKind.DIGEST:
            yield Schedule(rule, milestone, None, pending_here,
                           occurrences(rule, milestone.ends_at))
            continue
        for item in pending_here:
            if item.overdue_only and rule.kind != RuleKind.OVERDUE:
                continue
            yield Schedule(rule, milestone, item, pending_here,
                           [(item.series * SERIES + n, due)
                            for n, due in occurrences(rule, item.deadline)])


def reminder_email(rule: ReminderRule, milestone: Milestone, item: PendingItem, name: str,
                   due: datetime | None) -> tuple[str, dict[str, Any]]:
    """The template and context of the reminder `name` gets for the item (the preview's too)."""
    days = (to_local(item.deadline).date() - to_local(due).date()).days if due else 0
    template = f"{item.email}_overdue" if rule.kind == RuleKind.OVERDUE else item.email
    return template, {
        "name": name, "organisation": item.owner.name, "owner_is_person": item.owner.is_person,
        "what": item.what or milestone.title, "deadline": format_datetime(item.deadline),
        "deadline_date": format_date(item.deadline), "days": days,
        "link": item.link or base_url()}


def digest_email(milestone: Milestone, pending: Iterable[str],
                 name: str) -> tuple[str, dict[str, Any]]:
    """The template and context of the secretariat's digest of who is still pending."""
    return "reminder_digest", {
        "name": name, "milestone": milestone.title,
        "deadline": format_datetime(milestone.ends_at), "pending": sorted(pending),
        "link": base_url()}


# -- the pass -----------------------------------------------------------------------------

@dataclass
class Planned:
    rule: ReminderRule
    milestone: Milestone
    occurrence: int
    due_at: datetime
    recipient: str
    user: User | None
    owner: Owner | None  # None: the secretariat's digest
    template: str
    context: dict[str, Any]
    region_id: int | None = None


@dataclass
class RunReport:
    claimed: list[Planned] = field(default_factory=list)
    skipped: list[tuple[Planned, str]] = field(default_factory=list)
    already: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0

    def lines(self) -> list[str]:
        out = [f"sendt: {p.recipient} – {p.template} – {p.milestone.title} "
               f"(forfald {format_datetime(p.due_at)})" for p in self.claimed]
        out += [f"sprunget over: {p.recipient} – {p.milestone.title} – {why}"
                for p, why in self.skipped]
        out.append(f"I alt: {len(self.claimed)} påmindelser, {self.sent} sendt, "
                   f"{self.failed} fejlede, {self.cancelled} annulleret, "
                   f"{len(self.skipped)} sprunget over, {self.already} allerede håndteret.")
        return out


def _rules_in_window(now: datetime) -> list[tuple[ReminderRule, Milestone]]:
    rows = db.session.execute(
        select(ReminderRule, Milestone)
        .join(Milestone, Milestone.id == ReminderRule.milestone_id)
        .join(Cycle, Cycle.id == Milestone.cycle_id)
        .where(ReminderRule.paused.is_(False), Cycle.state == CycleState.OPEN,
               Milestone.ends_at >= now - LOOKBACK, Milestone.ends_at <= now + LOOKAHEAD)
        .order_by(ReminderRule.id)
    ).all()
    return [(rule, milestone) for rule, milestone in rows]


def secretariat_people(region_ids: Iterable[int]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    for user, region_id in db.session.execute(
            select(User, RoleGrant.region_id).join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.region_id.in_(list(region_ids)), RoleGrant.role == Role.SECRETARIAT,
                   User.active.is_(True), User.password_hash.is_not(None))
            .order_by(User.id)):
        people.setdefault(region_id, []).append(user)
    return people


def plan(now: datetime) -> list[Planned]:
    """Every reminder whose time has come (or passed within the lookback), not yet filtered
    against what was already claimed."""
    pairs = _rules_in_window(now)
    if not pairs:
        return []
    cycles = {c.id: c for c in db.session.scalars(
        select(Cycle).where(Cycle.id.in_({m.cycle_id for _, m in pairs})))}
    secretariat = secretariat_people({c.region_id for c in cycles.values()})
    planned: list[Planned] = []
    for entry in schedule(pairs, now):
        rule, milestone, item = entry.rule, entry.milestone, entry.item
        region_id = cycles[milestone.cycle_id].region_id
        for number, due in entry.times:
            if not now - LOOKBACK < due <= now:
                continue
            if item is None:
                for person in secretariat.get(region_id, []):
                    template, context = digest_email(
                        milestone, (p.owner.name for p in entry.pending), person.name)
                    planned.append(Planned(rule, milestone, number, due, person.email, person,
                                           None, template, context, region_id))
                continue
            for recipient in item.recipients:
                template, context = reminder_email(rule, milestone, item, recipient.name, due)
                planned.append(Planned(rule, milestone, number, due, recipient.email,
                                       recipient if isinstance(recipient, User) else None,
                                       item.owner, template, context, region_id))
    return planned


def claimed_keys(rule_ids: Sequence[int], now: datetime) -> set[tuple[int, str, int]]:
    """The claim keys (rule, recipient, occurrence) the pass at `now` finds taken: a moved
    milestone re-plans its times without sending the same reminder again."""
    if not rule_ids:
        return set()
    since = now - LOOKBACK - timedelta(days=1)
    return {(r, e, n) for r, e, n in db.session.execute(
        select(ReminderDelivery.rule_id, ReminderDelivery.recipient, ReminderDelivery.occurrence)
        .where(ReminderDelivery.rule_id.in_(rule_ids), ReminderDelivery.due_at > since))}


# Names the reminder (rule/recipient/occurrence, the claim's key) in every e-mail it sends, so
# a repeat is recognisable as the same reminder.
REMINDER_HEADER = "X-Aftalehjul-Reminder"


def reminder_key(planned: Planned) -> str:
    return f"{planned.rule.id}/{planned.recipient}/{planned.occurrence}"


def _insert(planned: Planned, state: DeliveryState, now: datetime, reason: str = "",
            email_id: int | None = None) -> bool:
    """Insert the delivery row under its unique key; False when somebody else was first."""
    try:
        with db.session.begin_nested():
            delivery = ReminderDelivery(
                rule_id=planned.rule.id, milestone_id=planned.milestone.id,
                recipient=planned.recipient, user_id=planned.user.id if planned.user else None,
                organisation_id=_organisation_id(planned.owner), occurrence=planned.occurrence,
                due_at=planned.due_at, state=state, reason=reason, email_id=email_id,
                created_at=now)
            db.session.add(delivery)
            db.session.flush()
    except IntegrityError:
        return False
    planned.context["delivery_id"] = delivery.id
    return True


def _organisation_id(owner: Owner | None) -> int | None:
    """The delivery row's organisation: the owner, unless a person owes it (then the row's
    user_id, the one recipient, is the owner), a named address owes it (then the row's
    recipient is the owner) or it is a digest."""
    return owner.id if owner is not None and owner.kind == "organisation" else None


def _owner_of(delivery: ReminderDelivery,
              kind: RuleKind) -> tuple[OwnerKind, int | str] | None:
    """Who owes what a delivery row reminded of (see `_organisation_id` and `Owner.key`); None
    for a digest."""
    if delivery.organisation_id is not None:
        return "organisation", delivery.organisation_id
    if kind == RuleKind.DIGEST:
        return None
    if delivery.user_id is not None:
        return "person", delivery.user_id
    return "address", delivery.recipient.casefold()


def _delivered(kind: OwnerKind) -> str:
    if kind == "person":
        return _("Ikke sendt: personen har leveret.")
    if kind == "address":
        return _("Ikke sendt: parten har leveret.")
    return _("Ikke sendt: organisationen har leveret.")


def run_due(now: datetime, *, dry_run: bool = False) -> RunReport:
    """One pass: claim and send what is due. Commits (it is a job, not a request)."""
    # Plan and claim in one write transaction: a parallel pass waits, then finds the claims.
    begin_write()
    report = RunReport()
    planned = plan(now)
    rule_ids = sorted({p.rule.id for p in planned})
    done = claimed_keys(rule_ids, now)
    window = grace()
    for item in planned:
        key = (item.rule.id, item.recipient, item.occurrence)
        if key in done:
            report.already += 1
            continue
        done.add(key)
        if now - item.due_at > window:
            reason = _("Ikke sendt: forfaldstidspunktet %(when)s ligger mere end %(hours)d "
                       "timer tilbage (nedetid).", when=format_datetime(item.due_at),
                       hours=int(window.total_seconds() // 3600))
            if dry_run or _insert(item, DeliveryState.SKIPPED, now, reason):
                report.skipped.append((item, reason))
            continue
        problem = email_problem(item.recipient) if item.recipient else _("ingen adresse")
        if problem is not None:
            reason = _("Ugyldig e-mailadresse: “%(address)s”", address=item.recipient)
            current_app.logger.warning("reminder to %r skipped: %s", item.recipient, problem)
            if dry_run or _insert(item, DeliveryState.SKIPPED, now, reason):
                report.skipped.append((item, reason))
            continue
        if dry_run:
            report.claimed.append(item)
            continue
        if not _insert(item, DeliveryState.CLAIMED, now):
            report.already += 1
            continue
        delivery = db.session.get_one(ReminderDelivery, item.context.pop("delivery_id"))
        message = mail.queue(item.template, item.recipient, now=now, region_id=item.region_id,
                             headers={REMINDER_HEADER: reminder_key(item)}, **item.context)
        delivery.email_id = message.id
        report.claimed.append(item)
    if dry_run:
        db.session.rollback()
        return report
    db.session.commit()
    sent, failed, cancelled = send_claimed(now)
    report.sent, report.failed, report.cancelled = sent, failed, cancelled
    return report


def send_claimed(now: datetime, limit: int = 500) -> tuple[int, int, int]:
    """Send claimed reminders whose e-mail is due (new, or failed and due for a retry), one at a
    time, asking just before each whether the owner still owes it and writing a digest from who
    is pending at that moment. Commits."""
    begin_write()
    rows = db.session.execute(
        select(ReminderDelivery, OutboundEmail, Milestone, ReminderRule.kind)
        .join(OutboundEmail, OutboundEmail.id == ReminderDelivery.email_id)
        .join(Milestone, Milestone.id == ReminderDelivery.milestone_id)
        .join(ReminderRule, ReminderRule.id == ReminderDelivery.rule_id)
        .where(ReminderDelivery.state == DeliveryState.CLAIMED,
               OutboundEmail.next_attempt_at <= now,
               OutboundEmail.state.in_(mail.SENDABLE))
        .order_by(ReminderDelivery.id).limit(limit)
    ).all()
    # Read the ids before the commit expires them: a read after it would open a transaction
    # that the first claim could not turn into a write on SQLite.
    by_email = {email.id: (delivery, milestone, kind)
                for delivery, email, milestone, kind in rows}
    db.session.commit()
    if not rows:
        return 0, 0, 0

    def prepare(email: OutboundEmail, at: datetime) -> str | None:
        delivery, milestone, kind = by_email[email.id]
        pending = audiences.pending([milestone], at)
        owner = _owner_of(delivery, kind)
        reason: str | None = None
        if owner is not None:
            if (milestone.id, *owner) not in {(p.milestone_id, p.owner.kind, p.owner.key)
                                              for p in pending}:
                reason = _delivered(owner[0])
        elif not pending:
            reason = _("Ikke sendt: alle har leveret.")
        else:  # the digest says who is missing now, not when it was queued
            person = db.session.get(User, delivery.user_id) if delivery.user_id else None
            template, context = digest_email(milestone, (p.owner.name for p in pending),
                                             person.name if person else email.to_address)
            mail.recompose(email, template, **context)
        if reason is not None:
            DELIVERIES.set_state(delivery, DeliveryState.CANCELLED)
            delivery.reason = reason
        return reason

    def sent(email: OutboundEmail, at: datetime) -> None:
        DELIVERIES.set_state(by_email[email.id][0], DeliveryState.SENT)

    outcome = mail.send_each([email for _, email, _, _ in rows], now, prepare=prepare,
                             sent=sent)
    return outcome.sent, outcome.failed, outcome.cancelled
