"""The workshop's input (a theme's page, an item, a comment, the whole workshop's input and its
DOCX/XLSX) and the prioritisation list with its operations. Blueprint `workshop_input`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...clock import now
from ...exports import ascii_download_name, write_xlsx
from ...formatting import format_datetime
from ...forms.workshop_input import (
    CommentForm,
    ItemForm,
    LabelForm,
    ListThemeForm,
    MergeForm,
    PlenaryForm,
    SplitForm,
)
from ...i18n import gettext as _
from ...models import ListTheme, Workshop
from ...permissions import can, ensure, permission_required
from ...permissions.workshop_input import ItemInput, ThemeInput
from ...queries.workshops import input as read
from ...queries.workshops.theme_list import (
    ListEntry,
    ThemeListData,
    list_theme_or_404,
    region_labels,
    theme_list,
)
from ...workflows.workshops import input as flow
from ...workflows.workshops import theme_list as list_flow
from ...workshop_docx import DOCX_MIME, write_input
from ..common import form_version, kept_page, perform, render_form

bp = Blueprint("workshop_input", __name__)

THEME = "/workshops/<int:workshop_id>/temaer/<int:theme_id>/input"
LIST = "/workshops/<int:workshop_id>/temaliste"


def _access(workshop_id: int, theme_id: int) -> ThemeInput:
    access = read.theme_access_or_404(workshop_id, theme_id, current_user)
    ensure("workshop.read_input", access)
    return access


def _theme_url(access: ThemeInput, **anchor: Any) -> str:
    return url_for("workshop_input.theme", workshop_id=access.workshop.id,
                   theme_id=access.theme.id, **anchor)


def _render_theme(access: ThemeInput, form: ItemForm) -> tuple[str, int]:
    block = read.theme_block(access)
    when = now()
    editable = {item.id for _k, groups in block.kinds() for g in groups for item in g.items
                if can(current_user, "workshop.input", ItemInput(access, item), when)}
    return render_form("workshops/input/theme.html", form, access=access, block=block,
                       workshop=access.workshop, theme=access.theme, editable=editable,
                       may_input=can(current_user, "workshop.input", access, when),
                       kind_label=flow.kind_label)


@bp.route(THEME, methods=["GET", "POST"])
@permission_required("workshop.read_input")
@kept_page
def theme(workshop_id: int, theme_id: int) -> ResponseReturnValue:
    """A theme's input; the form adds a challenge or an action."""
    access = _access(workshop_id, theme_id)
    form = ItemForm().creating()
    if request.method == "POST":
        ensure("workshop.input", access, now())
        if form.validate():
            outcome = perform(lambda: flow.add_item(
                current_user, access, kind=form.input_kind(), heading=form.heading.data or "",
                body=form.body.data or "", now=now()), form=form,
                created=lambda item: _theme_url(access, _anchor=f"input-{item.id}"))
            if outcome.ok:
                flash(_("%(kind)s er gemt.", kind=flow.kind_label(form.input_kind())),
                      "success")
                return redirect(_theme_url(access, _anchor=f"input-{outcome.value.id}"))
            access = _access(workshop_id, theme_id)
    return _render_theme(access, form)


@bp.route(THEME + "/<int:item_id>", methods=["GET", "POST"])
@permission_required("workshop.input")
def item(workshop_id: int, theme_id: int, item_id: int) -> ResponseReturnValue:
    """Change an item: its counter makes a second tab's save a conflict, the typed text kept."""
    access = _access(workshop_id, theme_id)
    current = read.item_or_404(access, item_id)
    ensure("workshop.input", ItemInput(access, current), now())
    form = ItemForm(data=ItemForm.initial(current)).editing(current)
    stored = None
    if request.method == "POST" and form.validate():
        outcome = perform(lambda: flow.update_item(
            current_user, access, current, kind=form.input_kind(),
            heading=form.heading.data or "", body=form.body.data or "",
            version=form_version(form), now=now()), form=form, stale=current)
        if outcome.ok:
            flash(_("Ændringen er gemt."), "success")
            return redirect(_theme_url(access, _anchor=f"input-{item_id}"))
        access = _access(workshop_id, theme_id)
        current = read.item_or_404(access, item_id)
        stored = current if outcome.conflict else None
    return _conflict_status(render_form("workshops/input/item.html", form, access=access,
                                        item=current, stored=stored,
                                        kind_label=flow.kind_label), stored)


@bp.route(THEME + "/<int:item_id>/kommentar", methods=["GET", "POST"])
@permission_required("workshop.input")
def comment(workshop_id: int, theme_id: int, item_id: int) -> ResponseReturnValue:
    access = _access(workshop_id, theme_id)
    current = read.item_or_404(access, item_id)
    ensure("workshop.input", access, now())
    form = CommentForm()
    if request.method == "POST" and form.validate():
        outcome = perform(lambda: flow.add_comment(current_user, access, current,
                                                   body=form.body.data or "", now=now()),
                          form=form, created=lambda c: _theme_url(
                              access, _anchor=f"input-{item_id}"))
        if outcome.ok:
            flash(_("Kommentaren er gemt."), "success")
            return redirect(_theme_url(access, _anchor=f"input-{item_id}"))
        access = _access(workshop_id, theme_id)
        current = read.item_or_404(access, item_id)
    return render_form("workshops/input/comment.html", form, access=access, item=current,
                       kind_label=flow.kind_label)


def _conflict_status(page: tuple[str, int], stored: object) -> tuple[str, int]:
    """A save that met a newer version answers 409 (the page shows both)."""
    return (page[0], 409) if stored is not None else page


def _docx(title: str, blocks: list[read.ThemeBlock]) -> Response:
    return Response(write_input(title, blocks), mimetype=DOCX_MIME, headers={
        "Content-Disposition": f'attachment; filename="{_ascii_name(title, "docx")}"',
        "Cache-Control": "no-store"})


def _ascii_name(title: str, suffix: str) -> str:
    return ascii_download_name(title, suffix, fallback="input")


@bp.route(THEME + ".docx")
@permission_required("workshop.read_input")
@kept_page
def theme_docx(workshop_id: int, theme_id: int) -> ResponseReturnValue:
    access = _access(workshop_id, theme_id)
    return _docx(_("Input: %(title)s", title=access.theme.title), [read.theme_block(access)])


def _workshop(workshop_id: int) -> Workshop:
    workshop = read.scoped_workshop_or_404(workshop_id, current_user)
    ensure("workshop.read_input", workshop)
    return workshop


@bp.route("/workshops/<int:workshop_id>/input")
@permission_required("workshop.read_input")
@kept_page
def overview(workshop_id: int) -> ResponseReturnValue:
    """Every theme's input on one page, in programme order."""
    workshop = _workshop(workshop_id)
    return render_template("workshops/input/overview.html", workshop=workshop,
                           blocks=read.workshop_input(workshop), kind_label=flow.kind_label)


@bp.route("/workshops/<int:workshop_id>/input.docx")
@permission_required("workshop.read_input")
@kept_page
def overview_docx(workshop_id: int) -> ResponseReturnValue:
    workshop = _workshop(workshop_id)
    return _docx(_("Input fra %(title)s", title=workshop.title), read.workshop_input(workshop))


@bp.route("/workshops/<int:workshop_id>/input.xlsx")
@permission_required("workshop.read_input")
@kept_page
def overview_xlsx(workshop_id: int) -> ResponseReturnValue:
    workshop = _workshop(workshop_id)
    rows = [(block.session_title, block.theme.title, flow.kind_label(item.kind),
             group.heading, item.body, item.author_name, format_datetime(item.created_at),
             len(item.comments))
            for block in read.workshop_input(workshop)
            for _kind, groups in block.kinds() for group in groups for item in group.items]
    body = write_xlsx([_("Session"), _("Tema"), _("Slags"), _("Underoverskrift"), _("Tekst"),
                       _("Skrevet af"), _("Tidspunkt"), _("Kommentarer")], rows,
                      sheet_title=_("Input"), widths=(24, 30, 12, 24, 60, 22, 18, 12))
    name = _ascii_name(_("Input fra %(title)s", title=workshop.title), "xlsx")
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument."
                                    "spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


# -- the prioritisation list -----------------------------------------------------------------

def _list_workshop(workshop_id: int) -> Workshop:
    workshop = read.scoped_workshop_or_404(workshop_id, current_user)
    ensure("workshop.theme_list", workshop)
    return workshop


def _merge_form(data: ThemeListData, form: MergeForm | None = None) -> MergeForm:
    return (form or MergeForm()).setup([(e.theme.id, e.theme.title) for e in data.entries])


def _render_list(workshop: Workshop, *, merge: MergeForm | None = None,
                 plenary: PlenaryForm | None = None,
                 label: LabelForm | None = None) -> tuple[str, int]:
    data = theme_list(workshop)
    failed = any(f is not None and (f.errors or f.form_errors) for f in (merge, plenary, label))
    page = render_template("workshops/input/theme_list.html", workshop=workshop, data=data,
                           merge=_merge_form(data, merge),
                           plenary=plenary or PlenaryForm(prefix="plenum"),
                           label_form=label or LabelForm(), kind_label=flow.kind_label)
    return page, 422 if failed else 200


@bp.route(LIST)
@permission_required("workshop.theme_list")
@kept_page
def theme_list_page(workshop_id: int) -> ResponseReturnValue:
    return _render_list(_list_workshop(workshop_id))


@bp.route(LIST + "/opret", methods=["POST"])
@permission_required("workshop.theme_list")
def build(workshop_id: int) -> ResponseReturnValue:
    workshop = _list_workshop(workshop_id)
    if perform(lambda: list_flow.build_list(current_user, workshop, now=now())).ok:
        flash(_("Temalisten er lavet med workshoppens temaer."), "success")
    return redirect(url_for(".theme_list_page", workshop_id=workshop_id))


@bp.route(LIST + "/saml", methods=["POST"])
@permission_required("workshop.theme_list")
def merge(workshop_id: int) -> ResponseReturnValue:
    workshop = _list_workshop(workshop_id)
    form = _merge_form(theme_list(workshop))
    if form.validate():
        outcome = perform(lambda: list_flow.merge(
            current_user, workshop, form.theme_ids.data or [], title=form.title.data or "",
            group_name=form.group_name.data or "", now=now()), form=form)
        if outcome.ok:
            flash(_("Temaerne er lagt sammen."), "success")
            return redirect(url_for(".theme_list_page", workshop_id=workshop_id))
        workshop = _list_workshop(workshop_id)
    return _render_list(workshop, merge=form)


def _add_to_list(workshop_id: int, form: PlenaryForm | LabelForm, done: str,
                 operation: Any) -> ResponseReturnValue:
    """A create form of the list page (a plenary theme, a label): one operation, back to the
    list, or the list again with the message at the form's field."""
    workshop = _list_workshop(workshop_id)
    if form.validate():
        back = url_for(".theme_list_page", workshop_id=workshop_id)
        outcome = perform(lambda: operation(workshop), form=form, created=lambda _made: back)
        if outcome.ok:
            flash(done, "success")
            return redirect(back)
        workshop = _list_workshop(workshop_id)
    if isinstance(form, PlenaryForm):
        return _render_list(workshop, plenary=form)
    return _render_list(workshop, label=form)


@bp.route(LIST + "/plenum", methods=["POST"])
@permission_required("workshop.theme_list")
def plenary(workshop_id: int) -> ResponseReturnValue:
    form = PlenaryForm(prefix="plenum")
    return _add_to_list(workshop_id, form, _("Temaet er tilføjet listen."),
                        lambda workshop: list_flow.add_plenary(
                            current_user, workshop, title=form.title.data or "",
                            group_name=form.group_name.data or "", now=now()))


@bp.route(LIST + "/anbefalinger", methods=["POST"])
@permission_required("workshop.theme_list")
def label(workshop_id: int) -> ResponseReturnValue:
    form = LabelForm()
    return _add_to_list(workshop_id, form, _("Anbefalingen er tilføjet."),
                        lambda workshop: list_flow.add_label(
                            current_user, workshop, name=form.name.data or "", now=now()))


def _entry(workshop_id: int, list_theme_id: int) -> tuple[Workshop, ListTheme]:
    workshop = _list_workshop(workshop_id)
    return workshop, list_theme_or_404(workshop, list_theme_id)


@bp.route(LIST + "/<int:list_theme_id>", methods=["GET", "POST"])
@permission_required("workshop.theme_list")
def edit_entry(workshop_id: int, list_theme_id: int) -> ResponseReturnValue:
    """Rename a list theme; its group, recommendation and rationale."""
    workshop, entry = _entry(workshop_id, list_theme_id)
    labels = region_labels(workshop.region_id)
    form = ListThemeForm(obj=entry, label_id=str(entry.label_id or "")).editing(entry) \
        .setup(labels)
    stored = None
    if request.method == "POST" and form.validate():
        outcome = perform(lambda: list_flow.update_theme(
            current_user, workshop, entry, form.placement(), version=form_version(form),
            now=now()), form=form, stale=entry)
        if outcome.ok:
            flash(_("Temaet er gemt."), "success")
            return redirect(url_for(".theme_list_page", workshop_id=workshop_id,
                                    _anchor=f"tema-{list_theme_id}"))
        workshop, entry = _entry(workshop_id, list_theme_id)
        stored = entry if outcome.conflict else None
    return _conflict_status(render_form(
        "workshops/input/list_theme.html", form, workshop=workshop, entry=entry, stored=stored,
        labels={lb.id: lb.name for lb in labels}), stored)


def _split_items(workshop: Workshop, entry: ListTheme) -> tuple[ListEntry, list[Any]]:
    """The list theme as listed, and its items in the order the page shows them."""
    listed = next(e for e in theme_list(workshop).entries if e.theme.id == entry.id)
    return listed, [i for groups in (listed.challenges, listed.actions)
                    for g in groups for i in g.items]


@bp.route(LIST + "/<int:list_theme_id>/del", methods=["GET", "POST"])
@permission_required("workshop.theme_list")
def split(workshop_id: int, list_theme_id: int) -> ResponseReturnValue:
    """Split a list theme: new titles, and for each item the new theme it goes to."""
    workshop, entry = _entry(workshop_id, list_theme_id)
    listed, items = _split_items(workshop, entry)
    form = SplitForm().editing(entry).setup(items)
    if request.method == "POST" and form.validate():
        outcome = perform(lambda: list_flow.split(
            current_user, workshop, entry, form.assignment(), version=form_version(form),
            now=now()), form=form, stale=entry)
        if outcome.ok:
            flash(_("Temaet er delt."), "success")
            return redirect(url_for(".theme_list_page", workshop_id=workshop_id))
        workshop, entry = _entry(workshop_id, list_theme_id)
        listed, items = _split_items(workshop, entry)
    return render_form("workshops/input/split.html", form, workshop=workshop, entry=entry,
                       listed=listed, items=items, kind_label=flow.kind_label)
