"""Agreement texts: writing, importing, versioning and freezing them (the secretariat's work).

A text is a sequence of versions; a version a sequence of sections. Only the newest versions
are worked on: a new version copies the latest one's sections with their keys (a section's
identity across versions, which the diff pairs by). A frozen version never changes: every
operation here refuses it, whatever the page offered. A change to a version's sections moves
the version's counter, so two people editing the same version cannot overwrite each other.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select

from ..agreement_docx import HEADING_MAX, NotADocx, ParsedDocument, read_docx
from ..extensions import db
from ..i18n import gettext as _
from ..models import AgreementText, Cycle, TextSection, TextVersion
from ..permissions import Actor, require
from ..text import clean_text
from .base import WorkflowError, bump_version, changed, check_stale, record, snapshot
from .states import CYCLES

TITLE_MAX = 200
LABEL_MAX = 80
BODY_MAX = 100_000
SECTION_FIELDS = ("heading", "body", "level")


def new_key() -> str:
    """A section's identity, kept through every later version."""
    return uuid.uuid4().hex[:12]


def _require(actor: Actor, cycle: Cycle) -> None:
    require(actor, "agreement.manage", cycle,
            message=_("Kun sekretariatet kan skrive og ændre aftaletekster."))
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet og kan ikke ændres. Genåbn den først."))


def _require_open(actor: Actor, version: TextVersion) -> None:
    """Every change to a version: the secretariat, an open cycle, and a version not frozen."""
    _require(actor, version.text.cycle)
    if version.is_frozen:
        raise WorkflowError(_("Versionen “%(label)s” er fastfrosset og kan ikke ændres. Lav en "
                              "ny version i stedet.", label=version.label))


def _title(cycle: Cycle, title: str, field: str = "title") -> str:
    title = " ".join(title.split())
    if not title:
        raise WorkflowError(_("Skriv en titel."), field=field)
    if len(title) > TITLE_MAX:
        raise WorkflowError(_("Titlen må højst være %(n)s tegn.", n=TITLE_MAX), field=field)
    taken = db.session.scalar(select(func.count()).select_from(AgreementText).where(
        AgreementText.cycle_id == cycle.id, AgreementText.title == title))
    if taken:
        raise WorkflowError(_("Cyklussen har allerede en tekst med titlen “%(title)s”.",
                              title=title), field=field)
    return title


def _label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise WorkflowError(_("Skriv versionens navn, fx “Udkast 2”."), field="label")
    if len(label) > LABEL_MAX:
        raise WorkflowError(_("Versionens navn må højst være %(n)s tegn.", n=LABEL_MAX),
                            field="label")
    return label


def _section_values(heading: str, body: str, level: int) -> tuple[str, str, int]:
    heading = " ".join(heading.split())
    if not heading:
        raise WorkflowError(_("Skriv en overskrift."), field="heading")
    if len(heading) > HEADING_MAX:
        raise WorkflowError(_("Overskriften må højst være %(n)s tegn.", n=HEADING_MAX),
                            field="heading")
    if len(body) > BODY_MAX:
        raise WorkflowError(_("Teksten må højst være %(n)s tegn.", n=BODY_MAX), field="body")
    if level not in (1, 2):
        raise WorkflowError(_("Vælg afsnit eller underafsnit."), field="level")
    return heading, body.strip("\n").rstrip(), level


def _next_number(text: AgreementText) -> int:
    return max((v.number for v in text.versions), default=0) + 1


def default_label(number: int) -> str:
    return _("Udkast %(n)s", n=number)


def create_text(actor: Actor, cycle: Cycle, *, title: str, now: datetime) -> AgreementText:
    """A new text written in the platform: its first version "Udkast 1", no sections yet."""
    _require(actor, cycle)
    title = _title(cycle, title)
    position = db.session.scalar(select(func.coalesce(func.max(AgreementText.position), 0))
                                 .where(AgreementText.cycle_id == cycle.id)) or 0
    text = AgreementText(cycle=cycle, title=title, position=position + 1, created_at=now)
    version = TextVersion(number=1, label=default_label(1), created_at=now,
                          created_by_id=getattr(actor, "id", None), sections=[])
    text.versions = [version]
    db.session.add(text)
    db.session.flush()
    record(actor=actor, action="agreement_text.created", obj=text, now=now,
           region_id=cycle.region_id, after={"title": title})
    return text


def _read(data: bytes) -> ParsedDocument:
    try:
        return read_docx(data)
    except NotADocx as error:
        raise WorkflowError(str(error), field="file") from error


def _sections_of(parsed: ParsedDocument) -> list[TextSection]:
    out = []
    for i, sec in enumerate(parsed.sections, start=1):
        heading, body, level = _section_values(sec.heading, clean_text(sec.body, True),
                                               sec.level)
        out.append(TextSection(key=new_key(), position=i, level=level, heading=heading,
                               body=body))
    return out


def import_text(actor: Actor, cycle: Cycle, *, data: bytes, file_name: str, title: str,
                now: datetime) -> AgreementText:
    """A new text from a Word document: its first version "Udkast 1" holds the document's
    sections. Without a typed title the document's own title is used."""
    _require(actor, cycle)
    parsed = _read(data)
    title = _title(cycle, title or parsed.title)
    sections = _sections_of(parsed)
    position = db.session.scalar(select(func.coalesce(func.max(AgreementText.position), 0))
                                 .where(AgreementText.cycle_id == cycle.id)) or 0
    text = AgreementText(cycle=cycle, title=title, position=position + 1, created_at=now)
    text.versions = [TextVersion(number=1, label=default_label(1), created_at=now,
                                 created_by_id=getattr(actor, "id", None), sections=sections)]
    db.session.add(text)
    db.session.flush()
    record(actor=actor, action="agreement_text.imported", obj=text, now=now,
           region_id=cycle.region_id,
           after={"title": title, "file_name": clean_text(file_name)[:200],
                  "sections": len(sections)})
    return text


def import_version(actor: Actor, text: AgreementText, *, data: bytes, file_name: str,
                   label: str, now: datetime) -> TextVersion:
    """A new version of `text` from a Word document. Sections whose heading matches one of the
    latest version's keep its key, so the diff pairs them; the others are new."""
    _require(actor, text.cycle)
    label = _label(label)
    parsed = _read(data)
    sections = _sections_of(parsed)
    latest = text.versions[-1] if text.versions else None
    if latest is not None:
        keys: dict[str, list[str]] = {}
        for old in latest.sections:
            keys.setdefault(old.heading.casefold(), []).append(old.key)
        for sec in sections:
            same = keys.get(sec.heading.casefold())
            if same:
                sec.key = same.pop(0)
    number = _next_number(text)
    version = TextVersion(number=number, label=label, created_at=now,
                          created_by_id=getattr(actor, "id", None),
                          based_on_id=latest.id if latest is not None else None,
                          sections=sections)
    text.versions.append(version)
    db.session.flush()
    record(actor=actor, action="text_version.imported", obj=version, now=now,
           region_id=text.cycle.region_id, label=f"{text.title}: {label}",
           after={"version_label": label, "number": number,
                  "file_name": clean_text(file_name)[:200], "sections": len(sections)})
    return version


def new_version(actor: Actor, text: AgreementText, *, label: str, is_final: bool = False,
                now: datetime) -> TextVersion:
    """The next version, copied from the latest one, sections with their keys."""
    _require(actor, text.cycle)
    label = _label(label)
    if not text.versions:
        raise WorkflowError(_("Teksten har ingen version at bygge videre på."))
    latest = text.versions[-1]
    number = _next_number(text)
    version = TextVersion(
        number=number, label=label, is_final=is_final, created_at=now,
        created_by_id=getattr(actor, "id", None), based_on_id=latest.id,
        sections=[TextSection(key=s.key, position=s.position, level=s.level,
                              heading=s.heading, body=s.body) for s in latest.sections])
    text.versions.append(version)
    db.session.flush()
    record(actor=actor, action="text_version.created", obj=version, now=now,
           region_id=text.cycle.region_id, label=f"{text.title}: {label}",
           after={"version_label": label, "number": number, "based_on": latest.number,
                  "is_final": is_final})
    return version


def update_version(actor: Actor, version: TextVersion, *, label: str, is_final: bool,
                   now: datetime, version_counter: int | None = None) -> None:
    """The version's name ("Udkast 2", "Endelig") and whether it is the final one."""
    _require_open(actor, version)
    check_stale(version, version_counter)
    before = {"version_label": version.label, "is_final": version.is_final}
    version.label, version.is_final = _label(label), is_final
    b, a = changed(before, {"version_label": version.label, "is_final": version.is_final})
    if a:
        record(actor=actor, action="text_version.updated", obj=version, now=now,
               region_id=version.region_id, label=f"{version.text.title}: {version.label}",
               before=b, after=a)


def freeze(actor: Actor, version: TextVersion, *, now: datetime,
           version_counter: int | None = None) -> None:
    """From now on the version never changes (it is what a consultation sends out)."""
    _require_open(actor, version)
    check_stale(version, version_counter)
    if not version.sections:
        raise WorkflowError(_("En version uden afsnit kan ikke fastfryses. Tilføj mindst ét "
                              "afsnit først."))
    version.frozen_at = now
    version.frozen_by_id = getattr(actor, "id", None)
    record(actor=actor, action="text_version.frozen", obj=version, now=now,
           region_id=version.region_id, label=f"{version.text.title}: {version.label}",
           after={"version_label": version.label, "sections": len(version.sections)})


def _renumber(version: TextVersion) -> None:
    for i, sec in enumerate(version.sections, start=1):
        sec.position = i


def _section_label(version: TextVersion, section: TextSection) -> str:
    return f"{version.text.title} ({version.label}): {section.heading}"


def add_section(actor: Actor, version: TextVersion, *, heading: str, body: str, level: int,
                after: TextSection | None = None, now: datetime,
                version_counter: int | None = None) -> TextSection:
    """A new section at the end, or right after `after`."""
    _require_open(actor, version)
    check_stale(version, version_counter)
    heading, body, level = _section_values(heading, body, level)
    section = TextSection(key=new_key(), level=level, heading=heading, body=body)
    sections = list(version.sections)
    index = sections.index(after) + 1 if after is not None and after in sections else len(sections)
    sections.insert(index, section)
    version.sections = sections
    _renumber(version)
    bump_version(version)
    db.session.flush()
    record(actor=actor, action="text_section.created", obj=section, now=now,
           region_id=version.region_id, label=_section_label(version, section),
           after=snapshot(section, SECTION_FIELDS))
    return section


def update_section(actor: Actor, version: TextVersion, section: TextSection, *, heading: str,
                   body: str, level: int, now: datetime,
                   version_counter: int | None = None) -> None:
    _require_open(actor, version)
    check_stale(version, version_counter)
    heading, body, level = _section_values(heading, body, level)
    before = snapshot(section, SECTION_FIELDS)
    section.heading, section.body, section.level = heading, body, level
    b, a = changed(before, snapshot(section, SECTION_FIELDS))
    if a:
        bump_version(version)
        record(actor=actor, action="text_section.updated", obj=section, now=now,
               region_id=version.region_id, label=_section_label(version, section),
               before=b, after=a)


def move_section(actor: Actor, version: TextVersion, section: TextSection, *, step: int,
                 now: datetime, version_counter: int | None = None) -> None:
    """One place up (step -1) or down (+1)."""
    _require_open(actor, version)
    check_stale(version, version_counter)
    if step not in (-1, 1):
        raise WorkflowError(_("Vælg op eller ned."))
    sections = list(version.sections)
    index = sections.index(section)
    target = index + step
    if not 0 <= target < len(sections):
        raise WorkflowError(_("Afsnittet står allerede først.") if step < 0
                            else _("Afsnittet står allerede sidst."))
    sections[index], sections[target] = sections[target], sections[index]
    version.sections = sections
    _renumber(version)
    bump_version(version)
    record(actor=actor, action="text_section.moved", obj=section, now=now,
           region_id=version.region_id, label=_section_label(version, section),
           before={"position": index + 1}, after={"position": target + 1})


def delete_section(actor: Actor, version: TextVersion, section: TextSection, *, now: datetime,
                   version_counter: int | None = None) -> None:
    _require_open(actor, version)
    check_stale(version, version_counter)
    record(actor=actor, action="text_section.deleted", obj=section, now=now,
           region_id=version.region_id, label=_section_label(version, section),
           before=snapshot(section, SECTION_FIELDS))
    version.sections = [s for s in version.sections if s is not section]
    _renumber(version)
    bump_version(version)
    db.session.flush()
