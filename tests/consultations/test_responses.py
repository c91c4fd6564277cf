"""Consultation responses through the pages: draft, conflict, submit with receipt, late with and
without an extension, a party not on the list, an empty response, "Ingen bemærkninger"."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.consultations import factories_consultations as fc
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    ConsultationResponse,
    ConsultationResponseState,
    OutboundEmail,
    Role,
    TextSection,
)
from webapp.security import make_link_token

R, UO, S = Role.RESPONDENT, Role.USER_ORG_REP, Role.SECRETARIAT


def _setup(world, clock, **kwargs):
    c = fc.world_consultation(world, **kwargs)
    db.session.commit()
    clock.set(fc.DURING)
    return c


def _sections(c):
    return list(db.session.scalars(select(TextSection).where(
        TextSection.text_version_id == c.text_version_id).order_by(TextSection.position)))


def _response(c):
    db.session.expire_all()
    return db.session.scalar(select(ConsultationResponse).where(
        ConsultationResponse.consultation_id == c.id))


def _version(page: str) -> str:
    found = re.search(r'name="version"[^>]*value="(\d*)"', page) or re.search(
        r'value="(\d*)"[^>]*name="version"', page)
    assert found, "the page carries the response's version"
    return found.group(1)


def test_draft_with_a_section_comment_then_submit_sends_receipts(client, world, clock,
                                                                 login_as, smtp):
    c = _setup(world, clock)
    login_as(R)
    section = _sections(c)[1]
    page = client.get(f"/hoeringer/{c.id}/svar?afsnit={section.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kommentér dette afsnit" in html
    assert f'<option selected value="{section.id}">' in html or \
        f'value="{section.id}" selected' in html
    assert "synlige for de inviterede parter efter fristen" in html
    saved = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "general_text": "Vi støtter udkastet.", "new_section": section.id,
        "new_body": "Afsnittet bør nævne botilbud.", "action": "save"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    response = _response(c)
    assert response.state == ConsultationResponseState.DRAFT
    assert response.general_text == "Vi støtter udkastet."
    page = client.get(f"/hoeringer/{c.id}/svar").get_data(as_text=True)
    assert "Afsnittet bør nævne botilbud." in page
    done = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": _version(page), "general_text": "Vi støtter udkastet.",
        "action": "submit"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/svar/kvittering")
    response = _response(c)
    assert response.state == ConsultationResponseState.SUBMITTED and not response.is_late
    assert response.submitted_by_name == world["north"]["users"][R].name
    receipt = client.get(f"/hoeringer/{c.id}/svar/kvittering")
    assert receipt.status_code == 200 and "er indsendt" in receipt.get_data(as_text=True)
    assert world["north"]["users"][R].email in {m.to_address for m in db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.template == "consultation_receipt"))}
    from email.header import decode_header, make_header

    subjects = [str(make_header(decode_header(m["Subject"]))) for m in smtp.inbox.messages]
    assert any("Kvittering for høringssvar" in s for s in subjects), subjects
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"consultation_response.saved", "consultation_response.submitted"} <= actions
    # Submitted: read-only.
    again = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": str(response.version_id), "general_text": "Ændret", "action": "save"})
    assert again.status_code == 422
    assert _response(c).general_text == "Vi støtter udkastet."


def test_two_people_of_one_party_conflict_and_the_typed_text_is_kept(client, world, clock,
                                                                    login_as):
    c = _setup(world, clock)
    login_as(R)
    client.post(f"/hoeringer/{c.id}/svar", data={"version": "", "general_text": "Første",
                                                 "action": "save"})
    old = str(_response(c).version_id)
    client.post(f"/hoeringer/{c.id}/svar", data={"version": old, "general_text": "Anden",
                                                 "action": "save"})
    stale = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": old, "general_text": "Min egen tekst", "action": "save"})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Min egen tekst" in html and "Anden" in html
    assert _response(c).general_text == "Anden"
    # Two first drafts at once: the second finds the response made and is a conflict too.
    second = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "general_text": "Også først", "action": "save"})
    assert second.status_code == 409


def test_empty_response_is_refused_with_a_danish_message(client, world, clock, login_as):
    c = _setup(world, clock)
    login_as(R)
    page = client.post(f"/hoeringer/{c.id}/svar", data={"version": "", "general_text": "  ",
                                                        "action": "submit"})
    assert page.status_code == 422
    assert "Høringssvaret er tomt" in page.get_data(as_text=True)
    assert _response(c) is None


def test_no_comments_is_a_submitted_response(client, world, clock, login_as):
    c = _setup(world, clock)
    login_as(UO)
    done = client.post(f"/hoeringer/{c.id}/svar", data={"version": "", "action": "no_comments"})
    assert done.status_code == 302
    response = _response(c)
    assert response.no_comments and response.state == ConsultationResponseState.SUBMITTED


def test_a_comment_needs_a_section_of_the_consulted_version(client, world, clock, login_as):
    c = _setup(world, clock)
    other = fc.version(world["north"]["cycle"])
    db.session.commit()
    foreign_section = other.id and db.session.scalar(select(TextSection.id).where(
        TextSection.text_version_id == other.id))
    login_as(R)
    missing = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "new_body": "Uden afsnit", "action": "save"})
    assert missing.status_code == 422
    assert "Vælg det afsnit" in missing.get_data(as_text=True)
    assert "Uden afsnit" in missing.get_data(as_text=True)
    wrong = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "new_section": foreign_section, "new_body": "x", "action": "save"})
    assert wrong.status_code == 422
    assert _response(c) is None


def test_edit_and_remove_a_comment(client, world, clock, login_as):
    c = _setup(world, clock)
    s1, s2 = _sections(c)[:2]
    login_as(R)
    client.post(f"/hoeringer/{c.id}/svar", data={"version": "", "new_section": s1.id,
                                                 "new_body": "En", "action": "save"})
    r = _response(c)
    from webapp.models import ResponseComment
    cid = db.session.scalar(select(ResponseComment.id).where(ResponseComment.response_id == r.id))
    assert cid is not None
    edited = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": str(r.version_id), f"comment-{cid}-section": s2.id,
        f"comment-{cid}-body": "Rettet", "action": "save"})
    assert edited.status_code == 302
    db.session.expire_all()
    stored = db.session.get(ResponseComment, cid)
    assert (stored.section_id, stored.body) == (s2.id, "Rettet")
    removed = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": str(_response(c).version_id), f"comment-{cid}-section": s2.id,
        f"comment-{cid}-body": "Rettet", f"comment-{cid}-remove": "y", "action": "save"})
    assert removed.status_code == 302
    db.session.expire_all()
    assert db.session.get(ResponseComment, cid) is None


def test_after_the_deadline_refused_unless_extended_then_late(client, world, clock, login_as):
    c = _setup(world, clock)
    login_as(R)
    clock.set(fc.AFTER)
    refused = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "general_text": "For sent", "action": "submit"})
    assert refused.status_code == 422
    assert "Fristen var" in refused.get_data(as_text=True)
    assert _response(c) is None
    party = fc.parties(c)[0]
    party.extended_until = fc.AFTER + fc.f.days(3)
    db.session.commit()
    ok = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "general_text": "Med forlænget frist", "action": "submit"})
    assert ok.status_code == 302
    response = _response(c)
    assert response.is_late and response.state == ConsultationResponseState.SUBMITTED


def test_a_party_not_on_the_list_gets_404(client, world, clock, login_as):
    from tests import factories as f

    c = _setup(world, clock)
    outsider = f.user(f.organisation(world["north"]["region"], name="Ikke inviteret"), [R])
    db.session.commit()
    login_as(outsider)
    assert client.get(f"/hoeringer/{c.id}/svar").status_code == 404
    assert client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "general_text": "x", "action": "save"}).status_code == 404
    assert _response(c) is None


def test_another_region_is_404_and_a_draft_consultation_too(client, world, clock, login_as):
    from webapp.models import ConsultationState

    c = _setup(world, clock)
    login_as(R, region="mid")
    assert client.get(f"/hoeringer/{c.id}/svar").status_code == 404
    d = fc.world_consultation(world, state=ConsultationState.DRAFT, title="Kladde")
    db.session.commit()
    client.get("/logout")
    login_as(R)
    assert client.get(f"/hoeringer/{d.id}/svar").status_code == 404


def test_external_party_answers_through_its_signed_link(app, client, world, clock):
    north = world["north"]
    c = fc.consultation(north["cycle"], [north["municipality"]], externals=["ekstern@org.example"])
    db.session.commit()
    clock.set(fc.DURING)
    party = fc.parties(c)[1]
    assert client.get(f"/hoeringer/{c.id}/svar").status_code == 302  # to the login page
    with app.test_request_context():
        token = make_link_token("consultation-party", party.id, party.access_nonce)
    assert client.get("/hoeringssvar/ekstern/forkert").status_code == 404
    went = client.get(f"/hoeringssvar/ekstern/{token}")
    assert went.status_code == 302 and went.headers["Location"].endswith(f"/hoeringer/{c.id}/svar")
    page = client.get(f"/hoeringer/{c.id}/svar")
    assert page.status_code == 200 and party.name in page.get_data(as_text=True)
    done = client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "general_text": "Ekstern bemærkning", "action": "submit"})
    assert done.status_code == 302, done.get_data(as_text=True)
    response = _response(c)
    assert response.party_id == party.id and response.submitted_by_name.startswith("Ekstern")
    assert "ekstern@org.example" in set(db.session.scalars(select(OutboundEmail.to_address)))


def test_session_party_list_from_the_consultation_page_is_respected(client, world, clock):
    north = world["north"]
    c = fc.consultation(north["cycle"], [], externals=["a@org.example"])
    db.session.commit()
    clock.set(fc.DURING)
    party = fc.parties(c)[0]
    with client.session_transaction() as sess:
        sess["consultation_parties"] = [party.id]
    assert client.get(f"/hoeringer/{c.id}/svar").status_code == 200
    with client.session_transaction() as sess:
        sess["consultation_parties"] = [party.id + 999]
    assert client.get(f"/hoeringer/{c.id}/svar").status_code == 404


def test_respond_box_renders_for_party_and_harmlessly_for_others(app, client, world, clock,
                                                                login_as):
    from flask import render_template_string

    c = _setup(world, clock)
    login_as(R)
    page = client.get(f"/hoeringer/{c.id}/svar")
    assert page.status_code == 200
    with app.test_request_context():
        from webapp.models import Consultation

        loaded = db.session.get(Consultation, c.id)
        from webapp.permissions import SYSTEM  # noqa: F401
        from webapp.queries.consultations.responses import consultation_or_404

        html = render_template_string('{% include "consultations/_respond_box.html" %}',
                                      consultation=consultation_or_404(loaded.id, object()))
    assert "Skriv høringssvar" not in html  # an anonymous visitor is no party


def test_a_saved_draft_shows_its_general_text_and_a_second_save_keeps_it(client, world, clock,
                                                                         login_as):
    """Found by the demo's browser walk: the page made after "Gem kladde" showed the general
    text's field empty, so the next save wiped the stored text."""
    c = _setup(world, clock)
    login_as(R)
    client.post(f"/hoeringer/{c.id}/svar", data={
        "version": "", "general_text": "Vi støtter udkastet.", "action": "save"})
    page = client.get(f"/hoeringer/{c.id}/svar").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="general_text"[^>]*>\s*Vi støtter udkastet\.', page)
    client.post(f"/hoeringer/{c.id}/svar", data={
        "version": _version(page), "general_text": "Vi støtter udkastet.", "action": "save"})
    assert _response(c).general_text == "Vi støtter udkastet."
