"""Demo data, the CLI, settings and error pages."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from webapp import create_app
from webapp.demo import midtjylland, nordjylland
from webapp.demo import questionnaire as qdata
from webapp.demo.seed import seed_demo
from webapp.formatting import LOCAL_TZ, to_local
from webapp.models import (
    AgreementText,
    AuditEvent,
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    Cycle,
    CycleState,
    DeadlineExtension,
    EmailAttachment,
    EmailState,
    Milestone,
    Organisation,
    OrgKind,
    OutboundEmail,
    Question,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    Region,
    ResponseAttachment,
    ResponseComment,
    ResponseState,
    RoleGrant,
    Section,
    StoredFile,
    Submission,
    TargetGroup,
    TextSection,
    TextVersion,
    User,
)
from webapp.workflows.questionnaires.fields import completeness_errors

TABLES = (Region, Organisation, User, RoleGrant, Cycle, Milestone, AuditEvent, TargetGroup,
          Questionnaire, Section, Question, QuestionnaireRecipient,
          QuestionnaireResponse, Submission,
          DeadlineExtension, OutboundEmail, AgreementText, TextVersion, TextSection,
          Consultation, ConsultationParty, ConsultationResponse, ResponseComment,
          ResponseAttachment, StoredFile)


def _counts(db):
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def test_seed_demo_is_complete_and_idempotent(db, clock):
    first = seed_demo(clock.now())
    db.session.commit()
    assert first.changed
    counts = _counts(db)
    second = seed_demo(clock.now())
    db.session.commit()
    assert not second.changed
    assert _counts(db) == counts

    region = db.session.scalar(select(Region).where(Region.code == "nordjylland"))
    municipalities = db.session.scalars(select(Organisation).where(
        Organisation.region_id == region.id, Organisation.kind == OrgKind.MUNICIPALITY)).all()
    assert len(municipalities) == 11
    assert {o.council_name for o in municipalities} >= {"Aalborg Byråd"}
    councils = db.session.scalar(select(func.count(Organisation.id)).where(
        Organisation.region_id == region.id, Organisation.council_name.is_not(None)))
    assert councils == 12  # 11 municipal councils and the regional council approve
    cycles = {c.title: c for c in db.session.scalars(
        select(Cycle).where(Cycle.region_id == region.id))}
    assert cycles["Rammeaftale 2018"].state == CycleState.OPEN
    clone = cycles["Rammeaftale 2019–2020"]
    assert clone.state == CycleState.DRAFT and clone.cloned_from_id == cycles["Rammeaftale 2018"].id
    approval = db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == clone.id, Milestone.kind == "approval"))
    assert to_local(approval.ends_at).strftime("%d.%m.%Y %H.%M") == "15.10.2018 23.59"
    assert len(db.session.scalars(select(User)).all()) == (len(nordjylland.PEOPLE)
                                                           + len(midtjylland.PEOPLE))


def test_the_region_reads_no_municipal_text(client, db, clock):
    """Issue 9, item 14: the region answers the same questionnaire as the municipalities, so
    nothing in it says "kommune" of the one answering; the contact's e-mail is checked."""
    seed_demo(clock.now())
    db.session.commit()
    clock.set(datetime(2017, 4, 20, 10, 0, tzinfo=LOCAL_TZ).astimezone(UTC))
    assert client.post("/login", data={"email": "region@nordjylland.example",
                                       "password": nordjylland.DEMO_PASSWORD}).status_code == 302
    q = db.session.scalar(select(Questionnaire).where(
        Questionnaire.title == "Kapacitetsspørgeskema 2018"))
    page = client.get(f"/skemaer/{q.id}/besvar").get_data(as_text=True)
    assert "Region Nordjylland" in page
    assert "kommune, kontaktperson" not in page
    for word in ("kommunen", "kommunens"):
        assert word not in page, word
    email = db.session.scalar(select(Question).where(Question.questionnaire_id == q.id,
                                                     Question.key == "kontakt_email"))
    assert email.config == {"format": "email"}


def test_demo_capacity_questionnaire_shows_every_state(db, clock):
    seed_demo(clock.now())
    db.session.commit()
    groups = db.session.scalars(select(TargetGroup).order_by(TargetGroup.id)).all()
    assert [g.name for g in groups if g.audience == "adults"] == qdata.ADULT_GROUPS
    assert len(qdata.ADULT_GROUPS) == 12 and len(qdata.CHILD_GROUPS) == 3
    q = db.session.scalar(select(Questionnaire).where(
        Questionnaire.title == "Kapacitetsspørgeskema 2018"))
    milestone = db.session.get(Milestone, q.milestone_id)
    assert milestone.title == "Kommunale redegørelser (kapacitetsspørgeskema)"
    assert to_local(milestone.ends_at).strftime("%d.%m.%Y %H.%M") == "01.05.2017 12.00"
    questions = db.session.scalars(select(Question).where(Question.questionnaire_id == q.id)
                                   .order_by(Question.section_id, Question.position)).all()
    by_key = {question.key: question for question in questions}
    assert by_key["kontaktperson"].required
    assert by_key["planer_beskrivelse"].condition == {"question": "planer", "in": [True]}
    assert [c["label"] for c in by_key["voksne"].config["columns"]] == [
        "Pladser i dag – døgn", "Pladser i dag – dag", "Forventet behov næste år",
        "Sammenhæng mellem behov og udbud", "Bemærkning"]
    assert qdata.COHERENCE_QUESTION in by_key["voksne"].help_text
    recipients = db.session.scalars(select(Organisation.name).join(
        QuestionnaireRecipient, QuestionnaireRecipient.organisation_id == Organisation.id)
        .where(QuestionnaireRecipient.questionnaire_id == q.id)).all()
    assert len(recipients) == 12 and "Region Nordjylland" in recipients

    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    states = {names[r.organisation_id]: r.state for r in db.session.scalars(
        select(QuestionnaireResponse).where(QuestionnaireResponse.questionnaire_id == q.id))}
    assert sorted(n for n, s in states.items() if s == ResponseState.SUBMITTED) == [
        "Aalborg Kommune", "Brønderslev Kommune", "Frederikshavn Kommune", "Læsø Kommune",
        "Rebild Kommune", "Thisted Kommune"]
    assert sorted(n for n, s in states.items() if s == ResponseState.DRAFT) == [
        "Jammerbugt Kommune", "Vesthimmerlands Kommune"]
    assert [n for n, s in states.items() if s == ResponseState.REOPENED] == [
        "Mariagerfjord Kommune"]
    assert set(recipients) - set(states) == {"Hjørring Kommune", "Morsø Kommune",
                                             "Region Nordjylland"}
    extension = db.session.scalar(select(DeadlineExtension))
    assert names[extension.organisation_id] == "Morsø Kommune"

    # Submitted answers are complete, typed as the form would type them, and told by dates.
    responses = {names[r.organisation_id]: r
                 for r in db.session.scalars(select(QuestionnaireResponse).where(
                     QuestionnaireResponse.questionnaire_id == q.id))}
    aalborg, laesoe = responses["Aalborg Kommune"], responses["Læsø Kommune"]
    assert completeness_errors(questions, groups, aalborg.answers) == {}
    adult = {g.name: str(g.id) for g in groups}
    cells = aalborg.answers["voksne"]
    assert cells[adult["Udviklingshæmning"]]["doegn"] > laesoe.answers["voksne"][
        adult["Udviklingshæmning"]]["doegn"]
    assert cells[adult["Hjemløshed"]]["sammenhaeng"] == 2
    assert "pladser" in cells[adult["Hjemløshed"]]["bemaerkning"]
    assert cells[adult["Sjældent forekommende funktionsnedsættelser"]]["sammenhaeng"] \
        == "dont_know"
    assert to_local(aalborg.submitted_at).strftime("%d.%m.%Y %H.%M") == "05.04.2017 10.25"
    assert aalborg.submitted_by_name == "Anders Aalborg"
    reopened = responses["Mariagerfjord Kommune"]
    assert "byttet om" in reopened.reopen_reason
    assert db.session.scalar(select(func.count(Submission.id)).where(
        Submission.response_id == reopened.id)) == 1
    # The demo's receipts and notices are history: sent, not waiting for the mail job.
    mails = db.session.scalars(select(OutboundEmail)).all()
    assert mails and {m.state for m in mails} == {EmailState.SENT}
    assert {m.template for m in mails} == {"response_receipt", "response_reopened",
                                           "extension_granted", "consultation_invitation",
                                           "consultation_receipt", "workshop_invitation",
                                           "board_invitation", "board_results_published",
                                           "theme_day_catalogue"}
    # The theme day's catalogue went out as a Word file, as the secretariat's button sends it.
    catalogue_mails = [m for m in mails if m.template == "theme_day_catalogue"]
    attached = db.session.scalars(select(EmailAttachment).where(
        EmailAttachment.email_id.in_([m.id for m in catalogue_mails]))).all()
    assert len(attached) == len(catalogue_mails)
    assert all(a.filename.endswith(".docx") and a.data.startswith(b"PK") for a in attached)
    # Every event of the story lies before the demo's clock.
    demo_now = datetime.fromisoformat(nordjylland.DEMO_NOW).replace(tzinfo=LOCAL_TZ)
    latest = db.session.scalar(select(func.max(AuditEvent.created_at)).where(
        AuditEvent.object_type.in_(["Response", "DeadlineExtension", "Questionnaire"])))
    assert latest.replace(tzinfo=latest.tzinfo or UTC) < demo_now


def test_demo_has_last_years_reports_to_fetch(client, db, clock):
    """Rammeaftale 2017 is closed and holds every municipality's submitted report; this year's
    questionnaire is a copy of it, so a municipality that has not submitted yet can fetch
    last year's answers ("Hent sidste års svar")."""
    seed_demo(clock.now())
    db.session.commit()
    cycles = {c.title: c for c in db.session.scalars(
        select(Cycle).join(Region).where(Region.code == "nordjylland"))}
    previous = cycles["Rammeaftale 2017"]
    assert previous.state == CycleState.CLOSED
    old = db.session.scalar(select(Questionnaire).where(Questionnaire.cycle_id == previous.id))
    this_year = db.session.scalar(select(Questionnaire).where(
        Questionnaire.title == "Kapacitetsspørgeskema 2018"))
    assert this_year.cloned_from_id == old.id
    submitted = db.session.scalars(select(Organisation.name).join(
        Submission, Submission.organisation_id == Organisation.id)
        .where(Submission.questionnaire_id == old.id)).all()
    assert len(submitted) == 11 and "Hjørring Kommune" in submitted
    clock.set(datetime.fromisoformat(nordjylland.DEMO_NOW).replace(tzinfo=LOCAL_TZ))
    for person in ("hjoerring@nordjylland.example", "morsoe@nordjylland.example"):
        assert client.post("/login", data={"email": person,
                                           "password": nordjylland.DEMO_PASSWORD}
                           ).status_code == 302
        page = client.get(f"/skemaer/{this_year.id}/besvar").get_data(as_text=True)
        assert "Hent sidste års svar" in page
        result = client.post(f"/skemaer/{this_year.id}/hent-sidste-aar", data={"version": ""})
        assert result.status_code == 302
        page = client.get(f"/skemaer/{this_year.id}/besvar").get_data(as_text=True)
        assert "svar er hentet fra sidste cyklus" in page
        client.post("/logout")


def test_cli_seed_demo_prints_logins_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "sekretariat@nordjylland.example" in result.output
    assert "sekretariat@midtjylland.example" in result.output
    assert nordjylland.DEMO_PASSWORD in result.output
    result = runner.invoke(args=["seed-demo"])
    assert "intet ændret" in result.output


def test_cli_create_user(app, db, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "create-user", "--email", "Ny@Kommune.example", "--name", "Ny", "--region",
        "north-region", "--organisation", "Kommune north", "--role", "respondent",
        "--password", "en-lang-adgangskode"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ny@kommune.example"))
    assert user is not None and user.password_hash.startswith("$argon2id$")
    result = runner.invoke(args=[
        "create-user", "--email", "x@kommune.example", "--name", "X", "--region",
        "north-region", "--organisation", "Findes ikke", "--role", "respondent",
        "--password", "en-lang-adgangskode"])
    assert result.exit_code != 0 and "findes ikke" in result.output


def test_production_refuses_default_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    app = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="x" * 40)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_starts_with_the_secret_key_from_the_environment(tmp_path):
    """The settings are read from the environment when config is imported: a key set there
    must be accepted, not taken for the development default (it once was, so production
    could not start at all)."""
    import subprocess
    import sys

    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "k" * 40,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"}
    started = subprocess.run([sys.executable, "-c", "from webapp import create_app; "
                              "print(create_app().config['APP_ENV'])"],
                             env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "production"
    env.pop("SECRET_KEY")
    refused = subprocess.run([sys.executable, "-c", "from webapp import create_app; create_app()"],
                             env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "SECRET_KEY mangler" in refused.stderr


def test_proxy_fix_trusts_one_proxy_only_when_configured():
    seen = {}

    def probe(app):
        @app.route("/_probe")
        def probe_view():
            from flask import request

            seen.update(addr=request.remote_addr, scheme=request.scheme, host=request.host)
            return ""

        return app.test_client()

    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "aftaler.example"}
    probe(create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://", PROXY_FIX=True)).get(
        "/_probe", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen == {"addr": "203.0.113.9", "scheme": "https", "host": "aftaler.example"}
    probe(create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://")).get(
        "/_probe", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen == {"addr": "10.0.0.1", "scheme": "http", "host": "localhost"}


def test_danish_404_and_security_headers(client):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Siden findes ikke" in page and '<html lang="da">' in page
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_danish_500_page():
    app = create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://", PROPAGATE_EXCEPTIONS=False)

    @app.route("/_boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    assert "Der skete en fejl" in response.get_data(as_text=True)


def test_healthz_reports_unreachable_database():
    app = create_app("test", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/x")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["database"] == "unreachable" and body["reason"]


def test_accessibility_statement_linked_from_footer(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/tilgaengelighed"' in page
    statement = client.get("/tilgaengelighed").get_data(as_text=True)
    assert "Tilgængelighedserklæring" in statement and "WCAG 2.1" in statement


def test_static_assets_are_served_locally(client):
    page = client.get("/login").get_data(as_text=True)
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]
    assert client.get("/static/app.css").status_code == 200


def _local(text):
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def _login(client, email):
    client.post("/logout")
    assert client.post("/login", data={"email": email, "password": nordjylland.DEMO_PASSWORD}
                       ).status_code == 302


def test_demo_tells_the_consultation_story(db, clock):
    """Issue 11, item 8: the draft "Udkast 1" (frozen) was consulted on from 14.08 to
    11.09.2017 with the municipalities, the region and the user organisations; four parties
    answered (one "Ingen bemærkninger", one with a PDF); three are processed, their points
    pointing at sections of the final version, which differs where they say."""
    seed_demo(clock.now())
    db.session.commit()
    text = db.session.scalar(select(AgreementText).where(
        AgreementText.title == "Udkast til Rammeaftale 2018"))
    versions = db.session.scalars(select(TextVersion).where(TextVersion.text_id == text.id)
                                  .order_by(TextVersion.number)).all()
    assert [(v.label, v.is_final, v.frozen_at is not None) for v in versions] == [
        ("Udkast 1", False, True), ("Endelig", True, True)]  # frozen for the approvals
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.title == "Høring over udkast til Rammeaftale 2018"))
    assert consultation.text_version_id == versions[0].id
    milestone = db.session.get(Milestone, consultation.milestone_id)
    assert (to_local(milestone.starts_at).strftime("%d.%m.%Y"),
            to_local(milestone.ends_at).strftime("%d.%m.%Y %H.%M")) == (
        "14.08.2017", "11.09.2017 12.00")
    kinds = set(db.session.scalars(select(Organisation.kind).join(
        ConsultationParty, ConsultationParty.organisation_id == Organisation.id)
        .where(ConsultationParty.consultation_id == consultation.id)))
    assert kinds == {OrgKind.MUNICIPALITY, OrgKind.REGION, OrgKind.USER_ORGANISATION}
    assert db.session.scalar(select(func.count(ConsultationParty.id)).where(
        ConsultationParty.consultation_id == consultation.id,
        ConsultationParty.organisation_id.is_(None))) == 1  # answers by its personal link
    assert consultation.opened_at is not None
    responses = {r.party_id: r for r in db.session.scalars(select(ConsultationResponse).where(
        ConsultationResponse.consultation_id == consultation.id))}
    names = {p.id: p.name for p in db.session.scalars(select(ConsultationParty).where(
        ConsultationParty.id.in_(responses)))}
    by_name = {names[k]: r for k, r in responses.items()}
    assert set(by_name) == {"Aalborg Kommune", "Hjørring Kommune", "Region Nordjylland",
                            "Danske Handicaporganisationer Nordjylland"}
    assert by_name["Hjørring Kommune"].no_comments
    aalborg = by_name["Aalborg Kommune"]
    assert "politisk" in aalborg.general_text and aalborg.submitted_at is not None
    files = db.session.scalars(select(StoredFile).join(
        ResponseAttachment, ResponseAttachment.file_id == StoredFile.id)
        .where(ResponseAttachment.response_id == aalborg.id)).all()
    assert [f.content_type for f in files] == ["application/pdf"]
    assert by_name["Region Nordjylland"].processed_at is None
    final_sections = {s.key: s for s in db.session.scalars(select(TextSection).where(
        TextSection.text_version_id == versions[1].id))}
    first_sections = {s.key: s for s in db.session.scalars(select(TextSection).where(
        TextSection.text_version_id == versions[0].id))}
    changed = [c.changed_section_key for c in db.session.scalars(select(ResponseComment).where(
        ResponseComment.changed_section_key.is_not(None)))]
    assert len(changed) == 3
    for key in changed:
        assert final_sections[key].body != first_sections[key].body
    unchanged = set(final_sections) - set(changed)
    assert unchanged and all(final_sections[k].body == first_sections[k].body
                             for k in unchanged)


def test_the_demo_consultation_pages_follow_the_clock(client, db, clock):
    """The story's dates lie after the demo clock's default; the pages work it out from the
    clock: during the period a party sees only its own response, after the deadline every
    invited party reads all of them; the secretariat processes and writes the note."""
    seed_demo(clock.now())
    db.session.commit()
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.title == "Høring over udkast til Rammeaftale 2018"))
    text = db.session.scalar(select(AgreementText).where(
        AgreementText.title == "Udkast til Rammeaftale 2018"))
    first, final = db.session.scalars(select(TextVersion.id).where(
        TextVersion.text_id == text.id).order_by(TextVersion.number)).all()
    aalborg = db.session.scalar(select(ConsultationResponse).join(ConsultationParty).where(
        ConsultationParty.name == "Aalborg Kommune",
        ConsultationResponse.consultation_id == consultation.id))
    c = consultation.id

    clock.set(_local(nordjylland.DEMO_NOW))
    _login(client, "aalborg@nordjylland.example")
    assert client.get(f"/hoeringer/{c}").status_code == 200
    assert client.get(f"/versioner/{first}").status_code == 200

    clock.set(_local("2017-08-30T10:00"))
    _login(client, "brugerorg@nordjylland.example")
    assert client.get(f"/hoeringer/{c}/svar").status_code == 200
    assert client.get(f"/hoeringer/{c}/hoeringssvar").status_code == 404  # not yet published
    _login(client, "aalborg@nordjylland.example")
    page = client.get(f"/hoeringer/{c}/svar").get_data(as_text=True)
    assert "Udkast til Rammeaftale 2018" in page or "Høring over udkast" in page

    clock.set(_local("2017-09-20T10:00"))
    _login(client, "brugerorg@nordjylland.example")
    page = client.get(f"/hoeringer/{c}/hoeringssvar")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for name in ("Aalborg Kommune", "Hjørring Kommune", "Region Nordjylland"):
        assert name in body
    _login(client, "sekretariat@nordjylland.example")
    for path in (f"/cykler/{consultation.cycle_id}/tekster", f"/versioner/{final}",
                 f"/tekster/{text.id}/sammenlign?fra={first}&til={final}",
                 f"/cykler/{consultation.cycle_id}/hoeringer", f"/hoeringer/{c}",
                 f"/hoeringer/{c}/behandling", f"/hoeringssvar/{aalborg.id}/behandling",
                 f"/hoeringer/{c}/hoeringsnotat", f"/hoeringer/{c}/hoeringsnotat.docx"):
        assert client.get(path).status_code == 200, path
    note = client.get(f"/hoeringer/{c}/hoeringsnotat").get_data(as_text=True)
    assert "fra den 14. august 2017 til den 11. september 2017 (28 dage)" in note
    # A person of another organisation, not on the list, is refused the processing.
    _login(client, "das@nordjylland.example")
    assert client.get(f"/hoeringer/{c}/behandling").status_code in (403, 404)


def test_a_demo_seeded_with_the_earlier_dates_gets_its_consultation(db, clock, monkeypatch):
    """A demo seeded before the story came had the consultation in June–August and the
    approvals from 01.09.2017: seeding again moves both and adds the consultation."""
    earlier = [dict(m) for m in nordjylland.MILESTONES]
    for m in earlier:
        if m["kind"] == "consultation":
            m["starts"], m["ends"] = "2017-06-12 08:00", "2017-08-14 12:00"
        if m["kind"] == "approval":
            m["starts"] = "2017-09-01 08:00"
    monkeypatch.setattr(nordjylland, "MILESTONES", earlier)
    monkeypatch.setattr("webapp.demo.consultation.seed_consultation",
                        lambda *args, **kwargs: None)
    seed_demo(clock.now())
    db.session.commit()
    monkeypatch.undo()
    result = seed_demo(clock.now())
    db.session.commit()
    assert "høring Høring over udkast til Rammeaftale 2018" in result.created
    dates = {m.kind.value: (to_local(m.starts_at).strftime("%d.%m.%Y"),
                            to_local(m.ends_at).strftime("%d.%m.%Y"))
             for m in db.session.scalars(select(Milestone).join(Cycle).join(Region).where(
                 Cycle.title == "Rammeaftale 2018", Region.code == "nordjylland"))
             if m.kind.value in ("consultation", "approval")}
    assert dates == {"consultation": ("14.08.2017", "11.09.2017"),
                     "approval": ("18.09.2017", "15.10.2017")}
