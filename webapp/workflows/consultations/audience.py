"""Who still owes a consultation response: the reminder pass's audience for consultation
milestones.

An item is owed by an invited organisation whose response is not submitted ("Ingen
bemærkninger" is a submitted response too). External parties are left out: an owner is an
organisation or a person with an account (`audiences.Owner`), and a named address has
neither; it has its invitation and personal link.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...links import absolute_url
from ...models import (
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    Milestone,
    Organisation,
)
from ..audiences import DEADLINE_RULES, DefaultRule, OwnerKind, PendingItem
from .parties import party_people


def party_deadline(deadline: datetime, extended_until: datetime | None) -> datetime:
    """A party's own deadline: its extension when later than the consultation's."""
    if extended_until is not None and extended_until > deadline:
        return extended_until
    return deadline


class ConsultationAudience:
    owner_kind: OwnerKind = "organisation"
    default_rules: Sequence[DefaultRule] = DEADLINE_RULES

    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
        """Three queries for any number of milestones, consultations and parties."""
        ids = [m.id for m in milestones]
        if not ids:
            return []
        rows = db.session.execute(
            select(Consultation.id, Consultation.title, Consultation.milestone_id,
                   ConsultationParty.extended_until, Organisation,
                   ConsultationResponse.state)
            .join(ConsultationParty, ConsultationParty.consultation_id == Consultation.id)
            .join(Organisation, Organisation.id == ConsultationParty.organisation_id)
            .outerjoin(ConsultationResponse,
                       ConsultationResponse.party_id == ConsultationParty.id)
            .where(Consultation.milestone_id.in_(ids),
                   Consultation.state == ConsultationState.OPENED,
                   ConsultationParty.invited_at.is_not(None),
                   Organisation.active.is_(True))
            .order_by(Consultation.id, ConsultationParty.id)).all()
        if not rows:
            return []
        people = party_people(org.id for _, _, _, _, org, _ in rows)
        milestone_by_id = {m.id: m for m in milestones}
        items = []
        for consultation_id, title, milestone_id, until, org, state in rows:
            if state == ConsultationResponseState.SUBMITTED:
                continue
            milestone = milestone_by_id[milestone_id]
            items.append(PendingItem.for_organisation(
                milestone.id, org, party_deadline(milestone.ends_at, until),
                list(people.people.get(org.id, [])), what=title,
                link=absolute_url("consultations.detail", consultation_id=consultation_id)))
        return items
