"""A board member's blind scoring: the overview of their own ballot
(`/prioritering/<id>/scoring`) and one theme's form (`/prioritering/<id>/scoring/<theme_id>`).

Both pages are the member's own: another region's board, a draft, or a board the person is not
on is a 404. They show only the member's own scores and notes (queries.boards.scoring reads
nothing else). After the close the pages still show the member's own scores, read-only; a form
posted after the close is refused with a Danish message and the input kept.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...clock import now
from ...forms.board_scoring import NO_SCORE, ThemeScoreBase, theme_score_form
from ...i18n import gettext as _
from ...models import BoardState, BoardTheme
from ...permissions import ensure, permission_required
from ...queries.boards.scoring import Ballot, ballot, member_board_or_404, theme_input
from ...workflows.boards import scoring as flow
from ..common import form_version, kept_page, perform

bp = Blueprint("board_scoring", __name__)


def _load(board_id: int) -> Ballot:
    board, member = member_board_or_404(board_id, current_user)
    ensure("board.view", board)
    return ballot(board, member)


@bp.route("/prioritering/<int:board_id>/scoring")
@permission_required("board.view")
@kept_page
def overview(board_id: int) -> ResponseReturnValue:
    mine = _load(board_id)
    return render_template("boards/scoring_overview.html", ballot=mine, board=mine.board,
                           open=mine.board.state == BoardState.OPEN)


def _fill(form: ThemeScoreBase, mine: Ballot, theme: BoardTheme) -> None:
    for criterion, field in form.score_fields():
        value = mine.score(theme, criterion)
        field.data = str(value) if value is not None else NO_SCORE
    note = mine.notes.get(theme.id)
    if note is not None:
        form.comment.data = note.comment
        form.abstain.data = note.abstained
        form.abstain_note.data = note.abstain_note


@bp.route("/prioritering/<int:board_id>/scoring/<int:theme_id>", methods=["GET", "POST"])
@permission_required("board.view")
@kept_page
def theme(board_id: int, theme_id: int) -> ResponseReturnValue:
    mine = _load(board_id)
    subject = mine.theme_or_404(theme_id)
    form = theme_score_form(mine.criteria).editing(mine.member)
    stored: Ballot | None = None
    if request.method == "GET":
        _fill(form, mine, subject)
    elif form.validate_on_submit():
        following = mine.next_theme(subject)
        outcome = perform(lambda: flow.save_theme(
            current_user, mine.board, subject, form.scores(), form.comment.data or "",
            bool(form.abstain.data), form.abstain_note.data or "",
            version=form_version(form), now=now()), form=form, stale=mine.member)
        if outcome.ok:
            flash(_("Din scoring af “%(title)s” er gemt.", title=subject.title), "success")
            if request.form.get("go") == "next":
                if following is None:
                    return redirect(url_for("board_scoring.overview", board_id=board_id))
                return redirect(url_for("board_scoring.theme", board_id=board_id,
                                        theme_id=following.id))
            return redirect(url_for("board_scoring.theme", board_id=board_id,
                                    theme_id=subject.id))
        mine = _load(board_id)  # again after the rollback: what is stored now
        subject = mine.theme_or_404(theme_id)
        if outcome.conflict:
            stored = mine
    return _page(mine, subject, form, stored)


def _page(mine: Ballot, subject: BoardTheme, form: ThemeScoreBase,
          stored: Ballot | None) -> ResponseReturnValue:
    posted = request.method == "POST"
    context: dict[str, Any] = {
        "ballot": mine, "board": mine.board, "theme": subject, "form": form,
        "line": mine.line(subject), "stored": stored, "input": theme_input(subject),
        "position": mine.themes.index(subject) + 1, "following": mine.next_theme(subject),
        # After the close the page shows the member's own scores; a refused post keeps the
        # form with what was typed.
        "open": mine.board.state == BoardState.OPEN or posted,
    }
    status = (409 if stored is not None else 422) if posted else 200
    return render_template("boards/scoring_theme.html", **context), status
