"""WTForms' own messages are Danish on every form: its source is read for every message it can
show, each must have a Danish text, and every form is posted over-long text and choices that are
not offered without one English message reaching the page."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
import wtforms

from tests.test_hostile_input import FORMS, scene  # noqa: F401  (the fixture is used below)
from webapp.forms.base import DanishTranslations, wtforms_messages
from webapp.models import Role


def _wtforms_source_messages() -> set[tuple[str, ...]]:
    """Every literal passed to gettext/ngettext in WTForms' source: (message,) or
    (singular, plural)."""
    found: set[tuple[str, ...]] = set()
    for path in Path(wtforms.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            texts = [a.value for a in node.args
                     if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.attr == "gettext" and texts:
                found.add((texts[0],))
            elif node.func.attr == "ngettext" and len(texts) == 2:
                found.add((texts[0], texts[1]))
    return found


# Fragments of WTForms' English messages (from its source), none of which Danish text contains.
ENGLISH = ["Field ", "field", "character", "Invalid", "Not a valid", "valid choice",
           "could not", "coerce", "must be", "Number ", "Date must", "required", "CSRF",
           "address.", "input.", "cannot", "token", "Mac ", "one of"]


def test_wtforms_source_is_read():
    messages = _wtforms_source_messages()
    assert ("This field is required.",) in messages
    assert ("Field cannot be longer than %(max)d character.",
            "Field cannot be longer than %(max)d characters.") in messages
    assert len(messages) > 30


def test_every_wtforms_message_has_a_danish_text(app):
    translations = DanishTranslations()
    with app.test_request_context():
        catalogue = wtforms_messages()
        for message in sorted(_wtforms_source_messages()):
            assert message[0] in catalogue, message
            for n in (1, 2, 5):
                text = (translations.gettext(message[0]) if len(message) == 1
                        else translations.ngettext(message[0], message[1], n))
                assert text not in message, (message, n)
                assert not any(word in text for word in ENGLISH), (message, text)
                # Only placeholders WTForms fills, or its `%` would fail.
                assert set(PLACEHOLDER.findall(text)) <= set(
                    PLACEHOLDER.findall(" ".join(message))), (message, text)


PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def test_a_length_message_is_danish_with_singular_and_plural(app):
    translations = DanishTranslations()
    with app.test_request_context():
        one = translations.ngettext("Field cannot be longer than %(max)d character.",
                                    "Field cannot be longer than %(max)d characters.", 1)
        many = translations.ngettext("Field cannot be longer than %(max)d character.",
                                     "Field cannot be longer than %(max)d characters.", 200)
    assert one % {"max": 1} == "Teksten må højst være 1 tegn lang. Forkort den."
    assert many % {"max": 200} == "Teksten må højst være 200 tegn lang. Forkort den."


LONG = "x" * 5000
CHOICE_FIELDS = {"kind", "audience", "type", "role", "roles", "organisation_id", "state",
                 "milestone_id", "source_id", "recipients", "notices", "condition_question",
                 "condition_values", "milestone", "organisation", "columns-0-kind",
                 "columns-1-kind", "columns-0-when_scale", "q_tendens", "q_omraader",
                 "outcome", "points-0-outcome", "points-1-outcome", "points-7-outcome",
                 "points-0-changed_section", "label_id", "theme_ids", "parts-0", "parts-1",
                 "parts-5"}


def _version(client, path):
    match = re.search(r'name="version"[^>]*value="(\d+)"', client.get(path).get_data(as_text=True))
    return match.group(1) if match else ""


@pytest.mark.parametrize("variant", ["long", "bad choice"])
def test_no_english_message_on_any_form(client, scene, login_as, clock, variant):  # noqa: F811
    from tests import factories

    clock.set(factories.at(2017, 3, 10, 9))
    login_as(Role.SECRETARIAT)
    for form, (target, fields) in FORMS.items():
        method, _space, path = target.rpartition(" ")
        path = path.format(**scene)
        data: dict[str, object] = {}
        for name in fields:
            if name == "version":
                data[name] = _version(client, path)
            elif variant == "long":
                data[name] = LONG
            elif name in CHOICE_FIELDS:
                data[name] = ["987654", "ikke-en-mulighed"]
            else:
                data[name] = "1"
        if method == "GET":
            response = client.get(path, query_string=data)
        else:
            response = client.post(path, data=data)
        assert response.status_code < 500, form
        # The page as read: tags and attributes (a field's name, `required`) are no message.
        text = html.unescape(re.sub(r"<[^>]*>", " ", response.get_data(as_text=True)))
        hits = [word for word in ENGLISH if word in text]
        assert not hits, (form, hits, [line for line in text.splitlines()
                                       if any(word in line for word in hits)])


# --- small wording --------------------------------------------------------------------------


def test_a_label_ending_in_a_question_mark_gets_no_extra_colon(app):
    from flask import render_template_string

    from webapp.forms.questionnaires.follow_up import ReopenForm

    with app.test_request_context(method="POST", data={"reason": ""}):
        form = ReopenForm()
        assert not form.validate()
        page = render_template_string(
            '{% from "macros/forms.html" import error_summary %}{{ error_summary(form) }}',
            form=form)
    assert "Hvorfor genåbnes besvarelsen? Skriv en begrundelse." in html.unescape(page)


def test_with_colon():
    from webapp.formatting import with_colon

    assert with_colon("Titel") == "Titel:"
    assert with_colon("Hvorfor genåbnes besvarelsen?") == "Hvorfor genåbnes besvarelsen?"
    assert with_colon("Bemærk:") == "Bemærk:"


def test_the_readme_runs_the_projects_own_flask():
    """A bare `flask` is whatever is on the PATH (or nothing): the README's commands use the
    one its setup installs in .venv."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "flask --app webapp reminders run-due" in readme
    # What stands right before each `flask --app`: the venv's path, never nothing.
    assert set(re.findall(r"([^\s`]*)flask --app", readme)) == {".venv/bin/"}
