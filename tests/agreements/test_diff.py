"""The per-section diff as a pure function: paired by key, word-level marks, numbering."""

from __future__ import annotations

from webapp.textdiff import Piece, Sec, diff_sections, numbering, word_diff


def sec(key: str, heading: str, body: str = "", level: int = 1, number: str = "") -> Sec:
    return Sec(key, number or key, level, heading, body)


def test_word_diff_marks_only_the_changed_words():
    pieces = word_diff("Kommunerne aftaler takster for 2018",
                       "Kommunerne aftaler nye takster for 2019")
    assert pieces == [Piece("same", "Kommunerne aftaler"), Piece("ins", " nye"),
                      Piece("same", " takster for"), Piece("del", " 2018"),
                      Piece("ins", " 2019")]
    # Reading the kept and inserted pieces gives the new text; kept and deleted the old one.
    assert "".join(p.text for p in pieces if p.kind != "del") == \
        "Kommunerne aftaler nye takster for 2019"
    assert "".join(p.text for p in pieces if p.kind != "ins") == \
        "Kommunerne aftaler takster for 2018"


def test_a_removed_last_line_keeps_its_line_break():
    pieces = word_diff("- overhead\n- afskrivning", "- overhead")
    assert pieces == [Piece("same", "- overhead"), Piece("del", "\n- afskrivning")]
    # A word that only moved to another line is the same word.
    assert word_diff("en to", "en\nto") == [Piece("same", "en\nto")]


def test_word_diff_of_equal_or_empty_text():
    assert word_diff("", "") == []
    assert word_diff("Samme tekst", "Samme tekst") == [Piece("same", "Samme tekst")]
    assert word_diff("", "Ny") == [Piece("ins", "Ny")]
    assert word_diff("Gammel", "") == [Piece("del", "Gammel")]


def test_sections_are_paired_by_key_not_by_heading_or_place():
    old = [sec("a", "Formål", "x"), sec("b", "Takster", "y"), sec("c", "Økonomi", "z")]
    new = [sec("b", "Takster og priser", "y"), sec("a", "Formål", "x"),
           sec("d", "Formål", "ny")]  # same heading as a, but another section
    by_key = {d.key: d for d in diff_sections(old, new)}
    assert by_key["a"].changes == frozenset()  # unchanged, though another moved before it
    assert by_key["b"].changes == frozenset({"moved", "renamed"})
    assert by_key["b"].status == "renamed"
    assert by_key["c"].status == "removed"
    assert by_key["d"].status == "added"
    assert by_key["b"].heading == [Piece("same", "Takster"), Piece("ins", " og priser")]


def test_a_section_added_before_others_does_not_make_them_moved():
    old = [sec("a", "A"), sec("b", "B"), sec("c", "C")]
    new = [sec("n", "N"), sec("a", "A"), sec("b", "B"), sec("c", "C")]
    statuses = {d.key: d.status for d in diff_sections(old, new)}
    assert statuses == {"n": "added", "a": "unchanged", "b": "unchanged", "c": "unchanged"}


def test_a_removed_section_stands_where_it_stood():
    old = [sec("a", "A"), sec("b", "B"), sec("c", "C")]
    new = [sec("a", "A"), sec("c", "C")]
    assert [d.key for d in diff_sections(old, new)] == ["a", "b", "c"]
    first_removed = diff_sections([sec("x", "X"), sec("a", "A")], [sec("a", "A")])
    assert [d.key for d in first_removed] == ["x", "a"]


def test_a_changed_body_is_changed_and_a_new_level_is_moved():
    old = [sec("a", "A", "en to tre"), sec("b", "B", level=1)]
    new = [sec("a", "A", "en tre"), sec("b", "B", level=2)]
    by_key = {d.key: d for d in diff_sections(old, new)}
    assert by_key["a"].status == "changed"
    assert by_key["a"].body == [Piece("same", "en"), Piece("del", " to"), Piece("same", " tre")]
    assert by_key["b"].status == "moved"


def test_numbering_from_levels():
    assert numbering([1, 2, 2, 1, 1, 2]) == ["1", "1.1", "1.2", "2", "3", "3.1"]
    assert numbering([2, 1]) == ["0.1", "1"]
    assert numbering([]) == []
