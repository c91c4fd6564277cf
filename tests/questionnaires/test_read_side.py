"""The questionnaire's read side as each reader sees it: an organisation's own deadline
everywhere (issue 9, item 1), one count of where the recipients stand on the status board and
the results (item 2), and the steering group and observers reading both, read-only (item 13)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.questionnaires.test_results import (  # noqa: F401
    _grow,
    answered,
    capacity,
    html,
    submit_rows,
    text_of,
)
from webapp.extensions import db as _db
from webapp.models import DeadlineExtension, Role
from webapp.workflows.audiences import pending
from webapp.workflows.questionnaires.responses import effective_deadline

EXTENDED_UNTIL = f.at(2017, 5, 15, 12)


def extend(q, org, until=EXTENDED_UNTIL):
    _db.session.add(DeadlineExtension(questionnaire_id=q.id, organisation_id=org.id,
                                      until=until, reason="Ny chef", created_at=f.at(2017, 4, 1)))
    _db.session.commit()


# --- item 1: the organisation's own deadline ---------------------------------------------------


def test_the_deadline_rule():
    ordinary = f.at(2017, 5, 1, 12)
    assert effective_deadline(ordinary, None) == effective_deadline(ordinary, ordinary)
    assert not effective_deadline(ordinary, None).extended
    # An "extension" before the ordinary deadline never shortens it.
    assert effective_deadline(ordinary, f.at(2017, 4, 1)).at == ordinary
    later = effective_deadline(ordinary, EXTENDED_UNTIL)
    assert later.extended and later.at == EXTENDED_UNTIL


def test_an_extension_is_the_deadline_on_every_page(client, world, capacity, login_as,  # noqa: F811
                                                    clock):
    q, _groups = capacity
    extend(q, world["north"]["municipality"])
    clock.set(f.at(2017, 4, 20, 10))
    login_as(Role.RESPONDENT)

    dashboard = text_of(html(client.get("/oversigt")))
    assert "Frist 15.05.2017 kl. 12.00 (forlænget for jer)" in dashboard
    assert "Frist 01.05.2017" not in dashboard

    listing = text_of(html(client.get(f"/cykler/{q.cycle_id}/skemaer")))
    assert "15.05.2017 kl. 12.00 forlænget for jer" in listing
    assert "01.05.2017" not in listing

    page = text_of(html(client.get(f"/skemaer/{q.id}/besvar")))
    assert "Kommune north har fået forlænget fristen til 15.05.2017 kl. 12.00." in page
    assert "Den almindelige frist, 01.05.2017 kl. 12.00, som kan være nævnt i teksten" in page

    # After the ordinary deadline the task stays on "Mine opgaver" until its own.
    clock.set(f.at(2017, 5, 5, 10))
    dashboard = text_of(html(client.get("/oversigt")))
    assert "Frist 15.05.2017 kl. 12.00 (forlænget for jer)" in dashboard
    assert f'href="/skemaer/{q.id}/besvar"' in html(client.get("/oversigt"))


def test_without_an_extension_the_ordinary_deadline(client, world, capacity, login_as,  # noqa: F811
                                                    clock):
    q, _groups = capacity
    extend(q, f.organisation(world["north"]["region"], name="Anden kommune"))  # not ours
    clock.set(f.at(2017, 4, 20, 10))
    login_as(Role.RESPONDENT)
    dashboard = text_of(html(client.get("/oversigt")))
    assert "Frist 01.05.2017 kl. 12.00" in dashboard and "forlænget" not in dashboard
    assert "forlænget" not in html(client.get(f"/skemaer/{q.id}/besvar"))


def test_the_reminders_use_the_same_deadline(db, world, capacity, clock):  # noqa: F811
    q, _groups = capacity
    org = world["north"]["municipality"]
    extend(q, org)
    items = {i.owner.id: i for i in pending([q.milestone], f.at(2017, 4, 20, 10))}
    assert items[org.id].deadline == EXTENDED_UNTIL


def test_dashboard_queries_do_not_grow_with_extensions(client, db, world, capacity,  # noqa: F811
                                                       login_as, clock, queries):
    q, _groups = capacity
    clock.set(f.at(2017, 4, 20, 10))
    login_as(Role.RESPONDENT)
    client.get("/oversigt")
    with queries() as before:
        client.get("/oversigt")
    extend(q, world["north"]["municipality"])
    with queries() as after:
        client.get("/oversigt")
    assert after.count == before.count


# --- item 2: one count, in words, on both pages ------------------------------------------------


def test_status_board_and_results_count_alike(client, world, answered, login_as):  # noqa: F811
    """answered: A and B submitted, D reopened, C a draft, E (Hjørring) not started. E gets an
    extension: it is still "ikke påbegyndt", with the extension as a marker."""
    q = answered["q"]
    extend(q, answered["e"])
    login_as(Role.SECRETARIAT)
    board = text_of(html(client.get(f"/skemaer/{q.id}/status")))
    results = text_of(html(client.get(f"/skemaer/{q.id}/resultater")))
    line = ("2 af 5 har indsendt. 1 genåbnet, 1 i gang, 1 ikke påbegyndt. "
            "1 med forlænget frist.")
    assert line in board and line in results
    terms = "Genåbnet: sekretariatet har åbnet en indsendt besvarelse, så den kan rettes"
    assert terms in board and terms in results
    assert "Ikke påbegyndt (1)" in board and "Forlænget frist (1)" in board
    assert "Indsendt (2)" in board and "Genåbnet (1)" in board and "I gang (1)" in board
    assert "Forlænget frist til 15.05.2017 kl. 12.00" in board
    assert "bygger på 3 besvarelser" in results
    # The marker filter lists the extended organisation, whatever its status.
    only = text_of(html(client.get(f"/skemaer/{q.id}/status?status=extended")))
    assert "Hjørring Kommune" in only and "Brønderslev Kommune" not in only
    # An unknown filter shows everybody rather than nobody.
    assert "Brønderslev Kommune" in text_of(html(client.get(
        f"/skemaer/{q.id}/status?status=nonsense")))


# --- item 13: the steering group and observers read, read-only ---------------------------------


@pytest.mark.parametrize("role", [Role.STEERING_MEMBER, Role.OBSERVER])
def test_steering_reads_status_and_results(client, world, answered, login_as, role):  # noqa: F811
    q, a = answered["q"], answered["a"]
    login_as(role)
    board = client.get(f"/skemaer/{q.id}/status")
    assert board.status_code == 200
    page = html(board)
    assert "2 af 5 har indsendt." in text_of(page)
    for follow_up in ("genaabn", "/frist/", "/besvarelser/", "Handlinger"):
        assert follow_up not in page, follow_up
    results = client.get(f"/skemaer/{q.id}/resultater")
    assert results.status_code == 200
    page = html(results)
    assert "eksport" not in page
    # Submitted answers only: the draft's and the reopened response's new values never show.
    assert "999.999" not in page and "Carl" not in page and "7.777" not in page
    assert "Anne Andersen" in page
    for url in (f"/skemaer/{q.id}/eksport.csv", f"/skemaer/{q.id}/eksport.xlsx",
                f"/skemaer/{q.id}/besvarelser/{a.id}/genaabn",
                f"/skemaer/{q.id}/frist/{a.id}"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/skemaer/{q.id}/frist/{a.id}",
                       data={"until_date": "2017-06-01"}).status_code == 403
    listing = html(client.get(f"/cykler/{q.cycle_id}/skemaer"))
    assert "Ikke modtager" not in listing
    assert f'href="/skemaer/{q.id}/status"' in listing
    assert f'href="/skemaer/{q.id}/resultater"' in listing


@pytest.mark.parametrize("role", [Role.USER_ORG_REP, Role.POLITICIAN])
def test_others_still_do_not_read_them(client, world, answered, login_as, role):  # noqa: F811
    q = answered["q"]
    login_as(role)
    assert client.get(f"/skemaer/{q.id}/status").status_code == 403
    assert client.get(f"/skemaer/{q.id}/resultater").status_code == 403
    assert f'href="/skemaer/{q.id}/status"' not in html(client.get(f"/cykler/{q.cycle_id}/skemaer"))


def test_steering_pages_query_counts_do_not_grow(client, db, world, capacity,  # noqa: F811
                                                 login_as, queries, clock):
    q, groups = capacity
    region = world["north"]["region"]
    _grow(q, groups, region, 0, 10, clock)
    login_as(Role.STEERING_MEMBER)
    paths = [f"/skemaer/{q.id}/status", f"/skemaer/{q.id}/resultater"]
    small = {}
    for path in paths:
        assert client.get(path).status_code == 200
        with queries() as counted:
            client.get(path)
        small[path] = counted.count
    _grow(q, groups, region, 10, 60, clock)
    for path in paths:
        with queries() as counted:
            assert client.get(path).status_code == 200
        assert counted.count == small[path], (path, counted.statements)
