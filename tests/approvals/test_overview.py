"""The read side of council approvals: the overview's data, the secretariat's page, its grid
and its XLSX export."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from tests import factories as f
from tests.approvals.factories_read import approval_round, version_change
from webapp.extensions import db
from webapp.models import ApprovalState as S
from webapp.models import Role
from webapp.queries.approvals import overview as read

STATES = [S.APPROVED, S.APPROVED_WITH_REMARKS, S.SCHEDULED, S.POSTPONED, S.REJECTED]


@pytest.fixture
def north_round(world):
    """A round in the world's north region: its municipality (with the world's respondent) is
    the first party; 11 municipalities and the region."""
    north = world["north"]
    setup = approval_round(region=north["region"], cycle=north["cycle"],
                           include=[north["municipality"]], states=STATES)
    setup.approvals[0].internal_note = "Ringet til kommunen 3.10."
    setup.approvals[0].on_behalf = True
    db.session.commit()
    return setup


def _data(setup, now, public=False):
    loaded = read.round_of_cycle(setup.cycle.id)
    assert loaded is not None
    return read.overview(loaded, now, public=public)


# --- the data ----------------------------------------------------------------------------------


def test_rows_carry_state_meeting_decision_and_the_status(app, north_round, clock):
    clock.set(f.at(2017, 10, 5, 10, 0))
    with app.test_request_context():
        data = _data(north_round, clock.now())
        by_id = {r.id: r for r in data.rows}
        first = by_id[north_round.approvals[0].id]
        assert first.state_label == "godkendt" and first.decided
        assert first.minutes_url.startswith("https://referat.example/")
        assert first.internal_note == "Ringet til kommunen 3.10." and first.on_behalf
        assert first.recorded_by == "Sekretær Hansen"
        remarks = by_id[north_round.approvals[1].id]
        assert remarks.state_label == "godkendt med bemærkninger" and remarks.remarks
        rejected = by_id[north_round.approvals[4].id]
        assert rejected.rejection_reason and rejected.state_label == "ikke godkendt"
        assert data.status.kind == "rejected" and data.status.label == "Ikke godkendt"
        assert (data.status.approved, data.status.total) == (2, 12)
        assert data.days_left == 10  # 5 → 15 October, Copenhagen days
        assert [c.count for c in data.counts if c.state == S.PENDING] == [7]
        # Danish order: the parties sorted as people read them
        names = [r.party for r in data.rows]
        assert names == sorted(names, key=lambda n: n.replace("Region", "Z"))


def test_a_meeting_after_the_deadline_is_flagged_until_decided(app, north_round, clock):
    with app.test_request_context():
        data = _data(north_round, clock.now())
        postponed = next(r for r in data.rows if r.state == S.POSTPONED)
        assert postponed.meeting_date == date(2017, 10, 25) and postponed.meeting_after_deadline
        assert data.late_meetings == 1
        assert not any(r.meeting_after_deadline for r in data.rows if r.decided)


def test_days_left_counts_copenhagen_calendar_days(app):
    deadline = f.at(2017, 10, 15, 23, 59)
    assert read.days_left(deadline, f.at(2017, 10, 15, 0, 30)) == 0
    assert read.days_left(deadline, f.at(2017, 10, 14, 23, 30)) == 1
    assert read.days_left(deadline, f.at(2017, 10, 16, 0, 5)) == -1


def test_the_public_variant_leaves_out_internal_notes_and_who_recorded(app, north_round):
    with app.test_request_context():
        data = _data(north_round, f.at(2017, 10, 1), public=True)
        assert data.public
        assert all(r.internal_note == "" and r.recorded_by == "" and r.recorded_at is None
                   and not r.on_behalf for r in data.rows)


def test_version_changes_are_listed_with_both_versions(app, north_round):
    version_change(north_round, stand=False, reason="Taksterne er ændret.")
    with app.test_request_context():
        data = _data(north_round, f.at(2017, 10, 1))
        [change] = data.version_changes
        assert change.from_label == "Rammeaftale 2018: Endelig"
        assert change.to_label == "Rammeaftale 2018: Endelig 2"
        assert not change.approvals_stand and change.reason == "Taksterne er ændret."


@pytest.mark.parametrize("size", [12, 30])
def test_the_overview_reads_a_fixed_number_of_queries(app, db, queries, size):
    setup = approval_round(municipalities=size - 1, states=STATES * 6)
    version_change(setup, stand=True, reason="Kun sproglige rettelser.")
    with app.test_request_context():
        with queries() as q:
            loaded = read.round_of_cycle(setup.cycle.id)
            assert loaded is not None
            data = read.overview(loaded, f.at(2017, 10, 1))
        assert len(data.rows) == size
        assert q.count == 3, q.statements


# --- the secretariat's page --------------------------------------------------------------------


def test_the_secretariat_sees_grid_table_links_and_internal_notes(client, login_as, north_round,
                                                                  clock):
    clock.set(f.at(2017, 10, 5, 10, 0))
    login_as(Role.SECRETARIAT)
    page = client.get(f"/cykler/{north_round.cycle.id}/godkendelser")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Status: Ikke godkendt" in html
    assert 'role="img"' in html and "<desc" in html
    # every tile names its state in words, not only by colour
    assert html.count('class="tile ') == 12
    assert "godkendt med bemærkninger" in html
    for a in north_round.approvals:
        assert f'href="/godkendelser/{a.id}"' in html
    assert "Ringet til kommunen 3.10." in html and "på partens vegne" in html
    assert "Efter fristen" in html
    assert f'href="/offentlig/cykler/{north_round.cycle.id}/godkendelser"' in html
    assert f"/cykler/{north_round.cycle.id}/godkendelser.xlsx" in html


def test_a_partys_respondent_reads_it_without_the_internal_notes(client, login_as, north_round):
    login_as(Role.RESPONDENT)  # the world's municipality is the first party
    page = client.get(f"/cykler/{north_round.cycle.id}/godkendelser")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ringet til kommunen" not in html and "Sekretær Hansen" not in html


def test_a_respondent_of_an_organisation_outside_the_round_is_refused(client, login_as, world,
                                                                      north_round):
    outsider = f.user(f.organisation(world["north"]["region"]), [Role.RESPONDENT])
    db.session.commit()
    login_as(outsider)
    assert client.get(f"/cykler/{north_round.cycle.id}/godkendelser").status_code == 403
    assert client.get(f"/cykler/{north_round.cycle.id}/godkendelser.xlsx").status_code == 403


@pytest.mark.parametrize("role", [Role.POLITICIAN, Role.OBSERVER, Role.STEERING_MEMBER])
def test_other_roles_are_not_let_in(client, login_as, north_round, role):
    login_as(role)
    assert client.get(f"/cykler/{north_round.cycle.id}/godkendelser").status_code == 403


def test_another_regions_cycle_is_a_404(client, login_as, north_round):
    login_as(Role.SECRETARIAT, region="mid")
    assert client.get(f"/cykler/{north_round.cycle.id}/godkendelser").status_code == 404
    assert client.get(f"/cykler/{north_round.cycle.id}/godkendelser.xlsx").status_code == 404


def test_without_a_round_the_page_explains_and_offers_to_open_it(client, login_as, world):
    cycle = world["north"]["cycle"]
    login_as(Role.SECRETARIAT)
    html = client.get(f"/cykler/{cycle.id}/godkendelser").get_data(as_text=True)
    assert "Godkendelsesrunden er ikke åbnet endnu" in html
    assert f'href="/cykler/{cycle.id}/godkendelser/aabn"' in html
    assert client.get(f"/cykler/{cycle.id}/godkendelser.xlsx").status_code == 404
    client.post("/logout")
    login_as(Role.RESPONDENT)
    html = client.get(f"/cykler/{cycle.id}/godkendelser").get_data(as_text=True)
    assert "Godkendelsesrunden er ikke åbnet endnu" in html and "/aabn" not in html


def test_anonymous_visitors_are_sent_to_log_in(client, north_round):
    page = client.get(f"/cykler/{north_round.cycle.id}/godkendelser")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


@pytest.mark.parametrize("size", [12, 30])
def test_the_page_reads_a_fixed_number_of_queries(client, login_as, world, queries, size):
    north = world["north"]
    setup = approval_round(region=north["region"], municipalities=size - 1, states=STATES * 6)
    login_as(Role.SECRETARIAT)
    client.get(f"/cykler/{setup.cycle.id}/godkendelser")  # warm: first-use caches
    with queries() as q:
        page = client.get(f"/cykler/{setup.cycle.id}/godkendelser")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('class="tile ') == size
    # the person (with the revision's token), the round, its records, the version changes
    assert q.count == 4, q.statements
    with queries(kept=True) as kept:
        client.get(f"/cykler/{setup.cycle.id}/godkendelser")
    assert kept.count == 1, kept.statements  # the whole page is kept (views.common.kept_page)


def test_the_page_is_redrawn_after_a_change(app, client, login_as, north_round):
    login_as(Role.SECRETARIAT)
    url = f"/cykler/{north_round.cycle.id}/godkendelser"
    assert "Ikke godkendt" in client.get(url).get_data(as_text=True)
    rejected = north_round.approvals[4]
    rejected.state, rejected.rejection_reason = S.APPROVED, ""
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "Status: 3 af 12 godkendt" in html


# --- the XLSX export ---------------------------------------------------------------------------


def test_the_export_has_danish_headers_and_real_dates(client, login_as, north_round):
    login_as(Role.SECRETARIAT)
    response = client.get(f"/cykler/{north_round.cycle.id}/godkendelser.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[:4] == ("Part", "Byråd/regionsråd", "Status", "Mødedato")
    assert "Intern note" in headers and "Beslutningsdato" in headers
    decided = next(r for r in rows[1:] if r[2] == "godkendt")
    meeting = decided[headers.index("Mødedato")]
    assert isinstance(meeting, datetime)  # a date cell (openpyxl reads dates back as datetimes)
    assert decided[headers.index("Mødet ligger efter fristen")] == "Nej"
    assert len(rows) == 13


def test_a_respondents_export_has_no_internal_columns(client, login_as, north_round):
    login_as(Role.RESPONDENT)
    response = client.get(f"/cykler/{north_round.cycle.id}/godkendelser.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    headers = next(sheet.iter_rows(values_only=True))
    assert "Intern note" not in headers and "Registreret af" not in headers
    assert not re.search("Ringet til", str(list(sheet.iter_rows(values_only=True))))


@pytest.mark.parametrize("meeting,deadline", [
    (date.min, datetime(1, 1, 1, 0, 0, tzinfo=UTC)),
    (date.max, datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
])
def test_stored_extreme_dates_never_break_a_page(client, login_as, north_round, meeting,
                                                 deadline):
    """Dates at the calendar's ends (a typo in another system, an import): every page of the
    read side still answers."""
    for a in north_round.approvals:
        if a.meeting_date is not None:
            a.meeting_date = meeting
        if a.decided_on is not None:
            a.decided_on = meeting
    north_round.milestone.starts_at = None  # a start must lie before the end
    north_round.milestone.ends_at = deadline
    db.session.commit()
    cycle_id = north_round.cycle.id
    for path in (f"/offentlig/cykler/{cycle_id}/godkendelser", f"/kalender/cyklus/{cycle_id}.ics",
                 f"/api/v1/cycles/{cycle_id}/approvals"):
        assert client.get(path).status_code == 200, path
    login_as(Role.SECRETARIAT)
    for path in (f"/cykler/{cycle_id}/godkendelser", f"/cykler/{cycle_id}/godkendelser.xlsx",
                 f"/api/v1/cycles/{cycle_id}/approvals"):
        assert client.get(path).status_code == 200, path
