"""The one-line reason shown with a stored match ("差一项：年龄不超过 35 周岁"), made when read.

A full match stores only the result class and which top-level condition is open; the wording
comes from the version's rule, which never changes once published, so the texts are made once
per version and language and kept for the process.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import rules

_TEXTS: dict = {}


def match_summary(result: str, open_text: str, open_count: int) -> str:
    if result == "eligible":
        return _("符合全部条件")
    if result == "almost":
        return _("差一项：%(condition)s") % {"condition": open_text}
    if open_count > 1:
        return _("待核实：%(condition)s 等 %(n)d 项") % {"condition": open_text, "n": open_count}
    return _("待核实：%(condition)s") % {"condition": open_text}


def top_condition_texts(version) -> list[str]:
    """The plain-Chinese text of each top-level condition of a published version."""
    key = (version.pk, version.updated_at, get_language())  # ids can recur after a rollback
    if key not in _TEXTS:
        if len(_TEXTS) > 2000:
            _TEXTS.clear()
        ctx = rules.Context(on=version.effective_from, policy_code=version.policy.code)
        _TEXTS[key] = (
            [rules.describe(top, ctx).text for top in rules.top_conditions(version.rule)] if version.rule else []
        )
    return _TEXTS[key]


def summary_of(match) -> str:
    texts = top_condition_texts(match.version)
    open_text = texts[match.open_index] if match.open_index is not None and match.open_index < len(texts) else ""
    return match_summary(match.result, open_text, match.open_count)
