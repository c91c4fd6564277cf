"""Processing consultation responses (issue 11, item 4): the workflow's rules and the pages'
200/302/403/404/409/422 paths."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tests import factories as f
from tests.consultations import factories_note as nf
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Consultation,
    ConsultationResponse,
    ConsultationState,
    Outcome,
    ResponseComment,
    Role,
)
from webapp.permissions import SYSTEM
from webapp.queries.consultations.processing import section_numbers, version_sections
from webapp.workflows import PermissionDenied, WorkflowError
from webapp.workflows.base import StaleEdit
from webapp.workflows.consultations.processing import Decision, PointDecision, process_response


@pytest.fixture
def setup(db, world) -> nf.Setup:
    s = nf.consultation(world["north"]["cycle"], parties=["Aalborg Kommune", "Brønderslev"])
    s.response = nf.response(s.parties[0], comments=[
        (s.sections["s21"], "Taksterne bør stige mindre."), (None, "Et generelt punkt.")])
    db.session.commit()
    return s


def _decision(response: ConsultationResponse, outcome: Outcome = Outcome.INCORPORATED,
              reason: str = "", point_outcome: Outcome = Outcome.INCORPORATED,
              point_reason: str = "", key: str | None = "s21") -> Decision:
    return Decision(
        summary="Kort resumé.", comment="Vi tager det med.", outcome=outcome, reason=reason,
        points=[PointDecision(c.id, point_outcome, point_reason, key if i == 0 else None)
                for i, c in enumerate(response.comments)])


def _load(response_id: int) -> ConsultationResponse:
    from sqlalchemy.orm import selectinload

    loaded = db.session.scalar(select(ConsultationResponse).where(
        ConsultationResponse.id == response_id).options(
            selectinload(ConsultationResponse.comments)))
    assert loaded is not None
    return loaded


def _consultation(setup: nf.Setup) -> Consultation:
    """Loaded as the pages load it (its cycle decides its region)."""
    return db.session.scalars(select(Consultation).where(
        Consultation.id == setup.consultation.id).options(joinedload(Consultation.cycle))).one()


def _process(setup: nf.Setup, actor: Any, decision: Decision | None = None,
             version: int | None = None) -> ConsultationResponse:
    response = _load(setup.response.id)
    return process_response(
        actor, _consultation(setup), response, decision or _decision(response),
        next_section_keys={k for k, _l, _h in nf.NEXT_SECTIONS},
        version=response.version_id if version is None else version,
        now=f.at(2017, 9, 20))


# --- the workflow ------------------------------------------------------------------------------

def test_processing_stores_outcomes_and_audits(app, db, world, setup):
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    before = setup.response.version_id
    response = _process(setup, secretariat)
    db.session.commit()
    assert response.summary == "Kort resumé." and response.outcome == Outcome.INCORPORATED
    assert response.processed_at is not None and response.processed_by_id == secretariat.id
    assert response.version_id > before
    points = list(db.session.scalars(select(ResponseComment).order_by(ResponseComment.position)))
    assert [p.outcome for p in points] == [Outcome.INCORPORATED, Outcome.INCORPORATED]
    assert [p.changed_section_key for p in points] == ["s21", None]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultation_response.processed")).one()
    assert event.actor_id == secretariat.id and "summary" in event.after
    assert event.after["points"][0].startswith("1: Indarbejdet")


@pytest.mark.parametrize("outcome", [Outcome.PARTLY, Outcome.NOT_INCORPORATED])
def test_a_reason_is_required_for_partly_and_not_incorporated(app, world, setup, outcome):
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    response = _load(setup.response.id)
    with pytest.raises(WorkflowError) as general:
        _process(setup, secretariat, _decision(response, outcome=outcome))
    assert general.value.field == "outcome_reason" and "begrundelse" in general.value.message
    with pytest.raises(WorkflowError, match="Punkt 1"):
        _process(setup, secretariat, _decision(response, point_outcome=outcome, key=None))


@pytest.mark.parametrize("outcome", [Outcome.INCORPORATED, Outcome.NOTED])
def test_no_reason_needed_for_incorporated_or_noted(app, world, setup, outcome):
    response = _load(setup.response.id)
    _process(setup, world["north"]["users"][Role.SECRETARIAT],
             _decision(response, outcome=outcome, point_outcome=outcome))


def test_a_point_needs_an_outcome_and_a_real_next_section(app, world, setup):
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    response = _load(setup.response.id)
    with pytest.raises(WorkflowError, match="vælg en vurdering"):
        _process(setup, secretariat, Decision("R", "", Outcome.NOTED, "", [
            PointDecision(c.id, None) for c in response.comments]))
    with pytest.raises(WorkflowError, match="næste version"):
        _process(setup, secretariat, _decision(response, key="s99"))
    with pytest.raises(WorkflowError, match="ikke er indarbejdet"):
        _process(setup, secretariat, _decision(response, point_outcome=Outcome.NOT_INCORPORATED,
                                               point_reason="Nej.", key="s21"))
    with pytest.raises(WorkflowError, match="Alle svarets punkter"):
        _process(setup, secretariat, Decision("R", "", Outcome.NOTED, "", []))
    with pytest.raises(WorkflowError) as summary:
        _process(setup, secretariat, Decision("  ", "", Outcome.NOTED, "", [
            PointDecision(c.id, Outcome.NOTED) for c in response.comments]))
    assert summary.value.field == "summary"


def test_stale_edit_is_refused(app, world, setup):
    with pytest.raises(StaleEdit):
        _process(setup, world["north"]["users"][Role.SECRETARIAT],
                 version=setup.response.version_id - 1)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SECRETARIAT])
def test_only_the_secretariat_processes(app, world, setup, role):
    with pytest.raises(PermissionDenied):
        _process(setup, world["north"]["users"][role])


def test_another_regions_secretariat_and_the_system_are_refused(app, world, setup):
    with pytest.raises(PermissionDenied):
        _process(setup, world["mid"]["users"][Role.SECRETARIAT])
    with pytest.raises(PermissionDenied):
        _process(setup, SYSTEM)


def test_a_draft_response_or_an_unsent_consultation_is_refused(app, db, world, setup):
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    draft = nf.response(setup.parties[1], submitted=False)
    db.session.commit()
    response = _load(draft.id)
    with pytest.raises(WorkflowError, match="Kun indsendte svar"):
        process_response(secretariat, _consultation(setup), response,
                         Decision("R", "", Outcome.NOTED, "", []), next_section_keys=set(),
                         version=response.version_id, now=f.at(2017, 9, 20))
    _consultation(setup).state = ConsultationState.DRAFT
    with pytest.raises(WorkflowError, match="Kun indsendte svar"):
        _process(setup, secretariat)


def test_section_numbers_follow_levels(app, db, setup):
    sections = version_sections(setup.version.id)
    assert [section_numbers(sections)[s.id] for s in sections] == ["1", "2", "2.1", "3"]


# --- the pages ---------------------------------------------------------------------------------

def _form(setup: nf.Setup, **changes: str) -> dict[str, str]:
    response = _load(setup.response.id)
    data = {"version": str(response.version_id), "summary": "Aalborg ønsker lavere takster.",
            "secretariat_comment": "Delvist imødekommet.", "outcome": "partly",
            "outcome_reason": "Taksterne følger KL's pris- og lønfremskrivning.",
            "points-0-outcome": "incorporated", "points-0-reason": "",
            "points-0-changed_section": "s21",
            "points-1-outcome": "noted", "points-1-reason": "", "points-1-changed_section": ""}
    data.update(changes)
    return data


def test_list_shows_submitted_responses_only(client, login_as, db, setup):
    nf.response(setup.parties[1], submitted=False)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    page = client.get(f"/hoeringer/{setup.consultation.id}/behandling")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Aalborg Kommune" in text and "Brønderslev" not in text
    assert f"/hoeringssvar/{setup.response.id}/behandling" in text


def test_pages_are_the_secretariats_and_another_region_is_404(client, login_as, setup):
    cid, rid = setup.consultation.id, setup.response.id
    paths = [f"/hoeringer/{cid}/behandling", f"/hoeringssvar/{rid}/behandling",
             f"/hoeringer/{cid}/hoeringsnotat", f"/hoeringer/{cid}/hoeringsnotat.docx"]
    assert client.get(paths[0]).status_code == 302  # to the login page
    login_as(Role.RESPONDENT)
    assert [client.get(p).status_code for p in paths] == [403] * 4
    client.post("/logout")
    login_as(Role.SECRETARIAT, region="mid")
    assert [client.get(p).status_code for p in paths] == [404] * 4
    assert client.post(paths[1], data=_form(setup)).status_code == 404


def test_a_draft_response_is_not_found(client, login_as, db, setup):
    draft = nf.response(setup.parties[1], submitted=False)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    assert client.get(f"/hoeringssvar/{draft.id}/behandling").status_code == 404


def test_processing_form_saves(client, login_as, db, setup):
    login_as(Role.SECRETARIAT)
    path = f"/hoeringssvar/{setup.response.id}/behandling"
    page = client.get(path).get_data(as_text=True)
    assert "2.1 Takster" in page and "Taksterne bør stige mindre." in page
    assert "Takster og prisudvikling" in page, "the next version's sections to choose from"
    answer = client.post(path, data=_form(setup))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db.session.expire_all()
    stored = _load(setup.response.id)
    assert stored.outcome == Outcome.PARTLY and stored.summary == "Aalborg ønsker lavere takster."
    assert [c.changed_section_key for c in stored.comments] == ["s21", None]


def test_missing_reason_is_422_at_the_field_with_input_kept(client, login_as, db, setup):
    login_as(Role.SECRETARIAT)
    path = f"/hoeringssvar/{setup.response.id}/behandling"
    answer = client.post(path, data=_form(setup, outcome_reason="", **{
        "points-1-outcome": "not_incorporated"}))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="outcome_reason-error"' in page and 'id="points-1-reason-error"' in page
    assert "skal begrundes" in page and "Punkt 2 – Begrundelse" in page
    assert "Aalborg ønsker lavere takster." in page, "the typed input is kept"
    db.session.expire_all()
    assert _load(setup.response.id).processed_at is None


def test_not_incorporated_with_a_changed_section_is_422(client, login_as, setup):
    login_as(Role.SECRETARIAT)
    path = f"/hoeringssvar/{setup.response.id}/behandling"
    answer = client.post(path, data=_form(setup, **{
        "points-0-outcome": "not_incorporated", "points-0-reason": "Nej."}))
    assert answer.status_code == 422
    assert 'id="points-0-changed_section-error"' in answer.get_data(as_text=True)


def test_an_unoffered_section_is_refused_at_its_field(client, login_as, setup):
    login_as(Role.SECRETARIAT)
    path = f"/hoeringssvar/{setup.response.id}/behandling"
    answer = client.post(path, data=_form(setup, **{"points-0-changed_section": "s99"}))
    assert answer.status_code == 422
    assert 'id="points-0-changed_section-error"' in answer.get_data(as_text=True)


def test_stale_form_is_409_with_stored_values_and_input_kept(client, login_as, db, setup):
    login_as(Role.SECRETARIAT)
    path = f"/hoeringssvar/{setup.response.id}/behandling"
    old = _form(setup)
    assert client.post(path, data=_form(setup, summary="Første gemte resumé.")).status_code == 302
    answer = client.post(path, data={**old, "summary": "Mit eget resumé."})
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "Det, der nu er gemt" in page and "Første gemte resumé." in page
    assert "Mit eget resumé." in page
    db.session.expire_all()
    assert _load(setup.response.id).summary == "Første gemte resumé."


def test_a_post_without_version_is_400(client, login_as, setup):
    login_as(Role.SECRETARIAT)
    path = f"/hoeringssvar/{setup.response.id}/behandling"
    assert client.post(path, data=_form(setup, version="")).status_code == 400


def test_no_comments_response_needs_no_summary(client, login_as, db, setup):
    quiet = nf.response(setup.parties[1], no_comments=True)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    answer = client.post(f"/hoeringssvar/{quiet.id}/behandling",
                         data={"version": str(quiet.version_id), "summary": "",
                               "secretariat_comment": "", "outcome": "", "outcome_reason": ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)


def test_the_audit_log_reads_the_processing_in_danish(client, login_as, setup):
    login_as(Role.SECRETARIAT)
    path = f"/hoeringssvar/{setup.response.id}/behandling"
    assert client.post(path, data=_form(setup)).status_code == 302
    page = client.get("/admin/log?handling=group:hoeringssvar")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Høringssvar behandlet" in text and "Resumé" in text
    assert "Delvist indarbejdet" in text and "partly" not in text, "the outcome in words"
    assert "Vurderede punkter" in text and "1: Indarbejdet" in text


def test_the_processing_form_reads_a_fixed_number_of_queries(client, login_as, db, setup,
                                                             queries):
    login_as(Role.SECRETARIAT)
    few = nf.response(setup.parties[1], comments=[(setup.sections["s1"], "Et punkt.")])
    db.session.commit()
    counts = []
    for response in (few, setup.response):
        db.session.expire_all()
        with queries() as q:
            assert client.get(f"/hoeringssvar/{response.id}/behandling").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_the_processing_page_lists_the_response_attachments(client, login_as, db, setup,
                                                            world):
    """The secretariat weighs the whole response: its attachments are linked on the page."""
    from datetime import UTC, datetime

    from webapp.models import ResponseAttachment, StoredFile

    stored = StoredFile(region_id=world["north"]["region"].id, filename="bilag <1>.pdf",
                        content_type="application/pdf", size=10, sha256="0" * 64,
                        storage_key="a" * 48, uploaded_at=datetime.now(UTC))
    db.session.add(stored)
    db.session.flush()
    db.session.add(ResponseAttachment(response_id=setup.response.id, file_id=stored.id))
    db.session.commit()
    login_as(Role.SECRETARIAT)
    page = client.get(f"/hoeringssvar/{setup.response.id}/behandling").get_data(as_text=True)
    assert "bilag &lt;1&gt;.pdf" in page and "/hoeringsbilag/" in page
