"""Small template helpers for the policy pages."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, pgettext_lazy

from ..summaries import summary_of

register = template.Library()


@register.filter
def match_summary(match) -> str:
    """``{{ m|match_summary }}`` — "符合全部条件", "差一项：…" or "待核实：…", worded from the version's rule."""
    return summary_of(match)


@register.filter
def get_item(mapping, key):
    """``counts|get_item:policy.pk`` — a dict lookup by a variable key ({} when absent)."""
    if not mapping:
        return {}
    return mapping.get(key) or {}


# Listed so that makemessages finds them (the tag's argument is not a translatable string).
PUNCTUATION = {
    "：": pgettext_lazy("punctuation", "："),
    "，": pgettext_lazy("punctuation", "，"),
    "；": pgettext_lazy("punctuation", "；"),
    "、": pgettext_lazy("punctuation", "、"),
    "（": pgettext_lazy("punctuation", "（"),
    "）": pgettext_lazy("punctuation", "）"),
}


@register.simple_tag
def punct(mark):
    """``{% punct "：" %}`` — Chinese punctuation in the reader's language (": " in English)."""
    return PUNCTUATION[mark]


BADGES = {
    "eligible": ("text-bg-success", gettext_noop("符合")),
    "almost": ("text-bg-warning", gettext_noop("差一项")),
    "unknown": ("text-bg-secondary", gettext_noop("待核实")),
}


def result_badge(result: str) -> str:
    """The result's badge (``_result_badge.html``), translated."""
    css, label = BADGES.get(result, ("text-bg-light border", gettext_noop("不符合")))
    return f'<span class="badge {css}">{conditional_escape(gettext(label))}</span>'


_WORDS: dict[tuple, str] = {}  # (language, what, which) -> its text: a few dozen entries


def _word(what: str, which, make) -> str:
    """``make()`` once per language, ``what`` and ``which``: a card's fixed words."""
    key = (get_language(), what, which)
    if key not in _WORDS:
        _WORDS[key] = make()
    return _WORDS[key]


def _mark(mark: str) -> str:
    """A punctuation mark in the reader's language, escaped."""
    return _word("mark", mark, lambda: conditional_escape(str(PUNCTUATION[mark])))


def _choice(policy, field: str) -> str:
    """``policy.get_<field>_display()`` once per language and value: Django's own lookup builds
    the choices' dict each call, and a subject's page asks it twice per card."""
    return _word(field, getattr(policy, field), lambda: str(getattr(policy, f"get_{field}_display")()))


@register.simple_tag
def explained_card(item, link):
    """``{% explained_card item link %}`` — one policy's explanation for a subject as a card: the
    policy, its result, what is missing (the open condition with its unmet parts, or the unknown
    ones) and every condition (``outcome_tree``). Built in Python for the reason ``outcome_tree``
    is: a subject's page shows one card per policy in force."""
    e, policy, esc = item.explanation, item.policy, conditional_escape
    colon, opening, closing, semicolon = (_mark(m) for m in ("：", "（", "）", "；"))
    actual_label = esc(gettext("实际情况"))
    out = [
        f'\n<div class="card mb-2 cf-result-{esc(item.result)}"><div class="card-body py-2">\n'
        '  <div class="d-flex justify-content-between align-items-start gap-2">\n'
        f'    <div><a class="fw-semibold" href="{esc(link)}">{esc(policy.title)}</a>\n      ',
    ]
    if policy.is_example:
        out.append(f'<span class="badge text-bg-light border ms-1">{esc(gettext("示例"))}</span>')
    document = f" · {esc(policy.document_number)}" if policy.document_number else ""
    out.append(
        f'\n      <div class="small text-muted">{esc(_choice(policy, "level"))} · '
        f"{esc(_choice(policy, 'category'))}{document}</div></div>\n    {result_badge(item.result)}\n\n  </div>\n  \n  "
    )
    if item.result == "almost":
        o = e.open_condition
        out.append(f'<p class="mb-1 mt-2">{esc(gettext("差一项"))}{colon}<strong>{esc(o.text)}</strong>')
        if o.actual and not o.children:
            out.append(f'<span class="text-muted">{opening}{actual_label}{colon}{esc(o.actual)}{closing}</span>')
        out.append("</p>\n  ")
        if o.children:
            out.append('<ul class="small mb-1">')
            for c in o.children:
                if c.status != "met":
                    out.append(f"<li>{esc(c.text)}{colon}{esc(c.status_label)}")
                    if c.actual:
                        out.append(f"{opening}{actual_label}{colon}{esc(c.actual)}{closing}")
                    out.append("</li>")
            out.append("</ul>")
        out.append("\n  ")
    elif item.result == "unknown":
        texts = semicolon.join(f"<strong>{esc(c.text)}</strong>" for c in e.open_conditions)
        out.append(f'<p class="mb-1 mt-2">{esc(gettext("以下情况尚不清楚，核实后才能判断"))}{colon}{texts}</p>')
    out.append(
        f'\n  <details class="mt-1"><summary class="small">{esc(gettext("逐条说明"))}</summary>'
        f"{outcome_tree(e.conditions)}</details>\n  \n</div></div>\n"
    )
    return mark_safe("".join(out))  # every value above is escaped


@register.simple_tag
def outcome_tree(outcomes):
    """``{% outcome_tree e.conditions %}`` — an explanation's conditions as nested lists, each with
    its status badge and, when known, the actual value. Built in Python: a subject's page explains
    every policy in force, a few hundred conditions, and one template include per condition was most
    of the page's time (decision 40). The labels are translated once per call."""
    label = gettext("实际情况")
    opening, colon, closing = (str(PUNCTUATION[mark]) for mark in ("（", "：", "）"))
    actual_open = f' <span class="text-muted small">{conditional_escape(opening)}{conditional_escape(label)}'
    actual_open += conditional_escape(colon)
    closing = f"{conditional_escape(closing)}</span>"
    out: list[str] = []

    def tree(nodes) -> None:
        out.append('<ul class="list-unstyled cf-outcome">')
        for o in nodes:
            out.append(
                f'<li><span class="badge cf-status-{conditional_escape(o.status)}">'
                f"{conditional_escape(o.status_label)}</span> {conditional_escape(o.text)}"
            )
            if o.actual:
                out.append(f"{actual_open}{conditional_escape(o.actual)}{closing}")
            if o.children:
                tree(o.children)
            out.append("</li>")
        out.append("</ul>")

    tree(outcomes)
    return mark_safe("".join(out))  # every value above is escaped
