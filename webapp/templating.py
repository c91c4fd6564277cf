"""What every template can use: permission helpers, the clock, labels."""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context
from flask_login import current_user

from . import permissions
from .clock import get_clock
from .extensions import login_manager
from .forms.cycles import ROLE_LABELS
from .models import Role
from .workflows.cycles import KIND_LABELS, STATE_LABELS
from .workflows.questionnaires.responses import STATE_LABELS as RESPONSE_STATE_LABELS


def register(app: Flask) -> None:
    @app.context_processor
    def helpers() -> dict[str, Any]:
        # E-mails are rendered by the scheduler too: no request, so nobody is signed in.
        user = current_user if has_request_context() else login_manager.anonymous_user()
        return {
            "can_view": lambda obj: permissions.can_view(user, obj),
            "can_edit": lambda obj: permissions.can_edit(user, obj),
            "is_secretariat": permissions.is_secretariat(user),
            "clock_fixed": get_clock().is_fixed,
            "clock_now": get_clock().now(),
            "kind_labels": KIND_LABELS,
            "state_labels": STATE_LABELS,
            "role_labels": ROLE_LABELS,
            "Role": Role,
            "response_labels": RESPONSE_STATE_LABELS,
        }
