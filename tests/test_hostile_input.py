"""Hostile input never gives a 500: ids and page numbers beyond what the database holds,
unknown choices, dates far outside any agreement, duplicate names, control characters.

The property tests at the end throw arbitrary text and numbers at every form and every route
with an id, as the secretariat and as a respondent."""

from __future__ import annotations

import re

import pytest

from webapp.models import Role

HUGE = "99999999999999999999"
BIGINT = "9223372036854775807"


def html(response):
    return response.get_data(as_text=True)


def field_error(page, field_id):
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return match.group(1)


# -- 1. ids and page numbers beyond the database's range -------------------------------------

@pytest.mark.parametrize("path", [
    f"/cykler/{HUGE}", f"/api/v1/cycles/{HUGE}", f"/cykler/{BIGINT}", f"/cykler/{2**31}",
])
def test_an_id_beyond_the_range_is_not_found(client, login_as, path):
    login_as(Role.SECRETARIAT)
    assert client.get(path).status_code == 404


def test_an_id_beyond_the_range_in_the_public_feed_is_not_found(client, world):
    assert client.get(f"/kalender/cyklus/{HUGE}.ics").status_code == 404


@pytest.mark.parametrize("path", ["/admin/personer", "/admin/log", "/admin/e-mails"])
@pytest.mark.parametrize("side", [BIGINT, HUGE, "-5", "abc", "0"])
def test_a_page_number_beyond_the_range_is_clamped(client, login_as, path, side):
    login_as(Role.SECRETARIAT)
    assert client.get(f"{path}?side={side}").status_code == 200
