"""The theme day's catalogue as a Word document (python-docx), for the participants before the
day: a Heading 1 per theme, a Heading 2 per challenge, and its solution options as a numbered
list from very close to limited cooperation, each with the words for how close. Markdown is
written as its text: a typed `<script>` stays text in Word too."""

from __future__ import annotations

from io import BytesIO

from docx import Document

from .exports import ascii_download_name
from .formatting import format_datetime
from .i18n import gettext as _
from .i18n import ngettext
from .mail import Attachment
from .models import ThemeDay
from .note_docx import DOCX_MIME, _danish, _Writer
from .queries.theme_days.catalogue import Catalogue, catalogue

__all__ = ["DOCX_MIME", "write_catalogue"]


def write_catalogue(day: ThemeDay, catalogue: Catalogue) -> bytes:
    document = Document()
    _danish(document)
    document.core_properties.title = day.title
    document.core_properties.language = "da-DK"
    w = _Writer(document)
    w.style_ids.update({"List Number": document.styles["List Number"].style_id})
    w.heading(day.title, 0)
    milestone = day.milestone
    w.paragraph(_("Temakatalog · %(when)s", when=format_datetime(
        milestone.starts_at or milestone.ends_at))
        + (f" · {milestone.place}" if milestone.place else ""), italic=True)
    w.paragraph(ngettext("Hver deltager vælger højst %(num)d punkt pr. tema: udfordringer og "
                         "løsningsscenarier.",
                         "Hver deltager vælger højst %(num)d punkter pr. tema: udfordringer "
                         "og løsningsscenarier.", day.picks_per_theme))
    if day.intro:
        w.text(day.intro)
    for theme in catalogue.themes:
        w.heading(theme.title, 1)
        if theme.intro:
            w.text(theme.intro)
        if not theme.challenges:
            w.paragraph(_("Temaet har ingen udfordringer endnu."), italic=True)
        for challenge in theme.challenges:
            w.heading(_("Udfordring: %(title)s", title=challenge.title), 2)
            if challenge.description:
                w.text(challenge.description)
            if challenge.solutions:
                w.paragraph(_("Løsningsscenarier, fra meget tæt til begrænset samarbejde:"),
                            italic=True)
            for option in challenge.solutions:
                p = w.paragraph(option.title, "List Number")
                if option.cooperation:
                    w.run(p, f" ({option.cooperation})", italic=True)
                if option.description:
                    w.text(option.description)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def catalogue_attachment(day: ThemeDay) -> Attachment:
    """The catalogue as the Word file the download gives, for the e-mail that sends it (the
    secretariat's button and the demo alike)."""
    return Attachment(ascii_download_name(day.title, "docx", fallback="temakatalog"),
                      DOCX_MIME, write_catalogue(day, catalogue(day)))
