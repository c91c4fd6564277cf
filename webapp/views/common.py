"""What every view needs: the commit that sends queued e-mail, form errors, safe redirects."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import mail, revision, uploads
from ..clock import now
from ..extensions import db, login_manager
from ..formatting import to_local
from ..forms.base import BaseForm, fresh_tokens, issued_tokens, read_version
from ..i18n import gettext as _
from ..models import UsedFormToken
from ..templating import kept_html, kept_key, session_key
from ..workflows import WorkflowError
from ..workflows.base import StaleEdit, Versioned, claim_form, form_claim

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


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
    place_error(form, error)


def place_error(form: FlaskForm, error: WorkflowError) -> None:
    """Put a refusal's message at its field, or at the top of the form; no rollback."""
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


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `perform` did: `ok` with the operation's value, or refused (`error`), or a
    `conflict` with a concurrent change (`error` is then a StaleEdit)."""

    ok: bool
    conflict: bool = False
    error: WorkflowError | None = None
    _value: T | None = None

    @property
    def value(self) -> T:
        """The operation's return value; only a done operation has one."""
        if not self.ok:
            raise RuntimeError("a refused or conflicting operation has no value")
        return cast(T, self._value)


def perform(operation: Callable[[], T], **options: Any) -> Outcome[T]:
    """Run one workflow operation for a view (see `_perform`), then settle the uploaded files'
    bytes: a failed operation's new files go unless a committed row names them; a
    successful one's removed files go now that their rows are gone."""
    outcome = _perform(operation, **options)
    if outcome.ok:
        uploads.remove_bytes(uploads.removed_keys())
    else:
        uploads.discard_unreferenced(uploads.written_keys())
    return outcome


def _perform(
    operation: Callable[[], T],
    *,
    form: FlaskForm | None = None,
    stale: Any = None,
    conflict_message: str | None = None,
    flash_errors: bool = True,
    keep_refused: bool = False,
    duplicate: WorkflowError | None = None,
    created: Callable[[T], str] | None = None,
    once_of: FlaskForm | None = None,
) -> Outcome[T]:
    """Run one workflow operation for a view, commit it and send the e-mail it queued.

    The commit is inside the protected region, so a StaleDataError from its flush is a conflict
    like a StaleEdit. A conflict rolls back and, given a form and the `stale` record, shows the
    stored record beside the person's input with the form on the new version (`show_conflict`);
    otherwise it reports `conflict_message` (or the StaleEdit's). A refusal (WorkflowError) rolls
    back and is shown at its form field. Without a form both are flashed, unless `flash_errors`
    is False: then the view shows them itself from the outcome. `keep_refused` commits what a
    refused operation wrote (a failed login attempt is what the throttle counts). `duplicate` is
    the refusal to show when the database refuses a duplicate the operation does not check.

    A create form (one with a one-time token) is claimed in the same transaction as what it
    creates; `created` gives the address where that is shown. The same form posted again
    creates nothing: the person is sent to what the first post created (`_already_sent`).
    `once_of` names the create form when it is not passed as `form` (a page that places the
    refusals itself).
    """
    source = once_of if once_of is not None else form
    nonce = source.once_nonce() if isinstance(source, BaseForm) else None
    if nonce is not None and (used := form_claim(nonce)) is not None:
        _already_sent(used)
    try:
        claim = None
        if nonce is not None:
            try:
                claim = claim_form(nonce, form=request.endpoint or "",
                                   actor=current_user._get_current_object(), now=now())
            except IntegrityError:
                rollback()  # claimed by a post running at the same time, now committed
                _already_sent(form_claim(nonce))
        value = operation()
        if claim is not None and created is not None:
            claim.location = created(value)
        db.session.commit()
    except (StaleEdit, StaleDataError) as exc:
        edit = exc if isinstance(exc, StaleEdit) else StaleEdit(stale)
        message = conflict_message or edit.message
        if form is not None and stale is not None:
            show_conflict(form, stale, conflict_message)
        else:
            rollback()
            if form is not None:
                form.form_errors.append(message)
            elif flash_errors:
                flash(message, "error")
        return Outcome(ok=False, conflict=True, error=edit)
    except WorkflowError as error:
        return _refused(error, form, flash_errors, keep_refused)
    except IntegrityError:
        if duplicate is None:
            raise
        return _refused(duplicate, form, flash_errors, keep_refused=False)
    # Outside the protected region: what is committed is done, whatever happens sending.
    mail.send_queued(now())
    return Outcome(ok=True, _value=value)


def _already_sent(claim: UsedFormToken | None) -> NoReturn:
    """A create form posted a second time: say so, and show what the first post created."""
    flash(_("Formularen er allerede sendt, så der er ikke oprettet noget nyt. Her er det, der "
            "blev oprettet, da du sendte den første gang."), "info")
    abort(redirect(claim.location if claim is not None and claim.location else request.path))


def _refused(error: WorkflowError, form: FlaskForm | None, flash_errors: bool,
             keep_refused: bool) -> Outcome[Any]:
    if keep_refused:
        commit()
    else:
        rollback()
    if form is not None:
        place_error(form, error)
    elif flash_errors:
        flash(error.message, "error")
    return Outcome(ok=False, error=error)


def form_version(form: FlaskForm) -> int:
    """The version an edit form was made from; a missing or garbled one has already answered
    400 when the form was validated (`forms.base.read_version`)."""
    return read_version(form.version.data)


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


class _NotKept(Exception):
    """A kept page's view answered with something other than its page (a redirect, an error
    status): handed back as it is and not kept."""

    def __init__(self, result: ResponseReturnValue) -> None:
        self.result = result


@dataclass(frozen=True)
class _KeptAnswer:
    """A view's 200 answer as kept: a page's HTML, or a response's bytes and headers (a
    download, JSON)."""

    # A page is kept encoded: a long page (a results section, an answer form) would otherwise
    # be encoded again for every answer.
    html: bytes | None = None
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    tokens: tuple[tuple[str, str], ...] = ()  # the create forms' one-time tokens in the HTML

    def answer(self) -> ResponseReturnValue:
        if self.html is not None:
            return Response(fresh_tokens(self.html, self.tokens) if self.tokens else self.html,
                            mimetype="text/html")
        return Response(self.body, headers=list(self.headers))


def _keep(result: ResponseReturnValue, tokens: tuple[tuple[str, str], ...]) -> _KeptAnswer:
    if isinstance(result, tuple) and len(result) == 2 and result[1] == 200:
        result = result[0]
    if isinstance(result, str):
        return _KeptAnswer(html=result.encode(), tokens=tokens)
    if isinstance(result, Response) and result.status_code == 200 and not tokens:
        result.direct_passthrough = False  # send_file's: read the bytes once, here
        return _KeptAnswer(body=result.get_data(), headers=tuple(
            (k, v) for k, v in result.headers.items() if k.lower() != "set-cookie"))
    raise _NotKept(result)


def kept_page(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """What a view answers (a page, a download, JSON), kept under the data revision like
    `kept_html` (per person, session and minute) and keyed by its address: the view itself,
    its loading and its permission checks run only when the answer is out of date.

    Skipping the checks is sound because nothing is kept that the view did not answer to this
    person, in this session, at this revision of the data and this minute of the clock: any
    committed change (a role, a deadline, the object) starts a new revision. The route's own
    decorators (`permission_required`) still run first. A page with messages waiting
    (flash) is drawn afresh, so the messages are shown once; an answer to an API token is not
    kept (the session's person is not the token's); an answer other than a 200 is never
    kept."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        fresh = "_flashes" in session or "Authorization" in request.headers
        key = None if fresh else kept_key(request.full_path)
        if key is None:
            return view(*args, **kwargs)
        def answered() -> _KeptAnswer:
            before = len(issued_tokens())
            result = view(*args, **kwargs)
            # A create form's one-time tokens inside: kept with the page, replaced by fresh
            # ones in every answer.
            return _keep(result, tuple(issued_tokens()[before:]))

        try:
            kept = revision.cached(f"page:{request.endpoint}", key, answered)
        except _NotKept as answer:
            return answer.result
        return kept.answer()

    wrapper.__dict__["kept_page"] = True  # read by answer_kept (and copied by functools.wraps)
    return wrapper


def kept_when(condition: Callable[[], bool]) -> Callable[[F], F]:
    """Marks a route whose answer an inner `kept_page` function keeps only in some cases (the
    consultation page keeps a member's page, never a visitor's with a personal link), so that
    `answer_kept` looks for it when `condition()` holds. The condition reads only the request
    and the session: it runs before the person is loaded."""

    def mark(view: F) -> F:
        view.__dict__["kept_page"] = condition
        return view

    return mark


def answer_kept() -> ResponseReturnValue | None:
    """A kept page's answer, found before the person is loaded (a `before_request` hook): the
    session's sign-in, its CSRF token and the address name the answer, and the revision's
    token (the request's one query) says whether it is still current.

    This is as sound as the kept answer itself: it was answered, after every check, to this
    sign-in ("id.nonce"), in this session, at this revision and minute, and anything that could
    change the answer or the person (a role, a deactivation, a new nonce at sign-out) is a
    committed change and so a new revision. A session whose Flask-Login identifier does not
    match this browser, waiting messages, an API token or a post go the whole way."""
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    marker = getattr(view, "kept_page", False)
    if not marker or (callable(marker) and not marker()):
        return None
    if "_flashes" in session or "Authorization" in request.headers:
        return None
    person, form_token = session.get("_user_id"), session.get("csrf_token")
    if person is None or form_token is None:
        return None
    # Flask-Login's "strong" session protection, asked the way it asks it: a cookie carried to
    # another browser is left to Flask-Login, which signs it out.
    if session.get("_id") != login_manager._session_identifier_generator():
        return None
    kept = revision.peek(f"page:{request.endpoint}",
                         session_key(request.full_path, person, form_token))
    return kept.answer() if isinstance(kept, _KeptAnswer) else None


def render_kept(title: str, name: str, key: Hashable, template: str,
                context: Callable[[], dict[str, Any]]) -> str:
    """A read-only page whose content (`template`, drawn with `context()`) is kept under the
    data revision (`templating.kept_html`: per person, per minute) and drawn again only after
    a committed change; the page around it (menu, flash messages) is drawn every time.
    `context` runs only when the content is drawn, so the page's queries are saved too."""
    body = kept_html(name, key, lambda: render_template(template, **context()))
    return render_template("kept_page.html", title=title, body=body)


def public_cycle_page(name: str, cycle_id: int, content: Callable[[], tuple[str, str] | None],
                      template: str = "kept_page.html") -> ResponseReturnValue:
    """A page about a cycle that anyone may load without logging in (the council approvals',
    the focus areas'), kept: its content — `content()` gives (title, HTML), or None for an
    unknown or draft cycle, a 404 kept too — under the data revision and the app clock's date,
    and for a visitor without messages waiting the whole page under the clock's minute (the
    frame shows the demo clock). A kept copy costs the revision's one query."""
    at = now()
    kept = revision.cached(name, (cycle_id, to_local(at).date()), content)
    if kept is None:
        abort(404)
    title, html = kept

    def page() -> str:
        return render_template(template, title=title, body=Markup(html))

    if current_user.is_authenticated or session.get("_flashes"):
        return page()  # the signed-in person's own menu, or a message to show once
    minute = at.replace(second=0, microsecond=0)
    return revision.cached(f"{name}_page", (cycle_id, minute), page)
