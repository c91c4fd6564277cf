"""The workshop page (programme, sessions, themes; for the secretariat the overview of the
sign-up with a chart per session), a theme's page with its participants, moving a person,
closing a theme, and the name lists, badges and XLSX."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...clock import now
from ...exports import download_name, write_xlsx
from ...forms.base import coerce_id
from ...forms.workshops import CloseThemeForm, MoveForm
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import Workshop, WorkshopSession, WorkshopTheme
from ...permissions import can, permission_required
from ...queries.workshops import loaders as load
from ...queries.workshops.overview import MIX_LABELS, overview, xlsx_rows
from ...queries.workshops.participants import participant_ids
from ...queries.workshops.signup import theme_counts
from ...workflows.workshops import signup as flow
from ..common import form_version, kept_page, perform
from .setup import bp, managed


@bp.route("/workshops/<int:workshop_id>")
@permission_required("cycle.view")
@kept_page
def detail(workshop_id: int) -> ResponseReturnValue:
    workshop = load.scoped_workshop_or_404(workshop_id, current_user)
    manage = can(current_user, "workshop.manage", workshop)
    if manage:
        data = overview(workshop)
        return render_template("workshops/detail.html", workshop=workshop, manage=True,
                               data=data, sessions=[b.session for b in data.sessions],
                               mix_labels=MIX_LABELS, counts=None, own_themes=set())
    sessions = load.sessions_with_themes(workshop)
    return render_template("workshops/detail.html", workshop=workshop, manage=False, data=None,
                           sessions=sessions, counts=theme_counts(workshop.id),
                           mix_labels=MIX_LABELS, own_themes=own_themes(sessions))


def own_themes(sessions: list[WorkshopSession]) -> set[int]:
    """The themes whose input the viewer takes part in: as its facilitator or a participant
    (one query), so the page can lead them to it."""
    themes = [t for s in sessions for t in s.themes]
    taking_part = participant_ids([t.id for t in themes])
    return {t.id for t in themes if t.facilitator_id == current_user.id
            or current_user.id in taking_part.get(t.id, set())}


def _posted_id(raw: object) -> int | None:
    try:
        return coerce_id(raw)
    except ValueError:
        return None


def _other_themes(theme: WorkshopTheme) -> list[tuple[int, str]]:
    return [(t.id, t.title) for t in theme.session.themes if t.id != theme.id and not t.is_closed]


def _theme_page(workshop: Workshop, theme: WorkshopTheme, *, move_form: MoveForm | None = None,
                close_form: CloseThemeForm | None = None, status: int = 200) -> ResponseReturnValue:
    data = overview(workshop)
    move_form = move_form or MoveForm(formdata=None)
    close_form = close_form or CloseThemeForm(formdata=None).editing(theme)
    move_form.to_theme_id.choices = close_form.to_theme_id.choices = _other_themes(theme)
    return render_template("workshops/theme.html", workshop=workshop, theme=theme,
                           row=data.row(theme.id), move_form=move_form, close_form=close_form,
                           mix_labels=MIX_LABELS), status


@bp.route("/workshops/<int:workshop_id>/temaer/<int:theme_id>")
@permission_required("workshop.manage")
@kept_page
def theme(workshop_id: int, theme_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    return _theme_page(workshop, load.theme_or_404(workshop, theme_id))


@bp.route("/workshops/<int:workshop_id>/temaer/<int:theme_id>/flyt", methods=["POST"])
@permission_required("workshop.manage")
def move(workshop_id: int, theme_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    theme = load.theme_or_404(workshop, theme_id)
    form = MoveForm()
    form.to_theme_id.choices = _other_themes(theme)
    invitee = load.invitee_or_404(workshop, _posted_id(form.invitee_id.data))
    if form.validate_on_submit():
        outcome = perform(lambda: flow.move_person(
            current_user, theme, invitee, form.to_theme_id.data, form.reason.data or "",
            now=now()), form=form)
        if outcome.ok:
            flash(_("%(name)s er flyttet og har fået besked.", name=invitee.name), "success")
            return redirect(url_for("workshops.theme", workshop_id=workshop_id,
                                    theme_id=theme_id))
        workshop = managed(workshop_id)
        theme = load.theme_or_404(workshop, theme_id)
    return _theme_page(workshop, theme, move_form=form, status=422)


@bp.route("/workshops/<int:workshop_id>/temaer/<int:theme_id>/luk", methods=["POST"])
@permission_required("workshop.manage")
def close(workshop_id: int, theme_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    theme = load.theme_or_404(workshop, theme_id)
    form = CloseThemeForm().editing(theme)
    form.to_theme_id.choices = _other_themes(theme)
    conflict = False
    if form.validate_on_submit():
        outcome = perform(lambda: flow.close_theme(
            current_user, theme, form.to_theme_id.data, form.reason.data or "", now=now(),
            version=form_version(form)), form=form, stale=theme)
        if outcome.ok:
            flash(ngettext("Temaet er lukket, og %(num)d deltager er flyttet.",
                           "Temaet er lukket, og %(num)d deltagere er flyttet.",
                           outcome.value), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop_id))
        conflict = outcome.conflict
        workshop = managed(workshop_id)
        theme = load.theme_or_404(workshop, theme_id)
    return _theme_page(workshop, theme, close_form=form, status=409 if conflict else 422)


@bp.route("/workshops/<int:workshop_id>/navnelister")
@permission_required("workshop.manage")
@kept_page
def name_lists(workshop_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    return render_template("workshops/name_lists.html", workshop=workshop,
                           data=overview(workshop))


@bp.route("/workshops/<int:workshop_id>/navneskilte")
@permission_required("workshop.manage")
@kept_page
def badges(workshop_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    return render_template("workshops/badges.html", workshop=workshop, data=overview(workshop))


@bp.route("/workshops/<int:workshop_id>/tilmeldinger.xlsx")
@permission_required("workshop.manage")
@kept_page
def xlsx(workshop_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    headers, rows = xlsx_rows(overview(workshop))
    data = write_xlsx(headers, rows, sheet_title=_("Tilmeldinger"))
    return send_file(io.BytesIO(data), as_attachment=True,
                     download_name=download_name(f"{workshop.title}-tilmeldinger", "xlsx"),
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
