"""E-mail: compose from templates, queue as outbox rows, send after the commit.

A message is an `OutboundEmail` row written in the same transaction as the operation that caused
it, so it is never lost when the operation commits and never sent when it rolls back. Sending
happens after the commit; a failure stays in the outbox and is retried with back-off.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from datetime import UTC, datetime, time, timedelta
from types import TracebackType
from typing import Any, cast

from flask import current_app, g, render_template
from flask_mail import Connection, Message
from sqlalchemy import CursorResult, select, update

from .extensions import begin_write, db
from .formatting import LOCAL_TZ, to_local
from .models import EmailState, OutboundEmail, User
from .permissions import SYSTEM
from .workflows.base import record
from .workflows.states import EMAILS

log = logging.getLogger(__name__)

RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 5, 15, 60, 240)]
# A sender claims a message before sending; if it dies, the claim lapses and another retries.
SENDING_LEASE = timedelta(minutes=10)
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


def queue(
    template: str, to: str, *, now: datetime, region_id: int | None = None,
    urgent: bool = True, **context: Any
) -> OutboundEmail:
    """Write the message to the outbox. A non-urgent notice to a person who chose a daily
    digest is held for it; everything else is sent after the commit."""
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
    )
    db.session.add(message)
    db.session.flush()
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


def _deliver(message: OutboundEmail, connection: Connection | None) -> None:
    msg = Message(
        subject=message.subject,
        recipients=[message.to_address],
        body=message.body_text,
        html=message.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    if connection is None:
        log.info("e-mail not sent (MAIL_SUPPRESS_SEND): to=%s subject=%s",
                 message.to_address, message.subject)
        return
    connection.send(msg)


def deliver(messages: list[OutboundEmail], now: datetime) -> tuple[int, int]:
    """Try to send each message once; record the outcome. The caller commits."""
    sent = failed = 0
    if not messages:
        return sent, failed
    suppress = current_app.config.get("MAIL_SUPPRESS_SEND", False)
    connection: TimeoutConnection | None = None
    try:
        if not suppress:
            connection = TimeoutConnection(current_app.extensions["mail"])
            connection.__enter__()
    except (OSError, smtplib.SMTPException) as exc:
        connection = None
        for message in messages:
            _failed(message, now, exc)
        return 0, len(messages)
    try:
        for message in messages:
            try:
                _deliver(message, connection)
            except (OSError, smtplib.SMTPException) as exc:
                _failed(message, now, exc)
                failed += 1
            else:
                EMAILS.set_state(message, EmailState.SENT)
                message.attempts += 1
                message.sent_at = now
                message.last_error = ""
                record(actor=SYSTEM, action="email.sent", obj=message, now=now,
                       region_id=message.region_id, after={"to": message.to_address},
                       label=message.subject)
                sent += 1
    finally:
        if connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.__exit__(None, None, None)
    return sent, failed


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


def claim_for_sending(messages: list[OutboundEmail], now: datetime) -> list[OutboundEmail]:
    """Take each message for this sender with one conditional UPDATE, so that two senders (two
    schedulers, a request and a retry) never both send it. Commits the claims."""
    owned = []
    begin_write()
    for message in messages:
        result = cast(CursorResult[Any], db.session.execute(
            update(OutboundEmail)
            .where(OutboundEmail.id == message.id, OutboundEmail.state.in_(SENDABLE),
                   OutboundEmail.next_attempt_at <= now)
            .values(state=EmailState.SENDING, next_attempt_at=now + SENDING_LEASE)
            .execution_options(synchronize_session=False)))
        if result.rowcount == 1:
            owned.append(message)
    db.session.commit()
    begin_write()  # the caller records the outcome in the transaction that starts here
    for message in owned:
        db.session.refresh(message)
    return owned


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
    deliver(claim_for_sending(messages, now), now)
    db.session.commit()


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
    result = deliver(claim_for_sending(messages, now), now)
    db.session.commit()
    return result
