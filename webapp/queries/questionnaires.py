"""Reading questionnaires: the scoped loaders, the status board, and the results the secretariat
reads, prints and exports. Pages and the API read through these same functions.

Loading: `scoped_questionnaire_or_404`, `recipient_or_404`, `own_response`, `target_groups`, and
`status_board` (who has submitted, drafted, been reopened or given more time).

Results come in two halves. *Gathering* loads the rows a page or an export needs in a fixed
number of queries, whatever the number of organisations and questions. *Summarising* is pure
functions over those loaded rows (no database access), so it is easy to test and cheap to run.

Results always come from each organisation's LATEST SUBMISSION (the `submissions` table): a
reopened response still counts with what it last submitted, and a draft never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from .. import exports, revision
from ..extensions import db
from ..formatting import danish_key, format_datetime
from ..i18n import gettext as _
from ..models import (
    Cycle,
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
from ..permissions import can
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
from ..workflows.questionnaires.responses import STATUS_BOARD_LABELS as STATUS_LABELS
from ..workflows.questionnaires.responses import (
    Deadline,
    deadline_for,
    effective_deadline,
    is_recipient,
    status_of,
)

# Danish alphabetical order: Æ, Ø, Å come last, in that order (Python's code points put Å first).


# -- loading --------------------------------------------------------------------------------


# Where the questionnaire belongs (always loaded), whom it is for (the answering permissions ask
# it), and its sections and questions.
_PLACE = (joinedload(Questionnaire.cycle), joinedload(Questionnaire.milestone))
_RECIPIENTS = (selectinload(Questionnaire.recipients),)
_STRUCTURE = (selectinload(Questionnaire.sections).selectinload(Section.questions),)


def scoped_questionnaire_or_404(questionnaire_id: int, user: Any, *, structure: bool = True,
                                recipients: bool = True) -> Questionnaire:
    """A questionnaire of the user's region, with its milestone and cycle, its recipients
    (unless `recipients=False`: a page for roles that need not be one) and its sections and
    questions (unless `structure=False`: a page whose content is kept, see `load_structure`),
    in a fixed number of queries; another region's or an unknown id is a 404."""
    options = (*_PLACE, *(_RECIPIENTS if recipients or structure else ()),
               *(_STRUCTURE if structure else ()))
    questionnaire = db.session.scalar(
        select(Questionnaire)
        .join(Cycle, Questionnaire.cycle_id == Cycle.id)
        .where(Questionnaire.id == questionnaire_id, Cycle.region_id == user.region_id)
        .options(*options)
    )
    # A questionnaire of a draft cycle is as hidden as the draft itself.
    if questionnaire is None or not can(user, "cycle.view", questionnaire.cycle):
        abort(404)
    return questionnaire


def load_structure(questionnaire: Questionnaire) -> Questionnaire:
    """Recipients, sections and questions onto a questionnaire loaded without them: for a page
    that needs them only when its kept content is out of date."""
    db.session.execute(
        select(Questionnaire).where(Questionnaire.id == questionnaire.id)
        .options(*_PLACE, *_RECIPIENTS, *_STRUCTURE).execution_options(populate_existing=True)
    ).all()
    return questionnaire


# A questionnaire of this many questions or more is shown one section at a time, on the answer
# form and the results page: a page of 200 questions (the national set's) is 0.4 to 1.7 MB,
# whose time goes into carrying the bytes. Shorter ones stay on one page, read top to bottom.
PAGED_FROM_QUESTIONS = 40


@dataclass(frozen=True)
class SectionPaging:
    """Which of a long questionnaire's sections a page shows (numbered from 1), or all of them
    (`number` None) for a short one."""

    sections: list[Section]
    number: int | None

    @property
    def shown(self) -> list[Section]:
        return self.sections if self.number is None else [self.sections[self.number - 1]]

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number is not None and self.number > 1 else None

    @property
    def next(self) -> int | None:
        if self.number is None or self.number >= len(self.sections):
            return None
        return self.number + 1


def section_paging(questionnaire: Questionnaire, asked: str | None) -> SectionPaging:
    """The section `?afsnit=` asks for (the first when none is asked) of a long questionnaire,
    or every section of a short one; a number that is not one of its sections is a 404."""
    sections = list(questionnaire.sections)
    if sum(len(s.questions) for s in sections) < PAGED_FROM_QUESTIONS or not sections:
        return SectionPaging(sections, None)
    if asked is None or asked == "":
        return SectionPaging(sections, 1)
    if not (asked.isascii() and asked.isdigit()) or not 1 <= int(asked) <= len(sections):
        abort(404)
    return SectionPaging(sections, int(asked))


def recipient_or_404(questionnaire: Questionnaire, org_id: int) -> Organisation:
    """One of the questionnaire's recipient organisations, in the questionnaire's region."""
    if not is_recipient(questionnaire, org_id):
        abort(404)
    org = db.session.get(Organisation, org_id)
    if org is None or org.region_id != questionnaire.cycle.region_id:
        abort(404)
    return org


def target_groups(region_id: int) -> list[TargetGroup]:
    """The region's target groups, active or not, in the order grids show them."""
    return list(db.session.scalars(
        select(TargetGroup).where(TargetGroup.region_id == region_id)
        .order_by(TargetGroup.audience, TargetGroup.position, TargetGroup.id)))


def own_response(questionnaire_id: int, org_id: int) -> QuestionnaireResponse | None:
    return db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == questionnaire_id,
        QuestionnaireResponse.organisation_id == org_id))


def responses_and_extensions(
    questionnaire_id: int,
) -> tuple[dict[int, QuestionnaireResponse], dict[int, DeadlineExtension]]:
    """Every recipient's response and extension, by organisation id (two queries)."""
    responses = {r.organisation_id: r for r in db.session.scalars(
        select(QuestionnaireResponse).where(
            QuestionnaireResponse.questionnaire_id == questionnaire_id))}
    extensions = {e.organisation_id: e for e in db.session.scalars(
        select(DeadlineExtension).where(DeadlineExtension.questionnaire_id == questionnaire_id))}
    return responses, extensions


@dataclass
class StatusRow:
    organisation: Organisation
    response: QuestionnaireResponse | None
    extension: DeadlineExtension | None
    state: str  # one of STATUS_LABELS' keys
    deadline: Deadline  # the organisation's own deadline (an extension moves it)


@dataclass(frozen=True)
class ResponseCounts:
    """How many recipients stand where: the one count the status board, the results page and
    the API show. The four statuses add up to `total`; `extended` is a marker across them."""

    total: int
    by_status: dict[str, int]
    extended: int

    @property
    def submitted(self) -> int:
        return self.by_status["submitted"]

    @property
    def reopened(self) -> int:
        return self.by_status["reopened"]

    @property
    def draft(self) -> int:
        return self.by_status["draft"]

    @property
    def not_started(self) -> int:
        return self.by_status["not_started"]

    @property
    def in_results(self) -> int:
        """Recipients whose answers the results show: the submitted, and the reopened with the
        version they last submitted."""
        return self.submitted + self.reopened


def count_responses(organisations: Sequence[Organisation],
                    responses: Mapping[int, QuestionnaireResponse],
                    extensions: Mapping[int, DeadlineExtension],
                    closes_at: Any) -> ResponseCounts:
    """Count the recipients by `status_of`, with the extended ones as a marker (no queries)."""
    by_status = dict.fromkeys(STATUS_LABELS, 0)
    extended = 0
    for org in organisations:
        by_status[status_of(responses.get(org.id))] += 1
        extension = extensions.get(org.id)
        if effective_deadline(closes_at, extension.until if extension else None).extended:
            extended += 1
    return ResponseCounts(total=len(organisations), by_status=by_status, extended=extended)


@dataclass
class StatusBoard:
    """Every recipient with the state of its answer, in Danish alphabetical order."""

    rows: list[StatusRow]
    counts: ResponseCounts

    @property
    def total(self) -> int:
        return len(self.rows)

    def only(self, state: str) -> list[StatusRow]:
        """The rows of one status, or those with an extension ("extended"), or all."""
        if state == "extended":
            return [r for r in self.rows if r.deadline.extended]
        return [r for r in self.rows if not state or r.state == state]


def status_board(questionnaire: Questionnaire) -> StatusBoard:
    """The status board of the page and of the API (three queries, whatever the size)."""
    organisations = recipient_organisations(questionnaire)
    responses, extensions = responses_and_extensions(questionnaire.id)
    rows = []
    for org in organisations:
        response, extension = responses.get(org.id), extensions.get(org.id)
        rows.append(StatusRow(org, response, extension, status_of(response),
                              deadline_for(questionnaire, extension)))
    return StatusBoard(rows, count_responses(organisations, responses, extensions,
                                             questionnaire.closes_at))


@dataclass
class CycleQuestionnaires:
    questionnaires: list[Questionnaire]
    own: dict[int, QuestionnaireResponse]  # the organisation's response by questionnaire id
    recipient_of: set[int]  # the questionnaires the organisation is asked to answer
    deadlines: dict[int, Deadline]  # the organisation's own deadline by questionnaire id


def cycle_questionnaires(cycle: Cycle, organisation_id: int) -> CycleQuestionnaires:
    """A cycle's questionnaires with the reader's organisation's part in them, its own
    deadlines included (four queries)."""
    questionnaires = list(db.session.scalars(
        select(Questionnaire).where(Questionnaire.cycle_id == cycle.id)
        .options(joinedload(Questionnaire.milestone)).order_by(Questionnaire.id)))
    ids = [q.id for q in questionnaires]
    own = {r.questionnaire_id: r for r in db.session.scalars(select(QuestionnaireResponse).where(
        QuestionnaireResponse.organisation_id == organisation_id,
        QuestionnaireResponse.questionnaire_id.in_(ids)))}
    recipient_of = set(db.session.scalars(select(QuestionnaireRecipient.questionnaire_id).where(
        QuestionnaireRecipient.organisation_id == organisation_id)))
    extensions = {e.questionnaire_id: e for e in db.session.scalars(
        select(DeadlineExtension).where(DeadlineExtension.organisation_id == organisation_id,
                                        DeadlineExtension.questionnaire_id.in_(ids)))}
    deadlines = {q.id: deadline_for(q, extensions.get(q.id) if q.id in recipient_of else None)
                 for q in questionnaires}
    return CycleQuestionnaires(questionnaires, own, recipient_of, deadlines)


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
        data.responses, data.extensions = responses_and_extensions(questionnaire.id)
    return data


def result_counts(data: ResultData) -> ResponseCounts:
    """The status board's counts for results gathered `with_status`."""
    return count_responses(data.organisations, data.responses, data.extensions,
                           data.questionnaire.closes_at)


# -- one organisation's response, printable ---------------------------------------------------


@dataclass
class PrintableResponse:
    """One organisation's answer with its submission history and, for a cloned questionnaire,
    its answer to the source ("last year")."""

    stored: QuestionnaireResponse | None
    extension: DeadlineExtension | None
    history: list[Submission]
    source: Any  # (id, title, cycle_title) of the questionnaire this one was cloned from
    previous: Submission | None
    status: str
    deadline: Deadline
    sections: list[AnswerSection]

    @property
    def latest(self) -> Submission | None:
        return self.history[0] if self.history else None

    @property
    def showing_draft(self) -> bool:
        return self.latest is None and self.stored is not None


def printable_response(questionnaire: Questionnaire, org: Organisation) -> PrintableResponse:
    """What the printable page shows: the latest submission, or the draft if none."""
    stored = own_response(questionnaire.id, org.id)
    extension = db.session.scalar(select(DeadlineExtension).where(
        DeadlineExtension.questionnaire_id == questionnaire.id,
        DeadlineExtension.organisation_id == org.id))
    history = list(db.session.scalars(select(Submission).where(
        Submission.questionnaire_id == questionnaire.id, Submission.organisation_id == org.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())))
    source: Any = None
    previous = None
    if questionnaire.cloned_from_id is not None:
        source = db.session.execute(
            select(Questionnaire.id, Questionnaire.title, Cycle.title.label("cycle_title"))
            .join(Cycle, Questionnaire.cycle_id == Cycle.id)
            .where(Questionnaire.id == questionnaire.cloned_from_id,
                   Cycle.region_id == questionnaire.cycle.region_id)).first()
        if source is not None:
            previous = latest_submissions(source.id, org.id).get(org.id)
    shown: Submission | QuestionnaireResponse | None = history[0] if history else stored
    answers = (shown.answers or {}) if shown is not None else {}
    groups = target_groups(questionnaire.cycle.region_id)
    return PrintableResponse(
        stored=stored, extension=extension, history=history, source=source, previous=previous,
        status=status_of(stored), deadline=deadline_for(questionnaire, extension),
        sections=answer_rows(questionnaire, groups, answers,
                             previous.answers if previous is not None else None))


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


def summarise_all(data: ResultData,
                  sections: Sequence[Section] | None = None) -> list[SectionResult]:
    """Each question's summary, section by section: every section, or those given (a long
    questionnaire's results page shows one)."""
    rows = [(org, data.latest[org.id].answers or {}) for org in data.submitted]
    return [SectionResult(section=s, questions=[(q, summarise(q, data.groups, rows))
                                                for q in s.questions])
            for s in (data.questionnaire.sections if sections is None else sections)]


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
        status = status_of(data.responses.get(org.id))
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


def kept_export(questionnaire: Questionnaire, kind: Literal["csv", "xlsx"],
                now: datetime) -> bytes:
    """The CSV or XLSX file of a questionnaire loaded with or without its structure, kept under
    the data revision (and the clock's minute: a status can follow the clock), so that
    downloading it again costs a lookup until something changes."""
    def build() -> bytes:
        load_structure(questionnaire)
        return csv_export(questionnaire) if kind == "csv" else xlsx_export(questionnaire)

    minute = now.replace(second=0, microsecond=0)
    return revision.cached(f"export.{kind}", (questionnaire.id, minute), build)


def xlsx_export(questionnaire: Questionnaire) -> bytes:
    """The XLSX file of a questionnaire loaded by `scoped_questionnaire_or_404`: what the view
    sends and what `bench/export_xlsx.py` times."""
    table = export_table(gather(questionnaire, with_status=True))
    widths = [32, 16, 20, 24] + [22] * (len(table.headers) - 4)
    return exports.write_xlsx(table.headers, table.rows, sheet_title=questionnaire.title,
                              widths=widths)
