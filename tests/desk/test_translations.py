"""The desk is fully translated into English, placeholders intact, and the catalog compiled."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import chuangfu

PO = Path(chuangfu.__file__).parent / "desk/locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[.\d]*[sdf]")


def test_every_desk_string_has_an_english_translation_with_the_same_placeholders():
    po = polib.pofile(str(PO))
    live = [e for e in po if not e.obsolete]
    assert len(live) > 400
    assert [e.msgid for e in live if not e.msgstr or "fuzzy" in e.flags] == []
    for entry in live:
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(entry.msgstr)), entry.msgid
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo"))) if e.msgid}
    assert {e.msgid: e.msgstr for e in live} == compiled, "run compilemessages in src/chuangfu/desk"


@pytest.mark.django_db
def test_the_public_pages_in_english(client, category):
    page = client.get(reverse("service:submit"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("Ask the entrepreneurship service", "Describe your problem", "Mobile number", "Submit"):
        assert text in page
    assert "创业服务咨询" not in page
    lookup = client.post(
        reverse("service:lookup"), {"number": "2026010100001", "mobile": "13900000000"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "No request matches this number and mobile" in lookup
