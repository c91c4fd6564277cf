"""Agreement texts as read: scoped loaders, a cycle's texts, a numbered version, and the diff of
two versions per section. Each in a fixed number of queries, whatever the number of sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import AgreementText, Cycle, TextSection, TextVersion
from ..permissions import can
from ..textdiff import Sec, SectionDiff, diff_sections, numbering


@dataclass(frozen=True)
class NumberedSection:
    id: int
    key: str
    number: str  # "1", "1.1", "2" …
    level: int
    heading: str
    body: str

    @property
    def anchor(self) -> str:
        # By key, not number: a link to a section keeps pointing at it in the next version.
        return f"afsnit-{self.key}"


def _readable(user: Any, cycle: Cycle) -> None:
    if not can(user, "agreement.read", cycle):
        abort(404)


def scoped_text_or_404(text_id: int, user: Any) -> AgreementText:
    """A text of the person's region with its cycle, versions and their sections (3 queries);
    another region's, a draft cycle's for anyone but the secretariat, or an unknown id is a
    404."""
    text = db.session.scalar(
        select(AgreementText)
        .join(Cycle, AgreementText.cycle_id == Cycle.id)
        .where(AgreementText.id == text_id, Cycle.region_id == user.region_id)
        .options(joinedload(AgreementText.cycle),
                 selectinload(AgreementText.versions).selectinload(TextVersion.sections)))
    if text is None:
        abort(404)
    _readable(user, text.cycle)
    return text


def scoped_version_or_404(version_id: int, user: Any) -> TextVersion:
    """A version with its text, the text's cycle and other versions, and its own sections."""
    version = db.session.scalar(
        select(TextVersion)
        .join(AgreementText, TextVersion.text_id == AgreementText.id)
        .join(Cycle, AgreementText.cycle_id == Cycle.id)
        .where(TextVersion.id == version_id, Cycle.region_id == user.region_id)
        .options(joinedload(TextVersion.text).joinedload(AgreementText.cycle),
                 joinedload(TextVersion.text).selectinload(AgreementText.versions),
                 selectinload(TextVersion.sections)))
    if version is None:
        abort(404)
    _readable(user, version.text.cycle)
    return version


def section_or_404(version: TextVersion, section_id: int) -> TextSection:
    section = next((s for s in version.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


def cycle_texts(cycle: Cycle) -> list[AgreementText]:
    """The cycle's texts in order, each with its versions (2 queries)."""
    return list(db.session.scalars(
        select(AgreementText).where(AgreementText.cycle_id == cycle.id)
        .options(selectinload(AgreementText.versions))
        .order_by(AgreementText.position, AgreementText.id)))


def numbered(version: TextVersion) -> list[NumberedSection]:
    """The version's sections in order with their numbers (no query: sections are loaded)."""
    sections = list(version.sections)
    numbers = numbering([s.level for s in sections])
    return [NumberedSection(s.id, s.key, n, s.level, s.heading, s.body)
            for s, n in zip(sections, numbers, strict=True)]


def _snapshots(version: TextVersion) -> list[Sec]:
    return [Sec(s.key, s.number, s.level, s.heading, s.body) for s in numbered(version)]


@dataclass(frozen=True)
class Comparison:
    old: TextVersion
    new: TextVersion
    sections: list[SectionDiff]

    @property
    def changed(self) -> list[SectionDiff]:
        return [d for d in self.sections if d.is_changed]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.sections:
            out[d.status] = out.get(d.status, 0) + 1
        return out


def version_of(text: AgreementText, version_id: int | None) -> TextVersion | None:
    return next((v for v in text.versions if v.id == version_id), None)


def default_pair(text: AgreementText) -> tuple[TextVersion | None, TextVersion | None]:
    """What the compare page shows first: the latest version against the one before it."""
    versions = list(text.versions)
    if len(versions) < 2:
        return (versions[0] if versions else None), None
    return versions[-2], versions[-1]


def compare(old: TextVersion, new: TextVersion) -> Comparison:
    """Two versions of the same text, per section (no query: both have their sections)."""
    return Comparison(old, new, diff_sections(_snapshots(old), _snapshots(new)))


def reasons_by_section(old: TextVersion, new: TextVersion) -> dict[str, list[Any]]:
    """For the compare page: section key -> the processed consultation points on `old` that
    changed the section, when `new` is a later version of the same text."""
    if new.text_id != old.text_id or new.number <= old.number:
        return {}
    from .consultations.note import reasons_from  # the consultation reads the texts, not back

    return dict(reasons_from(old.id))
