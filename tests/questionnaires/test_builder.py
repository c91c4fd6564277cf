"""The secretariat builds questionnaires: sections, every question type, conditions, recipients,
preview, clones and target groups."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.models import (
    AuditEvent,
    MilestoneKind,
    OrgKind,
    Question,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    QuestionType,
    Role,
    Section,
    TargetAudience,
    TargetGroup,
)
from webapp.permissions import SYSTEM
from webapp.workflows.questionnaires import builder as build


def html(response):
    return response.get_data(as_text=True)


@pytest.fixture
def milestone(db, world):
    ms = f.milestone(world["north"]["cycle"], f.at(2017, 5, 1, 12),
                     kind=MilestoneKind.QUESTIONNAIRE, title="Kapacitetsspørgeskema",
                     starts_at=f.at(2017, 3, 1, 8))
    db.session.commit()
    return ms


@pytest.fixture
def capacity(db, world):
    q, groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    return q, groups


def questions_of(db, questionnaire_id):
    db.session.expire_all()
    return {q.key: q for q in db.session.scalars(
        select(Question).where(Question.questionnaire_id == questionnaire_id))}


def form(**fields):
    """The question form as a browser posts it: every field, most of them empty. (The
    condition's select is only there when the questionnaire has a question to point at.)"""
    data = {"type": "short_text", "label": "", "help_text": "", "min": "", "max": "",
            "choices": "", "audience": ""}
    for row in range(6):
        data.update({f"columns-{row}-heading": "", f"columns-{row}-kind": "integer",
                     f"columns-{row}-min": "", f"columns-{row}-max": ""})
    for name, value in fields.items():
        data[name] = value
    return data


def column(row, heading, kind="integer", **extra):
    data = {f"columns-{row}-heading": heading, f"columns-{row}-kind": kind}
    for name, value in extra.items():
        data[f"columns-{row}-{name}"] = value
    return data


def answered(db, q, org, clock, answers):
    db.session.add(QuestionnaireResponse(questionnaire_id=q.id, organisation_id=org.id,
                                         answers=answers,
                            prefilled=[], created_at=clock.now(), updated_at=clock.now()))


def new_question_url(q, section):
    return f"/skemaer/{q.id}/afsnit/{section.id}/spoergsmaal/ny"


# -- building a questionnaire from nothing ---------------------------------------------------

def test_create_questionnaire_and_add_every_type(client, db, world, milestone, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    page = client.get(f"/cykler/{cycle.id}/skemaer/ny")
    assert page.status_code == 200 and "Kapacitetsspørgeskema" in html(page)
    result = client.post(f"/cykler/{cycle.id}/skemaer/ny", data={
        "title": "Kapacitet 2018", "intro": "Svar for hele kommunen.",
        "milestone_id": str(milestone.id)})
    assert result.status_code == 302
    q = db.session.scalar(select(Questionnaire).where(Questionnaire.title == "Kapacitet 2018"))
    assert result.headers["Location"].endswith(f"/skemaer/{q.id}/rediger")
    recipients = db.session.scalars(select(QuestionnaireRecipient.organisation_id).where(
        QuestionnaireRecipient.questionnaire_id == q.id)).all()
    assert recipients == [world["north"]["municipality"].id]

    assert client.post(f"/skemaer/{q.id}/afsnit/ny", data={
        "title": "Om besvarelsen", "description": ""}).status_code == 302
    section = db.session.scalar(select(Section).where(Section.questionnaire_id == q.id))
    assert section.title == "Om besvarelsen"
    url = new_question_url(q, section)

    posts = [
        form(type="short_text", label="Kontaktperson", required="y"),
        form(type="short_text", label="Kontaktpersonens e-mail", email_format="y"),
        form(type="long_text", label="Tendenser", help_text="Skriv frit.", email_format="y"),
        form(type="integer", label="Antal pladser", min="0", max="10.000"),
        form(type="decimal", label="Budget (mio. kr.)", min="0,5", max="2.643,5"),
        form(type="date", label="Opgjort pr."),
        form(type="yes_no", label="Nye tilbud?"),
        form(type="single_choice", label="Tendens",
             choices="Stigende\r\n Uændret \r\n\r\nFaldende"),
        form(type="multiple_choice", label="Områder", choices="Bolig\nDag\nDøgn"),
        form(type="scale", label="Samlet sammenhæng", allow_dont_know="y"),
        form(type="grid", label="Behov for voksne", audience="adults",
             **column(0, "Pladser i dag", "integer", min="0"),
             **column(1, "Sammenhæng", "scale", dont_know="y"),
             **column(2, "Bemærkning", "text", when_scale="y"),
             **column(3, "Andel", "decimal", min="0", max="1,5", required="y")),
    ]
    for data in posts:
        result = client.post(url, data=data)
        assert result.status_code == 302, html(result)
    questions = questions_of(db, q.id)
    # A condition points at the scale question, which now exists.
    page = html(client.get(url))
    assert "Svar på “Samlet sammenhæng”" in page and "Svar på “Tendens”" in page
    assert client.post(url, data=form(
        type="long_text", label="Forklaring", condition_question="samlet_sammenhaeng",
        condition_values=["samlet_sammenhaeng:1", "samlet_sammenhaeng:2"])).status_code == 302
    assert client.post(url, data=form(
        type="short_text", label="Hvilke nye tilbud?", condition_question="nye_tilbud",
        condition_values=["nye_tilbud:ja"])).status_code == 302
    assert client.post(url, data=form(
        type="short_text", label="Hvorfor stigende?", condition_question="tendens",
        condition_values=["tendens:Stigende"])).status_code == 302

    questions = questions_of(db, q.id)
    assert questions["kontaktperson"].required and questions["kontaktperson"].config == {}
    assert questions["kontaktpersonens_e_mail"].config == {"format": "email"}
    assert questions["tendenser"].help_text == "Skriv frit."
    assert questions["tendenser"].config == {}  # only a short text is an e-mail address
    assert questions["antal_pladser"].config == {"min": 0, "max": 10000}
    assert questions["budget_mio_kr"].config == {"min": 0.5, "max": 2643.5}
    assert questions["opgjort_pr"].type == QuestionType.DATE
    assert questions["tendens"].config == {"choices": ["Stigende", "Uændret", "Faldende"]}
    assert questions["omraader"].type == QuestionType.MULTIPLE_CHOICE
    assert questions["samlet_sammenhaeng"].config == {"allow_dont_know": True}
    assert questions["behov_for_voksne"].config == {"audience": "adults", "columns": [
        {"key": "pladser_i_dag", "label": "Pladser i dag", "type": "integer", "min": 0},
        {"key": "sammenhaeng", "label": "Sammenhæng", "type": "scale", "allow_dont_know": True},
        {"key": "bemaerkning", "label": "Bemærkning", "type": "text",
         "required_when": {"column": "sammenhaeng", "in": [1, 2]}},
        {"key": "andel", "label": "Andel", "type": "decimal", "min": 0, "max": 1.5,
         "required": True},
    ]}
    assert questions["forklaring"].condition == {"question": "samlet_sammenhaeng", "in": [1, 2]}
    assert questions["hvilke_nye_tilbud"].condition == {"question": "nye_tilbud", "in": [True]}
    assert questions["hvorfor_stigende"].condition == {"question": "tendens", "in": ["Stigende"]}
    assert [q.position for q in sorted(questions.values(), key=lambda q: q.position)] == list(
        range(1, 15))

    page = html(client.get(f"/skemaer/{q.id}/rediger"))
    assert "Påkrævet når “Samlet sammenhæng” er 1 eller 2" in page
    assert "Påkrævet når “Nye tilbud?” er Ja" in page
    assert "Påkrævet når “Tendens” er “Stigende”" in page
    assert "Mellem 0 og 10.000" in page and "Svarmuligheder: Stigende; Uændret; Faldende" in page
    assert "Voksne. Kolonner: Pladser i dag (Helt tal)" in page
    assert "Skemaet har 14 spørgsmål i 1 afsnit." in page
    assert "E-mailadresse" in page


def test_new_questionnaire_needs_a_questionnaire_milestone(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    page = html(client.get(f"/cykler/{cycle.id}/skemaer/ny"))
    assert "ingen milepæl af typen “Spørgeskema”" in page
    assert f'href="/cykler/{cycle.id}/milepaele/ny"' in page
    result = client.post(f"/cykler/{cycle.id}/skemaer/ny", data={"title": "X",
                                                                  "milestone_id": "1"})
    assert result.status_code == 422
    assert db.session.scalar(select(Questionnaire.id)) is None


def test_duplicate_title_is_shown_at_the_field(client, db, world, capacity, milestone, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    result = client.post(f"/cykler/{cycle.id}/skemaer/ny", data={
        "title": "Kapacitet", "intro": "Min indledning", "milestone_id": str(milestone.id)})
    assert result.status_code == 422
    page = html(result)
    assert "Cyklussen har allerede et skema med denne titel." in page
    assert 'href="#title"' in page and "Min indledning" in page


# -- validation ------------------------------------------------------------------------------

def test_question_errors_at_their_fields_with_input_kept(client, db, world, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    section = db.session.scalar(select(Section).where(Section.questionnaire_id == q.id))
    url = new_question_url(q, section)
    before = len(questions_of(db, q.id))

    result = client.post(url, data=form(type="single_choice", label="Vælg én",
                                        choices="Kun denne"))
    assert result.status_code == 422
    page = html(result)
    assert "Angiv mindst to svarmuligheder, én pr. linje." in page
    assert 'href="#choices"' in page and 'id="choices-error"' in page
    assert "\nKun denne</textarea>" in page and "\nVælg én</textarea>" in page

    result = client.post(url, data=form(type="integer", label="Pladser", min="10", max="2"))
    page = html(result)
    assert result.status_code == 422
    assert "Mindsteværdien er større end højesteværdien." in page and 'href="#max"' in page
    assert 'value="10"' in page and 'value="2"' in page

    result = client.post(url, data=form(type="decimal", label="Budget", min="mange"))
    assert result.status_code == 422 and "Skriv et tal, fx 1,5." in html(result)
    assert 'value="mange"' in html(result)

    result = client.post(url, data=form(type="grid", label="Skema", audience="adults"))
    page = html(result)
    assert result.status_code == 422
    assert "Et målgruppeskema skal have mindst én kolonne." in page
    assert 'href="#columns-0-heading"' in page and 'id="columns-error"' in page

    result = client.post(url, data=form(type="grid", label="Skema", audience="adults",
                                        **column(0, "", "integer", min="0"),
                                        **column(1, "Note", "text", min="1", dont_know="y"),
                                        **column(2, "Bem.", "text", when_scale="y")))
    page = html(result)
    assert result.status_code == 422
    assert "Kolonne 1: Overskrift: Skriv kolonnens overskrift." in page
    assert "Mindst og højst gælder kun kolonner med tal." in page
    assert "“Ved ikke” gælder kun skala-kolonner." in page
    assert "ingen kolonne af typen “Skala 1–5”" in page
    assert 'name="columns-1-heading" type="text" value="Note"' in page

    result = client.post(url, data=form(type="grid", label="Skema",
                                        **column(0, "Antal")))
    assert result.status_code == 422
    assert "Vælg om skemaet gælder børn og unge eller voksne." in html(result)
    assert 'href="#audience"' in html(result)

    result = client.post(url, data=form(type="long_text", label="Forklaring",
                                        condition_question="samlet"))
    page = html(result)
    assert result.status_code == 422
    assert "Angiv de svar, der gør spørgsmålet påkrævet." in page
    assert re.search(r'href="#condition_values-\d+"', page)
    assert '<option selected value="samlet">' in page

    result = client.post(url, data=form(type="long_text", label="Forklaring",
                                        condition_question="samlet",
                                        condition_values=["tendens:Stigende"]))
    assert result.status_code == 422
    assert "Vælg kun svar på “Samlet sammenhæng”" in html(result)
    result = client.post(url, data=form(type="long_text", label="Forklaring",
                                        condition_values=["samlet:1"]))
    assert result.status_code == 422
    assert "Vælg det spørgsmål, som de valgte svar hører til" in html(result)

    result = client.post(url, data=form(type="short_text", label=""))
    assert result.status_code == 422 and "Skriv spørgsmålet." in html(result)
    assert len(questions_of(db, q.id)) == before


def test_edit_question_shows_stored_values_and_keeps_grid_keys(client, db, world, capacity,
                                                                 login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    questions = questions_of(db, q.id)
    grid, explanation = questions["voksne"], questions["samlet_forklaring"]

    page = html(client.get(f"/skemaer/{q.id}/spoergsmaal/{explanation.id}"))
    assert '<option selected value="samlet">' in page
    assert re.search(r'checked[^>]*value="samlet:1"|value="samlet:1"[^>]*checked', page)
    assert "Svar på “Samlet sammenhæng”" in page and "Svar på “Forklaring”" not in page
    page = html(client.get(f"/skemaer/{q.id}/spoergsmaal/{grid.id}"))
    assert 'value="Forventet behov næste år"' in page
    assert '<option selected value="adults">' in page

    # Rename the first column, drop the second, keep the rest, add a new one in row 5.
    data = form(type="grid", label="Behov og udbud for voksne", audience="adults",
                **column(0, "Døgnpladser i dag", "integer", min="0"),
                **column(2, "Sammenhæng", "scale", dont_know="y"),
                **column(3, "Bemærkning", "text", when_scale="y"),
                **column(4, "Behov", "integer"), version=str(grid.version_id))
    assert client.post(f"/skemaer/{q.id}/spoergsmaal/{grid.id}", data=data).status_code == 302
    columns = questions_of(db, q.id)["voksne"].config["columns"]
    assert [c["key"] for c in columns] == ["doegn", "sammenhaeng", "bemaerkning", "behov_2"]
    assert columns[0]["label"] == "Døgnpladser i dag"
    assert columns[2]["required_when"] == {"column": "sammenhaeng", "in": [1, 2]}
    update = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.updated"))
    assert update is not None and "config" in update.after


def test_type_cannot_change_once_answered(client, db, world, capacity, login_as, clock):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    pladser = questions_of(db, q.id)["pladser"]
    answered(db, q, world["north"]["municipality"], clock, {"pladser": 12})
    db.session.commit()
    result = client.post(f"/skemaer/{q.id}/spoergsmaal/{pladser.id}",
                         data=form(type="decimal", label="Antal pladser i alt",
                                   version=str(pladser.version_id)))
    assert result.status_code == 422
    page = html(result)
    assert "typen kan ikke ændres" in page and 'href="#type"' in page
    assert questions_of(db, q.id)["pladser"].type == QuestionType.INTEGER


# -- order and deletion ----------------------------------------------------------------------

def test_move_questions_up_and_down(client, db, world, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    questions = questions_of(db, q.id)
    first, second = questions["kontaktperson"], questions["pladser"]
    result = client.post(f"/skemaer/{q.id}/spoergsmaal/{first.id}/flyt", data={"retning": "ned"})
    assert result.status_code == 302 and result.headers["Location"].endswith(f"#spm-{first.id}")
    questions = questions_of(db, q.id)
    assert questions["pladser"].position < questions["kontaktperson"].position
    page = html(client.get(f"/skemaer/{q.id}/rediger"))
    assert page.index("Antal pladser i alt") < page.index("Kontaktperson")
    client.post(f"/skemaer/{q.id}/spoergsmaal/{first.id}/flyt", data={"retning": "op"})
    questions = questions_of(db, q.id)
    assert questions["kontaktperson"].position < questions["pladser"].position
    assert second.id == questions["pladser"].id
    assert client.post(f"/skemaer/{q.id}/spoergsmaal/{first.id}/flyt",
                       data={"retning": "sidelæns"}).status_code == 400


def test_delete_question_refused_when_answered_or_used(client, db, world, capacity, login_as,
                                                       clock):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    questions = questions_of(db, q.id)
    answered(db, q, world["north"]["municipality"], clock, {"pladser": 12})
    db.session.commit()
    result = client.post(f"/skemaer/{q.id}/spoergsmaal/{questions['pladser'].id}/slet",
                         follow_redirects=True)
    assert "besvaret af mindst én organisation" in html(result)
    result = client.post(f"/skemaer/{q.id}/spoergsmaal/{questions['samlet'].id}/slet",
                         follow_redirects=True)
    assert "Fjern betingelsen først" in html(result)
    assert {"pladser", "samlet"} <= set(questions_of(db, q.id))

    result = client.post(f"/skemaer/{q.id}/spoergsmaal/{questions['budget'].id}/slet",
                         follow_redirects=True)
    assert "Spørgsmålet “Budget (mio. kr.)” er slettet." in html(result)
    assert "budget" not in questions_of(db, q.id)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.deleted"))


# -- the questionnaire's own data --------------------------------------------------------------

def test_edit_questionnaire_and_conflict(client, app, db, world, capacity, milestone, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/skemaer/{q.id}/rediger"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)[1]
    assert client.post(f"/skemaer/{q.id}/rediger", data={
        "title": "Kapacitet 2018", "intro": "Ny indledning", "milestone_id": str(milestone.id),
        "version": version}).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Questionnaire, q.id)
    assert stored.title == "Kapacitet 2018" and stored.milestone_id == milestone.id
    # The same old version again: someone else saved in between.
    result = client.post(f"/skemaer/{q.id}/rediger", data={
        "title": "Min titel", "intro": "", "milestone_id": str(milestone.id),
        "version": version})
    page = html(result)
    assert result.status_code == 422
    assert "Nogen har ændret dette" in page and 'value="Min titel"' in page
    assert "Det, der nu er gemt" in page and "Kapacitet 2018" in page
    db.session.expire_all()
    assert db.session.get(Questionnaire, q.id).title == "Kapacitet 2018"


def test_recipients_grouped_and_audited(client, db, world, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    north = world["north"]
    region_org = f.organisation(north["region"], OrgKind.REGION, "Region Nordjylland")
    db.session.commit()
    page = html(client.get(f"/skemaer/{q.id}/modtagere"))
    assert "<legend>Kommuner</legend>" in page and "<legend>Brugerorganisationer</legend>" in page
    assert page.index("Kommune north") < page.index("Region Nordjylland")
    assert page.index("Region Nordjylland") < page.index("Brugerorg north")
    municipality = north["municipality"]
    assert re.search(rf'checked[^>]*value="{municipality.id}"', page)

    user_org = db.session.scalar(select(f.Organisation).where(
        f.Organisation.name == "Brugerorg north"))
    result = client.post(f"/skemaer/{q.id}/modtagere", data={
        "recipients": [str(region_org.id), str(user_org.id)], "version": str(q.version_id)})
    assert result.status_code == 302
    db.session.expire_all()
    chosen = set(db.session.scalars(select(QuestionnaireRecipient.organisation_id).where(
        QuestionnaireRecipient.questionnaire_id == q.id)))
    assert chosen == {region_org.id, user_org.id}
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "questionnaire.recipients"))
    assert event.before == {"organisations": [municipality.id]}
    assert event.after == {"organisations": sorted([region_org.id, user_org.id])}

    version = str(db.session.get(Questionnaire, q.id).version_id)  # the save moved it on
    result = client.post(f"/skemaer/{q.id}/modtagere", data={"version": version})
    assert result.status_code == 422 and "Vælg mindst én modtager." in html(result)
    other = world["mid"]["municipality"]
    result = client.post(f"/skemaer/{q.id}/modtagere", data={"recipients": [str(other.id)],
                                                            "version": version})
    assert result.status_code == 422 and "Vælg kun organisationer i regionen." in html(result)


def test_preview_shows_every_question_and_the_grid_rows(client, db, world, capacity, login_as):
    q, groups = capacity
    login_as(Role.SECRETARIAT)
    inactive = build.create_target_group(SYSTEM, region_id=world["north"]["region"].id,
                                         audience=TargetAudience.ADULTS, name="Misbrug",
                                         now=datetime.now(UTC))
    inactive.active = False
    db.session.commit()
    result = client.get(f"/skemaer/{q.id}/forhaandsvisning")
    assert result.status_code == 200
    page = html(result)
    assert "Forhåndsvisning" in page
    for question in questions_of(db, q.id).values():
        assert question.label in page
    assert "Udviklingshæmning" in page and "Hjemløshed" in page
    assert "Misbrug" not in page and "Børn og unge med handicap" not in page
    g = groups["Udviklingshæmning"].id
    assert re.search(rf'name="q_voksne__{g}__doegn"[^>]*readonly', page)
    assert re.search(r'value="ja"[^>]*disabled', page)
    assert "/besvar" not in page and 'method="post" novalidate class="answer-form"' not in page


def test_clone_from_previous_cycle_keeps_keys(client, db, world, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    north = world["north"]
    next_cycle = f.cycle(north["region"], title="Rammeaftale 2019 north", first_year=2019)
    ms = f.milestone(next_cycle, f.at(2018, 5, 1, 12), kind=MilestoneKind.QUESTIONNAIRE,
                     title="Spørgeskema 2019", starts_at=f.at(2018, 3, 1, 8))
    db.session.commit()
    page = html(client.get(f"/cykler/{next_cycle.id}/skemaer/klon"))
    assert "Rammeaftale 2018 north: Kapacitet" in page and "Spørgeskema 2019" in page
    result = client.post(f"/cykler/{next_cycle.id}/skemaer/klon", data={
        "source_id": str(q.id), "milestone_id": str(ms.id), "title": ""})
    assert result.status_code == 302
    copy = db.session.scalar(select(Questionnaire).where(
        Questionnaire.cycle_id == next_cycle.id))
    assert result.headers["Location"].endswith(f"/skemaer/{copy.id}/rediger")
    assert copy.title == "Kapacitet" and copy.cloned_from_id == q.id
    old, new = questions_of(db, q.id), questions_of(db, copy.id)
    assert set(old) == set(new)
    assert new["voksne"].config == old["voksne"].config
    assert new["samlet_forklaring"].condition == {"question": "samlet", "in": [1, 2]}
    # A questionnaire in the same cycle is not offered; a second copy needs another title.
    page = html(client.get(f"/cykler/{next_cycle.id}/skemaer/klon"))
    assert "Rammeaftale 2019 north: Kapacitet" not in page
    result = client.post(f"/cykler/{next_cycle.id}/skemaer/klon", data={
        "source_id": str(q.id), "milestone_id": str(ms.id), "title": ""})
    assert result.status_code == 422
    assert "Cyklussen har allerede et skema med denne titel." in html(result)


def test_sections_add_and_edit(client, db, world, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    result = client.post(f"/skemaer/{q.id}/afsnit/ny", data={"title": "", "description": "x"})
    assert result.status_code == 422 and "Skriv en overskrift." in html(result)
    assert client.post(f"/skemaer/{q.id}/afsnit/ny", data={
        "title": "Børn og unge", "description": "Om børneområdet"}).status_code == 302
    section = db.session.scalar(select(Section).where(Section.title == "Børn og unge"))
    assert section.position == 3
    assert client.post(f"/skemaer/{q.id}/afsnit/{section.id}", data={
        "title": "Børn og unge (0–17 år)", "description": "",
        "version": str(section.version_id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Section, section.id).title == "Børn og unge (0–17 år)"
    page = html(client.get(f"/skemaer/{q.id}/rediger"))
    assert "3. Børn og unge (0–17 år)" in page
    assert f"/skemaer/{q.id}/afsnit/{section.id}/spoergsmaal/ny" in page


# -- target groups ---------------------------------------------------------------------------

def test_target_groups_add_rename_deactivate(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    page = html(client.get("/admin/maalgrupper"))
    assert "Børn og unge" in page and "Voksne" in page and 'aria-current="page">Målgrupper' in page
    assert client.post("/admin/maalgrupper", data={
        "name": "Hjemløshed", "audience": "adults"}).status_code == 302
    assert client.post("/admin/maalgrupper", data={
        "name": "Spiseforstyrrelser", "audience": "children_youth"}).status_code == 302
    result = client.post("/admin/maalgrupper", data={"name": "Hjemløshed", "audience": "adults"})
    assert result.status_code == 422 and "Målgruppen findes allerede." in html(result)
    assert 'value="Hjemløshed"' in html(result)
    page = html(client.get("/admin/maalgrupper"))
    assert page.index("Spiseforstyrrelser") < page.index("<h2 id=\"maalgrupper-adults\"")
    assert page.index("<h2 id=\"maalgrupper-adults\"") < page.index("Hjemløshed")

    group = db.session.scalar(select(TargetGroup).where(TargetGroup.name == "Hjemløshed"))
    assert client.post(f"/admin/maalgrupper/{group.id}", data={
        "name": "Hjemløshed og udsathed", "version": str(group.version_id)}).status_code == 302
    db.session.expire_all()
    group = db.session.get(TargetGroup, group.id)
    assert group.name == "Hjemløshed og udsathed" and group.active is False
    assert "Inaktiv" in html(client.get("/admin/maalgrupper"))
    assert client.post(f"/admin/maalgrupper/{group.id}", data={
        "name": "Hjemløshed og udsathed", "active": "y",
        "version": str(group.version_id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(TargetGroup, group.id).active is True
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "target_group.updated"))

    other = build.create_target_group(SYSTEM, region_id=world["mid"]["region"].id,
                                      audience=TargetAudience.ADULTS, name="Misbrug",
                                      now=datetime.now(UTC))
    db.session.commit()
    assert client.get(f"/admin/maalgrupper/{other.id}").status_code == 404
    assert "Misbrug" not in html(client.get("/admin/maalgrupper"))


def test_target_group_rename_to_existing_name(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    region_id = world["north"]["region"].id
    for name in ("Misbrug", "Hjemløshed"):
        build.create_target_group(SYSTEM, region_id=region_id, audience=TargetAudience.ADULTS,
                                  name=name, now=datetime.now(UTC))
    db.session.commit()
    group = db.session.scalar(select(TargetGroup).where(TargetGroup.name == "Hjemløshed"))
    result = client.post(f"/admin/maalgrupper/{group.id}", data={
        "name": "Misbrug", "active": "y", "version": str(group.version_id)})
    assert result.status_code == 422 and "Målgruppen findes allerede." in html(result)
    assert 'value="Misbrug"' in html(result)


# -- who may do what -------------------------------------------------------------------------

def builder_urls(q, cycle_id, group_id):
    section = q.sections[0]
    question = section.questions[0]
    get = [f"/cykler/{cycle_id}/skemaer/ny", f"/cykler/{cycle_id}/skemaer/klon",
           f"/skemaer/{q.id}/rediger", f"/skemaer/{q.id}/afsnit/ny",
           f"/skemaer/{q.id}/afsnit/{section.id}",
           f"/skemaer/{q.id}/afsnit/{section.id}/spoergsmaal/ny",
           f"/skemaer/{q.id}/spoergsmaal/{question.id}", f"/skemaer/{q.id}/modtagere",
           f"/skemaer/{q.id}/forhaandsvisning", f"/admin/maalgrupper/{group_id}"]
    post = [*(url for url in get if not url.endswith("forhaandsvisning")),
            f"/skemaer/{q.id}/spoergsmaal/{question.id}/slet",
            f"/skemaer/{q.id}/spoergsmaal/{question.id}/flyt"]
    return get, post


@pytest.mark.parametrize("role", [Role.RESPONDENT, Role.STEERING_MEMBER, Role.OBSERVER])
def test_only_the_secretariat_builds(client, db, world, capacity, login_as, role):
    q, groups = capacity
    login_as(role)
    get, post = builder_urls(q, world["north"]["cycle"].id, groups["Hjemløshed"].id)
    for url in [*get, "/admin/maalgrupper"]:
        assert client.get(url).status_code == 403, url
    for url in [*post, "/admin/maalgrupper"]:
        assert client.post(url, data={"title": "x", "retning": "op"}).status_code == 403, url
    assert len(questions_of(db, q.id)) == 10
    assert "/admin/maalgrupper" not in html(client.get(f"/cykler/{world['north']['cycle'].id}"))


def test_another_regions_questionnaire_is_not_found(client, db, world, capacity, login_as):
    q, groups = capacity
    login_as(Role.SECRETARIAT, region="mid")
    get, post = builder_urls(q, world["north"]["cycle"].id, groups["Hjemløshed"].id)
    for url in get:
        assert client.get(url).status_code == 404, url
    for url in post:
        assert client.post(url, data={"title": "x", "retning": "op"}).status_code == 404, url


def test_section_or_question_of_another_questionnaire_is_not_found(client, db, world, capacity,
                                                                    login_as):
    q, _groups = capacity
    other, _ = f.capacity_questionnaire(world["north"]["cycle"], title="Andet skema")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    section, question = other.sections[0], other.sections[0].questions[0]
    for url in [f"/skemaer/{q.id}/afsnit/{section.id}",
                f"/skemaer/{q.id}/afsnit/{section.id}/spoergsmaal/ny",
                f"/skemaer/{q.id}/spoergsmaal/{question.id}"]:
        assert client.get(url).status_code == 404, url
    for url in [f"/skemaer/{q.id}/spoergsmaal/{question.id}/slet",
                f"/skemaer/{q.id}/spoergsmaal/{question.id}/flyt"]:
        assert client.post(url, data={"retning": "op"}).status_code == 404, url
    assert question.key in questions_of(db, other.id)


# -- links and query counts -------------------------------------------------------------------

def test_links_to_the_builder(client, db, world, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    page = html(client.get(f"/cykler/{cycle.id}"))
    assert f'href="/cykler/{cycle.id}/skemaer"' in page and 'href="/admin/maalgrupper"' in page
    page = html(client.get(f"/cykler/{cycle.id}/skemaer"))
    assert f'href="/cykler/{cycle.id}/skemaer/ny"' in page
    assert f'href="/skemaer/{q.id}/rediger"' in page
    page = html(client.get(f"/skemaer/{q.id}/rediger"))
    for target in (f"/skemaer/{q.id}/forhaandsvisning", f"/skemaer/{q.id}/modtagere",
                   f"/skemaer/{q.id}/status", f"/skemaer/{q.id}/afsnit/ny"):
        assert f'href="{target}"' in page


def test_builder_pages_make_a_fixed_number_of_queries(client, db, world, milestone, login_as,
                                                      queries):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    now = datetime.now(UTC)
    q = build.create_questionnaire(SYSTEM, cycle, milestone=milestone, title="Tælling", now=now)
    section = build.add_section(SYSTEM, q, title="Afsnit", now=now)
    build.add_question(SYSTEM, q, section, type=QuestionType.SCALE, label="Skala", now=now)

    def add(n):
        for i in range(n):
            build.add_question(SYSTEM, q, section, type=QuestionType.SHORT_TEXT,
                               label=f"Spørgsmål {i}",
                               condition={"question": "skala", "in": [1]}, now=now)
        db.session.commit()

    add(2)
    pages = [f"/skemaer/{q.id}/rediger", f"/skemaer/{q.id}/forhaandsvisning",
             f"/skemaer/{q.id}/afsnit/{section.id}/spoergsmaal/ny"]
    counts = []
    for url in pages:
        with queries() as counted:
            assert client.get(url).status_code == 200
        counts.append(counted.count)
    add(27)
    for url, before in zip(pages, counts, strict=True):
        with queries() as counted:
            client.get(url)
        assert counted.count == before, url
    assert "Skemaet har 30 spørgsmål" in html(client.get(pages[0]))
