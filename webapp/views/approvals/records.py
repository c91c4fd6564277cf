"""Council approvals, the write side's pages: opening the round, a party's record (its
meeting, its decision, a postponement, the secretariat's correction), the minutes, the round's
parties and a new final text version.

A party's respondents reach only their own record (another party's is a 404); every post asks
the permission again with the record, and the workflow asks it a third time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ... import uploads
from ...clock import now
from ...formatting import format_date, format_datetime
from ...forms.approvals import (
    CorrectionForm,
    DecisionForm,
    MeetingForm,
    NoteForm,
    OpenRoundForm,
    PartiesForm,
    PostponeForm,
    VersionChangeForm,
)
from ...forms.base import BaseForm
from ...i18n import gettext as _
from ...models import ApprovalRound, ApprovalState, CouncilApproval, Cycle, User
from ...permissions import can, ensure, permission_required
from ...queries.approvals.loaders import (
    minutes_or_404,
    round_of_cycle,
    scoped_approval_or_404,
    scoped_round_or_404,
)
from ...queries.cycles import scoped_cycle_or_404
from ...workflows import WorkflowError
from ...workflows.approvals import decisions as flow
from ...workflows.approvals import rounds
from ...workflows.approvals.status import DECIDED, agreement_status
from ...workflows.states import APPROVALS
from ..common import Outcome, form_version, perform, render_form

bp = Blueprint("approvals", __name__)

# The record page's forms, each under its own prefix so their fields' ids never clash.
SCHEDULE, POSTPONE, DECIDE, CORRECT, NOTE = "dagsorden", "udsat", "beslutning", "ret", "note"
FORMS: dict[str, type[BaseForm]] = {SCHEDULE: MeetingForm, POSTPONE: PostponeForm,
                                    DECIDE: DecisionForm, CORRECT: CorrectionForm, NOTE: NoteForm}


def round_page(cycle_id: int) -> str:
    """Where the round is followed: its overview."""
    return url_for("approval_overview.overview", cycle_id=cycle_id)


# -- a party's record --------------------------------------------------------------------------

def _allowed(approval: CouncilApproval) -> dict[str, bool]:
    """Which of the record's forms the viewer may use now."""
    record = can(current_user, "approval.record", approval, now())
    undecided = APPROVALS.is_editable(approval)
    return {
        SCHEDULE: record and undecided,
        POSTPONE: record and undecided and approval.state in (ApprovalState.SCHEDULED,
                                                               ApprovalState.POSTPONED),
        DECIDE: record and undecided,
        CORRECT: can(current_user, "approval.manage", approval) and approval.state in DECIDED,
        NOTE: can(current_user, "approval.manage", approval),
    }


def _idle_form(prefix: str, approval: CouncilApproval) -> BaseForm:
    """A form of the page that was not the one posted: the record's values, its version."""
    form = FORMS[prefix](formdata=None, prefix=prefix, obj=approval)
    form.version.data = str(approval.version_id)
    if isinstance(form, CorrectionForm):
        form.outcome.data = approval.state.value
    if isinstance(form, MeetingForm) and prefix == POSTPONE:
        form.meeting_date.data = None
    return form


def _render(approval: CouncilApproval, posted: tuple[str, BaseForm] | None = None,
            status: int = 200, stored: bool = False) -> tuple[str, int]:
    forms = {prefix: _idle_form(prefix, approval) for prefix in FORMS}
    if posted is not None:
        forms[posted[0]] = posted[1]
    round_ = approval.round
    return render_template(
        "approvals/record.html", approval=approval, round=round_, cycle=round_.cycle,
        forms=forms, allowed=_allowed(approval), stored=stored,
        posted=posted[0] if posted else None,
        manage=can(current_user, "approval.manage", approval),
        secretariat_records=can(current_user, "approval.manage", approval)
        and current_user.organisation_id != approval.organisation_id,
        opened_on=format_date(round_.opened_at), deadline=format_datetime(round_.deadline),
        back=round_page(round_.cycle_id), accept=".pdf,application/pdf",
        max_size=uploads.size_label(uploads.max_bytes())), status


@bp.route("/godkendelser/<int:approval_id>")
@login_required
def record(approval_id: int) -> ResponseReturnValue:
    approval = scoped_approval_or_404(approval_id, current_user)
    return _render(approval)


def _post(approval_id: int, prefix: str) -> ResponseReturnValue:
    approval = scoped_approval_or_404(approval_id, current_user)
    if not _allowed(approval)[prefix]:
        abort(403)
    form = FORMS[prefix](prefix=prefix)
    if not form.validate():
        return _render(approval, (prefix, form), 422)
    upload = None
    if isinstance(form, DecisionForm):
        file = request.files.get(f"{prefix}-minutes_file")
        upload = uploads.read_upload(file.stream, file.filename) if file is not None else None
    version = form_version(form)
    council = approval.council_name
    user = current_user._get_current_object()

    def operation() -> CouncilApproval:
        at = now()
        if isinstance(form, NoteForm):
            return flow.set_internal_note(user, approval, form.internal_note.data or "",
                                          now=at, version=version)
        if isinstance(form, CorrectionForm):
            return flow.correct(user, approval, form.decision(upload),
                                reason=form.correction_reason.data or "", now=at,
                                version=version)
        if isinstance(form, DecisionForm):
            return flow.decide(user, approval, form.decision(upload), now=at, version=version)
        if isinstance(form, PostponeForm):
            return flow.postpone(user, approval, form.meeting(), now=at, version=version)
        assert isinstance(form, MeetingForm)
        return flow.schedule(user, approval, form.meeting(), now=at, version=version)

    outcome: Outcome[CouncilApproval] = perform(operation, form=form, stale=approval)
    if outcome.ok:
        flash(_("%(council)s: %(what)s", council=council, what=_saved_words(prefix)), "success")
        return redirect(url_for(".record", approval_id=approval_id))
    if upload is not None and isinstance(form, DecisionForm):
        form.minutes_file.errors = [*form.minutes_file.errors,
                                    _("Vælg filen igen: den blev ikke gemt.")]
    approval = scoped_approval_or_404(approval_id, current_user)
    return _render(approval, (prefix, form), 409 if outcome.conflict else 422,
                   stored=outcome.conflict)


def _saved_words(prefix: str) -> str:
    return {SCHEDULE: _("mødet er gemt."), POSTPONE: _("udsættelsen er gemt."),
            DECIDE: _("beslutningen er registreret."),
            CORRECT: _("beslutningen er rettet."), NOTE: _("den interne note er gemt.")}[prefix]


@bp.route("/godkendelser/<int:approval_id>/dagsorden", methods=["POST"])
@login_required
def schedule(approval_id: int) -> ResponseReturnValue:
    return _post(approval_id, SCHEDULE)


@bp.route("/godkendelser/<int:approval_id>/udsat", methods=["POST"])
@login_required
def postpone(approval_id: int) -> ResponseReturnValue:
    return _post(approval_id, POSTPONE)


@bp.route("/godkendelser/<int:approval_id>/beslutning", methods=["POST"])
@login_required
def decide(approval_id: int) -> ResponseReturnValue:
    return _post(approval_id, DECIDE)


@bp.route("/godkendelser/<int:approval_id>/ret", methods=["POST"])
@login_required
def correct(approval_id: int) -> ResponseReturnValue:
    return _post(approval_id, CORRECT)


@bp.route("/godkendelser/<int:approval_id>/note", methods=["POST"])
@login_required
def note(approval_id: int) -> ResponseReturnValue:
    return _post(approval_id, NOTE)


@bp.route("/godkendelser/<int:approval_id>/protokol")
def minutes(approval_id: int) -> ResponseReturnValue:
    """The uploaded minutes: public, as a council's minutes are; served as a download."""
    return uploads.serve(minutes_or_404(approval_id))


# -- the round ---------------------------------------------------------------------------------

def _managed_cycle(cycle_id: int) -> Cycle:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    ensure("approval.manage", cycle)
    return cycle


def _open_choices(form: OpenRoundForm, cycle: Cycle) -> dict[str, Any]:
    versions = rounds.final_versions(cycle.id)
    milestones = rounds.approval_milestones(cycle.id)
    parties = rounds.council_parties(cycle.region_id)
    form.text_version_id.choices = [(v.id, v.label) for v in versions]
    form.milestone_id.choices = [
        (m.id, _("%(title)s (frist %(end)s)", title=m.title, end=format_datetime(m.ends_at)))
        for m in milestones]
    form.organisations.choices = [(o.id, f"{o.name} – {o.council_name or _('intet råd')}")
                                  for o in parties]
    return {"versions": versions, "milestones": milestones, "parties": parties}


@bp.route("/cykler/<int:cycle_id>/godkendelser/aabn", methods=["GET", "POST"])
@permission_required("approval.manage")
def open_round(cycle_id: int) -> ResponseReturnValue:
    cycle = _managed_cycle(cycle_id)
    if round_of_cycle(cycle) is not None:
        flash(_("Godkendelsesrunden er allerede åbnet."), "info")
        return redirect(round_page(cycle.id))
    form = OpenRoundForm()
    choices = _open_choices(form, cycle)
    if request.method == "GET":
        # Every council by default: the agreement needs them all, and the list grants nothing.
        form.organisations.data = [o.id for o in choices["parties"]]
        if len(choices["versions"]) == 1:
            form.text_version_id.data = choices["versions"][0].id
        if len(choices["milestones"]) == 1:
            form.milestone_id.data = choices["milestones"][0].id
    elif form.validate():
        chosen = set(form.organisations.data or [])
        outcome = perform(lambda: rounds.open_round(
            current_user._get_current_object(), cycle,
            text_version=next((v for v in choices["versions"]
                               if v.id == form.text_version_id.data), None),
            milestone=next((m for m in choices["milestones"]
                            if m.id == form.milestone_id.data), None),
            organisations=[o for o in choices["parties"] if o.id in chosen], now=now()),
            form=form, created=lambda r: round_page(cycle_id))
        if outcome.ok:
            flash(_("Godkendelsesrunden er åbnet med %(n)d parter.", n=len(chosen)),
                  "success")
            return redirect(round_page(cycle_id))
        cycle = _managed_cycle(cycle_id)
        _open_choices(form, cycle)
    return render_form("approvals/open.html", form, cycle=cycle, **choices)


def _managed_round(cycle_id: int) -> ApprovalRound:
    round_ = scoped_round_or_404(cycle_id, current_user)
    ensure("approval.manage", round_)
    return round_


RoundForm = TypeVar("RoundForm", VersionChangeForm, PartiesForm)


def _round_form(cycle_id: int, form_class: type[RoundForm],
                choices: Callable[[RoundForm, ApprovalRound], list[Any]],
                operation: Callable[[User, RoundForm, ApprovalRound, list[Any]],
                                    Callable[[], Any]],
                done: str, template: str, **context: Any) -> ResponseReturnValue:
    """A secretariat's form on the round (it carries the round's version): choices, one
    operation through the view helper, the page again with the input kept on a refusal or a
    conflict (409)."""
    round_ = _managed_round(cycle_id)
    form = form_class().editing(round_)
    offered = choices(form, round_)
    conflict = False
    if request.method == "POST" and form.validate():
        user = current_user._get_current_object()
        outcome = perform(operation(user, form, round_, offered), form=form, stale=round_)
        if outcome.ok:
            flash(done, "success")
            return redirect(request.path)
        round_ = _managed_round(cycle_id)
        offered = choices(form, round_)
        conflict = outcome.conflict
    page, status = render_form(template, form, round=round_, cycle=round_.cycle,
                               offered=offered, status=_status(round_),
                               back=round_page(cycle_id), **context)
    return page, 409 if conflict else status


@bp.route("/cykler/<int:cycle_id>/godkendelser/version", methods=["GET", "POST"])
@permission_required("approval.manage")
def version_change(cycle_id: int) -> ResponseReturnValue:
    def operation(user: User, form: VersionChangeForm, round_: ApprovalRound,
                  versions: list[Any]) -> Callable[[], Any]:
        chosen = next((v for v in versions if v.id == form.text_version_id.data), None)
        return lambda: rounds.change_version(
            user, round_, text_version=chosen, approvals_stand=form.stand(),
            reason=form.reason.data or "", now=now(), version=form_version(form))

    return _round_form(cycle_id, VersionChangeForm, _version_choices, operation,
                       _("Runden er flyttet til den nye endelige version."),
                       "approvals/version.html")


def _version_choices(form: VersionChangeForm, round_: ApprovalRound) -> list[Any]:
    versions = [v for v in rounds.final_versions(round_.cycle_id)
                if v.id != round_.text_version_id]
    form.text_version_id.choices = [(v.id, v.label) for v in versions]
    return versions


@bp.route("/cykler/<int:cycle_id>/godkendelser/parter", methods=["GET", "POST"])
@permission_required("approval.manage")
def parties(cycle_id: int) -> ResponseReturnValue:
    """The round's parties: each one's record, and the secretariat adding or removing one."""
    remove = _posted_id("remove")

    def operation(user: User, form: PartiesForm, round_: ApprovalRound,
                  missing: list[Any]) -> Callable[[], Any]:
        if remove is not None:
            approval = next((a for a in round_.approvals if a.id == remove), None)
            if approval is None:
                abort(404)
            return lambda: rounds.remove_party(user, round_, approval, now=now(),
                                               version=form_version(form))
        organisation = next((o for o in missing if o.id == form.organisation_id.data), None)

        def add() -> Any:
            if organisation is None:
                raise WorkflowError(_("Vælg en af de viste parter."), field="organisation_id")
            return rounds.add_party(user, round_, organisation, now=now(),
                                    version=form_version(form))
        return add

    done = _("Parten er fjernet fra runden.") if remove is not None else _(
        "Parten er tilføjet runden.")
    return _round_form(cycle_id, PartiesForm, _missing_parties, operation, done,
                       "approvals/parties.html")


def _status(round_: ApprovalRound) -> Any:
    return agreement_status([a.state for a in round_.approvals], round_.cycle.first_year)


def _missing_parties(form: PartiesForm, round_: ApprovalRound) -> list[Any]:
    listed = {a.organisation_id for a in round_.approvals}
    missing = [o for o in rounds.council_parties(round_.cycle.region_id) if o.id not in listed]
    form.organisation_id.choices = [(0, _("Vælg …"))] + [
        (o.id, f"{o.name} – {o.council_name or ''}") for o in missing]
    return missing


def _posted_id(name: str) -> int | None:
    raw = request.form.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 11 else None
