"""E-mail: compose from templates, queue as outbox rows, send after the commit.

A message is an `OutboundEmail` row written in the same transaction as the operation that caused
it, so it is never lost when the operation commits and never sent when it rolls back. Sending
happens after the commit, one message at a time: a sender claims one message for a short lease
just before sending it and commits the outcome as soon as the server has answered, so a crash
repeats at most the message in flight and holds back only that one. A failure stays in the
outbox and is retried with back-off. Every attempt carries the Message-ID written when the
message was queued.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email.charset import QP, Charset
from email.mime.text import MIMEText
from email.utils import make_msgid, parseaddr
from types import TracebackType
from typing import Any, cast

from flask import current_app, g, render_template
from flask_mail import Connection, Message
from sqlalchemy import CursorResult, select, update

from .clock import running_from
from .extensions import begin_write, db
from .formatting import LOCAL_TZ, to_local
from .i18n import lazy_gettext as _l
from .models import EmailAttachment, EmailState, OutboundEmail, User
from .permissions import SYSTEM
from .text import email_problem
from .workflows.base import record
from .workflows.states import EMAILS

log = logging.getLogger(__name__)

# What each e-mail template is, in words (the e-mail log, the audit log, a message's page).
TEMPLATE_LABELS = {
    "invitation": _l("Invitation"),
    "password_reset": _l("Ny adgangskode"),
    "reminder": _l("Påmindelse"),
    "reminder_overdue": _l("Påmindelse efter fristen"),
    "reminder_digest": _l("Oversigt over manglende svar"),
    "daily_digest": _l("Daglig oversigt"),
    "response_receipt": _l("Kvittering for besvarelse"),
    "response_reopened": _l("Besvarelse genåbnet"),
    "extension_granted": _l("Forlænget frist"),
    "milestone_moved": _l("Ny dato for milepæl"),
    "consultation_invitation": _l("Invitation til høring"),
    "consultation_extended": _l("Forlænget høringsfrist"),
    "approval_in_force": _l("Aftalen er godkendt og træder i kraft"),
    "reminder_approval": _l("Påmindelse om politisk godkendelse"),
    "reminder_approval_overdue": _l("Påmindelse om politisk godkendelse efter fristen"),
    "reminder_approval_meeting_overdue": _l("Påmindelse: registrér rådets beslutning"),
    "workshop_invitation": _l("Invitation til workshop"),
    "workshop_place": _l("Plads på workshoptema"),
    "workshop_moved": _l("Flyttet til andet workshoptema"),
    "workshop_theme_closed": _l("Workshoptema lukket"),
}

RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 5, 15, 60, 240)]
# What a sender may claim: queued, failed, or claimed by a sender whose lease lapsed.
SENDABLE = EMAILS.sources(EmailState.SENDING)


class TimeoutConnection(Connection):
    """Flask-Mail's connection has no timeout: a hanging server would hang the caller forever."""

    def __enter__(self) -> TimeoutConnection:
        # Suppression is decided by deliver() from the live config, not Flask-Mail's snapshot.
        self.host = self.configure_host()
        self.num_emails = 0
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc_value: BaseException | None,
                 tb: TracebackType | None) -> None:
        # Flask-Mail's body, with the signature of a context manager: a clean exit passes Nones.
        if self.host is not None:
            self.host.quit()

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        # Read the settings at send time, so the configuration is the one source of truth.
        config = current_app.config
        timeout = config["MAIL_TIMEOUT_SECONDS"]
        server, port = config["MAIL_SERVER"], config["MAIL_PORT"]
        host: smtplib.SMTP | smtplib.SMTP_SSL
        if config.get("MAIL_USE_SSL"):
            host = smtplib.SMTP_SSL(server, port, timeout=timeout)
        else:
            host = smtplib.SMTP(server, port, timeout=timeout)
        if config.get("MAIL_USE_TLS"):
            host.starttls()
        if config.get("MAIL_USERNAME") and config.get("MAIL_PASSWORD"):
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return host


def render_email(template: str, **context: Any) -> tuple[str, str, str]:
    """Subject, text and HTML from templates/emails/<template>.txt and .html."""
    env = current_app.jinja_env
    text_tmpl = env.get_template(f"emails/{template}.txt")
    ctx = text_tmpl.new_context(
        {**context, "base_url": current_app.config["BASE_URL"].rstrip("/")}
    )
    # The text template holds two blocks, "subject" and "text", rendered separately.
    subject = " ".join("".join(text_tmpl.blocks["subject"](ctx)).split())
    text = "".join(text_tmpl.blocks["text"](ctx)).strip() + "\n"
    html = render_template(f"emails/{template}.html", **ctx.get_all())
    return subject, text, html


@dataclass(frozen=True)
class Attachment:
    """A file to send with a message (written to the outbox with it)."""

    filename: str
    content_type: str
    data: bytes


def queue(
    template: str, to: str, *, now: datetime, region_id: int | None = None,
    urgent: bool = True, headers: dict[str, str] | None = None,
    files: Sequence[Attachment] = (), **context: Any
) -> OutboundEmail:
    """Write the message to the outbox, with the Message-ID every attempt will carry, and the
    `files` attached to it. A non-urgent notice to a person who chose a daily digest is held for it;
    everything else is sent after the commit."""
    subject, text, html = render_email(template, **context)
    held = not urgent and bool(db.session.scalar(
        select(User.digest_notices).where(User.email == to)))
    message = OutboundEmail(
        region_id=region_id,
        template=template,
        to_address=to,
        subject=subject,
        body_text=text,
        body_html=html,
        state=EmailState.HELD if held else EmailState.QUEUED,
        urgent=urgent,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
        message_id=new_message_id(),
        headers=headers,
    )
    db.session.add(message)
    db.session.flush()
    db.session.add_all(EmailAttachment(email_id=message.id, filename=a.filename,
                                       content_type=a.content_type, data=a.data)
                       for a in files)
    record(
        actor=SYSTEM, action="email.held" if held else "email.queued", obj=message, now=now,
        region_id=region_id, after={"to": to, "template": template}, label=subject,
    )
    if not held:
        g.setdefault("queued_email_ids", []).append(message.id)
    return message


DIGEST_AT = time(8, 0)


def send_daily_digests(now: datetime) -> int:
    """From 08.00 Copenhagen time: one e-mail per person with the notices held before 08.00
    today. Each held notice is taken by a conditional UPDATE, so it lands in exactly one
    digest even with two schedulers. Commits; returns the number of digests queued."""
    local = to_local(now)
    if local.time() < DIGEST_AT:
        return 0
    cutoff = datetime.combine(local.date(), DIGEST_AT, tzinfo=LOCAL_TZ).astimezone(UTC)
    begin_write()
    held = list(db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.state == EmailState.HELD,
                                    OutboundEmail.created_at < cutoff)
        .order_by(OutboundEmail.to_address, OutboundEmail.created_at)))
    by_address: dict[str, list[OutboundEmail]] = {}
    for message in held:
        # An UPDATE's result is a CursorResult at run time; Session.execute's type says Result.
        taken = cast(CursorResult[Any], db.session.execute(
            update(OutboundEmail)
            .where(OutboundEmail.id == message.id, OutboundEmail.state == EmailState.HELD)
            .values(state=EmailState.SENT, sent_at=now,
                    last_error="Sendt samlet i den daglige oversigt.")
            .execution_options(synchronize_session=False)))
        if taken.rowcount == 1:
            by_address.setdefault(message.to_address, []).append(message)
    for address, messages in by_address.items():
        queue("daily_digest", address, now=now, region_id=messages[0].region_id,
              notices=[(m.subject, m.body_text, m.created_at) for m in messages])
    db.session.commit()
    send_queued(now)
    return len(by_address)


class OutboxMessage(Message):
    """Flask-Mail's message with every text part quoted-printable. Flask-Mail registers utf-8
    without a body encoding for the whole process, so a long answer in a receipt went out as one
    line over SMTP's 998 characters (RFC 5321 4.5.3.1.6), which a strict server refuses."""

    def _mimetext(self, text: str | None, subtype: str = "plain") -> MIMEText:
        part = MIMEText("", _subtype=subtype, _charset="utf-8")
        del part["Content-Transfer-Encoding"]
        charset = Charset("utf-8")
        charset.body_encoding = QP  # soft line breaks: no line over 76 characters
        part.set_payload(text or "", charset)
        return part


def new_message_id() -> str:
    _name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return make_msgid(domain=address.rpartition("@")[2] or "aftalehjul.invalid")


def compose(message: OutboundEmail) -> OutboxMessage:
    """The e-mail as it goes out: the same Message-ID at every attempt."""
    if message.message_id is None:  # queued before the column existed
        message.message_id = new_message_id()
    msg = OutboxMessage(
        subject=message.subject,
        recipients=[message.to_address],
        body=message.body_text,
        html=message.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers=dict(message.headers or {}),
    )
    msg.msgId = message.message_id
    for attachment in db.session.scalars(select(EmailAttachment).where(
            EmailAttachment.email_id == message.id).order_by(EmailAttachment.id)):
        msg.attach(attachment.filename, attachment.content_type, attachment.data)
    return msg


class Sender:
    """One SMTP connection for a batch, opened when first needed; after a failure to connect,
    the batch's messages fail without trying again (they are retried with back-off)."""

    def __init__(self) -> None:
        self.suppress = bool(current_app.config.get("MAIL_SUPPRESS_SEND", False))
        self.connection: TimeoutConnection | None = None
        self.error: OSError | smtplib.SMTPException | None = None

    def open(self) -> None:
        if self.suppress or self.connection is not None or self.error is not None:
            return
        try:
            connection = TimeoutConnection(current_app.extensions["mail"])
            connection.__enter__()
        except (OSError, smtplib.SMTPException) as exc:
            self.error = exc
        else:
            self.connection = connection

    def send(self, msg: OutboxMessage) -> None:
        self.open()
        if self.suppress:
            echo(msg)
            return
        if self.error is not None:
            raise self.error
        assert self.connection is not None
        self.connection.send(msg)

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.connection.__exit__(None, None, None)
            self.connection = None


def echo(msg: OutboxMessage) -> None:
    """Without an SMTP server (MAIL_SUPPRESS_SEND, the demo): the e-mail's headers and text
    part on standard output, so a link in it (an invitation) can be followed. The log may be
    configured away (the migrations' logging config silences it); stdout is always there."""
    headers = [("From", str(msg.sender)), ("To", ", ".join(str(r) for r in msg.recipients)),
               ("Subject", str(msg.subject)), ("Message-ID", str(msg.msgId)),
               *((str(k), str(v)) for k, v in (msg.extra_headers or {}).items())]
    lines = ["", "----- E-mail (ikke sendt: MAIL_SERVER er ikke sat) -----",
             *(f"{name}: {value}" for name, value in headers), "", (msg.body or "").rstrip(),
             "----- slut på e-mail -----", ""]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    log.info("e-mail not sent (MAIL_SUPPRESS_SEND), printed: to=%s subject=%s",
             ", ".join(str(r) for r in msg.recipients), msg.subject)


Sent = Callable[[OutboundEmail, datetime], None]


def _attempt(message: OutboundEmail, sender: Sender, clock: Callable[[], datetime],
             sent: Sent | None) -> bool:
    """Send one message and commit its outcome at once: once the server has accepted it, it is
    recorded as sent before the next is tried. No transaction is open while the server is
    talked to. True when sent. An address no server could take (stored before it was refused
    where it is typed) is cancelled with the reason, not tried again and again."""
    problem = email_problem(message.to_address)
    if problem is not None:
        cancel(message, f"{_l('Ugyldig e-mailadresse')}: {problem}", clock())
        db.session.commit()
        return False
    msg = compose(message)
    db.session.commit()  # the claim and the composed message, before talking to the server
    try:
        sender.send(msg)
    except (OSError, smtplib.SMTPException) as exc:
        begin_write()
        _failed(message, clock(), exc)
        db.session.commit()
        return False
    begin_write()
    when = clock()
    EMAILS.set_state(message, EmailState.SENT)
    message.attempts += 1
    message.sent_at = when
    message.last_error = ""
    record(actor=SYSTEM, action="email.sent", obj=message, now=when,
           region_id=message.region_id, after={"to": message.to_address},
           label=message.subject)
    if sent is not None:
        sent(message, when)
    db.session.commit()
    return True


def deliver(messages: list[OutboundEmail], now: datetime) -> tuple[int, int]:
    """Try to send each message once, messages this sender already holds; each outcome is
    committed as soon as it is known."""
    clock = running_from(now)
    sender = Sender()
    sent = failed = 0
    try:
        for message in messages:
            sender.open()
            begin_write()
            if _attempt(message, sender, clock, None):
                sent += 1
            else:
                failed += 1
    finally:
        sender.close()
    return sent, failed


# One SMTP step (MAIL, RCPT, DATA, the body, its reply, a RSET after a refusal) waits at most
# MAIL_TIMEOUT_SECONDS; a lease that covers this many steps outlives any one send.
SMTP_STEPS_PER_MESSAGE = 8


def sending_lease() -> timedelta:
    """How long a sender holds the one message it is sending. It is taken just before the
    message is sent, so a sender that dies holds back only the message in flight, and only this
    long; it is never shorter than one send can take, so a live sender never loses it."""
    config = current_app.config
    return timedelta(seconds=max(float(config["MAIL_SENDING_LEASE_SECONDS"]),
                                 SMTP_STEPS_PER_MESSAGE * float(config["MAIL_TIMEOUT_SECONDS"])))


def _claim(message: OutboundEmail, at: datetime) -> bool:
    """Take one message for this sender with a conditional UPDATE, so two senders (two
    schedulers, a request and a retry) never both send it. Leaves the transaction open."""
    begin_write()
    result = cast(CursorResult[Any], db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id == message.id, OutboundEmail.state.in_(SENDABLE),
               OutboundEmail.next_attempt_at <= at)
        .values(state=EmailState.SENDING, next_attempt_at=at + sending_lease())
        .execution_options(synchronize_session=False)))
    if result.rowcount != 1:
        db.session.commit()
        return False
    db.session.refresh(message)
    return True


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0


Prepare = Callable[[OutboundEmail, datetime], str | None]


def send_each(messages: Sequence[OutboundEmail], now: datetime, *,
              prepare: Prepare | None = None, sent: Sent | None = None) -> Outcome:
    """Send the messages one at a time: claim one (a short lease), ask `prepare` whether it is
    still wanted (it may rewrite the message; a reason cancels it), send it, and commit the
    outcome (with whatever `sent` records) before the next. A crash repeats at most the one in
    flight; a message another sender holds or has sent is passed over. Commits."""
    clock = running_from(now)
    sender = Sender()
    outcome = Outcome()
    try:
        for message in messages:
            sender.open()  # before the lease: connecting is not part of one message's send
            at = clock()
            if not _claim(message, at):
                continue
            reason = prepare(message, at) if prepare is not None else None
            if reason is not None:
                cancel(message, reason, at)
                db.session.commit()
                outcome.cancelled += 1
                continue
            if _attempt(message, sender, clock, sent):
                outcome.sent += 1
            else:
                outcome.failed += 1
    finally:
        sender.close()
    return outcome


def recompose(message: OutboundEmail, template: str, **context: Any) -> None:
    """Write the message again from its template, e.g. a digest from what is true now."""
    message.subject, message.body_text, message.body_html = render_email(template, **context)


def _failed(message: OutboundEmail, now: datetime, exc: Exception) -> None:
    message.attempts += 1
    EMAILS.set_state(message, EmailState.FAILED)
    message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
    delay = RETRY_DELAYS[min(message.attempts - 1, len(RETRY_DELAYS) - 1)]
    message.next_attempt_at = now + delay
    log.warning("e-mail %s to %s failed: %s", message.id, message.to_address, exc)
    record(actor=SYSTEM, action="email.failed", obj=message, now=now,
           region_id=message.region_id, after={"to": message.to_address,
                                               "error": message.last_error},
           label=message.subject)


def cancel(message: OutboundEmail, reason: str, now: datetime) -> None:
    EMAILS.set_state(message, EmailState.SKIPPED)
    message.last_error = reason
    record(actor=SYSTEM, action="email.cancelled", obj=message, now=now,
           region_id=message.region_id, after={"to": message.to_address, "reason": reason},
           label=message.subject)


def send_queued(now: datetime) -> None:
    """Send what this request queued. Call after the commit; commits the outcome."""
    ids = g.pop("queued_email_ids", [])
    if not ids:
        return
    messages = list(db.session.scalars(
        select(OutboundEmail).where(
            OutboundEmail.id.in_(ids), OutboundEmail.state == EmailState.QUEUED
        )
    ))
    db.session.commit()
    send_each(messages, now)


def send_due(now: datetime, limit: int = 100) -> tuple[int, int]:
    """Retry what failed, was never sent (a crash between commit and send) or whose sender died
    mid-send. Reminders are left to their own pass, which checks they are still wanted.
    Commits."""
    from .models import ReminderDelivery

    begin_write()
    messages = list(db.session.scalars(
        select(OutboundEmail)
        .where(
            OutboundEmail.state.in_(SENDABLE),
            OutboundEmail.next_attempt_at <= now,
            ~select(ReminderDelivery.id).where(
                ReminderDelivery.email_id == OutboundEmail.id).exists(),
        )
        .order_by(OutboundEmail.next_attempt_at)
        .limit(limit)
    ))
    db.session.commit()
    outcome = send_each(messages, now)
    return outcome.sent, outcome.failed
