"""The consultation's read side in a fixed number of queries: the list of parties with their
states for 10 and for 200 parties, the cycle's list, the consultation page and the dashboard."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tests import factories as f
from tests.consultations import setup_helpers as h
from webapp import revision
from webapp.extensions import db
from webapp.models import (
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    OrgKind,
    Role,
    User,
)
from webapp.queries.consultations import overview as read

NOW = f.at(2017, 9, 1)


def _consultation(world: dict[str, Any], n: int, tag: str) -> Consultation:
    """An opened consultation with `n` parties: the region's municipality, organisations and
    external addresses, with responses in every state."""
    north = world["north"]
    cycle = north["cycle"]
    version = h.text_version(cycle)
    milestone = h.consultation_milestone(cycle, title=f"Høring {tag}")
    c = Consultation(cycle_id=cycle.id, milestone_id=milestone.id, text_version_id=version.id,
                     title=f"Høring {tag}", state=ConsultationState.OPENED, parties=[],
                     documents=[])
    c.parties.append(ConsultationParty(organisation_id=north["municipality"].id,
                                       name=north["municipality"].name, invited_at=NOW))
    for i in range(n - 1):
        if i % 2:
            org = f.organisation(north["region"], OrgKind.USER_ORGANISATION, f"Org {tag} {i}")
            party = ConsultationParty(organisation_id=org.id, name=org.name, invited_at=NOW)
        else:
            party = ConsultationParty(name=f"Ekstern {tag} {i}", email=f"e{i}{tag}@x.example",
                                      access_nonce=f"{tag}-{i}-".ljust(32, "0"), invited_at=NOW)
        c.parties.append(party)
    db.session.add(c)
    db.session.flush()
    for i, party in enumerate(c.parties):
        if i % 3 == 1:
            db.session.add(ConsultationResponse(
                consultation_id=c.id, party_id=party.id, no_comments=i % 2 == 0,
                state=ConsultationResponseState.SUBMITTED, submitted_at=NOW))
        elif i % 3 == 2:
            db.session.add(ConsultationResponse(consultation_id=c.id, party_id=party.id,
                                                state=ConsultationResponseState.DRAFT))
    db.session.commit()
    return c


def test_states_counts_and_danish_order(app, world):
    c = _consultation(world, 10, "a")
    data = read.overview(read.consultation_by_id(c.id), NOW)
    assert data.progress.invited == 10 and data.progress.answered == 3
    states = {p.state for p in data.parties}
    assert states == {"not_started", "draft", "submitted", "no_comments"}
    names = [p.name for p in data.parties]
    assert names == sorted(names, key=lambda n: n.replace("Å", "\uffff"))
    late = read.overview(read.consultation_by_id(c.id), f.at(2017, 10, 1))
    assert {p.state for p in late.parties} == {"overdue", "submitted", "no_comments"}


def test_aa_sorts_last_as_in_danish(app, world):
    c = _consultation(world, 1, "b")
    c.parties.append(ConsultationParty(organisation_id=None, name="Aabenraa Forening",
                                       email="aa@x.example", access_nonce="a" * 32))
    c.parties.append(ConsultationParty(organisation_id=None, name="Zealand Forening",
                                       email="z@x.example", access_nonce="z" * 32))
    db.session.commit()
    names = [p.name for p in read.overview(read.consultation_by_id(c.id), NOW).parties]
    assert names[-1] == "Aabenraa Forening" and names[-2] == "Zealand Forening"


def _count(queries: Any, fn: Any) -> int:
    revision.clear()
    with queries() as counter:
        fn()
    return counter.count


def test_the_overview_for_10_and_200_parties(app, world, queries):
    small, large = _consultation(world, 10, "s"), _consultation(world, 200, "l")

    def load_and_read(c_id: int) -> Any:
        return lambda: read.overview(read.consultation_by_id(c_id), NOW)

    assert _count(queries, load_and_read(small.id)) == _count(queries, load_and_read(large.id))


def test_the_cycle_list_for_one_and_many_consultations(app, world, queries):
    north = world["north"]
    _consultation(world, 3, "x")
    # As a request has the person: organisation and roles loaded with it.
    secretariat = db.session.scalar(
        select(User).where(User.id == north["users"][Role.SECRETARIAT].id)
        .options(joinedload(User.organisation), selectinload(User.grants))
        .execution_options(populate_existing=True))
    one = _count(queries, lambda: read.cycle_consultations(north["cycle"], secretariat))
    for tag in ("y", "z", "w"):
        _consultation(world, 20, tag)
    assert _count(queries, lambda: read.cycle_consultations(north["cycle"],
                                                            secretariat)) == one


def test_the_consultation_page_for_10_and_200_parties(app, client, login_as, world, queries,
                                                      clock):
    clock.set(NOW)
    small, large = _consultation(world, 10, "p"), _consultation(world, 200, "q")
    login_as(Role.SECRETARIAT)
    client.get(f"/hoeringer/{small.id}")  # the session and the person, loaded once

    def page(c_id: int) -> Any:
        return lambda: client.get(f"/hoeringer/{c_id}")

    assert _count(queries, page(small.id)) == _count(queries, page(large.id))
    body = client.get(f"/hoeringer/{large.id}").get_data(as_text=True)
    assert "67 af 200 har svaret" in body
