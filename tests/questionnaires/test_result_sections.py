"""A long questionnaire's results come one section a page (`?afsnit=`); a short one's on one."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.questionnaires.test_results import _loaded, html, submit_rows, text_of
from webapp.models import QuestionType, Role
from webapp.queries.questionnaires import PAGED_FROM_QUESTIONS
from webapp.workflows.questionnaires import builder as build


@pytest.fixture
def long_q(db, world, clock):
    """The capacity questionnaire grown past the paging limit with two more sections, and one
    submitted answer."""
    q, _groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    loaded = _loaded(q.id)
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    for title, prefix in (("Økonomi og takster", "oek"), ("Fremtidige behov", "behov")):
        section = build.add_section(secretariat, loaded, title=title, now=clock.now())
        for i in range(PAGED_FROM_QUESTIONS // 2):
            build.add_question(secretariat, loaded, section, type=QuestionType.INTEGER,
                               key=f"{prefix}_{i}", label=f"{title}: tal nr. {i}",
                               now=clock.now())
    submit_rows(loaded, world["north"]["municipality"],
                {"kontaktperson": "Anne", "oek_3": 4711, "behov_5": 1234}, clock.now())
    db.session.commit()
    return loaded


def test_one_section_a_page(client, long_q, login_as):
    login_as(Role.SECRETARIAT)
    base = f"/skemaer/{long_q.id}/resultater"
    first = html(client.get(base))
    assert "Kontaktperson" in first and "Økonomi og takster: tal nr. 3" not in first
    # Every section is in the list; the shown one is marked; the next is linked.
    for title in ("Økonomi og takster", "Fremtidige behov"):
        assert title in first
    assert 'aria-current="page"' in first
    assert f'href="{base}?afsnit=2" rel="next"' in first
    assert "Afsnit 1 af" in text_of(first)

    economy = len(long_q.sections) - 1  # the next to last
    second = html(client.get(f"{base}?afsnit={economy}"))  # kept apart from the first
    assert "Økonomi og takster: tal nr. 3" in second and "Kontaktperson</h3>" not in second
    assert "4.711" in second and "1.234" not in second
    assert f'href="{base}?afsnit={economy - 1}" rel="prev"' in second
    # Each section's page has a title of its own.
    assert (f"<title>Resultater: Kapacitet, afsnit {economy} af {len(long_q.sections)}: "
            "Økonomi og takster – Aftalehjul</title>") in second

    last = html(client.get(f"{base}?afsnit={len(long_q.sections)}"))
    assert "Fremtidige behov: tal nr. 5" in last and "1.234" in last
    assert 'rel="next"' not in last


@pytest.mark.parametrize("asked", ["0", "99", "x", "-1", "²", "1.5", "9" * 30, " 1"])
def test_a_section_that_is_not_there_is_404(client, long_q, login_as, asked):
    login_as(Role.SECRETARIAT)
    response = client.get(f"/skemaer/{long_q.id}/resultater", query_string={"afsnit": asked})
    assert response.status_code == 404


def test_a_short_questionnaire_stays_on_one_page(client, db, world, login_as):
    q, _groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/skemaer/{q.id}/resultater?afsnit=7"))
    assert "Kontaktperson" in page and 'rel="next"' not in page
    assert "<title>Resultater: Kapacitet – Aftalehjul</title>" in page


def test_a_section_page_costs_the_same_queries(client, long_q, login_as, queries):
    login_as(Role.SECRETARIAT)
    counts = []
    for number in (1, 3):
        path = f"/skemaer/{long_q.id}/resultater?afsnit={number}"
        client.get(path)
        from webapp import revision
        revision.clear()  # computed, not kept
        with queries() as counted:
            assert client.get(path).status_code == 200
        counts.append(counted.count)
    assert counts[0] == counts[1]
