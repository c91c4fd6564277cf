"""A questionnaire's results: what the secretariat reads, prints and exports.

Two halves. *Gathering* loads the rows a page or an export needs in a fixed number of queries,
whatever the number of organisations and questions. *Summarising* is pure functions over those
loaded rows (no database access), so it is easy to test and cheap to run.

Results always come from each organisation's LATEST SUBMISSION (the `submissions` table): a
reopened response still counts with what it last submitted, and a draft never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeGuard

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from .. import exports
from ..extensions import db
from ..formatting import danish_key, format_datetime
from ..models import (
    DeadlineExtension,
    Organisation,
    Question,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    QuestionType,
    Section,
    Submission,
    TargetGroup,
)
from ..workflows.questionnaires.fields import DONT_KNOW, SCALE_VALUES, display
from ..workflows.questionnaires.responses import BOARD_LABELS as STATUS_LABELS
from ..workflows.questionnaires.responses import status_of, target_groups

NUMERIC = (QuestionType.INTEGER.value, QuestionType.DECIMAL.value)
TEXTUAL = (QuestionType.SHORT_TEXT.value, QuestionType.LONG_TEXT.value, "text")

# Danish alphabetical order: Æ, Ø, Å come last, in that order (Python's code points put Å first).


# -- gathering ------------------------------------------------------------------------------


def recipient_organisations(questionnaire: Questionnaire) -> list[Organisation]:
    """The questionnaire's recipients in Danish alphabetical order (one query)."""
    orgs = db.session.scalars(
        select(Organisation)
        .join(QuestionnaireRecipient, QuestionnaireRecipient.organisation_id == Organisation.id)
        .where(QuestionnaireRecipient.questionnaire_id == questionnaire.id))
    return sorted(orgs, key=lambda o: danish_key(o.name))


def latest_submissions(questionnaire_id: int,
                       organisation_id: int | None = None) -> dict[int, Submission]:
    """Each organisation's latest submission to the questionnaire (one query).

    Ties on the time go to the newest row, so the answer is the same on every database."""
    ranked = (
        select(Submission.id.label("id"), func.row_number().over(
            partition_by=Submission.organisation_id,
            order_by=(Submission.submitted_at.desc(), Submission.id.desc())).label("n"))
        .where(Submission.questionnaire_id == questionnaire_id))
    if organisation_id is not None:
        ranked = ranked.where(Submission.organisation_id == organisation_id)
    ranked_sub = ranked.subquery()
    latest = aliased(Submission)
    rows = db.session.scalars(
        select(latest).join(ranked_sub, ranked_sub.c.id == latest.id).where(ranked_sub.c.n == 1))
    return {s.organisation_id: s for s in rows}


@dataclass
class ResultData:
    """Everything the results page and the exports read, loaded once."""

    questionnaire: Questionnaire
    groups: list[TargetGroup]
    organisations: list[Organisation]
    latest: dict[int, Submission]
    responses: dict[int, QuestionnaireResponse] = field(default_factory=dict)
    extensions: dict[int, DeadlineExtension] = field(default_factory=dict)

    @property
    def submitted(self) -> list[Organisation]:
        """Recipients with at least one submission, in the organisations' order."""
        return [o for o in self.organisations if o.id in self.latest]


def gather(questionnaire: Questionnaire, *, with_status: bool = False) -> ResultData:
    """Load what the results need; the questionnaire comes with its sections, questions and
    recipients (`scoped_questionnaire_or_404`). Submissions of organisations that are no longer
    recipients are left out, so that "x of y have submitted" adds up."""
    organisations = recipient_organisations(questionnaire)
    wanted = {o.id for o in organisations}
    latest = {k: v for k, v in latest_submissions(questionnaire.id).items() if k in wanted}
    data = ResultData(questionnaire=questionnaire,
                      groups=target_groups(questionnaire.cycle.region_id),
                      organisations=organisations, latest=latest)
    if with_status:
        data.responses = {r.organisation_id: r for r in db.session.scalars(
            select(QuestionnaireResponse).where(
                QuestionnaireResponse.questionnaire_id == questionnaire.id))}
        data.extensions = {e.organisation_id: e for e in db.session.scalars(
            select(DeadlineExtension).where(
                DeadlineExtension.questionnaire_id == questionnaire.id))}
    return data


# -- which target groups a grid shows -------------------------------------------------------


def result_groups(question: Question, groups: Iterable[TargetGroup],
                  answer_sets: Iterable[Mapping[str, Any]] = ()) -> list[TargetGroup]:
    """The grid's target groups: the active ones of its audience, and any inactive one that was
    answered (a group switched off later must not make submitted answers disappear)."""
    audience = question.config.get("audience")
    answered: set[str] = set()
    for answers in answer_sets:
        cells = answers.get(question.key)
        if isinstance(cells, Mapping):
            answered.update(cells)
    return [g for g in groups
            if (not audience or g.audience.value == audience)
            and (g.active or str(g.id) in answered)]


def columns_of(question: Question) -> list[dict[str, Any]]:
    return list(question.config.get("columns", []))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _mapping(value: Any) -> Mapping[str, Any]:
    """A grid's stored cells, or nothing if what is stored is not a grid (never a crash)."""
    return value if isinstance(value, Mapping) else {}


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


# -- summaries (pure) -----------------------------------------------------------------------


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
    """One scale grid column: organisations × target groups, 1–5, "dont_know" or None. A rating
    is kept as stored, so 1–5 may come as a float (3.0) from JSON written elsewhere."""

    column: dict[str, Any]
    rows: list[tuple[Organisation, list[int | float | str | None]]]
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
    return OptionSummary(rows=list(counts.items()), answered=answered)


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


def summarise_grid(question: Question, groups: Sequence[TargetGroup],
                   rows: Sequence[tuple[Organisation, Mapping[str, Any]]]) -> GridSummary:
    """`rows`: (organisation, its submitted answers) for every organisation that submitted."""
    shown = result_groups(question, groups, (answers for _org, answers in rows))
    cells = [(org, _mapping(answers.get(question.key))) for org, answers in rows]
    numeric: list[NumericTable] = []
    heatmaps: list[Heatmap] = []
    texts: list[GridTexts] = []
    for column in columns_of(question):
        key, kind = column["key"], column.get("type", "text")
        matrix = [(org, [_mapping(grid.get(str(g.id))).get(key) for g in shown])
                  for org, grid in cells]
        if kind in NUMERIC:
            table_rows = []
            for org, values in matrix:
                numbers = [v if _is_number(v) else None for v in values]
                table_rows.append((org, numbers, sum(v for v in numbers if v is not None)))
            group_totals: list[float | int] = [
                sum(number for r in table_rows if (number := r[1][i]) is not None)
                for i in range(len(shown))]
            numeric.append(NumericTable(column=column, rows=table_rows,
                                        group_totals=group_totals, total=sum(group_totals)))
        elif kind == QuestionType.SCALE.value:
            heat_rows = []
            for org, values in matrix:
                heat_rows.append((org, [v if v == DONT_KNOW or (_is_number(v) and v in
                                                                  SCALE_VALUES) else None
                                        for v in values]))
            means = []
            for i in range(len(shown)):
                rated = [rating for r in heat_rows if _is_number(rating := r[1][i])]
                means.append(sum(rated) / len(rated) if rated else None)
            flat = [v for _org, values in heat_rows for v in values]
            heatmaps.append(Heatmap(column=column, rows=heat_rows, group_means=means,
                                    dont_know=sum(1 for v in flat if v == DONT_KNOW),
                                    missing=sum(1 for v in flat if v is None)))
        else:
            answers = [(org.name, g.name, display(v, kind))
                       for org, values in matrix for g, v in zip(shown, values, strict=True)
                       if not _empty(v)]
            texts.append(GridTexts(column=column, answers=answers))
    return GridSummary(groups=shown, numeric=numeric, heatmaps=heatmaps, texts=texts)


def summarise(question: Question, groups: Sequence[TargetGroup],
              rows: Sequence[tuple[Organisation, Mapping[str, Any]]]) -> Summary:
    """The summary of one question over every organisation's submitted answers."""
    kind = question.type.value
    if kind == QuestionType.GRID.value:
        return summarise_grid(question, groups, rows)
    values = [answers.get(question.key) for _org, answers in rows]
    if kind in NUMERIC:
        return summarise_numbers(values)
    if kind == QuestionType.YES_NO.value:
        return summarise_yes_no(values)
    if kind == QuestionType.SINGLE_CHOICE.value:
        return summarise_options(values, question.config.get("choices", []))
    if kind == QuestionType.MULTIPLE_CHOICE.value:
        return summarise_options(values, question.config.get("choices", []), multiple=True)
    if kind == QuestionType.SCALE.value:
        return summarise_scale(values, bool(question.config.get("allow_dont_know")))
    if kind == QuestionType.DATE.value:
        return summarise_dates(values)
    return summarise_texts((org.name, answers.get(question.key)) for org, answers in rows)


@dataclass
class SectionResult:
    section: Section
    questions: list[tuple[Question, Summary]]


def summarise_all(data: ResultData) -> list[SectionResult]:
    rows = [(org, data.latest[org.id].answers or {}) for org in data.submitted]
    return [SectionResult(section=s, questions=[(q, summarise(q, data.groups, rows))
                                                for q in s.questions])
            for s in data.questionnaire.sections]


# -- one organisation's response, beside last year's ------------------------------------------


@dataclass
class AnswerRow:
    """A question with this year's and last year's answer, as text; grids as a table."""

    question: Question
    current: str = ""
    previous: str = ""
    groups: list[TargetGroup] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    # grid cells: [(group, [(current text, previous text) per column])]
    cells: list[tuple[TargetGroup, list[tuple[str, str]]]] = field(default_factory=list)

    @property
    def is_grid(self) -> bool:
        return self.question.type == QuestionType.GRID


@dataclass
class AnswerSection:
    section: Section
    # Runs of plain questions (shown as one table) and single grids, in the questions' order.
    blocks: list[list[AnswerRow]]


def answer_rows(questionnaire: Questionnaire, groups: Sequence[TargetGroup],
                current: Mapping[str, Any],
                previous: Mapping[str, Any] | None) -> list[AnswerSection]:
    """Every question of the questionnaire with the answers shown as text. `previous` is the
    same organisation's answers to the questionnaire this one was cloned from, matched on the
    question key (and for grids on target group and column key)."""
    before = previous or {}
    out = []
    for section in questionnaire.sections:
        blocks: list[list[AnswerRow]] = []
        for question in section.questions:
            if question.type == QuestionType.GRID:
                columns = columns_of(question)
                shown = result_groups(question, groups, [current, before])
                now_cells = _mapping(current.get(question.key))
                old_cells = _mapping(before.get(question.key))
                cells = []
                for group in shown:
                    mine = _mapping(now_cells.get(str(group.id)))
                    old = _mapping(old_cells.get(str(group.id)))
                    cells.append((group, [
                        (display(mine.get(c["key"]), c.get("type", "text")),
                         display(old.get(c["key"]), c.get("type", "text")))
                        for c in columns]))
                blocks.append([AnswerRow(question=question, groups=shown, columns=columns,
                                         cells=cells)])
                continue
            row = AnswerRow(question=question,
                            current=display(current.get(question.key), question.type),
                            previous=display(before.get(question.key), question.type))
            if blocks and not blocks[-1][0].is_grid:
                blocks[-1].append(row)
            else:
                blocks.append([row])
        out.append(AnswerSection(section=section, blocks=blocks))
    return out


# -- the export table -----------------------------------------------------------------------


@dataclass
class ExportTable:
    headers: list[str]
    rows: list[list[Any]]  # str, int, float or None; numbers stay numbers


def export_value(value: Any, kind: str) -> Any:
    """A stored answer as an export cell: numbers (and scale answers) as numbers, the rest as
    the Danish text people see (Ja/Nej, dd.mm.åååå, "Ved ikke", choices joined by "; ")."""
    return exporter(kind)(value)


def exporter(kind: str) -> Callable[[Any], Any]:
    """`export_value` for one kind, with its labels translated once: an export converts tens of
    thousands of cells, and a gettext call per cell would cost more than writing the file."""
    dont_know, yes, no = _("Ved ikke"), _("Ja"), _("Nej")

    def convert(value: Any) -> Any:
        if value is None or value == "" or value == [] or value == {}:
            return None
        if value == DONT_KNOW:
            return dont_know
        if kind in NUMERIC or kind == QuestionType.SCALE.value:
            return value if _is_number(value) else str(value)
        if kind == QuestionType.YES_NO.value:
            return yes if value else no
        if kind == QuestionType.MULTIPLE_CHOICE.value and isinstance(value, list):
            return "; ".join(str(v) for v in value)
        if kind == QuestionType.DATE.value and isinstance(value, str) and len(value) == 10:
            return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
        return str(value)

    return convert


def export_table(data: ResultData) -> ExportTable:
    """One row per recipient organisation, one column per question or grid cell."""
    questions = data.questionnaire.questions()
    answer_sets = [s.answers or {} for s in data.latest.values()]
    # (question key, group id or None, column key or None, kind)
    plan: list[tuple[str, str | None, str | None, Callable[[Any], Any]]] = []
    headers = [_("Organisation"), _("Status"), _("Indsendt"), _("Indsendt af")]
    for question in questions:
        if question.type == QuestionType.GRID:
            for group in result_groups(question, data.groups, answer_sets):
                for column in columns_of(question):
                    headers.append(f"{question.label} – {group.name} – {column['label']}")
                    plan.append((question.key, str(group.id), column["key"],
                                 exporter(column.get("type", "text"))))
        else:
            headers.append(question.label)
            plan.append((question.key, None, None, exporter(question.type.value)))
    rows: list[list[Any]] = []
    for org in data.organisations:
        status = status_of(data.responses.get(org.id), data.extensions.get(org.id))
        submission = data.latest.get(org.id)
        row: list[Any] = [org.name, str(STATUS_LABELS[status])]
        if submission is None:
            row.extend([None, None])
            row.extend([None] * len(plan))
        else:
            row.extend([format_datetime(submission.submitted_at),
                        submission.submitted_by_name or None])
            answers = submission.answers or {}
            for key, group_id, column_key, convert in plan:
                value = answers.get(key)
                if group_id is not None:
                    cells = value.get(group_id) if isinstance(value, Mapping) else None
                    value = cells.get(column_key) if isinstance(cells, Mapping) else None
                row.append(convert(value))
        rows.append(row)
    return ExportTable(headers=headers, rows=rows)


def csv_export(questionnaire: Questionnaire) -> bytes:
    """The CSV file of a questionnaire loaded by `scoped_questionnaire_or_404`."""
    table = export_table(gather(questionnaire, with_status=True))
    return exports.write_csv(table.headers, table.rows)


def xlsx_export(questionnaire: Questionnaire) -> bytes:
    """The XLSX file of a questionnaire loaded by `scoped_questionnaire_or_404`: what the view
    sends and what `bench/export_xlsx.py` times."""
    table = export_table(gather(questionnaire, with_status=True))
    widths = [32, 16, 20, 24] + [22] * (len(table.headers) - 4)
    return exports.write_xlsx(table.headers, table.rows, sheet_title=questionnaire.title,
                              widths=widths)
