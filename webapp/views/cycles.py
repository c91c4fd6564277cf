"""Cycles and their milestones: everyone in the region reads, the secretariat edits."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import selectinload

from .. import workdays
from ..clock import now
from ..extensions import db
from ..formatting import to_local
from ..forms.cycles import (
    CloneCycleForm,
    ConfirmForm,
    CycleForm,
    MilestoneForm,
    MoveMilestoneForm,
    WorkingDaysForm,
)
from ..i18n import gettext as _
from ..i18n import ngettext
from ..models import Cycle, CycleState, Milestone, MilestoneKind
from ..permissions import permission_required
from ..queries import audit as audit_read
from ..queries import cycles as read
from ..queries.cycles import scoped_cycle_or_404, scoped_milestone_or_404
from ..workflows import audiences
from ..workflows import cycles as flow
from ..workflows.states import CYCLES
from .common import form_version, kept_page, perform, render_form, render_kept

bp = Blueprint("cycles", __name__, url_prefix="/cykler")


def _load(cycle_id: int) -> Cycle:
    return scoped_cycle_or_404(cycle_id, current_user, selectinload(Cycle.milestones))


@bp.route("/")
@permission_required("cycle.view")
def index() -> ResponseReturnValue:
    return render_template("cycles/index.html", cycles=read.visible_cycles(current_user))


@bp.route("/ny", methods=["GET", "POST"])
@permission_required("cycle.manage")
def new() -> ResponseReturnValue:
    form = CycleForm().creating()
    if form.validate_on_submit():
        outcome = perform(lambda: flow.create_cycle(
            current_user, region_id=current_user.region_id, title=form.title.data or "",
            first_year=form.first_year.data or 0, last_year=form.last_year.data or 0,
            description=form.description.data or "", now=now()), form=form,
            created=lambda cycle: url_for("cycles.detail", cycle_id=cycle.id))
        if outcome.ok:
            cycle = outcome.value
            flash(_("Cyklussen “%(title)s” er oprettet.", title=cycle.title), "success")
            return redirect(url_for("cycles.detail", cycle_id=cycle.id))
    return render_form("cycles/form.html", form, cycle=None)


@bp.route("/<int:cycle_id>")
@permission_required("cycle.view")
@kept_page
def detail(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)  # the milestones only when drawn
    at = now()

    def context() -> dict[str, Any]:  # only when the kept page content is out of date
        milestones = read.cycle_milestones(cycle)
        source = db.session.get(Cycle, cycle.cloned_from_id) if cycle.cloned_from_id else None
        # A draft (a clone under review) says how many of its milestones fall on a day off.
        days_off = (sum(1 for m in milestones if flow.days_off(m))
                    if cycle.state == CycleState.DRAFT else 0)
        return {"cycle": cycle, "milestones": milestones,
                "timeline": lambda: read.timeline(milestones, at), "today": at,
                "source": source, "confirm": ConfirmForm(), "kind_labels": flow.KIND_LABELS,
                "days_off": days_off}

    return render_kept(cycle.title, "cycle", cycle.id, "cycles/_detail_body.html", context)


@bp.route("/<int:cycle_id>/rediger", methods=["GET", "POST"])
@permission_required("cycle.manage")
def edit(cycle_id: int) -> ResponseReturnValue:
    cycle = _load(cycle_id)
    form = CycleForm(obj=cycle).editing(cycle)
    if form.validate_on_submit():
        outcome = perform(lambda: flow.update_cycle(
            current_user, cycle, title=form.title.data or "",
            first_year=form.first_year.data or 0, last_year=form.last_year.data or 0,
            description=form.description.data or "", now=now(), version=form_version(form)),
            form=form, stale=cycle)
        if outcome.ok:
            flash(_("Ændringerne er gemt."), "success")
            return redirect(url_for("cycles.detail", cycle_id=cycle.id))
    return render_form("cycles/form.html", form, cycle=cycle)


@bp.route("/<int:cycle_id>/tilstand", methods=["POST"])
@permission_required("cycle.manage")
def change_state(cycle_id: int) -> ResponseReturnValue:
    cycle = _load(cycle_id)
    form = ConfirmForm()
    try:
        target = CycleState(request.form.get("state", ""))
    except ValueError:
        abort(400)
    if not form.validate_on_submit():
        flash(_("Formularen var udløbet. Prøv igen."), "error")
    elif perform(lambda: flow.set_cycle_state(current_user, cycle, target, now=now())).ok:
        flash(_("Cyklussen er nu “%(state)s”.", state=CYCLES.label(target)), "success")
    return redirect(url_for("cycles.detail", cycle_id=cycle_id))


@bp.route("/<int:cycle_id>/klon", methods=["GET", "POST"])
@permission_required("cycle.manage")
def clone(cycle_id: int) -> ResponseReturnValue:
    source = _load(cycle_id)
    form = CloneCycleForm()
    if request.method == "GET":
        span = source.last_year - source.first_year
        form.first_year.data = source.last_year + 1
        form.last_year.data = source.last_year + 1 + span
        form.title.data = _("Rammeaftale %(years)s", years=(
            str(form.first_year.data) if span == 0
            else f"{form.first_year.data}–{form.last_year.data}"))
    if form.validate_on_submit():
        outcome = perform(lambda: flow.clone_cycle(
            current_user, source, title=form.title.data or "",
            first_year=form.first_year.data or 0, last_year=form.last_year.data or 0,
            shift_years=form.shift_years.data, now=now()), form=form,
            created=lambda cycle: _after_clone(cycle.id))
        if outcome.ok:
            cycle = outcome.value
            flash(_("“%(title)s” er oprettet som kopi af “%(source)s”. Gennemgå milepælene.",
                    title=cycle.title, source=source.title), "success")
            return redirect(_after_clone(cycle.id))
    return render_form("cycles/clone.html", form, source=source)


def _after_clone(cycle_id: int) -> str:
    """Where a copy leads: the review of its milestones on days off if it has any (say so, and
    offer to move them), else the new cycle."""
    if any(flow.days_off(m) for m in _load(cycle_id).milestones):
        return url_for("cycles.working_days", cycle_id=cycle_id)
    return url_for("cycles.detail", cycle_id=cycle_id)


@bp.route("/<int:cycle_id>/hverdage", methods=["GET", "POST"])
@permission_required("cycle.manage")
def working_days(cycle_id: int) -> ResponseReturnValue:
    """The milestones on a weekend or a public holiday, each with the working day before to
    move to: the review step after a clone (dates moved by whole years land on any weekday)."""
    cycle = _load(cycle_id)
    affected = [(m, moves) for m in cycle.milestones if (moves := flow.days_off(m))]
    form = WorkingDaysForm()
    form.milestones.choices = [(m.id, m.title) for m, _moves in affected]
    if request.method == "GET":
        form.milestones.data = [m.id for m, _moves in affected]  # offered: the usual choice
    if form.validate_on_submit():
        outcome = perform(lambda: flow.move_to_working_days(
            current_user, cycle, form.milestones.data or [], now=now()), form=form)
        if outcome.ok:
            flash(ngettext("%(num)d milepæl er flyttet til en hverdag.",
                           "%(num)d milepæle er flyttet til en hverdag.",
                           len(outcome.value)), "success")
            return redirect(url_for("cycles.detail", cycle_id=cycle.id))
    return render_form("cycles/working_days.html", form, cycle=cycle, affected=affected,
                       kind_labels=flow.KIND_LABELS, is_deadline=flow.is_deadline,
                       describe_day=workdays.describe)


def _milestone_data(form: MilestoneForm) -> flow.MilestoneData:
    starts = form.starts_time.utc()  # None without a start date
    ends = form.ends_time.utc()
    assert ends is not None  # InputRequired, and a date that parsed
    return flow.MilestoneData(
        kind=MilestoneKind(form.kind.data), title=form.title.data or "", starts_at=starts,
        ends_at=ends, place=form.place.data or "", description=form.description.data or "",
        audience=list(form.audience.data or []), is_public=bool(form.is_public.data),
    )


def _fill_milestone_form(form: MilestoneForm, m: Milestone) -> None:
    form.kind.data = m.kind.value
    form.title.data = m.title
    if m.starts_at:
        form.starts_date.data = to_local(m.starts_at).date()
        form.starts_time.data = to_local(m.starts_at).time()
    form.ends_date.data = to_local(m.ends_at).date()
    form.ends_time.data = to_local(m.ends_at).time()
    form.place.data = m.place
    form.description.data = m.description
    form.audience.data = list(m.audience or [])
    form.is_public.data = m.is_public
    form.version.data = str(m.version_id)


@bp.route("/<int:cycle_id>/milepaele/ny", methods=["GET", "POST"])
@permission_required("cycle.manage")
def new_milestone(cycle_id: int) -> ResponseReturnValue:
    cycle = _load(cycle_id)
    form = MilestoneForm().creating()
    if form.validate_on_submit():
        outcome = perform(lambda: flow.add_milestone(current_user, cycle, _milestone_data(form),
                                                     now=now()), form=form,
                          created=lambda _m: url_for("cycles.detail", cycle_id=cycle_id))
        if outcome.ok:
            flash(_("Milepælen “%(title)s” er tilføjet.", title=outcome.value.title), "success")
            return redirect(url_for("cycles.detail", cycle_id=cycle.id))
    return render_form("cycles/milestone_form.html", form, cycle=cycle, milestone=None)


@bp.route("/<int:cycle_id>/milepaele/<int:milestone_id>/rediger", methods=["GET", "POST"])
@permission_required("cycle.manage")
def edit_milestone(cycle_id: int, milestone_id: int) -> ResponseReturnValue:
    cycle = _load(cycle_id)
    milestone = scoped_milestone_or_404(cycle, milestone_id)
    form = MilestoneForm().editing(milestone)
    concerned = audiences.concerned(milestone, now()) if milestone.is_public else []
    form.notify.label.text = ngettext(
        "Send besked om den nye dato til %(num)d person, som milepælen vedrører",
        "Send besked om den nye dato til %(num)d personer, som milepælen vedrører",
        len(concerned))
    form.notify.description = _(
        "Sendes kun, hvis datoen ændres: %(who)s.",
        who=", ".join(p.name for p in concerned[:10]) + (" …" if len(concerned) > 10 else ""))
    if request.method == "GET":
        _fill_milestone_form(form, milestone)
    elif form.validate_on_submit():
        notify = bool(form.notify.data) and milestone.is_public
        outcome = perform(lambda: flow.update_milestone(
            current_user, milestone, _milestone_data(form), now=now(),
            version=form_version(form), notify=notify), form=form, stale=milestone)
        if outcome.conflict:
            return render_form("cycles/milestone_form.html", form, cycle=cycle,
                               milestone=milestone, stored=milestone, concerned=concerned)
        if outcome.ok:
            flash(_("Milepælen er gemt."), "success")
            return redirect(url_for("cycles.detail", cycle_id=cycle.id))
    return render_form("cycles/milestone_form.html", form, cycle=cycle, milestone=milestone,
                       concerned=concerned)


@bp.route("/<int:cycle_id>/milepaele/<int:milestone_id>/flyt", methods=["GET", "POST"])
@permission_required("cycle.manage")
def move_milestone(cycle_id: int, milestone_id: int) -> ResponseReturnValue:
    cycle = _load(cycle_id)
    milestone = scoped_milestone_or_404(cycle, milestone_id)
    form = MoveMilestoneForm()
    if request.method == "GET":
        form.version.data = str(milestone.version_id)
    if form.validate_on_submit():
        outcome = perform(
            lambda: flow.move_milestone(current_user, milestone, days=form.days.data or 0,
                                        include_later=bool(form.include_later.data), now=now(),
                                        version=form_version(form)),
            form=form, stale=milestone, conflict_message=_(
                "Milepælen er allerede flyttet eller ændret, siden du åbnede siden. "
                "Se datoerne ovenfor, og flyt igen, hvis det stadig er nødvendigt."))
        if outcome.ok:
            flash(ngettext("%(num)d milepæl er flyttet.", "%(num)d milepæle er flyttet.",
                           len(outcome.value)), "success")
            return redirect(url_for("cycles.detail", cycle_id=cycle.id))
    return render_form("cycles/move.html", form, cycle=cycle, milestone=milestone)


@bp.route("/<int:cycle_id>/milepaele/<int:milestone_id>/slet", methods=["POST"])
@permission_required("cycle.manage")
def delete_milestone(cycle_id: int, milestone_id: int) -> ResponseReturnValue:
    cycle = _load(cycle_id)
    milestone = scoped_milestone_or_404(cycle, milestone_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Formularen var udløbet. Prøv igen."), "error")
        return redirect(url_for("cycles.detail", cycle_id=cycle.id))
    title = milestone.title
    if perform(lambda: flow.delete_milestone(current_user, milestone, now=now())).ok:
        flash(_("Milepælen “%(title)s” er slettet.", title=title), "success")
    return redirect(url_for("cycles.detail", cycle_id=cycle.id))


@bp.route("/<int:cycle_id>/historik")
@permission_required("cycle.manage")
def history(cycle_id: int) -> ResponseReturnValue:
    cycle = _load(cycle_id)
    return render_template("cycles/history.html", cycle=cycle,
                           events=audit_read.readable(read.history(cycle)))
