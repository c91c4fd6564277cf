"""The difference between two versions of an agreement text, per section: plain data in and out.

Sections are paired by `key` (their identity across versions), never by position or heading,
so a renamed or moved section is still the same section. Within a changed heading or body the
words inserted and deleted are marked (difflib's SequenceMatcher over word tokens, each section
on its own: a 100-section text costs 100 short diffs instead of one long one).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

PieceKind = Literal["same", "ins", "del"]
Status = Literal["added", "removed", "moved", "renamed", "changed", "unchanged"]

# A word with its punctuation and the whitespace before it (trailing whitespace on its own):
# the whitespace is kept so the marked text reads (and line breaks in a body stay) as written,
# and a removed last line begins on its own line.
_TOKENS = re.compile(r"\s*\S+|\s+")
_STRENGTH: tuple[Status, ...] = ("added", "removed", "changed", "renamed", "moved")


@dataclass(frozen=True)
class Sec:
    """One section as the diff sees it."""

    key: str
    number: str
    level: int
    heading: str
    body: str


@dataclass(frozen=True)
class Piece:
    kind: PieceKind
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    old: Sec | None
    new: Sec | None
    # Every change that applies ("renamed" and "changed" together, say); empty = unchanged.
    changes: frozenset[Status] = frozenset()
    heading: list[Piece] = field(default_factory=list)
    body: list[Piece] = field(default_factory=list)

    @property
    def status(self) -> Status:
        """The one word a list shows: the strongest change."""
        for status in _STRENGTH:
            if status in self.changes:
                return status
        return "unchanged"

    @property
    def is_changed(self) -> bool:
        return bool(self.changes)

    @property
    def current(self) -> Sec:
        """The section as it reads now (the old one for a removed section)."""
        sec = self.new or self.old
        assert sec is not None
        return sec


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces of `new` and `old` in reading order: kept, deleted and inserted words."""
    if old == new:
        return [Piece("same", new)] if new else []
    a, b = tokens(old), tokens(new)
    # Matched on the words alone: a word that only moved to a new line is the same word.
    matcher = SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b],
                              autojunk=False)
    pieces: list[Piece] = []

    def add(kind: PieceKind, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = Piece(kind, pieces[-1].text + text)
        else:
            pieces.append(Piece(kind, text))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add("same", "".join(b[j1:j2]))
        else:  # replace, delete, insert: the old words go first, then the new ones
            add("del", "".join(a[i1:i2]))
            add("ins", "".join(b[j1:j2]))
    return pieces


def _moved(old_order: list[str], new_order: list[str]) -> set[str]:
    """The keys outside the longest run kept in the same relative order: the sections that
    moved, not those whose number only shifted because another was added or removed."""
    common = set(old_order) & set(new_order)
    rank = {k: i for i, k in enumerate(k for k in old_order if k in common)}
    seq = [k for k in new_order if k in common]
    # Longest increasing subsequence of the old ranks, O(n log n) with back links.
    tails: list[int] = []
    tail_keys: list[int] = []
    back: list[int] = [-1] * len(seq)
    for i, key in enumerate(seq):
        r = rank[key]
        pos = bisect_left(tails, r)
        if pos == len(tails):
            tails.append(r)
            tail_keys.append(i)
        else:
            tails[pos] = r
            tail_keys[pos] = i
        back[i] = tail_keys[pos - 1] if pos else -1
    kept: set[str] = set()
    i = tail_keys[-1] if tail_keys else -1
    while i >= 0:
        kept.add(seq[i])
        i = back[i]
    return common - kept


def diff_sections(old: Sequence[Sec], new: Sequence[Sec]) -> list[SectionDiff]:
    """The diff of two versions, in the new version's order; a removed section stands where it
    stood, after the section that preceded it in the old version."""
    old_by_key = {s.key: s for s in old}
    new_keys = {s.key for s in new}
    moved = _moved([s.key for s in old], [s.key for s in new])

    # Removed sections, grouped under the key of the old section before them.
    removed_after: dict[str | None, list[Sec]] = {}
    previous: str | None = None
    for sec in old:
        if sec.key not in new_keys:
            removed_after.setdefault(previous, []).append(sec)
        else:
            previous = sec.key

    def removed(anchor: str | None) -> list[SectionDiff]:
        return [SectionDiff(s.key, s, None, frozenset({"removed"}),
                            [Piece("del", s.heading)], [Piece("del", s.body)] if s.body else [])
                for s in removed_after.get(anchor, [])]

    out = removed(None)
    for sec in new:
        before = old_by_key.get(sec.key)
        if before is None:
            out.append(SectionDiff(sec.key, None, sec, frozenset({"added"}),
                                   [Piece("ins", sec.heading)],
                                   [Piece("ins", sec.body)] if sec.body else []))
            continue
        changes: set[Status] = set()
        if sec.key in moved or sec.level != before.level:
            changes.add("moved")
        if sec.heading != before.heading:
            changes.add("renamed")
        if sec.body != before.body:
            changes.add("changed")
        out.append(SectionDiff(sec.key, before, sec, frozenset(changes),
                               word_diff(before.heading, sec.heading),
                               word_diff(before.body, sec.body)))
        out.extend(removed(sec.key))
    return out


def numbering(levels: Sequence[int]) -> list[str]:
    """"1", "1.1", "1.2", "2" … from the sections' levels in order. A level-2 section before
    any level-1 section counts under an implicit "0"; levels above 2 are treated as 2."""
    numbers: list[str] = []
    major = minor = 0
    for level in levels:
        if level <= 1:
            major += 1
            minor = 0
            numbers.append(str(major))
        else:
            minor += 1
            numbers.append(f"{major}.{minor}")
    return numbers
