"""What every template can use: permission helpers, the clock, labels, and the state machines."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_login import current_user
from markupsafe import Markup

from . import markdown, permissions, revision
from .clock import get_clock
from .extensions import login_manager
from .forms.base import fresh_tokens, issued_tokens
from .forms.cycles import ROLE_LABELS
from .models import Role
from .workflows import states
from .workflows.cycles import KIND_LABELS, when_label


def register(app: Flask) -> None:
    # Templates ask the object's state machine, never compare state strings themselves.
    app.jinja_env.globals.update(
        can_move=states.can_move,
        state_label=states.state_label,
        is_editable=states.is_editable,
        in_state=states.in_state,
        # "Frist …" only for a deadline; a meeting reads as its date and time.
        milestone_when=when_label,
    )
    # {{ section.body|markdown }}: the one safe Markdown renderer (webapp/markdown.py).
    app.jinja_env.filters["markdown"] = markdown.render
    app.jinja_env.globals["fragment"] = fragment

    @app.context_processor
    def helpers() -> dict[str, Any]:
        # E-mails are rendered by the scheduler too: no request, so nobody is signed in.
        user = current_user if has_request_context() else login_manager.anonymous_user()
        return {
            # The one permission question, for buttons and menus: {% if can("cycle.manage", c) %}
            "can": lambda action, obj=None: permissions.can(user, action, obj, get_clock().now()),
            "is_secretariat": permissions.is_secretariat(user),
            "clock_fixed": get_clock().is_fixed,
            "clock_now": get_clock().now(),
            "kind_labels": KIND_LABELS,
            "role_labels": ROLE_LABELS,
            "Role": Role,
        }


def fragment(name: str, *key: Hashable, caller: Callable[[], str]) -> Markup:
    """The template's way to `kept_html`: `{% call fragment("timeline", cycle.id) %}`."""
    return kept_html(name, key, caller)


def kept_key(key: Hashable) -> tuple[Hashable, ...] | None:
    """`key` with what else kept HTML may depend on (see `kept_html`), or None when this
    request's HTML is not kept."""
    person, form_token = None, None
    if has_request_context():
        # Only for a signed-in person, whose query brought the revision's token along: for a
        # visitor the token would cost a query of its own, more than its (small) frame.
        if not current_user.is_authenticated:
            return None
        # The session's sign-in ("id.nonce", as Flask-Login keeps it): what a kept answer can
        # be found by before the person is loaded (`views/common.answer_kept`).
        person = session.get("_user_id")
        # A form inside carries the session's CSRF token: one person's two sessions (two
        # browsers) never share a copy; before the session has a token nothing is kept.
        form_token = session.get("csrf_token")
        # A post's page (refused input, a conflict) is drawn afresh: it is rare, and reading
        # the revision after the post's commit would begin another (write-locking) transaction.
        if person is None or form_token is None or request.method not in ("GET", "HEAD"):
            return None
    return session_key(key, person, form_token)


def session_key(key: Hashable, person: Any, form_token: Any) -> tuple[Hashable, ...]:
    """The whole key of a kept answer for one session's sign-in and CSRF token, at this minute
    of the app clock and of the wall clock."""
    at = get_clock().now()
    return (key, person, form_token, at.replace(second=0, microsecond=0),
            int(time.time() // 60))


def kept_html(name: str, key: Hashable, render: Callable[[], str]) -> Markup:
    """HTML kept under the data revision (webapp/revision.py), rendered again after any
    committed change: a template's `{% call fragment("timeline", cycle.id) %}…{% endcall %}`,
    or a view's part of a page rendered from its own template.

    What else the HTML may depend on is in the key already: the signed-in person (their
    permissions and name), the session's CSRF token (for the forms inside), the app clock's
    minute (days left, "overstået") and the wall clock's minute (so a CSRF token inside is
    never older than a minute). `key` names the
    data the block shows; the block must read everything else lazily (a callable passed in),
    or the cache saves only the rendering.
    """
    full_key = kept_key(key)
    if full_key is None:
        return Markup(render())

    def rendered() -> tuple[str, tuple[tuple[str, str], ...]]:
        before = len(issued_tokens())
        html = str(render())
        return html, tuple(issued_tokens()[before:])  # a create form's one-time tokens inside

    html, tokens = revision.cached(f"fragment:{name}", full_key, rendered)
    return Markup(fresh_tokens(html, tokens) if tokens else html)
