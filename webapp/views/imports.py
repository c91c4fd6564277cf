"""The secretariat's import of organisations and people: upload, preview, confirm; templates."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from ..clock import now
from ..exports import write_csv, write_xlsx
from ..forms.imports import KIND_SLUGS, ConfirmImportForm, ImportUploadForm
from ..i18n import gettext as _
from ..models import ImportKind, PendingImport
from ..permissions import permission_required
from ..queries import imports as read
from ..uploads import max_bytes
from ..workflows import WorkflowError
from ..workflows.imports import apply as flow
from ..workflows.imports.apply import ImportResult
from ..workflows.imports.plan import ACTION_LABELS, COLUMNS, EXAMPLES
from .common import perform, render_form

bp = Blueprint("imports", __name__, url_prefix="/admin/import")

SLUG_OF = {ImportKind(kind): slug for slug, kind in KIND_SLUGS.items()}


def _upload_page(form: ImportUploadForm) -> ResponseReturnValue:
    return render_form("imports/upload.html", form, slugs=SLUG_OF)


@bp.route("", methods=["GET", "POST"])
@permission_required("region.import")
def upload() -> ResponseReturnValue:
    form = ImportUploadForm()
    if form.validate_on_submit():
        storage = form.file.data
        data = storage.stream.read(max_bytes() + 1) if isinstance(storage, FileStorage) else b""
        name = storage.filename or "" if isinstance(storage, FileStorage) else ""
        kind = ImportKind(KIND_SLUGS[form.kind.data or ""])
        outcome = perform(lambda: flow.stage(current_user, current_user.region_id, kind,
                                             data=data, filename=name, now=now()), form=form)
        if outcome.ok:
            return redirect(url_for("imports.preview", token=outcome.value.token))
    return _upload_page(form)


@bp.route("/skabelon-<slug>.<ext>")
@permission_required("region.import")
def template(slug: str, ext: str) -> ResponseReturnValue:
    kind = KIND_SLUGS.get(slug)
    if kind is None or ext not in ("csv", "xlsx"):
        abort(404)
    headers = list(COLUMNS[ImportKind(kind)])
    rows = EXAMPLES[ImportKind(kind)]
    if ext == "csv":
        body, mimetype = write_csv(headers, rows), "text/csv; charset=utf-8"
    else:
        body = write_xlsx(headers, rows, sheet_title=slug.capitalize(), widths=[34, 24, 34, 30])
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="skabelon-{slug}.{ext}"',
        "X-Content-Type-Options": "nosniff"})


def _pending(token: str) -> PendingImport:
    pending = read.pending_import_or_404(token, current_user)
    if flow.is_expired(pending, now()):
        abort(404)
    return pending


@bp.route("/<token>", methods=["GET"])
@permission_required("region.import")
def preview(token: str) -> ResponseReturnValue:
    pending = _pending(token)
    region, plan = read.preview(pending)
    form = ConfirmImportForm(digest=plan.digest)
    return render_template("imports/preview.html", pending=pending, region=region, plan=plan,
                           form=form, action_labels=ACTION_LABELS, slug=SLUG_OF[pending.kind])


def _done_message(kind: ImportKind, result: ImportResult) -> str:
    if kind == ImportKind.PEOPLE:
        return _("Importen er gemt: %(created)d personer oprettet og inviteret, %(changed)d "
                 "ændret, %(refused)d rækker sprunget over.", created=result.created,
                 changed=result.changed, refused=result.refused)
    return _("Importen er gemt: %(created)d organisationer oprettet, %(changed)d ændret, "
             "%(refused)d rækker sprunget over.", created=result.created,
             changed=result.changed, refused=result.refused)


@bp.route("/<token>", methods=["POST"])
@permission_required("region.import")
def confirm(token: str) -> ResponseReturnValue:
    pending = read.pending_import(token, current_user)
    if pending is None:  # confirmed already (a second click) or cancelled
        flash(_("Importen er allerede gemt eller annulleret."), "info")
        return redirect(url_for("imports.upload"))
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    kind = pending.kind
    region, _plan = read.preview(pending)
    outcome = perform(lambda: flow.confirm(current_user, pending, region,
                                           digest=form.digest.data or "", now=now()),
                      duplicate=WorkflowError(_("En anden har netop importeret de samme "
                                                "data. Se den nye forhåndsvisning.")))
    if not outcome.ok:
        still = read.pending_import(token, current_user)
        if still is None:
            return redirect(url_for("imports.upload"))
        return redirect(url_for("imports.preview", token=token))
    flash(_done_message(kind, outcome.value), "success")
    return redirect(url_for("admin.organisations" if kind == ImportKind.ORGANISATIONS
                            else "admin.people"))


@bp.route("/<token>/annuller", methods=["POST"])
@permission_required("region.import")
def cancel(token: str) -> ResponseReturnValue:
    pending = read.pending_import(token, current_user)
    if pending is not None:
        outcome = perform(lambda: flow.discard(current_user, pending))
        if outcome.ok:
            flash(_("Importen er annulleret. Intet er gemt."), "info")
    return redirect(url_for("imports.upload"))
