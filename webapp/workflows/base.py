"""What every workflow shares: errors, transition checks and the audit record."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select

from ..errors import PermissionDenied, WorkflowError
from ..extensions import db
from ..i18n import gettext as _
from ..models import AuditEvent, UsedFormToken
from ..permissions import Actor
from ..permissions.consultation_responses import PartyGuest
from ..permissions.workshops import InviteeGuest
from .audit import ACTION_LABELS

__all__ = ["PermissionDenied", "StaleEdit", "WorkflowError"]  # the errors' home is webapp.errors

State = TypeVar("State")

# Every date the app keeps lies in this window: far beyond any agreement, and far enough from
# the ends of the calendar that shifting, time zones and drawing can never overflow.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def date_window_message() -> str:
    return _("Datoen skal ligge mellem 2000 og 2100 (01.01.2000–31.12.2100).")


def in_date_window(value: datetime | date) -> bool:
    day = value.astimezone(UTC).date() if isinstance(value, datetime) else value
    return FIRST_DAY <= day <= LAST_DAY


def check_date_window(value: datetime | date | None, field: str, message: str = "") -> None:
    """A WorkflowError at `field` for a date outside FIRST_DAY..LAST_DAY."""
    if value is not None and not in_date_window(value):
        raise WorkflowError(message or date_window_message(), field=field)


class Versioned(Protocol):
    """A record with an optimistic-locking counter (SQLAlchemy's version_id_col)."""

    @property
    def version_id(self) -> int: ...


class StaleEdit(WorkflowError):
    """The record changed since the form was made; the view shows the new values beside the
    person's own input so nothing is lost."""

    def __init__(self, obj: Versioned) -> None:
        super().__init__(
            _("Nogen har ændret dette, mens du redigerede. Se de nye værdier og gem igen.")
        )
        self.obj = obj


def check_stale(obj: Versioned, version: int | None) -> None:
    """A form carries the version it was made from; a newer one in the database wins."""
    if version is not None and version != obj.version_id:
        raise StaleEdit(obj)


class Counted(Protocol):
    """A record whose optimistic-locking counter the code may move on itself."""

    version_id: int


def bump_version(obj: Counted) -> None:
    """A change that lives in child rows (a questionnaire's recipients) counts as a change of
    the parent: its counter moves on, and the UPDATE's WHERE version_id = old refuses a
    concurrent save of the same parent at the commit (StaleDataError)."""
    obj.version_id = obj.version_id + 1


def check_transition(
    table: Mapping[State, Iterable[State]], current: State, target: State,
    labels: Mapping[State, str],
) -> None:
    if target not in table.get(current, ()):
        raise WorkflowError(
            _(
                "Det er ikke muligt at gå fra “%(current)s” til “%(target)s”.",
                current=labels.get(current, str(current)),
                target=labels.get(target, str(target)),
            )
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()  # one zone in the trail, whatever came in
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: object, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def record(
    *,
    actor: Actor | PartyGuest | InviteeGuest,
    action: str,
    obj: object | None,
    now: datetime,
    region_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    label: str = "",
) -> AuditEvent:
    """Append an audit event. The object must have an id: flush first when it is new. The
    action must have its Danish label in workflows/audit.py: the log shows nothing but words."""
    if actor is None:
        raise TypeError("record() needs an actor: a person or SYSTEM")
    if action not in ACTION_LABELS:
        raise ValueError(f"audit action {action!r} has no label in workflows/audit.py")
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    event = AuditEvent(
        region_id=region_id,
        actor_id=actor.id,
        actor_name=actor.name,
        action=action,
        # __class__ (not type()) sees through a proxy such as current_user
        object_type=(getattr(obj, "audit_type", None) or obj.__class__.__name__)
        if obj is not None else "",
        object_id=getattr(obj, "id", None),
        object_label=label or str(getattr(obj, "title", "") or getattr(obj, "name", "")),
        before=before,
        after=after,
        created_at=now,
    )
    db.session.add(event)
    return event


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, so the trail reads as what happened."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def claim_form(nonce: str, *, form: str, actor: Actor, now: datetime) -> UsedFormToken:
    """Claim a create form's one-time token in the transaction that creates. A token claimed
    before (a double click, a resent POST) makes the flush fail on the unique nonce, also when
    the first post has not committed yet: the database decides, not a read before the write."""
    claim = UsedFormToken(nonce=nonce, form=form, user_id=actor.id, location="", used_at=now)
    db.session.add(claim)
    db.session.flush()
    return claim


def form_claim(nonce: str) -> UsedFormToken | None:
    """The claim of a token, if it has been used."""
    return db.session.scalar(select(UsedFormToken).where(UsedFormToken.nonce == nonce))
