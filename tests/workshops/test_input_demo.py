"""The demo's workshop input: several themes' input and the 14-theme list, written once."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories
from webapp.demo.workshop_input import LIST, seed_input
from webapp.models import InputItem, ListTheme, RecommendationLabel


def test_the_demo_input_and_the_14_themes_are_written_once(db, world):
    cycle = world["north"]["cycle"]
    for _ in range(2):
        workshop = seed_input(cycle, factories.at(2017, 2, 6, 15))
        db.session.commit()
    assert db.session.scalar(select(func.count(InputItem.id))) == 25
    listed = db.session.scalars(select(ListTheme).where(ListTheme.workshop_id == workshop.id)
                                .order_by(ListTheme.position)).all()
    assert len(listed) == 14
    labels = dict(db.session.execute(select(RecommendationLabel.id,
                                            RecommendationLabel.name)).all())
    by_title = {t.title: (t.group_name, labels[t.label_id], t.rationale) for t in listed}
    for title, _source, group, label, _rationale in LIST:
        assert by_title[title][:2] == (group, label), title
        assert by_title[title][2]


def test_the_demo_finds_an_existing_workshop_by_title(db, world):
    from tests.workshops import input_factories as wf
    from webapp.demo.workshop_input import WORKSHOP_TITLE

    made = wf.workshop(world["north"]["cycle"], title=WORKSHOP_TITLE, themes=0)
    db.session.commit()
    assert seed_input(world["north"]["cycle"], factories.at(2017, 2, 6, 15)).id == made.id
