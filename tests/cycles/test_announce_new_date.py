"""Moving a public milestone offers to tell those concerned (issue 9, item 11)."""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import select

from tests.test_mail import body, subject
from webapp.demo import nordjylland
from webapp.demo.seed import seed_demo
from webapp.models import AuditEvent, Cycle, Milestone, OutboundEmail


class _Form(HTMLParser):
    """The values a browser would post from the page's main form (checked boxes only)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self.checkboxes: dict[str, bool] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox":
                self.checkboxes[a["id"]] = "checked" in a
                if "checked" in a:
                    self.values.append((a["name"], a.get("value", "y")))
            elif a.get("type") != "submit":
                self.values.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a["value"]))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values.append((a["name"], ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.values[-1]
            self.values[-1] = (name, value + data)


def _page(client, milestone):
    url = f"/cykler/{milestone.cycle_id}/milepaele/{milestone.id}/rediger"
    page = client.get(url).get_data(as_text=True)
    form = _Form()
    form.feed(page)
    return url, page, form


def _later(value: str, days: int) -> str:
    """The same date `days` later, written as the form wrote it."""
    from datetime import date, timedelta

    if "-" in value:
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    d, m, y = (int(x) for x in value.split("."))
    return (date(y, m, d) + timedelta(days=days)).strftime("%d.%m.%Y")


def _setup(client, db, clock):
    seed_demo(clock.now())
    db.session.commit()
    response = client.post("/login", data={"email": "sekretariat@nordjylland.example",
                                           "password": nordjylland.DEMO_PASSWORD})
    assert response.status_code == 302
    return db.session.scalar(select(Milestone).where(Milestone.title == "Politisk temadag"))


def _moved(form, days=7, notify=False):
    data = {}
    for name, value in form.values:
        data.setdefault(name, []).append(value)
    for name in ("starts_date", "ends_date"):
        data[name] = [_later(data[name][0], days)]
    if notify:
        data["notify"] = ["y"]
    return data


def test_moving_a_public_milestone_offers_to_tell_those_concerned(client, db, clock, smtp):
    theme_day = _setup(client, db, clock)
    url, page, form = _page(client, theme_day)
    assert "Send besked om den nye dato til" in page
    assert form.checkboxes["notify"] is False, "unchecked until the secretariat chooses"

    response = client.post(url, data=_moved(form, notify=True))
    assert response.status_code == 302, response.get_data(as_text=True)
    told = sorted(m["To"] for m in smtp.inbox.messages)
    assert "politiker@nordjylland.example" in told
    assert "aalborg@nordjylland.example" not in told, "a respondent is not concerned"
    message = next(m for m in smtp.inbox.messages if m["To"] == "politiker@nordjylland.example")
    assert subject(message) == "Ny dato: Politisk temadag"
    text = body(message)
    assert "Før: 28.04.2017 kl. 09.30" in text and "Nu: 05.05.2017 kl. 09.30" in text
    assert f"/cykler/{theme_day.cycle_id}" in text
    db.session.expire_all()
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "milestone.announced"))


def test_nothing_is_sent_unless_asked(client, db, clock, smtp):
    theme_day = _setup(client, db, clock)
    url, _page_html, form = _page(client, theme_day)
    assert client.post(url, data=_moved(form)).status_code == 302
    assert smtp.inbox.messages == []
    assert not db.session.scalar(select(OutboundEmail).where(
        OutboundEmail.template == "milestone_moved"))


def test_a_questionnaire_deadline_is_told_to_those_still_missing(client, db, clock, smtp):
    _setup(client, db, clock)
    milestone = db.session.scalar(select(Milestone).join(Cycle).where(  # the running cycle's
        Cycle.title == nordjylland.CYCLE["title"],
        Milestone.title.startswith("Kommunale redegørelser")))
    url, _page_html, form = _page(client, milestone)
    assert client.post(url, data=_moved(form, notify=True)).status_code == 302
    told = {m["To"] for m in smtp.inbox.messages}
    assert told, "the pending respondents are told"
    assert "aalborg@nordjylland.example" not in told, "Aalborg has submitted"
