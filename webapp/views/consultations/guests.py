"""Visitors without an account: a consultation's external parties, who prove their personal
link (`?adgang=<signed token>` on the consultation page, or `/hoeringssvar/ekstern/<token>`)
once per session. The parties a session proved live in `session["consultation_parties"]`;
this module is the only code that reads or writes them."""

from __future__ import annotations

from flask import abort, current_app, session

from ...models import ConsultationParty
from ...queries.consultations.responses import party_by_id
from ...security import read_link_token
from ...workflows.consultations.parties import LINK_PURPOSE

SESSION_KEY = "consultation_parties"
MAX_SESSION_PARTIES = 50  # a visitor answering for many parties is still a short list


def party_ids() -> frozenset[int]:
    """The parties this session proved (ints only, bounded, whatever the cookie holds)."""
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, list):
        return frozenset()
    return frozenset(i for i in raw[:MAX_SESSION_PARTIES]
                     if isinstance(i, int) and not isinstance(i, bool))


def remember(party_id: int) -> None:
    """Add a proved party, newest first, keeping the list bounded."""
    ids = [i for i in party_ids() if i != party_id]
    session[SESSION_KEY] = [party_id, *ids][:MAX_SESSION_PARTIES]


def accept_link(token: str, consultation_id: int | None = None) -> ConsultationParty:
    """The external party a valid personal link names, remembered for the session; a
    forged, expired or revoked link (or one for another consultation) is a 404, so a
    consultation's existence does not leak."""
    max_age = int(current_app.config["CONSULTATION_LINK_MAX_AGE_SECONDS"])
    data = read_link_token(LINK_PURPOSE, token[:2000], max_age=max_age) or {}
    party_id, nonce = data.get("u"), data.get("n")
    party = party_by_id(party_id) if isinstance(party_id, int) else None
    if (party is None or party.organisation_id is not None or not party.access_nonce
            or not isinstance(nonce, str) or nonce != party.access_nonce
            or (consultation_id is not None and party.consultation_id != consultation_id)):
        abort(404)
    remember(party.id)
    return party
