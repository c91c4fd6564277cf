"""Agreement texts: a cycle's texts, writing and importing them, versions, sections, freezing,
the DOCX download and the comparison of two versions.

Reading: anyone signed in in the region (a draft cycle's texts only the secretariat). Changing:
the secretariat (403 otherwise); another region's object is a 404. One workflow operation per
post, through `perform`, then a redirect.
"""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from ..agreement_docx import MAX_DOCX_BYTES, OutSection, write_docx
from ..clock import now
from ..formatting import format_date
from ..forms.agreements import (
    ImportTextForm,
    ImportVersionForm,
    MoveForm,
    NewVersionForm,
    SectionForm,
    TextForm,
    VersionActionForm,
    VersionForm,
)
from ..i18n import gettext as _
from ..models import TextVersion
from ..permissions import ensure, permission_required
from ..queries import agreements as read
from ..queries.cycles import scoped_cycle_or_404
from ..workflows import agreements as flow
from .common import form_version, kept_page, perform, render_form

bp = Blueprint("agreements", __name__)


def _upload(form: ImportTextForm | ImportVersionForm) -> tuple[bytes, str]:
    """The uploaded bytes (one more than allowed at most, so "too big" is still seen) and the
    file's name as sent (only for the trail; the content decides what the file is)."""
    storage = form.file.data
    if not isinstance(storage, FileStorage):
        return b"", ""
    return storage.stream.read(MAX_DOCX_BYTES + 1), storage.filename or ""


def _version_or_404(version_id: int) -> TextVersion:
    return read.scoped_version_or_404(version_id, current_user)


def _editable_or_back(version: TextVersion) -> ResponseReturnValue | None:
    """A frozen version has no edit pages: back to the version, saying why."""
    if version.is_frozen:
        flash(_("Versionen er fastfrosset og kan ikke ændres. Lav en ny version i stedet."),
              "info")
        return redirect(url_for("agreements.version", version_id=version.id))
    return None


# -- texts ----------------------------------------------------------------------------------

@bp.route("/cykler/<int:cycle_id>/tekster")
@permission_required("agreement.read")
@kept_page
def index(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    ensure("agreement.read", cycle)
    return render_template("agreements/index.html", cycle=cycle, texts=read.cycle_texts(cycle))


@bp.route("/cykler/<int:cycle_id>/tekster/ny", methods=["GET", "POST"])
@permission_required("agreement.manage")
def new(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    form = TextForm()
    if form.validate_on_submit():
        # The first version's id, read before the commit expires what is loaded.
        outcome = perform(lambda: flow.create_text(current_user, cycle,
                                                   title=form.title.data or "",
                                                   now=now()).versions[0].id,
                          form=form, created=lambda version_id: _edit_url(version_id))
        if outcome.ok:
            flash(_("Teksten “%(title)s” er oprettet med versionen “Udkast 1”. Tilføj nu "
                    "afsnit.", title=form.title.data), "success")
            return redirect(_edit_url(outcome.value))
        cycle = scoped_cycle_or_404(cycle_id, current_user)
    return render_form("agreements/new.html", form, cycle=cycle)


def _edit_url(version_id: int) -> str:
    return url_for("agreements.edit", version_id=version_id)


@bp.route("/cykler/<int:cycle_id>/tekster/importer", methods=["GET", "POST"])
@permission_required("agreement.manage")
def import_text(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    form = ImportTextForm()
    if form.validate_on_submit():
        data, name = _upload(form)

        def run() -> tuple[int, str]:
            text = flow.import_text(current_user, cycle, data=data, file_name=name,
                                    title=form.title.data or "", now=now())
            return text.versions[0].id, text.title

        outcome = perform(run, form=form, created=lambda done: _version_url(done[0]))
        if outcome.ok:
            version_id, title = outcome.value
            flash(_("“%(title)s” er importeret som “Udkast 1”. Gennemgå afsnittene.",
                    title=title), "success")
            return redirect(_version_url(version_id))
        cycle = scoped_cycle_or_404(cycle_id, current_user)
    return render_form("agreements/import.html", form, cycle=cycle, text=None)


@bp.route("/tekster/<int:text_id>/importer", methods=["GET", "POST"])
@permission_required("agreement.manage")
def import_version(text_id: int) -> ResponseReturnValue:
    text = read.scoped_text_or_404(text_id, current_user)
    ensure("agreement.manage", text.cycle)
    form = ImportVersionForm()
    if not form.is_submitted():
        form.label.data = flow.default_label(len(text.versions) + 1)
    if form.validate_on_submit():
        data, name = _upload(form)
        outcome = perform(lambda: flow.import_version(
            current_user, text, data=data, file_name=name, label=form.label.data or "",
            now=now()), form=form,
            created=lambda v: url_for("agreements.version", version_id=v.id))
        if outcome.ok:
            flash(_("Den nye version er importeret."), "success")
            return redirect(url_for("agreements.version", version_id=outcome.value.id))
        text = read.scoped_text_or_404(text_id, current_user)
    return render_form("agreements/import.html", form, cycle=text.cycle, text=text)


@bp.route("/tekster/<int:text_id>/ny-version", methods=["GET", "POST"])
@permission_required("agreement.manage")
def new_version(text_id: int) -> ResponseReturnValue:
    text = read.scoped_text_or_404(text_id, current_user)
    ensure("agreement.manage", text.cycle)
    form = NewVersionForm()
    if not form.is_submitted():
        form.label.data = flow.default_label(len(text.versions) + 1)
    if form.validate_on_submit():
        outcome = perform(lambda: flow.new_version(
            current_user, text, label=form.label.data or "", is_final=bool(form.is_final.data),
            now=now()), form=form,
            created=lambda v: url_for("agreements.edit", version_id=v.id))
        if outcome.ok:
            flash(_("Den nye version er lavet som en kopi af den seneste. Ret den nu."),
                  "success")
            return redirect(url_for("agreements.edit", version_id=outcome.value.id))
        text = read.scoped_text_or_404(text_id, current_user)
    return render_form("agreements/new_version.html", form, cycle=text.cycle, text=text,
                       latest=text.versions[-1] if text.versions else None)


def _version_url(version_id: int) -> str:
    return url_for("agreements.version", version_id=version_id)


# -- a version ------------------------------------------------------------------------------

@bp.route("/versioner/<int:version_id>")
@permission_required("agreement.read")
@kept_page
def version(version_id: int) -> ResponseReturnValue:
    version = _version_or_404(version_id)
    return render_template("agreements/version.html", version=version, text=version.text,
                           cycle=version.text.cycle, sections=read.numbered(version))


@bp.route("/versioner/<int:version_id>/rediger", methods=["GET", "POST"])
@permission_required("agreement.manage")
def edit(version_id: int) -> ResponseReturnValue:
    version = _version_or_404(version_id)
    ensure("agreement.manage", version.text.cycle)
    if (back := _editable_or_back(version)) is not None:
        return back
    form = VersionForm(obj=version).editing(version)
    stored = None
    if request.method == "POST" and form.validate_on_submit():
        outcome = perform(lambda: flow.update_version(
            current_user, version, label=form.label.data or "",
            is_final=bool(form.is_final.data), now=now(),
            version_counter=form_version(form)), form=form, stale=version)
        if outcome.ok:
            flash(_("Versionens navn er gemt."), "success")
            return redirect(url_for("agreements.edit", version_id=version_id))
        version = _version_or_404(version_id)
        if outcome.conflict:
            stored = version
    return render_form("agreements/edit.html", form, stored=stored, **_edit_context(version))


def _edit_context(version: TextVersion) -> dict[str, Any]:
    sections = read.numbered(version)
    buttons = VersionActionForm().editing(version)
    return {"version": version, "text": version.text, "cycle": version.text.cycle,
            "sections": sections, "counter": version.version_id, "buttons": buttons}


@bp.route("/versioner/<int:version_id>/afsnit/ny", methods=["GET", "POST"])
@bp.route("/versioner/<int:version_id>/afsnit/<int:section_id>", methods=["GET", "POST"])
@permission_required("agreement.manage")
def section(version_id: int, section_id: int | None = None) -> ResponseReturnValue:
    version = _version_or_404(version_id)
    ensure("agreement.manage", version.text.cycle)
    if (back := _editable_or_back(version)) is not None:
        return back
    current = read.section_or_404(version, section_id) if section_id is not None else None
    form = SectionForm(obj=current).editing(version)
    stored = None
    if request.method == "POST" and form.validate_on_submit():
        heading, body = form.heading.data or "", form.body.data or ""
        level = form.level.data or 1
        editing = current
        if editing is None:
            outcome: Any = perform(lambda: flow.add_section(
                current_user, version, heading=heading, body=body, level=level, now=now(),
                version_counter=form_version(form)), form=form, stale=version)
        else:
            outcome = perform(lambda: flow.update_section(
                current_user, version, editing, heading=heading, body=body, level=level,
                now=now(), version_counter=form_version(form)), form=form, stale=version)
        if outcome.ok:
            flash(_("Afsnittet er gemt."), "success")
            return redirect(url_for("agreements.edit", version_id=version_id))
        version = _version_or_404(version_id)
        if section_id is not None:
            current = read.section_or_404(version, section_id)
        if outcome.conflict:
            stored = version
    numbers = {s.id: s for s in read.numbered(version)}
    return render_form("agreements/section.html", form, version=version, text=version.text,
                       cycle=version.text.cycle, section=current, stored=stored,
                       numbered=numbers.get(current.id) if current is not None else None)


@bp.route("/versioner/<int:version_id>/afsnit/<int:section_id>/flyt", methods=["POST"])
@permission_required("agreement.manage")
def move(version_id: int, section_id: int) -> ResponseReturnValue:
    version = _version_or_404(version_id)
    current = read.section_or_404(version, section_id)
    form = MoveForm()
    if form.validate_on_submit():
        perform(lambda: flow.move_section(current_user, version, current, step=form.step.data,
                                          now=now(), version_counter=form_version(form)),
                conflict_message=_("Versionen er ændret, mens du så på den. Se den nye "
                                   "rækkefølge, og flyt igen."))
    else:
        abort(400)
    return redirect(url_for("agreements.edit", version_id=version_id) + f"#s-{section_id}")


@bp.route("/versioner/<int:version_id>/afsnit/<int:section_id>/slet", methods=["GET", "POST"])
@permission_required("agreement.manage")
def delete(version_id: int, section_id: int) -> ResponseReturnValue:
    version = _version_or_404(version_id)
    ensure("agreement.manage", version.text.cycle)
    if (back := _editable_or_back(version)) is not None:
        return back
    current = read.section_or_404(version, section_id)
    form = VersionActionForm().editing(version)
    if request.method == "POST" and form.validate_on_submit():
        outcome = perform(lambda: flow.delete_section(
            current_user, version, current, now=now(), version_counter=form_version(form)),
            form=form, conflict_message=_("Versionen er ændret, mens du så på den. Se den, og "
                                          "slet igen, hvis du stadig vil."))
        if outcome.ok:
            flash(_("Afsnittet er slettet."), "success")
            return redirect(url_for("agreements.edit", version_id=version_id))
        version = _version_or_404(version_id)
        current = read.section_or_404(version, section_id)
        form.version.data = str(version.version_id)
    numbers = {s.id: s for s in read.numbered(version)}
    return render_form("agreements/delete.html", form, version=version, text=version.text,
                       cycle=version.text.cycle, section=numbers[current.id])


@bp.route("/versioner/<int:version_id>/frys", methods=["GET", "POST"])
@permission_required("agreement.manage")
def freeze(version_id: int) -> ResponseReturnValue:
    version = _version_or_404(version_id)
    ensure("agreement.manage", version.text.cycle)
    if (back := _editable_or_back(version)) is not None:
        return back
    form = VersionActionForm().editing(version)
    if request.method == "POST" and form.validate_on_submit():
        outcome = perform(lambda: flow.freeze(current_user, version, now=now(),
                                              version_counter=form_version(form)),
                          form=form, conflict_message=_(
                              "Versionen er ændret, mens du så på den. Gennemgå den, og "
                              "fastfrys igen."))
        if outcome.ok:
            flash(_("Versionen er fastfrosset. Den kan ikke ændres mere."), "success")
            return redirect(url_for("agreements.version", version_id=version_id))
        version = _version_or_404(version_id)
        form.version.data = str(version.version_id)
    return render_form("agreements/freeze.html", form, version=version, text=version.text,
                       cycle=version.text.cycle, count=len(version.sections))


# -- download and comparison ----------------------------------------------------------------

def safe_file_name(*parts: str) -> str:
    """A file name any system accepts: letters, digits and hyphens only (æøå spelled out), so
    nothing typed into a title can reach the Content-Disposition header as it is."""
    words = " ".join(parts).replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    words = words.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    ascii_only = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return (re.sub(r"[^A-Za-z0-9]+", "-", ascii_only).strip("-")[:80] or "aftaletekst") + ".docx"


@bp.route("/versioner/<int:version_id>/docx")
@permission_required("agreement.read")
def download(version_id: int) -> ResponseReturnValue:
    version = _version_or_404(version_id)
    text = version.text
    state = (_("Fastfrosset %(date)s", date=format_date(version.frozen_at))
             if version.frozen_at is not None else _("Ikke fastfrosset"))
    data = write_docx(text.title, f"{version.label} · {state}",
                      [OutSection(s.number, s.level, s.heading, s.body)
                       for s in read.numbered(version)])
    return send_file(
        BytesIO(data), as_attachment=True,
        download_name=safe_file_name(text.title, version.label),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.route("/tekster/<int:text_id>/sammenlign")
@permission_required("agreement.read")
@kept_page
def compare(text_id: int) -> ResponseReturnValue:
    text = read.scoped_text_or_404(text_id, current_user)
    old, new = read.default_pair(text)
    errors: list[str] = []
    raw_from, raw_to = request.args.get("fra"), request.args.get("til")
    if raw_from is not None or raw_to is not None:
        chosen = [read.version_of(text, _int(raw)) for raw in (raw_from, raw_to)]
        if chosen[0] is None or chosen[1] is None:
            errors.append(_("Vælg to versioner af denne tekst."))
        elif chosen[0] is chosen[1]:
            errors.append(_("Vælg to forskellige versioner."))
            old, new = chosen[0], chosen[1]
        else:
            old, new = chosen[0], chosen[1]
    comparison = (read.compare(old, new)
                  if old is not None and new is not None and old is not new else None)
    reasons = read.reasons_by_section(old, new) if comparison is not None and old and new else {}
    status = 422 if errors else 200
    return render_template("agreements/compare.html", text=text, cycle=text.cycle,
                           old=old, new=new, comparison=comparison, errors=errors,
                           reasons_by_section=reasons), status


def _int(raw: str | None) -> int | None:
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 11:
        return None
    return int(raw)

