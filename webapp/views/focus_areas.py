"""The cycle's focus areas: the page everyone in the region reads (with the secretariat's
controls and the lead's "Meld status"), the secretariat's forms for areas and initiatives, the
status report, and the public page (blueprint `focus_public`: no login, never a draft cycle).

The cycle's page shows "Status på tidligere fokusområder" through
templates/focus_areas/_previous.html, which asks the template global `previous_focus(cycle)`.

The public page is kept like the approvals' public page (views/approvals/public.py): its content
under the data revision and the clock's date, and for a visitor the whole page under the
minute; a kept copy costs the revision's one query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..clock import now
from ..formatting import to_local
from ..forms.agreements import MoveForm, VersionActionForm
from ..forms.focus_areas import FocusAreaForm, InitiativeForm, StatusForm
from ..i18n import gettext as _
from ..models import Cycle, FocusArea, Initiative, InitiativeStatus
from ..permissions import can, ensure, permission_required
from ..queries import focus_areas as read
from ..queries.cycles import scoped_cycle_or_404
from ..workflows import focus_areas as flow
from .common import form_version, kept_page, perform, public_cycle_page, render_form, render_kept

bp = Blueprint("focus_areas", __name__)
public_bp = Blueprint("focus_public", __name__)


def _index(cycle_id: int, anchor: str = "") -> str:
    return url_for("focus_areas.index", cycle_id=cycle_id) + (f"#{anchor}" if anchor else "")


def _managed_cycle(cycle_id: int) -> Cycle:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    ensure("focus_area.manage", cycle)
    return cycle


def _managed_area(area_id: int) -> FocusArea:
    area = read.scoped_area_or_404(area_id, current_user)
    ensure("focus_area.manage", area.cycle)
    return area


def _managed_initiative(initiative_id: int) -> Initiative:
    initiative = read.scoped_initiative_or_404(initiative_id, current_user)
    ensure("focus_area.manage", initiative.focus_area.cycle)
    return initiative


# -- the cycle's focus areas ---------------------------------------------------------------------

@bp.route("/cykler/<int:cycle_id>/fokusomraader")
@permission_required("cycle.view")
@kept_page
def index(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    title = _("Fokusområder i %(title)s", title=cycle.title)
    at = now()

    def context() -> dict[str, Any]:  # only when the kept content is out of date
        manage = can(current_user, "focus_area.manage", cycle, at)
        data = read.overview(
            cycle, may_report=lambda i: can(current_user, "focus_area.report", i, at))
        return {"title": title, "cycle": cycle, "data": data, "manage": manage}

    return render_kept(title, "focus_areas", cycle.id, "focus_areas/index_body.html", context)


@bp.route("/cykler/<int:cycle_id>/fokusomraader/nyt", methods=["GET", "POST"])
@permission_required("focus_area.manage")
def new_area(cycle_id: int) -> ResponseReturnValue:
    cycle = _managed_cycle(cycle_id)
    form = FocusAreaForm().creating()
    if form.validate_on_submit():
        outcome = perform(lambda: flow.create_area(current_user, cycle, _area_data(form),
                                                   now=now()), form=form,
                          created=lambda a: _index(cycle_id, f"fokusomraade-{a.id}"))
        if outcome.ok:
            flash(_("Fokusområdet er oprettet."), "success")
            return redirect(_index(cycle_id, f"fokusomraade-{outcome.value.id}"))
        cycle = _managed_cycle(cycle_id)
    return render_form("focus_areas/area_form.html", form, cycle=cycle, area=None)


@bp.route("/fokusomraader/<int:area_id>/rediger", methods=["GET", "POST"])
@permission_required("focus_area.manage")
def edit_area(area_id: int) -> ResponseReturnValue:
    area = _managed_area(area_id)
    form = FocusAreaForm(obj=area).editing(area)
    cycle_id = area.cycle_id
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: flow.update_area(current_user, area, _area_data(form),
                                                   now=now(), version=form_version(form)),
                          form=form, stale=area)
        if outcome.ok:
            flash(_("Fokusområdet er gemt."), "success")
            return redirect(_index(cycle_id, f"fokusomraade-{area_id}"))
        area = _managed_area(area_id)
        stored = area if outcome.conflict else None
    return render_form("focus_areas/area_form.html", form, cycle=area.cycle, area=area,
                       stored=stored)


def _remove(load: Callable[[], FocusArea | Initiative],
            remove: Callable[[Any, int], None], words: dict[str, str], back: str
            ) -> ResponseReturnValue:
    """The confirmation page of a removal and its post: `remove(record, version)` is the
    workflow's operation, `words` the page's ("what", "note") and the messages ("done",
    "conflict")."""
    record = load()
    form = VersionActionForm().editing(record)
    if form.validate_on_submit():
        outcome = perform(lambda: remove(record, form_version(form)), form=form,
                          conflict_message=words["conflict"])
        if outcome.ok:
            flash(words["done"], "success")
            return redirect(back)
        record = load()
        form.version.data = str(record.version_id)
    cycle = record.cycle if isinstance(record, FocusArea) else record.focus_area.cycle
    return render_form("focus_areas/remove.html", form, cycle=cycle, what=words["what"],
                       note=words["note"])


@bp.route("/fokusomraader/<int:area_id>/slet", methods=["GET", "POST"])
@permission_required("focus_area.manage")
def delete_area(area_id: int) -> ResponseReturnValue:
    area = _managed_area(area_id)
    return _remove(lambda: _managed_area(area_id), lambda record, version: flow.delete_area(
        current_user, record, now=now(), version=version), {
        "what": _("fokusområdet “%(title)s”", title=area.title),
        "note": _("Dets initiativer og deres statusmeldinger slettes med det."),
        "done": _("Fokusområdet er slettet."),
        "conflict": _("Fokusområdet er ændret, mens du så på det. Se det, og slet igen, hvis "
                      "du stadig vil.")}, _index(area.cycle_id))


@bp.route("/fokusomraader/<int:area_id>/flyt", methods=["POST"])
@permission_required("focus_area.manage")
def move_area(area_id: int) -> ResponseReturnValue:
    area = _managed_area(area_id)
    cycle_id = area.cycle_id
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    perform(lambda: flow.move_area(current_user, area, step=form.step.data, now=now(),
                                   version=form_version(form)),
            conflict_message=_("Fokusområdet er ændret, mens du så på det. Se den nye "
                               "rækkefølge, og flyt igen."))
    return redirect(_index(cycle_id, f"fokusomraade-{area_id}"))


def _area_data(form: FocusAreaForm) -> flow.AreaData:
    return flow.AreaData(title=form.title.data or "", vision=form.vision.data or "",
                         background=form.background.data or "")


# -- initiatives ---------------------------------------------------------------------------------

def _leads(form: InitiativeForm, region_id: int, keep: int | None) -> None:
    form.lead_organisation_id.choices = [(0, _("Ingen tovholder endnu")),
                                         *read.lead_choices(region_id, keep)]


def _initiative_data(form: InitiativeForm) -> flow.InitiativeData:
    return flow.InitiativeData(title=form.title.data or "",
                               description=form.description.data or "",
                               lead_organisation_id=form.lead_organisation_id.data or None)


@bp.route("/fokusomraader/<int:area_id>/initiativer/nyt", methods=["GET", "POST"])
@permission_required("focus_area.manage")
def new_initiative(area_id: int) -> ResponseReturnValue:
    area = _managed_area(area_id)
    cycle_id = area.cycle_id
    form = InitiativeForm().creating()
    _leads(form, area.region_id, None)
    if form.validate_on_submit():
        outcome = perform(lambda: flow.create_initiative(current_user, area,
                                                         _initiative_data(form), now=now()),
                          form=form,
                          created=lambda i: _index(cycle_id, f"initiativ-{i.id}"))
        if outcome.ok:
            flash(_("Initiativet er oprettet."), "success")
            return redirect(_index(cycle_id, f"initiativ-{outcome.value.id}"))
        area = _managed_area(area_id)
    return render_form("focus_areas/initiative_form.html", form, cycle=area.cycle, area=area,
                       initiative=None)


@bp.route("/initiativer/<int:initiative_id>/rediger", methods=["GET", "POST"])
@permission_required("focus_area.manage")
def edit_initiative(initiative_id: int) -> ResponseReturnValue:
    initiative = _managed_initiative(initiative_id)
    form = InitiativeForm(obj=initiative).editing(initiative)
    _leads(form, initiative.region_id, initiative.lead_organisation_id)
    if request.method == "GET":
        form.lead_organisation_id.data = initiative.lead_organisation_id or 0
    cycle_id = initiative.focus_area.cycle_id
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: flow.update_initiative(
            current_user, initiative, _initiative_data(form), now=now(),
            version=form_version(form)), form=form, stale=initiative)
        if outcome.ok:
            flash(_("Initiativet er gemt."), "success")
            return redirect(_index(cycle_id, f"initiativ-{initiative_id}"))
        initiative = _managed_initiative(initiative_id)
        stored = initiative if outcome.conflict else None
    area = initiative.focus_area
    return render_form("focus_areas/initiative_form.html", form, cycle=area.cycle, area=area,
                       initiative=initiative, stored=stored,
                       letter=read.initiative_letter(initiative))


@bp.route("/initiativer/<int:initiative_id>/slet", methods=["GET", "POST"])
@permission_required("focus_area.manage")
def delete_initiative(initiative_id: int) -> ResponseReturnValue:
    initiative = _managed_initiative(initiative_id)
    return _remove(lambda: _managed_initiative(initiative_id),
                   lambda record, version: flow.delete_initiative(
                       current_user, record, now=now(), version=version), {
        "what": _("initiativet “%(title)s”", title=initiative.title),
        "note": _("Dets statusmeldinger slettes med det."),
        "done": _("Initiativet er slettet."),
        "conflict": _("Initiativet er ændret, mens du så på det. Se det, og slet igen, hvis "
                      "du stadig vil.")},
        _index(initiative.focus_area.cycle_id, f"fokusomraade-{initiative.focus_area_id}"))


@bp.route("/initiativer/<int:initiative_id>/flyt", methods=["POST"])
@permission_required("focus_area.manage")
def move_initiative(initiative_id: int) -> ResponseReturnValue:
    initiative = _managed_initiative(initiative_id)
    cycle_id = initiative.focus_area.cycle_id
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    perform(lambda: flow.move_initiative(current_user, initiative, step=form.step.data,
                                         now=now(), version=form_version(form)),
            conflict_message=_("Initiativet er ændret, mens du så på det. Se den nye "
                               "rækkefølge, og flyt igen."))
    return redirect(_index(cycle_id, f"initiativ-{initiative_id}"))


# -- status --------------------------------------------------------------------------------------

@bp.route("/initiativer/<int:initiative_id>/status", methods=["GET", "POST"])
@permission_required("focus_area.report")
@kept_page  # the form as opened (a post is always drawn afresh)
def report(initiative_id: int) -> ResponseReturnValue:
    """The lead's (or the secretariat's) status report, with the initiative's history."""
    initiative = read.scoped_initiative_or_404(initiative_id, current_user)
    ensure("focus_area.report", initiative)
    cycle_id = initiative.focus_area.cycle_id
    form = StatusForm().editing(initiative)
    if request.method == "GET":
        form.status.data = initiative.status.value
        form.reported_on.data = to_local(now()).date()
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: flow.report_status(
            current_user, initiative, status=InitiativeStatus(form.status.data),
            report=form.report.data or "", reported_on=form.reported_on.data, now=now(),
            version=form_version(form)), form=form, stale=initiative)
        if outcome.ok:
            flash(_("Status er meldt."), "success")
            return redirect(_index(cycle_id, f"initiativ-{initiative_id}"))
        initiative = read.scoped_initiative_or_404(initiative_id, current_user)
        stored = initiative if outcome.conflict else None
    return render_form("focus_areas/status.html", form, initiative=initiative,
                       area=initiative.focus_area, cycle=initiative.focus_area.cycle,
                       letter=read.initiative_letter(initiative),
                       history=read.history(initiative), stored=stored,
                       status_label=flow.status_label)


# -- the cycle page's "Status på tidligere fokusområder" -----------------------------------------

@bp.app_context_processor
def _previous() -> dict[str, Any]:
    return {"previous_focus": lambda cycle: read.previous_focus(cycle, current_user)}


# -- the public page -----------------------------------------------------------------------------

def _visible(cycle: Cycle) -> bool:
    # The same public rule as the cycle's calendar feed and approvals: anyone, never a draft.
    return can(current_user, "cycle.public_feed", cycle)


def _content(cycle_id: int) -> tuple[str, str] | None:
    found = read.public_focus(cycle_id, _visible)
    if found is None:
        return None
    cycle, data = found
    title = _("Fokusområder i %(title)s", title=cycle.title)
    return title, render_template("focus_areas/public_body.html", title=title, data=data,
                                  region_name=cycle.region.name)


@public_bp.route("/offentlig/cykler/<int:cycle_id>/fokusomraader")
def page(cycle_id: int) -> ResponseReturnValue:
    # Unknown and draft cycles are kept too (as None): a 404.
    return public_cycle_page("focus.public", cycle_id, lambda: _content(cycle_id))
