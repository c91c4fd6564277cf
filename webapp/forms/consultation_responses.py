"""The consultation response page's form: general text, the comments per section, one new
comment, attachments to add or remove, and the buttons (save, submit, "Ingen bemærkninger")."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, Form, HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from ..i18n import lazy_gettext as _l
from ..models import ConsultationResponse
from ..workflows.consultations.responses import MAX_TEXT, CommentEdit, Draft
from .base import BaseForm, DanishMeta

ACTIONS = ("save", "submit", "no_comments")


class CommentEntryForm(Form):
    """One stored comment on the page, posted under the prefix `comment-<id>-`."""

    class Meta(DanishMeta):
        pass

    section = SelectField(_l("Afsnit"), coerce=int, validators=[Optional()])
    body = TextAreaField(_l("Kommentar"), validators=[Length(max=MAX_TEXT)])
    remove = BooleanField(_l("Slet kommentaren"))


class ResponseForm(BaseForm):
    general_text = TextAreaField(
        _l("Generelle bemærkninger"),
        description=_l("Bemærkninger til teksten som helhed. Kommentarer til et bestemt afsnit "
                       "skrives nedenfor."),
        validators=[Optional(), Length(max=MAX_TEXT)])
    new_section = SelectField(_l("Afsnit"), coerce=int, validators=[Optional()])
    new_body = TextAreaField(_l("Ny kommentar til afsnittet"),
                             validators=[Optional(), Length(max=MAX_TEXT)])
    attachment = FileField(_l("Vedhæft en fil (PDF, DOCX eller ODT)"))
    # The response's version when the page was made; empty before the first save (the
    # workflow then checks that nobody created the response meanwhile).
    version = HiddenField()

    def __init__(self, *args: Any, sections: list[tuple[int, str]] | None = None,
                 response: ConsultationResponse | None = None,
                 posted: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if posted is None and response is not None:
            # A page made afresh shows the stored text: else the next save would wipe it.
            self.general_text.data = response.general_text
        choices: list[tuple[Any, Any]] = [(0, _l("Vælg afsnit"))]  # 0: none chosen
        choices.extend(sections or [])
        self.new_section.choices = choices
        self.entries: list[tuple[int, CommentEntryForm]] = []
        # `posted`: the request's form on a POST, so each comment keeps what was typed.
        for comment in (response.comments if response is not None else []):
            entry = CommentEntryForm(
                formdata=posted, prefix=f"comment-{comment.id}-",
                data={"section": comment.section_id, "body": comment.body})
            entry.section.choices = list(choices)
            self.entries.append((comment.id, entry))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for _id, entry in self.entries:
            valid = entry.validate() and valid
        return valid

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.form_errors or any(e.errors for _i, e in self.entries))

    def place(self, field: str, message: str) -> bool:
        """Put a workflow's message at a comment's field (`comment-<id>-body`)."""
        for comment_id, entry in self.entries:
            prefix = f"comment-{comment_id}-"
            if field.startswith(prefix):
                target = getattr(entry, field[len(prefix):], None)
                if target is not None:
                    target.errors = [*target.errors, message]
                    return True
        return False

    def draft(self, remove_attachments: set[int], upload: Any) -> Draft:
        return Draft(
            general_text=self.general_text.data or "",
            comments=[CommentEdit(id=comment_id, section_id=entry.section.data or None,
                                  body=entry.body.data or "", remove=bool(entry.remove.data))
                      for comment_id, entry in self.entries],
            new_section_id=self.new_section.data or None,
            new_body=self.new_body.data or "",
            remove_attachment_ids=frozenset(remove_attachments),
            upload=upload,
        )
