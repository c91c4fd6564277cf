"""The lifecycles of stored things: one state machine per stateful model.

A machine holds the allowed moves, the Danish names of the states and, where the domain has
one, the states in which the thing may still be changed. Workflows move objects through it
(check, set, audit the real before-state); templates ask it through the Jinja globals
`can_move`, `state_label`, `is_editable` and `in_state` (see webapp/templating.py), so a rule
such as "a submitted response is read-only" is written once, here.

A new stateful domain declares its enum in its model module and its machine here, and registers
the model class in `_MACHINES` below.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

from ..i18n import lazy_gettext as _l
from ..models import (
    ApprovalState,
    BoardState,
    Consultation,
    ConsultationState,
    CouncilApproval,
    Cycle,
    CycleState,
    DeliveryState,
    EmailState,
    OutboundEmail,
    PrioritisationBoard,
    QuestionnaireResponse,
    ReminderDelivery,
    ResponseState,
    ThemeDay,
    ThemeDayState,
)
from ..permissions import Actor
from .base import check_transition, record

S = TypeVar("S", bound=enum.Enum)


class StateMachine(Generic[S]):
    """The allowed moves between the states of one kind of object, read from `field`.

    `editable` names the states in which the object itself may still be changed; a machine
    without it has no such notion and `is_editable` refuses to answer.
    """

    def __init__(self, name: str, transitions: Mapping[S, Iterable[S]], labels: Mapping[S, str],
                 *, field: str = "state", editable: Iterable[S] | None = None) -> None:
        states = {type(state) for state in labels}
        if len(states) != 1:
            raise TypeError(f"{name}: the labels must name the states of one enum")
        self.states: type[S] = states.pop()
        missing = [s for s in self.states if s not in labels]
        if missing:
            raise TypeError(f"{name}: no label for {missing}")
        self.name = name
        self.field = field
        self.labels: Mapping[S, str] = dict(labels)
        self.transitions: dict[S, frozenset[S]] = {
            state: frozenset(self.coerce(t) for t in transitions.get(state, ()))
            for state in self.states}
        self.editable: frozenset[S] | None = (
            None if editable is None else frozenset(self.coerce(s) for s in editable))

    def __repr__(self) -> str:
        return f"<StateMachine {self.name}>"

    # -- states -----------------------------------------------------------------------------

    def coerce(self, value: S | str) -> S:
        """A state of this machine from the enum member or its stored value (as templates and
        query rows give it). A value that names no state is an error, not a silent False."""
        if isinstance(value, enum.Enum):
            if not isinstance(value, self.states):
                raise TypeError(f"{self.name}: {value!r} is not a {self.states.__name__}")
            return value
        return self.states(value)

    def state_of(self, obj: Any) -> S:
        """An object's state; a state given directly (a query row's column) is itself."""
        value: Any = obj if isinstance(obj, enum.Enum) else getattr(obj, self.field)
        return self.coerce(value)

    def label(self, state: S | str) -> str:
        return str(self.labels[self.coerce(state)])

    def state_label(self, obj: Any) -> str:
        return self.label(self.state_of(obj))

    def in_state(self, obj: Any, *states: S | str) -> bool:
        wanted = {self.coerce(s) for s in states}
        return self.state_of(obj) in wanted

    def is_editable(self, obj: Any) -> bool:
        if self.editable is None:
            raise TypeError(f"{self.name} has no editable states")
        return self.state_of(obj) in self.editable

    # -- the table --------------------------------------------------------------------------

    def allows(self, current: S | str, to: S | str) -> bool:
        return self.coerce(to) in self.transitions[self.coerce(current)]

    def sources(self, to: S | str) -> tuple[S, ...]:
        """The states from which `to` can be reached, in the enum's order (stable SQL)."""
        target = self.coerce(to)
        return tuple(s for s in self.states if target in self.transitions[s])

    def can_move(self, obj: Any, to: S | str) -> bool:
        return self.allows(self.state_of(obj), to)

    def check(self, obj: Any, to: S | str) -> None:
        """Raise WorkflowError, in the person's words, unless the object may move to `to`."""
        check_transition(self.transitions, self.state_of(obj), self.coerce(to), self.labels)

    # -- moving -----------------------------------------------------------------------------

    def set_state(self, obj: Any, to: S | str) -> S:
        """Check and set, without an audit event: for moves that have never been audited.
        Returns the state the object held."""
        target = self.coerce(to)
        self.check(obj, target)
        before = self.state_of(obj)
        setattr(obj, self.field, target)
        return before

    def move(self, obj: Any, to: S | str, *, actor: Actor, now: datetime, action: str,
             region_id: int | None, label: str = "",
             extra_before: Mapping[str, Any] | None = None,
             extra_after: Mapping[str, Any] | None = None) -> None:
        """Check, set and audit the move with the state the object really held before it."""
        target = self.coerce(to)
        before = self.set_state(obj, target)
        record(actor=actor, action=action, obj=obj, now=now, region_id=region_id, label=label,
               before={self.field: before.value, **(extra_before or {})},
               after={self.field: target.value, **(extra_after or {})})


RESPONSES = StateMachine(
    "responses",
    {
        ResponseState.DRAFT: {ResponseState.SUBMITTED},
        ResponseState.SUBMITTED: {ResponseState.REOPENED},
        ResponseState.REOPENED: {ResponseState.SUBMITTED},
    },
    {
        ResponseState.DRAFT: _l("Kladde"),
        ResponseState.SUBMITTED: _l("Indsendt"),
        ResponseState.REOPENED: _l("Genåbnet"),
    },
    # A submitted response is read-only until the secretariat reopens it.
    editable={ResponseState.DRAFT, ResponseState.REOPENED},
)

CYCLES = StateMachine(
    "cycles",
    {
        CycleState.DRAFT: {CycleState.OPEN},
        CycleState.OPEN: {CycleState.CLOSED},
        CycleState.CLOSED: {CycleState.OPEN},
    },
    {
        CycleState.DRAFT: _l("Kladde"),
        CycleState.OPEN: _l("Åben"),
        CycleState.CLOSED: _l("Afsluttet"),
    },
    # A closed cycle, its milestones and questionnaires stay as they were until it is reopened.
    editable={CycleState.DRAFT, CycleState.OPEN},
)

# A delivery is inserted as claimed (or skipped, never to be sent); the claim ends sent or
# cancelled. Two passes (PostgreSQL runs them side by side) can disagree: one cancels a claim
# whose e-mail the other is already sending. The e-mail went out, so the row ends as sent.
DELIVERIES = StateMachine(
    "reminder deliveries",
    {
        DeliveryState.CLAIMED: {DeliveryState.SENT, DeliveryState.CANCELLED},
        DeliveryState.CANCELLED: {DeliveryState.SENT},
    },
    {
        DeliveryState.CLAIMED: _l("sendes"),
        DeliveryState.SENT: _l("sendt"),
        DeliveryState.SKIPPED: _l("sprunget over"),
        DeliveryState.CANCELLED: _l("annulleret"),
    },
)

# A message is written queued, or held for the recipient's daily digest, which sends it. A
# sender claims a sendable message just before sending it (a claim whose lease lapsed may be
# claimed again) and records the outcome of one try; `deliver` records it the same way for a
# message handed to it unclaimed. A reminder no longer wanted is skipped.
EMAILS = StateMachine(
    "e-mails",
    {
        EmailState.QUEUED: {EmailState.SENDING, EmailState.SENT, EmailState.FAILED,
                            EmailState.SKIPPED},
        EmailState.HELD: {EmailState.SENT},
        EmailState.SENDING: {EmailState.SENDING, EmailState.SENT, EmailState.FAILED,
                             EmailState.SKIPPED},
        EmailState.FAILED: {EmailState.SENDING, EmailState.SENT, EmailState.FAILED,
                            EmailState.SKIPPED},
    },
    {
        EmailState.QUEUED: _l("i kø"),
        EmailState.HELD: _l("tilbageholdt"),
        EmailState.SENDING: _l("sendes"),
        EmailState.SENT: _l("sendt"),
        EmailState.FAILED: _l("fejlet"),
        EmailState.SKIPPED: _l("sprunget over"),
    },
)

# A consultation is prepared as a draft and opened once: the invitations cannot be unsent.
# Whether it is running or closed follows from its milestone's dates, never stored.
CONSULTATIONS = StateMachine(
    "consultations",
    {ConsultationState.DRAFT: {ConsultationState.OPENED}},
    {
        ConsultationState.DRAFT: _l("Kladde"),
        ConsultationState.OPENED: _l("Sendt i høring"),
    },
    editable={ConsultationState.DRAFT},
)

# A council's treatment of the agreement. The party's own people move it while undecided
# (`editable`); a decided record moves on only by the secretariat: a correction (another
# decision, with a reason) or a new final version whose approvals must be taken again (back to
# pending). Those two operations are the only callers of the moves out of a decided state.
_DECISIONS = (ApprovalState.APPROVED, ApprovalState.APPROVED_WITH_REMARKS,
              ApprovalState.REJECTED)
APPROVALS = StateMachine(
    "council approvals",
    {
        ApprovalState.PENDING: {ApprovalState.SCHEDULED, *_DECISIONS},
        ApprovalState.SCHEDULED: {ApprovalState.POSTPONED, *_DECISIONS},
        ApprovalState.POSTPONED: {ApprovalState.SCHEDULED, ApprovalState.POSTPONED,
                                  *_DECISIONS},
        **{decided: {ApprovalState.PENDING, *(d for d in _DECISIONS if d != decided)}
           for decided in _DECISIONS},
    },
    {
        ApprovalState.PENDING: _l("afventer"),
        ApprovalState.SCHEDULED: _l("sat på dagsorden"),
        ApprovalState.APPROVED: _l("godkendt"),
        ApprovalState.APPROVED_WITH_REMARKS: _l("godkendt med bemærkninger"),
        ApprovalState.REJECTED: _l("ikke godkendt"),
        ApprovalState.POSTPONED: _l("udsat"),
    },
    editable={ApprovalState.PENDING, ApprovalState.SCHEDULED, ApprovalState.POSTPONED},
)

# A prioritisation board: prepared, scored blind while open, closed (scores final, results for
# the secretariat), published (results for the members and, if chosen, the region). Only a
# draft's themes, criteria and members change freely; the conclusion and the theme-day picks
# are written while closed.
BOARDS = StateMachine(
    "prioritisation boards",
    {
        BoardState.DRAFT: {BoardState.OPEN},
        BoardState.OPEN: {BoardState.CLOSED},
        BoardState.CLOSED: {BoardState.PUBLISHED},
    },
    {
        BoardState.DRAFT: _l("Kladde"),
        BoardState.OPEN: _l("Åben for scoring"),
        BoardState.CLOSED: _l("Lukket"),
        BoardState.PUBLISHED: _l("Offentliggjort"),
    },
    editable={BoardState.DRAFT},
)

# The theme day's vote: the catalogue is written while a draft; the vote is open on the day and
# ended by the secretariat, which freezes the tally.
THEME_DAYS = StateMachine(
    "theme days",
    {
        ThemeDayState.DRAFT: {ThemeDayState.OPEN},
        ThemeDayState.OPEN: {ThemeDayState.ENDED},
    },
    {
        ThemeDayState.DRAFT: _l("Forberedes"),
        ThemeDayState.OPEN: _l("Afstemningen er åben"),
        ThemeDayState.ENDED: _l("Afstemningen er afsluttet"),
    },
    editable={ThemeDayState.DRAFT},
)

_MACHINES: dict[type, StateMachine[Any]] = {
    PrioritisationBoard: BOARDS,
    ThemeDay: THEME_DAYS,
    QuestionnaireResponse: RESPONSES,
    CouncilApproval: APPROVALS,
    Consultation: CONSULTATIONS,
    Cycle: CYCLES,
    ReminderDelivery: DELIVERIES,
    OutboundEmail: EMAILS,
}


def register(cls: type, machine: StateMachine[Any]) -> None:
    """Let the template helpers answer for another class whose `state` holds the machine's
    states, such as a row of a read-side query."""
    _MACHINES[cls] = machine


def machine_for(obj: Any) -> StateMachine[Any]:
    """The machine of an object, or of a state itself (an enum member)."""
    if isinstance(obj, enum.Enum):
        for machine in _MACHINES.values():
            if isinstance(obj, machine.states):
                return machine
    else:
        # __class__ (not type()) sees through a proxy
        for cls in obj.__class__.__mro__:
            if cls in _MACHINES:
                return _MACHINES[cls]
    raise LookupError(f"no state machine for {obj!r}")


# -- what templates ask (registered as Jinja globals in webapp/templating.py) -----------------

def can_move(obj: Any, to: Any) -> bool:
    return machine_for(obj).can_move(obj, to)


def state_label(obj: Any) -> str:
    """The Danish name of an object's state, or of a state given directly."""
    machine = machine_for(obj)
    return machine.label(obj) if isinstance(obj, enum.Enum) else machine.state_label(obj)


def is_editable(obj: Any) -> bool:
    return machine_for(obj).is_editable(obj)


def in_state(obj: Any, *states: Any) -> bool:
    return machine_for(obj).in_state(obj, *states)
