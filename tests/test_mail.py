"""E-mail through a real SMTP server on loopback: sent after the commit, retried, never doubled."""

from __future__ import annotations

from email.header import decode_header, make_header

from sqlalchemy import select

from tests import factories as f
from tests.mailserver import text_body
from webapp import mail
from webapp.models import AuditEvent, EmailState, OutboundEmail, Role


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


body = text_body


def test_invitation_is_delivered_after_commit(client, db, world, login_as, smtp):
    login_as(Role.SECRETARIAT)
    org = world["north"]["municipality"]
    response = client.post("/admin/personer/inviter", data={
        "name": "Ny Person", "email": "ny.person@kommune.example",
        "organisation_id": org.id, "role": "respondent"})
    assert response.status_code == 302
    [message] = smtp.inbox.messages
    assert subject(message) == "Invitation til Aftalehjul"
    assert message["To"] == "ny.person@kommune.example"
    assert "Kære Ny Person" in body(message)
    assert "/invitation/" in body(message)
    assert message.get_content_type() == "multipart/mixed" or message.is_multipart()
    db.session.expire_all()
    row = db.session.scalar(select(OutboundEmail).where(
        OutboundEmail.to_address == "ny.person@kommune.example"))
    assert row.state == EmailState.SENT and row.attempts == 1 and row.sent_at is not None
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "OutboundEmail", AuditEvent.object_id == row.id)))
    assert actions == {"email.queued", "email.sent"}


def test_failed_send_is_kept_and_retried_once(client, db, world, login_as, smtp, clock):
    login_as(Role.SECRETARIAT)
    smtp.stop()  # the server is down
    org = world["north"]["municipality"]
    response = client.post("/admin/personer/inviter", data={
        "name": "Ny Person", "email": "retry@kommune.example",
        "organisation_id": org.id, "role": "respondent"})
    assert response.status_code == 302  # the invitation itself is not lost
    db.session.expire_all()
    row = db.session.scalar(select(OutboundEmail).where(
        OutboundEmail.to_address == "retry@kommune.example"))
    assert row.state == EmailState.FAILED and row.attempts == 1
    assert "Error" in row.last_error or "refused" in row.last_error.lower()
    assert row.next_attempt_at > clock.now()

    # Too early: nothing is tried.
    assert mail.send_due(clock.now()) == (0, 0)
    # The server is back; after the back-off the message goes out exactly once.
    smtp.start()
    clock.set(clock.now() + f.days(1))
    assert mail.send_due(clock.now()) == (1, 0)
    assert mail.send_due(clock.now()) == (0, 0)
    assert [m["To"] for m in smtp.inbox.messages] == ["retry@kommune.example"]
    db.session.expire_all()
    assert db.session.get(OutboundEmail, row.id).state == EmailState.SENT


def test_refusing_server_counts_as_failure(db, world, smtp, clock, app):
    smtp.inbox.refuse = True
    with app.test_request_context():
        row = mail.queue("password_reset", "a@kommune.example", now=clock.now(), name="A",
                         link="http://x/nulstil/t", minutes=60)
        db.session.commit()
        assert mail.deliver([row], clock.now()) == (0, 1)
        assert row.state == EmailState.FAILED
        assert "451" in row.last_error
        smtp.inbox.refuse = False
        assert mail.deliver([row], clock.now()) == (1, 0)
    assert len(smtp.inbox.messages) == 1


def test_an_address_no_server_can_take_is_cancelled_with_its_reason(db, world, smtp, clock,
                                                                    app):
    """Letters beyond ASCII before the @ (an address stored before such were refused): the
    send does not crash; the message is cancelled with the reason, never retried."""
    with app.test_request_context():
        row = mail.queue("password_reset", "søren@kommune.example", now=clock.now(), name="S",
                         link="http://x/nulstil/t", minutes=60)
        db.session.commit()
        assert mail.deliver([row], clock.now()) == (0, 1)
        assert row.state == EmailState.SKIPPED and "Ugyldig e-mailadresse" in row.last_error
    assert smtp.inbox.messages == []


def test_rolled_back_operation_sends_nothing(client, db, world, login_as, smtp):
    login_as(Role.SECRETARIAT)
    existing = world["north"]["users"][Role.RESPONDENT]
    response = client.post("/admin/personer/inviter", data={
        "name": "Dublet", "email": existing.email,
        "organisation_id": world["north"]["municipality"].id, "role": "respondent"})
    assert response.status_code == 422
    assert smtp.inbox.messages == []
    db.session.expire_all()
    assert db.session.scalar(select(OutboundEmail).where(
        OutboundEmail.to_address == existing.email)) is None


def test_daily_digest_of_non_urgent_notices(app, db, world, smtp, clock):
    person = world["north"]["users"][Role.RESPONDENT]
    person.digest_notices = True
    db.session.commit()
    clock.set(f.at(2017, 3, 10, 14))
    with app.test_request_context():
        held = mail.queue("extension_granted", person.email, now=clock.now(), urgent=False,
                          organisation="Kommune north", questionnaire="Kapacitet",
                          until="15.05.2017 kl. 12.00", link="http://x/skemaer/1/besvar")
        urgent = mail.queue("password_reset", person.email, now=clock.now(), name="A",
                            link="http://x/nulstil/t", minutes=60)
        db.session.commit()
        mail.send_queued(clock.now())
        assert held.state == EmailState.HELD and urgent.state == EmailState.SENT
        assert [m["Subject"] for m in smtp.inbox.messages] == ["Ny adgangskode til Aftalehjul"]
        assert mail.send_daily_digests(f.at(2017, 3, 11, 7, 59)) == 0
        assert mail.send_daily_digests(f.at(2017, 3, 11, 8, 5)) == 1
        assert mail.send_daily_digests(f.at(2017, 3, 11, 9, 5)) == 0
    digest = smtp.inbox.messages[-1]
    assert subject(digest) == "Dagens beskeder fra Aftalehjul (1)"
    assert "Forlænget frist: Kapacitet" in body(digest)
    assert len(smtp.inbox.messages) == 2
