"""Who is still pending for a milestone: the interface every workflow with deadlines implements.

The reminder pass asks each milestone kind's audience for the items not yet delivered, in one
batch for many milestones and with a fixed number of queries. An item is owed by an
organisation (a questionnaire's answer) or by a person. Each audience also declares the
reminder rules a new milestone of its kind starts with; a kind without an audience (kickoff,
theme day, ...) gets none.

`registry()` is the one list of audiences: a new domain with deadlines adds itself there.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from sqlalchemy import select

from ..extensions import db
from ..models import Milestone, MilestoneKind, Organisation, Role, RoleGrant, RuleKind, User

OwnerKind = Literal["organisation", "person", "address"]


@dataclass(frozen=True)
class Owner:
    """Who owes a delivery: an organisation, a person, or a named address without an account
    (a consultation's external party; `id` is then the party's row, `address` its e-mail)."""

    kind: OwnerKind
    id: int
    name: str
    address: str = ""

    @classmethod
    def organisation(cls, organisation: Organisation) -> Owner:
        return cls("organisation", organisation.id, organisation.name)

    @classmethod
    def person(cls, user: User) -> Owner:
        return cls("person", user.id, user.name)

    @classmethod
    def external(cls, party_id: int, name: str, address: str) -> Owner:
        return cls("address", party_id, name, address.casefold())

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def key(self) -> int | str:
        """What a delivery row remembers of the owner (reminders._owner_of): the id, or for a
        named address the address itself, which the row holds as its recipient."""
        return self.address if self.kind == "address" else self.id


@dataclass(frozen=True)
class Addressee:
    """A recipient without an account: a name and an address, as a User offers them."""

    name: str
    email: str


Recipient = User | Addressee


@dataclass
class PendingItem:
    """Something an owner still owes, with its own deadline (an extension moves it) and the
    people to remind.

    A person-owed item is reminded to that person only: the delivery row's user_id then names
    the owner, so cancelling and the e-mail log need no column of their own.
    """

    milestone_id: int
    owner: Owner
    deadline: datetime
    recipients: list[Recipient] = field(default_factory=list)
    what: str = ""  # e.g. the questionnaire's title, for the e-mail
    link: str = ""  # the absolute link where the owner delivers (see webapp.links)
    # The reminder e-mail's template: `email` before the deadline, `email`_overdue after it
    # (workflows.reminders.reminder_email). An audience whose owners deliver something other
    # than an answer words its own.
    email: str = "reminder"
    # Reminded by the rules "after the deadline" only: an item that appears once its own
    # deadline has passed (a council meeting held without a recorded decision) has no
    # "before" left, and a before-reminder sent then would announce a deadline already gone.
    overdue_only: bool = False
    # Which run of reminders the item's times belong to (workflows.reminders.SERIES): the
    # claim key of one run never stands in for another's. 0 for an item whose deadline is the
    # milestone's or an extension of it (a moved deadline re-plans, it does not send again); a
    # council's meeting date, so a postponed meeting that passes too is reminded afresh.
    series: int = 0

    def __post_init__(self) -> None:
        if self.owner.is_person and any(not isinstance(r, User) or r.id != self.owner.id
                                        for r in self.recipients):
            raise ValueError("a person-owed item is reminded to that person only")

    @classmethod
    def for_organisation(cls, milestone_id: int, organisation: Organisation, deadline: datetime,
                         recipients: Sequence[User], what: str = "",
                         link: str = "") -> PendingItem:
        return cls(milestone_id, Owner.organisation(organisation), deadline, list(recipients),
                   what, link)

    @classmethod
    def for_address(cls, milestone_id: int, party_id: int, name: str, address: str,
                    deadline: datetime, what: str = "", link: str = "") -> PendingItem:
        """An item a named address owes (a consultation's external party): reminded there."""
        return cls(milestone_id, Owner.external(party_id, name, address), deadline,
                   [Addressee(name, address)], what, link)

    @classmethod
    def for_person(cls, milestone_id: int, person: User, deadline: datetime, what: str = "",
                   link: str = "") -> PendingItem:
        return cls(milestone_id, Owner.person(person), deadline, [person], what, link)


def people_of(organisation_ids: Iterable[int], roles: Sequence[Role]) -> dict[int, list[User]]:
    """The active, signed-up people of these organisations holding one of `roles` in their
    organisation's own region, by organisation: who an organisation's reminders go to. One
    query whatever the number."""
    ids = sorted(set(organisation_ids))
    people: dict[int, list[User]] = {}
    if not ids:
        return people
    for user in db.session.scalars(
            select(User).join(RoleGrant, RoleGrant.user_id == User.id)
            .join(Organisation, Organisation.id == User.organisation_id)
            .where(User.organisation_id.in_(ids), User.active.is_(True),
                   User.password_hash.is_not(None), RoleGrant.role.in_(roles),
                   RoleGrant.region_id == Organisation.region_id)
            .order_by(User.id)):
        listed = people.setdefault(user.organisation_id, [])
        if user not in listed:
            listed.append(user)
    return people


@dataclass(frozen=True)
class DefaultRule:
    """A reminder rule a new milestone starts with (see ReminderRule for the fields)."""

    kind: RuleKind
    offset_days: int
    repeat_days: int | None = None
    send_at: str = "08:00"


# What an organisation owing an answer by a deadline is reminded of by default (questionnaires,
# consultations): 14, 7 and 1 days before at 08.00, overdue after a day and then weekly, and a
# digest to the secretariat a week before and the day after.
DEADLINE_RULES: Sequence[DefaultRule] = (
    DefaultRule(RuleKind.BEFORE, 14),
    DefaultRule(RuleKind.BEFORE, 7),
    DefaultRule(RuleKind.BEFORE, 1),
    DefaultRule(RuleKind.OVERDUE, 1, 7),
    DefaultRule(RuleKind.DIGEST, 7),
    DefaultRule(RuleKind.DIGEST, -1),
)


class Audience(Protocol):
    @property
    def owner_kind(self) -> OwnerKind:
        """Who owes the items: organisations or people (the preview's sample data follows)."""
        ...

    @property
    def default_rules(self) -> Sequence[DefaultRule]:
        """The rules a new milestone of this kind gets."""
        ...

    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
        """Items still pending for these milestones."""
        ...


@functools.cache
def registry() -> dict[MilestoneKind, Audience]:
    """Every audience by the milestone kind it answers for. Built on first use, not at import:
    the audiences live in the domains' workflows, which import this module."""
    from .approvals.audience import ApprovalAudience
    from .boards.audience import BoardAudience
    from .consultations.audience import ConsultationAudience
    from .questionnaires.audience import QuestionnaireAudience
    from .workshops.audience import WorkshopAudience

    return {
        MilestoneKind.QUESTIONNAIRE: QuestionnaireAudience(),
        MilestoneKind.CONSULTATION: ConsultationAudience(),
        MilestoneKind.APPROVAL: ApprovalAudience(),
        MilestoneKind.WORKSHOP: WorkshopAudience(),
        MilestoneKind.PRIORITISATION: BoardAudience(),
    }


def audience_for(kind: MilestoneKind) -> Audience | None:
    return registry().get(kind)


def default_rules(kind: MilestoneKind) -> Sequence[DefaultRule]:
    audience = audience_for(kind)
    return audience.default_rules if audience is not None else ()


def pending(milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
    """Everything pending for these milestones, asking each kind's audience once."""
    by_kind: dict[MilestoneKind, list[Milestone]] = {}
    for milestone in milestones:
        by_kind.setdefault(milestone.kind, []).append(milestone)
    items: list[PendingItem] = []
    for kind, group in by_kind.items():
        audience = audience_for(kind)
        if audience is not None:
            items.extend(audience.pending(group, now))
    return items


def concerned(milestone: Milestone, now: datetime) -> list[User]:
    """The people a new date for the milestone concerns, each once, by name: for a kind with an
    audience, the people it would remind (those who still owe something: a questionnaire's
    pending respondents); otherwise the region's active people holding the roles the milestone
    is for, or all of the region's active people when it names none."""
    audience = audience_for(milestone.kind)
    people: dict[int, User] = {}
    if audience is not None:
        for item in audience.pending([milestone], now):
            for person in item.recipients:  # an address without an account has no cycle page
                if isinstance(person, User):
                    people.setdefault(person.id, person)
    else:
        region_id = milestone.cycle.region_id
        query = (select(User).join(Organisation, Organisation.id == User.organisation_id)
                 .where(Organisation.region_id == region_id, User.active.is_(True)))
        if milestone.audience:
            query = query.where(select(RoleGrant.id).where(
                RoleGrant.user_id == User.id, RoleGrant.region_id == region_id,
                RoleGrant.role.in_([Role(r) for r in milestone.audience])).exists())
        people = {p.id: p for p in db.session.scalars(query)}
    return sorted(people.values(), key=lambda p: (p.name.casefold(), p.id))
