"""Building questionnaires: the secretariat's sections, questions, recipients, clones and the
target groups they ask about."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...models import (
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    Question,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    QuestionType,
    Section,
    TargetAudience,
    TargetGroup,
    User,
)
from ...permissions import Actor, RegionScope, require
from ..base import WorkflowError, bump_version, changed, check_stale, record, snapshot
from ..states import CYCLES
from .fields import COLUMN_FIELD_TYPES, FIELD_TYPES, field_type

TYPE_LABELS = {
    QuestionType.SHORT_TEXT: _l("Kort tekst"),
    QuestionType.LONG_TEXT: _l("Lang tekst"),
    QuestionType.INTEGER: _l("Helt tal"),
    QuestionType.DECIMAL: _l("Decimaltal"),
    QuestionType.DATE: _l("Dato"),
    QuestionType.YES_NO: _l("Ja/nej"),
    QuestionType.SINGLE_CHOICE: _l("Ét valg"),
    QuestionType.MULTIPLE_CHOICE: _l("Flere valg"),
    QuestionType.SCALE: _l("Skala 1–5"),
    QuestionType.GRID: _l("Målgruppeskema"),
}
AUDIENCE_LABELS = {
    TargetAudience.CHILDREN_YOUTH: _l("Børn og unge"),
    TargetAudience.ADULTS: _l("Voksne"),
}
COLUMN_TYPES = tuple(COLUMN_FIELD_TYPES)
QUESTION_FIELDS = ("type", "label", "help_text", "required", "config", "condition")


def _require(actor: Actor, region_id: int) -> None:
    require(actor, "questionnaire.build", RegionScope(region_id),
            message=_("Kun sekretariatet kan bygge spørgeskemaer."))


def _require_editable(actor: Actor, questionnaire: Questionnaire) -> None:
    """Every change to a questionnaire: the secretariat, and a cycle that is not closed."""
    _require(actor, questionnaire.cycle.region_id)
    _require_open_cycle(questionnaire.cycle)


def _require_open_cycle(cycle: Cycle) -> None:
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet og kan ikke ændres. Genåbn den først."))


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().replace("æ", "ae").replace("ø", "oe")
                                   .replace("å", "aa"))
    ascii_only = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_only).strip("_")[:40] or "spm"


def _check_milestone(cycle: Cycle, milestone: Milestone | None) -> Milestone:
    if milestone is None or milestone.cycle_id != cycle.id:
        raise WorkflowError(_("Vælg en milepæl i cyklussen."), field="milestone_id")
    if milestone.kind != MilestoneKind.QUESTIONNAIRE:
        raise WorkflowError(_("Vælg en milepæl af typen “Spørgeskema”: den styrer, hvornår "
                              "skemaet åbner og lukker."), field="milestone_id")
    return milestone


def default_recipients(region_id: int) -> list[int]:
    return list(db.session.scalars(
        select(Organisation.id).where(
            Organisation.region_id == region_id, Organisation.active.is_(True),
            Organisation.kind.in_([OrgKind.MUNICIPALITY, OrgKind.REGION]))
        .order_by(Organisation.name)))


def _check_title_free(cycle: Cycle, title: str, exclude_id: int | None = None) -> None:
    """The database holds one title per cycle; say so at the field before it refuses."""
    query = select(Questionnaire.id).where(Questionnaire.cycle_id == cycle.id,
                                           Questionnaire.title == title)
    if exclude_id is not None:
        query = query.where(Questionnaire.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise WorkflowError(_("Cyklussen har allerede et skema med denne titel. Vælg en anden "
                              "titel."), field="title")


def create_questionnaire(
    actor: Actor, cycle: Cycle, *, milestone: Milestone | None, title: str,
    intro: str = "", recipient_ids: list[int] | None = None, now: datetime,
) -> Questionnaire:
    _require(actor, cycle.region_id)
    _require_open_cycle(cycle)
    milestone = _check_milestone(cycle, milestone)
    title = title.strip()
    _check_title_free(cycle, title)
    questionnaire = Questionnaire(cycle_id=cycle.id, milestone_id=milestone.id, title=title,
                                  intro=intro.strip(), created_at=now, sections=[],
                                  recipients=[])
    questionnaire.milestone = milestone
    questionnaire.cycle = cycle
    db.session.add(questionnaire)
    db.session.flush()
    ids = default_recipients(cycle.region_id) if recipient_ids is None else recipient_ids
    _set_recipients(questionnaire, cycle.region_id, ids)
    record(actor=actor, action="questionnaire.created", obj=questionnaire, now=now,
           region_id=cycle.region_id, after={"title": title, "recipients": len(ids)})
    return questionnaire


def update_questionnaire(
    actor: User, questionnaire: Questionnaire, *, title: str, intro: str,
    milestone: Milestone | None, now: datetime, version: int | None = None,
) -> Questionnaire:
    cycle = questionnaire.cycle
    _require(actor, cycle.region_id)
    _require_open_cycle(cycle)
    check_stale(questionnaire, version)
    milestone = _check_milestone(cycle, milestone)
    _check_title_free(cycle, title.strip(), exclude_id=questionnaire.id)
    before = snapshot(questionnaire, ("title", "intro", "milestone_id"))
    questionnaire.title, questionnaire.intro = title.strip(), intro.strip()
    questionnaire.milestone_id = milestone.id
    questionnaire.milestone = milestone
    b, a = changed(before, snapshot(questionnaire, ("title", "intro", "milestone_id")))
    if a:
        record(actor=actor, action="questionnaire.updated", obj=questionnaire, now=now,
               region_id=cycle.region_id, before=b, after=a)
    return questionnaire


def _set_recipients(questionnaire: Questionnaire, region_id: int, org_ids: list[int]) -> None:
    valid = set(db.session.scalars(select(Organisation.id).where(
        Organisation.region_id == region_id, Organisation.id.in_(org_ids))))
    if valid != set(org_ids):
        raise WorkflowError(_("Vælg kun organisationer i regionen."), field="recipients")
    current = {r.organisation_id: r for r in questionnaire.recipients}
    for org_id, recipient in current.items():
        if org_id not in valid:
            questionnaire.recipients.remove(recipient)
    for org_id in sorted(valid - set(current)):
        questionnaire.recipients.append(QuestionnaireRecipient(organisation_id=org_id))


def set_recipients(actor: User, questionnaire: Questionnaire, org_ids: list[int], *,
                   now: datetime, version: int | None = None) -> None:
    """The recipients are part of the questionnaire: the list is checked against the
    questionnaire's version and a change bumps it, so a stale tab cannot bring back a removed
    recipient (the counter's UPDATE also refuses a concurrent save at the commit)."""
    region_id = questionnaire.cycle.region_id
    _require_editable(actor, questionnaire)
    check_stale(questionnaire, version)
    if not org_ids:
        raise WorkflowError(_("Vælg mindst én modtager."), field="recipients")
    before = sorted(r.organisation_id for r in questionnaire.recipients)
    _set_recipients(questionnaire, region_id, org_ids)
    after = sorted(r.organisation_id for r in questionnaire.recipients)
    if before != after:
        bump_version(questionnaire)
        record(actor=actor, action="questionnaire.recipients", obj=questionnaire, now=now,
               region_id=region_id, before={"organisations": before},
               after={"organisations": after})


def add_section(actor: Actor, questionnaire: Questionnaire, *, title: str,
                description: str = "", now: datetime) -> Section:
    _require_editable(actor, questionnaire)
    if not title.strip():
        raise WorkflowError(_("Skriv en overskrift."), field="title")
    position = max((s.position for s in questionnaire.sections), default=0) + 1
    section = Section(title=title.strip(), description=description.strip(), position=position,
                      questions=[])
    questionnaire.sections.append(section)
    db.session.flush()
    record(actor=actor, action="section.created", obj=section, now=now,
           region_id=questionnaire.cycle.region_id, after={"title": section.title})
    return section


def update_section(actor: User, questionnaire: Questionnaire, section: Section, *, title: str,
                   description: str, now: datetime, version: int | None = None) -> None:
    _require_editable(actor, questionnaire)
    check_stale(section, version)
    if not title.strip():
        raise WorkflowError(_("Skriv en overskrift."), field="title")
    before = snapshot(section, ("title", "description"))
    section.title, section.description = title.strip(), description.strip()
    b, a = changed(before, snapshot(section, ("title", "description")))
    if a:
        record(actor=actor, action="section.updated", obj=section, now=now,
               region_id=questionnaire.cycle.region_id, before=b, after=a)


def validate_question(questionnaire: Questionnaire, question: Question) -> None:
    """Config and condition must make sense before anyone is asked to answer."""
    if not question.label.strip():
        raise WorkflowError(_("Skriv spørgsmålet."), field="label")
    field_type(question).check_config()
    condition = question.condition
    if condition:
        others = {q.key: q for q in questionnaire.questions() if q is not question}
        target = others.get(condition.get("question", ""))
        if target is None:
            raise WorkflowError(_("Betingelsen peger på et spørgsmål, der ikke findes."),
                                field="condition_question")
        if not condition.get("in"):
            raise WorkflowError(_("Angiv de svar, der gør spørgsmålet påkrævet."),
                                field="condition_values")
        allowed = field_type(target).condition_values()
        if allowed is None:
            raise WorkflowError(_("En betingelse kan kun bygge på et skala-, ja/nej- eller "
                                  "valgspørgsmål."), field="condition_question")
        if any(value not in allowed for value in condition["in"]):
            raise WorkflowError(_("Betingelsen nævner et svar, som spørgsmålet ikke har."),
                                field="condition_values")
    dependants = [q for q in questionnaire.questions() if q is not question
                  and (q.condition or {}).get("question") == question.key]
    if dependants and field_type(question).condition_values() is None:
        raise WorkflowError(_("Et andet spørgsmål har en betingelse, der bygger på dette; "
                              "typen skal give faste svar."), field="type")


def add_question(
    actor: Actor, questionnaire: Questionnaire, section: Section, *, type: QuestionType,
    label: str, help_text: str = "", required: bool = False, config: dict[str, Any] | None = None,
    condition: dict[str, Any] | None = None, key: str | None = None, now: datetime,
) -> Question:
    _require_editable(actor, questionnaire)
    existing = {q.key for q in questionnaire.questions()}
    base = slug(key or label)
    key, n = base, 1
    while key in existing:
        n += 1
        key = f"{base}_{n}"
    position = max((q.position for q in section.questions), default=0) + 1
    question = Question(questionnaire_id=questionnaire.id, key=key, type=type,
                        label=label.strip(), help_text=help_text.strip(), required=required,
                        config=dict(config or {}), condition=condition or None,
                        position=position)
    validate_question(questionnaire, question)
    section.questions.append(question)
    db.session.flush()
    record(actor=actor, action="question.created", obj=question, now=now,
           region_id=questionnaire.cycle.region_id, label=question.label,
           after=snapshot(question, QUESTION_FIELDS))
    return question


def update_question(
    actor: User, questionnaire: Questionnaire, question: Question, *, type: QuestionType,
    label: str, help_text: str, required: bool, config: dict[str, Any],
    condition: dict[str, Any] | None, now: datetime, version: int | None = None,
) -> Question:
    _require_editable(actor, questionnaire)
    check_stale(question, version)
    if type != question.type and _has_answers(questionnaire, question.key):
        raise WorkflowError(_("Spørgsmålet er allerede besvaret; typen kan ikke ændres."),
                            field="type")
    if type == question.type and FIELD_TYPES[type].compound:
        kept = {c.get("key") for c in config.get("columns", [])}
        removed = [c for c in question.config.get("columns", []) if c.get("key") not in kept]
        answered = _answered_columns(questionnaire, question.key)
        if any(c.get("key") in answered for c in removed):
            raise WorkflowError(_("En kolonne, der allerede er besvaret, kan ikke fjernes."),
                                field="columns")
    before = snapshot(question, QUESTION_FIELDS)
    question.type, question.label, question.help_text = type, label.strip(), help_text.strip()
    question.required, question.config, question.condition = required, dict(config), condition
    validate_question(questionnaire, question)
    b, a = changed(before, snapshot(question, QUESTION_FIELDS))
    if a:
        record(actor=actor, action="question.updated", obj=question, now=now,
               region_id=questionnaire.cycle.region_id, label=question.label, before=b, after=a)
    return question


def _has_answers(questionnaire: Questionnaire, key: str) -> bool:
    answers = db.session.scalars(select(QuestionnaireResponse.answers).where(
        QuestionnaireResponse.questionnaire_id == questionnaire.id)).all()
    return any(key in (a or {}) for a in answers)


def _answered_columns(questionnaire: Questionnaire, key: str) -> set[str]:
    columns: set[str] = set()
    for answers in db.session.scalars(select(QuestionnaireResponse.answers).where(
            QuestionnaireResponse.questionnaire_id == questionnaire.id)):
        for row in ((answers or {}).get(key) or {}).values():
            columns.update(k for k, v in (row or {}).items() if v not in (None, ""))
    return columns


def delete_question(actor: User, questionnaire: Questionnaire, question: Question, *,
                    now: datetime) -> None:
    _require_editable(actor, questionnaire)
    if _has_answers(questionnaire, question.key):
        raise WorkflowError(_("Spørgsmålet er besvaret af mindst én organisation og kan ikke "
                              "slettes."))
    if any((q.condition or {}).get("question") == question.key
           for q in questionnaire.questions()):
        raise WorkflowError(_("Et andet spørgsmål har en betingelse, der bruger dette "
                              "spørgsmål. Fjern betingelsen først."))
    record(actor=actor, action="question.deleted", obj=question, now=now,
           region_id=questionnaire.cycle.region_id, label=question.label,
           before=snapshot(question, QUESTION_FIELDS))
    section = next(s for s in questionnaire.sections if s.id == question.section_id)
    section.questions.remove(question)


def move_question(actor: User, questionnaire: Questionnaire, question: Question, *,
                  direction: int, now: datetime) -> None:
    """Swap with the neighbour above (-1) or below (+1) within its section."""
    _require_editable(actor, questionnaire)
    section = next(s for s in questionnaire.sections if s.id == question.section_id)
    ordered = list(section.questions)
    index = ordered.index(question)
    other = index + direction
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, q in enumerate(ordered, start=1):
        q.position = position
    record(actor=actor, action="question.moved", obj=question, now=now,
           region_id=questionnaire.cycle.region_id, label=question.label,
           after={"position": question.position})


def clone_questionnaire(
    actor: User, source: Questionnaire, cycle: Cycle, *, milestone: Milestone | None,
    title: str, now: datetime,
) -> Questionnaire:
    """A copy in another cycle with the same question keys: prefill and year-on-year match."""
    if source.cycle.region_id != cycle.region_id:
        raise WorkflowError(_("Skemaet findes ikke."))
    questionnaire = create_questionnaire(
        actor, cycle, milestone=milestone, title=title, intro=source.intro,
        recipient_ids=[r.organisation_id for r in source.recipients], now=now)
    questionnaire.cloned_from_id = source.id
    for old_section in source.sections:
        section = Section(title=old_section.title, description=old_section.description,
                          position=old_section.position, questions=[])
        questionnaire.sections.append(section)
        for q in old_section.questions:
            section.questions.append(Question(
                questionnaire_id=questionnaire.id, key=q.key, type=q.type, label=q.label,
                help_text=q.help_text, required=q.required, config=dict(q.config or {}),
                condition=dict(q.condition) if q.condition else None, position=q.position))
    db.session.flush()
    record(actor=actor, action="questionnaire.cloned", obj=questionnaire, now=now,
           region_id=cycle.region_id,
           after={"source_id": source.id, "source": source.title,
                  "questions": len(questionnaire.questions())})
    return questionnaire


def create_target_group(actor: Actor, *, region_id: int, audience: TargetAudience,
                        name: str, now: datetime) -> TargetGroup:
    _require(actor, region_id)
    name = name.strip()
    if not name:
        raise WorkflowError(_("Skriv målgruppens navn."), field="name")
    if db.session.scalar(select(TargetGroup.id).where(
            TargetGroup.region_id == region_id, TargetGroup.audience == audience,
            TargetGroup.name == name)) is not None:
        raise WorkflowError(_("Målgruppen findes allerede."), field="name")
    position = (db.session.scalar(select(TargetGroup.position).where(
        TargetGroup.region_id == region_id, TargetGroup.audience == audience)
        .order_by(TargetGroup.position.desc()).limit(1)) or 0) + 1
    group = TargetGroup(region_id=region_id, audience=audience, name=name, position=position,
                        active=True)
    db.session.add(group)
    db.session.flush()
    record(actor=actor, action="target_group.created", obj=group, now=now, region_id=region_id,
           after={"name": name, "audience": audience.value})
    return group


def update_target_group(actor: User, group: TargetGroup, *, name: str, active: bool,
                        now: datetime, version: int | None = None) -> TargetGroup:
    _require(actor, group.region_id)
    check_stale(group, version)
    if not name.strip():
        raise WorkflowError(_("Skriv målgruppens navn."), field="name")
    if db.session.scalar(select(TargetGroup.id).where(
            TargetGroup.region_id == group.region_id, TargetGroup.audience == group.audience,
            TargetGroup.name == name.strip(), TargetGroup.id != group.id)) is not None:
        raise WorkflowError(_("Målgruppen findes allerede."), field="name")
    before = snapshot(group, ("name", "active"))
    group.name, group.active = name.strip(), active
    b, a = changed(before, snapshot(group, ("name", "active")))
    if a:
        record(actor=actor, action="target_group.updated", obj=group, now=now,
               region_id=group.region_id, before=b, after=a)
    return group
