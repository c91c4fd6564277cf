"""The answer form of a long questionnaire (40 questions or more), one section a page: the page
shows and posts one section, saving merges it into the other sections' answers, and submitting
still checks the whole response, linking to the section page of each missing answer."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.extensions import db as _db
from webapp.models import (
    Cycle,
    MilestoneKind,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    QuestionType,
    ResponseState,
    Role,
    Section,
)
from webapp.permissions import SYSTEM
from webapp.workflows.questionnaires import builder as build
from webapp.workflows.questionnaires.fields import merge_answers


def long_questionnaire(cycle: Cycle, sections: int = 10, per_section: int = 4,
                       title: str = "Kapacitet lang") -> Questionnaire:
    """A questionnaire of `sections` × `per_section` short text questions, open 01.03.2017 –
    01.05.2017. Question j of section i: key `s<i>_q<j>`, label "Spørgsmål i.j"; the first of
    section 1 must be answered. Written as rows (the builder's checks cost a flush each)."""
    ms = f.milestone(cycle, f.at(2017, 5, 1, 12, 0), kind=MilestoneKind.QUESTIONNAIRE,
                     title=f"{title} (frist)", starts_at=f.at(2017, 3, 1, 8, 0),
                     audience=["respondent"])
    q = build.create_questionnaire(SYSTEM, cycle, milestone=ms, title=title,
                                   now=f.at(2017, 2, 1))
    for i in range(1, sections + 1):
        section = Section(title=f"Afsnit nummer {i}", position=i, questions=[
            Question(questionnaire_id=q.id, key=f"s{i}_q{j}", type=QuestionType.SHORT_TEXT,
                     label=f"Spørgsmål {i}.{j}", required=(i, j) == (1, 1), config={},
                     position=j)
            for j in range(1, per_section + 1)])
        q.sections.append(section)
    _db.session.flush()
    return q


@pytest.fixture
def long_q(db: Any, world: Any, clock: Any) -> Questionnaire:
    q = long_questionnaire(world["north"]["cycle"])
    db.session.commit()
    clock.set(f.at(2017, 3, 10, 9))
    return q


def html(response: Any) -> str:
    return response.get_data(as_text=True)


def url(q: Questionnaire, section: int | None = None) -> str:
    return f"/skemaer/{q.id}/besvar" + (f"?afsnit={section}" if section else "")


def stored(db: Any, q: Questionnaire) -> QuestionnaireResponse:
    db.session.expire_all()
    return db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == q.id))


def section_fields(i: int, **answers: str) -> dict[str, str]:
    """Section i's fields as the page posts them: every one, empty unless answered."""
    return {f"q_s{i}_q{j}": answers.get(f"q{j}", "") for j in range(1, 5)}


def test_a_section_page_shows_its_section_only(client, long_q, login_as):
    login_as(Role.RESPONDENT)
    page = html(client.get(url(long_q)))  # no section asked: the first
    assert "<h1>Kapacitet lang</h1>" in page and 'class="facts"' in page
    assert "Spørgsmål 1.1" in page and "Spørgsmål 2.1" not in page
    assert '<h2 id="afsnit-' in page and ">Afsnit nummer 1</h2>" in page
    assert '<input type="hidden" name="afsnit" value="1">' in page
    assert 'value="next"' in page and "Gem og gå til næste afsnit" in page
    # The list of sections comes before the form, the pager after it.
    toc, form, pager = (page.index('class="result-toc section-toc"'),
                        page.index('class="answer-form"'), page.index("section-pager"))
    assert toc < form < pager
    assert (f'<a href="/skemaer/{long_q.id}/besvar?afsnit=1" aria-current="page">'
            in page)
    assert "Afsnit 1 af 10" in page and f'href="/skemaer/{long_q.id}/besvar?afsnit=2"' in page

    page = html(client.get(url(long_q, 5)))
    assert "Spørgsmål 5.3" in page and "Spørgsmål 1.1" not in page
    assert "Spørgsmål 4.1" not in page and "Spørgsmål 6.1" not in page
    assert f'<a href="/skemaer/{long_q.id}/besvar?afsnit=5" aria-current="page">' in page
    assert 'rel="prev"' in page and 'rel="next"' in page

    last = html(client.get(url(long_q, 10)))
    assert "Spørgsmål 10.4" in last and 'value="next"' not in last and 'rel="next"' not in last
    assert 'value="submit"' in last
    # Each section's page has a title of its own.
    assert "<title>Kapacitet lang, afsnit 5 af 10: Afsnit nummer 5 – Aftalehjul</title>" in page
    assert "<title>Kapacitet lang, afsnit 10 af 10: Afsnit nummer 10 – Aftalehjul</title>" in last


@pytest.mark.parametrize("asked", ["0", "11", "x", "²", "-1", "1.5", "99999999999999999999"])
def test_a_section_that_is_not_one_is_a_404(client, long_q, login_as, asked):
    login_as(Role.RESPONDENT)
    client.get("/oversigt")  # the session's CSRF token: from here on pages are kept
    for _ in range(2):  # a 404 is not kept, nor served from what a good page kept
        assert client.get(f"/skemaer/{long_q.id}/besvar?afsnit={asked}").status_code == 404
        assert client.get(url(long_q, 2)).status_code == 200


def test_a_kept_page_is_kept_per_section(client, long_q, login_as, monkeypatch):
    """The page's body is kept under a key that names the section: section 2 is never given
    the HTML kept for section 1 (nor the other way round)."""
    from webapp.views.questionnaires import answers

    login_as(Role.RESPONDENT)
    client.get("/oversigt")  # the session's CSRF token: from here on pages are kept
    drawn: list[int] = []
    original = answers._answer_body
    monkeypatch.setattr(answers, "_answer_body",
                        lambda *a, **k: drawn.append(1) or original(*a, **k))
    first = html(client.get(url(long_q, 1)))
    assert "Spørgsmål 1.1" in first and "Spørgsmål 2.1" not in first
    second = html(client.get(url(long_q, 2)))
    assert "Spørgsmål 2.1" in second and "Spørgsmål 1.1" not in second
    assert '<input type="hidden" name="afsnit" value="2">' in second
    # Asked again: both are the kept copies, drawn once each.
    assert html(client.get(url(long_q, 1))) == first
    assert html(client.get(url(long_q, 2))) == second
    assert len(drawn) == 2
    # A message waiting draws the page afresh, but the kept body is still per section.
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Hej")]
    third = html(client.get(url(long_q, 3)))
    assert "Spørgsmål 3.1" in third and "Spørgsmål 1.1" not in third and "Hej" in third


def test_saving_a_section_keeps_the_others(client, db, long_q, login_as):
    login_as(Role.RESPONDENT)
    assert client.post(url(long_q), data={
        **section_fields(1, q1="Anne", q2="Et"), "afsnit": "1", "action": "save",
        "version": ""}).status_code == 302
    saved = stored(db, long_q)
    assert saved.answers == {"s1_q1": "Anne", "s1_q2": "Et"}
    result = client.post(url(long_q), data={
        **section_fields(2, q1="To", q3="Tre"), "afsnit": "2", "action": "save",
        "version": str(saved.version_id)})
    assert result.status_code == 302 and result.location.endswith("?afsnit=2")
    saved = stored(db, long_q)
    assert saved.answers == {"s1_q1": "Anne", "s1_q2": "Et", "s2_q1": "To", "s2_q3": "Tre"}
    # A field cleared on section 2's page is cleared; section 1's answers stay.
    assert client.post(url(long_q), data={
        **section_fields(2, q3="Tre"), "afsnit": "2", "action": "save",
        "version": str(saved.version_id)}).status_code == 302
    saved = stored(db, long_q)
    assert saved.answers == {"s1_q1": "Anne", "s1_q2": "Et", "s2_q3": "Tre"}
    assert saved.state == ResponseState.DRAFT
    page = html(client.get(url(long_q, 1)))
    assert 'value="Anne"' in page and "Kladden er gemt" in page


def test_merge_answers():
    questions = [Question(key="b"), Question(key="c")]
    assert merge_answers({"a": 1, "b": 2, "c": 3}, questions, {"c": 4, "z": 9}) == {
        "a": 1, "c": 4}
    assert merge_answers({}, questions, {"b": {"1": {"x": 2}}}) == {"b": {"1": {"x": 2}}}


def test_save_and_go_to_the_next_section(client, db, long_q, login_as):
    login_as(Role.RESPONDENT)
    result = client.post(url(long_q), data={
        **section_fields(3, q1="Hej"), "afsnit": "3", "action": "next", "version": ""})
    assert result.status_code == 302 and result.location.endswith(f"{url(long_q, 4)}")
    page = html(client.get(result.location))
    assert "Spørgsmål 4.1" in page and "Kladden er gemt" in page
    assert stored(db, long_q).answers == {"s3_q1": "Hej"}
    # On the last page there is no next section: it stays.
    result = client.post(url(long_q), data={
        **section_fields(10), "afsnit": "10", "action": "next",
        "version": str(stored(db, long_q).version_id)})
    assert result.location.endswith(url(long_q, 10))


def test_typing_errors_stay_on_the_section(client, db, long_q, login_as):
    login_as(Role.RESPONDENT)
    # A field of another section in this section's post: nothing is saved.
    result = client.post(url(long_q), data={
        **section_fields(2, q1="To"), "q_s1_q1": "Anne", "afsnit": "2", "action": "save"})
    assert result.status_code == 422 and "Intet er gemt" in html(result)
    assert "Spørgsmål 2.1" in html(result) and "Spørgsmål 1.1" not in html(result)
    assert stored(db, long_q) is None
    assert client.post(url(long_q), data={**section_fields(2), "afsnit": "12",
                                          "action": "save"}).status_code == 404


def test_submit_checks_every_section_and_links_to_each_page(client, db, long_q, login_as):
    login_as(Role.RESPONDENT)
    # The first question (section 1) must be answered; submitting from section 3 is refused.
    result = client.post(url(long_q), data={
        **section_fields(3, q2="Svar"), "afsnit": "3", "action": "submit", "version": ""})
    assert result.status_code == 422
    page = html(result)
    assert "Besvarelsen er ikke indsendt: nogle svar mangler." in page
    assert (f'<a href="/skemaer/{long_q.id}/besvar?afsnit=1#q_s1_q1">Spørgsmål 1.1: Besvar '
            "spørgsmålet. (afsnit 1: Afsnit nummer 1)</a>") in page
    # Still section 3's page, with what was typed; its answers are kept as a draft, so the
    # link to section 1 loses nothing.
    assert '<input type="hidden" name="afsnit" value="3">' in page
    assert 'value="Svar"' in page and 'name="q_s1_q1"' not in page
    assert "Dine svar i dette afsnit er gemt som kladde." in page
    saved = stored(db, long_q)
    assert saved.state == ResponseState.DRAFT and saved.answers == {"s3_q2": "Svar"}
    version = page.split('name="version" value="')[1].split('"')[0]
    assert version == str(saved.version_id)

    # The missing answer on the page shown links within the page, and stands at its field.
    result = client.post(url(long_q), data={
        **section_fields(1), "afsnit": "1", "action": "submit", "version": version})
    page = html(result)
    assert result.status_code == 422
    assert '<a href="#q_s1_q1">Spørgsmål 1.1: Besvar spørgsmålet.</a>' in page
    assert 'id="q_s1_q1-error"' in page

    result = client.post(url(long_q), data={
        **section_fields(1, q1="Anne"), "afsnit": "1", "action": "submit",
        "version": str(stored(db, long_q).version_id)})
    assert result.status_code == 302 and result.location.endswith(url(long_q))
    saved = stored(db, long_q)
    assert saved.state == ResponseState.SUBMITTED
    assert saved.answers == {"s1_q1": "Anne", "s3_q2": "Svar"}


def test_a_conflict_compares_the_section_shown(client, app, db, world, long_q, login_as):
    login_as(Role.RESPONDENT)
    colleague = f.user(world["north"]["municipality"], [Role.RESPONDENT])
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": f.PASSWORD})
    assert other.post(url(long_q), data={
        **section_fields(1, q1="Kollega"), "afsnit": "1", "action": "save",
        "version": ""}).status_code == 302
    assert other.post(url(long_q), data={
        **section_fields(2, q1="Deres"), "afsnit": "2", "action": "save",
        "version": str(stored(db, long_q).version_id)}).status_code == 302
    result = client.post(url(long_q), data={
        **section_fields(2, q1="Mig"), "afsnit": "2", "action": "save", "version": ""})
    assert result.status_code == 409
    page = html(result)
    assert "Nogen har gemt besvarelsen" in page and 'value="Mig"' in page
    summary = page[page.index('class="error-summary"'):page.index("</div>",
                                                                  page.index("error-summary"))]
    # Only section 2's differences: section 1's answer is not on this page.
    assert 'href="#q_s2_q1"' in summary and "Deres" in summary and "Kollega" not in summary
    version = page.split('name="version" value="')[1].split('"')[0]
    assert client.post(url(long_q), data={
        **section_fields(2, q1="Mig"), "afsnit": "2", "action": "save",
        "version": version}).status_code == 302
    assert stored(db, long_q).answers == {"s1_q1": "Kollega", "s2_q1": "Mig"}


def test_a_submitted_response_reads_one_section_a_page(client, db, long_q, login_as):
    login_as(Role.RESPONDENT)
    client.post(url(long_q), data={**section_fields(2, q2="Andet svar"), "afsnit": "2",
                                   "action": "save", "version": ""})
    assert client.post(url(long_q), data={
        **section_fields(1, q1="Anne"), "afsnit": "1", "action": "submit",
        "version": str(stored(db, long_q).version_id)}).status_code == 302
    page = html(client.get(url(long_q)))
    assert "kan ikke ændres" in page and 'name="q_s1_q1"' not in page
    assert '<th scope="row">Spørgsmål 1.1</th>' in page and "Anne" in page
    assert "Spørgsmål 2.2" not in page and 'class="answer-form"' not in page
    assert f'<a href="/skemaer/{long_q.id}/besvar?afsnit=1" aria-current="page">' in page
    page = html(client.get(url(long_q, 2)))
    assert '<th scope="row">Spørgsmål 2.2</th>' in page and "Andet svar" in page
    assert "Spørgsmål 1.1" not in page and "Afsnit 2 af 10" in page
    assert client.get(url(long_q, 11)).status_code == 404


def test_a_short_questionnaire_is_one_page(client, db, world, login_as, clock):
    """39 questions: every section on one page, no section navigation, as before."""
    q = long_questionnaire(world["north"]["cycle"], sections=3, per_section=13)
    db.session.commit()
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    page = html(client.get(url(q)))
    assert "Spørgsmål 1.1" in page and "Spørgsmål 3.13" in page
    assert "section-toc" not in page and 'name="afsnit"' not in page
    assert 'value="next"' not in page
    assert client.get(f"/skemaer/{q.id}/besvar?afsnit=7").status_code == 200


def test_a_section_page_costs_the_same_queries_whatever_the_length(client, db, world, long_q,
                                                                   login_as, queries):
    """A section's page reads a fixed number of statements: the same for a questionnaire of
    40 questions as for one of 120, and for its first section as for its fifth."""
    longer = long_questionnaire(world["north"]["cycle"], sections=10, per_section=12,
                                title="Kapacitet længere")
    db.session.commit()
    login_as(Role.RESPONDENT)
    client.get("/oversigt")
    counts = {}
    for q, section in ((long_q, 1), (long_q, 5), (longer, 1), (longer, 5)):
        with queries() as counted:
            page = client.get(url(q, section))
        assert page.status_code == 200 and f"Spørgsmål {section}.1" in html(page)
        counts[(q.title, section)] = counted.count
    assert len(set(counts.values())) == 1, counts
