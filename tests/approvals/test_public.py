"""The public approval page: no login, no internal notes, kept but never stale, and the public
calendar feed's council meetings."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from sqlalchemy import update

from tests import factories as f
from tests.approvals.factories_read import approval_round
from webapp.extensions import db
from webapp.models import ApprovalState as S
from webapp.models import CouncilApproval, CycleState, Role, StoredFile
from webapp.views.approvals import public as public_view

STATES = [S.APPROVED, S.APPROVED_WITH_REMARKS, S.SCHEDULED, S.POSTPONED]


@pytest.fixture
def setup(world):
    north = world["north"]
    made = approval_round(region=north["region"], cycle=north["cycle"], states=STATES)
    made.approvals[0].internal_note = "Intern: borgmesteren er positiv."
    db.session.commit()
    return made


def _url(setup) -> str:
    return f"/offentlig/cykler/{setup.cycle.id}/godkendelser"


def test_anyone_reads_the_status_in_words_without_logging_in(client, setup, clock):
    clock.set(f.at(2017, 10, 5, 10, 0))
    page = client.get(_url(setup))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Status: 2 af 12 godkendt" in html
    assert html.index("Status: 2 af 12 godkendt") < html.index('class="chart tiles"')
    assert "godkendt med bemærkninger" in html and "Byrådet ønsker" in html
    assert html.count('class="tile ') == 12
    # no internal notes, no names of who recorded, no links into the signed-in pages
    assert "Intern:" not in html and "Sekretær Hansen" not in html
    assert "/godkendelser/" + str(setup.approvals[0].id) + '"' not in html
    assert "Efter fristen" in html


def test_uploaded_minutes_link_to_the_public_minutes_address(client, setup):
    stored = StoredFile(region_id=setup.region.id, filename="protokol.pdf",
                        content_type="application/pdf", size=10, sha256="0" * 64,
                        storage_key="k" * 32)
    db.session.add(stored)
    db.session.flush()
    setup.approvals[0].minutes_file_id = stored.id
    setup.approvals[0].minutes_url = ""
    db.session.commit()
    html = client.get(_url(setup)).get_data(as_text=True)
    assert f'href="/godkendelser/{setup.approvals[0].id}/protokol"' in html


def test_unknown_draft_or_roundless_cycles_are_404(client, world, setup):
    assert client.get("/offentlig/cykler/999999/godkendelser").status_code == 404
    assert client.get(f"/offentlig/cykler/{world['mid']['cycle'].id}/godkendelser"
                      ).status_code == 404
    setup.cycle.state = CycleState.DRAFT
    db.session.commit()
    assert client.get(_url(setup)).status_code == 404


def test_a_signed_in_person_of_another_region_reads_it_too(client, login_as, setup):
    login_as(Role.RESPONDENT, region="mid")
    page = client.get(_url(setup))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Intern:" not in html and "Log ud" in html  # their own menu, the public content


def test_the_page_prints_on_its_own(client, setup):
    css = client.get("/static/app.css").get_data(as_text=True)
    assert "@media print" in css and ".approval-layout { display: block; }" in css
    html = client.get(_url(setup)).get_data(as_text=True)
    assert 'class="site-header"' in html  # hidden in print by the shared print rules


def test_the_page_is_kept_and_never_stale(app, client, setup, monkeypatch):
    drawn: list[int] = []
    original = public_view._content

    def counting(cycle_id: int):
        drawn.append(cycle_id)
        return original(cycle_id)

    monkeypatch.setattr(public_view, "_content", counting)
    assert "2 af 12 godkendt" in client.get(_url(setup)).get_data(as_text=True)
    assert "2 af 12 godkendt" in client.get(_url(setup)).get_data(as_text=True)
    assert len(drawn) == 1  # kept
    # Another process records a decision: the next view shows it at once.
    with app.app_context():
        db.session.execute(update(CouncilApproval).where(
            CouncilApproval.id == setup.approvals[2].id).values(state=S.APPROVED))
        db.session.commit()
    assert "3 af 12 godkendt" in client.get(_url(setup)).get_data(as_text=True)
    assert len(drawn) == 2


@pytest.mark.parametrize("size", [12, 30])
def test_the_page_reads_a_fixed_number_of_queries(client, world, queries, size):
    setup = approval_round(region=world["north"]["region"], municipalities=size - 1,
                           states=STATES * 8)
    url = _url(setup)
    client.get(url)  # warm: first-use caches
    with queries() as q:
        page = client.get(url)
    assert page.status_code == 200 and page.get_data(as_text=True).count('class="tile ') == size
    # the revision's token, the round with its cycle, the records, the version changes
    assert q.count == 4, q.statements
    with queries(kept=True) as kept:
        client.get(url)
    assert kept.count == 1, kept.statements  # the revision's token only


# --- the public calendar feed ------------------------------------------------------------------


def _events(client, cycle_id: int) -> list:
    body = client.get(f"/kalender/cyklus/{cycle_id}.ics").data
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_each_scheduled_council_meeting_is_in_the_public_feed(client, setup):
    events = _events(client, setup.cycle.id)
    meetings = [e for e in events if "behandler rammeaftalen" in str(e["summary"])]
    # every party with a meeting date: two decided, one scheduled, one postponed
    assert len(meetings) == 4
    first = next(e for e in meetings if setup.approvals[2].party_name in str(e["summary"]))
    assert str(first["summary"]) == (
        f"Byrådsmøde: {setup.approvals[2].party_name} behandler rammeaftalen")
    assert first["dtstart"].dt == setup.approvals[2].meeting_date  # a whole day
    assert str(first["uid"]) == f"council-meeting-{setup.approvals[2].id}@aftalehjul"
    assert "/offentlig/cykler/" in str(first["url"])
    assert "Intern" not in str(first.get("description", ""))


def test_a_draft_cycles_feed_has_no_meetings_and_pending_councils_none(client, world, setup):
    pending = setup.approvals[-1]
    assert pending.meeting_date is None
    summaries = [str(e["summary"]) for e in _events(client, setup.cycle.id)]
    assert not any(pending.party_name in s for s in summaries)
