"""Reminder rules per milestone, a preview of the e-mail, and the region's e-mail log.

Secretariat only. Rules are changed by `workflows.reminders`; what is read comes from
`queries.reminders`.
"""

from __future__ import annotations

from datetime import time

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from ..clock import now
from ..extensions import db
from ..forms.cycles import ConfirmForm
from ..forms.reminders import EmailLogFilterForm, RuleForm
from ..i18n import gettext as _
from ..models import Cycle, CycleState, Milestone, ReminderRule, RuleKind
from ..permissions import ensure, permission_required
from ..queries import reminders as overview
from ..queries.cycles import scoped_cycle_or_404, scoped_milestone_or_404
from ..routing import page_number
from ..workflows import reminders as flow
from .common import form_version, kept_page, perform, render_form, render_kept

bp = Blueprint("reminders", __name__)

RULES = "/cykler/<int:cycle_id>/milepaele/<int:milestone_id>/paamindelser"


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"rule_kinds": flow.KIND_LABELS}


def _load(cycle_id: int, milestone_id: int) -> tuple[Cycle, Milestone]:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    return cycle, scoped_milestone_or_404(cycle, milestone_id)


def _rule_or_404(milestone: Milestone, rule_id: int) -> ReminderRule:
    rule = db.session.scalar(select(ReminderRule).where(
        ReminderRule.id == rule_id, ReminderRule.milestone_id == milestone.id))
    if rule is None:
        abort(404)
    set_committed_value(rule, "milestone", milestone)
    return rule


def _back(cycle: Cycle, milestone: Milestone) -> ResponseReturnValue:
    return redirect(url_for("reminders.rules", cycle_id=cycle.id, milestone_id=milestone.id))


@bp.route(RULES)
@permission_required("reminders.manage")
@kept_page
def rules(cycle_id: int, milestone_id: int) -> ResponseReturnValue:
    cycle, milestone = _load(cycle_id, milestone_id)
    return render_kept(
        _("Påmindelser: %(title)s", title=milestone.title), "reminder_rules", milestone.id,
        "reminders/_rules_body.html", lambda: {
            "cycle": cycle, "milestone": milestone,
            "rows": overview.milestone_rules(milestone, now()),
            "has_audience": overview.has_audience(milestone),
            "cycle_open": cycle.state == CycleState.OPEN})


@bp.route(RULES + "/ny", methods=["GET", "POST"])
@permission_required("reminders.manage")
def add(cycle_id: int, milestone_id: int) -> ResponseReturnValue:
    cycle, milestone = _load(cycle_id, milestone_id)
    form = RuleForm()
    if request.method == "GET":
        form.kind.data = RuleKind.BEFORE.value
        form.offset_days.data = 3
        form.send_at.data = time(8, 0)
    if form.validate_on_submit():
        outcome = perform(lambda: flow.add_rule(
            current_user, milestone, kind=RuleKind(form.kind.data),
            offset_days=form.offset_days.data or 0, repeat_days=form.repeat_value(),
            send_at=form.send_at_text(), now=now()), form=form,
            created=lambda _rule: url_for("reminders.rules", cycle_id=cycle_id,
                                          milestone_id=milestone_id))
        if outcome.ok:
            flash(_("Påmindelsen “%(words)s” er tilføjet.",
                    words=overview.describe(outcome.value)), "success")
            return _back(cycle, milestone)
    return render_form("reminders/rule_form.html", form, cycle=cycle, milestone=milestone,
                       rule=None)


@bp.route(RULES + "/<int:rule_id>/rediger", methods=["GET", "POST"])
@permission_required("reminders.manage")
def edit(cycle_id: int, milestone_id: int, rule_id: int) -> ResponseReturnValue:
    cycle, milestone = _load(cycle_id, milestone_id)
    rule = _rule_or_404(milestone, rule_id)
    form = RuleForm(rule_kind=rule.kind)
    if request.method == "GET":
        form.offset_days.data = rule.offset_days
        if rule.kind == RuleKind.OVERDUE:
            form.repeat_days.data = rule.repeat_days
        form.send_at.data = time.fromisoformat(rule.send_at)
        form.paused.data = rule.paused
        form.version.data = str(rule.version_id)
    elif form.validate_on_submit():
        outcome = perform(lambda: flow.update_rule(
            current_user, rule, milestone, offset_days=form.offset_days.data or 0,
            repeat_days=form.repeat_value(), send_at=form.send_at_text(),
            paused=bool(form.paused.data), now=now(), version=form_version(form)),
            form=form, stale=rule)
        if outcome.conflict:
            set_committed_value(rule, "milestone", milestone)
            return render_form("reminders/rule_form.html", form, cycle=cycle,
                               milestone=milestone, rule=rule, words=overview.describe(rule),
                               stored=overview.describe(rule), stored_paused=rule.paused)
        if outcome.ok:
            flash(_("Påmindelsen er gemt."), "success")
            return _back(cycle, milestone)
    return render_form("reminders/rule_form.html", form, cycle=cycle, milestone=milestone,
                       rule=rule, words=overview.describe(rule))


@bp.route(RULES + "/<int:rule_id>/pause", methods=["POST"])
@permission_required("reminders.manage")
def pause(cycle_id: int, milestone_id: int, rule_id: int) -> ResponseReturnValue:
    cycle, milestone = _load(cycle_id, milestone_id)
    rule = _rule_or_404(milestone, rule_id)
    wanted = request.form.get("paused")
    if wanted not in ("0", "1"):
        abort(400)
    if not ConfirmForm().validate_on_submit():
        flash(_("Formularen var udløbet. Prøv igen."), "error")
        return _back(cycle, milestone)
    paused = wanted == "1"
    words = overview.describe(rule)
    # The target state is explicit, so a second click (or a stale page) changes nothing.
    outcome = perform(
        lambda: flow.update_rule(current_user, rule, milestone, offset_days=rule.offset_days,
                                 repeat_days=rule.repeat_days, send_at=rule.send_at,
                                 paused=paused, now=now()),
        conflict_message=_("Påmindelsen blev ændret samtidig af en anden. Se den nu, og prøv "
                           "igen."))
    if outcome.ok:
        if paused:
            flash(_("Påmindelsen “%(words)s” er sat på pause.", words=words), "success")
        else:
            flash(_("Påmindelsen “%(words)s” er genoptaget.", words=words), "success")
    return _back(cycle, milestone)


@bp.route(RULES + "/<int:rule_id>/slet", methods=["POST"])
@permission_required("reminders.manage")
def delete(cycle_id: int, milestone_id: int, rule_id: int) -> ResponseReturnValue:
    cycle, milestone = _load(cycle_id, milestone_id)
    rule = _rule_or_404(milestone, rule_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Formularen var udløbet. Prøv igen."), "error")
        return _back(cycle, milestone)
    words = overview.describe(rule)
    outcome = perform(
        lambda: flow.delete_rule(current_user, rule, milestone, now=now()),
        conflict_message=_("Påmindelsen blev ændret samtidig af en anden. Se den nu, og prøv "
                           "igen."))
    if outcome.ok:
        flash(_("Påmindelsen “%(words)s” er slettet.", words=words), "success")
    return _back(cycle, milestone)


@bp.route(RULES + "/<int:rule_id>/forhaandsvisning")
@permission_required("reminders.manage")
def preview(cycle_id: int, milestone_id: int, rule_id: int) -> ResponseReturnValue:
    cycle, milestone = _load(cycle_id, milestone_id)
    rule = _rule_or_404(milestone, rule_id)
    return render_template(
        "reminders/preview.html", cycle=cycle, milestone=milestone, rule=rule,
        words=overview.describe(rule), preview=overview.preview(rule, milestone, current_user,
                                                                 now()))


@bp.route("/admin/e-mails")
@permission_required("email_log.view")
@kept_page
def email_log() -> ResponseReturnValue:
    region_id = current_user.region_id

    def load() -> dict[str, object]:  # only when the page's kept HTML is out of date
        form = EmailLogFilterForm(formdata=request.args)
        form.milestone.choices = [("", _("Alle")), *overview.log_milestones(region_id)]
        form.organisation.choices = [("", _("Alle")), *overview.log_organisations(region_id)]
        form.validate()
        # A value that is not one of the region's choices is shown at its field and not used.
        filters = overview.LogFilter(
            state=(form.state.data or None) if not form.state.errors else None,
            milestone_id=form.milestone.data if not form.milestone.errors else None,
            organisation_id=form.organisation.data if not form.organisation.errors else None)
        page = page_number(request.args)
        rows, has_next = overview.email_log(region_id, filters, page)
        args = {k: v for k, v in (("state", filters.state), ("milestone", filters.milestone_id),
                                  ("organisation", filters.organisation_id)) if v}
        return {"form": form, "rows": rows, "page": page, "has_next": has_next, "args": args,
                "filtered": bool(args)}

    return render_template("reminders/email_log.html", load=load,
                           request_key=tuple(sorted(request.args.items(multi=True))))


@bp.route("/admin/e-mails/<int:email_id>")
@permission_required("email_log.view")
def email(email_id: int) -> ResponseReturnValue:
    """One e-mail as it went out: headers, the text, and the HTML in a sandboxed frame."""
    message = overview.scoped_email_or_404(email_id, current_user)
    ensure("email_log.view", message)
    return render_template("reminders/email.html", view=overview.email_view(message))


# The HTML part on its own, for the frame on the e-mail's page: no scripts, no plug-ins, no
# forms, nothing fetched but inline styles and data: images, an opaque origin (the `sandbox`
# directive), and framed only by our own pages.
EMAIL_HTML_POLICY = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                     "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


@bp.route("/admin/e-mails/<int:email_id>/html")
@permission_required("email_log.view")
def email_html(email_id: int) -> ResponseReturnValue:
    message = overview.scoped_email_or_404(email_id, current_user)
    ensure("email_log.view", message)
    response = make_response(overview.email_view(message).html)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = EMAIL_HTML_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "no-store"
    return response
