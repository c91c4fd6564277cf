"""Building agreement texts and Word files for the tests."""

from __future__ import annotations

import io
from typing import Any

from docx import Document

from webapp.extensions import db
from webapp.models import CycleState, Role
from webapp.workflows import agreements as flow


def docx_bytes(blocks: list[tuple[str, str]], title: str = "") -> bytes:
    """A real Word file: (style, text) pairs, e.g. ("Heading 1", "Formål"), ("", "Tekst")."""
    document = Document()
    if title:
        document.add_heading(title, level=0)
    for style, text in blocks:
        if style.startswith("Heading "):
            document.add_heading(text, level=int(style.split()[1]))
        else:
            document.add_paragraph(text, style=style or None)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_with_versions(world: dict[str, Any], now: Any, sections: int = 3,
                       region: str = "north", frozen: bool = True) -> Any:
    """A text whose "Udkast 1" has `sections` sections (frozen), and an "Udkast 2" copied from it
    with one section renamed, one changed and one added."""
    actor = world[region]["users"][Role.SECRETARIAT]
    cycle = world[region]["cycle"]
    cycle.state = CycleState.OPEN
    text = flow.create_text(actor, cycle, title="Styringsaftale", now=now)
    first = text.versions[0]
    for i in range(sections):
        flow.add_section(actor, first, heading=f"Afsnit {i + 1}",
                         body=f"Kommunerne og regionen aftaler punkt {i + 1} om takster.",
                         level=1 if i % 3 == 0 else 2, now=now)
    if frozen:
        flow.freeze(actor, first, now=now)
    second = flow.new_version(actor, text, label="Udkast 2", now=now)
    s = second.sections
    flow.update_section(actor, second, s[0], heading="Afsnit 1 om styring", body=s[0].body,
                        level=s[0].level, now=now)
    if len(s) > 1:
        flow.update_section(actor, second, s[1],
                            heading=s[1].heading,
                            body="Kommunerne aftaler punkt 2 om nye takster.", level=s[1].level,
                            now=now)
    flow.add_section(actor, second, heading="Nyt afsnit", body="Helt ny tekst.", level=1,
                     now=now)
    db.session.commit()
    return text
