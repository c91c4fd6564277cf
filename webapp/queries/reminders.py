"""Read-only views of the reminders: rules in words, their planned times, a preview of the
e-mail, the e-mail log and the dashboard panel.

Nothing here writes, sends or claims: the reminder pass is `webapp.workflows.reminders`. Every
function runs a fixed number of queries, whatever the size of the log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import abort, current_app
from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm.attributes import set_committed_value

from .. import mail, revision
from ..extensions import db
from ..formatting import format_date
from ..i18n import gettext as _
from ..i18n import ngettext
from ..models import (
    Cycle,
    CycleState,
    DeliveryState,
    EmailState,
    Milestone,
    Organisation,
    OutboundEmail,
    ReminderDelivery,
    ReminderRule,
    RuleKind,
    User,
)
from ..routing import clamp_page
from ..workflows import audiences
from ..workflows import reminders as flow
from ..workflows.audiences import Owner, PendingItem
from ..workflows.states import EMAILS, register

SAMPLE_ORGANISATION = "Eksempel Kommune"
SAMPLE_PERSON = "Eksempel Person"
SAMPLE_ADDRESS = "besvarer@eksempel-kommune.example"
LOG_PAGE_SIZE = 50
PANEL_SIZE = 10
_KIND_ORDER = {RuleKind.BEFORE: 0, RuleKind.OVERDUE: 1, RuleKind.DIGEST: 2}


# -- rules in words -------------------------------------------------------------------------

def clock_label(send_at: str) -> str:
    """"08:00" → "kl. 08.00"."""
    return "kl. " + send_at.replace(":", ".")


def _days(n: int) -> str:
    return ngettext("%(num)d dag", "%(num)d dage", n)


def describe(rule: ReminderRule) -> str:
    """The rule as a sentence: "14 dage før fristen kl. 08.00"."""
    at = clock_label(rule.send_at)
    if rule.kind == RuleKind.DIGEST:
        if rule.offset_days > 0:
            when = _("%(days)s før fristen", days=_days(rule.offset_days))
        elif rule.offset_days < 0:
            when = _("%(days)s efter fristen", days=_days(-rule.offset_days))
        else:
            when = _("på dagen for fristen")
        return _("Oversigt til sekretariatet %(when)s %(at)s", when=when, at=at)
    if rule.offset_days == 0:
        text = _("På dagen for fristen %(at)s", at=at)
    elif rule.kind == RuleKind.BEFORE:
        text = _("%(days)s før fristen %(at)s", days=_days(rule.offset_days), at=at)
    else:
        text = _("%(days)s efter fristen %(at)s", days=_days(rule.offset_days), at=at)
    if rule.kind == RuleKind.OVERDUE and rule.repeat_days:
        if rule.repeat_days == 1:
            text += _(", derefter hver dag")
        else:
            text += _(", derefter hver %(n)d. dag", n=rule.repeat_days)
    return text


def _sort_key(rule: ReminderRule) -> tuple[int, int, int]:
    # Before: earliest first (most days before); after: nearest first; digests last.
    offset = -rule.offset_days if rule.kind != RuleKind.OVERDUE else rule.offset_days
    return _KIND_ORDER[rule.kind], offset, rule.id


@dataclass
class PlannedTime:
    at: datetime
    past: bool
    # Beyond the pass's window around the deadline: `run_due` never looks at it (see
    # workflows.reminders.LOOKBACK), so it is not sent.
    out_of_window: bool = False


@dataclass
class RuleRow:
    rule: ReminderRule
    words: str
    times: list[PlannedTime]
    sent: int = 0
    skipped: int = 0


def milestone_rules(milestone: Milestone, now: datetime) -> list[RuleRow]:
    """The milestone's rules with their send times computed from its deadline, and how many
    reminders each has sent or skipped. Two queries."""
    rules = list(db.session.scalars(
        select(ReminderRule).where(ReminderRule.milestone_id == milestone.id)))
    counts: dict[tuple[int, str], int] = {}
    if rules:
        for rule_id, state, n in db.session.execute(
                select(ReminderDelivery.rule_id, ReminderDelivery.state, func.count())
                .where(ReminderDelivery.milestone_id == milestone.id)
                .group_by(ReminderDelivery.rule_id, ReminderDelivery.state)):
            counts[(rule_id, DeliveryState(state).value)] = n
    rows = []
    for rule in sorted(rules, key=_sort_key):
        set_committed_value(rule, "milestone", milestone)
        times = [PlannedTime(due, due <= now, not _in_window(milestone.ends_at, due))
                 for _n, due in flow.occurrences(rule, milestone.ends_at)]
        rows.append(RuleRow(rule, describe(rule), times,
                            sent=counts.get((rule.id, DeliveryState.SENT.value), 0),
                            skipped=counts.get((rule.id, DeliveryState.SKIPPED.value), 0)))
    return rows


def _in_window(deadline: datetime, due: datetime) -> bool:
    """Whether the pass at `due` looks at a milestone with this deadline (its SQL window)."""
    return due - flow.LOOKBACK <= deadline <= due + flow.LOOKAHEAD


def has_audience(milestone: Milestone) -> bool:
    """Whether anybody is reminded for this kind of milestone (questionnaires, for now)."""
    return audiences.audience_for(milestone.kind) is not None


# -- preview --------------------------------------------------------------------------------

@dataclass
class Preview:
    recipient_name: str
    recipient_address: str
    owner: str  # the organisation or person who owes it, or the secretariat for a digest
    owner_label: str  # "Organisation" or "Person" (a digest: "Organisation", the secretariat)
    deadline: datetime
    due_at: datetime | None
    sample: bool
    subject: str
    text: str
    html: str
    notes: list[str] = field(default_factory=list)


def _pick_occurrence(times: Sequence[tuple[int, datetime]], now: datetime) -> datetime | None:
    """The next of these times, else the last (past) one."""
    upcoming = [due for _n, due in times if due > now]
    if upcoming:
        return upcoming[0]
    return times[-1][1] if times else None


def _owner_label(owner: Owner) -> str:
    if owner.kind == "address":
        return _("Ekstern part")
    return _("Person") if owner.is_person else _("Organisation")


def preview(rule: ReminderRule, milestone: Milestone, viewer: User, now: datetime) -> Preview:
    """The e-mail the rule's first pending recipient would get, or one with sample data.

    Planned and worded by the pass's own `schedule` and e-mail functions, so the preview shows
    what is really sent.
    """
    entries = sorted(flow.schedule([(rule, milestone)], now),
                     key=lambda e: (e.item.owner.name, e.item.owner.id) if e.item else ("", 0))
    notes: list[str] = []
    if rule.kind == RuleKind.DIGEST:
        entry = entries[0] if entries else None
        names = [p.owner.name for p in entry.pending] if entry else [SAMPLE_ORGANISATION]
        if entry is None:
            notes.append(_("Ingen mangler lige nu; e-mailen er vist med eksempeldata. "
                           "Oversigten sendes kun, når nogen mangler."))
        times = entry.times if entry else flow.occurrences(rule, milestone.ends_at)
        template, context = flow.digest_email(milestone, names, viewer.name)
        subject, text, html = mail.render_email(template, **context)
        return Preview(viewer.name, viewer.email, _("Sekretariatet"), _("Organisation"),
                       milestone.ends_at, _pick_occurrence(times, now), entry is None, subject,
                       text, html, notes)
    first = entries[0] if entries else None
    if first is not None and first.item is not None:
        item, times = first.item, first.times
        person = item.recipients[0] if item.recipients else None
        if person is None:
            notes.append(_("%(org)s har ingen aktive besvarere: ingen får denne e-mail.",
                           org=item.owner.name))
        name = person.name if person else SAMPLE_PERSON
        address = person.email if person else ""
    else:
        notes.append(_("Ingen mangler lige nu; e-mailen er vist med eksempeldata."))
        item = _sample(milestone)
        times = flow.occurrences(rule, item.deadline)
        name = SAMPLE_PERSON
        address = SAMPLE_ADDRESS
    due = _pick_occurrence(times, now)
    template, context = flow.reminder_email(rule, milestone, item, name, due)
    subject, text, html = mail.render_email(template, **context)
    return Preview(name, address, item.owner.name, _owner_label(item.owner), item.deadline, due,
                   first is None, subject, text, html, notes)


def _sample(milestone: Milestone) -> PendingItem:
    """Sample data for the preview when nothing is pending, owned as the audience's are."""
    audience = audiences.audience_for(milestone.kind)
    if audience is not None and audience.owner_kind == "person":
        owner = Owner("person", 0, SAMPLE_PERSON)
    else:
        owner = Owner("organisation", 0, SAMPLE_ORGANISATION)
    # An audience that words its own reminders names their template (`email`).
    return PendingItem(milestone.id, owner, milestone.ends_at,
                       email=getattr(audience, "email", "reminder"))


# -- the e-mail log -------------------------------------------------------------------------

def _person_owner() -> ColumnElement[Any]:
    """The person who owes a reminder: its recipient, when no organisation owes it and it is no
    digest (see workflows.reminders._organisation_id). Needs ReminderRule joined."""
    return case((and_(ReminderDelivery.organisation_id.is_(None),
                      ReminderRule.kind != RuleKind.DIGEST), ReminderDelivery.user_id),
                else_=null())


@dataclass
class LogFilter:
    state: str | None = None
    milestone_id: int | None = None
    organisation_id: int | None = None


@dataclass
class LogRow:
    """One line of the log: an e-mail (with its reminder delivery, if it is a reminder), or a
    reminder that never became an e-mail (skipped: downtime, an unusable address)."""

    source: str  # "email" or "delivery"
    id: int
    at: datetime
    recipient: str
    subject: str
    state: str
    attempts: int | None
    last_error: str
    sent_at: datetime | None
    reason: str
    rule_kind: str | None
    milestone_id: int | None
    milestone_title: str | None
    cycle_id: int | None
    organisation_name: str | None
    person_name: str | None = None  # a person-owed reminder: who owes it
    email_id: int | None = None  # the e-mail to open, when there is one

    @property
    def owner_name(self) -> str | None:
        return self.organisation_name or self.person_name

    @property
    def state_label(self) -> str:
        return EMAILS.state_label(self)

    @property
    def kind_label(self) -> str:
        return str(flow.KIND_LABELS[RuleKind(self.rule_kind)]) if self.rule_kind else ""

    @property
    def note(self) -> str:
        """The delivery's reason, unless the e-mail's own error already says it."""
        return self.reason if self.reason and self.reason != self.last_error else ""


# A reminder without an e-mail is only ever skipped, which e-mails can be too: every row's state
# is an e-mail's, so the log asks the e-mail machine (in templates too: `in_state(row, ...)`).
register(LogRow, EMAILS)


def email_log(region_id: int, filters: LogFilter, page: int) -> tuple[list[LogRow], bool]:
    """One page of the region's log, newest first, and whether an older page exists. One query.

    Two parts in one list (UNION ALL), so a skipped reminder stands where it happened:
    reminders, read from their delivery rows (with the e-mail, when there is one: a delivery
    skipped for downtime or a bad address has none), and every other e-mail. Each part is
    reached by primary keys and indexed columns: an e-mail is never looked up by
    `reminder_deliveries.email_id`, which has no index (see bench/README.md).
    """
    email_state = type_coerce(OutboundEmail.state, String)
    delivery_state = type_coerce(ReminderDelivery.state, String)
    state = case((OutboundEmail.id.is_(None), delivery_state), else_=email_state)
    reminder_part = (
        select(
            case((OutboundEmail.id.is_(None), literal("delivery")),
                 else_=literal("email")).label("source"),
            ReminderDelivery.id.label("id"),
            OutboundEmail.id.label("email_id"),
            ReminderDelivery.created_at.label("at"),
            ReminderDelivery.recipient.label("recipient"),
            func.coalesce(OutboundEmail.subject, literal("")).label("subject"),
            state.label("state"),
            OutboundEmail.attempts.label("attempts"),
            func.coalesce(OutboundEmail.last_error, literal("")).label("last_error"),
            OutboundEmail.sent_at.label("sent_at"),
            ReminderDelivery.reason.label("reason"),
            type_coerce(ReminderRule.kind, String).label("rule_kind"),
            ReminderDelivery.milestone_id.label("milestone_id"),
            Milestone.title.label("milestone_title"),
            Milestone.cycle_id.label("cycle_id"),
            ReminderDelivery.organisation_id.label("organisation_id"),
            _person_owner().label("person_id"),
        )
        .join(ReminderRule, ReminderRule.id == ReminderDelivery.rule_id)
        .join(Milestone, Milestone.id == ReminderDelivery.milestone_id)
        .join(Cycle, Cycle.id == Milestone.cycle_id)
        .outerjoin(OutboundEmail, OutboundEmail.id == ReminderDelivery.email_id)
        .where(Cycle.region_id == region_id)
    )
    if filters.state:
        reminder_part = reminder_part.where(state == filters.state)
    if filters.milestone_id is not None:
        reminder_part = reminder_part.where(ReminderDelivery.milestone_id == filters.milestone_id)
    if filters.organisation_id is not None:
        reminder_part = reminder_part.where(
            ReminderDelivery.organisation_id == filters.organisation_id)
    parts = [reminder_part]
    if filters.milestone_id is None and filters.organisation_id is None:
        # Not a reminder: no delivery points at it. An uncorrelated NOT IN is evaluated once
        # (a hashed set), not once per e-mail.
        reminder_emails = select(ReminderDelivery.email_id).where(
            ReminderDelivery.email_id.is_not(None))
        other_part = (
            select(
                literal("email").label("source"),
                OutboundEmail.id.label("id"),
                OutboundEmail.id.label("email_id"),
                OutboundEmail.created_at.label("at"),
                OutboundEmail.to_address.label("recipient"),
                OutboundEmail.subject.label("subject"),
                email_state.label("state"),
                OutboundEmail.attempts.label("attempts"),
                OutboundEmail.last_error.label("last_error"),
                OutboundEmail.sent_at.label("sent_at"),
                literal("").label("reason"),
                cast(null(), String).label("rule_kind"),
                cast(null(), Integer).label("milestone_id"),
                cast(null(), String).label("milestone_title"),
                cast(null(), Integer).label("cycle_id"),
                cast(null(), Integer).label("organisation_id"),
                cast(null(), Integer).label("person_id"),
            )
            .where(OutboundEmail.region_id == region_id,
                   OutboundEmail.id.not_in(reminder_emails))
        )
        if filters.state:
            other_part = other_part.where(OutboundEmail.state == EmailState(filters.state))
        parts.append(other_part)
    log = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("log")
    rows = db.session.execute(
        select(log, Organisation.name.label("organisation_name"),
               User.name.label("person_name"))
        .outerjoin(Organisation, Organisation.id == log.c.organisation_id)
        .outerjoin(User, User.id == log.c.person_id)
        .order_by(log.c.at.desc(), log.c.source, log.c.id.desc())
        .limit(LOG_PAGE_SIZE + 1).offset((clamp_page(page) - 1) * LOG_PAGE_SIZE)
    ).all()
    out = [LogRow(source=r.source, id=r.id, email_id=r.email_id, at=r.at, recipient=r.recipient,
                  subject=r.subject or "", state=r.state, attempts=r.attempts,
                  last_error=r.last_error or "", sent_at=r.sent_at, reason=r.reason or "",
                  rule_kind=r.rule_kind, milestone_id=r.milestone_id,
                  milestone_title=r.milestone_title, cycle_id=r.cycle_id,
                  organisation_name=r.organisation_name, person_name=r.person_name)
           for r in rows[:LOG_PAGE_SIZE]]
    return out, len(rows) > LOG_PAGE_SIZE


def scoped_email_or_404(email_id: int, user: Any) -> OutboundEmail:
    """One of the reader's region's e-mails; another region's (or none) is a 404."""
    message = db.session.scalar(select(OutboundEmail).where(
        OutboundEmail.id == email_id, OutboundEmail.region_id == user.region_id))
    if message is None:
        abort(404)
    return message


# A personal link (an invitation, a new password) lets whoever holds it into that person's
# account: the secretariat reads the e-mail without it.
_PERSONAL_LINK = re.compile(r"https?://[^\s\"'<>]*/(?:invitation|nulstil)/[^\s\"'<>]+")


def without_personal_links(text: str) -> str:
    return _PERSONAL_LINK.sub(_("[personligt link skjult]"), text)


@dataclass
class EmailView:
    """An e-mail as the secretariat opens it: headers, the text part and the HTML part (the
    page shows the HTML in a sandboxed frame), personal links hidden."""

    message: OutboundEmail
    sender: str
    kind_label: str
    state_label: str
    text: str
    html: str
    headers: list[tuple[str, str]]


def email_view(message: OutboundEmail) -> EmailView:
    return EmailView(
        message=message,
        sender=str(current_app.config["MAIL_DEFAULT_SENDER"]),
        kind_label=str(mail.TEMPLATE_LABELS.get(message.template, _("E-mail"))),
        state_label=EMAILS.state_label(message),
        text=without_personal_links(message.body_text),
        html=without_personal_links(message.body_html),
        headers=sorted((message.headers or {}).items()),
    )


def log_milestones(region_id: int) -> list[tuple[int, str]]:
    """The region's milestones that have reminder deliveries, for the log's filter. One query."""
    has_log = select(ReminderDelivery.id).where(
        ReminderDelivery.milestone_id == Milestone.id).exists()
    rows = db.session.execute(
        select(Milestone.id, Milestone.title, Milestone.ends_at, Cycle.title)
        .join(Cycle, Cycle.id == Milestone.cycle_id)
        .where(Cycle.region_id == region_id, has_log)
        .order_by(Cycle.first_year.desc(), Cycle.id.desc(), Milestone.ends_at, Milestone.id))
    return [(mid, f"{cycle} – {title} ({format_date(ends)})")
            for mid, title, ends, cycle in rows]


def log_organisations(region_id: int) -> list[tuple[int, str]]:
    """The region's organisations that reminders were about, for the log's filter. One query."""
    has_log = select(ReminderDelivery.id).where(
        ReminderDelivery.organisation_id == Organisation.id).exists()
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.region_id == region_id, has_log)
        .order_by(Organisation.name, Organisation.id))
    return [(oid, name) for oid, name in rows]


# -- the dashboard panel --------------------------------------------------------------------

@dataclass
class Upcoming:
    """Plain data (no ORM objects): the plan is kept in the revision cache between requests."""

    due_at: datetime
    milestone_id: int
    milestone_title: str
    cycle_id: int
    rule_id: int
    words: str
    recipients: int
    organisations: list[str]  # who owes it: organisations, people, or the secretariat


@dataclass
class RecentlySent:
    sent_at: datetime | None
    recipient: str
    subject: str
    milestone_id: int
    milestone_title: str
    cycle_id: int
    organisation_name: str | None
    person_name: str | None = None  # a person-owed reminder: who owes it
    email_id: int | None = None  # the e-mail to open, when there is one

    @property
    def owner_name(self) -> str | None:
        return self.organisation_name or self.person_name


@dataclass
class DashboardPanel:
    upcoming: list[Upcoming]
    recent: list[RecentlySent]


def _secretariat_addresses(region_id: int) -> list[str]:
    """The digest's recipients, exactly as the pass finds them. One query."""
    return [p.email for p in flow.secretariat_people([region_id]).get(region_id, [])]


def upcoming(region_id: int, now: datetime, limit: int = PANEL_SIZE) -> list[Upcoming]:
    """The next reminders the pass will send in the region's open cycles, if what is pending
    now is still pending then. Reads only; a fixed number of queries, and one while nothing
    has changed: the plan is kept under the data revision. Reminders are due on whole minutes,
    so the plan at the start of this minute is the plan now."""
    minute = now.replace(second=0, microsecond=0)
    return list(revision.cached("reminders.upcoming", (region_id, minute, limit),
                                lambda: tuple(_plan_upcoming(region_id, minute, limit))))


def _plan_upcoming(region_id: int, now: datetime, limit: int) -> list[Upcoming]:
    rows = db.session.execute(
        select(ReminderRule, Milestone)
        .join(Milestone, Milestone.id == ReminderRule.milestone_id)
        .join(Cycle, Cycle.id == Milestone.cycle_id)
        .where(Cycle.region_id == region_id, Cycle.state == CycleState.OPEN,
               ReminderRule.paused.is_(False), Milestone.ends_at >= now - flow.LOOKBACK)
        .order_by(ReminderRule.id)
    ).all()
    if not rows:
        return []
    pairs = [(rule, milestone) for rule, milestone in rows]
    claimed = flow.claimed_keys(sorted({r.id for r, _m in pairs}), now)
    secretariat: list[str] | None = None
    groups: dict[tuple[datetime, int, int], Upcoming] = {}

    def add(rule: ReminderRule, milestone: Milestone, number: int, due: datetime,
            recipients: Sequence[str], owner: str | None) -> None:
        wanted = [r for r in recipients if (rule.id, r, number) not in claimed]
        if not wanted:
            return
        key = (due, rule.id, number)
        item = groups.get(key)
        if item is None:
            item = groups[key] = Upcoming(due, milestone.id, milestone.title, milestone.cycle_id,
                                          rule.id, describe(rule), 0, [])
        item.recipients += len(wanted)
        if owner and owner not in item.organisations:
            item.organisations.append(owner)

    for rule, milestone in pairs:
        set_committed_value(rule, "milestone", milestone)
    for entry in flow.schedule(pairs, now):
        rule, milestone, owed = entry.rule, entry.milestone, entry.item
        ahead = [(n, due) for n, due in entry.times
                 if due > now and _in_window(milestone.ends_at, due)]
        if owed is None:
            if secretariat is None:
                secretariat = _secretariat_addresses(region_id)
            for number, due in ahead:
                add(rule, milestone, number, due, secretariat, _("Sekretariatet"))
            continue
        for number, due in ahead:
            add(rule, milestone, number, due, [p.email for p in owed.recipients],
                owed.owner.name)
    items = sorted(groups.values(), key=lambda u: (u.due_at, u.milestone_id, u.rule_id))
    for item in items:
        item.organisations.sort()
    return items[:limit]


def recently_sent(region_id: int, limit: int = PANEL_SIZE) -> list[RecentlySent]:
    """The region's last sent reminders, newest first. One query."""
    rows = db.session.execute(
        select(OutboundEmail.sent_at, ReminderDelivery.recipient, OutboundEmail.subject,
               Milestone.id, Milestone.title, Milestone.cycle_id, Organisation.name, User.name)
        .select_from(ReminderDelivery)
        .join(ReminderRule, ReminderRule.id == ReminderDelivery.rule_id)
        .join(OutboundEmail, OutboundEmail.id == ReminderDelivery.email_id)
        .join(Milestone, Milestone.id == ReminderDelivery.milestone_id)
        .join(Cycle, and_(Cycle.id == Milestone.cycle_id, Cycle.region_id == region_id))
        .outerjoin(Organisation, Organisation.id == ReminderDelivery.organisation_id)
        .outerjoin(User, User.id == _person_owner())
        .where(ReminderDelivery.state == DeliveryState.SENT)
        .order_by(OutboundEmail.sent_at.desc(), ReminderDelivery.id.desc())
        .limit(limit))
    return [RecentlySent(*row) for row in rows]


def dashboard_panel(region_id: int, now: datetime) -> DashboardPanel:
    """What the secretariat's dashboard shows about reminders: the next ones due and the last
    ones sent. Reads only."""
    return DashboardPanel(upcoming(region_id, now), recently_sent(region_id))
