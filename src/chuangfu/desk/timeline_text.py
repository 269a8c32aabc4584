"""The words a ticket's timeline keeps, and how they read in the reader's language.

A step's label (``core.timeline.record`` keeps it in the source language) and the platform's own
public notes ("已派至 市场监管所 办理。", written by ``note``) are stored in Chinese, whoever fired
the step and in whatever language, and put into the reader's language when shown. A label is a message id (``gettext(label)``). A note is one of
``NOTES`` with its values filled in: ``shown`` finds which one by matching the stored text against
each message's pattern and fills the reader's translation with the same values (each value
translated too when it is itself a message, as a rating's grade is). Words people wrote (an
answer, a reason) match no pattern and are shown as written.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

NOTES = [
    gettext_noop("您的诉求已受理，工单编号 %(n)s。"),
    gettext_noop("已派至 %(units)s 办理。"),
    gettext_noop("与工单 %(n)s 为同一事项，已合并办理。"),
    gettext_noop("本诉求已办结。"),
    gettext_noop("已回访，感谢您的反馈。"),
    gettext_noop("承办单位已签收。"),
    gettext_noop("正在办理。"),
    gettext_noop("办理期限延长 %(d)s 个工作日至 %(due)s。原因：%(r)s"),
    gettext_noop("已恢复办理。"),
    gettext_noop("您的评价：%(g)s"),
    # for staff: where a request came from
    gettext_noop("来源：%(c)s"),
    gettext_noop("来源：%(c)s · %(kind)s“%(origin)s”"),
]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _pattern(msgid: str) -> re.Pattern:
    parts, at = [], 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts += [re.escape(msgid[at : match.start()]), f"(?P<{match.group(1)}>.+?)"]
        at = match.end()
    return re.compile("".join([*parts, re.escape(msgid[at:])]), re.DOTALL)


_PATTERNS = [(msgid, _pattern(msgid)) for msgid in NOTES]


def note(msgid: str, **values) -> str:
    """The note to store: ``msgid`` (one of ``NOTES``) filled with ``values``, in the source language."""
    if msgid not in NOTES:
        raise ValueError(f"not a timeline note: {msgid}")
    with translation.override(settings.LANGUAGE_CODE):
        return msgid % {name: str(value) for name, value in values.items()}


def shown(text: str) -> str:
    """A stored label or note in the reader's language (words people wrote stay as written)."""
    if not text:
        return text
    for msgid, pattern in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return gettext(msgid) % {name: gettext(value) for name, value in found.groupdict().items()}
    return gettext(text)
