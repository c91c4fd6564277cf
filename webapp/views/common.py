"""What every view needs: the commit that sends queued e-mail, form errors, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from flask_wtf import FlaskForm

from .. import mail
from ..clock import now
from ..extensions import db
from ..workflows import WorkflowError


def commit() -> None:
    """The request's one commit; e-mails the operation queued go out after it."""
    db.session.commit()
    mail.send_queued(now())


def add_error(form: FlaskForm, error: WorkflowError) -> None:
    """Show a workflow's refusal at its field, or at the top of the form."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def client_address() -> str:
    return request.remote_addr or "unknown"
