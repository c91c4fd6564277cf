"""Who still owes a consultation response: the reminder pass's audience for consultation
milestones.

An item is owed by an invited party whose response is not submitted ("Ingen bemærkninger" is a
submitted response too): an organisation, reminded through its people, or a named external
address, reminded at that address with its personal link.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select

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
from .parties import external_link, party_people


def party_deadline(deadline: datetime, extended_until: datetime | None) -> datetime:
    """A party's own deadline: its extension when later than the consultation's."""
    if extended_until is not None and extended_until > deadline:
        return extended_until
    return deadline


class ConsultationAudience:
    owner_kind: OwnerKind = "organisation"
    default_rules: Sequence[DefaultRule] = DEADLINE_RULES

    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
        """Two queries for any number of milestones, consultations and parties (three when an
        organisation is among them)."""
        ids = [m.id for m in milestones]
        if not ids:
            return []
        rows = db.session.execute(
            select(Consultation.id, Consultation.title, Consultation.milestone_id,
                   ConsultationParty, Organisation, ConsultationResponse.state)
            .join(ConsultationParty, ConsultationParty.consultation_id == Consultation.id)
            .outerjoin(Organisation, Organisation.id == ConsultationParty.organisation_id)
            .outerjoin(ConsultationResponse,
                       ConsultationResponse.party_id == ConsultationParty.id)
            .where(Consultation.milestone_id.in_(ids),
                   Consultation.state == ConsultationState.OPENED,
                   ConsultationParty.invited_at.is_not(None),
                   or_(Organisation.active.is_(True),
                       and_(ConsultationParty.organisation_id.is_(None),
                            ConsultationParty.email.is_not(None))))
            .order_by(Consultation.id, ConsultationParty.id)).all()
        if not rows:
            return []
        org_ids = [org.id for *_, org, _ in rows if org is not None]
        people = party_people(org_ids) if org_ids else None
        milestone_by_id = {m.id: m for m in milestones}
        items = []
        for consultation_id, title, milestone_id, party, org, state in rows:
            if state == ConsultationResponseState.SUBMITTED:
                continue
            milestone = milestone_by_id[milestone_id]
            deadline = party_deadline(milestone.ends_at, party.extended_until)
            if org is None:
                items.append(PendingItem.for_address(
                    milestone.id, party.id, party.name, party.email or "", deadline,
                    what=title, link=external_link(consultation_id, party)))
                continue
            items.append(PendingItem.for_organisation(
                milestone.id, org, deadline,
                list(people.people.get(org.id, [])) if people else [], what=title,
                link=absolute_url("consultations.detail", consultation_id=consultation_id)))
        return items
