"""The busiest pages' repeated markup, built in Python: the staff queue's table rows, filter
options and tabs, and the public status page's timeline.

The queue is the busiest staff page: twenty rows of a dozen values, four option lists and the
tabs (drawn with the page, then again with their counts by htmx). The
template engine spent more time on those loops than the page's queries take, and so does
``format_html`` (desk-queue benchmark), so they are built here with f-strings and the standard
library's ``html.escape`` on every value; the templates keep the page's structure. Change this
markup here, not in the template. (The status lookup is the busiest public page; its timeline
through ``desk/_timeline.html`` cost 0.14 ms an event, desk-queue benchmark, decisions.md 34.)
"""

from html import escape

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .timeline_text import shown


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
    """The ``<tr>`` of each queue row (see ``views.staff._rows`` for the keys; ``received`` and
    ``answer_due`` are dates formatted there, digits and separators only, so not escaped again)."""
    select_label, supervised_label = _e(_("选择工单")), _e(_("督办"))
    base = _e(detail_base)
    categories: dict[str, str] = {}  # a page shows a few categories twenty times: translate each once
    out = []
    for t in rows:
        category = categories.get(t["category"])
        if category is None:
            category = categories[t["category"]] = _e(_(t["category"]))  # a shipped category in the reader's language
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
            f"<td>{category}</td>"
            f'<td class="cf-desc text-truncate" title="{_e(t["description"])}">{_e(t["summary"])}</td>'
            f'<td>{_e(t["lead_unit"] or "—")}</td><td class="text-nowrap small">{t["received"]}</td>'
            f'<td class="text-nowrap small">{t["answer_due"]}</td><td class="small">{_e(t["channel"])}</td></tr>'
        )
    return mark_safe("\n".join(out))


_BADGES = {"overdue": "text-bg-danger", "due_soon": "text-bg-warning", "new": "text-bg-primary"}


def tabs_html(tabs: list[dict], *, current: str, queue_query: str) -> SafeString:
    """The queue tabs' ``<li>`` (see ``views.staff``: ``code``, ``label``, and with the counts
    ``hint``, ``count`` and ``shown``); a tab with a count other than 0 gets its colour."""
    extra = f"&amp;{_e(queue_query)}" if queue_query else ""
    out = []
    for tab in tabs:
        code, hint, count = tab["code"], tab.get("hint"), tab.get("count")
        active = " active" if code == current else ""
        title = f' title="{_e(hint)}"' if hint else ""
        badge = ""
        if count is not None:
            tone = _BADGES.get(code, "text-bg-light") if count else "text-bg-light"
            badge = f' <span class="badge {tone}">{_e(tab["shown"])}</span>'
        hidden = f'<span class="visually-hidden">（{_e(hint)}）</span>' if hint else ""
        out.append(
            f'  <li class="nav-item"><a class="nav-link{active}" href="?queue={_e(code)}{extra}"{title}>'
            f"{_e(tab['label'])}{badge}{hidden}</a></li>"
        )
    return mark_safe("\n".join(out))


def public_timeline_html(events) -> SafeString:
    """The ``<li>`` of each public step the requester sees (``selectors.PublicStep`` with its
    ``public_files`` as ``(file, download token)``), oldest first; a word when there is none."""
    if not events:
        return mark_safe(f'<li class="text-muted">{_e(_("暂无记录。"))}</li>')
    files_label = _e(_("附件"))
    out = []
    for e in events:
        note = f'\n    <div class="cf-note">{_e(shown(e.public_note))}</div>' if e.public_note else ""
        files = "".join(
            f'<div class="small"><span class="text-muted">{files_label}</span> '
            f'<a href="{_e(reverse("service:attachment", args=[token]))}">{_e(a.original_name)}</a> '
            f'<span class="text-muted">{_e(filesizeformat(a.size))}</span></div>'
            for a, token in e.public_files
        )
        out.append(
            f'  <li>\n    <div class="d-flex flex-wrap gap-2 align-items-baseline">\n'
            f"      <strong>{_e(shown(e.label))}</strong>\n"
            f'      <small class="text-muted">{timezone.localtime(e.at):%Y-%m-%d %H:%M}</small>\n'
            f"    </div>{note}\n    {files}\n  </li>"
        )
    return mark_safe("\n".join(out))
