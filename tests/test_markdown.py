"""The one Markdown renderer: formatting survives, nothing a writer types can run."""

import pytest
from flask import Flask

from webapp.markdown import render


def test_renders_paragraphs_lists_and_tables() -> None:
    html = str(render("**Mål**\n\n- et\n- to\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<strong>Mål</strong>" in html
    assert "<li>et</li>" in html
    assert "<table>" in html


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    "[klik](JAVASCRIPT:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
])
def test_nothing_executable_survives(hostile: str) -> None:
    html = str(render(hostile)).lower()
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "onerror=" not in html or "&lt;img" in html


def test_empty_is_empty() -> None:
    assert render(None) == ""
    assert render("   \n") == ""


def test_templates_have_the_filter(app: Flask) -> None:
    with app.app_context():
        out = app.jinja_env.from_string("{{ t|markdown }}").render(t="<b>x</b> *y*")
    assert "&lt;b&gt;x&lt;/b&gt; <em>y</em>" in out
