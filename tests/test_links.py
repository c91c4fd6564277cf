"""Links in e-mails come from BASE_URL, with or without a request; e-mails render without one."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, has_request_context
from sqlalchemy import select

from tests import factories as f
from tests.reminders.test_reminders import build, submit
from webapp import mail, scheduler
from webapp.extensions import db as _db
from webapp.links import absolute_url, base_url
from webapp.models import EmailState, OutboundEmail, Role
from webapp.workflows import reminders

PREFIXED = "https://example.dk/aftalehjul"
Rows = dict[str, Any]  # what a fixture hands a test


def bodies(address: str) -> list[str]:
    return [m.body_text for m in _db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.to_address == address)
        .order_by(OutboundEmail.id))]


@pytest.mark.parametrize(("base", "expected"), [
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000/skemaer/7/besvar"),
    ("http://127.0.0.1:5000/", "http://127.0.0.1:5000/skemaer/7/besvar"),
    (PREFIXED, "https://example.dk/aftalehjul/skemaer/7/besvar"),
    (PREFIXED + "/", "https://example.dk/aftalehjul/skemaer/7/besvar"),
])
def test_absolute_url_needs_no_request(app: Flask, monkeypatch: pytest.MonkeyPatch, base: str,
                                       expected: str) -> None:
    monkeypatch.setitem(app.config, "BASE_URL", base)
    with app.app_context():
        assert not has_request_context()
        assert absolute_url("questionnaires.answer", questionnaire_id=7) == expected
        assert absolute_url("auth.reset_password", token="a b/ø") == (
            expected.removesuffix("/skemaer/7/besvar") + "/nulstil/a%20b/%C3%B8")
        assert base_url() == base.rstrip("/")


def test_reminder_and_receipt_links_are_as_before(app: Flask, db: Any, world: Rows) -> None:
    q, groups, orgs, people = build(world)
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 17, 8, 5))
    submit(app, q, orgs["Vest"], people["Vest"][0], list(groups.values()), f.at(2017, 4, 18))
    link = f"http://127.0.0.1:5000/skemaer/{q.id}/besvar"
    reminder, receipt = bodies(people["Vest"][0].email)
    assert f"Gå direkte til besvarelsen: {link}\n" in reminder
    assert f"Se besvarelsen: {link}\n" in receipt


def test_reminder_links_keep_base_urls_path(app: Flask, db: Any, world: Rows,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduler's reminders used to carry the path twice (…/aftalehjul/aftalehjul/…)."""
    monkeypatch.setitem(app.config, "BASE_URL", PREFIXED)
    q, groups, orgs, people = build(world)
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 17, 8, 5))
    submit(app, q, orgs["Vest"], people["Vest"][0], list(groups.values()), f.at(2017, 4, 18))
    link = f"https://example.dk/aftalehjul/skemaer/{q.id}/besvar"
    reminder, receipt = bodies(people["Vest"][0].email)
    assert f"Gå direkte til besvarelsen: {link}\n" in reminder
    assert f"Se besvarelsen: {link}\n" in receipt


def test_the_scheduler_sends_the_daily_digest_without_a_request(app: Flask, db: Any,
                                                                world: Rows, smtp: Any,
                                                                clock: Any) -> None:
    """The scheduler has no request; rendering an e-mail used to need one (the templates'
    helpers asked who is signed in) and the daily digest failed."""
    person = world["north"]["users"][Role.RESPONDENT]
    person.digest_notices = True
    _db.session.commit()
    clock.set(f.at(2017, 3, 10, 14))
    with app.test_request_context():
        mail.queue("extension_granted", person.email, now=clock.now(), urgent=False,
                   organisation="Kommune north", questionnaire="Kapacitet",
                   until="15.05.2017 kl. 12.00", link="http://x/skemaer/1/besvar")
        _db.session.commit()
    clock.set(f.at(2017, 3, 11, 8, 5))
    scheduler.run_once(app)
    assert [m["To"] for m in smtp.inbox.messages] == [person.email]
    _db.session.expire_all()
    assert _db.session.scalar(select(OutboundEmail.state).where(
        OutboundEmail.template == "daily_digest")) == EmailState.SENT
