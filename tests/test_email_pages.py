"""The secretariat opens each e-mail; without an SMTP server each e-mail is printed to the
console (issue 9, item 11)."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests import factories
from tests.test_mail import body
from webapp.models import OutboundEmail, Role

INVITE = {"name": "Ny Person", "email": "ny.person@kommune.example", "role": "respondent"}


def _invite(client, world):
    response = client.post("/admin/personer/inviter", data={
        **INVITE, "organisation_id": world["north"]["municipality"].id})
    assert response.status_code == 302


def test_secretariat_opens_a_sent_email_from_the_log(client, db, world, login_as, smtp):
    login_as(Role.SECRETARIAT)
    _invite(client, world)
    [sent] = smtp.inbox.messages
    assert "/invitation/" in body(sent), "the real e-mail carries the link"
    message = db.session.scalar(select(OutboundEmail).where(
        OutboundEmail.to_address == INVITE["email"]))

    log = client.get("/admin/e-mails").get_data(as_text=True)
    assert f'href="/admin/e-mails/{message.id}">Invitation til Aftalehjul</a>' in log

    page = client.get(f"/admin/e-mails/{message.id}").get_data(as_text=True)
    assert "<h1>Invitation til Aftalehjul</h1>" in page
    assert "ny.person@kommune.example" in page
    assert "no-reply@aftalehjul.example" in page, "the sender"
    assert "Kære Ny Person" in page, "the text part"
    assert message.message_id.strip("<>") in page
    assert "/invitation/" not in page, "a personal link is not shown to the secretariat"
    assert "[personligt link skjult]" in page
    frame = re.search(r"<iframe [^>]*>", page).group(0)
    assert 'sandbox=""' in frame
    assert f'src="/admin/e-mails/{message.id}/html"' in frame

    html = client.get(f"/admin/e-mails/{message.id}/html")
    assert html.status_code == 200
    assert html.mimetype == "text/html"
    policy = html.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "script-src" not in policy
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"
    text = html.get_data(as_text=True)
    assert "Kære Ny Person" in text and "/invitation/" not in text


def test_another_regions_email_is_404_and_other_roles_403(app, client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    _invite(client, world)
    message = db.session.scalar(select(OutboundEmail).where(
        OutboundEmail.to_address == INVITE["email"]))
    other = app.test_client()
    response = other.post("/login", data={
        "email": world["mid"]["users"][Role.SECRETARIAT].email, "password": factories.PASSWORD})
    assert response.status_code == 302
    for path in (f"/admin/e-mails/{message.id}", f"/admin/e-mails/{message.id}/html"):
        assert other.get(path).status_code == 404, "another region's e-mail does not exist"
    for role in (Role.RESPONDENT, Role.POLITICIAN):
        login_as(role)
        assert client.get(f"/admin/e-mails/{message.id}").status_code == 403
        assert client.get(f"/admin/e-mails/{message.id}/html").status_code == 403
    login_as(Role.SECRETARIAT)
    assert client.get("/admin/e-mails/999999").status_code == 404


def test_without_mail_server_each_email_is_printed(client, db, world, login_as, capsys, app):
    assert app.config["MAIL_SUPPRESS_SEND"]
    login_as(Role.SECRETARIAT)
    capsys.readouterr()
    _invite(client, world)
    out = capsys.readouterr().out
    assert "To: ny.person@kommune.example" in out
    assert "Subject: Invitation til Aftalehjul" in out
    assert "From: Aftalehjul <no-reply@aftalehjul.example>" in out
    assert "Kære Ny Person" in out, "the text part"
    assert re.search(r"http://\S+/invitation/\S+", out), "the invited person's link"
