"""A council's meeting, decision, postponement and correction (issue 12, item 2), the "in force"
e-mail (item 6), and two people saving the same record at the same moment."""

from __future__ import annotations

import io
import re
from email.header import decode_header, make_header

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tests import factories as f
from tests.approvals import factories_ap_core as h
from webapp.demo.consultation import pdf
from webapp.models import (
    ApprovalRound,
    ApprovalState,
    AuditEvent,
    CouncilApproval,
    OutboundEmail,
    Role,
    StoredFile,
)
from webapp.workflows import PermissionDenied, WorkflowError
from webapp.workflows.approvals import decisions as flow

DECIDED_ON = f.at(2017, 9, 25).date()
LATER = f.at(2017, 9, 26, 10, 0)


def html(response):
    return response.get_data(as_text=True)


def field_error(page, field_id):
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return match.group(1)


def approve(s, party, state=ApprovalState.APPROVED, actor=None, **kw):
    approval = s.approval(party)
    return flow.decide(actor or s.respondents[party], approval, flow.Decision(
        state=state, decided_on=DECIDED_ON, **kw), now=LATER, version=approval.version_id)


# -- the workflow -------------------------------------------------------------------------------

def test_schedule_postpone_decide(db, world):
    s = h.scene(world)
    who = s.respondents["kommune"]
    a = s.approval("kommune")
    flow.schedule(who, a, flow.Meeting(f.at(2017, 9, 25).date(), "Byrådet",
                                       "https://kommune.example/dagsorden"),
                  now=f.at(2017, 9, 18), version=a.version_id)
    assert a.state == ApprovalState.SCHEDULED
    flow.postpone(who, a, flow.Meeting(f.at(2017, 10, 9).date()), now=f.at(2017, 9, 26),
                  version=a.version_id)
    assert (a.state, a.meeting_date, a.meeting_body) == (
        ApprovalState.POSTPONED, f.at(2017, 10, 9).date(), "Byrådet")
    flow.decide(who, a, flow.Decision(ApprovalState.APPROVED_WITH_REMARKS,
                                      f.at(2017, 10, 9).date(), remarks="Med forbehold"),
                now=f.at(2017, 10, 10), version=a.version_id)
    db.session.commit()
    assert a.state == ApprovalState.APPROVED_WITH_REMARKS and not a.on_behalf
    assert a.recorded_by_name == who.name
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "CouncilApproval").order_by(AuditEvent.id)))
    assert actions == ["council_approval.scheduled", "council_approval.postponed",
                       "council_approval.decided"]


@pytest.mark.parametrize("decision,field", [
    (flow.Decision(ApprovalState.APPROVED, f.at(2017, 9, 27).date()), "decided_on"),  # future
    (flow.Decision(ApprovalState.APPROVED, f.at(2017, 9, 1).date()), "decided_on"),  # before
    (flow.Decision(ApprovalState.APPROVED, None), "decided_on"),
    (flow.Decision(ApprovalState.APPROVED_WITH_REMARKS, DECIDED_ON, remarks=" "), "remarks"),
    (flow.Decision(ApprovalState.REJECTED, DECIDED_ON), "rejection_reason"),
    (flow.Decision(None, DECIDED_ON), "outcome"),
    (flow.Decision(ApprovalState.POSTPONED, DECIDED_ON), "outcome"),
    (flow.Decision(ApprovalState.APPROVED, DECIDED_ON, minutes_url="javascript:alert(1)"),
     "minutes_url"),
])
def test_a_decision_is_checked(db, world, decision, field):
    s = h.scene(world)
    a = s.approval("kommune")
    with pytest.raises(WorkflowError) as err:
        flow.decide(s.respondents["kommune"], a, decision, now=LATER, version=a.version_id)
    assert err.value.field == field


def test_a_meeting_before_the_round_opened_is_refused(db, world):
    s = h.scene(world)
    a = s.approval("kommune")
    with pytest.raises(WorkflowError, match="før godkendelsesrunden") as err:
        flow.schedule(s.respondents["kommune"], a, flow.Meeting(f.at(2017, 9, 14).date()),
                      now=LATER, version=a.version_id)
    assert err.value.field == "meeting_date"


def test_postponing_needs_a_meeting_and_a_later_date(db, world):
    s = h.scene(world)
    a = s.approval("kommune")
    with pytest.raises(WorkflowError, match="ikke muligt"):
        flow.postpone(s.secretariat, a, flow.Meeting(f.at(2017, 10, 1).date()), now=LATER,
                      version=a.version_id)
    flow.schedule(s.secretariat, a, flow.Meeting(f.at(2017, 10, 1).date()), now=LATER,
                  version=a.version_id)
    with pytest.raises(WorkflowError) as err:
        flow.postpone(s.secretariat, a, flow.Meeting(f.at(2017, 10, 1).date()), now=LATER,
                      version=a.version_id)
    assert err.value.field == "meeting_date"


def test_only_own_party_records_and_not_after_the_decision(db, world):
    s = h.scene(world)
    with pytest.raises(PermissionDenied):
        approve(s, "anden", actor=s.respondents["kommune"])
    for role in (Role.STEERING_MEMBER, Role.POLITICIAN, Role.OBSERVER):
        with pytest.raises(PermissionDenied):
            approve(s, "kommune", actor=world["north"]["users"][role])
    approve(s, "kommune")
    with pytest.raises(PermissionDenied):
        approve(s, "kommune", state=ApprovalState.REJECTED, rejection_reason="x")
    # Nor the secretariat through "decide": a recorded decision is corrected.
    with pytest.raises(WorkflowError, match="allerede besluttet"):
        approve(s, "kommune", actor=s.secretariat)


def test_the_secretariat_records_on_behalf(db, world):
    s = h.scene(world)
    a = approve(s, "region", actor=s.secretariat)
    assert a.on_behalf and a.recorded_by_name == s.secretariat.name


def test_correction_needs_a_reason_and_keeps_the_old_value(db, world):
    s = h.scene(world)
    approve(s, "kommune")
    db.session.commit()
    a = s.approval("kommune")
    fixed = flow.Decision(ApprovalState.APPROVED_WITH_REMARKS, DECIDED_ON,
                          remarks="Bemærkning om takster")
    with pytest.raises(PermissionDenied):
        flow.correct(s.respondents["kommune"], a, fixed, reason="x", now=LATER,
                     version=a.version_id)
    with pytest.raises(WorkflowError) as err:
        flow.correct(s.secretariat, a, fixed, reason=" ", now=LATER, version=a.version_id)
    assert err.value.field == "correction_reason"
    flow.correct(s.secretariat, a, fixed, reason="Protokollen nævner bemærkninger",
                 now=LATER, version=a.version_id)
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "council_approval.corrected"))
    assert event.before == {"state": "approved", "remarks": ""}
    assert event.after["state"] == "approved_with_remarks"
    assert event.after["reason"] == "Protokollen nævner bemærkninger"
    pending = s.approval("anden")
    with pytest.raises(WorkflowError, match="ingen registreret beslutning"):
        flow.correct(s.secretariat, pending, fixed, reason="x", now=LATER,
                     version=pending.version_id)


def test_minutes_must_be_a_pdf(app, db, world):
    s = h.scene(world)
    a = s.approval("kommune")
    docx = flow.Decision(ApprovalState.APPROVED, DECIDED_ON,
                         minutes=flow.uploads.Upload("protokol.docx", b"PK\x03\x04x"))
    with app.test_request_context(), pytest.raises(WorkflowError) as err:
        flow.decide(s.respondents["kommune"], a, docx, now=LATER, version=a.version_id)
    assert err.value.field == "minutes_file"
    assert "Kun PDF" in err.value.message


def test_one_record_per_council_per_round_is_a_constraint(db, world):
    s = h.scene(world)
    db.session.add(CouncilApproval(round_id=s.round.id, organisation_id=s.parties["anden"].id,
                                   party_name="Dublet", council_name="Dublet"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# -- two people, the same record, the same moment -----------------------------------------------

def test_the_second_concurrent_save_is_refused_by_the_counter(client, db, world, login_as, clock):
    """Both read the record at version N; the first commits through the page; the second's
    save still holds N (it passed its own check) and its UPDATE … WHERE version_id = N finds
    nothing: refused, the first decision kept."""
    s = h.scene(world)
    mine = s.approval("kommune")  # read before the other save, as a second request would
    version = mine.version_id
    db.session.commit()  # the test's read ends; `mine` stays as read (version N)
    clock.set(LATER)
    login_as(s.respondents["kommune"])
    response = client.post(f"/godkendelser/{mine.id}/beslutning", data={
        "beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-25",
        "beslutning-version": version})
    assert response.status_code == 302
    with pytest.raises(StaleDataError):
        flow.decide(s.secretariat, mine, flow.Decision(
            ApprovalState.REJECTED, DECIDED_ON, rejection_reason="Nej"),
            now=LATER, version=version)
        db.session.flush()
    db.session.rollback()
    stored = s.approval("kommune")
    assert stored.state == ApprovalState.APPROVED and stored.rejection_reason == ""
    assert db.session.scalar(select(func.count(CouncilApproval.id)).where(
        CouncilApproval.round_id == s.round.id,
        CouncilApproval.organisation_id == s.parties["kommune"].id)) == 1


def test_the_second_of_two_tabs_sees_the_first_and_keeps_its_input(client, db, world,
                                                                    login_as, clock):
    s = h.scene(world)
    a = s.approval("kommune")
    path = f"/godkendelser/{a.id}/beslutning"
    clock.set(LATER)
    login_as(s.respondents["kommune"])
    page = html(client.get(f"/godkendelser/{a.id}"))
    version = re.search(r'name="beslutning-version" type="hidden" value="(\d+)"', page)[1]
    assert client.post(path, data={
        "beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-25",
        "beslutning-version": version}).status_code == 302
    login_as(Role.SECRETARIAT)
    response = client.post(f"/godkendelser/{a.id}/dagsorden", data={
        "dagsorden-meeting_date": "2017-09-28", "dagsorden-meeting_body": "Fra fane B",
        "dagsorden-version": version})
    assert response.status_code == 403  # decided meanwhile: the meeting form is gone
    response = client.post(f"/godkendelser/{a.id}/ret", data={
        "ret-outcome": "rejected", "ret-decided_on": "2017-09-25",
        "ret-rejection_reason": "Skrevet i fane B", "ret-correction_reason": "Fejl",
        "ret-version": version})
    assert response.status_code == 409
    body = html(response)
    assert "Nogen har ændret dette" in body and "Det, der nu er gemt" in body
    assert "Skrevet i fane B" in body  # nothing typed lost
    assert s.approval("kommune").state == ApprovalState.APPROVED


# -- pages ----------------------------------------------------------------------------------------

def test_respondent_records_own_decision_with_minutes(client, db, world, login_as, clock):
    s = h.scene(world)
    a = s.approval("kommune")
    clock.set(LATER)
    login_as(s.respondents["kommune"])
    page = html(client.get(f"/godkendelser/{a.id}"))
    assert "Registrér rådets beslutning" in page and "Ret den registrerede" not in page
    response = client.post(f"/godkendelser/{a.id}/beslutning", data={
        "beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-25",
        "beslutning-version": a.version_id,
        "beslutning-minutes_file": (io.BytesIO(pdf(["Beslutningsprotokol"])), "protokol.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    stored = s.approval("kommune")
    assert stored.state == ApprovalState.APPROVED and stored.minutes_file_id is not None
    assert not stored.on_behalf
    page = html(client.get(f"/godkendelser/{a.id}"))
    assert "Registrér rådets beslutning" not in page and "protokol.pdf" in page
    client.post("/logout")
    download = client.get(f"/godkendelser/{a.id}/protokol")  # public
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert "attachment" in download.headers["Content-Disposition"]
    assert client.get(f"/godkendelser/{s.approval('anden').id}/protokol").status_code == 404


def test_another_partys_record_is_not_found(client, db, world, login_as, clock):
    s = h.scene(world)
    h.scene(world, "mid")
    other = s.approval("anden")
    clock.set(LATER)
    login_as(s.respondents["kommune"])
    assert client.get(f"/godkendelser/{other.id}").status_code == 404
    assert client.post(f"/godkendelser/{other.id}/beslutning", data={
        "beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-25",
        "beslutning-version": other.version_id}).status_code == 404
    for role in (Role.STEERING_MEMBER, Role.POLITICIAN, Role.USER_ORG_REP):
        login_as(role)
        assert client.get(f"/godkendelser/{s.approval('kommune').id}").status_code == 404
    mid = db.session.scalar(select(CouncilApproval.id).join(ApprovalRound).where(
        ApprovalRound.cycle_id == world["mid"]["cycle"].id))
    login_as(Role.SECRETARIAT)
    assert client.get(f"/godkendelser/{mid}").status_code == 404
    assert client.get(f"/godkendelser/{other.id}").status_code == 200


@pytest.mark.parametrize("data,field,message", [
    ({"beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-30"},
     "beslutning-decided_on", "fremtiden"),
    ({"beslutning-outcome": "approved_with_remarks", "beslutning-decided_on": "2017-09-25"},
     "beslutning-remarks", "bemærkninger"),
    ({"beslutning-outcome": "rejected", "beslutning-decided_on": "2017-09-25"},
     "beslutning-rejection_reason", "begrundelsen"),
    ({"beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-25",
      "beslutning-minutes_file": (io.BytesIO(b"hello"), "protokol.txt")},
     "beslutning-minutes_file", "Kun PDF"),
    ({"beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-25",
      "beslutning-minutes_file": (io.BytesIO(b"not a pdf"), "protokol.pdf")},
     "beslutning-minutes_file", "ikke en gyldig"),
    ({"beslutning-outcome": "approved", "beslutning-decided_on": "0001-01-01"},
     "beslutning-decided_on", "2000"),
])
def test_a_bad_decision_is_a_message_at_its_field(client, db, world, login_as, clock, data,
                                                  field, message):
    s = h.scene(world)
    a = s.approval("kommune")
    clock.set(LATER)
    login_as(s.respondents["kommune"])
    response = client.post(f"/godkendelser/{a.id}/beslutning",
                           data={**data, "beslutning-version": a.version_id,
                                 "beslutning-remarks": data.get("beslutning-remarks", "")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in field_error(html(response), field)
    assert s.approval("kommune").state == ApprovalState.PENDING
    assert db.session.scalar(select(func.count(StoredFile.id))) == 0


def test_a_meeting_before_the_round_opened_is_a_message_at_the_field(client, db, world,
                                                                     login_as, clock):
    s = h.scene(world)
    a = s.approval("kommune")
    clock.set(LATER)
    login_as(s.respondents["kommune"])
    response = client.post(f"/godkendelser/{a.id}/dagsorden", data={
        "dagsorden-meeting_date": "2017-09-01", "dagsorden-meeting_body": "Byrådet \x00",
        "dagsorden-version": a.version_id})
    assert response.status_code == 422
    assert "før godkendelsesrunden" in field_error(html(response), "dagsorden-meeting_date")
    assert 'value="Byrådet "' in html(response) or 'value="Byrådet"' in html(response)


def test_the_secretariat_sees_the_correction_and_records_on_behalf(client, db, world,
                                                                  login_as, clock):
    s = h.scene(world)
    a = s.approval("region")
    clock.set(LATER)
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/godkendelser/{a.id}"))
    assert "på vegne af" in page
    assert client.post(f"/godkendelser/{a.id}/beslutning", data={
        "beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-25",
        "beslutning-minutes_url": "https://region.example/protokol",
        "beslutning-version": a.version_id}).status_code == 302
    assert s.approval("region").on_behalf
    page = html(client.get(f"/godkendelser/{a.id}"))
    assert "Ret den registrerede beslutning" in page and "på partens vegne" in page


def test_the_secretariat_keeps_an_internal_note_the_party_never_sees(client, db, world,
                                                                     login_as, clock):
    s = h.scene(world)
    a = s.approval("kommune")
    clock.set(LATER)
    login_as(Role.SECRETARIAT)
    assert "Sekretariatets interne note" in html(client.get(f"/godkendelser/{a.id}"))
    first = a.version_id
    assert client.post(f"/godkendelser/{a.id}/note", data={
        "note-internal_note": "Ringet 20.09: mødet flyttes måske.",
        "note-version": first}).status_code == 302
    assert s.approval("kommune").internal_note == "Ringet 20.09: mødet flyttes måske."
    # A second tab on the old version is refused and keeps what it typed.
    stale = client.post(f"/godkendelser/{a.id}/note", data={
        "note-internal_note": "Anden note", "note-version": first})
    assert stale.status_code == 409 and "Anden note" in html(stale)
    client.post("/logout")
    login_as(s.respondents["kommune"])
    page = html(client.get(f"/godkendelser/{a.id}"))
    assert "Ringet 20.09" not in page and "interne note" not in page
    assert client.post(f"/godkendelser/{a.id}/note", data={
        "note-internal_note": "x", "note-version": first + 1}).status_code == 403


# -- the agreement in force -----------------------------------------------------------------------

def test_the_last_approval_sends_the_in_force_email_once(app, client, db, world, login_as,
                                                         clock, smtp):
    s = h.scene(world)
    approve(s, "anden")
    approve(s, "region", state=ApprovalState.APPROVED_WITH_REMARKS, remarks="Bemærkning")
    db.session.commit()
    assert db.session.scalar(select(func.count(OutboundEmail.id)).where(
        OutboundEmail.template == "approval_in_force")) == 0
    a = s.approval("kommune")
    clock.set(LATER)
    login_as(s.respondents["kommune"])
    assert client.post(f"/godkendelser/{a.id}/beslutning", data={
        "beslutning-outcome": "approved", "beslutning-decided_on": "2017-09-25",
        "beslutning-version": a.version_id}).status_code == 302
    subjects = {str(make_header(decode_header(m["Subject"]))) for m in smtp.inbox.messages}
    assert subjects == {f"{s.cycle.title} er godkendt af alle råd og træder i kraft "
                        "1. januar 2018"}
    to = sorted(m["To"] for m in smtp.inbox.messages)
    assert to == sorted({s.secretariat.email, *(u.email for u in s.respondents.values())})
    assert s.fresh().in_force_notified_at is not None
    # A correction that keeps it in force sends nothing again.
    login_as(Role.SECRETARIAT)
    a = s.approval("kommune")
    assert client.post(f"/godkendelser/{a.id}/ret", data={
        "ret-outcome": "approved", "ret-decided_on": "2017-09-26",
        "ret-correction_reason": "Forkert dato", "ret-version": a.version_id}
    ).status_code == 302
    assert db.session.scalar(select(func.count(OutboundEmail.id)).where(
        OutboundEmail.template == "approval_in_force")) == len(to)


def test_a_rejection_is_never_in_force(db, world):
    s = h.scene(world)
    approve(s, "anden")
    approve(s, "region")
    approve(s, "kommune", state=ApprovalState.REJECTED, rejection_reason="Økonomien")
    db.session.commit()
    assert s.fresh().in_force_notified_at is None
    assert db.session.scalar(select(func.count(OutboundEmail.id))) == 0
