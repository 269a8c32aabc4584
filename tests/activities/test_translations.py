"""English is a full translation of the activities app."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import chuangfu.activities

from . import builders

CATALOG = Path(chuangfu.activities.__file__).parent / "locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def test_every_string_is_translated_with_the_same_placeholders_and_compiled():
    po = polib.pofile(str(CATALOG))
    live = [e for e in po if not e.obsolete]
    assert len(live) > 500
    assert [e.msgid for e in live if not e.msgstr or "fuzzy" in e.flags] == []
    for entry in live:
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(entry.msgstr)), entry.msgid
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(CATALOG.with_suffix(".mo"))) if e.msgid}
    assert {(e.msgctxt, e.msgid): e.msgstr for e in live} == compiled, "run compilemessages"


@pytest.mark.django_db
def test_public_pages_and_ticket_in_english(client):
    act = builders.activity(capacity=1)
    builders.register(act)
    waiting = builders.register(act)
    listing = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Registration open" in listing and "All towns (streets)" in listing and "报名中" not in listing
    ticket = client.get(reverse("events:ticket", args=[waiting.manage_key]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your place on the waiting list" in ticket and "Leave the waiting list" in ticket


@pytest.mark.django_db
def test_refusals_are_in_english_for_an_english_page(client):
    act = builders.activity(status="cancelled")
    client.force_login(builders.manager())
    response = client.post(
        reverse("activities:checkin_walk_in", args=[act.pk]),
        {"name": "Li", "mobile": "13912345678"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The activity has been cancelled; registration is not possible." in response.content.decode()
