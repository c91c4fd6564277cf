"""Attachments (type, size, content against name, hostile names), who sees which response when
(page, attachment URL and API alike), and the query counts of the read side."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests import factories as f
from tests.consultations import factories_consultations as fc
from webapp import uploads
from webapp.extensions import db
from webapp.models import (
    ConsultationResponse,
    ConsultationResponseState,
    Publication,
    ResponseAttachment,
    ResponseComment,
    Role,
    StoredFile,
    TextSection,
)

R, UO, S = Role.RESPONDENT, Role.USER_ORG_REP, Role.SECRETARIAT


def _upload(client, c, name, data, action="save", text="Med bilag"):
    return client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "general_text": text, "action": action,
        "attachment": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _setup(world, clock, **kwargs):
    c = fc.world_consultation(world, **kwargs)
    db.session.commit()
    clock.set(fc.DURING)
    return c


def _files():
    return list(db.session.scalars(select(StoredFile)))


def test_pdf_docx_odt_are_accepted_and_served_as_downloads(app, client, world, clock, login_as):
    c = _setup(world, clock)
    login_as(R)
    assert _upload(client, c, "svar.pdf", fc.pdf_bytes()).status_code == 302
    stored = _files()[0]
    assert stored.content_type == uploads.PDF and stored.filename == "svar.pdf"
    attachment_id = db.session.scalar(select(ResponseAttachment.id))
    got = client.get(f"/hoeringsbilag/{attachment_id}")
    assert got.status_code == 200 and got.data == fc.pdf_bytes()
    assert got.headers["Content-Type"].startswith("application/pdf")
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    with app.test_request_context():
        assert uploads.check_upload(uploads.Upload("a.docx", fc.docx_bytes()))[1] == uploads.DOCX
        assert uploads.check_upload(uploads.Upload("a.odt", fc.odt_bytes()))[1] == uploads.ODT


def test_wrong_type_and_mismatched_content_are_refused_at_the_field(client, world, clock,
                                                                    login_as):
    c = _setup(world, clock)
    login_as(R)
    for name, data, words in [
        ("noter.txt", b"hej", "Kun PDF, DOCX og ODT"),
        ("falsk.pdf", b"just some text", "passer ikke til navnet"),
        ("pdf-omdoebt.docx", fc.pdf_bytes(), "passer ikke til navnet"),
        ("odt-som-docx.docx", fc.odt_bytes(), "passer ikke til navnet"),
    ]:
        page = _upload(client, c, name, data, text="Teksten bliver stående")
        html = page.get_data(as_text=True)
        assert page.status_code == 422, name
        assert words in html and "Teksten bliver stående" in html, name
    assert _files() == []
    assert db.session.scalar(select(ConsultationResponse)) is None


def test_too_large_is_refused_with_a_danish_message(app, client, world, clock, login_as):
    c = _setup(world, clock)
    login_as(R)
    limit = app.config["UPLOAD_MAX_BYTES"]
    app.config["UPLOAD_MAX_BYTES"] = 1000
    try:
        page = _upload(client, c, "stor.pdf", fc.pdf_bytes() + b"0" * 2000)
    finally:
        app.config["UPLOAD_MAX_BYTES"] = limit
    assert page.status_code == 422
    assert "Filen er for stor" in page.get_data(as_text=True)
    assert _files() == []
    # Beyond the whole request's limit: the 413 page, in Danish.
    max_length = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 500
    try:
        page = _upload(client, c, "stor.pdf", fc.pdf_bytes() + b"0" * 2000)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = max_length
    assert page.status_code == 413 and "Filen er for stor" in page.get_data(as_text=True)


def test_a_refused_save_leaves_no_file_behind(app, client, world, clock, login_as):
    c = _setup(world, clock)
    login_as(R)
    folder = None
    with app.app_context():
        folder = uploads.storage_dir()
    before = set(folder.iterdir())
    # A valid file, but the comment has no section: the whole save is refused.
    page = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "new_body": "uden afsnit", "action": "save",
        "attachment": (io.BytesIO(fc.pdf_bytes()), "ok.pdf")},
        content_type="multipart/form-data")
    assert page.status_code == 422
    assert "Vælg filen igen" in page.get_data(as_text=True)
    assert set(folder.iterdir()) == before
    assert _files() == []


def test_script_in_a_file_name_is_shown_escaped(client, world, clock, login_as):
    c = _setup(world, clock)
    login_as(R)
    name = "<img src=x onerror=alert(1)>.pdf"
    assert _upload(client, c, name, fc.pdf_bytes()).status_code == 302
    html = client.get(f"/hoeringer/{c.id}/svar").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in html
    assert uploads.clean_filename("../../etc/passwd\x00.pdf") == "passwd.pdf"
    assert len(uploads.clean_filename("a" * 500 + ".pdf")) <= uploads.MAX_NAME_LENGTH


def _submitted(world, c, clock, text="Svar fra kommunen"):
    """The municipality submits a response with an attachment (through the workflow)."""
    from webapp.queries.consultations.responses import consultation_or_404, viewer_party
    from webapp.workflows.consultations import responses as flow

    person = world["north"]["users"][R]
    consultation = consultation_or_404(c.id, person)
    party = viewer_party(consultation, person)
    flow.submit(person, party, None,
                flow.Draft(general_text=text,
                           upload=uploads.Upload("bilag.pdf", fc.pdf_bytes())),
                version=None, now=fc.DURING)
    db.session.commit()
    return db.session.scalar(select(ResponseAttachment.id))


def test_another_partys_response_is_404_before_the_deadline_and_visible_after(
        app, client, world, clock, login_as):
    c = _setup(world, clock)
    with app.test_request_context():
        attachment_id = _submitted(world, c, clock)
    login_as(UO)  # the user organisation: invited, another party
    assert client.get(f"/hoeringer/{c.id}/hoeringssvar").status_code == 404
    assert client.get(f"/hoeringsbilag/{attachment_id}").status_code == 404
    assert client.get(f"/api/v1/consultations/{c.id}/responses").status_code == 404
    clock.set(fc.AFTER)
    page = client.get(f"/hoeringer/{c.id}/hoeringssvar")
    assert page.status_code == 200 and "Svar fra kommunen" in page.get_data(as_text=True)
    assert client.get(f"/hoeringsbilag/{attachment_id}").status_code == 200
    api = client.get(f"/api/v1/consultations/{c.id}/responses")
    assert api.status_code == 200
    assert api.json["responses"][0]["general_text"] == "Svar fra kommunen"
    from openapi_schema_validator import OAS30Validator

    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["paths"]["/consultations/{consultation_id}/responses"]["get"][
        "responses"]["200"]["content"]["application/json"]["schema"]
    OAS30Validator({**schema, "components": document["components"]}).validate(api.json)
    # Not invited (another organisation): still 404 when only the invited see them.
    client.get("/logout")
    outsider = f.user(f.organisation(world["north"]["region"], name="Udenfor"), [R])
    db.session.commit()
    login_as(outsider)
    assert client.get(f"/hoeringer/{c.id}/hoeringssvar").status_code == 404
    assert client.get(f"/hoeringsbilag/{attachment_id}").status_code == 404


def test_public_publication_shows_everyone_after_the_deadline(app, client, world, clock,
                                                              login_as):
    c = _setup(world, clock, publication=Publication.PUBLIC)
    with app.test_request_context():
        attachment_id = _submitted(world, c, clock)
    assert client.get(f"/hoeringer/{c.id}/hoeringssvar").status_code in (302, 404)
    clock.set(fc.AFTER)
    assert client.get(f"/hoeringer/{c.id}/hoeringssvar").status_code == 200
    assert client.get(f"/hoeringsbilag/{attachment_id}").status_code == 200


def test_own_party_and_secretariat_see_before_the_deadline(app, client, world, clock, login_as):
    c = _setup(world, clock)
    with app.test_request_context():
        attachment_id = _submitted(world, c, clock)
    login_as(R)
    assert client.get(f"/hoeringsbilag/{attachment_id}").status_code == 200
    assert client.get(f"/hoeringer/{c.id}/hoeringssvar").status_code == 404
    client.get("/logout")
    login_as(S)
    assert client.get(f"/hoeringer/{c.id}/hoeringssvar").status_code == 200
    assert client.get(f"/api/v1/consultations/{c.id}/responses").status_code == 200
    assert client.get(f"/hoeringsbilag/{attachment_id}").status_code == 200


def _many(world, n):
    from webapp.models import ConsultationParty

    north = world["north"]
    c = fc.consultation(north["cycle"], [])
    section = db.session.scalar(select(TextSection.id).where(
        TextSection.text_version_id == c.text_version_id))
    for i in range(n):
        org = f.organisation(north["region"], name=f"Part {n}-{i}")
        party = ConsultationParty(consultation_id=c.id, organisation_id=org.id, name=org.name)
        db.session.add(party)
        db.session.flush()
        response = ConsultationResponse(consultation_id=c.id, party_id=party.id,
                                        state=ConsultationResponseState.SUBMITTED,
                                        general_text=f"Svar {i}", submitted_at=fc.DURING)
        db.session.add(response)
        db.session.flush()
        db.session.add(ResponseComment(response_id=response.id, section_id=section, body="K"))
        stored = StoredFile(region_id=north["region"].id, filename=f"{i}.pdf",
                            content_type=uploads.PDF, size=10, sha256="0" * 64,
                            storage_key=f"k{n}-{i}")
        db.session.add(stored)
        db.session.flush()
        db.session.add(ResponseAttachment(response_id=response.id, file_id=stored.id))
    db.session.commit()
    return c


def test_published_responses_use_a_fixed_number_of_queries(app, world, queries):
    from webapp.queries.consultations.responses import consultation_or_404, published_responses

    counts = []
    for n in (10, 200):
        c = _many(world, n)
        with app.test_request_context():
            consultation = consultation_or_404(c.id, world["north"]["users"][S])
            with queries() as q:
                data = published_responses(consultation)
                assert len(data.responses) == n
                assert sum(len(g.comments) for g in data.by_section) == n
                assert all(r.attachments[0].file.filename for r in data.responses)
            counts.append(q.count)
    assert counts[0] == counts[1], counts
