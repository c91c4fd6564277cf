"""The theme day for everyone who may see it: the catalogue (page and DOCX), the vote (one form
per catalogue theme, plain HTML: a phone without JavaScript votes as well) and the live tally
for the projector, whose bars a small script updates from the JSON every few seconds."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...catalogue_docx import DOCX_MIME, write_catalogue
from ...clock import now
from ...exports import ascii_download_name
from ...forms.cycles import ConfirmForm
from ...forms.theme_days import OpenForm, VoteForm, vote_form
from ...i18n import gettext as _
from ...models import ThemeDay
from ...permissions import can, permission_required
from ...queries.theme_days import catalogue as read
from ...queries.theme_days import loaders as load
from ...queries.theme_days.catalogue import Catalogue, catalogue, own_picks
from ...workflows import WorkflowError
from ...workflows.theme_days import voting as flow
from ..common import kept_page, perform
from . import bp

# How often the tally page's script asks for new counts (milliseconds).
POLL_MS = 3000


@bp.route("/temadage/<int:day_id>")
@permission_required("theme_day.view")
@kept_page
def detail(day_id: int) -> ResponseReturnValue:
    day = load.scoped_day_or_404(day_id, current_user)
    manage = can(current_user, "theme_day.manage", day)
    return render_template(
        "theme_days/detail.html", day=day, catalogue=catalogue(day), manage=manage,
        may_vote=can(current_user, "theme_day.vote", day),
        voters=load.voters(day) if manage else [],
        confirm=ConfirmForm(), open_form=OpenForm(version=str(day.version_id)))


@bp.route("/temadage/<int:day_id>/katalog.docx")
@permission_required("theme_day.view")
@kept_page
def docx(day_id: int) -> ResponseReturnValue:
    day = load.scoped_day_or_404(day_id, current_user)
    body = write_catalogue(day, catalogue(day))
    name = ascii_download_name(day.title, "docx", fallback="temakatalog")
    return Response(body, mimetype=DOCX_MIME, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def _choices(shape: Catalogue, theme_id: int) -> list[tuple[int, str]]:
    theme = shape.theme(theme_id)
    assert theme is not None
    return [(i, "") for i in theme.item_ids]


@bp.route("/temadage/<int:day_id>/stem", methods=["GET", "POST"])
@permission_required("theme_day.view")
@kept_page  # the forms as opened (a post is always drawn afresh)
def vote(day_id: int) -> ResponseReturnValue:
    day = load.scoped_day_or_404(day_id, current_user)
    shape = catalogue(day)
    posted = request.form.get("theme_id", type=int) if request.method == "POST" else None
    chosen = shape.theme(posted or 0)
    if request.method == "POST" and chosen is None:
        abort(404)
    picks = own_picks(day, current_user.id)
    forms: dict[int, VoteForm] = {}
    for theme in shape.themes:
        if theme.id == posted:
            forms[theme.id] = vote_form(theme.id, _choices(shape, theme.id))
        else:
            forms[theme.id] = vote_form(theme.id, _choices(shape, theme.id), formdata=None,
                                        data={"items": picks.get(theme.id, [])})
    failed = False
    if posted is not None and chosen is not None:
        form = forms[posted]
        if form.validate_on_submit():
            orm_theme = load.theme_or_404(day, posted)
            items = list(form.items.data or [])
            outcome = perform(
                lambda: flow.save_picks(current_user, day, orm_theme, items, now=now()),
                form=form, duplicate=WorkflowError(
                    _("Du har allerede stemt på en af disse muligheder. Genindlæs siden, og "
                      "prøv igen."), field=flow.FIELD))
            if outcome.ok:
                title = chosen.title
                flash(_("Dine valg til “%(theme)s” er gemt.", theme=title) if items
                      else _("Du har ingen valg til “%(theme)s”.", theme=title), "success")
                return redirect(url_for("theme_days.vote", day_id=day_id) + f"#tema-{posted}")
            day = load.scoped_day_or_404(day_id, current_user)
            picks = own_picks(day, current_user.id)
        failed = True
    return render_template("theme_days/vote.html", day=day, catalogue=shape, forms=forms,
                           picks=picks, posted=posted, may_vote=can(current_user,
                                                                    "theme_day.vote", day),
                           limit_text=flow.limit_text(day)), 422 if failed else 200


@bp.route("/temadage/<int:day_id>/optaelling")
@permission_required("theme_day.view")
@kept_page
def tally(day_id: int) -> ResponseReturnValue:
    day = load.scoped_day_or_404(day_id, current_user)
    return render_template("theme_days/tally.html", day=day, tally=read.tally(day),
                           poll_ms=POLL_MS)


@bp.route("/temadage/<int:day_id>/optaelling.json")
@permission_required("theme_day.view")
@kept_page
def tally_json(day_id: int) -> ResponseReturnValue:
    """The counts only (one query after the loader; kept until the next vote): cheap enough for
    a projector and a room of phones to ask every few seconds."""
    day: ThemeDay = load.scoped_day_or_404(day_id, current_user)
    return jsonify(read.counts(day).as_json())
