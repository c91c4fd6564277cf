"""What every view needs: the commit that sends queued e-mail, form errors, safe redirects."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import render_template, request
from flask_wtf import FlaskForm

from .. import mail
from ..clock import now
from ..extensions import db
from ..workflows import WorkflowError
from ..workflows.base import StaleEdit, Versioned


def commit() -> None:
    """The request's one commit; e-mails the operation queued go out after it."""
    db.session.commit()
    mail.send_queued(now())


def rollback() -> None:
    """Undo the request's changes. A rollback expires every loaded object, the signed-in person
    too, whose organisation and roles the page still needs: load them again."""
    db.session.rollback()
    from flask_login import current_user
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload, selectinload

    from ..models import User

    user = current_user._get_current_object() if current_user else None
    if isinstance(user, User):
        db.session.scalar(
            select(User).where(User.id == user.id)
            .options(joinedload(User.organisation), selectinload(User.grants))
            .execution_options(populate_existing=True))


def add_error(form: FlaskForm, error: WorkflowError) -> None:
    """Show a workflow's refusal at its field, or at the top of the form."""
    rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def show_conflict(form: FlaskForm, obj: Versioned, message: str | None = None) -> None:
    """A stale save: keep the person's input, reload the stored record for the page to show,
    and give the form the new version so that saving again overwrites knowingly."""
    rollback()
    form.form_errors.append(message or StaleEdit(obj).message)
    db.session.refresh(obj)
    form.version.data = str(obj.version_id)


def parse_version(raw: object) -> int | None:
    """A version counter from a hidden field; anything but plain ASCII digits is no version."""
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def form_version(form: FlaskForm) -> int | None:
    return parse_version(form.version.data)


def render_form(template: str, form: FlaskForm, **context: Any) -> tuple[str, int]:
    """Render a form page; 422 when a submitted form has errors, so clients and tests can tell."""
    failed = request.method == "POST" and bool(form.errors or form.form_errors)
    return render_template(template, form=form, **context), 422 if failed else 200


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
