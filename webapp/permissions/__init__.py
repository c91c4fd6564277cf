"""The one permission question: `can(subject, action, obj, now=None)`.

Views, workflows, templates and the API all ask it. Each domain registers its rules in a module
beside this one; `RULES` lists them together, so every action the product knows is in one table
(tests/test_permissions.py walks it). A rule answers for one action on one object:

- every tenant object answers `region_id` itself, and a person may only act in their own region
  (a rule never has to remember that: `can` checks it before the rule runs);
- a rule may depend on the clock (`now`), e.g. "hidden until the deadline";
- anonymous access is a rule like any other (`Rule(public=True)`), never an accident;
- the scheduler, the CLI and the demo act as the explicit `SYSTEM` actor, which may do only what
  a rule grants it (`system=True`). There is no "no actor" path.

Another region's object is a 404 before `can` is asked (the scoped loaders in `webapp.queries`);
a known object the person may not touch is a 403 in a view and `PermissionDenied` in a workflow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, ParamSpec, Protocol, TypeVar, cast

from flask import abort
from flask_login import current_user

from ..errors import PermissionDenied
from ..extensions import login_manager
from ..i18n import gettext as _
from ..models import Role, User

P = ParamSpec("P")
R = TypeVar("R")


class Tenant(Protocol):
    """Whatever belongs to a region: it says which itself."""

    @property
    def region_id(self) -> int: ...


@dataclass(frozen=True)
class SystemActor:
    """The scheduler, the CLI and the demo. Audited as "system"; holds no role anywhere."""

    name: str = "system"
    id: None = None
    is_authenticated: bool = False
    is_anonymous: bool = False

    def roles_in(self, region_id: int) -> set[Role]:
        return set()


SYSTEM = SystemActor()

# Who performs an operation: a signed-in person or the system. Never None.
Actor = User | SystemActor


@dataclass(frozen=True)
class RegionScope:
    """The person's own region as an object, for actions that concern a region as a whole
    (listing its cycles, inviting people): `can(user, "people.manage", RegionScope(id))`."""

    region_id: int


Check = Callable[[Any, Any, datetime | None], bool]


@dataclass(frozen=True)
class Rule:
    """Who may do an action: holders of one of `roles` in the object's region, anybody signed in
    in that region (`roles=None`), anybody at all (`public`), or the system actor (`system`);
    `check` narrows it further (ownership, dates). `description` is for the rule table."""

    description: str
    roles: frozenset[Role] | None = frozenset()
    public: bool = False
    system: bool = False
    check: Check | None = None


def rule(description: str, *roles: Role, signed_in: bool = False, public: bool = False,
         system: bool = False, check: Check | None = None) -> Rule:
    return Rule(description, None if signed_in else frozenset(roles), public, system, check)


def _load_rules() -> dict[str, Rule]:
    from . import (
        accounts,
        agreements,
        approvals,
        boards,
        consultation_processing,
        consultation_responses,
        consultations,
        cycles,
        focus_areas,
        questionnaires,
        regions,
        reminders,
        theme_days,
        workshop_input,
        workshops,
    )

    table: dict[str, Rule] = {}
    for module in (cycles, accounts, questionnaires, reminders, agreements, consultations,
                   consultation_responses, consultation_processing, approvals, workshops,
                   workshop_input, regions, boards, theme_days, focus_areas):
        for action, entry in module.RULES.items():
            if action in table:
                raise RuntimeError(f"Permission {action!r} is registered twice")
            table[action] = entry
    return table


_RULES: dict[str, Rule] | None = None


def rules() -> dict[str, Rule]:
    """Every action and its rule, domain by domain."""
    global _RULES
    if _RULES is None:
        _RULES = _load_rules()
    return _RULES


def can(subject: Any, action: str, obj: Any = None, now: datetime | None = None) -> bool:
    """May `subject` (a signed-in person, an anonymous visitor or SYSTEM) do `action` on `obj`?"""
    entry = rules().get(action)
    if entry is None:
        raise KeyError(f"Unknown permission {action!r}")
    if subject is None:
        raise TypeError("can() needs a subject: a person, an anonymous visitor or SYSTEM")
    if isinstance(subject, SystemActor):
        allowed = entry.system
    elif not getattr(subject, "is_authenticated", False):
        allowed = entry.public
    elif entry.public:
        allowed = True
    else:
        own_region = subject.region_id
        region_id = obj.region_id if obj is not None else own_region
        if region_id != own_region:
            return False
        allowed = entry.roles is None or bool(subject.roles_in(region_id) & entry.roles)
    return allowed and (entry.check is None or entry.check(subject, obj, now))


def require(subject: Any, action: str, obj: Any = None, now: datetime | None = None,
            message: str | None = None) -> None:
    """A workflow's check: refuse with a message a person understands."""
    if not can(subject, action, obj, now):
        raise PermissionDenied(message or _("Du har ikke adgang til at gøre dette."))


def permission_required(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A view's check on the person's own region: sign in first, else 403. Checks that need the
    object are asked again with it once the view has loaded it (`ensure`)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated:
                return cast(R, login_manager.unauthorized())
            if not can(current_user, action, RegionScope(current_user.region_id)):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def ensure(action: str, obj: Any, now: datetime | None = None) -> None:
    """A view's check on a loaded object: 403 when the signed-in person may not."""
    if not can(current_user, action, obj, now):
        abort(403)


def is_secretariat(user: Any, region_id: int | None = None) -> bool:
    """For pages that show the secretariat more (menus, panels): the same table's answer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = RegionScope(user.region_id if region_id is None else region_id)
    return can(user, "region.administer", scope)
