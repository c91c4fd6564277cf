"""Audiences: items owed by a person as well as by an organisation, default rules per kind,
and the one registry of audiences."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories as f
from webapp.extensions import db as _db
from webapp.links import absolute_url
from webapp.models import (
    DeliveryState,
    Milestone,
    MilestoneKind,
    OutboundEmail,
    ReminderDelivery,
    ReminderRule,
    Role,
    RuleKind,
    User,
)
from webapp.queries import reminders as overview
from webapp.workflows import audiences, reminders
from webapp.workflows import cycles as cycle_flow
from webapp.workflows.audiences import DefaultRule, OwnerKind, PendingItem
from webapp.workflows.questionnaires.audience import QuestionnaireAudience

DEADLINE = (2017, 5, 1, 12, 0)
Rows = dict[str, Any]  # what a fixture hands a test


class SignUpAudience:
    """Test only: the people who have not yet signed up for a workshop owe a sign-up."""

    owner_kind: OwnerKind = "person"
    default_rules: Sequence[DefaultRule] = (
        DefaultRule(RuleKind.BEFORE, 7),
        DefaultRule(RuleKind.OVERDUE, 1),
        DefaultRule(RuleKind.DIGEST, 7),
    )

    def __init__(self) -> None:
        self.owing: set[int] = set()

    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
        if not milestones or not self.owing:
            return []
        people = list(_db.session.scalars(
            select(User).where(User.id.in_(self.owing)).order_by(User.id)))
        return [PendingItem.for_person(m.id, person, m.ends_at, what="Tilmelding til workshop",
                                       link=absolute_url("cycles.detail", cycle_id=m.cycle_id))
                for m in milestones for person in people]


@pytest.fixture
def signup(world: Rows, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A workshop milestone whose sign-up two people owe, with the audience's default rules.
    The audience is in the registry for this test only."""
    audience = SignUpAudience()
    monkeypatch.setitem(audiences.registry(), MilestoneKind.WORKSHOP, audience)
    north = world["north"]
    milestone = f.milestone(north["cycle"], f.at(*DEADLINE), kind=MilestoneKind.WORKSHOP,
                            title="Workshop om tilbud", starts_at=f.at(2017, 5, 1, 9, 0))
    rules = reminders.create_default_rules(milestone, f.at(2017, 2, 1))
    anna = f.user(north["municipality"], [Role.STEERING_MEMBER], name="Anna Andersen",
                  email="anna@kommune.example")
    bo = f.user(north["municipality"], [Role.STEERING_MEMBER], name="Bo Bertelsen",
                email="bo@kommune.example")
    audience.owing |= {anna.id, bo.id}
    _db.session.commit()
    yield {"audience": audience, "milestone": milestone, "rules": rules, "anna": anna,
           "bo": bo, "secretariat": north["users"][Role.SECRETARIAT]}


def emails_to(address: str) -> list[OutboundEmail]:
    return list(_db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.to_address == address).order_by(OutboundEmail.id)))


def deliveries() -> dict[str, ReminderDelivery]:
    _db.session.expire_all()
    return {d.recipient: d for d in _db.session.scalars(select(ReminderDelivery))}


def test_person_owed_items_get_the_audience_defaults(signup: Rows) -> None:
    rules = [(r.kind, r.offset_days, r.repeat_days, r.send_at) for r in signup["rules"]]
    assert rules == [(RuleKind.BEFORE, 7, None, "08:00"), (RuleKind.OVERDUE, 1, None, "08:00"),
                     (RuleKind.DIGEST, 7, None, "08:00")]


def test_reminders_go_to_the_person_in_the_person_wording(app: Flask, signup: Rows) -> None:
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 24, 8, 5))
    assert sorted(p.recipient for p in report.claimed) == [
        "anna@kommune.example", "bo@kommune.example", signup["secretariat"].email]
    assert report.sent == 3
    [message] = emails_to("anna@kommune.example")
    assert message.subject == "Påmindelse: Tilmelding til workshop – frist 01.05.2017"
    assert "Kære Anna Andersen" in message.body_text
    assert "Du mangler stadig at svare." in message.body_text
    assert "Har du spørgsmål, så kontakt sekretariatet for rammeaftalen." in message.body_text
    assert "Vi mangler" not in message.body_text and "Har I" not in message.body_text
    cycle_id = signup["milestone"].cycle_id
    assert f"http://127.0.0.1:5000/cykler/{cycle_id}\n" in message.body_text
    assert "Du mangler stadig at svare." in htmllib.unescape(message.body_html)
    # The person is the owner: no organisation on the delivery, the person as its user.
    rows = deliveries()
    assert rows["anna@kommune.example"].organisation_id is None
    assert rows["anna@kommune.example"].user_id == signup["anna"].id
    # The secretariat's digest names the people.
    [digest] = emails_to(signup["secretariat"].email)
    assert "- Anna Andersen" in digest.body_text and "- Bo Bertelsen" in digest.body_text


def test_overdue_person_wording(app: Flask, signup: Rows) -> None:
    with app.app_context():
        reminders.run_due(f.at(2017, 5, 2, 8, 5))
    [message] = emails_to("bo@kommune.example")
    assert message.subject == "Fristen er overskredet: Tilmelding til workshop"
    assert ("Fristen for “Tilmelding til workshop” var 01.05.2017 kl. 12.00, og du mangler "
            "stadig at svare.") in message.body_text
    assert "Kan du ikke nå det, så kontakt sekretariatet om en forlænget frist." \
        in message.body_text


def test_a_person_who_delivers_between_claim_and_send_is_cancelled(app: Flask, signup: Rows,
                                                                   smtp: Any) -> None:
    smtp.inbox.refuse = True
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 24, 8, 5))  # claimed; the send fails
    assert report.failed == 3
    signup["audience"].owing.discard(signup["anna"].id)  # Anna signs up
    smtp.inbox.refuse = False
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 24, 10, 0))
    assert report.cancelled == 1 and report.sent == 2
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(
        ["bo@kommune.example", signup["secretariat"].email])
    rows = deliveries()
    assert rows["anna@kommune.example"].state == DeliveryState.CANCELLED
    assert rows["anna@kommune.example"].reason == "Ikke sendt: personen har leveret."
    # The digest is not the secretariat's own to deliver: never cancelled.
    assert rows[signup["secretariat"].email].state == DeliveryState.SENT


def test_the_claim_key_prevents_a_double_send(app: Flask, signup: Rows,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with app.app_context():
        first = reminders.run_due(f.at(2017, 4, 24, 8, 5))
        again = reminders.run_due(f.at(2017, 4, 24, 8, 10))
    assert len(first.claimed) == 3 and again.claimed == [] and again.already == 3
    # A pass that planned before the first one's claims were visible: the unique key stops it.
    monkeypatch.setattr(reminders, "claimed_keys", lambda rule_ids, now: set())
    with app.app_context():
        racing = reminders.run_due(f.at(2017, 4, 24, 8, 15))
    assert racing.claimed == [] and racing.already == 3 and racing.sent == 0
    assert len(emails_to("anna@kommune.example")) == 1
    assert len(_db.session.scalars(select(ReminderDelivery)).all()) == 3


def test_the_e_mail_log_and_dashboard_show_the_person(app: Flask, client: FlaskClient,
                                                      login_as: Callable[..., Any], world: Rows,
                                                      signup: Rows) -> None:
    region_id = world["north"]["region"].id
    with app.test_request_context():
        panel = overview.dashboard_panel(region_id, f.at(2017, 4, 20, 9))
    first = panel.upcoming[0]
    assert first.due_at == f.at(2017, 4, 24, 8, 0) and first.recipients == 2
    assert first.organisations == ["Anna Andersen", "Bo Bertelsen"]
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 24, 8, 5))
    login_as(Role.SECRETARIAT)
    page = htmllib.unescape(client.get("/admin/e-mails").get_data(as_text=True))
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>", 1)[1], re.S)
    anna = next(r for r in rows if "anna@kommune.example" in r)
    assert "Før fristen · Anna Andersen" in anna
    digest = next(r for r in rows if signup["secretariat"].email in r)
    assert "Oversigt til sekretariatet" in digest and " · " not in digest
    with app.test_request_context():
        recent = overview.recently_sent(region_id)
    assert {(r.recipient, r.owner_name) for r in recent} == {
        ("anna@kommune.example", "Anna Andersen"), ("bo@kommune.example", "Bo Bertelsen"),
        (signup["secretariat"].email, None)}


def test_preview_of_a_person_owed_reminder(client: FlaskClient, login_as: Callable[..., Any],
                                           signup: Rows) -> None:
    milestone, rule = signup["milestone"], signup["rules"][0]
    login_as(Role.SECRETARIAT)
    url = (f"/cykler/{milestone.cycle_id}/milepaele/{milestone.id}/paamindelser/{rule.id}"
           "/forhaandsvisning")
    page = htmllib.unescape(client.get(url).get_data(as_text=True))
    assert "<dt>Person</dt><dd>Anna Andersen</dd>" in page
    assert "Du mangler stadig at svare." in page and "eksempeldata" not in page
    signup["audience"].owing.clear()
    page = htmllib.unescape(client.get(url).get_data(as_text=True))
    assert "eksempeldata" in page and "<dt>Person</dt><dd>Eksempel Person</dd>" in page
    assert "Du mangler stadig at svare." in page


def test_a_person_owed_item_reminds_that_person_only(world: Rows) -> None:
    north = world["north"]
    person = north["users"][Role.RESPONDENT]
    other = north["users"][Role.OBSERVER]
    item = PendingItem.for_person(1, person, f.at(*DEADLINE))
    assert item.owner.is_person and item.recipients == [person]
    with pytest.raises(ValueError):
        PendingItem(1, item.owner, f.at(*DEADLINE), recipients=[other])


# -- default rules per kind ------------------------------------------------------------------

def _add(world: Rows, kind: MilestoneKind, title: str,
         ends: datetime) -> Milestone:
    north = world["north"]
    return cycle_flow.add_milestone(
        north["users"][Role.SECRETARIAT], north["cycle"],
        cycle_flow.MilestoneData(kind=kind, title=title, ends_at=ends), now=f.at(2017, 1, 2))


def _rules(milestone: Milestone) -> list[tuple[RuleKind, int, int | None, str]]:
    return [(r.kind, r.offset_days, r.repeat_days, r.send_at) for r in _db.session.scalars(
        select(ReminderRule).where(ReminderRule.milestone_id == milestone.id)
        .order_by(ReminderRule.id))]


QUESTIONNAIRE_DEFAULTS = [
    (RuleKind.BEFORE, 14, None, "08:00"), (RuleKind.BEFORE, 7, None, "08:00"),
    (RuleKind.BEFORE, 1, None, "08:00"), (RuleKind.OVERDUE, 1, 7, "08:00"),
    (RuleKind.DIGEST, 7, None, "08:00"), (RuleKind.DIGEST, -1, None, "08:00")]


def test_a_kickoff_gets_no_default_rules_a_questionnaire_gets_its_audiences(world: dict[str,
                                                                            Any]) -> None:
    kickoff = _add(world, MilestoneKind.KICKOFF, "Kickoff", f.at(2017, 1, 5, 12))
    theme_day = _add(world, MilestoneKind.THEME_DAY, "Temadag", f.at(2017, 4, 28, 12))
    questionnaire = _add(world, MilestoneKind.QUESTIONNAIRE, "Skema", f.at(*DEADLINE))
    assert _rules(kickoff) == [] and _rules(theme_day) == []
    assert _rules(questionnaire) == QUESTIONNAIRE_DEFAULTS
    assert [(r.kind, r.offset_days, r.repeat_days, r.send_at)
            for r in QuestionnaireAudience.default_rules] == QUESTIONNAIRE_DEFAULTS


def test_a_milestone_that_becomes_a_questionnaire_gets_the_defaults_once(world: dict[str,
                                                                         Any]) -> None:
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    milestone = _add(world, MilestoneKind.OTHER, "Redegørelser", f.at(*DEADLINE))
    assert _rules(milestone) == []

    def change(kind: MilestoneKind) -> None:
        cycle_flow.update_milestone(secretariat, milestone, cycle_flow.MilestoneData(
            kind=kind, title=milestone.title, ends_at=milestone.ends_at), now=f.at(2017, 1, 3))
        _db.session.flush()

    change(MilestoneKind.QUESTIONNAIRE)
    assert _rules(milestone) == QUESTIONNAIRE_DEFAULTS
    # Back and forth: the rules it has are kept, not doubled.
    change(MilestoneKind.OTHER)
    change(MilestoneKind.QUESTIONNAIRE)
    assert _rules(milestone) == QUESTIONNAIRE_DEFAULTS


def test_the_registry_is_one_explicit_list() -> None:
    registry = audiences.registry()
    assert set(registry) == {MilestoneKind.QUESTIONNAIRE, MilestoneKind.CONSULTATION,
                             MilestoneKind.APPROVAL, MilestoneKind.WORKSHOP,
                             MilestoneKind.PRIORITISATION}
    assert isinstance(registry[MilestoneKind.QUESTIONNAIRE], QuestionnaireAudience)
    assert audiences.audience_for(MilestoneKind.KICKOFF) is None
    assert audiences.default_rules(MilestoneKind.KICKOFF) == ()
