"""English is a full translation of the governance app."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import chuangfu.governance

from . import builders

CATALOG = Path(chuangfu.governance.__file__).parent / "locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def test_every_string_is_translated_with_the_same_placeholders_and_compiled():
    po = polib.pofile(str(CATALOG))
    live = [e for e in po if not e.obsolete]
    assert [e.msgid for e in live if not e.msgstr or "fuzzy" in e.flags] == []
    for entry in live:
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(entry.msgstr)), entry.msgid
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(CATALOG.with_suffix(".mo"))) if e.msgid}
    assert {e.msgid: e.msgstr for e in live} == compiled, "run compilemessages in src/chuangfu/governance"


@pytest.mark.django_db
def test_the_body_page_and_its_refusals_are_in_english(client):
    term = builders.term()
    client.force_login(builders.office())
    data = {"name": "Wang", "position": "head", "joined_on": "2026-02-02"}
    client.post(reverse("governance:member_add", args=[term.pk]), data)
    page = client.get(reverse("governance:body", args=[term.body.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add a member" in page and "Head" in page and "添加成员" not in page
    again = client.post(reverse("governance:member_add", args=[term.pk]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert "Wang is already a serving member" in again.content.decode()
