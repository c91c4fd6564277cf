"""The dashboard: what is due for me, nearest deadline first; a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories as f
from webapp.demo import nordjylland
from webapp.demo.scale import grow
from webapp.demo.seed import seed_demo
from webapp.models import Cycle, Milestone, Organisation, Region, Role, User


def _demo(db, clock):
    seed_demo(clock.now())
    db.session.commit()
    return db.session.scalar(select(Region).where(Region.code == "nordjylland"))


def _login(client, email):
    response = client.post("/login", data={"email": email, "password": nordjylland.DEMO_PASSWORD})
    assert response.status_code == 302


def test_tasks_are_for_my_role_nearest_first_with_days_left(client, db, clock):
    _demo(db, clock)
    _login(client, "aalborg@nordjylland.example")
    html = client.get("/oversigt").get_data(as_text=True)
    assert "Aalborg Kommune i Rammeaftale 2018" in html
    tasks = html.split('class="task-list"')[1].split("</ol>")[0]
    # The respondent: workshop (for everyone), the questionnaire, the consultation.
    assert "Workshop for fagfolk" in tasks
    assert "Kommunale redegørelser" in tasks
    assert "Høring over udkast" in tasks
    assert "Første udkast til rammeaftalen til DAS" not in tasks
    assert "Kickoff-møde" not in tasks  # over
    assert tasks.index("Workshop") < tasks.index("Kommunale redegørelser") < tasks.index("Høring")
    # Aalborg's person is invited to the workshop: the task counts to the sign-up deadline.
    assert "17 dage" in tasks  # 10.01.2017 → 27.01.2017
    # A workshop is a meeting, not a deadline: its date and time, never "Frist" (issue 9).
    assert "06.02.2017 kl. 09.00–15.30" in tasks
    assert "Frist 06.02.2017" not in tasks


def test_days_left_follow_the_clock(client, db, clock):
    _demo(db, clock)
    _login(client, "politiker@nordjylland.example")
    clock.set(f.at(2017, 4, 27, 9))
    html = client.get("/oversigt").get_data(as_text=True)
    assert "i morgen" in html and "Politisk temadag" in html
    clock.set(f.at(2017, 4, 28, 8))
    assert "i dag" in client.get("/oversigt").get_data(as_text=True)


def test_timeline_svg_marks_today_and_has_a_table(client, db, clock):
    _demo(db, clock)
    _login(client, "sekretariat@nordjylland.example")
    html = client.get("/oversigt").get_data(as_text=True)
    assert '<svg' in html and 'role="img"' in html and "<title" in html and "<desc" in html
    assert "I dag er 10.01.2017" in html
    assert "<caption>Milepæle i Rammeaftale 2018, i tidsorden</caption>" in html


def test_no_open_cycle(client, db, world, login_as):
    login_as(Role.RESPONDENT)
    world["north"]["cycle"].state = world["north"]["cycle"].state.__class__("closed")
    db.session.commit()
    html = client.get("/oversigt").get_data(as_text=True)
    assert "ingen åben cyklus" in html


def test_query_count_is_flat_on_demo_and_ten_times_demo(client, db, clock, queries):
    region = _demo(db, clock)
    _login(client, "sekretariat@nordjylland.example")
    cycle_id = db.session.scalar(select(Milestone.cycle_id).limit(1))
    pages = ["/oversigt", f"/cykler/{cycle_id}", "/cykler/"]
    before = {}
    for page in pages:
        with queries() as q:
            assert client.get(page).status_code == 200
        before[page] = q.count
    def region_counts() -> tuple[int | None, ...]:
        # The region grown; the demo's second region (Midtjylland) stays as it is.
        return (
            db.session.scalar(select(func.count(Organisation.id)).where(
                Organisation.region_id == region.id)),
            db.session.scalar(select(func.count(User.id)).join(Organisation).where(
                Organisation.region_id == region.id)),
            db.session.scalar(select(func.count(Milestone.id)).join(Cycle).where(
                Cycle.region_id == region.id)),
        )

    counts = region_counts()
    grow(region.id, 10, clock.now())
    db.session.commit()
    grown = region_counts()
    assert all(g >= 9 * c for g, c in zip(grown, counts, strict=True)), (counts, grown)
    for page in pages:
        with queries() as q:
            assert client.get(page).status_code == 200
        assert q.count == before[page], (page, before[page], q.statements)
    print("queries per page:", before)
    # 10 before, and three reads for the secretariat's "needs now" (questionnaires, reopened
    # answers, failed e-mails), and two for consultations (the reader's organisation's
    # invitations; the consultation audience in the reminder plan), and, since the demo has a
    # consultation with parties, one for the invited organisations' own addresses the plan
    # reminds; three for council approvals (the approval audience in the reminder plan:
    # the records and, as the demo's round has parties, their people; the round's progress for
    # the secretariat); and five for the workshop (the reader's invitations; the sign-up
    # audience in the reminder plan: the workshops, their sessions' rules, the picks per
    # session, the invitees, as the demo's workshop has them); one for the theme day (the
    # open votes the reader may cast); and two for prioritisation boards (the reader's own
    # boards; the scoring audience in the reminder plan)
    assert before["/oversigt"] <= 27


def test_secretariat_leads_with_what_needs_it_now(client, db, clock):
    """The demo at 20.04.2017: the questionnaire runs (6 of 12 missing, 11 days left), the theme
    day is 8 days away, Mariagerfjord's answer is reopened, and an e-mail failed."""
    from webapp.models import EmailState, OutboundEmail

    region = _demo(db, clock)
    clock.set(f.at(2017, 4, 20, 10))
    failed = OutboundEmail(region_id=region.id, template="reminder", to_address="fejl@x.example",
                           subject="Påmindelse: Kapacitetsspørgeskema 2018", body_text="t",
                           body_html="<p>t</p>", state=EmailState.FAILED, attempts=2,
                           last_error="SMTPServerDisconnected", created_at=clock.now(),
                           next_attempt_at=clock.now())
    db.session.add(failed)
    db.session.commit()
    _login(client, "sekretariat@nordjylland.example")
    html = client.get("/oversigt").get_data(as_text=True)
    now = html.split('class="needs-now"')[1].split("</section>")[0]
    assert html.index('class="needs-now"') < html.index('id="opgaver-titel"'), "it leads"
    running = now.split("Spørgeskemaer, der kører")[1].split("</ul>")[0]
    assert "Kapacitetsspørgeskema 2018" in running
    assert "6 af 12 mangler at indsende" in running
    assert "11 dage" in running
    assert "/status" in running, "links to the status board"
    coming = now.split("De næste tre uger")[1].split("</ul>")[0]
    assert "Politisk temadag" in coming and "8 dage" in coming
    assert "28.04.2017 kl. 09.30" in coming
    reopened = now.split("Genåbnede besvarelser")[1].split("</ul>")[0]
    assert "Mariagerfjord Kommune" in reopened
    emails = now.split("E-mails, der ikke kunne sendes")[1]
    assert f'href="/admin/e-mails/{failed.id}"' in emails and "fejl@x.example" in emails


def test_others_do_not_get_the_secretariat_panel(client, db, clock):
    _demo(db, clock)
    _login(client, "aalborg@nordjylland.example")
    assert 'class="needs-now"' not in client.get("/oversigt").get_data(as_text=True)


def test_secretariat_now_query_count_is_flat_while_a_questionnaire_runs(client, db, clock,
                                                                        queries):
    region = _demo(db, clock)
    clock.set(f.at(2017, 4, 20, 10))
    _login(client, "sekretariat@nordjylland.example")
    with queries() as q:
        page = client.get("/oversigt").get_data(as_text=True)
    assert "6 af 12 mangler at indsende" in page
    before = q.count
    grow(region.id, 10, clock.now())
    db.session.commit()
    with queries() as q:
        assert client.get("/oversigt").status_code == 200
    assert q.count == before, q.statements
    # three for consultations, three for approvals, five for the workshop, one for the theme
    # day and two for prioritisation boards, as above
    assert before <= 28
