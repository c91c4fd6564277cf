"""Saving a member's scores of a theme: partly, completely, abstaining; the refusals (a score
outside 1–5, someone not on the board, another board's theme or criterion, after the close, a
stale ballot); the ballot counter and `completed_at`; an audit trail without values."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.boards import factories as bf
from webapp.errors import PermissionDenied, WorkflowError
from webapp.extensions import db
from webapp.models import AuditEvent, BoardMember, BoardScore, BoardState, BoardThemeNote
from webapp.workflows.base import StaleEdit
from webapp.workflows.boards import scoring as flow

NOW = f.at(2017, 2, 15, 10)


@pytest.fixture
def setup(world: dict[str, Any]) -> dict[str, Any]:
    north = world["north"]
    members = bf.steering_members(north["municipality"], 2)
    board = bf.board(north["cycle"], themes=3, criteria=2, members=members)
    return {"board": board, "members": members, "themes": bf.themes_of(board),
            "criteria": bf.criteria_of(board)}


def _member(board: Any, person: Any) -> BoardMember:
    row = db.session.scalar(select(BoardMember).where(BoardMember.board_id == board.id,
                                                      BoardMember.user_id == person.id))
    assert row is not None
    return row


def _save(s: dict[str, Any], who: int = 0, theme: int = 0, values: Any = (3, 4),
          comment: str = "", abstain: bool = False, note: str = "",
          version: int | None = None) -> BoardMember:
    person = s["members"][who]
    member = _member(s["board"], person)
    scores = {c.id: v for c, v in zip(s["criteria"], values, strict=False)}
    return flow.save_theme(person, s["board"], s["themes"][theme], scores, comment, abstain,
                           note, version=member.version_id if version is None else version,
                           now=NOW)


def _scores(s: dict[str, Any], who: int = 0) -> dict[tuple[int, int], int]:
    return {(t, c): v for t, c, v in db.session.execute(
        select(BoardScore.theme_id, BoardScore.criterion_id, BoardScore.value)
        .where(BoardScore.user_id == s["members"][who].id))}


def test_a_partial_save_then_every_theme_completes_the_ballot(setup: dict[str, Any]) -> None:
    s = setup
    member = _save(s, values=(3, None))
    assert member.completed_at is None and member.version_id == 2
    assert _scores(s) == {(s["themes"][0].id, s["criteria"][0].id): 3}
    _save(s, values=(5, 2), comment="Vigtigt for kommunerne")
    _save(s, theme=1, values=(1, 1))
    member = _save(s, theme=2, values=(2, 5))
    assert member.completed_at == NOW and member.version_id == 5
    assert _scores(s)[(s["themes"][0].id, s["criteria"][1].id)] == 2
    note = db.session.scalar(select(BoardThemeNote).where(
        BoardThemeNote.user_id == s["members"][0].id))
    assert note is not None and note.comment == "Vigtigt for kommunerne"
    # taking a score away makes the ballot incomplete again; the other member is untouched
    member = _save(s, theme=2, values=(2, None))
    assert member.completed_at is None
    assert _scores(s, who=1) == {}


def test_abstaining_clears_the_theme_and_needs_a_note(setup: dict[str, Any]) -> None:
    s = setup
    _save(s, values=(4, 4))
    with pytest.raises(WorkflowError) as refused:
        _save(s, abstain=True, note="  ")
    assert refused.value.field == "abstain_note"
    member = _save(s, abstain=True, note="Min kommune driver tilbuddet", values=(4, 4))
    assert not [k for k in _scores(s) if k[0] == s["themes"][0].id]
    note = db.session.scalar(select(BoardThemeNote).where(
        BoardThemeNote.user_id == s["members"][0].id))
    assert note is not None and note.abstained and note.abstain_note.startswith("Min kommune")
    _save(s, theme=1)
    member = _save(s, theme=2)
    assert member.completed_at == NOW  # an abstention counts as done
    _save(s, values=(None, None))  # no longer abstaining, nothing scored: the note goes
    assert db.session.scalar(select(BoardThemeNote).where(
        BoardThemeNote.user_id == s["members"][0].id)) is None


@pytest.mark.parametrize("value", [0, 6, -1, 100])
def test_a_score_outside_one_to_five_is_refused_at_its_field(setup: dict[str, Any],
                                                              value: int) -> None:
    with pytest.raises(WorkflowError) as refused:
        _save(setup, values=(3, value))
    assert refused.value.field == flow.criterion_field(setup["criteria"][1].id)
    assert refused.value.message == "Vælg en score fra 1 til 5."


def test_someone_not_on_the_board_is_refused(setup: dict[str, Any], world: Any) -> None:
    s = setup
    outsider = bf.steering_members(world["north"]["municipality"], 1)[0]
    with pytest.raises(PermissionDenied):
        flow.save_theme(outsider, s["board"], s["themes"][0], {s["criteria"][0].id: 3}, "",
                        False, "", version=1, now=NOW)
    secretary = world["north"]["users"][bf.Role.SECRETARIAT]
    with pytest.raises(PermissionDenied):
        flow.save_theme(secretary, s["board"], s["themes"][0], {s["criteria"][0].id: 3}, "",
                        False, "", version=1, now=NOW)


def test_another_boards_theme_or_criterion_is_refused(setup: dict[str, Any],
                                                      world: Any) -> None:
    s = setup
    other = bf.board(world["north"]["cycle"], title="Anden tavle", members=s["members"])
    person = s["members"][0]
    version = _member(s["board"], person).version_id
    with pytest.raises(WorkflowError, match="Temaet hører ikke til tavlen"):
        flow.save_theme(person, s["board"], bf.themes_of(other)[0], {}, "", False, "",
                        version=version, now=NOW)
    with pytest.raises(WorkflowError, match="Kriteriet hører ikke til tavlen"):
        flow.save_theme(person, s["board"], s["themes"][0], {bf.criteria_of(other)[0].id: 3},
                        "", False, "", version=version, now=NOW)


@pytest.mark.parametrize("state", [BoardState.CLOSED, BoardState.PUBLISHED, BoardState.DRAFT])
def test_no_score_outside_the_open_board(setup: dict[str, Any], state: BoardState) -> None:
    s = setup
    _save(s)
    s["board"].state = state
    db.session.flush()
    with pytest.raises(WorkflowError) as refused:
        _save(s, values=(1, 1))
    expected = ("Tavlen er lukket" if state != BoardState.DRAFT else "ikke åbnet")
    assert expected in refused.value.message
    assert _scores(s)[(s["themes"][0].id, s["criteria"][0].id)] == 3


def test_the_close_seen_through_the_row_lock_wins_over_a_stale_board(
        setup: dict[str, Any]) -> None:
    """The page loaded the board open; it was closed since: the save reads the state under
    the lock and is refused."""
    s = setup
    from webapp.models import PrioritisationBoard

    db.session.execute(PrioritisationBoard.__table__.update()
                       .where(PrioritisationBoard.id == s["board"].id)
                       .values(state=BoardState.CLOSED))
    assert s["board"].state == BoardState.OPEN  # the loaded object is stale
    with pytest.raises(WorkflowError, match="Tavlen er lukket"):
        _save(s)


def test_a_stale_ballot_is_a_conflict(setup: dict[str, Any]) -> None:
    s = setup
    _save(s, version=1)  # the first tab
    with pytest.raises(StaleEdit):
        _save(s, theme=1, version=1)  # the second tab, made from the same counter


def test_the_audit_trail_says_what_was_saved_never_the_values(setup: dict[str, Any]) -> None:
    s = setup
    _save(s, values=(5, 4), comment="Hemmelig kommentar")
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "board_ballot.saved"))
    assert event is not None
    assert event.after == {"theme": s["themes"][0].title, "scored_count": 2,
                           "abstained": False}
    assert "Hemmelig" not in repr(event.after) + repr(event.before) + event.object_label
