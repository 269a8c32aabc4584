"""English is a full translation of the portal, and its public pages read in English."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import chuangfu.portal

from . import builders

CATALOG = Path(chuangfu.portal.__file__).parent / "locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_string_is_translated_with_the_same_placeholders_and_compiled():
    po = polib.pofile(str(CATALOG))
    live = [e for e in po if not e.obsolete]
    assert len(live) > 200
    assert [e.msgid for e in live if not (e.msgstr or e.msgstr_plural) or "fuzzy" in e.flags] == []
    for entry in live:
        translated = entry.msgstr or entry.msgstr_plural[1]
        assert sorted(set(PLACEHOLDER.findall(entry.msgid))) == sorted(set(PLACEHOLDER.findall(translated))), (
            entry.msgid
        )
        assert not HAN.search(translated), entry.msgid
    compiled = {
        e.msgid: e.msgstr for e in polib.mofile(str(CATALOG.with_suffix(".mo"))) if e.msgid and not e.msgid_plural
    }
    assert {e.msgid: e.msgstr for e in live if not e.msgid_plural} == compiled, "run compilemessages"


@pytest.mark.django_db
def test_the_front_door_reads_in_english_with_no_chinese_in_its_own_words(client):
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for words in (
        "Find policies",
        "Ask online",
        "Coming activities",
        "Newest policies",
        "Contact us",
        "Skip to content",
        "Large text",
    ):
        assert words in html, words
    assert "找政策" not in html and "长者模式" not in html


@pytest.mark.django_db
def test_a_withdrawn_case_says_so_in_english(client):
    case = builders.case(status="withdrawn")
    html = client.get(reverse("portal:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This model case has been withdrawn" in html and "is no longer public" in html
