"""Answering a questionnaire as one organisation: drafts, submit, conflicts, deadlines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.models import (
    AuditEvent,
    CycleState,
    MilestoneKind,
    OutboundEmail,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    QuestionType,
    ResponseState,
    Role,
    Submission,
)
from webapp.permissions import SYSTEM
from webapp.workflows.questionnaires import builder as build


@pytest.fixture
def capacity(db, world):
    q, groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    return q, groups


def html(response):
    return response.get_data(as_text=True)


def complete(groups):
    g = groups["Udviklingshæmning"].id
    h = groups["Hjemløshed"].id
    return {
        "q_kontaktperson": "Anne Andersen", "q_pladser": "2.643", "q_budget": "1,8",
        "q_opgjort": "01.03.2017", "q_nye_tilbud": "ja", "q_tendens": "Stigende",
        "q_omraader": ["Bolig", "Døgn"], "q_samlet": "4", "q_samlet_forklaring": "",
        f"q_voksne__{g}__doegn": "12", f"q_voksne__{g}__behov": "14",
        f"q_voksne__{g}__sammenhaeng": "2", f"q_voksne__{g}__bemaerkning": "Mangler 2 pladser",
        f"q_voksne__{h}__doegn": "", f"q_voksne__{h}__behov": "",
        f"q_voksne__{h}__sammenhaeng": "dont_know", f"q_voksne__{h}__bemaerkning": "",
    }


def test_respondent_saves_draft_and_submits(client, db, world, capacity, login_as, clock):
    q, groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    person = login_as(Role.RESPONDENT)
    page = client.get(f"/skemaer/{q.id}/besvar")
    assert page.status_code == 200 and "Kontaktperson" in html(page)
    # A draft without the required contact person is fine.
    data = {**complete(groups), "q_kontaktperson": "", "action": "save", "version": ""}
    assert client.post(f"/skemaer/{q.id}/besvar", data=data).status_code == 302
    db.session.expire_all()
    response = db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == q.id))
    assert response.state == ResponseState.DRAFT
    assert response.answers["pladser"] == 2643 and response.answers["budget"] == 1.8
    # Submitting checks completeness: the contact person is missing.
    data["action"], data["version"] = "submit", str(response.version_id)
    result = client.post(f"/skemaer/{q.id}/besvar", data=data)
    assert result.status_code == 422
    assert "Besvar spørgsmålet." in html(result) and 'href="#q_kontaktperson"' in html(result)
    data["q_kontaktperson"] = "Anne Andersen"
    assert client.post(f"/skemaer/{q.id}/besvar", data=data).status_code == 302
    db.session.expire_all()
    response = db.session.get(QuestionnaireResponse, response.id)
    assert response.state == ResponseState.SUBMITTED
    assert response.submitted_by_name == person.name
    assert db.session.scalar(select(Submission).where(Submission.response_id == response.id))
    receipt = db.session.scalar(
        select(OutboundEmail).where(OutboundEmail.to_address == person.email))
    assert receipt.subject == "Kvittering: Kapacitet"
    assert "Anne Andersen" in receipt.body_text and "2.643" in receipt.body_text
    page = html(client.get(f"/skemaer/{q.id}/besvar"))
    assert f"af {person.name}." in page and "kan ikke ændres" in page


def test_bad_input_keeps_everything_and_saves_nothing(client, db, world, capacity, login_as,
                                                      clock):
    q, groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    g = groups["Udviklingshæmning"].id
    data = {**complete(groups), "q_pladser": "mange", "q_opgjort": "31.02.2017",
            "q_tendens": "Eksploderende", f"q_voksne__{g}__doegn": "-3", "action": "save"}
    result = client.post(f"/skemaer/{q.id}/besvar", data=data)
    assert result.status_code == 422
    page = html(result)
    assert "Skriv et helt tal" in page and "Skriv en gyldig dato" in page
    assert "Vælg en af de viste muligheder." in page and "mindre end 0" in page
    assert 'value="mange"' in page and 'value="31.02.2017"' in page
    assert 'value="Anne Andersen"' in page
    db.session.expire_all()
    assert db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == q.id)) is None


def test_conditional_comment_in_grid(client, db, world, capacity, login_as, clock):
    q, groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    g = groups["Udviklingshæmning"].id
    data = {**complete(groups), f"q_voksne__{g}__bemaerkning": "", "action": "submit"}
    result = client.post(f"/skemaer/{q.id}/besvar", data=data)
    assert result.status_code == 422
    # The summary names the grid, the target group and the column, and why it is required.
    assert (f'<a href="#q_voksne__{g}__bemaerkning">Behov og udbud for voksne – '
            "Udviklingshæmning – Bemærkning: Udfyld feltet. Det er påkrævet, når "
            "“Sammenhæng mellem behov og udbud” er 1 eller 2.</a>") in html(result)


def test_two_people_saving_at_once(client, app, db, world, capacity, login_as, clock):
    q, groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    colleague = f.user(world["north"]["municipality"], [Role.RESPONDENT])
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": f.PASSWORD})
    # Both open the form before anyone has saved (version empty); the colleague saves first.
    assert other.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "q_kontaktperson": "Kollega", "action": "save",
        "version": ""}).status_code == 302
    result = client.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "q_kontaktperson": "Mig", "action": "save", "version": ""})
    assert result.status_code == 409
    page = html(result)
    assert "Nogen har gemt besvarelsen" in page
    assert "Kollega" in page and 'value="Mig"' in page  # theirs shown, mine kept
    version = page.split('name="version" value="')[1].split('"')[0]
    assert client.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "q_kontaktperson": "Mig", "action": "save",
        "version": version}).status_code == 302
    db.session.expire_all()
    saved = db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == q.id))
    assert saved.answers["kontaktperson"] == "Mig"


def test_prefill_from_last_year_through_the_page(client, app, db, world, capacity, login_as,
                                                clock):
    """The page's button copies last year's answers, or says why not; it never fails."""
    q, groups = capacity
    north = world["north"]
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    assert client.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "action": "submit"}).status_code == 302
    with app.test_request_context():
        next_cycle = f.cycle(north["region"], title="Rammeaftale 2019", first_year=2019,
                             state=CycleState.OPEN)
        ms = f.milestone(next_cycle, f.at(2018, 5, 1), kind=MilestoneKind.QUESTIONNAIRE,
                         starts_at=f.at(2018, 3, 1))
        clone = build.clone_questionnaire(north["users"][Role.SECRETARIAT], q, next_cycle,
                                          milestone=ms, title="Kapacitet 2019",
                                          now=f.at(2018, 2, 1))
        db.session.commit()
    clock.set(f.at(2018, 3, 2, 9))
    result = client.post(f"/skemaer/{clone.id}/hent-sidste-aar", data={"version": ""})
    assert result.status_code == 302
    assert "svar er hentet fra sidste cyklus" in html(client.get(result.location))
    # A page made from an older version of the response: someone saved in the meantime.
    result = client.post(f"/skemaer/{clone.id}/hent-sidste-aar", data={"version": "99"})
    assert result.status_code == 302
    assert "Nogen har gemt besvarelsen imens" in html(client.get(result.location))


def test_deadline_and_extension(client, db, world, capacity, login_as, clock):
    q, groups = capacity
    login_as(Role.SECRETARIAT)
    org = world["north"]["municipality"]
    clock.set(f.at(2017, 5, 2, 9))
    result = client.post(f"/skemaer/{q.id}/frist/{org.id}", data={
        "until_date": "2017-05-15", "until_time": "12:00", "reason": "Sygdom"})
    assert result.status_code == 302
    client.post("/logout")
    login_as(Role.RESPONDENT)
    assert client.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "action": "submit"}).status_code == 302
    clock.set(f.at(2017, 5, 16, 9))
    other_org = f.organisation(world["north"]["region"])
    late = f.user(other_org, [Role.RESPONDENT])
    db.session.add(QuestionnaireRecipient(questionnaire_id=q.id, organisation_id=other_org.id))
    db.session.commit()
    client.post("/logout")
    login_as(late)
    result = client.post(f"/skemaer/{q.id}/besvar", data={**complete(groups), "action": "submit"})
    assert result.status_code == 422 and "Fristen var 01.05.2017 kl. 12.00" in html(result)
    assert client.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "action": "save"}).status_code == 302


def test_reopen_and_resubmit_keeps_history(client, db, world, capacity, login_as, clock):
    q, groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    client.post(f"/skemaer/{q.id}/besvar", data={**complete(groups), "action": "submit"})
    client.post("/logout")
    login_as(Role.SECRETARIAT)
    org = world["north"]["municipality"]
    assert client.post(f"/skemaer/{q.id}/besvarelser/{org.id}/genaabn",
                       data={"reason": ""}).status_code == 422
    assert client.post(f"/skemaer/{q.id}/besvarelser/{org.id}/genaabn",
                       data={"reason": "Tallene for døgn mangler"}).status_code == 302
    db.session.expire_all()
    mails = db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.template == "response_reopened")).all()
    assert mails and "Tallene for døgn mangler" in mails[0].body_text
    board = html(client.get(f"/skemaer/{q.id}/status"))
    assert "Genåbnet" in board
    client.post("/logout")
    login_as(Role.RESPONDENT)
    page = html(client.get(f"/skemaer/{q.id}/besvar"))
    assert "Tallene for døgn mangler" in page
    response = db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == q.id))
    assert client.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "q_pladser": "100", "action": "submit",
        "version": str(response.version_id)}).status_code == 302
    db.session.expire_all()
    history = db.session.scalars(select(Submission).where(
        Submission.questionnaire_id == q.id).order_by(Submission.id)).all()
    assert [s.answers["pladser"] for s in history] == [2643, 100]
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Response").order_by(AuditEvent.id))]
    assert actions.count("response.submitted") == 2 and "response.reopened" in actions


def test_not_a_recipient_or_other_region(client, db, world, capacity, login_as):
    q, _ = capacity
    login_as(Role.RESPONDENT, region="mid")
    assert client.get(f"/skemaer/{q.id}/besvar").status_code == 404
    client.post("/logout")
    login_as(Role.STEERING_MEMBER)
    assert client.get(f"/skemaer/{q.id}/besvar").status_code == 403
    client.post("/logout")
    login_as(Role.POLITICIAN)
    assert client.get(f"/skemaer/{q.id}/status").status_code == 403
    assert client.get(f"/skemaer/{q.id}/resultater").status_code == 403


def _add_recipients(db, world, q, clock, count):
    for _ in range(count):
        org = f.organisation(world["north"]["region"])
        db.session.add(QuestionnaireRecipient(questionnaire_id=q.id, organisation_id=org.id))
        db.session.add(QuestionnaireResponse(questionnaire_id=q.id, organisation_id=org.id,
                                             answers={},
                                prefilled=[], created_at=clock.now(), updated_at=clock.now()))
    db.session.commit()


def test_status_board(client, db, world, capacity, login_as, clock, queries):
    q, _groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/skemaer/{q.id}/status"))
    assert "Kommune north" in page and "Ikke påbegyndt" in page
    _add_recipients(db, world, q, clock, 10)  # 11 organisations
    with queries() as eleven:
        page = html(client.get(f"/skemaer/{q.id}/status"))
    assert "I gang (10)" in page
    _add_recipients(db, world, q, clock, 89)  # 100 organisations
    with queries() as hundred:
        page = html(client.get(f"/skemaer/{q.id}/status"))
    assert "I gang (99)" in page
    assert eleven.count == hundred.count, (eleven.statements, hundred.statements)
    assert "kladde" in html(client.get(f"/skemaer/{q.id}/status?status=draft")).lower()


def test_dashboard_links_the_task_to_the_form(client, db, world, capacity, login_as, clock,
                                              queries):
    q, _groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    page = html(client.get("/oversigt"))
    assert f'href="/skemaer/{q.id}/besvar"' in page and "ikke påbegyndt" in page
    with queries() as counted:
        client.get("/oversigt")
    assert counted.count <= 10


def test_error_summary_names_each_field(client, db, world, capacity, login_as, clock):
    """Issue 9, item 3: the summary at the top carries the question's (and cell's) name with
    each message and links to the field; the message at the field stays short."""
    q, groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    g = groups["Udviklingshæmning"].id
    data = {**complete(groups), "q_pladser": "mange", f"q_voksne__{g}__doegn": "tolv",
            "action": "save"}
    page = html(client.post(f"/skemaer/{q.id}/besvar", data=data))
    summary = page[page.index('class="error-summary"'):page.index("</ul>", page.index(
        'class="error-summary"'))]
    assert ('<a href="#q_pladser">Antal pladser i alt: Skriv et helt tal, fx 12.</a>'
            in summary)
    assert (f'<a href="#q_voksne__{g}__doegn">Behov og udbud for voksne – Udviklingshæmning – '
            "Pladser i dag – døgn: Skriv et helt tal, fx 12.</a>") in summary
    # A conditional question names the question and the answer that made it required.
    data = {**complete(groups), "q_samlet": "2", "action": "submit"}
    page = html(client.post(f"/skemaer/{q.id}/besvar", data=data))
    assert ('<a href="#q_samlet_forklaring">Forklaring: Besvar spørgsmålet. Det er påkrævet, '
            "fordi svaret på “Samlet sammenhæng” er “2”.</a>") in page


def test_a_submitted_answer_reads_as_a_page(client, db, world, capacity, login_as, clock,
                                            queries):
    """Issue 9, item 10: after submitting, the buttons say "Se besvarelse", the answer is a
    readable page (question → answer, grids as tables) with the note at the top, and the
    organisation opens the printable view of its own answer (not another's)."""
    q, groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    person = login_as(Role.RESPONDENT)
    org = world["north"]["municipality"]
    assert "Besvar Kapacitet" in html(client.get("/oversigt"))
    with queries() as as_form:
        client.get(f"/skemaer/{q.id}/besvar")
    assert client.post(f"/skemaer/{q.id}/besvar",
                       data={**complete(groups), "action": "submit"}).status_code == 302
    with queries() as as_page:
        page = html(client.get(f"/skemaer/{q.id}/besvar"))
    # The readable page reads what the form read, in as many queries.
    assert as_page.count <= as_form.count + 1, (as_form.statements, as_page.statements)
    # The note comes first, before the facts and the answers.
    note = page.index(f"Indsendt 10.03.2017 kl. 09.00 af {person.name}.")
    assert note < page.index('class="facts"') < page.index("Anne Andersen")
    assert "kan ikke ændres" in page[note:note + 400]
    # No inputs: the answers as text, the grid as a table with its target groups as rows.
    assert 'name="q_kontaktperson"' not in page and " disabled" not in page
    assert '<th scope="row">Antal pladser i alt</th>' in page and "2.643" in page
    assert '<th scope="row">Udviklingshæmning</th>' in page
    assert f'href="/skemaer/{q.id}/besvarelser/{org.id}"' in page
    dashboard = html(client.get("/oversigt"))
    assert "Se besvarelsen af Kapacitet" in dashboard and "Besvar Kapacitet" not in dashboard
    listing = html(client.get(f"/cykler/{q.cycle_id}/skemaer"))
    assert f'<a href="/skemaer/{q.id}/besvar">Kapacitet</a>' in listing and "Besvar" not in listing
    printable = client.get(f"/skemaer/{q.id}/besvarelser/{org.id}")
    assert printable.status_code == 200 and "Anne Andersen" in html(printable)
    assert f'href="/skemaer/{q.id}/status"' not in html(printable)
    other = f.organisation(world["north"]["region"], name="Anden Kommune")
    db.session.add(QuestionnaireRecipient(questionnaire_id=q.id, organisation_id=other.id))
    db.session.commit()
    assert client.get(f"/skemaer/{q.id}/besvarelser/{other.id}").status_code == 403


def test_an_email_question_wants_a_domain_with_a_dot(client, db, world, capacity, login_as,
                                                     clock):
    """Issue 9, item 14: a questionnaire's e-mail question is checked like every e-mail field."""
    q, groups = capacity
    build.add_question(SYSTEM, q, q.sections[0], type=QuestionType.SHORT_TEXT,
                       key="kontakt_email", label="Kontaktpersonens e-mail",
                       config={"format": "email"}, now=f.at(2017, 2, 1))
    db.session.commit()
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    page = client.get(f"/skemaer/{q.id}/besvar")
    assert 'id="q_kontakt_email" name="q_kontakt_email" value=""' in html(page)
    result = client.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "q_kontakt_email": "hanne@hjoerring", "action": "save"})
    assert result.status_code == 422
    assert ("Kontaktpersonens e-mail: Skriv en gyldig e-mailadresse, fx navn@kommune.dk."
            in html(result))
    assert 'value="hanne@hjoerring"' in html(result)
    assert client.post(f"/skemaer/{q.id}/besvar", data={
        **complete(groups), "q_kontakt_email": "hanne@hjoerring.dk",
        "action": "save"}).status_code == 302
