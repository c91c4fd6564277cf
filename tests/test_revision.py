"""The data revision the caches key on: renewed by every commit that wrote, and only then."""

from __future__ import annotations

from sqlalchemy import select, update

from webapp import revision
from webapp.models import DataRevision, Region


def current(db) -> str:
    return db.session.scalar(select(DataRevision.token))


def test_a_commit_that_wrote_renews_the_token(app, db):
    with app.test_request_context():
        start = current(db)
        db.session.commit()  # nothing written
        assert current(db) == start
        db.session.add(Region(code="ny", name="Ny region"))
        db.session.commit()
        written = current(db)
        assert written != start
        db.session.execute(update(Region).where(Region.code == "ny").values(name="Omdøbt"))
        db.session.commit()  # a bulk statement counts too
        assert current(db) not in (start, written)


def test_a_rolled_back_write_leaves_the_token(app, db):
    with app.test_request_context():
        start = current(db)
        db.session.begin_nested()
        db.session.add(Region(code="væk", name="Væk"))
        db.session.flush()
        db.session.rollback()
        assert current(db) == start


def test_cached_values_follow_the_revision(app, db):
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with app.test_request_context():
        assert revision.cached("test", 1, compute) == 1
        assert revision.cached("test", 1, compute) == 1  # kept
        assert revision.cached("test", 2, compute) == 2  # another key
        db.session.add(Region(code="x1", name="X1"))
        db.session.flush()
        # Written and not committed: the transaction sees its own change, never the cache.
        assert revision.cached("test", 1, compute) == 3
        db.session.commit()
        assert revision.cached("test", 1, compute) == 4  # a new revision
        assert revision.cached("test", 1, compute) == 4


def test_a_page_reads_the_token_with_the_person(client, login_as, queries):
    """The signed-in person's query brings the token along: a page whose reads are kept asks
    no separate question for it (and a transaction asks at most once)."""
    from webapp.models import Role

    login_as(Role.SECRETARIAT)
    assert client.get("/oversigt").status_code == 200
    with queries(kept=True) as q:
        assert client.get("/oversigt").status_code == 200
    alone = [s for s in q.statements if s.lstrip().startswith("SELECT data_revisions.token")]
    assert not alone, q.statements
    assert any("data_revisions" in s for s in q.statements)  # read on the way


def test_the_token_is_read_once_per_transaction(app, db, queries):
    with app.test_request_context():
        revision.clear()
        with queries() as q:
            first = revision.token()
            assert revision.token() == first
        assert len(q.statements) == 1
        db.session.add(Region(code="t1", name="T1"))
        db.session.commit()
        assert revision.token() != first  # the commit renewed it, and the memo went with it
