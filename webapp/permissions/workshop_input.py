"""The workshop's input and its prioritisation list.

Who takes part in a theme is the sign-up's data, which these rules do not read themselves
(permissions import only models): the loader hands them a `ThemeInput` with the theme's
participant ids (`queries/workshops/participants.py`), as the consultation's rules get the
party list from their loader.

- `workshop.input` — record input on a theme (`ThemeInput`: add an item, comment) or change an
  item (`ItemInput`): the secretariat always; the theme's facilitator, and on a theme its
  participants, until the workshop's input deadline. A participant changes only their own items.
- `workshop.read_input` — read a theme's input (the secretariat, the facilitator, the
  participants, also after the deadline); a whole workshop's input (`Workshop`) the secretariat.
- `workshop.theme_list` — make the prioritisation list and the region's recommendation labels.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import InputItem, Role, Workshop, WorkshopTheme
from . import RegionScope, Rule, SystemActor, rule


@dataclass(frozen=True)
class ThemeInput:
    """A theme as the input rules see it: its workshop (with the cycle loaded) for the region
    and the input deadline, and who signed up for it."""

    theme: WorkshopTheme
    workshop: Workshop
    participant_ids: Collection[int] = ()

    @property
    def region_id(self) -> int:
        return self.workshop.region_id

    def is_facilitator(self, subject: Any) -> bool:
        return self.theme.facilitator_id is not None and self.theme.facilitator_id == subject.id

    def is_participant(self, subject: Any) -> bool:
        return subject.id in self.participant_ids

    def open_at(self, now: datetime | None) -> bool:
        """Before the input deadline (none set: open)."""
        deadline = self.workshop.input_deadline
        return deadline is None or now is None or now < deadline


@dataclass(frozen=True)
class ItemInput:
    """An item of a theme, for "may this person change it?"."""

    access: ThemeInput
    item: InputItem

    @property
    def region_id(self) -> int:
        return self.access.region_id


def _secretariat(subject: Any, region_id: int) -> bool:
    return Role.SECRETARIAT in subject.roles_in(region_id)


def _may_input(subject: Any, obj: Any, now: datetime | None) -> bool:
    if isinstance(obj, RegionScope):
        return True  # the route's first question; the page asks again about its theme
    if isinstance(subject, SystemActor):
        return True  # the demo; the rule lets the system in
    if isinstance(obj, ItemInput):
        access = obj.access
        if _secretariat(subject, access.region_id):
            return True
        if not access.open_at(now):
            return False
        return access.is_facilitator(subject) or (
            access.is_participant(subject) and obj.item.author_id == subject.id)
    if isinstance(obj, ThemeInput):
        if _secretariat(subject, obj.region_id):
            return True
        return obj.open_at(now) and (obj.is_facilitator(subject) or obj.is_participant(subject))
    return False


def _may_read(subject: Any, obj: Any, now: datetime | None) -> bool:
    if isinstance(obj, RegionScope):
        return True
    if isinstance(obj, ThemeInput):
        return (_secretariat(subject, obj.region_id) or obj.is_facilitator(subject)
                or obj.is_participant(subject))
    if isinstance(obj, Workshop):
        return _secretariat(subject, obj.region_id)
    return False


RULES: dict[str, Rule] = {
    # The demo records its input as the system.
    "workshop.input": rule(
        "Skrive input til et workshoptema: sekretariatet, temaets facilitator og deltagere "
        "indtil inputfristen", signed_in=True, system=True, check=_may_input),
    "workshop.read_input": rule(
        "Læse et workshoptemas input: sekretariatet, temaets facilitator og deltagere",
        signed_in=True, check=_may_read),
    "workshop.theme_list": rule(
        "Lave temalisten til prioritering og regionens anbefalingsetiketter",
        Role.SECRETARIAT, system=True),
}
