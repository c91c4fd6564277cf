"""The demo's focus areas: Nordjysk Socialaftale 2018–2020's three areas with initiatives a)–c),
their leads and a few status reports, written through the workflows; once."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories as f
from webapp.demo.focus_areas import AREAS, seed_focus_areas
from webapp.extensions import db
from webapp.models import FocusArea, InitiativeStatus, InitiativeUpdate, OrgKind
from webapp.queries import focus_areas as read


def test_seed_focus_areas_writes_the_three_areas_once(world):
    north = world["north"]
    names = {lead for spec in AREAS for _t, _d, lead in spec["initiatives"]}
    for name in sorted(names):
        kind = OrgKind.REGION if name.startswith("Region") else OrgKind.MUNICIPALITY
        f.organisation(north["region"], kind, name)
    at = f.at(2017, 6, 1, 10)
    made = seed_focus_areas(north["cycle"], at)
    db.session.commit()
    assert [a.title for a in made] == [
        "Socialfagligt fokus på beskæftigelse",
        "Samarbejde mellem kommunerne og behandlingspsykiatrien", "Nye samarbejdsformer"]
    data = read.overview(north["cycle"])
    assert [len(a.initiatives) for a in data.areas] == [3, 3, 3]
    assert all(i.lead_name for a in data.areas for i in a.initiatives)
    first = data.areas[0].initiatives[0]
    assert (first.letter, first.status, first.lead_name) == (
        "a", InitiativeStatus.DONE, "Aalborg Kommune")
    assert data.areas[0].vision.startswith("Alle borgere skal have mulighed")
    assert db.session.scalar(select(func.count()).select_from(InitiativeUpdate)) == 5
    assert seed_focus_areas(north["cycle"], at) == []
    assert db.session.scalar(select(func.count()).select_from(FocusArea)) == 3
