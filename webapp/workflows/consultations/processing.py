"""Processing a consultation's responses (the secretariat): a summary and a comment per
response, and for its general text and each of its points an outcome with the reason, a point
optionally tied to the section of the next text version it changed.

An outcome that leaves the party's wish (partly) unmet — "Delvist indarbejdet", "Ikke
indarbejdet" — needs a reason: the note must say why (the government's guidance on
consultation notes). "Indarbejdet" and "Taget til efterretning" may carry one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...models import (
    Consultation,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    Outcome,
)
from ...permissions import Actor, require
from ..base import WorkflowError, changed, check_stale, record, snapshot

OUTCOME_LABELS = {
    Outcome.INCORPORATED: _l("Indarbejdet"),
    Outcome.PARTLY: _l("Delvist indarbejdet"),
    Outcome.NOT_INCORPORATED: _l("Ikke indarbejdet"),
    Outcome.NOTED: _l("Taget til efterretning"),
}

# The outcomes the note must explain.
NEEDS_REASON = frozenset({Outcome.PARTLY, Outcome.NOT_INCORPORATED})

MAX_TEXT = 10_000


def outcome_label(outcome: Outcome | None) -> str:
    return str(OUTCOME_LABELS[outcome]) if outcome is not None else ""


def needs_reason(outcome: Outcome | None) -> bool:
    return outcome in NEEDS_REASON


def reason_message(outcome: Outcome) -> str:
    return _("Skriv en begrundelse: vurderingen “%(outcome)s” skal begrundes i høringsnotatet.",
             outcome=outcome_label(outcome))


@dataclass(frozen=True)
class PointDecision:
    """The secretariat's outcome for one point (a ResponseComment) of the response."""

    comment_id: int
    outcome: Outcome | None
    reason: str = ""
    changed_section_key: str | None = None


@dataclass(frozen=True)
class Decision:
    summary: str
    comment: str
    outcome: Outcome | None
    reason: str
    points: Sequence[PointDecision] = ()


def can_be_processed(consultation: Consultation, response: ConsultationResponse) -> bool:
    """Only a submitted response of an opened consultation is weighed."""
    return (consultation.state == ConsultationState.OPENED
            and response.state == ConsultationResponseState.SUBMITTED
            and response.consultation_id == consultation.id)


def process_response(
    actor: Actor,
    consultation: Consultation,
    response: ConsultationResponse,
    decision: Decision,
    *,
    next_section_keys: Collection[str],
    version: int | None,
    now: datetime,
) -> ConsultationResponse:
    """Store the secretariat's processing of one response.

    `response.comments` must be loaded. `next_section_keys` are the sections of the text's next
    version (empty when there is none yet): a point may only point at one of them.
    """
    require(actor, "consultation.process", consultation,
            message=_("Kun sekretariatet kan behandle høringssvar."))
    if not can_be_processed(consultation, response):
        raise WorkflowError(_("Kun indsendte svar på en sendt høring kan behandles."))
    check_stale(response, version)
    _check(response, decision, next_section_keys)

    fields = ("summary", "secretariat_comment", "outcome", "outcome_reason")
    before = snapshot(response, fields)
    before_points = _points(response)
    response.summary = decision.summary.strip()
    response.secretariat_comment = decision.comment.strip()
    response.outcome = decision.outcome
    response.outcome_reason = decision.reason.strip()
    by_id = {point.comment_id: point for point in decision.points}
    for comment in response.comments:
        point = by_id[comment.id]
        comment.outcome = point.outcome
        comment.outcome_reason = point.reason.strip()
        comment.changed_section_key = point.changed_section_key or None
    # Always written, so the response's counter moves even when only its points changed: a
    # second tab's save of the same response is then a conflict, not a silent overwrite.
    response.processed_at = now
    response.processed_by_id = actor.id
    after = snapshot(response, fields)
    old, new = changed(before, after)
    if before_points != _points(response):
        old["points"], new["points"] = before_points, _points(response)
    record(actor=actor, action="consultation_response.processed", obj=response, now=now,
           region_id=consultation.region_id, before=old, after=new,
           label=_("Høringssvar: %(title)s", title=consultation.title))
    return response


def _points(response: ConsultationResponse) -> list[str]:
    """The points' outcomes as the trail shows them: "1: Indarbejdet (afsnit s3)"."""
    out = []
    for number, comment in enumerate(response.comments, start=1):
        text = f"{number}: {outcome_label(comment.outcome) or '–'}"
        if comment.changed_section_key:
            text += " " + _("(ændrede afsnit %(key)s)", key=comment.changed_section_key)
        out.append(text)
    return out


def _check(response: ConsultationResponse, decision: Decision,
           next_section_keys: Collection[str]) -> None:
    """The same rules the form checks at its fields, for any caller (the view is not trusted)."""
    for name, value in (("summary", decision.summary), ("secretariat_comment", decision.comment),
                        ("outcome_reason", decision.reason)):
        if len(value) > MAX_TEXT:
            raise WorkflowError(_("Teksten må højst være %(max)d tegn lang. Forkort den.",
                                  max=MAX_TEXT), field=name)
    if not response.no_comments and not decision.summary.strip():
        raise WorkflowError(_("Skriv et kort resumé af høringssvaret."), field="summary")
    if response.general_text.strip() and decision.outcome is None:
        raise WorkflowError(_("Vælg en vurdering af svarets generelle bemærkninger."),
                            field="outcome")
    if decision.outcome is not None and needs_reason(decision.outcome) \
            and not decision.reason.strip():
        raise WorkflowError(reason_message(decision.outcome), field="outcome_reason")
    ids = {comment.id for comment in response.comments}
    given = [point.comment_id for point in decision.points]
    if sorted(given) != sorted(ids):
        raise WorkflowError(_("Alle svarets punkter skal vurderes, og kun de punkter."))
    for number, point in enumerate(decision.points, start=1):
        if len(point.reason) > MAX_TEXT:
            raise WorkflowError(_("Punkt %(n)d: teksten må højst være %(max)d tegn lang.",
                                  n=number, max=MAX_TEXT))
        if point.outcome is None:
            raise WorkflowError(_("Punkt %(n)d: vælg en vurdering.", n=number))
        if needs_reason(point.outcome) and not point.reason.strip():
            raise WorkflowError(_("Punkt %(n)d: %(message)s", n=number,
                                  message=reason_message(point.outcome)))
        key = point.changed_section_key
        if key and key not in next_section_keys:
            raise WorkflowError(_("Punkt %(n)d: vælg et afsnit i tekstens næste version.",
                                  n=number))
        if key and point.outcome == Outcome.NOT_INCORPORATED:
            raise WorkflowError(_("Punkt %(n)d: et punkt, der ikke er indarbejdet, kan ikke "
                                  "have ændret et afsnit.", n=number))
