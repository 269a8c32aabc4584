"""English is a full translation of the ecosystem app."""

import re
from pathlib import Path

import polib

import chuangfu.ecosystem

CATALOG = Path(chuangfu.ecosystem.__file__).parent / "locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[.\d]*[sdf]")


def test_every_string_is_translated_with_the_same_placeholders_and_compiled():
    po = polib.pofile(str(CATALOG))
    live = [e for e in po if not e.obsolete]
    assert len(live) > 100
    untranslated = [e.msgid for e in live if not (e.msgstr or e.msgstr_plural.get(0)) or "fuzzy" in e.flags]
    assert untranslated == []
    for entry in live:
        translated = entry.msgstr or entry.msgstr_plural[0]
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(translated)), entry.msgid
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr
        for e in polib.mofile(str(CATALOG.with_suffix(".mo")))
        if e.msgid and not e.msgid_plural
    }
    assert {(e.msgctxt, e.msgid): e.msgstr for e in live if not e.msgid_plural} == compiled, "run compilemessages"
