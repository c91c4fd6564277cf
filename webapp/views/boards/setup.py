"""The secretariat's prioritisation board pages (blueprint `boards`): the cycle's boards, the
board form, the board's page (themes, criteria, members with their progress, opening and
closing), the theme and criterion forms and the members page. A member reaches the board's page
too: its introduction and the way to the scoring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...clock import now
from ...formatting import format_datetime
from ...forms.base import BaseForm
from ...forms.boards import BoardForm, BoardThemeForm, CriterionForm, MemberForm, StepForm
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import (
    BoardCriterion,
    BoardState,
    BoardTheme,
    Cycle,
    Milestone,
    PrioritisationBoard,
    Recommendation,
)
from ...permissions import can, ensure, permission_required
from ...permissions.boards import is_member
from ...queries.boards import loaders as load
from ...queries.cycles import scoped_cycle_or_404
from ...workflows.boards import setup as flow
from ..common import form_version, kept_page, perform, render_form

bp = Blueprint("boards", __name__)


def managed(board_id: int, *, themes: bool = False, criteria: bool = False,
            members: bool = False) -> PrioritisationBoard:
    board = load.scoped_board_or_404(board_id, current_user, themes=themes, criteria=criteria,
                                     members=members)
    ensure("board.manage", board)
    return board


def scoring_href(board: PrioritisationBoard) -> str:
    return url_for("board_scoring.overview", board_id=board.id)


def results_href(board: PrioritisationBoard) -> str:
    return url_for("board_results.results", board_id=board.id)


def _to_board(board_id: int, anchor: str = "") -> ResponseReturnValue:
    return redirect(url_for("boards.detail", board_id=board_id) + (f"#{anchor}" if anchor else ""))


# -- the cycle's boards and the board form -------------------------------------------------------

@bp.route("/cykler/<int:cycle_id>/prioritering")
@permission_required("board.view")
@kept_page
def cycle_boards(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    return render_template("boards/index.html", cycle=cycle,
                           rows=load.cycle_boards(cycle, current_user),
                           manage=can(current_user, "board.manage", cycle))


def _milestone_choices(form: BoardForm, cycle: Cycle) -> list[Milestone]:
    milestones = flow.board_milestones(cycle.id)
    form.milestone_id.choices = [
        (m.id, _("%(title)s (frist %(when)s)", title=m.title, when=format_datetime(m.ends_at)))
        for m in milestones]
    return milestones


def _board_data(form: BoardForm, milestones: list[Milestone]) -> flow.BoardData:
    return flow.BoardData(
        title=form.title.data or "", intro=form.intro.data or "",
        milestone=next((m for m in milestones if m.id == form.milestone_id.data), None))


@bp.route("/cykler/<int:cycle_id>/prioritering/ny", methods=["GET", "POST"])
@permission_required("board.manage")
def create(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    ensure("board.manage", cycle)
    form = BoardForm().creating()
    milestones = _milestone_choices(form, cycle)
    lists = load.theme_lists(cycle)
    form.workshop_id.choices = [(0, _("Ingen: jeg skriver temaerne selv"))] + [
        (w.id, ngettext("Temalisten fra “%(title)s” (%(num)d tema)",
                        "Temalisten fra “%(title)s” (%(num)d temaer)", n, title=w.title))
        for w, n in lists]
    if request.method == "GET" and lists:
        form.workshop_id.data = lists[-1][0].id
    if milestones and form.validate_on_submit():
        workshop = next((w for w, _n in lists if w.id == form.workshop_id.data), None)
        outcome = perform(lambda: flow.create_board(
            current_user, cycle, _board_data(form, milestones), workshop=workshop, now=now()),
            form=form, created=lambda b: url_for("boards.detail", board_id=b.id))
        if outcome.ok:
            flash(_("Tavlen er oprettet som kladde. Tilføj kriterier og medlemmer, og åbn den "
                    "for scoring."), "success")
            return _to_board(outcome.value.id)
        cycle = scoped_cycle_or_404(cycle_id, current_user)
    elif not milestones and request.method == "POST":
        form.validate()
    return render_form("boards/form.html", form, cycle=cycle, board=None,
                       has_milestones=bool(milestones))


@bp.route("/prioritering/<int:board_id>/rediger", methods=["GET", "POST"])
@permission_required("board.manage")
def edit(board_id: int) -> ResponseReturnValue:
    board = managed(board_id)
    if not flow.BOARDS.is_editable(board):
        flash(_("Tavlen er åbnet for scoring og kan ikke længere ændres."), "info")
        return _to_board(board_id)
    form = BoardForm(obj=board).editing_board(board)
    milestones = _milestone_choices(form, board.cycle)
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: flow.update_board(
            current_user, board, _board_data(form, milestones), now=now(),
            version=form_version(form)), form=form, stale=board)
        if outcome.ok:
            flash(_("Tavlen er gemt."), "success")
            return _to_board(board_id)
        board = managed(board_id)
        stored = board if outcome.conflict else None
    return render_form("boards/form.html", form, cycle=board.cycle, board=board, stored=stored,
                       has_milestones=True)


# -- the board's page ----------------------------------------------------------------------------

@bp.route("/prioritering/<int:board_id>")
@permission_required("board.view")
@kept_page
def detail(board_id: int) -> ResponseReturnValue:
    board = load.scoped_board_or_404(board_id, current_user, themes=True, criteria=True,
                                     members=True)
    manage = can(current_user, "board.manage", board)
    return render_template(
        "boards/detail.html", board=board, manage=manage,
        progress=load.member_progress(board) if manage else [],
        member=is_member(board, current_user.id),
        may_score=can(current_user, "board.score", board),
        may_see_results=can(current_user, "board.results", board),
        scoring_href=scoring_href(board), results_href=results_href(board),
        labels=flow.RECOMMENDATION_LABELS, now=now())


def _state_change(board_id: int, operation: Callable[[PrioritisationBoard], Any],
                  done: Callable[[Any], str]) -> ResponseReturnValue:
    board = managed(board_id)
    form = BaseForm()
    if form.validate_on_submit():
        outcome = perform(lambda: operation(board))
        if outcome.ok:
            flash(done(outcome.value), "success")
    else:
        flash(_("Formularen var udløbet. Prøv igen."), "error")
    return _to_board(board_id)


@bp.route("/prioritering/<int:board_id>/aabn", methods=["POST"])
@permission_required("board.manage")
def open_board(board_id: int) -> ResponseReturnValue:
    return _state_change(
        board_id, lambda b: flow.open_board(current_user, b, now=now()),
        lambda sent: ngettext("Tavlen er åbnet for scoring, og %(num)d medlem har fået en "
                              "invitation.", "Tavlen er åbnet for scoring, og %(num)d medlemmer "
                              "har fået en invitation.", sent))


@bp.route("/prioritering/<int:board_id>/luk", methods=["POST"])
@permission_required("board.manage")
def close_board(board_id: int) -> ResponseReturnValue:
    return _state_change(board_id, lambda b: flow.close_board(current_user, b, now=now()),
                         lambda _v: _("Tavlen er lukket. Scorerne kan ikke længere ændres."))


# -- themes and criteria ------------------------------------------------------------------------

Part = BoardTheme | BoardCriterion


def _new_part(board_id: int, form: BaseForm, add: Callable[[PrioritisationBoard], Part],
              template: str, anchor: str, done: Callable[[str], str]) -> ResponseReturnValue:
    """A new theme or criterion: added (to the board's page), or the form again with the
    refusal at its field and the input kept."""
    board = managed(board_id)
    if form.validate_on_submit():
        outcome = perform(lambda: add(board), form=form,
                          created=lambda _p: url_for("boards.detail", board_id=board_id))
        if outcome.ok:
            flash(done(outcome.value.title), "success")
            return _to_board(board_id, anchor)
        board = managed(board_id)
    return render_form(template, form, board=board, part=None,
                       labels=flow.RECOMMENDATION_LABELS)


P = TypeVar("P", BoardTheme, BoardCriterion)
F = TypeVar("F", bound=BaseForm)


def _edit_part(board_id: int, load_part: Callable[[PrioritisationBoard], P],
               make_form: Callable[[PrioritisationBoard, P], F],
               save: Callable[[PrioritisationBoard, P, F], P],
               stale_of: Callable[[PrioritisationBoard, P], Any], template: str,
               anchor: str, done: str) -> ResponseReturnValue:
    """An edit of a theme or criterion: saved, refused at its field, or a conflict with the
    stored values shown beside the person's input."""
    board = managed(board_id)
    part = load_part(board)
    form = make_form(board, part)
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: save(board, part, form), form=form,
                          stale=stale_of(board, part))
        if outcome.ok:
            flash(done, "success")
            return _to_board(board_id, anchor)
        board = managed(board_id)
        part = load_part(board)
        stored = part if outcome.conflict else None
    return render_form(template, form, board=board, part=part, stored=stored,
                       labels=flow.RECOMMENDATION_LABELS)


def _theme_data(form: BoardThemeForm) -> flow.ThemeData:
    return flow.ThemeData(
        title=form.title.data or "", group_name=form.group_name.data or "",
        recommendation=Recommendation(form.recommendation.data or Recommendation.NONE.value),
        recommendation_label=form.recommendation_label.data or "",
        rationale=form.rationale.data or "")


def _criterion_data(form: CriterionForm) -> flow.CriterionData:
    return flow.CriterionData(title=form.title.data or "",
                              description=form.description.data or "", weight=form.weight.data)


@bp.route("/prioritering/<int:board_id>/temaer/ny", methods=["GET", "POST"])
@permission_required("board.manage")
def new_theme(board_id: int) -> ResponseReturnValue:
    form = BoardThemeForm().creating()
    return _new_part(board_id, form, lambda b: flow.add_theme(
        current_user, b, _theme_data(form), now=now()), "boards/theme_form.html", "temaer",
        lambda title: _("Temaet “%(title)s” er tilføjet.", title=title))


def _theme_form(board: PrioritisationBoard, theme: BoardTheme) -> BoardThemeForm:
    form = BoardThemeForm(obj=theme).editing(theme)
    if request.method == "GET":
        form.recommendation.data = theme.recommendation.value
    return form


@bp.route("/prioritering/<int:board_id>/temaer/<int:theme_id>/rediger", methods=["GET", "POST"])
@permission_required("board.manage")
def edit_theme(board_id: int, theme_id: int) -> ResponseReturnValue:
    """A theme carries its own counter as the edit version."""
    return _edit_part(
        board_id, lambda b: load.theme_or_404(b, theme_id), _theme_form,
        lambda b, t, form: flow.update_theme(
            current_user, b, t, _theme_data(form), now=now(),
            version=form_version(form)),
        lambda _b, t: t, "boards/theme_form.html", "temaer", _("Temaet er gemt."))


@bp.route("/prioritering/<int:board_id>/kriterier/ny", methods=["GET", "POST"])
@permission_required("board.manage")
def new_criterion(board_id: int) -> ResponseReturnValue:
    form = CriterionForm().creating()
    return _new_part(board_id, form, lambda b: flow.add_criterion(
        current_user, b, _criterion_data(form), now=now()), "boards/criterion_form.html",
        "kriterier", lambda title: _("Kriteriet “%(title)s” er tilføjet.", title=title))


@bp.route("/prioritering/<int:board_id>/kriterier/<int:criterion_id>/rediger",
          methods=["GET", "POST"])
@permission_required("board.manage")
def edit_criterion(board_id: int, criterion_id: int) -> ResponseReturnValue:
    """A criterion carries the board's counter as its version (workflows: update_criterion)."""
    return _edit_part(
        board_id, lambda b: load.criterion_or_404(b, criterion_id),
        lambda b, c: CriterionForm(obj=c).editing(b),
        lambda b, c, form: flow.update_criterion(
            current_user, b, c, _criterion_data(form), now=now(),
            version=form_version(form)),
        lambda b, _c: b, "boards/criterion_form.html", "kriterier", _("Kriteriet er gemt."))


def _list_action(board_id: int, anchor: str,
                 operation: Callable[[PrioritisationBoard], Any],
                 form: BaseForm | None = None, done: str = "") -> ResponseReturnValue:
    """A button on the board's page (remove, a step up or down): done, or the refusal flashed."""
    board = managed(board_id)
    form = form or BaseForm()
    if form.validate_on_submit():
        outcome = perform(lambda: operation(board))
        if outcome.ok and done:
            flash(done, "success")
    else:
        flash(_("Formularen var udløbet eller ufuldstændig. Prøv igen."), "error")
    return _to_board(board_id, anchor)


@bp.route("/prioritering/<int:board_id>/temaer/<int:theme_id>/fjern", methods=["POST"])
@permission_required("board.manage")
def remove_theme(board_id: int, theme_id: int) -> ResponseReturnValue:
    return _list_action(board_id, "temaer", lambda b: flow.remove_theme(
        current_user, b, load.theme_or_404(b, theme_id), now=now()),
        done=_("Temaet er fjernet."))


@bp.route("/prioritering/<int:board_id>/temaer/<int:theme_id>/flyt", methods=["POST"])
@permission_required("board.manage")
def move_theme(board_id: int, theme_id: int) -> ResponseReturnValue:
    form = StepForm()
    return _list_action(board_id, "temaer", lambda b: flow.move_theme(
        current_user, b, load.theme_or_404(b, theme_id), form.delta(), now=now()), form)


@bp.route("/prioritering/<int:board_id>/kriterier/<int:criterion_id>/fjern", methods=["POST"])
@permission_required("board.manage")
def remove_criterion(board_id: int, criterion_id: int) -> ResponseReturnValue:
    return _list_action(board_id, "kriterier", lambda b: flow.remove_criterion(
        current_user, b, load.criterion_or_404(b, criterion_id), now=now()),
        done=_("Kriteriet er fjernet."))


@bp.route("/prioritering/<int:board_id>/kriterier/<int:criterion_id>/flyt", methods=["POST"])
@permission_required("board.manage")
def move_criterion(board_id: int, criterion_id: int) -> ResponseReturnValue:
    form = StepForm()
    return _list_action(board_id, "kriterier", lambda b: flow.move_criterion(
        current_user, b, load.criterion_or_404(b, criterion_id), form.delta(), now=now()), form)


# -- members -------------------------------------------------------------------------------------

def _members_page(board: PrioritisationBoard, person_form: MemberForm | None = None,
                  status: int = 200) -> ResponseReturnValue:
    form = person_form or MemberForm(formdata=None)
    form.user_id.choices = [(p.id, f"{p.name} ({p.organisation.name})")
                            for p in load.people_to_add(board)]
    return render_template("boards/members.html", board=board, person_form=form,
                           progress=load.member_progress(board),
                           open_for_members=board.state in (BoardState.DRAFT, BoardState.OPEN)
                           ), status


@bp.route("/prioritering/<int:board_id>/medlemmer")
@permission_required("board.manage")
@kept_page
def members(board_id: int) -> ResponseReturnValue:
    return _members_page(managed(board_id, themes=True, criteria=True, members=True))


@bp.route("/prioritering/<int:board_id>/medlemmer/rolle", methods=["POST"])
@permission_required("board.manage")
def add_by_role(board_id: int) -> ResponseReturnValue:
    board = managed(board_id)
    if BaseForm().validate_on_submit():
        outcome = perform(lambda: flow.add_members_by_role(current_user, board, now=now()))
        if outcome.ok:
            flash(ngettext("%(num)d medlem af styregruppen er tilføjet.",
                           "%(num)d medlemmer af styregruppen er tilføjet.", outcome.value)
                  if outcome.value else _("Alle styregruppens aktive medlemmer er allerede "
                                          "på tavlen."), "success")
    return redirect(url_for("boards.members", board_id=board_id))


@bp.route("/prioritering/<int:board_id>/medlemmer/person", methods=["POST"])
@permission_required("board.manage")
def add_person(board_id: int) -> ResponseReturnValue:
    board = managed(board_id, members=True)
    form = MemberForm()
    form.user_id.choices = [(p.id, p.name) for p in load.people_to_add(board)]
    if form.validate_on_submit():
        outcome = perform(lambda: flow.add_member(current_user, board, form.user_id.data,
                                                  now=now()), form=form)
        if outcome.ok:
            flash(_("%(name)s er tilføjet tavlen.", name=outcome.value.name), "success")
            return redirect(url_for("boards.members", board_id=board_id))
    return _members_page(managed(board_id, themes=True, criteria=True, members=True), form,
                         422)


@bp.route("/prioritering/<int:board_id>/medlemmer/<int:member_id>/fjern",
          methods=["GET", "POST"])
@permission_required("board.manage")
def remove_member(board_id: int, member_id: int) -> ResponseReturnValue:
    """A confirmation first: on an open board the member's scores go with them."""
    board = managed(board_id, criteria=True)
    member = load.member_or_404(board, member_id)
    form = BaseForm()
    if form.validate_on_submit():
        name = member.name
        outcome = perform(lambda: flow.remove_member(current_user, board, member, now=now()))
        if outcome.ok:
            flash(_("%(name)s er fjernet fra tavlen.", name=name), "success")
            return redirect(url_for("boards.members", board_id=board_id))
        board = managed(board_id, criteria=True)
        member = load.member_or_404(board, member_id)
    done = load.themes_done(board, len(board.criteria)).get(member.user_id, 0)
    return render_template("boards/remove_member.html", board=board, member=member, done=done)
