"""Deadline reminders against a real SMTP server: exactly the pending, exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import truncate_all
from webapp.extensions import db as _db
from webapp.formatting import to_local
from webapp.models import (
    DeliveryState,
    EmailState,
    OrgKind,
    OutboundEmail,
    QuestionnaireRecipient,
    ReminderDelivery,
    ReminderRule,
    Role,
)
from webapp.workflows import reminders
from webapp.workflows.questionnaires import responses as qflow


def build(world):
    """Three municipalities with a respondent each, and the questionnaire's default rules."""
    north = world["north"]
    q, groups = f.capacity_questionnaire(north["cycle"])
    orgs = {"north": north["municipality"]}
    people = {"north": [north["users"][Role.RESPONDENT]]}
    for name in ("Vest", "Syd"):
        org = f.organisation(north["region"], OrgKind.MUNICIPALITY, f"{name} Kommune")
        orgs[name] = org
        people[name] = [f.user(org, [Role.RESPONDENT], email=f"{name.lower()}@kommune.example")]
        q.recipients.append(QuestionnaireRecipient(organisation_id=org.id))
    milestone = q.milestone
    reminders.create_default_rules(milestone, f.at(2017, 2, 1))
    _db.session.commit()
    return q, groups, orgs, people


def addressees(server):
    return Counter((m["To"], m["Subject"].split(":")[0]) for m in server.inbox.messages)


def submit(app, q, org, person, groups, when):
    with app.test_request_context():
        qflow.submit(person, q, org, None, {"kontaktperson": "X"}, groups, version=None,
                     now=when)
        _db.session.commit()


def test_full_cycle_day_by_day(app, db, world, smtp, clock):
    q, groups, orgs, people = build(world)
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    sent_on = {}
    day = f.at(2017, 4, 10, 8, 5)
    while day < f.at(2017, 5, 20):
        if to_local(day).date().isoformat() == "2017-04-20":
            # Syd delivers on 20 April: no reminder after that.
            submit(app, q, orgs["Syd"], people["Syd"][0], list(groups.values()), day)
        with app.app_context():
            before = len(smtp.inbox.messages)
            reminders.run_due(day)
            for m in smtp.inbox.messages[before:]:
                sent_on.setdefault(to_local(day).date().isoformat(), []).append(
                    (m["To"], str(m["Subject"])))
        day += timedelta(days=1)
    north_mail = people["north"][0].email
    vest = people["Vest"][0].email
    syd = people["Syd"][0].email
    days_for = lambda who: sorted(d for d, ms in sent_on.items() for to, _ in ms if to == who)  # noqa: E731
    # 14, 7 and 1 day before 01.05.2017, then overdue on 02.05, 09.05 and 16.05.
    expected = ["2017-04-17", "2017-04-24", "2017-04-30", "2017-05-02", "2017-05-09",
                "2017-05-16"]
    assert days_for(north_mail) == expected
    assert days_for(vest) == expected
    assert days_for(syd) == ["2017-04-17"]
    # The secretariat's digest: 7 days before and 1 day after.
    assert days_for(secretariat.email) == ["2017-04-24", "2017-05-02"]
    assert all(len(set(ms)) == len(ms) for ms in sent_on.values())  # nothing twice a day
    subjects = {s for _, s in sent_on["2017-05-02"] if _ != secretariat.email}
    assert subjects == {"Fristen er overskredet: Kapacitet"}


def test_demo_moment_and_second_pass_sends_nothing(app, db, world, smtp):
    q, groups, orgs, people = build(world)
    submit(app, q, orgs["Vest"], people["Vest"][0], list(groups.values()), f.at(2017, 4, 3))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "run-due", "--now", "2017-04-17T08:30"])
    assert result.exit_code == 0, result.output
    assert "2 påmindelser, 2 sendt" in result.output
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(
        [people["north"][0].email, people["Syd"][0].email])
    result = runner.invoke(args=["reminders", "run-due", "--now", "2017-04-17T08:35"])
    assert "0 påmindelser" in result.output and len(smtp.inbox.messages) == 2
    # A dry run writes nothing.
    result = runner.invoke(args=["reminders", "run-due", "--now", "2017-04-24T08:05",
                                 "--dry-run"])
    assert "Prøvekørsel" in result.output and len(smtp.inbox.messages) == 2


def test_downtime_catch_up(app, db, world, smtp):
    build(world)
    with app.app_context():
        assert reminders.run_due(f.at(2017, 4, 13, 8, 5)).claimed == []
        # Stopped from 13 April until 17 April 14.00 ... 3 days and 6 hours.
        report = reminders.run_due(f.at(2017, 4, 17, 14, 0))
    # The 17 April 08.00 reminders are within 24 hours: sent once, not a burst of older ones.
    assert len(report.claimed) == 3 and report.sent == 3 and report.skipped == []
    with app.app_context():
        # Stopped again from 18 April until 26 April: the 24 April reminders are 2 days old.
        report = reminders.run_due(f.at(2017, 4, 26, 8, 5))
    assert report.claimed == [] and len(report.skipped) == 3 + 1  # 3 parties + the digest
    assert all("nedetid" in why for _, why in report.skipped)
    states = Counter(d.state for d in _db.session.scalars(select(ReminderDelivery)))
    assert states[DeliveryState.SKIPPED] == 4 and states[DeliveryState.SENT] == 3
    assert len(smtp.inbox.messages) == 3


def test_dst_reminders_at_eight_local(app, db, world, smtp):
    q, _groups, _orgs, _people = build(world)
    # Move the deadline to 03.04.2017 12.00: 14 days before is winter time, 7 days before summer.
    q.milestone.starts_at = f.at(2017, 3, 1, 8)
    q.milestone.ends_at = f.at(2017, 4, 3, 12)
    _db.session.commit()
    with app.app_context():
        reminders.run_due(f.at(2017, 3, 20, 8, 1))
        reminders.run_due(f.at(2017, 3, 27, 8, 1))
    due = sorted({d.due_at for d in _db.session.scalars(select(ReminderDelivery))})
    assert [to_local(d).strftime("%d.%m %H.%M") for d in due] == ["20.03 08.00", "27.03 08.00"]
    assert [d.hour for d in due] == [7, 6]  # UTC: CET then CEST


def test_smtp_refuses_then_hangs_then_recovers(app, db, world, smtp):
    build(world)
    smtp.inbox.refuse = True
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 17, 8, 5))
    assert report.failed == 3 and smtp.inbox.messages == []
    assert {e.state for e in _db.session.scalars(select(OutboundEmail))} == {EmailState.FAILED}
    # The server now hangs longer than the timeout: still failed, nothing lost.
    smtp.inbox.refuse = False
    smtp.inbox.hang = 4
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 17, 8, 10))
    assert report.failed == 3
    smtp.inbox.hang = 0
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 17, 9, 30))
        again = reminders.run_due(f.at(2017, 4, 17, 12, 0))
    assert report.sent == 3 and again.sent == 0
    assert Counter(m["To"] for m in smtp.inbox.messages).most_common(1)[0][1] == 1
    assert len(smtp.inbox.messages) == 3


def test_party_that_delivers_between_claim_and_send_is_not_reminded(app, db, world, smtp):
    q, groups, orgs, people = build(world)
    smtp.inbox.refuse = True
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 17, 8, 5))  # claimed; the send fails
    submit(app, q, orgs["Vest"], people["Vest"][0], list(groups.values()), f.at(2017, 4, 17, 9))
    smtp.inbox.refuse = False
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 17, 10, 0))
    assert report.sent == 2 and report.cancelled == 1
    assert people["Vest"][0].email not in [m["To"] for m in smtp.inbox.messages]


def test_paused_rule_and_malformed_address(app, db, world, smtp):
    build(world)
    for rule in _db.session.scalars(select(ReminderRule).where(ReminderRule.offset_days == 14)):
        rule.paused = True
    bad = _db.session.scalar(select(ReminderRule).where(ReminderRule.offset_days == 7,
                                                        ReminderRule.kind == "before"))
    assert bad is not None
    person = world["north"]["users"][Role.RESPONDENT]
    person.email = "ikke en adresse"
    _db.session.commit()
    with app.app_context():
        assert reminders.run_due(f.at(2017, 4, 17, 8, 5)).claimed == []
        report = reminders.run_due(f.at(2017, 4, 24, 8, 5))
    reasons = [why for _, why in report.skipped]
    # Two good addresses and the secretariat's digest; the bad address is skipped with a reason.
    assert len(report.claimed) == 3 and any("Ugyldig e-mailadresse" in r for r in reasons)
    assert all(m["From"] for m in smtp.inbox.messages)


def test_an_address_no_server_can_take_is_skipped_not_a_crash(app, db, world, smtp):
    """An address stored before it was refused (letters beyond ASCII before the @) is skipped
    with a reason; the pass goes on with the others."""
    build(world)
    person = world["north"]["users"][Role.RESPONDENT]
    person.email = "søren@kommune.example"
    _db.session.commit()
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 24, 8, 5))
    reasons = [why for _, why in report.skipped]
    assert any("Ugyldig e-mailadresse" in r for r in reasons)
    assert report.claimed and report.failed == 0


def test_moved_milestone_replans_without_resending(app, db, world, smtp):
    q, _groups, _orgs, _people = build(world)
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 17, 8, 5))
    assert len(smtp.inbox.messages) == 3
    q.milestone.ends_at = f.at(2017, 5, 15, 12)  # two weeks later
    _db.session.commit()
    with app.app_context():
        # The new "14 days before" falls on 1 May: the same reminder, already sent.
        assert reminders.run_due(f.at(2017, 5, 1, 8, 5)).claimed == []
        # The new "7 days before" is 8 May.
        assert len(reminders.run_due(f.at(2017, 5, 8, 8, 5)).claimed) == 3 + 1


@pytest.fixture
def committed(app):
    """Real commits, for passes that run in parallel on their own connections."""
    with app.app_context():
        truncate_all()
        yield
        _db.session.remove()
        truncate_all()


def test_two_passes_at_once_send_each_reminder_once(app, committed, smtp):
    from tests.conftest import build_world

    world = build_world()
    build(world)
    errors = []
    barrier = threading.Barrier(2)

    def run():
        try:
            with app.app_context():
                barrier.wait()
                reminders.run_due(f.at(2017, 4, 17, 8, 5))
                _db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(set(
        m["To"] for m in smtp.inbox.messages))
    assert len(smtp.inbox.messages) == 3
    _db.session.expire_all()
    assert Counter(d.state for d in _db.session.scalars(select(ReminderDelivery))) == {
        DeliveryState.SENT: 3}

