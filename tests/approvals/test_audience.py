"""The approval milestone's pending audience: parties without a meeting date, and parties whose
meeting passed without a recorded decision, reminded against a real SMTP server."""

from __future__ import annotations

import html as htmllib
from collections.abc import Callable
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories as f
from tests.approvals import factories_remind as ar
from webapp.extensions import db as _db
from webapp.formatting import to_local
from webapp.models import (
    ApprovalState,
    DeliveryState,
    Milestone,
    MilestoneKind,
    OrgKind,
    OutboundEmail,
    ReminderDelivery,
    ReminderRule,
    Role,
    RuleKind,
)
from webapp.workflows import audiences, reminders
from webapp.workflows.approvals.audience import (
    APPROVAL_RULES,
    ApprovalAudience,
    meeting_deadline,
)

Rows = dict[str, Any]


@pytest.fixture
def parties(world: Rows) -> Rows:
    """North's municipality and three more, each with a respondent; a round on the approval
    milestone with the default rules. Vest's meeting is on 20.09, Øst's on 12.09; Syd has
    approved already; north's municipality has no meeting date."""
    north = world["north"]
    orgs = {"north": north["municipality"]}
    people = {"north": north["users"][Role.RESPONDENT]}
    for name in ("Vest", "Syd", "Øst"):
        org = f.organisation(north["region"], OrgKind.MUNICIPALITY, f"{name} Kommune")
        orgs[name] = org
        address = name.lower().replace("ø", "oe") + "@kommune.example"
        people[name] = f.user(org, [Role.RESPONDENT], email=address, name=f"Besvarer {name}")
    # Not reminded: a steering member, a respondent who has not signed up, an inactive one.
    f.user(orgs["Vest"], [Role.STEERING_MEMBER], email="styregruppe@vest.example")
    f.user(orgs["Vest"], [Role.RESPONDENT], email="ny@vest.example", password=None)
    f.user(orgs["Vest"], [Role.RESPONDENT], email="gammel@vest.example", active=False)
    round_ = ar.approval_round(north["cycle"], list(orgs.values()))
    reminders.create_default_rules(_db.session.get_one(Milestone, round_.milestone_id),
                                   f.at(2017, 8, 15))
    ar.schedule(ar.record_of(round_, orgs["Vest"]), date(2017, 9, 20))
    ar.schedule(ar.record_of(round_, orgs["Øst"]), date(2017, 9, 12))
    ar.decide(ar.record_of(round_, orgs["Syd"]), date(2017, 8, 30))
    _db.session.commit()
    return {"round": round_, "orgs": orgs, "people": people,
            "secretariat": north["users"][Role.SECRETARIAT]}


def _milestone(rows: Rows) -> Milestone:
    return _db.session.get_one(Milestone, rows["round"].milestone_id)


def _pending(rows: Rows, when: Any) -> dict[str, Any]:
    items = audiences.pending([_milestone(rows)], when)
    return {item.owner.name: item for item in items}


def test_the_approval_kind_has_its_audience_and_rules(parties: Rows) -> None:
    assert isinstance(audiences.audience_for(MilestoneKind.APPROVAL), ApprovalAudience)
    rules = _db.session.scalars(select(ReminderRule).where(
        ReminderRule.milestone_id == parties["round"].milestone_id).order_by(ReminderRule.id))
    assert [(r.kind, r.offset_days, r.repeat_days) for r in rules] == [
        (d.kind, d.offset_days, d.repeat_days) for d in APPROVAL_RULES]
    assert [(d.kind, d.offset_days, d.repeat_days) for d in APPROVAL_RULES] == [
        (RuleKind.BEFORE, 42, None), (RuleKind.BEFORE, 21, None), (RuleKind.OVERDUE, 1, 7),
        (RuleKind.DIGEST, 28, None), (RuleKind.DIGEST, -1, None)]


def test_pending_are_the_parties_without_a_meeting_or_with_a_meeting_passed(
        app: Flask, parties: Rows) -> None:
    orgs, people = parties["orgs"], parties["people"]
    with app.app_context():
        before = _pending(parties, f.at(2017, 9, 10, 8))
        # Øst's meeting on 12.09 has passed on the 13th; Vest's (20.09) has not.
        after = _pending(parties, f.at(2017, 9, 13, 0, 30))
    north_name = orgs["north"].name
    assert set(before) == {north_name}
    item = before[north_name]
    assert item.deadline == f.at(*ar.DEADLINE) and not item.overdue_only and item.series == 0
    assert item.email == "reminder_approval"
    assert [p.email for p in item.recipients] == [people["north"].email]
    record = ar.record_of(parties["round"], orgs["north"])
    assert item.link == f"http://127.0.0.1:5000/godkendelser/{record.id}"
    assert set(after) == {north_name, "Øst Kommune"}
    oest = after["Øst Kommune"]
    assert oest.overdue_only and oest.email == "reminder_approval_meeting"
    assert oest.deadline == meeting_deadline(date(2017, 9, 12))
    assert to_local(oest.deadline).date() == date(2017, 9, 12)
    assert oest.what == "Øst Kommune Byråd"
    assert [p.email for p in oest.recipients] == [people["Øst"].email]


def test_vest_recipients_are_its_signed_up_respondents_only(app: Flask, parties: Rows) -> None:
    with app.app_context():
        items = _pending(parties, f.at(2017, 9, 22, 8))
    assert [p.email for p in items["Vest Kommune"].recipients] == ["vest@kommune.example"]


def _parsed(message: Message) -> EmailMessage:
    """The message as the modern e-mail API reads it: headers decoded and unfolded."""
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def subjects(address: str) -> list[str]:
    return list(_db.session.scalars(select(OutboundEmail.subject).where(
        OutboundEmail.to_address == address).order_by(OutboundEmail.id)))


def _run_days(app: Flask, smtp: Any, start: Any, end: Any,
              events: dict[str, Callable[[], None]]) -> dict[str, list[tuple[str, str]]]:
    """One pass a day at 08.05 from `start` to `end`; an event runs at the start of its day."""
    sent_on: dict[str, list[tuple[str, str]]] = {}
    day = start
    while day < end:
        iso = to_local(day).date().isoformat()
        if iso in events:
            events[iso]()
            _db.session.commit()
        with app.app_context():
            before = len(smtp.inbox.messages)
            reminders.run_due(day)
            for message in smtp.inbox.messages[before:]:
                sent_on.setdefault(iso, []).append((message["To"], message["Message-ID"]))
        day += timedelta(days=1)
    return sent_on


def test_the_pass_day_by_day(app: Flask, db: Any, parties: Rows, smtp: Any) -> None:
    """North has no meeting date throughout; Vest's meeting (20.09) passes and it records the
    decision on 30.09; Øst's meeting (12.09) passes, it postpones to 03.10, that passes too, and
    it records the decision on 06.10; Syd approved before the round's reminders began."""
    orgs, people, round_ = parties["orgs"], parties["people"], parties["round"]

    def oest_postpones() -> None:
        ar.schedule(ar.record_of(round_, orgs["Øst"]), date(2017, 10, 3),
                    ApprovalState.POSTPONED)

    events = {
        "2017-09-15": oest_postpones,
        "2017-09-30": lambda: ar.decide(ar.record_of(round_, orgs["Vest"]), date(2017, 9, 20)),
        "2017-10-06": lambda: ar.decide(ar.record_of(round_, orgs["Øst"]), date(2017, 10, 3),
                                        ApprovalState.APPROVED_WITH_REMARKS),
    }
    sent_on = _run_days(app, smtp, f.at(2017, 8, 20, 8, 5), f.at(2017, 10, 28), events)

    def days_for(who: str) -> list[str]:
        return sorted(d for d, ms in sent_on.items() for to, _ in ms if to == who)

    # 42 and 21 days before 15.10, then the day after and weekly.
    assert days_for(people["north"].email) == ["2017-09-03", "2017-09-24", "2017-10-16",
                                               "2017-10-23"]
    # The day after the meeting and a week later, until the decision is recorded.
    assert days_for(people["Vest"].email) == ["2017-09-21", "2017-09-28"]
    # The day after each meeting that passed undecided: the postponed one is reminded afresh.
    assert days_for(people["Øst"].email) == ["2017-09-13", "2017-10-04"]
    assert days_for(people["Syd"].email) == []
    # The secretariat's digest four weeks before and the day after.
    assert days_for(parties["secretariat"].email) == ["2017-09-17", "2017-10-16"]
    # Nobody gets two on one day.
    assert all(len({to for to, _ in ms}) == len(ms) for ms in sent_on.values())
    # The wording, as queued (the SMTP copy's folded header is the mail layer's business).
    assert subjects(people["Vest"].email) == [
        "Registrér beslutningen: Vest Kommune Byråd, mødet 20.09.2017"] * 2
    assert subjects(people["Øst"].email) == [
        "Registrér beslutningen: Øst Kommune Byråd, mødet 12.09.2017",
        "Registrér beslutningen: Øst Kommune Byråd, mødet 03.10.2017"]
    assert subjects(people["north"].email) == (
        ["Påmindelse: politisk godkendelse af rammeaftalen – frist 15.10.2017"] * 2
        + ["Fristen er overskredet: politisk godkendelse af rammeaftalen"] * 2)
    # Nothing was skipped: no "before" reminder was planned against a meeting already held.
    states = {d.state for d in _db.session.scalars(select(ReminderDelivery))}
    assert states == {DeliveryState.SENT}


def test_the_meeting_reminder_links_to_the_record_and_goes_once(app: Flask, db: Any,
                                                                parties: Rows,
                                                                smtp: Any) -> None:
    people = parties["people"]
    record = ar.record_of(parties["round"], parties["orgs"]["Vest"])
    vest = people["Vest"].email
    with app.app_context():
        reminders.run_due(f.at(2017, 9, 20, 8, 5))  # the meeting day: not yet
        assert vest not in [m["To"] for m in smtp.inbox.messages]
        reminders.run_due(f.at(2017, 9, 21, 8, 5))
        reminders.run_due(f.at(2017, 9, 21, 9, 30))  # a second pass the same morning
    to_vest = [m for m in smtp.inbox.messages if m["To"] == vest]
    assert len(to_vest) == 1
    part = _parsed(to_vest[0]).get_body(("plain",))
    assert part is not None
    body = part.get_content()
    assert f"http://127.0.0.1:5000/godkendelser/{record.id}" in body
    assert "skulle behandle rammeaftalen på mødet 20.09.2017" in body
    assert "Registrér beslutningen med beslutningsprotokollen" in body


def test_a_decision_recorded_between_claim_and_send_cancels(app: Flask, db: Any,
                                                            parties: Rows, smtp: Any) -> None:
    smtp.inbox.refuse = True
    with app.app_context():
        reminders.run_due(f.at(2017, 9, 21, 8, 5))
    smtp.inbox.refuse = False
    ar.decide(ar.record_of(parties["round"], parties["orgs"]["Vest"]), date(2017, 9, 20))
    _db.session.commit()
    with app.app_context():
        reminders.send_claimed(f.at(2017, 9, 21, 9, 30))
    assert parties["people"]["Vest"].email not in [m["To"] for m in smtp.inbox.messages]
    _db.session.expire_all()
    vest = _db.session.scalar(select(ReminderDelivery).where(
        ReminderDelivery.recipient == parties["people"]["Vest"].email))
    assert vest is not None and vest.state == DeliveryState.CANCELLED


@pytest.mark.parametrize("size", [12, 30])
def test_fixed_queries_for_many_parties_and_milestones(app: Flask, world: Rows, queries: Any,
                                                       size: int) -> None:
    milestones = []
    for key in ("north", "mid"):
        region = world[key]["region"]
        orgs = [f.organisation(region, OrgKind.MUNICIPALITY) for _ in range(size)]
        for org in orgs:
            f.user(org, [Role.RESPONDENT])
        round_ = ar.approval_round(world[key]["cycle"], orgs)
        for n, org in enumerate(orgs[: size // 2]):
            ar.schedule(ar.record_of(round_, org), date(2017, 9, 1 + n % 10))
        milestones.append(_milestone({"round": round_}))
    _db.session.commit()
    with app.app_context(), queries() as q:
        items = audiences.pending(milestones, f.at(2017, 9, 30, 8))
    assert len(items) == 2 * size
    assert all(item.recipients for item in items)
    assert q.count == 2, q.statements


def test_rules_page_and_preview_word_the_approval(client: FlaskClient,
                                                  login_as: Callable[..., Any],
                                                  parties: Rows, clock: Any) -> None:
    milestone = _milestone(parties)
    login_as(Role.SECRETARIAT)
    base = f"/cykler/{milestone.cycle_id}/milepaele/{milestone.id}/paamindelser"
    page = htmllib.unescape(client.get(base).get_data(as_text=True))
    assert "får påmindelserne efter fristen regnet fra mødedagen" in page
    assert "42 dage før fristen kl. 08.00" in page
    rule = _db.session.scalar(select(ReminderRule).where(
        ReminderRule.milestone_id == milestone.id, ReminderRule.offset_days == 42))
    assert rule is not None
    preview = htmllib.unescape(client.get(f"{base}/{rule.id}/forhaandsvisning")
                               .get_data(as_text=True))
    assert "politisk godkendelse af rammeaftalen" in preview
    assert "Vi har endnu ingen mødedato for den politiske behandling i Kommune north" in preview
    # With nothing pending the sample is worded as an approval reminder too.
    for org in parties["orgs"].values():
        ar.decide(ar.record_of(parties["round"], org), date(2017, 9, 1))
    _db.session.commit()
    sample = htmllib.unescape(client.get(f"{base}/{rule.id}/forhaandsvisning")
                              .get_data(as_text=True))
    assert "eksempeldata" in sample
    assert "politiske behandling i Eksempel Kommune" in sample
    assert "besvarelsen" not in sample


def test_the_e_mail_log_names_the_party_and_the_reminder(app: Flask, client: FlaskClient,
                                                         login_as: Callable[..., Any],
                                                         parties: Rows, smtp: Any) -> None:
    with app.app_context():
        reminders.run_due(f.at(2017, 9, 21, 8, 5))
    login_as(Role.SECRETARIAT)
    page = htmllib.unescape(client.get("/admin/e-mails").get_data(as_text=True))
    assert "Registrér beslutningen: Vest Kommune Byråd, mødet 20.09.2017" in page
    assert "Vest Kommune" in page and "Efter fristen" in page
    email = _db.session.scalar(select(ReminderDelivery.email_id).where(
        ReminderDelivery.recipient == parties["people"]["Vest"].email))
    view = htmllib.unescape(client.get(f"/admin/e-mails/{email}").get_data(as_text=True))
    assert "Påmindelse: registrér rådets beslutning" in view
