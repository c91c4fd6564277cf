"""The workshop's input as a Word document (python-docx): the document the strategy group works
from. A Heading 1 per theme (its session below it), a Heading 2 for "Udfordringer" and
"Tiltag", a Heading 3 per sub-heading, and each item a real bulleted list paragraph with its
author and date; comments as indented list paragraphs under it. The items' Markdown is written
as its text: a typed `<script>` stays text in Word too."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from docx import Document

from .formatting import format_datetime
from .i18n import gettext as _
from .note_docx import DOCX_MIME, _danish, _Writer
from .queries.workshops.input import ThemeBlock
from .workflows.workshops.input import KIND_PLURALS

__all__ = ["DOCX_MIME", "write_input"]


def write_input(title: str, blocks: Sequence[ThemeBlock]) -> bytes:
    """`blocks` (one theme or all of a workshop's) as DOCX bytes under the title `title`."""
    document = Document()
    _danish(document)
    document.core_properties.title = title
    document.core_properties.language = "da-DK"
    w = _Writer(document)
    w.style_ids.update({name: document.styles[name].style_id
                        for name in ("Heading 3", "List Bullet 2")})
    w.heading(title, 0)
    for block in blocks:
        w.heading(block.theme.title, 1)
        w.paragraph(block.session_title, italic=True)
        if block.facilitator:
            w.paragraph(_("Facilitator: %(name)s", name=block.facilitator))
        if not block.count:
            w.paragraph(_("Der er ikke registreret input til temaet."))
        for kind, groups in block.kinds():
            if not groups:
                continue
            w.heading(str(KIND_PLURALS[kind]), 2)
            for group in groups:
                if group.heading:
                    w.heading(group.heading, 3)
                for item in group.items:
                    p = w.paragraph(item.body, "List Bullet")
                    w.run(p, " (" + _("%(name)s, %(when)s", name=item.author_name,
                                        when=format_datetime(item.created_at)) + ")",
                          italic=True)
                    for comment in item.comments:
                        c = w.paragraph(comment.body, "List Bullet 2")
                        w.run(c, " (" + _("kommentar af %(name)s", name=comment.author_name)
                              + ")", italic=True)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
