"""The ledger's rows as HTML, built in Python with ``html.escape`` rather than a template loop.

The office's ledger is the app's busiest page (the ``ledger`` benchmark): 50 rows through the
template engine cost most of its CPU (decision 12 found the same for the desk's queue). The page's
structure stays in ``templates/governance/ledger/list.html``; only the rows and the filter options
are built here, every value escaped."""

from html import escape

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import TaskStatus

STATUS_CLASS = {
    "closed": "text-bg-success",
    "pending_close": "text-bg-info",
    "suspended": "text-bg-secondary",
    "postponed": "text-bg-warning",
    "in_progress": "text-bg-primary",
}


def progress_bar(value: int) -> str:
    done = " bg-success" if value == 100 else ""
    return (
        f'<div class="progress" role="progressbar" aria-valuenow="{value}" aria-valuemin="0" aria-valuemax="100"'
        f' style="min-width:4rem;height:1.1rem"><div class="progress-bar{done}" style="width: {value}%">{value}%</div></div>'
    )


def rows(tasks) -> str:
    """``<tr>`` for each ``selectors.LedgerRow``."""
    if not tasks:
        return f'<tr><td colspan="5" class="text-muted">{escape(_("没有符合条件的任务。"))}</td></tr>'
    overdue = f' <span class="badge text-bg-danger">{escape(_("逾期"))}</span>'
    supervised = f' <span class="badge text-bg-warning">{escape(_("督办中"))}</span>'
    base = reverse("governance:task", args=[0])[:-2]
    labels = {code: escape(str(label)) for code, label in TaskStatus.choices}
    out = []
    for t in tasks:
        badges = (overdue if t.overdue else "") + (supervised if t.supervised else "")
        status = STATUS_CLASS.get(t.status, "text-bg-light border")
        out.append(
            f'<tr><td><a href="{base}{t.pk}/">{escape(t.title)}</a>'
            f'<div class="small text-muted">{escape(t.plan)}</div></td>'
            f"<td>{escape(t.lead_unit)}</td>"
            f'<td class="text-nowrap">{t.due_on:%Y-%m-%d}{badges}</td>'
            f'<td style="min-width:7rem">{progress_bar(t.progress)}</td>'
            f'<td><span class="badge {status}">{labels.get(t.status, t.status)}</span></td></tr>'
        )
    return "".join(out)


def options(choices, selected) -> str:
    """``<option>``s for ``(value, label)`` pairs, the selected one marked."""
    out = []
    for value, label in choices:
        mark = " selected" if str(value) == str(selected) else ""
        out.append(f'<option value="{escape(str(value))}"{mark}>{escape(str(label))}</option>')
    return "".join(out)
