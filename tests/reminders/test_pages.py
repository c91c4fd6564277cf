"""The secretariat's reminder pages: rules per milestone, the preview, the e-mail log and the
dashboard panel."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime

import pytest
from flask import render_template
from sqlalchemy import func, inspect, select

from tests import factories as f
from tests.reminders.test_reminders import build, submit
from webapp import mail, revision
from webapp.extensions import db as _db
from webapp.models import (
    AuditEvent,
    DeliveryState,
    EmailState,
    OutboundEmail,
    ReminderDelivery,
    ReminderRule,
    Role,
    RuleKind,
)
from webapp.queries import reminders as reminder_overview
from webapp.workflows import reminders
from webapp.workflows.questionnaires.audience import QuestionnaireAudience


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def rules_url(milestone, suffix: str = "") -> str:
    return f"/cykler/{milestone.cycle_id}/milepaele/{milestone.id}/paamindelser{suffix}"


def rule_of(milestone, kind: RuleKind, offset: int) -> ReminderRule:
    rule = _db.session.scalar(select(ReminderRule).where(
        ReminderRule.milestone_id == milestone.id, ReminderRule.kind == kind,
        ReminderRule.offset_days == offset))
    assert rule is not None
    return rule


def fresh(rule: ReminderRule) -> ReminderRule | None:
    rule_id = inspect(rule).identity[0]  # readable even when the row is gone
    _db.session.expire_all()
    return _db.session.scalar(select(ReminderRule).where(ReminderRule.id == rule_id))


@pytest.fixture
def setup(world):
    q, groups, orgs, people = build(world)
    return {"q": q, "milestone": q.milestone, "groups": groups, "orgs": orgs,
            "people": people}


# -- the rules page --------------------------------------------------------------------------

def test_rules_page_in_words_with_planned_times(client, login_as, setup):
    login_as(Role.SECRETARIAT)
    page = text(client.get(rules_url(setup["milestone"])))
    for words in ["14 dage før fristen kl. 08.00", "7 dage før fristen kl. 08.00",
                  "1 dag før fristen kl. 08.00",
                  "1 dag efter fristen kl. 08.00, derefter hver 7. dag",
                  "Oversigt til sekretariatet 7 dage før fristen kl. 08.00",
                  "Oversigt til sekretariatet 1 dag efter fristen kl. 08.00"]:
        assert words in page
    # The deadline is 01.05.2017 12.00: planned times are on the Copenhagen wall clock.
    for when in ["17.04.2017 kl. 08.00", "24.04.2017 kl. 08.00", "30.04.2017 kl. 08.00",
                 "02.05.2017 kl. 08.00", "09.05.2017 kl. 08.00", "27.06.2017 kl. 08.00"]:
        assert when in page
    assert "Frist 01.05.2017 kl. 12.00" in page
    assert "Tilføj påmindelse" in page
    # The page's rows are in order: before (earliest first), after, digests.
    assert page.index("14 dage før") < page.index("1 dag før") < page.index("1 dag efter") \
        < page.index("Oversigt til sekretariatet 7")


def test_rules_page_across_daylight_saving(client, login_as, setup):
    milestone = setup["milestone"]
    # Deadline 03.04.2017: 14 days before is winter time (CET), 7 days before summer (CEST).
    milestone.starts_at = f.at(2017, 3, 1, 8)
    milestone.ends_at = f.at(2017, 4, 3, 12)
    _db.session.commit()
    login_as(Role.SECRETARIAT)
    page = text(client.get(rules_url(milestone)))
    assert "20.03.2017 kl. 08.00" in page and "27.03.2017 kl. 08.00" in page
    assert "02.04.2017 kl. 08.00" in page and "04.04.2017 kl. 08.00" in page
    assert not re.search(r"kl\. (07|09)\.00", page)


def test_rules_page_tells_when_nothing_is_sent(client, login_as, world):
    workshop = next(m for m in _db.session.scalars(select(reminders.Milestone))
                    if m.title == "Workshop" and m.cycle_id == world["north"]["cycle"].id)
    # A workshop gets no default rules; these are left from before kinds had their own (or
    # added by hand): the questionnaire's.
    for default in QuestionnaireAudience.default_rules:
        _db.session.add(ReminderRule(milestone_id=workshop.id, kind=default.kind,
                                     offset_days=default.offset_days,
                                     repeat_days=default.repeat_days, send_at=default.send_at,
                                     paused=False, created_at=f.at(2017, 1, 2)))
    _db.session.commit()
    login_as(Role.SECRETARIAT)
    page = text(client.get(rules_url(workshop)))
    assert "Der sendes ingen påmindelser for denne type milepæl" in page
    # 7 days before 06.02.2017 15.30, and "1 day before" ... all listed, none sent.
    assert "30.01.2017 kl. 08.00" in page


# -- edit, add, pause, delete ----------------------------------------------------------------

def test_edit_errors_are_shown_at_the_fields_with_input_kept(client, login_as, setup):
    rule = rule_of(setup["milestone"], RuleKind.BEFORE, 14)
    login_as(Role.SECRETARIAT)
    url = rules_url(setup["milestone"], f"/{rule.id}/rediger")
    form = text(client.get(url))
    assert 'value="14"' in form and 'value="08:00"' in form
    response = client.post(url, data={"offset_days": "99", "send_at": "25:00",
                                      "version": str(rule.version_id)})
    assert response.status_code == 422
    page = text(response)
    assert "Der er et problem" in page
    # Both problems at once, each at its field and linked from the summary.
    assert 'href="#offset_days"' in page and 'href="#send_at"' in page
    assert "Angiv mellem 0 og 60 dage før fristen." in page
    assert "Skriv et klokkeslæt mellem 00:00 og 23:59, fx 08:00." in page
    assert 'id="offset_days-error"' in page and 'id="send_at-error"' in page
    assert 'value="99"' in page and 'value="25:00"' in page
    assert fresh(rule).offset_days == 14


def test_edit_saves_and_records(client, login_as, setup):
    rule = rule_of(setup["milestone"], RuleKind.OVERDUE, 1)
    login_as(Role.SECRETARIAT)
    url = rules_url(setup["milestone"], f"/{rule.id}/rediger")
    response = client.post(url, data={"offset_days": "2", "repeat_days": "3",
                                      "send_at": "07:30", "version": str(rule.version_id)})
    assert response.status_code == 302
    saved = fresh(rule)
    assert (saved.offset_days, saved.repeat_days, saved.send_at, saved.paused) == (2, 3, "07:30",
                                                                                   False)
    event = _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "reminder_rule.updated", AuditEvent.object_id == rule.id))
    assert event.before == {"offset_days": 1, "repeat_days": 7, "send_at": "08:00"}
    page = text(client.get(response.headers["Location"]))
    assert "Påmindelsen er gemt." in page
    assert "2 dage efter fristen kl. 07.30, derefter hver 3. dag" in page
    assert "03.05.2017 kl. 07.30" in page and "06.05.2017 kl. 07.30" in page


def test_rules_page_every_allowed_time_is_within_the_pass(client, login_as, setup):
    rule = rule_of(setup["milestone"], RuleKind.OVERDUE, 1)
    rule.offset_days, rule.repeat_days = 30, 30
    _db.session.commit()
    login_as(Role.SECRETARIAT)
    page = text(client.get(rules_url(setup["milestone"])))
    # The pass looks far enough back for the longest rule the form allows: every time is sent.
    marked = re.findall(r"(\d\d\.\d\d\.\d{4}) kl\. 08\.00 <strong>\(sendes ikke", page)
    assert "31.05.2017 kl. 08.00" in page and "26.01.2018 kl. 08.00" in page
    assert marked == []


def test_edit_repeat_out_of_range(client, login_as, setup):
    rule = rule_of(setup["milestone"], RuleKind.OVERDUE, 1)
    login_as(Role.SECRETARIAT)
    response = client.post(rules_url(setup["milestone"], f"/{rule.id}/rediger"),
                           data={"offset_days": "31", "repeat_days": "0", "send_at": "08:00",
                                 "version": str(rule.version_id)})
    assert response.status_code == 422
    page = text(response)
    assert "Angiv mellem 0 og 30 dage efter fristen." in page
    assert "Gentag mellem hver 1. og hver 30. dag." in page


def test_stale_edit_keeps_input_and_shows_what_is_saved(client, login_as, setup):
    rule = rule_of(setup["milestone"], RuleKind.BEFORE, 7)
    login_as(Role.SECRETARIAT)
    url = rules_url(setup["milestone"], f"/{rule.id}/rediger")
    client.get(url)
    old_version = rule.version_id
    # Somebody else saves first.
    rule.offset_days = 5
    _db.session.commit()
    assert rule.version_id == old_version + 1
    response = client.post(url, data={"offset_days": "10", "send_at": "09:00",
                                      "version": str(old_version)})
    assert response.status_code == 422
    page = text(response)
    assert "Nogen har ændret dette, mens du redigerede." in page
    assert "5 dage før fristen kl. 08.00" in page  # what is saved now
    assert 'value="10"' in page and 'value="09:00"' in page  # what I typed
    assert f'name="version" type="hidden" value="{old_version + 1}"' in page
    assert fresh(rule).offset_days == 5
    # Saving again with the new version overwrites knowingly.
    response = client.post(url, data={"offset_days": "10", "send_at": "09:00",
                                      "version": str(old_version + 1)})
    assert response.status_code == 302
    assert (fresh(rule).offset_days, fresh(rule).send_at) == (10, "09:00")


def test_pause_and_resume_are_recorded(client, login_as, setup):
    milestone = setup["milestone"]
    rule = rule_of(milestone, RuleKind.BEFORE, 14)
    login_as(Role.SECRETARIAT)
    url = rules_url(milestone, f"/{rule.id}/pause")
    response = client.post(url, data={"paused": "1"})
    assert response.status_code == 302
    assert fresh(rule).paused is True
    page = text(client.get(response.headers["Location"]))
    assert "Påmindelsen “14 dage før fristen kl. 08.00” er sat på pause." in page
    assert "Sat på pause" in page and "Genoptag" in page
    # A second click changes nothing and records nothing.
    client.post(url, data={"paused": "1"})
    assert client.post(url, data={"paused": "0"}).status_code == 302
    assert fresh(rule).paused is False
    events = _db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "reminder_rule.updated", AuditEvent.object_id == rule.id)
        .order_by(AuditEvent.id)).all()
    assert [(e.before, e.after) for e in events] == [
        ({"paused": False}, {"paused": True}), ({"paused": True}, {"paused": False})]
    assert client.post(url, data={"paused": "ja"}).status_code == 400


def test_paused_rule_sends_nothing(app, client, login_as, setup):
    rule = rule_of(setup["milestone"], RuleKind.BEFORE, 14)
    login_as(Role.SECRETARIAT)
    client.post(rules_url(setup["milestone"], f"/{rule.id}/pause"), data={"paused": "1"})
    with app.app_context():
        report = reminders.run_due(f.at(2017, 4, 17, 8, 5))
    assert report.claimed == []


def test_delete(client, login_as, setup):
    rule = rule_of(setup["milestone"], RuleKind.DIGEST, -1)
    rule_id = rule.id
    login_as(Role.SECRETARIAT)
    response = client.post(rules_url(setup["milestone"], f"/{rule_id}/slet"))
    assert response.status_code == 302
    assert fresh(rule) is None
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "reminder_rule.deleted", AuditEvent.object_id == rule_id))
    page = text(client.get(response.headers["Location"]))
    assert "Påmindelsen “Oversigt til sekretariatet 1 dag efter fristen kl. 08.00” er slettet." \
        in page
    assert page.count("Oversigt til sekretariatet 1 dag efter") == 1  # only in the message


def test_add(client, login_as, setup):
    milestone = setup["milestone"]
    login_as(Role.SECRETARIAT)
    url = rules_url(milestone, "/ny")
    form = text(client.get(url))
    assert 'name="kind"' in form and 'name="paused"' not in form
    response = client.post(url, data={"kind": "before", "offset_days": "61",
                                      "send_at": "8.15"})
    assert response.status_code == 422
    page = text(response)
    assert "Angiv mellem 0 og 60 dage før fristen." in page and 'value="61"' in page
    response = client.post(url, data={"kind": "overdue", "offset_days": "3",
                                      "repeat_days": "2", "send_at": "09:15"})
    assert response.status_code == 302
    rule = rule_of(milestone, RuleKind.OVERDUE, 3)
    assert (rule.repeat_days, rule.send_at, rule.paused) == (2, "09:15", False)
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "reminder_rule.created", AuditEvent.object_id == rule.id))
    page = text(client.get(response.headers["Location"]))
    assert "3 dage efter fristen kl. 09.15, derefter hver 2. dag" in page
    assert "04.05.2017 kl. 09.15" in page


# -- preview ---------------------------------------------------------------------------------

def test_preview_shows_the_first_pending_party(client, login_as, setup):
    milestone = setup["milestone"]
    rule = rule_of(milestone, RuleKind.BEFORE, 7)
    login_as(Role.SECRETARIAT)
    page = text(client.get(rules_url(milestone, f"/{rule.id}/forhaandsvisning")))
    # Pending: Kommune north, Syd Kommune and Vest Kommune; the first by name.
    person = setup["people"]["north"][0]
    assert "Kommune north" in page and person.email in page
    assert "Påmindelse: Kapacitet – frist 01.05.2017" in page
    assert "Fristen for “Kapacitet” er om 7 dage, 01.05.2017 kl. 12.00." in page
    assert "Sendes" in page and "24.04.2017 kl. 08.00" in page
    assert '<iframe class="email-html" sandbox=""' in page
    assert "eksempeldata" not in page


def test_preview_escapes_the_e_mail_html(client, login_as, setup):
    org = setup["orgs"]["north"]
    org.name = 'Aa <script>alert("x")</script> Kommune'
    _db.session.commit()
    rule = rule_of(setup["milestone"], RuleKind.OVERDUE, 1)
    login_as(Role.SECRETARIAT)
    raw = client.get(rules_url(setup["milestone"], f"/{rule.id}/forhaandsvisning")).get_data(
        as_text=True)
    assert "<script>" not in raw
    assert "Fristen er overskredet: Kapacitet" in raw
    # The HTML is inside the frame's srcdoc attribute, escaped once more.
    srcdoc = re.search(r'srcdoc="([^"]*)"', raw)
    assert srcdoc and "&lt;p&gt;" in srcdoc.group(1)
    assert "&amp;lt;script&amp;gt;" in srcdoc.group(1)


def test_preview_with_sample_data_and_digest(client, login_as, app, setup):
    milestone = setup["milestone"]
    for key in ("north", "Vest", "Syd"):
        submit(app, setup["q"], setup["orgs"][key], setup["people"][key][0],
               list(setup["groups"].values()), f.at(2017, 3, 2))
    login_as(Role.SECRETARIAT)
    rule = rule_of(milestone, RuleKind.BEFORE, 1)
    page = text(client.get(rules_url(milestone, f"/{rule.id}/forhaandsvisning")))
    assert "Eksempel Kommune" in page and "eksempeldata" in page
    assert "Fristen for “Kapacitet (frist)” er i morgen, 01.05.2017 kl. 12.00." in page


def test_preview_digest_lists_the_pending(client, login_as, setup):
    me = login_as(Role.SECRETARIAT)
    rule = rule_of(setup["milestone"], RuleKind.DIGEST, 7)
    page = text(client.get(rules_url(setup["milestone"], f"/{rule.id}/forhaandsvisning")))
    assert "Mangler stadig: Kapacitet (frist) (3)" in page
    assert me.email in page
    assert "- Kommune north" in page and "- Syd Kommune" in page and "- Vest Kommune" in page


# -- the e-mail log --------------------------------------------------------------------------

@pytest.fixture
def logged(app, world, setup):
    """Reminders sent on 17.04, skipped (downtime) on 26.04, one other e-mail, one in the other
    region, and one that failed."""
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 17, 8, 5))
        reminders.run_due(f.at(2017, 4, 26, 8, 5))
    north = world["north"]["region"].id
    with app.test_request_context():
        mail.queue("password_reset", "nogen@test.example", now=f.at(2017, 4, 20),
                   region_id=north, name="Nogen", link="http://x/", minutes=30)
        failed = mail.queue("password_reset", "fejl@test.example", now=f.at(2017, 4, 21),
                            region_id=north, name="Fejl", link="http://x", minutes=30)
        failed.state, failed.attempts, failed.last_error = EmailState.FAILED, 2, "SMTP: nej"
        mail.queue("password_reset", "anden@region.example", now=f.at(2017, 4, 20),
                   region_id=world["mid"]["region"].id, name="Anden", link="http://x/", minutes=30)
        _db.session.commit()
    return setup


def log_rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_email_log_lists_e_mails_and_skipped_reminders(client, login_as, logged):
    login_as(Role.SECRETARIAT)
    page = text(client.get("/admin/e-mails"))
    rows = log_rows(page)
    # 17.04: three reminders sent; 26.04: the 24.04 ones (three and the digest) skipped after
    # downtime, without an e-mail; two other e-mails.
    assert len(rows) == 3 + 4 + 2
    assert "anden@region.example" not in page
    # Newest first: the skipped ones of 26.04 lead.
    assert "nedetid" in rows[0] and "Ingen e-mail" in rows[0] and "sprunget over" in rows[0]
    assert "fejl@test.example" in rows[4] and "fejlet" in rows[4] and "SMTP: nej" in rows[4]
    assert "2 forsøg" in rows[4]
    sent = [r for r in rows if "Påmindelse: Kapacitet" in r]
    assert len(sent) == 3 and all("sendt" in r and "Før fristen" in r for r in sent)


def test_email_log_filters(client, login_as, logged):
    login_as(Role.SECRETARIAT)
    milestone, vest = logged["milestone"], logged["orgs"]["Vest"]
    page = text(client.get("/admin/e-mails?state=sent"))
    assert len(log_rows(page)) == 3
    assert '<option selected value="sent">Sendt</option>' in page
    page = text(client.get("/admin/e-mails?state=skipped"))
    assert len(log_rows(page)) == 4
    page = text(client.get("/admin/e-mails?state=failed"))
    assert [r for r in log_rows(page) if "fejl@test.example" in r] and len(log_rows(page)) == 1
    page = text(client.get(f"/admin/e-mails?milestone={milestone.id}"))
    assert len(log_rows(page)) == 7 and "nogen@test.example" not in page
    page = text(client.get(f"/admin/e-mails?organisation={vest.id}"))
    rows = log_rows(page)
    assert len(rows) == 2 and all("vest@kommune.example" in r for r in rows)
    page = text(client.get(f"/admin/e-mails?organisation={vest.id}&state=sent"
                           f"&milestone={milestone.id}"))
    assert len(log_rows(page)) == 1
    # Another region's organisation is not a choice: shown as an error, not used.
    other = logged["orgs"]["north"].id + 10_000
    page = text(client.get(f"/admin/e-mails?organisation={other}"))
    assert "Vælg en af de viste muligheder." in page and len(log_rows(page)) == 9


def test_email_log_pages(app, client, login_as, world):
    region_id = world["north"]["region"].id
    with app.test_request_context():
        for n in range(55):
            mail.queue("password_reset", f"p{n}@test.example", now=f.at(2017, 3, 1, 8, n),
                       region_id=region_id, name="X", link="http://x/", minutes=30)
        _db.session.commit()
    login_as(Role.SECRETARIAT)
    first = text(client.get("/admin/e-mails?state=queued"))
    assert len(log_rows(first)) == 50 and "p54@test.example" in log_rows(first)[0]
    assert "side=2" in first and "state=queued" in first
    second = text(client.get("/admin/e-mails?state=queued&side=2"))
    assert len(log_rows(second)) == 5 and "p0@test.example" in log_rows(second)[-1]


# -- the dashboard panel ---------------------------------------------------------------------

def test_dashboard_panel_next_and_last(app, login_as, client, world, setup, queries):
    region_id = world["north"]["region"].id
    with app.test_request_context():
        before = _db.session.scalar(select(func.count(ReminderDelivery.id)))
        with queries() as q:
            panel = reminder_overview.dashboard_panel(region_id, f.at(2017, 4, 10, 10))
        assert not [s for s in q.statements if re.match(r"\s*(INSERT|UPDATE|DELETE)", s, re.I)]
        assert _db.session.scalar(select(func.count(ReminderDelivery.id))) == before
    first = panel.upcoming[0]
    assert first.due_at == f.at(2017, 4, 17, 8, 0) and first.recipients == 3
    assert first.organisations == ["Kommune north", "Syd Kommune", "Vest Kommune"]
    assert [u.words for u in panel.upcoming[:3]] == [
        "14 dage før fristen kl. 08.00", "7 dage før fristen kl. 08.00",
        "Oversigt til sekretariatet 7 dage før fristen kl. 08.00"]
    assert len(panel.upcoming) == 10 and panel.recent == []
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 17, 8, 5))
    with app.test_request_context():
        panel = reminder_overview.dashboard_panel(region_id, f.at(2017, 4, 17, 9))
        page = render_template("reminders/_dashboard_panel.html", reminder_panel=panel)
    assert len(panel.recent) == 3
    assert {r.organisation_name for r in panel.recent} == {"Kommune north", "Syd Kommune",
                                                           "Vest Kommune"}
    assert panel.upcoming[0].due_at == f.at(2017, 4, 24, 8, 0)
    page = htmllib.unescape(page)
    assert "17.04.2017 kl. 08.05" in page and "24.04.2017 kl. 08.00" in page
    assert "Kapacitet (frist)" in page and "3 modtagere" in page
    # Another region sees none of it.
    with app.test_request_context():
        other = reminder_overview.dashboard_panel(world["mid"]["region"].id,
                                                  f.at(2017, 4, 17, 9))
    assert other.upcoming == [] and other.recent == []


def test_dashboard_panel_skips_what_a_moved_milestone_already_sent(app, world, setup):
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 17, 8, 5))
    setup["milestone"].ends_at = f.at(2017, 5, 15, 12)
    _db.session.commit()
    with app.test_request_context():
        panel = reminder_overview.dashboard_panel(world["north"]["region"].id,
                                                  f.at(2017, 4, 20, 9))
    # The new "14 days before" (01.05) is the reminder already sent on 17.04: not again.
    assert [u.due_at for u in panel.upcoming[:2]] == [f.at(2017, 5, 8, 8), f.at(2017, 5, 8, 8)]
    assert all(u.due_at != f.at(2017, 5, 1, 8) for u in panel.upcoming)


# -- access ----------------------------------------------------------------------------------

def _urls(milestone, rule):
    base = rules_url(milestone)
    return [("get", base), ("get", base + "/ny"), ("post", base + "/ny"),
            ("get", f"{base}/{rule.id}/rediger"), ("post", f"{base}/{rule.id}/rediger"),
            ("post", f"{base}/{rule.id}/pause"), ("post", f"{base}/{rule.id}/slet"),
            ("get", f"{base}/{rule.id}/forhaandsvisning")]


@pytest.mark.parametrize("role", [Role.RESPONDENT, Role.STEERING_MEMBER, Role.USER_ORG_REP,
                                  Role.POLITICIAN, Role.OBSERVER])
def test_only_the_secretariat(client, login_as, setup, role):
    rule = rule_of(setup["milestone"], RuleKind.BEFORE, 14)
    login_as(role)
    for method, url in [*_urls(setup["milestone"], rule), ("get", "/admin/e-mails")]:
        response = getattr(client, method)(url, data={"paused": "1"} if method == "post" else None)
        assert response.status_code == 403, (role, method, url)
    assert fresh(rule).paused is False and fresh(rule) is not None


def test_another_regions_milestone_is_not_found(client, login_as, world, setup):
    rule = rule_of(setup["milestone"], RuleKind.BEFORE, 14)
    login_as(Role.SECRETARIAT, region="mid")
    for method, url in _urls(setup["milestone"], rule):
        response = getattr(client, method)(url, data={"paused": "1"} if method == "post" else None)
        assert response.status_code == 404, (method, url)
    # The other region's cycle with this milestone id, and a rule of another milestone: 404.
    mid_cycle = world["mid"]["cycle"]
    assert client.get(f"/cykler/{mid_cycle.id}/milepaele/{setup['milestone'].id}"
                      "/paamindelser").status_code == 404
    assert fresh(rule).paused is False


def test_a_rule_of_another_milestone_is_not_found(client, login_as, world, setup):
    cycle = world["north"]["cycle"]
    other = f.milestone(cycle, f.at(2017, 6, 1), title="Anden")
    _db.session.commit()
    rule = rule_of(setup["milestone"], RuleKind.BEFORE, 14)
    login_as(Role.SECRETARIAT)
    base = f"/cykler/{cycle.id}/milepaele/{other.id}/paamindelser/{rule.id}"
    assert client.get(base + "/rediger").status_code == 404
    assert client.get(base + "/forhaandsvisning").status_code == 404
    assert client.post(base + "/slet").status_code == 404
    assert fresh(rule) is not None


def test_the_other_regions_log_is_not_shown(client, login_as, logged):
    login_as(Role.SECRETARIAT, region="mid")
    page = text(client.get("/admin/e-mails"))
    rows = log_rows(page)
    assert len(rows) == 1 and "anden@region.example" in rows[0]
    # The north milestone is no choice here.
    page = text(client.get(f"/admin/e-mails?milestone={logged['milestone'].id}"))
    assert "Vælg en af de viste muligheder." in page


# -- queries ---------------------------------------------------------------------------------

def test_rules_page_queries_do_not_grow(client, login_as, setup, queries, app):
    milestone = setup["milestone"]
    login_as(Role.SECRETARIAT)
    url = rules_url(milestone)
    client.get(url)
    with queries() as small:
        assert client.get(url).status_code == 200
    with app.app_context():
        reminders.run_due(f.at(2017, 4, 17, 8, 5))
    for n in range(10):
        _db.session.add(ReminderRule(milestone_id=milestone.id, kind=RuleKind.BEFORE,
                                     offset_days=20 + n, repeat_days=None, send_at="08:00",
                                     paused=bool(n % 2), created_at=datetime.now(UTC)))
    _db.session.commit()
    with queries() as large:
        page = text(client.get(url))
    assert "29 dage før fristen" in page
    assert large.count == small.count, "\n".join(large.statements)


def _add_log(region_id: int, milestone, orgs, n: int, start: int = 0) -> None:
    """n reminder e-mails with deliveries, a quarter of them without an e-mail."""
    rule = rule_of(milestone, RuleKind.OVERDUE, 1)
    org_list = list(orgs.values())
    now = f.at(2017, 5, 2, 8)
    for i in range(start, start + n):
        email_id = None
        if i % 4:
            message = OutboundEmail(region_id=region_id, template="reminder_overdue",
                                    to_address=f"r{i}@test.example", subject=f"Emne {i}",
                                    body_text="", body_html="", state=EmailState.SENT,
                                    attempts=1, created_at=now, next_attempt_at=now,
                                    sent_at=now)
            _db.session.add(message)
            _db.session.flush()
            email_id = message.id
        _db.session.add(ReminderDelivery(
            rule_id=rule.id, milestone_id=milestone.id, recipient=f"r{i}@test.example",
            organisation_id=org_list[i % len(org_list)].id, occurrence=i % 9, due_at=now,
            state=DeliveryState.SENT if email_id else DeliveryState.SKIPPED,
            reason="" if email_id else "Ugyldig e-mailadresse", email_id=email_id,
            created_at=now))
    _db.session.commit()


@pytest.mark.parametrize("query", ["", "?state=sent", "?milestone={m}", "?organisation={o}"])
def test_email_log_queries_do_not_grow(client, login_as, world, setup, queries, query):
    region_id = world["north"]["region"].id
    milestone, orgs = setup["milestone"], setup["orgs"]
    url = "/admin/e-mails" + query.format(m=milestone.id, o=orgs["Vest"].id)
    login_as(Role.SECRETARIAT)
    _add_log(region_id, milestone, orgs, 10)
    client.get(url)
    with queries() as small:
        assert client.get(url).status_code == 200
    _add_log(region_id, milestone, orgs, 190, start=10)
    with queries() as large:
        response = client.get(url)
    assert response.status_code == 200
    assert large.count == small.count, "\n".join(large.statements)


def test_dashboard_panel_queries_do_not_grow(app, world, setup, queries):
    region_id = world["north"]["region"].id
    at = f.at(2017, 5, 3, 9)
    # Measured as computed, not as kept (webapp/revision.py): the cache is emptied first.
    with app.test_request_context():
        reminder_overview.dashboard_panel(region_id, at)
        revision.clear()
        with queries() as small:
            reminder_overview.dashboard_panel(region_id, at)
    _add_log(region_id, setup["milestone"], setup["orgs"], 200)
    revision.clear()
    with app.test_request_context(), queries() as large:
        panel = reminder_overview.dashboard_panel(region_id, at)
    assert len(panel.recent) == 10
    assert large.count == small.count, "\n".join(large.statements)


def test_the_plan_is_kept_until_something_changes(app, client, login_as, world, setup, queries):
    """The secretariat's reminder plan is cached under the data revision: a second look costs
    no query in the same transaction (its token is read once), one in the next, and a change
    committed by another request (pausing a rule) is seen at once."""
    region_id = world["north"]["region"].id
    at = f.at(2017, 4, 10, 10)
    milestone = setup["milestone"]
    rule = rule_of(milestone, RuleKind.BEFORE, 14)
    with app.test_request_context():
        first = reminder_overview.upcoming(region_id, at)
        with queries(kept=True) as q:
            again = reminder_overview.upcoming(region_id, at)
        assert again == first and not q.statements, q.statements
        _db.session.rollback()  # the next transaction reads the token again
        with queries(kept=True) as q:
            again = reminder_overview.upcoming(region_id, at)
        assert again == first and len(q.statements) == 1, q.statements
    assert first[0].rule_id == rule.id
    login_as(Role.SECRETARIAT)
    response = client.post(rules_url(milestone, f"/{rule.id}/pause"), data={"paused": "1"})
    assert response.status_code == 302
    with app.test_request_context():
        after = reminder_overview.upcoming(region_id, at)
    assert after and all(u.rule_id != rule.id for u in after)
