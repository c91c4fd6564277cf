"""Reminders exactly once under faults: a sender killed mid-batch, a server slower than a lease,
a party delivering while its batch goes out, repeats recognisable, no line too long."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from email.header import decode_header, make_header

from flask.globals import app_ctx
from sqlalchemy import select

from tests import factories as f
from tests.conftest import build_world
from tests.mailserver import SMTPServer, text_body
from tests.reminders.test_reminders import build, committed  # noqa: F401
from webapp import mail
from webapp.extensions import db as _db
from webapp.models import OutboundEmail, ReminderDelivery, Role
from webapp.workflows import reminders
from webapp.workflows.questionnaires import responses as qflow


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


def identity(message):
    return message["To"], subject(message)


def test_killed_mid_batch_restart_repeats_at_most_the_one_in_flight(scratch_url):
    """A real `reminders run-due` process, killed while the server holds its fourth message.
    The three accepted are not sent again, and a restart a minute later sends the rest at once
    (it does not wait out a 10-minute lease)."""
    smtp = SMTPServer()
    smtp.start()
    env = {**os.environ, "DATABASE_URL": scratch_url, "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(smtp.port), "MAIL_SUPPRESS_SEND": "0", "MAIL_TIMEOUT_SECONDS": "2",
           "MAIL_SENDING_LEASE_SECONDS": "20", "AFTALEHJUL_NOW": "2017-04-24T08:05"}
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    try:
        subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([*flask, "seed-demo"], env=env, check=True, capture_output=True)
        smtp.inbox.stall_after = 3
        process = subprocess.Popen([*flask, "reminders", "run-due", "--now", "2017-04-24T08:05"],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and smtp.inbox.arrived < 4:
                time.sleep(0.05)
            assert smtp.inbox.arrived == 4, process.communicate(timeout=5)[0].decode()
        finally:
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=30)
        first = [identity(m) for m in smtp.inbox.messages]
        assert len(first) == 3
        smtp.inbox.stall_after = None
        smtp.inbox.release.set()
        # One minute later: the dead sender's lease on its one message (20 s) has lapsed.
        restart = subprocess.run([*flask, "reminders", "run-due", "--now", "2017-04-24T08:06"],
                                 env=env, capture_output=True, text=True, timeout=60)
        assert restart.returncode == 0, restart.stdout + restart.stderr
        arrived = Counter(identity(m) for m in smtp.inbox.messages)
        # 24 April, 7 days before: five pending organisations and the secretariat's digest.
        assert len(arrived) == 6, (arrived, restart.stdout)
        assert all(arrived[key] == 1 for key in first), arrived
        repeated = [key for key, n in arrived.items() if n > 1]
        assert len(repeated) <= 1 and all(arrived[key] <= 2 for key in arrived), arrived
    finally:
        smtp.inbox.release.set()
        smtp.stop()


def test_slow_server_outrunning_the_lease_sends_each_reminder_once(app, committed, smtp,  # noqa: F811
                                                                    clock, monkeypatch):
    """Each message takes the server 4 minutes; a second scheduler starts 12 minutes into the
    batch, past the old 10-minute lease of the whole batch."""
    build(build_world())
    monkeypatch.setitem(app.config, "MAIL_SENDING_LEASE_SECONDS", 300)
    # The first sender waits for its answer while the second runs: no socket timeout on a
    # busy machine (the lease's floor, 8 × 30 s, stays under the 300 s set above).
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 30)
    start = f.at(2017, 4, 24, 8, 5)  # 7 days before: three parties and the digest
    clock.set(start)
    errors: list[Exception] = []
    second: list[threading.Thread] = []

    def run_second() -> None:
        try:
            with app.app_context():
                reminders.run_due(clock.now())
                _db.session.remove()
        except Exception as exc:  # reported below
            errors.append(exc)

    def slow(message) -> None:
        clock.set(clock.now() + timedelta(minutes=4))
        if len(smtp.inbox.messages) == 2 and not second:  # the third is in flight
            second.append(threading.Thread(target=run_second))
            second[0].start()
            second[0].join(20)

    smtp.inbox.before_reply = slow
    with app.app_context():
        reminders.run_due(start)
    assert second and errors == []
    assert clock.now() - start > timedelta(minutes=10)
    counts = Counter(m["To"] for m in smtp.inbox.messages)
    assert len(counts) == 4 and set(counts.values()) == {1}, counts


def test_party_delivering_while_the_batch_goes_out_is_neither_reminded_nor_listed(
        app, committed, smtp, clock, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 30)  # the sender waits meanwhile
    _db.session().expire_on_commit = False  # the test's objects stay as built, for submitting
    test_context = app_ctx._get_current_object()
    q, groups, orgs, people = build(build_world())
    clock.set(f.at(2017, 4, 24, 8, 5))
    errors: list[Exception] = []
    delivered: list[str] = []
    emails = {n: people[n][0].email for n in people}
    org_names = {n: orgs[n].name for n in orgs}

    def deliver_one(message) -> None:
        if delivered:
            return
        # The first reminder is with the server: a party not yet reminded submits now.
        name = next(n for n in ("Vest", "Syd", "north") if emails[n] != message["To"])
        delivered.append(name)
        try:
            # In the test's own session (its objects belong there), from the server's thread.
            with test_context:
                qflow.submit(people[name][0], q, orgs[name], None, {"kontaktperson": "X"},
                             list(groups.values()), version=None, now=clock.now())
                _db.session.commit()
        except Exception as exc:  # reported below
            errors.append(exc)

    smtp.inbox.before_reply = deliver_one
    with app.app_context():
        report = reminders.run_due(clock.now())
        assert errors == [] and report.cancelled == 1, report.lines()
    name = delivered[0]
    recipients = [m["To"] for m in smtp.inbox.messages]
    assert emails[name] not in recipients
    secretariat = _db.session.scalar(select(ReminderDelivery.recipient).where(
        ReminderDelivery.organisation_id.is_(None)))
    [digest] = [m for m in smtp.inbox.messages if m["To"] == secretariat]
    assert subject(digest).endswith("(2)")
    assert org_names[name] not in text_body(digest)
    others = [org_names[n] for n in ("Vest", "Syd", "north") if n != name]
    assert all(other in text_body(digest) for other in others)


def test_message_id_is_kept_across_a_failed_and_a_successful_attempt(app, db, world, smtp):
    build(world)
    smtp.inbox.refuse = True
    with app.app_context():
        assert reminders.run_due(f.at(2017, 4, 17, 8, 5)).failed == 3
    smtp.inbox.refuse = False
    with app.app_context():
        assert reminders.run_due(f.at(2017, 4, 17, 9, 30)).sent == 3
    first = {m["To"]: m for m in smtp.inbox.refused}
    assert len(first) == 3 and len(smtp.inbox.messages) == 3
    for message in smtp.inbox.messages:
        delivery = _db.session.scalar(select(ReminderDelivery).where(
            ReminderDelivery.recipient == message["To"]))
        assert message["Message-ID"] == first[message["To"]]["Message-ID"]
        assert message["X-Aftalehjul-Reminder"] == (
            f"{delivery.rule_id}/{delivery.recipient}/{delivery.occurrence}")
        assert _db.session.get(OutboundEmail, delivery.email_id).message_id == (
            message["Message-ID"])


def test_receipt_with_a_very_long_answer_passes_a_strict_server(app, db, world, smtp, clock):
    q, groups = f.capacity_questionnaire(world["north"]["cycle"])
    _db.session.commit()
    person = world["north"]["users"][Role.RESPONDENT]
    org = world["north"]["municipality"]
    answer = "Særligt lang forklaring om pladser og behov. " * 200  # 9,000 characters
    clock.set(f.at(2017, 4, 20, 10))
    with app.test_request_context():
        qflow.submit(person, q, org, None,
                     {"kontaktperson": "X", "samlet": 1, "samlet_forklaring": answer},
                     list(groups.values()), version=None, now=clock.now())
        _db.session.commit()
        mail.send_queued(clock.now())
    [receipt] = smtp.inbox.messages
    assert subject(receipt).startswith("Kvittering")
    assert answer.strip() in text_body(receipt)
    raw = smtp.inbox.envelopes[0].original_content
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
