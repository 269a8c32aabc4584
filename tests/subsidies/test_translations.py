"""The subsidies app is fully translated into English, placeholders intact, and the catalog compiled;
the public notice reads in English."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import chuangfu
from chuangfu.subsidies.services import notices

from .builders import second_reviewed

PO = Path(chuangfu.__file__).parent / "subsidies/locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[.\d]*[sdf]")


def texts(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_subsidies_string_has_an_english_translation_with_the_same_placeholders():
    po = polib.pofile(str(PO))
    live = [e for e in po if not e.obsolete]
    assert len(live) > 500
    assert [e.msgid for e in live if not all(texts(e)) or "fuzzy" in e.flags] == []
    for entry in live:
        for text in texts(entry):
            assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(text)), entry.msgid
    compiled = {(e.msgctxt, e.msgid): texts(e) for e in polib.mofile(str(PO.with_suffix(".mo"))) if e.msgid}
    assert {(e.msgctxt, e.msgid): texts(e) for e in live} == compiled, "run compilemessages in src/chuangfu/subsidies"


@pytest.mark.django_db
def test_the_public_notice_in_english(client, policy, applicant, reviewer, reviewer2):
    application = second_reviewed(policy, applicant, reviewer, reviewer2, amount=Decimal("5000"))
    batch = notices.notice_batch_create(actor=reviewer, title="2026年第3批", applications=[application])
    notices.notice_batch_publish(actor=reviewer, batch=batch, today=datetime.date.today())
    page = client.get(reverse("public_notices:detail", args=[batch.number]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in (
        "Notice period (counted from the day after publishing):",
        "Raise an objection",
        "Submit the objection",
        "李*业",
    ):
        assert text in page
    assert "提出异议" not in page
