"""English is a full translation of the indicators app."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import chuangfu.indicators

CATALOG = Path(chuangfu.indicators.__file__).parent / "locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_string_is_translated_with_the_same_placeholders_and_compiled():
    po = polib.pofile(str(CATALOG))
    live = [e for e in po if not e.obsolete]
    assert len(live) > 100
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
def test_the_dashboard_reads_in_english(client):
    from chuangfu.core.models import Role
    from chuangfu.indicators.demo import seed_indicators
    from tests import factories

    seed_indicators()
    client.force_login(factories.user(role=Role.LEADER))
    html = client.get(reverse("indicators:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Quantitative indicators" in html and "Recompute" in html and "定量指标" not in html
    # the demo scheme's own names are data, entered in both languages
    assert "Service satisfaction rate" in html and "Featured entrepreneurship community assessment scheme" in html
    assert "服务满意率" not in html and "评估指标体系" not in html
    chinese = client.get(reverse("indicators:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "服务满意率" in chinese and "Service satisfaction rate" not in chinese
