"""Issue 15, part 3: the demo's two regions are kept apart, pages and API, both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.demo import midtjylland, nordjylland
from webapp.demo.seed import seed_demo
from webapp.models import Cycle, Organisation, Region, User

REGIONS = {"nordjylland": nordjylland, "midtjylland": midtjylland}


@pytest.fixture
def demo(db, clock):
    seed_demo(clock.now())
    db.session.commit()


def _ids(db, code: str) -> dict[str, list[int]]:
    region = db.session.scalar(select(Region).where(Region.code == code))
    return {
        "cycles": list(db.session.scalars(select(Cycle.id).where(Cycle.region_id == region.id))),
        "orgs": list(db.session.scalars(select(Organisation.id).where(
            Organisation.region_id == region.id))),
        "people": list(db.session.scalars(select(User.id).join(Organisation).where(
            Organisation.region_id == region.id))),
    }


@pytest.mark.parametrize("own, other", [("nordjylland", "midtjylland"),
                                        ("midtjylland", "nordjylland")])
def test_a_secretariat_sees_nothing_of_the_other_region(client, db, demo, own, other):
    assert client.post("/login", data={"email": f"sekretariat@{own}.example",
                                       "password": nordjylland.DEMO_PASSWORD}).status_code == 302
    foreign = _ids(db, other)
    foreign_names = [m[0] for m in REGIONS[other].MUNICIPALITIES]
    for path in ("/", "/cykler/", "/admin/organisationer", "/admin/personer", "/admin/log",
                 "/admin/e-mails"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert f"@{other}.example" not in page, path
        assert not [n for n in foreign_names if n in page], path
    for cycle_id in foreign["cycles"]:
        assert client.get(f"/cykler/{cycle_id}").status_code == 404
        assert client.get(f"/api/v1/cycles/{cycle_id}").status_code == 404
    for org_id in foreign["orgs"][:5]:
        assert client.get(f"/admin/organisationer/{org_id}").status_code == 404
    for user_id in foreign["people"][:5]:
        assert client.get(f"/admin/personer/{user_id}").status_code == 404
    listed = {c["id"] for c in client.get("/api/v1/cycles").get_json()}
    assert listed and not listed & set(foreign["cycles"])
    regions = client.get("/api/v1/regions").get_data(as_text=True)
    assert REGIONS[other].REGION["name"] not in regions
