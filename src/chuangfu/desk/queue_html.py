"""The staff queue's repeated markup — its table rows and filter options — built in Python.

The queue is the busiest staff page: twenty rows of a dozen values plus four option lists. The
template engine spent more time on those loops than the page's queries take, and so does
``format_html`` (desk-queue benchmark), so they are built here with f-strings and the standard
library's ``html.escape`` on every value; the templates keep the page's structure. Change this
markup here, not in the template.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def _e(value) -> str:
    return escape(str(value))


def options_html(choices) -> SafeString:
    """``<option>`` elements for ``(value, label, selected)`` triples."""
    return mark_safe(
        "".join(
            f'<option value="{_e(value)}"{" selected" if selected else ""}>{_e(label)}</option>'
            for value, label, selected in choices
        )
    )


def rows_html(rows: list[dict], *, detail_base: str, can_dispatch: bool) -> SafeString:
    """The ``<tr>`` of each queue row (see ``views.staff._rows`` for the keys)."""
    select_label, supervised_label = _e(_("选择工单")), _e(_("督办"))
    base = _e(detail_base)
    out = []
    for t in rows:
        pk, number = int(t["pk"]), _e(t["number"])
        check = ""
        if can_dispatch:
            check = (
                (
                    f'<td><input class="form-check-input" type="checkbox" name="ids" value="{pk}" '
                    f'aria-label="{select_label} {number}"></td>'
                )
                if t["dispatchable"]
                else "<td></td>"
            )
        badges = "".join(
            f' <span class="cf-status cf-flag-{_e(flag)}">{_e(label)}</span>' for flag, label in t["flags"]
        )
        if t["supervised"]:
            badges += f' <span class="cf-status bg-danger-subtle text-danger-emphasis">{supervised_label}</span>'
        out.append(
            f'<tr>{check}<td><a class="fw-semibold font-monospace" href="{base}{pk}/">{number}</a></td>'
            f'<td><span class="cf-status cf-status-{_e(t["status"])}">{_e(t["status_label"])}</span>{badges}</td>'
            f"<td>{_e(_(t['category']))}</td>"  # a shipped category reads in the reader's language
            f'<td class="cf-desc text-truncate" title="{_e(t["description"])}">{_e(t["summary"])}</td>'
            f'<td>{_e(t["lead_unit"] or "—")}</td><td class="text-nowrap small">{_e(t["received"])}</td>'
            f'<td class="text-nowrap small">{_e(t["answer_due"])}</td><td class="small">{_e(t["channel"])}</td></tr>'
        )
    return mark_safe("\n".join(out))
