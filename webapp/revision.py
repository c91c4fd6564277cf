"""Caches that every process agrees on: keyed by the data revision.

One row, `data_revisions`, carries a token that every transaction which wrote anything replaces
at its commit (a session hook, so no workflow can forget it; the row is taken last, just before
the commit, so two writers cannot deadlock on it). A cached value is keyed by what it was computed
from and the token it was computed under: after any committed change, in any gunicorn worker or
in the scheduler, the next read computes afresh. A transaction that has written and not yet
committed does not use the cache at all, so it always sees its own changes.

Values kept here must not belong to a session: plain data, never ORM objects.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session

from .extensions import db
from .models import DataRevision

T = TypeVar("T")

_WROTE = "aftalehjul.wrote"
_TOKEN = "aftalehjul.token"  # the token as this transaction first read it
_SIZE = 256  # values kept per process, least recently used dropped first
_store: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
# (name, key) -> the token its value was last kept under: `peek` asks for the token (a query)
# only where something was kept before.
_latest: dict[tuple[Any, ...], str] = {}
_lock = threading.Lock()
_installed = False


def install() -> None:
    """Hook every session of the process (once)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _forget)
    event.listen(Session, "after_rollback", _forget_if_ended)
    event.listen(Session, "after_transaction_end", _forget_token)
    _installed = True


def _after_flush(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _has_written(session: Session) -> bool:
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def _before_commit(session: Session) -> None:
    if _has_written(session):
        session.execute(update(DataRevision).where(DataRevision.id == 1)
                        .values(token=uuid.uuid4().hex))


def _forget(session: Session) -> None:
    session.info.pop(_WROTE, None)


def _forget_if_ended(session: Session) -> None:
    # A savepoint rolled back leaves the transaction's earlier writes in place.
    if not session.in_transaction():
        _forget(session)


def _forget_token(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_TOKEN, None)


def token_query() -> Any:
    """The token as a scalar subquery, for a statement that reads it on the way (the signed-in
    person's, which every page runs): see `remember`."""
    return select(DataRevision.token).where(DataRevision.id == 1).scalar_subquery()


def remember(value: str | None) -> None:
    """Keep the token a statement read on the way for the rest of the transaction."""
    if value is not None:
        db.session().info[_TOKEN] = value


def token() -> str | None:
    """The revision's token as this transaction first saw it (read once per transaction: the
    values computed after it are at least as new as it); None where there is no revision row
    (no caching then)."""
    info = db.session().info
    if _TOKEN in info:
        kept: str = info[_TOKEN]
        return kept
    try:
        # Through the connection, not the ORM: a kept answer's one query, at its cheapest.
        value = db.session.connection().execute(
            select(DataRevision.token).where(DataRevision.id == 1)).scalar()
    except SQLAlchemyError:  # a database without the table: nothing is cached
        db.session.rollback()
        return None
    if value is not None:
        info[_TOKEN] = value
    return value


def clear() -> None:
    """Forget every kept value, and the token this transaction read (tests start each case
    without them, and measure the computing path after it)."""
    with _lock:
        _store.clear()
        _latest.clear()
    if has_app_context():
        db.session().info.pop(_TOKEN, None)


def cached(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave under the same name, key and revision."""
    if _has_written(db.session()):
        return compute()
    current = token()
    if current is None:
        return compute()
    full_key = (name, key, current)
    with _lock:
        if full_key in _store:
            _store.move_to_end(full_key)
            hit: T = _store[full_key]
            return hit
    value = compute()
    with _lock:
        _store[full_key] = value
        _latest[(name, key)] = current
        while len(_store) > _SIZE:
            (old_name, old_key, old_token), _ = _store.popitem(last=False)
            if _latest.get((old_name, old_key)) == old_token:
                del _latest[(old_name, old_key)]
    return value


def peek(name: str, key: Hashable) -> Any | None:
    """What `cached` keeps under the name and key at the current revision, or None. Costs the
    token's query only when something was kept under them in this process before, so a
    request that finds nothing pays nothing for asking."""
    with _lock:
        kept_under = _latest.get((name, key))
    if kept_under is None or _has_written(db.session()) or token() != kept_under:
        return None
    with _lock:
        full_key = (name, key, kept_under)
        if full_key not in _store:
            return None
        _store.move_to_end(full_key)
        return _store[full_key]
