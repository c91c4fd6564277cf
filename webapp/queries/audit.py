"""The audit trail as a person reads it: Danish action labels, local times and readable values.

The trail stores codes and plain JSON (machine-readable: ISO times in UTC, enum values, lists,
dicts). Here each event becomes an `AuditRow` whose before/after are (Danish field, Danish
value) pairs: lists as Danish comma lists with labels for roles and kinds, booleans as ja/nej,
nothing as "–", dicts as "felt: værdi", times as dd.mm.yyyy kl. hh.mm in Europe/Copenhagen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..formatting import danish_key, format_date, format_datetime
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..mail import TEMPLATE_LABELS
from ..models import AuditEvent, Organisation, Question, QuestionnaireResponse
from ..permissions import SYSTEM
from ..workflows.accounts import ROLE_LABELS
from ..workflows.audit import ACTION_GROUPS, ACTION_LABELS, FIELD_LABELS, action_label
from ..workflows.consultations.processing import OUTCOME_LABELS
from ..workflows.consultations.setup import PUBLICATION_LABELS
from ..workflows.cycles import KIND_LABELS as MILESTONE_KIND_LABELS
from ..workflows.focus_areas import STATUS_LABELS as INITIATIVE_STATUS_LABELS
from ..workflows.organisations import KIND_LABELS as ORG_KIND_LABELS
from ..workflows.questionnaires.builder import AUDIENCE_LABELS, TYPE_LABELS
from ..workflows.reminders import KIND_LABELS as RULE_KIND_LABELS
from ..workflows.states import APPROVALS, CONSULTATIONS, CYCLES, EMAILS, RESPONSES

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _by_value(labels: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(getattr(k, "value", k)): v for k, v in labels.items()}


# Values that are codes, by the object they belong to and the field; "*" is any object.
VALUE_LABELS: dict[tuple[str, str], dict[str, Any]] = {
    ("Milestone", "kind"): _by_value(MILESTONE_KIND_LABELS),
    ("Milestone", "audience"): _by_value(ROLE_LABELS),
    ("Organisation", "kind"): _by_value(ORG_KIND_LABELS),
    ("ReminderRule", "kind"): _by_value(RULE_KIND_LABELS),
    ("TargetGroup", "audience"): _by_value(AUDIENCE_LABELS),
    ("Question", "type"): {"text": _l("Tekst"), **_by_value(TYPE_LABELS)},  # columns too
    ("Cycle", "state"): _by_value(CYCLES.labels),
    ("Response", "state"): _by_value(RESPONSES.labels),
    ("OutboundEmail", "state"): _by_value(EMAILS.labels),
    ("Consultation", "state"): _by_value(CONSULTATIONS.labels),
    ("CouncilApproval", "state"): _by_value(APPROVALS.labels),
    ("Consultation", "publication"): _by_value(PUBLICATION_LABELS),
    ("*", "role"): _by_value(ROLE_LABELS),
    ("*", "roles"): _by_value(ROLE_LABELS),
    ("*", "template"): dict(TEMPLATE_LABELS),
    ("Question", "format"): {"email": _l("E-mailadresse")},
    ("*", "audience"): {**_by_value(ROLE_LABELS), **_by_value(AUDIENCE_LABELS)},
    ("ConsultationResponse", "outcome"): _by_value(OUTCOME_LABELS),
    ("Initiative", "status"): _by_value(INITIATIVE_STATUS_LABELS),
}


# Fields holding a response's question keys, shown as the questions' texts.
QUESTION_KEY_FIELDS = {"changed", "filled"}


def empty_text() -> str:
    return _("(tom)")


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name.replace("_", " ")


def danish_list(items: list[str]) -> str:
    """"a, b og c" — the Danish way to list."""
    if not items:
        return _("(ingen)")
    if len(items) == 1:
        return items[0]
    return _("%(first)s og %(last)s", first=", ".join(items[:-1]), last=items[-1])


class Readable:
    """Turns stored values into Danish text; knows the organisations' names of one page."""

    def __init__(self, organisation_names: Mapping[int, str] | None = None,
                 question_labels: Mapping[int, Mapping[str, str]] | None = None) -> None:
        self.organisation_names = organisation_names or {}
        # per response id: its questionnaire's question keys and labels
        self.question_labels = question_labels or {}
        self.object_id: int | None = None

    def value(self, value: Any, *, field: str = "", object_type: str = "") -> str:
        labels = (VALUE_LABELS.get((object_type, field))
                  or VALUE_LABELS.get(("*", field)) or {})
        if value is None:
            return "–"
        if isinstance(value, bool):
            return _("ja") if value else _("nej")
        if field == "organisations" and isinstance(value, list):
            return danish_list(sorted(
                (self.organisation_names.get(v, str(v)) if isinstance(v, int) else str(v)
                 for v in value), key=danish_key))
        if field in QUESTION_KEY_FIELDS and isinstance(value, list):
            labels_of = self.question_labels.get(self.object_id or 0, {})
            return danish_list([f"“{labels_of[v]}”" if v in labels_of else str(v)
                                for v in value])
        if isinstance(value, list):
            return danish_list([self.value(v, field=field, object_type=object_type)
                                for v in value])
        if isinstance(value, dict):
            if not value:
                return empty_text()
            return "; ".join(f"{field_label(str(k))}: "
                             f"{self.value(v, field=str(k), object_type=object_type)}"
                             for k, v in value.items())
        if isinstance(value, int | float):
            return str(value).replace(".", ",")
        if isinstance(value, datetime | date):
            return format_datetime(value) if isinstance(value, datetime) else format_date(value)
        text = str(value)
        if text == "":
            return empty_text()
        if text in labels:
            return str(labels[text])
        if _ISO_DATETIME.match(text):
            try:
                return format_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")))
            except ValueError:
                return text
        if _ISO_DATE.match(text):
            try:
                return format_date(date.fromisoformat(text))
            except ValueError:
                return text
        return text

    def pairs(self, values: Mapping[str, Any] | None, object_type: str,
              object_id: int | None = None) -> list[tuple[str, str]]:
        if not values:
            return []
        self.object_id = object_id
        return [(field_label(k), self.value(v, field=k, object_type=object_type))
                for k, v in values.items()]


@dataclass
class AuditRow:
    at: datetime
    actor_name: str
    action: str
    action_label: str
    object_label: str
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]


def _organisation_ids(events: Iterable[AuditEvent]) -> set[int]:
    ids: set[int] = set()
    for e in events:
        for values in (e.before, e.after):
            found = (values or {}).get("organisations")
            if isinstance(found, list):
                ids.update(v for v in found if isinstance(v, int))
    return ids


def _question_labels(events: Iterable[AuditEvent]) -> dict[int, dict[str, str]]:
    """For the responses among the events: their questions' keys and labels. One query."""
    ids = {e.object_id for e in events if e.object_type == "Response" and e.object_id}
    found: dict[int, dict[str, str]] = {}
    if ids:
        for response_id, key, label in db.session.execute(
                select(QuestionnaireResponse.id, Question.key, Question.label)
                .join(Question, Question.questionnaire_id == QuestionnaireResponse.questionnaire_id)
                .where(QuestionnaireResponse.id.in_(ids))):
            found.setdefault(response_id, {})[key] = label
    return found


def actor_text(event: AuditEvent) -> str:
    """Who did it; the scheduler, the CLI and the demo are "Systemet"."""
    if event.actor_id is None and event.actor_name in ("", SYSTEM.name):
        return _("Systemet")
    return event.actor_name


def readable(events: list[AuditEvent]) -> list[AuditRow]:
    """The events as rows to show; at most one query for the organisations they name and one
    for the questions of the answers among them."""
    ids = _organisation_ids(events)
    names = dict(db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    ).tuples().all()) if ids else {}
    read = Readable(names, _question_labels(events))
    return [AuditRow(at=e.created_at, actor_name=actor_text(e),
                     action=e.action, action_label=action_label(e.action),
                     object_label=e.object_label,
                     before=read.pairs(e.before, e.object_type, e.object_id),
                     after=read.pairs(e.after, e.object_type, e.object_id))
            for e in events]


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The log filter's choices: per group, the whole group first, then each action in Danish
    order."""
    out = []
    for group_id, (label, prefixes) in ACTION_GROUPS.items():
        codes = [c for c in ACTION_LABELS if c.split(".")[0] in prefixes]
        choices = [("group:" + group_id, _("Alle: %(group)s", group=str(label).lower()))]
        choices += sorted(((c, str(ACTION_LABELS[c])) for c in codes),
                          key=lambda c: danish_key(c[1]))
        out.append((str(label), choices))
    return out


def action_filter(choice: str) -> tuple[list[str], list[str]] | None:
    """What a filter choice means: (exact codes, code beginnings), or None for an unknown one."""
    if choice in ACTION_LABELS:
        return [choice], []
    group = ACTION_GROUPS.get(choice.removeprefix("group:")) if choice.startswith("group:") \
        else None
    if group is None:
        return None
    return [], [prefix + "." for prefix in group[1]]
