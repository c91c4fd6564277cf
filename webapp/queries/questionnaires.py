"""A questionnaire's results: what the secretariat reads, prints and exports.

Two halves. *Gathering* loads the rows a page or an export needs in a fixed number of queries,
whatever the number of organisations and questions. *Summarising* is pure functions over those
loaded rows (no database access), so it is easy to test and cheap to run.

Results always come from each organisation's LATEST SUBMISSION (the `submissions` table): a
reopened response still counts with what it last submitted, and a draft never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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
    Section,
    Submission,
    TargetGroup,
)
from ..workflows.questionnaires.fields import Cell, Summary, field_type

# The summaries live with the question types now; the results pages read them from here too.
from ..workflows.questionnaires.fields import DateSummary as DateSummary
from ..workflows.questionnaires.fields import GridSummary as GridSummary
from ..workflows.questionnaires.fields import GridTexts as GridTexts
from ..workflows.questionnaires.fields import Heatmap as Heatmap
from ..workflows.questionnaires.fields import NumberSummary as NumberSummary
from ..workflows.questionnaires.fields import NumericTable as NumericTable
from ..workflows.questionnaires.fields import OptionSummary as OptionSummary
from ..workflows.questionnaires.fields import ScaleSummary as ScaleSummary
from ..workflows.questionnaires.fields import TextSummary as TextSummary
from ..workflows.questionnaires.fields import summarise_dates as summarise_dates
from ..workflows.questionnaires.fields import summarise_numbers as summarise_numbers
from ..workflows.questionnaires.fields import summarise_options as summarise_options
from ..workflows.questionnaires.fields import summarise_scale as summarise_scale
from ..workflows.questionnaires.fields import summarise_texts as summarise_texts
from ..workflows.questionnaires.fields import summarise_yes_no as summarise_yes_no
from ..workflows.questionnaires.responses import BOARD_LABELS as STATUS_LABELS
from ..workflows.questionnaires.responses import status_of, target_groups

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


def columns_of(question: Question) -> list[dict[str, Any]]:
    return list(question.config.get("columns", []))


# -- summaries (pure; the summarising lives with the question types) ------------------------


def summarise(question: Question, groups: Sequence[TargetGroup],
              rows: Sequence[tuple[Organisation, Mapping[str, Any]]]) -> Summary:
    """The summary of one question over every organisation's submitted answers."""
    return field_type(question).summary([answers.get(question.key) for _org, answers in rows],
                                        [org for org, _answers in rows], groups)


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
        return field_type(self.question).compound


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
            kind = field_type(question)
            if kind.compound:
                shown = kind.shown_groups(groups, [current.get(question.key),
                                                   before.get(question.key)])
                cells = [(group, [(c.display(current), c.display(before)) for c in row])
                         for group, row in kind.rows(question, shown)]
                blocks.append([AnswerRow(question=question, groups=shown,
                                         columns=columns_of(question), cells=cells)])
                continue
            row = AnswerRow(question=question,
                            current=kind.display(current.get(question.key)),
                            previous=kind.display(before.get(question.key)))
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


def export_table(data: ResultData) -> ExportTable:
    """One row per recipient organisation, one column per question or grid cell."""
    questions = data.questionnaire.questions()
    answer_sets = [s.answers or {} for s in data.latest.values()]
    # Each column's cell and its converter, made once: the rows reuse them.
    plan: list[tuple[Cell, Callable[[Any], Any]]] = []
    headers = [_("Organisation"), _("Status"), _("Indsendt"), _("Indsendt af")]
    for question in questions:
        kind = field_type(question)
        shown = kind.shown_groups(data.groups, [a.get(question.key) for a in answer_sets])
        for cell in kind.cells(question, shown):
            headers.append(cell.label)
            plan.append((cell, cell.field.exporter()))
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
            row.extend(convert(cell.get(answers)) for cell, convert in plan)
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
