"""English is a full translation of core and of the project's own templates."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import chuangfu

SRC = Path(chuangfu.__file__).parent
CATALOGS = [
    SRC / "core/locale/en/LC_MESSAGES/django.po",
    SRC / "locale/en/LC_MESSAGES/django.po",
    SRC / "locale/zh_Hans/LC_MESSAGES/django.po",
]
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def translations(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(SRC)))
def test_every_string_is_translated_with_the_same_placeholders(po_path):
    po = polib.pofile(str(po_path))
    live = [e for e in po if not e.obsolete]
    assert live
    assert [e.msgid for e in live if not all(translations(e)) or "fuzzy" in e.flags] == []
    for entry in live:
        for text in translations(entry):
            assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(text)), entry.msgid
    # Keyed by context too: the audit log's "文件" (context "audit") is not the upload form's.
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): translations(e) for e in mo if e.msgid}
    assert {(e.msgctxt, e.msgid): translations(e) for e in live} == compiled, "run compilemessages"


@pytest.mark.django_db
def test_login_page_in_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("Sign in to Chuangfu", "Username or mobile number", "Password", "Register with your mobile"):
        assert text in page
    assert "登录创服平台" not in page


@pytest.mark.django_db
def test_registration_errors_in_english(client):
    response = client.post(reverse("register"), {"mobile": "12345"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Entrepreneur registration" in page
    assert "Not a mobile number: it has 11 digits" in page
