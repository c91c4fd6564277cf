"""The secretariat's questionnaire builder: questionnaires, sections, questions, recipients,
preview, clones, and the target groups the grids ask about.

Every page: secretariat only (403), objects scoped to the person's region (404), one workflow
operation from webapp/workflows/questionnaire_builder.py, one commit, post/redirect/get.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...clock import now
from ...extensions import db
from ...formatting import join_or
from ...forms.questionnaires.builder import (
    COLUMN_TYPE_LABELS,
    CloneQuestionnaireForm,
    QuestionForm,
    QuestionnaireForm,
    RecipientsForm,
    SectionForm,
    TargetGroupEditForm,
    TargetGroupForm,
)
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
    Section,
    TargetAudience,
    TargetGroup,
)
from ...permissions import permission_required
from ...queries import questionnaires as read
from ...queries.cycles import scoped_cycle_or_404
from ...queries.questionnaires import scoped_questionnaire_or_404
from ...workflows import WorkflowError
from ...workflows.questionnaires import builder as flow
from ...workflows.questionnaires.fields import EMAIL_FORMAT, field_name, field_type, grid_groups
from ..common import form_version, perform, place_error, render_form, show_conflict

bp = Blueprint("qbuilder", __name__)

GROUP_LABELS = {
    OrgKind.MUNICIPALITY: _l("Kommuner"),
    OrgKind.REGION: _l("Regionen"),
    OrgKind.USER_ORGANISATION: _l("Brugerorganisationer"),
    OrgKind.STEERING_BODY: _l("Styringsorganer"),
    OrgKind.SECRETARIAT: _l("Sekretariatet"),
}


# -- loading --------------------------------------------------------------------------------

def _questionnaire(questionnaire_id: int) -> Questionnaire:
    return scoped_questionnaire_or_404(questionnaire_id, current_user)


def _section_or_404(questionnaire: Questionnaire, section_id: int | None) -> Section:
    section = next((s for s in questionnaire.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


def _question_or_404(questionnaire: Questionnaire, question_id: int) -> Question:
    question = next((q for q in questionnaire.questions() if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


def _questionnaire_milestones(cycle_id: int) -> list[Milestone]:
    return list(db.session.scalars(
        select(Milestone).where(Milestone.cycle_id == cycle_id,
                                Milestone.kind == MilestoneKind.QUESTIONNAIRE)
        .order_by(Milestone.ends_at, Milestone.id)))


def _milestone_choices(milestones: Iterable[Milestone]) -> list[tuple[int, str]]:
    from ...formatting import format_date, format_datetime

    return [(m.id, _("%(title)s (%(start)s – %(end)s)", title=m.title,
                     start=format_date(m.starts_at) or _("straks"),
                     end=format_datetime(m.ends_at)))
            for m in milestones]


def _pick(milestones: Iterable[Milestone], milestone_id: int | None) -> Milestone | None:
    return next((m for m in milestones if m.id == milestone_id), None)


# -- describing questions --------------------------------------------------------------------

def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, str):
        return f"“{value}”"
    return str(value)


def condition_text(condition: dict[str, Any] | None, by_key: dict[str, Question]) -> str:
    """“Påkrævet når “Samlet sammenhæng” er 1 eller 2”."""
    if not condition:
        return ""
    target = by_key.get(condition.get("question", ""))
    label = target.label if target is not None else condition.get("question", "")
    return _("Påkrævet når “%(label)s” er %(values)s", label=label,
             values=join_or(_value_text(v) for v in condition.get("in", [])))


def details_text(question: Question) -> str:
    """What the type's settings are, in a line."""
    from ...formatting import format_number

    config = question.config or {}
    settings = field_type(question).settings
    if "min" in settings:
        low, high = config.get("min"), config.get("max")
        if low is not None and high is not None:
            return _("Mellem %(low)s og %(high)s", low=format_number(low),
                     high=format_number(high))
        if low is not None:
            return _("Mindst %(low)s", low=format_number(low))
        if high is not None:
            return _("Højst %(high)s", high=format_number(high))
        return ""
    if "format" in settings:
        return _("E-mailadresse") if config.get("format") == EMAIL_FORMAT else ""
    if "choices" in settings:
        return _("Svarmuligheder: %(choices)s", choices="; ".join(config.get("choices", [])))
    if "allow_dont_know" in settings:
        return _("Med “Ved ikke”") if config.get("allow_dont_know") else ""
    if "columns" in settings:
        audience = config.get("audience")
        who = flow.AUDIENCE_LABELS[TargetAudience(audience)] if audience else "–"
        columns = "; ".join(
            f"{c.get('label')} ({COLUMN_TYPE_LABELS.get(c.get('type'), c.get('type'))})"
            for c in config.get("columns", []))
        return _("%(who)s. Kolonner: %(columns)s", who=who, columns=columns)
    return ""


def _candidates(questionnaire: Questionnaire, question: Question | None) -> list[Question]:
    return [q for q in questionnaire.questions()
            if field_type(q).condition_values() is not None and q is not question]


# -- questionnaires -------------------------------------------------------------------------

@bp.route("/cykler/<int:cycle_id>/skemaer/ny", methods=["GET", "POST"])
@permission_required("questionnaire.build")
def new(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    milestones = _questionnaire_milestones(cycle.id)
    form = QuestionnaireForm().creating()
    form.milestone_id.choices = _milestone_choices(milestones)
    if milestones and form.validate_on_submit():
        outcome = perform(lambda: flow.create_questionnaire(
            current_user, cycle, milestone=_pick(milestones, form.milestone_id.data),
            title=form.title.data or "", intro=form.intro.data or "", now=now()), form=form,
            created=lambda q: url_for("qbuilder.edit", questionnaire_id=q.id))
        if outcome.ok:
            questionnaire = outcome.value
            flash(_("Skemaet “%(title)s” er oprettet. Tilføj nu afsnit og spørgsmål.",
                    title=questionnaire.title), "success")
            return redirect(url_for("qbuilder.edit", questionnaire_id=questionnaire.id))
        cycle = scoped_cycle_or_404(cycle_id, current_user)
    elif not milestones and request.method == "POST":
        form.validate()
    return render_form("questionnaires/builder/new.html", form, cycle=cycle,
                       has_milestones=bool(milestones))


def _edit_context(questionnaire: Questionnaire) -> dict[str, Any]:
    questions = questionnaire.questions()
    by_key = {q.key: q for q in questions}
    return {
        "questionnaire": questionnaire, "cycle": questionnaire.cycle,
        "conditions": {q.id: condition_text(q.condition, by_key) for q in questions},
        "details": {q.id: details_text(q) for q in questions},
        "type_labels": flow.TYPE_LABELS, "question_count": len(questions),
    }


@bp.route("/skemaer/<int:questionnaire_id>/rediger", methods=["GET", "POST"])
@permission_required("questionnaire.build")
def edit(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = _questionnaire(questionnaire_id)
    milestones = _questionnaire_milestones(questionnaire.cycle_id)
    form = QuestionnaireForm(obj=questionnaire).editing(questionnaire)
    form.milestone_id.choices = _milestone_choices(milestones)
    stored = None
    if request.method != "GET" and form.validate_on_submit():
        outcome = perform(lambda: flow.update_questionnaire(
            current_user, questionnaire, title=form.title.data or "",
            intro=form.intro.data or "", milestone=_pick(milestones, form.milestone_id.data),
            now=now(), version=form_version(form)), form=form, stale=questionnaire)
        if outcome.ok:
            flash(_("Skemaets oplysninger er gemt."), "success")
            return redirect(url_for("qbuilder.edit", questionnaire_id=questionnaire.id))
        questionnaire = _questionnaire(questionnaire_id)
        if outcome.conflict:
            stored = questionnaire
    return render_form("questionnaires/builder/edit.html", form, stored=stored,
                       **_edit_context(questionnaire))


@bp.route("/cykler/<int:cycle_id>/skemaer/klon", methods=["GET", "POST"])
@permission_required("questionnaire.build")
def clone(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    milestones = _questionnaire_milestones(cycle.id)
    sources = db.session.scalars(
        select(Questionnaire).join(Cycle, Questionnaire.cycle_id == Cycle.id)
        .where(Cycle.region_id == current_user.region_id, Cycle.id != cycle.id)
        .options(joinedload(Questionnaire.cycle))
        .order_by(Cycle.first_year.desc(), Cycle.id.desc(), Questionnaire.id)).all()
    form = CloneQuestionnaireForm()
    form.source_id.choices = [(q.id, f"{q.cycle.title}: {q.title}") for q in sources]
    form.milestone_id.choices = _milestone_choices(milestones)
    if sources and milestones and form.validate_on_submit():
        source = _questionnaire(form.source_id.data)
        source_cycle = source.cycle.title  # the commit expires what is loaded
        outcome = perform(lambda: flow.clone_questionnaire(
            current_user, source, cycle, milestone=_pick(milestones, form.milestone_id.data),
            title=form.title.data or source.title, now=now()), form=form,
            created=lambda copy: url_for("qbuilder.edit", questionnaire_id=copy.id))
        if outcome.ok:
            copy = outcome.value
            flash(_("“%(title)s” er kopieret fra %(cycle)s med samme spørgsmål. Gennemgå "
                    "skemaet, før det åbner.", title=copy.title, cycle=source_cycle),
                  "success")
            return redirect(url_for("qbuilder.edit", questionnaire_id=copy.id))
        cycle = scoped_cycle_or_404(cycle_id, current_user)
    elif request.method == "POST":
        form.validate()
    return render_form("questionnaires/builder/clone.html", form, cycle=cycle,
                       has_sources=bool(sources), has_milestones=bool(milestones))


# -- sections -------------------------------------------------------------------------------

@bp.route("/skemaer/<int:questionnaire_id>/afsnit/ny", methods=["GET", "POST"])
@bp.route("/skemaer/<int:questionnaire_id>/afsnit/<int:section_id>", methods=["GET", "POST"])
@permission_required("questionnaire.build")
def section(questionnaire_id: int, section_id: int | None = None) -> ResponseReturnValue:
    questionnaire = _questionnaire(questionnaire_id)
    current = _section_or_404(questionnaire, section_id) if section_id is not None else None
    form = SectionForm(obj=current)
    form = form.editing(current) if current is not None else form.creating()
    stored = None
    if form.validate_on_submit():

        def save() -> str:
            """The saved section's anchor on the edit page, read before the commit expires it."""
            saved = current
            if saved is None:
                saved = flow.add_section(current_user, questionnaire,
                                         title=form.title.data or "",
                                         description=form.description.data or "", now=now())
            else:
                flow.update_section(current_user, questionnaire, saved,
                                    title=form.title.data or "",
                                    description=form.description.data or "", now=now(),
                                    version=form_version(form))
            return f"afsnit-{saved.id}"

        outcome = perform(save, form=form, stale=current, created=lambda anchor: url_for(
            "qbuilder.edit", questionnaire_id=questionnaire_id, _anchor=anchor))
        if outcome.ok:
            flash(_("Afsnittet er gemt."), "success")
            return redirect(url_for("qbuilder.edit", questionnaire_id=questionnaire_id,
                                    _anchor=outcome.value))
        questionnaire = _questionnaire(questionnaire_id)
        current = (_section_or_404(questionnaire, section_id)
                   if section_id is not None else None)
        if outcome.conflict:
            stored = current
    return render_form("questionnaires/builder/section.html", form,
                       questionnaire=questionnaire, section=current, stored=stored)


# -- questions ------------------------------------------------------------------------------

def _question_page(questionnaire_id: int, section_id: int | None,
                   question_id: int | None) -> ResponseReturnValue:
    questionnaire = _questionnaire(questionnaire_id)
    question = (_question_or_404(questionnaire, question_id)
                if question_id is not None else None)
    section = _section_or_404(questionnaire, question.section_id if question else section_id)
    form = QuestionForm(data=QuestionForm.initial(question)
                        if question is not None and request.method == "GET" else None)
    form = form.editing(question) if question is not None else form.creating()
    stored: Question | None = None
    candidates = _candidates(questionnaire, question)
    form.set_candidates(candidates)
    if request.method == "POST":
        form.validate()
        existing = (question.config.get("columns", [])
                    if question is not None and field_type(question).compound else [])
        data = form.question_data(candidates, existing)
        if data is not None:

            def save() -> str:
                """The saved question's anchor, read before the commit expires it."""
                saved = question
                if saved is None:
                    saved = flow.add_question(current_user, questionnaire, section, now=now(),
                                              **data)
                else:
                    flow.update_question(current_user, questionnaire, saved, now=now(),
                                         version=form_version(form), **data)
                return f"spm-{saved.id}"

            # The grid's columns have their own error list, not a field: the page places it.
            outcome = perform(save, flash_errors=False, once_of=form,
                              created=lambda anchor: url_for(
                                  "qbuilder.edit", questionnaire_id=questionnaire_id,
                                  _anchor=anchor))
            if outcome.ok:
                flash(_("Spørgsmålet er gemt."), "success")
                return redirect(url_for("qbuilder.edit", questionnaire_id=questionnaire_id,
                                        _anchor=outcome.value))
            if outcome.conflict and question is not None:
                show_conflict(form, question)
            elif outcome.error is not None and outcome.error.field == "columns":
                form.columns_errors.append(outcome.error.message)
            elif outcome.error is not None:
                place_error(form, outcome.error)
            questionnaire = _questionnaire(questionnaire_id)
            question = (_question_or_404(questionnaire, question_id)
                        if question_id is not None else None)
            if outcome.conflict:
                stored = question
            section = _section_or_404(questionnaire, section.id)
            candidates = _candidates(questionnaire, question)
    summary = form.summary()
    return render_template(
        "questionnaires/builder/question.html", form=form, summary=summary,
        questionnaire=questionnaire, section=section, question=question,
        candidates=candidates, type_labels=flow.TYPE_LABELS, stored=stored,
        stored_details=details_text(stored) if stored is not None else "",
    ), 422 if summary else 200


@bp.route("/skemaer/<int:questionnaire_id>/afsnit/<int:section_id>/spoergsmaal/ny",
          methods=["GET", "POST"])
@permission_required("questionnaire.build")
def new_question(questionnaire_id: int, section_id: int) -> ResponseReturnValue:
    return _question_page(questionnaire_id, section_id, None)


@bp.route("/skemaer/<int:questionnaire_id>/spoergsmaal/<int:question_id>",
          methods=["GET", "POST"])
@permission_required("questionnaire.build")
def edit_question(questionnaire_id: int, question_id: int) -> ResponseReturnValue:
    return _question_page(questionnaire_id, None, question_id)


@bp.route("/skemaer/<int:questionnaire_id>/spoergsmaal/<int:question_id>/slet",
          methods=["POST"])
@permission_required("questionnaire.build")
def delete_question(questionnaire_id: int, question_id: int) -> ResponseReturnValue:
    questionnaire = _questionnaire(questionnaire_id)
    question = _question_or_404(questionnaire, question_id)
    label = question.label
    if not perform(lambda: flow.delete_question(current_user, questionnaire, question,
                                                now=now())).ok:
        return redirect(url_for("qbuilder.edit", questionnaire_id=questionnaire_id,
                                _anchor=f"spm-{question_id}"))
    flash(_("Spørgsmålet “%(label)s” er slettet.", label=label), "success")
    return redirect(url_for("qbuilder.edit", questionnaire_id=questionnaire_id))


@bp.route("/skemaer/<int:questionnaire_id>/spoergsmaal/<int:question_id>/flyt",
          methods=["POST"])
@permission_required("questionnaire.build")
def move_question(questionnaire_id: int, question_id: int) -> ResponseReturnValue:
    questionnaire = _questionnaire(questionnaire_id)
    question = _question_or_404(questionnaire, question_id)
    direction = {"op": -1, "ned": 1}.get(request.form.get("retning", ""))
    if direction is None:
        abort(400)
    perform(lambda: flow.move_question(current_user, questionnaire, question,
                                       direction=direction, now=now()))
    return redirect(url_for("qbuilder.edit", questionnaire_id=questionnaire_id,
                            _anchor=f"spm-{question_id}"))


# -- recipients and preview -----------------------------------------------------------------

@bp.route("/skemaer/<int:questionnaire_id>/modtagere", methods=["GET", "POST"])
@permission_required("questionnaire.build")
def recipients(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = _questionnaire(questionnaire_id)
    chosen = {r.organisation_id for r in questionnaire.recipients}
    order = list(GROUP_LABELS)
    organisations = sorted(
        (o for o in db.session.scalars(select(Organisation).where(
            Organisation.region_id == questionnaire.cycle.region_id))
         if o.active or o.id in chosen),
        key=lambda o: (order.index(o.kind), o.name.lower()))
    form = RecipientsForm().editing(questionnaire)
    form.recipients.choices = [(o.id, o.name) for o in organisations]
    stored = None
    if request.method == "GET":
        form.recipients.data = sorted(chosen)
    elif form.validate_on_submit():
        outcome = perform(lambda: flow.set_recipients(
            current_user, questionnaire, list(form.recipients.data or []), now=now(),
            version=form_version(form)), form=form, stale=questionnaire)
        if outcome.ok:
            flash(_("Modtagerne er gemt."), "success")
            return redirect(url_for("qbuilder.edit", questionnaire_id=questionnaire_id))
        questionnaire = _questionnaire(questionnaire_id)
        if outcome.conflict:
            names = {o.id: o.name for o in organisations}
            stored = sorted((names.get(r.organisation_id, "") for r in questionnaire.recipients),
                            key=str.lower)
    kind_of = {o.id: o.kind for o in organisations}
    inactive = {o.id for o in organisations if not o.active}
    groups: list[tuple[str, OrgKind, list[Any]]] = []
    for option in form.recipients:
        kind = kind_of[option.data]
        if not groups or groups[-1][1] != kind:
            groups.append((str(GROUP_LABELS[kind]), kind, []))
        groups[-1][2].append(option)
    return render_form("questionnaires/builder/recipients.html", form,
                       questionnaire=questionnaire, groups=groups, inactive=inactive,
                       stored=stored)


@bp.route("/skemaer/<int:questionnaire_id>/forhaandsvisning")
@permission_required("questionnaire.build")
def preview(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = _questionnaire(questionnaire_id)
    return render_template(
        "questionnaires/builder/preview.html", questionnaire=questionnaire,
        raw={}, errors={}, prefilled=set(),
        groups=read.target_groups(questionnaire.cycle.region_id),
        grid_groups=grid_groups, field_name=field_name, field_type=field_type)


# -- target groups --------------------------------------------------------------------------

@bp.route("/admin/maalgrupper", methods=["GET", "POST"])
@permission_required("questionnaire.build")
def target_groups() -> ResponseReturnValue:
    form = TargetGroupForm()
    if form.validate_on_submit():
        outcome = perform(lambda: flow.create_target_group(
            current_user, region_id=current_user.region_id,
            audience=TargetAudience(form.audience.data), name=form.name.data or "",
            now=now()), form=form, created=lambda _group: url_for("qbuilder.target_groups"))
        if outcome.ok:
            flash(_("Målgruppen “%(name)s” er oprettet.", name=outcome.value.name), "success")
            return redirect(url_for("qbuilder.target_groups"))
    groups = read.target_groups(current_user.region_id)
    by_audience = [(audience, flow.AUDIENCE_LABELS[audience],
                    [g for g in groups if g.audience == audience]) for audience in TargetAudience]
    return render_form("questionnaires/builder/target_groups.html", form,
                       by_audience=by_audience)


@bp.route("/admin/maalgrupper/<int:group_id>", methods=["GET", "POST"])
@permission_required("questionnaire.build")
def target_group(group_id: int) -> ResponseReturnValue:
    group = db.session.scalar(select(TargetGroup).where(
        TargetGroup.id == group_id, TargetGroup.region_id == current_user.region_id))
    if group is None:
        abort(404)
    form = TargetGroupEditForm(obj=group).editing(group)
    if form.validate_on_submit():
        # update_target_group does not check the name is free; the unique constraint does.
        outcome = perform(lambda: flow.update_target_group(
            current_user, group, name=form.name.data or "", active=bool(form.active.data),
            now=now(), version=form_version(form)), form=form, stale=group,
            duplicate=WorkflowError(_("Målgruppen findes allerede."), field="name"))
        if outcome.conflict:
            return render_form("questionnaires/builder/target_group.html", form, group=group,
                               audience_labels=flow.AUDIENCE_LABELS, stored=group)
        if outcome.ok:
            flash(_("Målgruppen “%(name)s” er gemt.", name=group.name), "success")
            return redirect(url_for("qbuilder.target_groups"))
    return render_form("questionnaires/builder/target_group.html", form, group=group,
                       audience_labels=flow.AUDIENCE_LABELS)

