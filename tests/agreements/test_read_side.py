"""The read side in a fixed number of queries: the same count for a small and a large text."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.agreements.helpers import text_with_versions
from webapp.extensions import db
from webapp.models import Role
from webapp.workflows import agreements as flow

NOW = f.at(2017, 3, 1, 10)


def _counts(client, queries, text, old, new, editing):
    pages = {
        "index": f"/cykler/{text.cycle_id}/tekster",
        "version": f"/versioner/{new.id}",
        "compare": f"/tekster/{text.id}/sammenlign?fra={old.id}&til={new.id}",
        "docx": f"/versioner/{new.id}/docx",
    }
    if editing:
        pages["edit"] = f"/versioner/{new.id}/rediger"
    out = {}
    for name, path in pages.items():
        with queries() as q:
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = q.count
    return out


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.OBSERVER])
def test_pages_use_a_fixed_number_of_queries(client, login_as, world, queries, role):
    editing = role == Role.SECRETARIAT
    small = text_with_versions(world, NOW, sections=3)
    login_as(role)
    few = _counts(client, queries, small, *small.versions, editing)
    # A second text in the cycle, ten times larger, with three versions.
    actor = world["north"]["users"][Role.SECRETARIAT]
    big = flow.create_text(actor, world["north"]["cycle"], title="Udviklingsstrategi", now=NOW)
    for i in range(30):
        flow.add_section(actor, big.versions[0], heading=f"Overskrift {i}",
                         body=f"Tekst {i} " * 40, level=1 + i % 2, now=NOW)
    second = flow.new_version(actor, big, label="Udkast 2", now=NOW)
    for sec in second.sections[::4]:
        flow.update_section(actor, second, sec, heading=sec.heading + " ændret",
                            body=sec.body + " mere", level=sec.level, now=NOW)
    flow.new_version(actor, big, label="Udkast 3", now=NOW)
    db.session.commit()
    many = _counts(client, queries, big, big.versions[0], second, editing)
    assert few == many
    assert max(few.values()) <= 8, few
