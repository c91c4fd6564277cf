"""Reading, checking and showing a questionnaire's answers.

The answer form is built at run time from the questions, so it is not a WTForms class: this
module turns posted fields into typed answers (or a Danish message per field, keeping what was
typed), checks completeness for submission, and turns stored answers back into field values.

Field names: `q_<key>` for a question, `q_<key>__<target group id>__<column key>` for a grid cell.
Stored answers: {key: value}; a grid is {key: {"<target group id>": {column key: value}}}.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from ...formatting import format_number
from ...models import Question, QuestionType, TargetGroup

DONT_KNOW = "dont_know"
SCALE_VALUES = (1, 2, 3, 4, 5)
MAX_SHORT = 500
MAX_LONG = 10_000
PREFIX = "q_"

Raw = str | list[str]


@dataclass
class AnswerSheet:
    values: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Raw] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def field_name(question: Question, group_id: int | None = None, column: str | None = None) -> str:
    if group_id is None:
        return f"{PREFIX}{question.key}"
    return f"{PREFIX}{question.key}__{group_id}__{column}"


def grid_groups(question: Question, groups: Iterable[TargetGroup]) -> list[TargetGroup]:
    audience = question.config.get("audience")
    return [g for g in groups if g.active and (not audience or g.audience.value == audience)]


# -- parsing single values ---------------------------------------------------------------

_INT_GROUPED = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+$")
_INT_PLAIN = re.compile(r"^-?[0-9]+$")


class Invalid(ValueError):
    pass


MAX_DIGITS = 15  # beyond any place count or budget; also keeps int() away from huge inputs


def parse_integer(text: str) -> int:
    compact = text.replace(" ", "").replace("\u00a0", "")
    if len(compact) > MAX_DIGITS + 5:
        raise Invalid(_("Tallet er for langt."))
    if _INT_GROUPED.match(compact):
        compact = compact.replace(".", "")
    if not _INT_PLAIN.match(compact):
        raise Invalid(_("Skriv et helt tal, fx 12."))
    return int(compact)


def parse_decimal(text: str) -> float:
    """Danish first: 1,5 and 2.643,5; a lone point with other than three decimals is a point."""
    compact = text.replace(" ", "").replace("\u00a0", "")
    if len(compact) > MAX_DIGITS + 10:
        raise Invalid(_("Tallet er for langt."))
    if "," in compact:
        compact = compact.replace(".", "").replace(",", ".")
    elif _INT_GROUPED.match(compact):
        compact = compact.replace(".", "")
    if not re.match(r"^-?[0-9]+(\.[0-9]+)?$", compact):
        raise Invalid(_("Skriv et tal, fx 1,5."))
    value = float(compact)
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        raise Invalid(_("Skriv et tal, fx 1,5."))
    return value


def parse_date(text: str) -> str:
    text = text.strip()
    match = re.match(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$", text) or None
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        match = re.match(r"^([0-9]{1,2})[.\-/]([0-9]{1,2})[.\-/]([0-9]{4})$", text)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
    except ValueError:
        pass
    raise Invalid(_("Skriv en gyldig dato, fx 24.10.2016."))


def _bounds(value: float, config: Mapping[str, Any]) -> None:
    low, high = config.get("min"), config.get("max")
    if low is not None and high is not None and not low <= value <= high:
        raise Invalid(_("Skriv et tal mellem %(low)s og %(high)s.",
                        low=format_number(low), high=format_number(high)))
    if low is not None and value < low:
        raise Invalid(_("Tallet må ikke være mindre end %(low)s.", low=format_number(low)))
    if high is not None and value > high:
        raise Invalid(_("Tallet må ikke være større end %(high)s.", high=format_number(high)))


def parse_value(kind: str, config: Mapping[str, Any], raw: Raw) -> Any:
    """A typed value, None for no answer, or Invalid with a Danish message."""
    if kind == QuestionType.MULTIPLE_CHOICE:
        chosen = [raw] if isinstance(raw, str) else list(raw)
        chosen = [c for c in chosen if c != ""]
        offered = list(config.get("choices", []))
        if any(c not in offered for c in chosen):
            raise Invalid(_("Vælg kun blandt de viste muligheder."))
        return [c for c in offered if c in chosen] or None
    if isinstance(raw, list):
        if len(raw) > 1:
            raise Invalid(_("Giv kun ét svar."))
        raw = raw[0] if raw else ""
    text = raw.strip()
    if text == "":
        return None
    if kind in (QuestionType.SHORT_TEXT, "text"):
        if len(text) > MAX_SHORT:
            raise Invalid(_("Svaret må højst være %(n)d tegn.", n=MAX_SHORT))
        return text
    if kind == QuestionType.LONG_TEXT:
        if len(text) > MAX_LONG:
            raise Invalid(_("Svaret må højst være %(n)d tegn.", n=MAX_LONG))
        return text
    if kind == QuestionType.INTEGER:
        number = parse_integer(text)
        _bounds(number, config)
        return number
    if kind == QuestionType.DECIMAL:
        value = parse_decimal(text)
        _bounds(value, config)
        return value
    if kind == QuestionType.DATE:
        return parse_date(text)
    if kind == QuestionType.YES_NO:
        if text not in ("ja", "nej"):
            raise Invalid(_("Vælg ja eller nej."))
        return text == "ja"
    if kind == QuestionType.SINGLE_CHOICE:
        if text not in config.get("choices", []):
            raise Invalid(_("Vælg en af de viste muligheder."))
        return text
    if kind == QuestionType.SCALE:
        if text == DONT_KNOW and config.get("allow_dont_know"):
            return DONT_KNOW
        if text not in {str(v) for v in SCALE_VALUES}:
            raise Invalid(_("Vælg et tal fra 1 til 5."))
        return int(text)
    raise Invalid(_("Ukendt spørgsmålstype."))


# -- whole forms --------------------------------------------------------------------------

def _get(formdata: Any, name: str) -> list[str] | None:
    if name not in formdata:
        return None
    return formdata.getlist(name)


def parse_answers(
    questions: Iterable[Question], groups: Iterable[TargetGroup], formdata: Any
) -> AnswerSheet:
    """Every posted answer, typed; errors per field; the raw input kept for the form."""
    sheet = AnswerSheet()
    known: set[str] = set()
    group_list = list(groups)
    for question in questions:
        if question.type == QuestionType.GRID:
            cells: dict[str, dict[str, Any]] = {}
            for group in grid_groups(question, group_list):
                for column in question.config.get("columns", []):
                    name = field_name(question, group.id, column["key"])
                    known.add(name)
                    value = _parse_field(sheet, name, column.get("type", "text"), column,
                                         formdata)
                    if value is not None:
                        cells.setdefault(str(group.id), {})[column["key"]] = value
            if cells:
                sheet.values[question.key] = cells
            continue
        name = field_name(question)
        known.add(name)
        value = _parse_field(sheet, name, question.type, question.config, formdata)
        if value is not None:
            sheet.values[question.key] = value
    unknown = [k for k in formdata if k.startswith(PREFIX) and k not in known]
    if unknown:
        sheet.errors["_unknown"] = _(
            "Formularen indeholdt svar på spørgsmål, der ikke findes (længere). Intet er gemt; "
            "genindlæs siden, hvis skemaet er blevet ændret.")
    return sheet


def _parse_field(sheet: AnswerSheet, name: str, kind: str, config: Mapping[str, Any],
                 formdata: Any) -> Any:
    """Keep the raw input, record an error, return the typed value (None for none)."""
    many = kind == QuestionType.MULTIPLE_CHOICE
    raw = _get(formdata, name)
    if raw is None:
        return None
    sheet.raw[name] = raw if many else raw[0]
    try:
        return parse_value(kind, config, raw)
    except Invalid as error:
        sheet.errors[name] = str(error)
        return None


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _condition_holds(condition: Mapping[str, Any] | None, values: Mapping[str, Any]) -> bool:
    if not condition:
        return False
    answer = values.get(condition.get("question", ""))
    wanted = condition.get("in", [])
    if isinstance(answer, list):
        return any(a in wanted for a in answer)
    return answer in wanted


def completeness_errors(
    questions: Iterable[Question], groups: Iterable[TargetGroup], values: Mapping[str, Any]
) -> dict[str, str]:
    """What a submission still lacks: required answers, and answers that a condition requires."""
    errors: dict[str, str] = {}
    group_list = list(groups)
    for question in questions:
        if question.type == QuestionType.GRID:
            cells = values.get(question.key) or {}
            columns = question.config.get("columns", [])
            labels = {c["key"]: c["label"] for c in columns}
            for group in grid_groups(question, group_list):
                row = cells.get(str(group.id)) or {}
                for column in columns:
                    name = field_name(question, group.id, column["key"])
                    if not _is_empty(row.get(column["key"])):
                        continue
                    rule = column.get("required_when")
                    if rule and row.get(rule.get("column")) in rule.get("in", []):
                        shown = ", ".join(str(v) for v in rule["in"])
                        errors[name] = _(
                            "Udfyld “%(column)s” for %(group)s, når “%(other)s” er %(values)s: "
                            "skriv hvilken type tilbud det drejer sig om og antal pladser.",
                            column=column["label"], group=group.name,
                            other=labels.get(rule["column"], rule["column"]), values=shown)
                    elif column.get("required"):
                        errors[name] = _("Udfyld “%(column)s” for %(group)s.",
                                         column=column["label"], group=group.name)
            groups_here = grid_groups(question, group_list)
            if question.required and not cells and groups_here and columns:
                first = field_name(question, groups_here[0].id, columns[0]["key"])
                errors.setdefault(first, _("Udfyld skemaet for mindst én målgruppe."))
            continue
        if not _is_empty(values.get(question.key)):
            continue
        if question.required:
            errors[field_name(question)] = _("Besvar spørgsmålet.")
        elif _condition_holds(question.condition, values):
            errors[field_name(question)] = _("Besvar spørgsmålet: det er påkrævet ud fra dit "
                                             "svar på et andet spørgsmål.")
    return errors


def to_raw(value: Any, kind: str) -> Raw:
    """A stored value as the form shows it."""
    if value is None:
        return [] if kind == QuestionType.MULTIPLE_CHOICE else ""
    if kind == QuestionType.YES_NO:
        return "ja" if value else "nej"
    if kind == QuestionType.DECIMAL:
        return format_number(value).replace(".", "") if isinstance(value, float) else str(value)
    if kind == QuestionType.DATE:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    if kind == QuestionType.MULTIPLE_CHOICE:
        return list(value)
    return str(value)


def raw_from_values(
    questions: Iterable[Question], groups: Iterable[TargetGroup], values: Mapping[str, Any]
) -> dict[str, Raw]:
    raw: dict[str, Raw] = {}
    group_list = list(groups)
    for question in questions:
        if question.type == QuestionType.GRID:
            cells = values.get(question.key) or {}
            for group in grid_groups(question, group_list):
                row = cells.get(str(group.id)) or {}
                for column in question.config.get("columns", []):
                    raw[field_name(question, group.id, column["key"])] = to_raw(
                        row.get(column["key"]), column.get("type", "text"))
        else:
            raw[field_name(question)] = to_raw(values.get(question.key), question.type)
    return raw


def display(value: Any, kind: str) -> str:
    """An answer as text for people: receipts, printable pages, exports."""
    if _is_empty(value):
        return ""
    if value == DONT_KNOW:
        return _("Ved ikke")
    if kind == QuestionType.YES_NO:
        return _("Ja") if value else _("Nej")
    if kind == QuestionType.MULTIPLE_CHOICE:
        return "; ".join(value)
    if kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
        return format_number(value)
    if kind == QuestionType.DATE:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    return str(value)
