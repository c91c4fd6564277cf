"""The secretariat's theme day pages: the cycle's list and the form, the catalogue's themes and
items, voters, and the buttons that send the catalogue, open and end the vote."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from ...catalogue_docx import catalogue_attachment
from ...clock import now
from ...extensions import db
from ...formatting import format_datetime
from ...forms.cycles import ConfirmForm
from ...forms.theme_days import (
    CatalogueThemeForm,
    ItemForm,
    MoveForm,
    OpenForm,
    ThemeDayForm,
    VoterForm,
)
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import (
    CatalogueItemKind,
    Cycle,
    Milestone,
    MilestoneKind,
    PrioritisationBoard,
    ThemeDay,
)
from ...permissions import can, ensure, permission_required
from ...queries.cycles import scoped_cycle_or_404
from ...queries.theme_days import loaders as load
from ...queries.workshops.loaders import region_people
from ...workflows.theme_days import catalogue as cat
from ...workflows.theme_days import setup as flow
from ..common import form_version, kept_page, perform, render_form
from . import bp


def managed(day_id: int) -> ThemeDay:
    day = load.scoped_day_or_404(day_id, current_user)
    ensure("theme_day.manage", day)
    return day


def back(day_id: int) -> ResponseReturnValue:
    return redirect(url_for("theme_days.detail", day_id=day_id))


@bp.route("/cykler/<int:cycle_id>/temadag")
@permission_required("cycle.view")
@kept_page
def index(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    return render_template("theme_days/index.html", cycle=cycle,
                           days=load.cycle_days(cycle, current_user),
                           manage=can(current_user, "theme_day.manage", cycle))


def _choices(form: ThemeDayForm, cycle: Cycle,
             creating: bool) -> tuple[list[Milestone], list[PrioritisationBoard]]:
    milestones = list(db.session.scalars(select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.kind == MilestoneKind.THEME_DAY)
        .order_by(Milestone.ends_at, Milestone.id)))
    form.milestone_id.choices = [(m.id, f"{m.title} ({format_datetime(m.starts_at or m.ends_at)})")
                                 for m in milestones]
    boards = load.cycle_boards(cycle) if creating else []
    if creating:
        form.board_id.choices = [(0, _("Ingen: skriv temaerne selv"))] + [
            (b.id, b.title) for b in boards]
    return milestones, boards


def _data(form: ThemeDayForm, milestones: list[Milestone],
          boards: list[PrioritisationBoard]) -> flow.ThemeDayData:
    creating = "board_id" in form._fields
    return flow.ThemeDayData(
        title=form.title.data or "", intro=form.intro.data or "",
        milestone=next((m for m in milestones if m.id == form.milestone_id.data), None),
        picks_per_theme=form.picks_per_theme.data,
        board=next((b for b in boards if b.id == form.board_id.data), None) if creating
        else None,
        typed_themes=(form.theme_titles.data or "").splitlines() if creating else [])


@bp.route("/cykler/<int:cycle_id>/temadag/ny", methods=["GET", "POST"])
@permission_required("theme_day.manage")
def new(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    form = ThemeDayForm().creating()
    milestones, boards = _choices(form, cycle, True)
    if request.method == "GET" and boards:
        form.board_id.data = boards[-1].id
    if milestones and form.validate_on_submit():
        outcome = perform(lambda: flow.create_theme_day(
            current_user, cycle, _data(form, milestones, boards), now=now()), form=form,
            created=lambda d: url_for("theme_days.detail", day_id=d.id))
        if outcome.ok:
            flash(_("Temadagen er oprettet. Skriv nu katalogets udfordringer og "
                    "løsningsscenarier."), "success")
            return back(outcome.value.id)
        cycle = scoped_cycle_or_404(cycle_id, current_user)
    elif not milestones and request.method == "POST":
        form.validate()
    return render_form("theme_days/form.html", form, cycle=cycle, day=None,
                       has_milestones=bool(milestones))


@bp.route("/temadage/<int:day_id>/rediger", methods=["GET", "POST"])
@permission_required("theme_day.manage")
def edit(day_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    form = ThemeDayForm(obj=day).editing_day(day)
    milestones, _boards = _choices(form, day.cycle, False)
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: flow.update_theme_day(
            current_user, day, _data(form, milestones, []), now=now(),
            version=form_version(form)), form=form, stale=day)
        if outcome.ok:
            flash(_("Temadagen er gemt."), "success")
            return back(day_id)
        day = managed(day_id)
        stored = day if outcome.conflict else None
    return render_form("theme_days/form.html", form, cycle=day.cycle, day=day, stored=stored,
                       has_milestones=True)


# -- the catalogue's themes ------------------------------------------------------------------

@bp.route("/temadage/<int:day_id>/temaer/ny", methods=["GET", "POST"])
@permission_required("theme_day.manage")
def new_theme(day_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    form = CatalogueThemeForm().creating()
    if form.validate_on_submit():
        outcome = perform(lambda: cat.add_theme(current_user, day, form.title.data or "",
                                                form.intro.data or "", now=now()),
                          form=form, created=lambda t: url_for("theme_days.detail",
                                                               day_id=day_id))
        if outcome.ok:
            flash(_("Temaet er tilføjet kataloget."), "success")
            return back(day_id)
        day = managed(day_id)
    return render_form("theme_days/theme_form.html", form, day=day, theme=None)


@bp.route("/temadage/<int:day_id>/temaer/<int:theme_id>", methods=["GET", "POST"])
@permission_required("theme_day.manage")
def edit_theme(day_id: int, theme_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    theme = load.theme_or_404(day, theme_id)
    form = CatalogueThemeForm(obj=theme).editing(theme)
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: cat.update_theme(
            current_user, theme, form.title.data or "", form.intro.data or "", now=now(),
            version=form_version(form)), form=form, stale=theme)
        if outcome.ok:
            flash(_("Temaet er gemt."), "success")
            return back(day_id)
        day = managed(day_id)
        theme = load.theme_or_404(day, theme_id)
        stored = theme if outcome.conflict else None
    return render_form("theme_days/theme_form.html", form, day=day, theme=theme, stored=stored)


def _simple(day_id: int, operation: Any, done: str) -> ResponseReturnValue:
    """A button's post (remove, move, send, end): CSRF checked, one operation, back to the
    day with a message."""
    if ConfirmForm().validate_on_submit():
        outcome = perform(operation)
        if outcome.ok and done:
            flash(done, "success")
    else:
        flash(_("Formularen var udløbet. Prøv igen."), "error")
    return back(day_id)


@bp.route("/temadage/<int:day_id>/temaer/<int:theme_id>/slet", methods=["POST"])
@permission_required("theme_day.manage")
def remove_theme(day_id: int, theme_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    theme = load.theme_or_404(day, theme_id)
    return _simple(day_id, lambda: cat.remove_theme(current_user, theme, now=now()),
                   _("Temaet er fjernet fra kataloget."))


def _move(day_id: int, operation: Any, anchor: str) -> ResponseReturnValue:
    """A move button's post: `operation(direction)` with "up" or "down", then back to the
    moved row."""
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Formularen var udløbet. Prøv igen."), "error")
        return back(day_id)
    perform(lambda: operation("up" if form.direction.data == "up" else "down"))
    return redirect(url_for("theme_days.detail", day_id=day_id) + anchor)


@bp.route("/temadage/<int:day_id>/temaer/<int:theme_id>/flyt", methods=["POST"])
@permission_required("theme_day.manage")
def move_theme(day_id: int, theme_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    theme = load.theme_or_404(day, theme_id)
    return _move(day_id, lambda d: cat.move_theme(current_user, theme, d, now=now()),
                 f"#tema-{theme_id}")


# -- items -----------------------------------------------------------------------------------

def _item_data(form: ItemForm) -> cat.ItemData:
    return cat.ItemData(form.title.data or "", form.description.data or "",
                        form.cooperation.data or "")


@bp.route("/temadage/<int:day_id>/temaer/<int:theme_id>/punkter/ny", methods=["GET", "POST"])
@permission_required("theme_day.manage")
def new_item(day_id: int, theme_id: int) -> ResponseReturnValue:
    """A challenge of the theme, or with `?udfordring=<id>` a solution option under it."""
    day = managed(day_id)
    theme = load.theme_or_404(day, theme_id)
    parent_id = request.args.get("udfordring", type=int)
    challenge = next((i for i in theme.items if i.id == parent_id
                      and i.kind == CatalogueItemKind.CHALLENGE), None)
    if parent_id is not None and challenge is None:
        abort(404)
    form = ItemForm().editing(theme)  # the theme's counter: a second post is a conflict
    if form.validate_on_submit():
        outcome = perform(lambda: cat.add_item(current_user, theme, _item_data(form),
                                               now=now(), challenge=challenge,
                                               version=form_version(form)),
                          form=form, stale=theme)
        if outcome.ok:
            flash(_("Løsningsscenariet er tilføjet.") if challenge
                  else _("Udfordringen er tilføjet."), "success")
            return redirect(url_for("theme_days.detail", day_id=day_id) + f"#tema-{theme_id}")
        day = managed(day_id)
        theme = load.theme_or_404(day, theme_id)
    return render_form("theme_days/item_form.html", form, day=day, theme=theme,
                       challenge=challenge, item=None)


@bp.route("/temadage/<int:day_id>/punkter/<int:item_id>", methods=["GET", "POST"])
@permission_required("theme_day.manage")
def edit_item(day_id: int, item_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    item = load.item_or_404(day, item_id)
    form = ItemForm(obj=item).editing(item.theme)
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: cat.update_item(current_user, item, _item_data(form),
                                                  now=now(), version=form_version(form)),
                          form=form, stale=item.theme)
        if outcome.ok:
            flash(_("Punktet er gemt."), "success")
            return redirect(url_for("theme_days.detail", day_id=day_id)
                            + f"#tema-{item.theme_id}")
        day = managed(day_id)
        item = load.item_or_404(day, item_id)
        stored = item if outcome.conflict else None
    return render_form("theme_days/item_form.html", form, day=day, theme=item.theme,
                       challenge=item.parent, item=item, stored=stored)


@bp.route("/temadage/<int:day_id>/punkter/<int:item_id>/slet", methods=["POST"])
@permission_required("theme_day.manage")
def remove_item(day_id: int, item_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    item = load.item_or_404(day, item_id)
    return _simple(day_id, lambda: cat.remove_item(current_user, item, now=now()),
                   _("Punktet er fjernet."))


@bp.route("/temadage/<int:day_id>/punkter/<int:item_id>/flyt", methods=["POST"])
@permission_required("theme_day.manage")
def move_item(day_id: int, item_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    item = load.item_or_404(day, item_id)
    return _move(day_id, lambda d: cat.move_item(current_user, item, d, now=now()),
                 f"#punkt-{item_id}")


# -- voters ----------------------------------------------------------------------------------

@bp.route("/temadage/<int:day_id>/stemmeberettigede", methods=["GET", "POST"])
@permission_required("theme_day.manage")
def voters(day_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    form = VoterForm()
    added = {v.user_id for v in load.voters(day)}
    form.user_id.choices = [(p.id, f"{p.name} ({p.organisation.name})")
                            for p in region_people(day.region_id) if p.id not in added]
    if form.validate_on_submit():
        outcome = perform(lambda: flow.add_voter(current_user, day, form.user_id.data,
                                                 now=now()), form=form)
        if outcome.ok:
            flash(_("Personen kan nu stemme på temadagen."), "success")
            return redirect(url_for("theme_days.voters", day_id=day_id))
        day = managed(day_id)
    return render_form("theme_days/voters.html", form, day=day, voters=load.voters(day),
                       confirm=ConfirmForm())


@bp.route("/temadage/<int:day_id>/stemmeberettigede/<int:user_id>/fjern", methods=["POST"])
@permission_required("theme_day.manage")
def remove_voter(day_id: int, user_id: int) -> ResponseReturnValue:
    managed(day_id)
    if ConfirmForm().validate_on_submit():
        day = managed(day_id)
        if perform(lambda: flow.remove_voter(current_user, day, user_id, now=now())).ok:
            flash(_("Personen kan ikke længere stemme."), "success")
    return redirect(url_for("theme_days.voters", day_id=day_id))


# -- sending, opening, ending ----------------------------------------------------------------

@bp.route("/temadage/<int:day_id>/send", methods=["POST"])
@permission_required("theme_day.manage")
def send(day_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    sent: list[int] = []

    def operation() -> None:
        sent.append(flow.send_catalogue(current_user, day, now=now(),
                                        files=[catalogue_attachment(day)]))

    if ConfirmForm().validate_on_submit() and perform(operation).ok:
        flash(ngettext("Kataloget er sendt til %(num)d deltager.",
                       "Kataloget er sendt til %(num)d deltagere.", sent[0]), "success")
    return back(day_id)


@bp.route("/temadage/<int:day_id>/aabn", methods=["POST"])
@permission_required("theme_day.manage")
def open_vote(day_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    form = OpenForm()
    if form.validate_on_submit() and perform(lambda: flow.open_vote(
            current_user, day, now=now(), version=form_version(form)), stale=day).ok:
        flash(_("Afstemningen er åben."), "success")
    return back(day_id)


@bp.route("/temadage/<int:day_id>/afslut", methods=["POST"])
@permission_required("theme_day.manage")
def end_vote(day_id: int) -> ResponseReturnValue:
    day = managed(day_id)
    return _simple(day_id, lambda: flow.end_vote(current_user, day, now=now()),
                   _("Afstemningen er afsluttet. Optællingen står nu fast."))
