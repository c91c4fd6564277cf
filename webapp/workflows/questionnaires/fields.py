"""Reading, checking and showing a questionnaire's answers.

The answer form is built at run time from the questions, so it is not a WTForms class: this
module turns posted fields into typed answers (or a Danish message per field, keeping what was
typed), checks completeness for submission, and turns stored answers back into field values.

Every question type is a class (`FieldType`, one per `QuestionType`, found by `field_type` or
`FIELD_TYPES`): it parses an answer, gives it back as the input shows it, shows it to people,
exports it, summarises a list of answers and names the answers a condition on it may name. An
instance is bound to the settings it reads (a question's `config`, or a grid column), so a type
works without a Question row: `ScaleField({"allow_dont_know": True}).parse("3")`.

The target-group grid is the one compound type: its answer is a table of cells, each typed by its
column (`column_type`). `FieldType.cells` walks a question's inputs (the question itself, or a
grid's target groups × columns) so that the form, the receipt and the export treat every question
alike.

Field names: `q_<key>` for a question, `q_<key>__<target group id>__<column key>` for a grid cell.
Stored answers: {key: value}; a grid is {key: {"<target group id>": {column key: value}}}.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from ...formatting import format_number, join_or
from ...i18n import gettext as _
from ...models import Organisation, Question, QuestionType, TargetAudience, TargetGroup
from ...text import clean_text, email_problem, text_problem
from ..base import WorkflowError

DONT_KNOW = "dont_know"
SCALE_VALUES = (1, 2, 3, 4, 5)
MAX_SHORT = 500
MAX_LONG = 10_000
PREFIX = "q_"
EMAIL_FORMAT = "email"  # a short text question's config {"format": "email"}

Raw = str | list[str]
# A whole grid's inputs: {target group id: {column key: raw}}.
GridRaw = dict[str, dict[str, Raw]]
R = TypeVar("R")


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
    """The target groups a grid question asks about (see `GridField.active_groups`)."""
    return GridField(question.config).active_groups(groups)


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


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _empty(value: Any) -> bool:
    """No answer, as the results count it (an empty grid too)."""
    return value is None or value == "" or value == [] or value == {}


def _mapping(value: Any) -> Mapping[str, Any]:
    """A grid's stored cells, or nothing if what is stored is not a grid (never a crash)."""
    return value if isinstance(value, Mapping) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# -- summaries (pure): what the results page shows for one question -------------------------


@dataclass
class NumberSummary:
    count: int
    total: float | int
    mean: float | None
    kind: str = "number"


@dataclass
class OptionSummary:
    rows: list[tuple[str, int]]
    answered: int
    kind: str = "options"
    # Several answers per respondent: the counts can add up to more than `answered`.
    multiple: bool = False


@dataclass
class ScaleSummary:
    counts: dict[int, int]
    dont_know: int
    answered: int
    mean: float | None
    allow_dont_know: bool
    kind: str = "scale"


@dataclass
class TextSummary:
    count: int
    answers: list[tuple[str, str]]
    kind: str = "text"


@dataclass
class DateSummary:
    count: int
    first: date | None
    last: date | None
    kind: str = "date"


@dataclass
class NumericTable:
    """One numeric grid column: organisations × target groups, with totals both ways."""

    column: dict[str, Any]
    rows: list[tuple[Organisation, list[float | int | None], float | int]]
    group_totals: list[float | int]
    total: float | int


@dataclass
class Heatmap:
    """One scale grid column: organisations × target groups, 1–5, "dont_know" or None."""

    column: dict[str, Any]
    rows: list[tuple[Organisation, list[int | str | None]]]
    group_means: list[float | None]
    dont_know: int
    missing: int


@dataclass
class GridTexts:
    column: dict[str, Any]
    answers: list[tuple[str, str, str]]  # organisation, target group, text


@dataclass
class GridSummary:
    groups: list[TargetGroup]
    numeric: list[NumericTable]
    heatmaps: list[Heatmap]
    texts: list[GridTexts]
    kind: str = "grid"


Summary = (NumberSummary | OptionSummary | ScaleSummary | TextSummary | DateSummary
           | GridSummary)
ColumnSummary = NumericTable | Heatmap | GridTexts
# One grid column's answers: each organisation with its answer per shown target group.
Matrix = list[tuple[Organisation, list[Any]]]


def summarise_numbers(values: Iterable[Any]) -> NumberSummary:
    numbers = [v for v in values if _is_number(v)]
    total = sum(numbers)
    return NumberSummary(count=len(numbers), total=total,
                         mean=total / len(numbers) if numbers else None)


def summarise_options(values: Iterable[Any], choices: Sequence[str], *,
                      multiple: bool = False) -> OptionSummary:
    """Counts per offered option in the offered order; values no longer offered come last."""
    counts: dict[str, int] = dict.fromkeys(choices, 0)
    answered = 0
    for value in values:
        if _empty(value):
            continue
        answered += 1
        for chosen in (value if multiple and isinstance(value, list) else [value]):
            counts[chosen] = counts.get(chosen, 0) + 1
    return OptionSummary(rows=list(counts.items()), answered=answered, multiple=multiple)


def summarise_yes_no(values: Iterable[Any]) -> OptionSummary:
    answered = [v for v in values if isinstance(v, bool)]
    return OptionSummary(rows=[(_("Ja"), sum(1 for v in answered if v)),
                               (_("Nej"), sum(1 for v in answered if not v))],
                         answered=len(answered))


def summarise_scale(values: Iterable[Any], allow_dont_know: bool = False) -> ScaleSummary:
    counts = dict.fromkeys(SCALE_VALUES, 0)
    dont_know = 0
    for value in values:
        if value == DONT_KNOW:
            dont_know += 1
        elif _is_number(value) and value in counts:
            counts[int(value)] += 1
    rated = sum(counts.values())
    mean = sum(k * n for k, n in counts.items()) / rated if rated else None
    return ScaleSummary(counts=counts, dont_know=dont_know, answered=rated + dont_know,
                        mean=mean, allow_dont_know=allow_dont_know or dont_know > 0)


def summarise_texts(pairs: Iterable[tuple[str, Any]]) -> TextSummary:
    answers = [(name, str(value)) for name, value in pairs if not _empty(value)]
    return TextSummary(count=len(answers), answers=answers)


def summarise_dates(values: Iterable[Any]) -> DateSummary:
    days = sorted(date.fromisoformat(v) for v in values if isinstance(v, str) and v)
    return DateSummary(count=len(days), first=days[0] if days else None,
                       last=days[-1] if days else None)


# -- the question types ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One input of the answer form and the one stored value it holds: a whole question, or
    (with `group` and `column`) one cell of a target-group grid."""

    question: Question
    name: str
    field: InputField
    group: TargetGroup | None = None
    column: Mapping[str, Any] | None = None

    @property
    def label(self) -> str:
        """What the receipt and the export call it: "Question – target group – column"."""
        if self.group is None or self.column is None:
            return self.question.label
        return f"{self.question.label} – {self.group.name} – {self.column['label']}"

    def get(self, answers: Mapping[str, Any]) -> Any:
        """The cell's value in one response's answers; None when there is none."""
        value = answers.get(self.question.key)
        if self.group is None or self.column is None:
            return value
        return _mapping(_mapping(value).get(str(self.group.id))).get(self.column["key"])

    def put(self, answers: dict[str, Any], value: Any) -> None:
        if self.group is None or self.column is None:
            answers[self.question.key] = value
            return
        table = answers.setdefault(self.question.key, {})
        table.setdefault(str(self.group.id), {})[self.column["key"]] = value

    def display(self, answers: Mapping[str, Any]) -> str:
        return self.field.display(self.get(answers))


class FieldType(ABC, Generic[R]):
    """A question type. `R` is what its input holds: `Raw` for one input, `GridRaw` for a grid."""

    name: ClassVar[str] = ""  # the stored type: a QuestionType value or a grid column type
    # What the answer form draws (templates/questionnaires/_question.html branches on it).
    widget: ClassVar[str] = ""
    settings: ClassVar[tuple[str, ...]] = ()  # the config keys it reads (the builder asks them)
    many: ClassVar[bool] = False  # the input posts several values
    compound: ClassVar[bool] = False  # the answer is a table of cells (the grid)

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config: Mapping[str, Any] = config or {}

    # -- one value -----------------------------------------------------------------------

    @abstractmethod
    def parse(self, raw: R) -> Any:
        """The stored value of what was typed, None for no answer, or Invalid with a Danish
        message."""

    @abstractmethod
    def raw(self, value: Any) -> R:
        """A stored value as the input shows it; parsing it gives the value back."""

    def display(self, value: Any) -> str:
        """A stored value as text for people: receipts, printable pages, conflicts."""
        if _is_empty(value):
            return ""
        if value == DONT_KNOW:
            return _("Ved ikke")
        return self.show(value)

    def show(self, value: Any) -> str:
        """`display` of an answer that is neither empty nor "Ved ikke"."""
        return str(value)

    def exporter(self) -> Callable[[Any], Any]:
        """`export` with its labels translated once: an export converts tens of thousands of
        cells, and a gettext call per cell would cost more than writing the file."""
        dont_know = _("Ved ikke")
        cell = self.export_cell()

        def convert(value: Any) -> Any:
            if value is None or value == "" or value == [] or value == {}:
                return None
            if value == DONT_KNOW:
                return dont_know
            return cell(value)

        return convert

    def export_cell(self) -> Callable[[Any], Any]:
        """The export of an answer that is neither empty nor "Ved ikke"."""
        return str

    def export(self, value: Any) -> Any:
        """A stored value as a CSV/XLSX cell: numbers stay numbers, the rest is the Danish text
        people see (Ja/Nej, dd.mm.åååå, "Ved ikke", choices joined by "; "); None for none."""
        return self.exporter()(value)

    @abstractmethod
    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        """The results summary of `values`, one per respondent. `respondents` (in the same
        order) name the text answers and the grid's rows; `groups` are a grid's target groups."""

    def condition_values(self) -> list[Any] | None:
        """The answers a condition on a question of this type may name; None when its answers
        are not a few fixed values, so no condition can build on it."""
        return None

    def check_config(self) -> None:
        """Refuse settings that make no sense (WorkflowError pointing at the builder's field)."""

    # -- a question of this type ---------------------------------------------------------

    def active_groups(self, groups: Iterable[TargetGroup]) -> list[TargetGroup]:
        """The target groups the answer form asks about (only a grid asks about any)."""
        return []

    def shown_groups(self, groups: Iterable[TargetGroup],
                     values: Iterable[Any]) -> list[TargetGroup]:
        """The target groups the results show for these answers (only a grid has any)."""
        return []

    def rows(self, question: Question,
             groups: Sequence[TargetGroup]) -> list[tuple[TargetGroup, list[Cell]]]:
        """The question's cells by target group of `groups` (only a grid has any)."""
        return []

    @abstractmethod
    def cells(self, question: Question, groups: Sequence[TargetGroup]) -> list[Cell]:
        """The question's inputs: the question itself, or a grid's `groups` × columns."""

    @abstractmethod
    def missing(self, question: Question, groups: Sequence[TargetGroup],
                values: Mapping[str, Any],
                others: Mapping[str, Question] | None = None) -> dict[str, str]:
        """What a submission of `values` still lacks for this question, by field name. The
        message says what is wrong; where (the question, a grid's target group and column) is
        the field's label, which `labelled_errors` puts beside it. `others` are the
        questionnaire's questions by key, so a condition can name the question it builds on."""


class InputField(FieldType[Raw]):
    """A type answered in one input. Used as is for a type this code does not know."""

    def parse(self, raw: Raw) -> Any:
        if isinstance(raw, list):
            if len(raw) > 1:
                raise Invalid(_("Giv kun ét svar."))
            raw = raw[0] if raw else ""
        text = raw.strip()
        if text == "":
            return None
        return self.parse_text(text)

    def parse_text(self, text: str) -> Any:
        """`parse` of a stripped, non-empty answer."""
        raise Invalid(_("Ukendt spørgsmålstype."))

    def raw(self, value: Any) -> Raw:
        return "" if value is None else self.raw_text(value)

    def raw_text(self, value: Any) -> Raw:
        return str(value)

    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        names = [r.name for r in respondents] if respondents else [""] * len(values)
        return summarise_texts(zip(names, values, strict=True))

    def column_summary(self, column: dict[str, Any], groups: Sequence[TargetGroup],
                       matrix: Matrix) -> ColumnSummary:
        """The results of one grid column of this type: the answers as texts."""
        answers = [(org.name, g.name, self.display(v))
                   for org, values in matrix for g, v in zip(groups, values, strict=True)
                   if not _empty(v)]
        return GridTexts(column=column, answers=answers)

    def cells(self, question: Question, groups: Sequence[TargetGroup]) -> list[Cell]:
        return [Cell(question, field_name(question), self)]

    def missing(self, question: Question, groups: Sequence[TargetGroup],
                values: Mapping[str, Any],
                others: Mapping[str, Question] | None = None) -> dict[str, str]:
        if not _is_empty(values.get(question.key)):
            return {}
        if question.required:
            return {field_name(question): _("Besvar spørgsmålet.")}
        if _condition_holds(question.condition, values):
            return {field_name(question): _condition_message(question.condition or {}, values,
                                                             others or {})}
        return {}


class ShortTextField(InputField):
    """A line of text; with `{"format": "email"}` an e-mail address (the app's one e-mail check,
    `text.email_problem`)."""

    name = QuestionType.SHORT_TEXT.value
    widget = "text"
    settings: ClassVar[tuple[str, ...]] = ("format",)
    max_length: ClassVar[int] = MAX_SHORT

    @property
    def is_email(self) -> bool:
        return self.config.get("format") == EMAIL_FORMAT

    def parse_text(self, text: str) -> str | None:
        if len(text) > self.max_length:
            raise Invalid(_("Svaret må højst være %(n)d tegn.", n=self.max_length))
        # Control characters go (a NUL fails on PostgreSQL); invisible-only text is refused.
        text = clean_text(text, multiline=self.widget == "textarea").strip()
        problem = text_problem(text)
        if problem is None and self.is_email:
            problem = email_problem(text)
        if problem is not None:
            raise Invalid(problem)
        return text or None


class LongTextField(ShortTextField):
    name = QuestionType.LONG_TEXT.value
    widget = "textarea"
    settings = ()
    max_length = MAX_LONG

    @property
    def is_email(self) -> bool:
        return False


def _number_cell(value: Any) -> Any:
    return value if _is_number(value) else str(value)


class NumberField(InputField):
    settings = ("min", "max")

    @abstractmethod
    def number(self, text: str) -> int | float:
        """The number typed, without the bounds."""

    def parse_text(self, text: str) -> int | float:
        value = self.number(text)
        _bounds(value, self.config)
        return value

    def show(self, value: Any) -> str:
        return format_number(value)

    def export_cell(self) -> Callable[[Any], Any]:
        return _number_cell

    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        return summarise_numbers(values)

    def column_summary(self, column: dict[str, Any], groups: Sequence[TargetGroup],
                       matrix: Matrix) -> ColumnSummary:
        rows: list[tuple[Organisation, list[float | int | None], float | int]] = []
        for org, values in matrix:
            numbers: list[float | int | None] = [v if _is_number(v) else None for v in values]
            rows.append((org, numbers, sum(v for v in numbers if v is not None)))
        group_totals: list[float | int] = [
            sum(n for n in (r[1][i] for r in rows) if n is not None) for i in range(len(groups))]
        return NumericTable(column=column, rows=rows, group_totals=group_totals,
                            total=sum(group_totals))

    def check_config(self) -> None:
        low, high = self.config.get("min"), self.config.get("max")
        if low is not None and high is not None and low > high:
            raise WorkflowError(_("Mindsteværdien er større end højesteværdien."), field="max")


class IntegerField(NumberField):
    name = QuestionType.INTEGER.value
    widget = "integer"

    def number(self, text: str) -> int:
        return parse_integer(text)


class DecimalField(NumberField):
    name = QuestionType.DECIMAL.value
    widget = "decimal"

    def number(self, text: str) -> float:
        return parse_decimal(text)

    def raw_text(self, value: Any) -> Raw:
        return format_number(value).replace(".", "") if isinstance(value, float) else str(value)


def _danish_date(value: str) -> str:
    return date.fromisoformat(value).strftime("%d.%m.%Y")


def _date_cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    return str(value)


class DateField(InputField):
    name = QuestionType.DATE.value
    widget = "date"

    def parse_text(self, text: str) -> str:
        return parse_date(text)

    def raw_text(self, value: Any) -> Raw:
        return _danish_date(value)

    def show(self, value: Any) -> str:
        return _danish_date(value)

    def export_cell(self) -> Callable[[Any], Any]:
        return _date_cell

    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        return summarise_dates(values)


class YesNoField(InputField):
    name = QuestionType.YES_NO.value
    widget = "yes_no"

    def parse_text(self, text: str) -> bool:
        if text not in ("ja", "nej"):
            raise Invalid(_("Vælg ja eller nej."))
        return text == "ja"

    def raw_text(self, value: Any) -> Raw:
        return "ja" if value else "nej"

    def show(self, value: Any) -> str:
        return _("Ja") if value else _("Nej")

    def export_cell(self) -> Callable[[Any], Any]:
        yes, no = _("Ja"), _("Nej")
        return lambda value: yes if value else no

    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        return summarise_yes_no(values)

    def condition_values(self) -> list[Any] | None:
        return [True, False]


class ChoiceField(InputField):
    settings = ("choices",)

    @property
    def choices(self) -> list[str]:
        return list(self.config.get("choices") or [])

    def check_config(self) -> None:
        choices = self.choices
        if len(choices) < 2:
            raise WorkflowError(_("Angiv mindst to svarmuligheder, én pr. linje."),
                                field="choices")
        if len(set(choices)) != len(choices):
            raise WorkflowError(_("Svarmulighederne skal være forskellige."), field="choices")


class SingleChoiceField(ChoiceField):
    name = QuestionType.SINGLE_CHOICE.value
    widget = "single_choice"

    def parse_text(self, text: str) -> str:
        if text not in self.choices:
            raise Invalid(_("Vælg en af de viste muligheder."))
        return text

    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        return summarise_options(values, self.choices)

    def condition_values(self) -> list[Any] | None:
        return self.choices


def _joined_cell(value: Any) -> Any:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)


class MultipleChoiceField(ChoiceField):
    name = QuestionType.MULTIPLE_CHOICE.value
    widget = "multiple_choice"
    many = True

    def parse(self, raw: Raw) -> list[str] | None:
        chosen = [raw] if isinstance(raw, str) else list(raw)
        chosen = [c for c in chosen if c != ""]
        offered = self.choices
        if any(c not in offered for c in chosen):
            raise Invalid(_("Vælg kun blandt de viste muligheder."))
        return [c for c in offered if c in chosen] or None

    def raw(self, value: Any) -> Raw:
        return [] if value is None else list(value)

    def show(self, value: Any) -> str:
        return "; ".join(value)

    def export_cell(self) -> Callable[[Any], Any]:
        return _joined_cell

    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        return summarise_options(values, self.choices, multiple=True)


class ScaleField(InputField):
    """1 (lowest) to 5 (highest), and "Ved ikke" when `allow_dont_know` is set."""

    name = QuestionType.SCALE.value
    widget = "scale"
    settings = ("allow_dont_know",)

    @property
    def allow_dont_know(self) -> bool:
        return bool(self.config.get("allow_dont_know"))

    def parse_text(self, text: str) -> int | str:
        if text == DONT_KNOW and self.allow_dont_know:
            return DONT_KNOW
        if text not in {str(v) for v in SCALE_VALUES}:
            raise Invalid(_("Vælg et tal fra 1 til 5."))
        return int(text)

    def export_cell(self) -> Callable[[Any], Any]:
        return _number_cell

    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        return summarise_scale(values, self.allow_dont_know)

    def column_summary(self, column: dict[str, Any], groups: Sequence[TargetGroup],
                       matrix: Matrix) -> ColumnSummary:
        rows: list[tuple[Organisation, list[int | str | None]]] = [
            (org, [v if v == DONT_KNOW or (_is_number(v) and v in SCALE_VALUES) else None
                   for v in values])
            for org, values in matrix]
        means: list[float | None] = []
        for i in range(len(groups)):
            rated = [v for v in (r[1][i] for r in rows) if isinstance(v, int | float)]
            means.append(sum(rated) / len(rated) if rated else None)
        flat = [v for _org, values in rows for v in values]
        return Heatmap(column=column, rows=rows, group_means=means,
                       dont_know=sum(1 for v in flat if v == DONT_KNOW),
                       missing=sum(1 for v in flat if v is None))

    def condition_values(self) -> list[Any] | None:
        return list(SCALE_VALUES)


# A grid column's types, by the name a column stores; in the order the builder offers them.
COLUMN_FIELD_TYPES: dict[str, type[InputField]] = {
    "integer": IntegerField,
    "decimal": DecimalField,
    "scale": ScaleField,
    "text": ShortTextField,
}


def column_type(column: Mapping[str, Any]) -> InputField:
    """A grid column's type, bound to the column's settings (min, max, allow_dont_know)."""
    return COLUMN_FIELD_TYPES.get(column.get("type", "text"), InputField)(column)


class GridField(FieldType[GridRaw]):
    """A target-group grid: a row per active target group of its audience, a column per
    `columns` entry. Each cell is typed by its column; `rows` and `cells` walk them."""

    name = QuestionType.GRID.value
    widget = "grid"
    settings = ("audience", "columns")
    compound = True

    @property
    def columns(self) -> list[dict[str, Any]]:
        return list(self.config.get("columns") or [])

    def parse(self, raw: GridRaw) -> dict[str, dict[str, Any]] | None:
        """A whole table from its inputs, {target group id: {column key: raw}}, stopping at the
        first cell in error. The answer form goes cell by cell instead (`cells`), so that every
        cell gets its own message."""
        table: dict[str, dict[str, Any]] = {}
        for group_id, row in raw.items():
            for column in self.columns:
                if column["key"] not in row:
                    continue
                value = column_type(column).parse(row[column["key"]])
                if value is not None:
                    table.setdefault(str(group_id), {})[column["key"]] = value
        return table or None

    def raw(self, value: Any) -> GridRaw:
        return {str(group_id): {c["key"]: column_type(c).raw(_mapping(row).get(c["key"]))
                                for c in self.columns}
                for group_id, row in _mapping(value).items()}

    def show(self, value: Any) -> str:
        """Each target group's answered cells as "column: answer", the groups apart by "; ".
        The table holds no names of target groups: the receipt and the printable page walk
        `rows` to name them."""
        shown = []
        for row in _mapping(value).values():
            texts = [f"{c['label']}: {column_type(c).display(_mapping(row).get(c['key']))}"
                     for c in self.columns if not _is_empty(_mapping(row).get(c["key"]))]
            if texts:
                shown.append(", ".join(texts))
        return "; ".join(shown)

    def export_cell(self) -> Callable[[Any], Any]:
        return self.show

    def summary(self, values: Sequence[Any], respondents: Sequence[Organisation] = (),
                groups: Sequence[TargetGroup] = ()) -> Summary:
        """Per column: numbers as a table with totals, a scale as a heatmap, the rest as texts;
        rows are the respondents, columns the target groups shown."""
        shown = self.shown_groups(groups, values)
        tables = [(org, _mapping(value)) for org, value in zip(respondents, values, strict=True)]
        parts: list[ColumnSummary] = []
        for column in self.columns:
            matrix = [(org, [_mapping(table.get(str(g.id))).get(column["key"]) for g in shown])
                      for org, table in tables]
            parts.append(column_type(column).column_summary(column, shown, matrix))
        return GridSummary(groups=shown,
                           numeric=[p for p in parts if isinstance(p, NumericTable)],
                           heatmaps=[p for p in parts if isinstance(p, Heatmap)],
                           texts=[p for p in parts if isinstance(p, GridTexts)])

    def check_config(self) -> None:
        columns = self.columns
        if not columns:
            raise WorkflowError(_("Et målgruppeskema skal have mindst én kolonne."),
                                field="columns")
        keys = [c.get("key") for c in columns]
        if len(set(keys)) != len(keys):
            raise WorkflowError(_("To kolonner har samme navn."), field="columns")
        for column in columns:
            if column.get("type") not in COLUMN_FIELD_TYPES:
                raise WorkflowError(_("Ukendt kolonnetype."), field="columns")
            rule = column.get("required_when")
            if rule and rule.get("column") not in keys:
                raise WorkflowError(_("En betingelse peger på en kolonne, der ikke findes."),
                                    field="columns")
        if self.config.get("audience") not in {a.value for a in TargetAudience}:
            raise WorkflowError(_("Vælg om skemaet gælder børn og unge eller voksne."),
                                field="audience")

    def active_groups(self, groups: Iterable[TargetGroup]) -> list[TargetGroup]:
        audience = self.config.get("audience")
        return [g for g in groups if g.active and (not audience or g.audience.value == audience)]

    def shown_groups(self, groups: Iterable[TargetGroup],
                     values: Iterable[Any]) -> list[TargetGroup]:
        """The active target groups of the audience, and any inactive one that was answered (a
        group switched off later must not make submitted answers disappear)."""
        audience = self.config.get("audience")
        answered: set[str] = set()
        for value in values:
            answered.update(_mapping(value))
        return [g for g in groups
                if (not audience or g.audience.value == audience)
                and (g.active or str(g.id) in answered)]

    def rows(self, question: Question,
             groups: Sequence[TargetGroup]) -> list[tuple[TargetGroup, list[Cell]]]:
        """The grid's cells, a row per target group of `groups`, a cell per column."""
        columns = [(c, column_type(c)) for c in self.columns]
        return [(group, [Cell(question, field_name(question, group.id, c["key"]), kind, group, c)
                         for c, kind in columns])
                for group in groups]

    def cells(self, question: Question, groups: Sequence[TargetGroup]) -> list[Cell]:
        return [cell for _group, row in self.rows(question, groups) for cell in row]

    def missing(self, question: Question, groups: Sequence[TargetGroup],
                values: Mapping[str, Any],
                others: Mapping[str, Question] | None = None) -> dict[str, str]:
        """Required columns, columns another column's answer requires, and for a required grid
        at least one target group (that message belongs to the grid as a whole: its name is
        the question's, `field_name(question)`)."""
        errors: dict[str, str] = {}
        table = _mapping(values.get(question.key))
        columns = {c["key"]: c for c in self.columns}
        shown = self.active_groups(groups)
        for group, cells in self.rows(question, shown):
            row = _mapping(table.get(str(group.id)))
            for cell in cells:
                column = cell.column or {}
                if not _is_empty(row.get(column["key"])):
                    continue
                rule = column.get("required_when")
                if rule and row.get(rule.get("column")) in rule.get("in", []):
                    other = columns.get(rule["column"], {"label": rule["column"]})
                    errors[cell.name] = _(
                        "Udfyld feltet. Det er påkrævet, når “%(other)s” er %(values)s.",
                        other=other["label"],
                        values=join_or(column_type(other).display(v) for v in rule["in"]))
                elif column.get("required"):
                    errors[cell.name] = _("Udfyld feltet.")
        if question.required and not table and shown and self.columns:
            errors.setdefault(field_name(question),
                              _("Udfyld skemaet for mindst én målgruppe."))
        return errors


FIELD_TYPES: dict[QuestionType, type[FieldType[Any]]] = {
    QuestionType.SHORT_TEXT: ShortTextField,
    QuestionType.LONG_TEXT: LongTextField,
    QuestionType.INTEGER: IntegerField,
    QuestionType.DECIMAL: DecimalField,
    QuestionType.DATE: DateField,
    QuestionType.YES_NO: YesNoField,
    QuestionType.SINGLE_CHOICE: SingleChoiceField,
    QuestionType.MULTIPLE_CHOICE: MultipleChoiceField,
    QuestionType.SCALE: ScaleField,
    QuestionType.GRID: GridField,
}


def field_type(question: Question) -> FieldType[Any]:
    """The question's type, bound to its config."""
    return FIELD_TYPES[question.type](question.config or {})


def type_named(kind: str, config: Mapping[str, Any] | None = None) -> FieldType[Any]:
    """A type by its stored name: a question type, or a grid column type ("text")."""
    if kind in COLUMN_FIELD_TYPES:
        return COLUMN_FIELD_TYPES[kind](config)
    if kind in {t.value for t in QuestionType}:
        return FIELD_TYPES[QuestionType(kind)](config)
    return InputField(config)


def display(value: Any, kind: str) -> str:
    """An answer as text for people, by the name of its type (see `FieldType.display`)."""
    return type_named(kind).display(value)


# -- whole forms --------------------------------------------------------------------------

def form_cells(question: Question, groups: Sequence[TargetGroup]) -> list[Cell]:
    """The answer form's inputs for a question: a grid's for the active target groups."""
    kind = field_type(question)
    return kind.cells(question, kind.active_groups(groups))


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
        for cell in form_cells(question, group_list):
            known.add(cell.name)
            value = _parse_field(sheet, cell, formdata)
            if value is not None:
                cell.put(sheet.values, value)
    unknown = [k for k in formdata if k.startswith(PREFIX) and k not in known]
    if unknown:
        sheet.errors["_unknown"] = _(
            "Formularen indeholdt svar på spørgsmål, der ikke findes (længere). Intet er gemt; "
            "genindlæs siden, hvis skemaet er blevet ændret.")
    return sheet


def merge_answers(stored: Mapping[str, Any], questions: Iterable[Question],
                  posted: Mapping[str, Any]) -> dict[str, Any]:
    """The answers after saving one section's page of a long questionnaire: every stored answer
    to a question outside `questions` as it is, and those questions' answers as posted (one
    left empty on the page is cleared, not kept from before)."""
    keys = {q.key for q in questions}
    merged = {k: v for k, v in stored.items() if k not in keys}
    merged.update((k, v) for k, v in posted.items() if k in keys)
    return merged


def _parse_field(sheet: AnswerSheet, cell: Cell, formdata: Any) -> Any:
    """Keep the raw input, record an error, return the typed value (None for none)."""
    raw = _get(formdata, cell.name)
    if raw is None:
        return None
    sheet.raw[cell.name] = raw if cell.field.many else raw[0]
    try:
        return cell.field.parse(raw)
    except Invalid as error:
        sheet.errors[cell.name] = str(error)
        return None


def _condition_message(condition: Mapping[str, Any], values: Mapping[str, Any],
                       others: Mapping[str, Question]) -> str:
    """Why a conditional question must be answered: the question it builds on and the answer
    given there ("… fordi svaret på “Planer” er “Ja”")."""
    other = others.get(condition.get("question", ""))
    if other is None:  # a condition on a question that is gone: say what we can
        return _("Besvar spørgsmålet. Det er påkrævet ud fra svaret på et andet spørgsmål.")
    answer = values.get(other.key)
    wanted = condition.get("in", [])
    given = [a for a in answer if a in wanted] if isinstance(answer, list) else [answer]
    kind = field_type(other)
    return _("Besvar spørgsmålet. Det er påkrævet, fordi svaret på “%(question)s” er "
             "%(answer)s.", question=other.label,
             answer=join_or(f"“{kind.display(a)}”" for a in given))


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
    question_list = list(questions)
    by_key = {q.key: q for q in question_list}
    for question in question_list:
        errors.update(field_type(question).missing(question, group_list, values, by_key))
    return errors


@dataclass(frozen=True)
class FieldError:
    """One message of the answer form, with where it belongs: `label` names the question (for a
    grid cell "question – target group – column"), `anchor` is the input the summary links to."""

    name: str
    anchor: str
    label: str
    message: str


def labelled_errors(questions: Iterable[Question], groups: Iterable[TargetGroup],
                    errors: Mapping[str, str]) -> list[FieldError]:
    """The answer form's errors in the form's order, each with its question's (and cell's)
    label: the error summary shows "label: message", so no message stands without its field.
    A grid's own message (no target group answered) links to its first cell."""
    out: list[FieldError] = []
    seen: set[str] = set()
    group_list = list(groups)
    for question in questions:
        cells = form_cells(question, group_list)
        whole = field_name(question)
        if whole in errors and (not cells or cells[0].name != whole):
            out.append(FieldError(whole, cells[0].name if cells else whole, question.label,
                                  errors[whole]))
            seen.add(whole)
        for cell in cells:
            if cell.name in errors:
                out.append(FieldError(cell.name, cell.name, cell.label, errors[cell.name]))
                seen.add(cell.name)
    out.extend(FieldError(name, name, "", message)
               for name, message in errors.items() if name not in seen)
    return out


def raw_from_values(
    questions: Iterable[Question], groups: Iterable[TargetGroup], values: Mapping[str, Any]
) -> dict[str, Raw]:
    raw: dict[str, Raw] = {}
    group_list = list(groups)
    for question in questions:
        for cell in form_cells(question, group_list):
            raw[cell.name] = cell.field.raw(cell.get(values))
    return raw
