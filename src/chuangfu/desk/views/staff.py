"""Staff pages of the desk: queues, ticket detail and transitions, staff intake, figures.

Thin: parse, call one selector or service, render. Anything outside the user's scope is a 404.
"""

import functools
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core import versions
from chuangfu.core.audit import log_action
from chuangfu.core.bounds import page_number
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError
from chuangfu.core.identifiers import validate_id_number, validate_mobile, validate_uscc
from chuangfu.core.models import FULL_PERSONAL_DATA_ROLES, Role, Unit
from chuangfu.core.scoping import is_village_account, scope_by_jurisdiction
from chuangfu.core.web import errors_on

from .. import deadlines, exporters, figures, queue_html, selectors, services
from ..forms import FiguresForm, QueueFilterForm, StaffRequestForm, TransitionForm
from ..models import OPEN_STATUSES, Channel, Status
from ..workflows import CAUTION, TICKET

PER_PAGE = 20
ROW_FIELDS = (
    "pk",
    "number",
    "status",
    "supervised",
    "category__name",
    "description",
    "lead_unit__name",
    "received_at",
    "accept_due",
    "answer_due",
    "channel",
    "revisit_due",
)


def desk_view(view):
    """Logged in, a desk role, and every NotFound a plain 404."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.can_use_desk(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _desk_staff_only(user) -> None:
    if not (user.is_superuser or user.role == Role.DESK_STAFF):
        raise Http404


def _decorate(tickets) -> list:
    today = deadlines.today()
    limit = deadlines.soon_limit(today)
    for ticket in tickets:
        ticket.flag = deadlines.flag(ticket, today, limit)
        ticket.flag_label = deadlines.FLAG_LABELS.get(ticket.flag, "")
    return tickets


@functools.lru_cache(maxsize=16)
def _labels(language: str) -> tuple[dict, dict, dict]:
    """The statuses', channels' and deadline flags' labels in ``language`` (the active one), worked
    out once per process: translating them afresh was a tenth of the queue page's time."""
    return (
        {code: str(label) for code, label in Status.choices},
        {code: str(label) for code, label in Channel.choices},
        {code: str(label) for code, label in deadlines.FLAG_LABELS.items()},
    )


def _rows(values) -> list[dict]:
    """What a queue row shows, from plain values (no model instances: the queue is the busiest page)."""
    today = deadlines.today()
    limit = deadlines.soon_limit(today)
    labels, channels, flags = _labels(get_language())
    rows = []
    for v in values:
        flag = deadlines.flag(SimpleNamespace(**v), today, limit)
        text = " ".join(v["description"].split())
        rows.append(
            {
                "pk": v["pk"],
                "number": v["number"],
                "status": v["status"],
                "status_label": labels.get(v["status"], v["status"]),
                "flags": [(flag, flags[flag])] if flag else [],
                "supervised": v["supervised"] and v["status"] in OPEN_STATUSES,
                "category": v["category__name"],
                "description": v["description"],
                "summary": text if len(text) <= 60 else text[:60] + "…",
                "lead_unit": v["lead_unit__name"] or "",
                "received": timezone.localtime(v["received_at"]).strftime("%Y-%m-%d %H:%M"),
                "answer_due": v["answer_due"].isoformat(),
                "channel": channels.get(v["channel"], v["channel"]),
                "dispatchable": v["status"] in (Status.RECEIVED, Status.RETURNED),
            }
        )
    return rows


def _filter_options(request, units, categories) -> dict:
    """``<option>`` elements of the filter bar (built in Python: see ``queue_html``).
    ``units`` are ``(id, name)``, ``categories`` ``(id, name, town name)``."""

    def options(name, pairs):
        current = request.GET.get(name, "")
        return queue_html.options_html((str(value), str(label), str(value) == current) for value, label in pairs)

    several_towns = len({town for _, _, town in categories}) > 1
    statuses, channels, _flags = _labels(get_language())
    return {
        "status": options("status", statuses.items()),
        "unit": options("unit", units),
        "category": options(
            "category",
            [(pk, f"{town} · {gettext(name)}" if several_towns else gettext(name)) for pk, name, town in categories],
        ),
        "channel": options("channel", channels.items()),
    }


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- queues ------------------------------------------------------------------------------------


@desk_view
def queue(request):
    actor = request.user
    if request.GET.get("counts") == "1":
        return _queue_tabs(request)
    filters = {}
    if request.GET:
        filters = QueueFilterForm(
            request.GET,
            units=selectors.unit_choices(actor=actor),
            categories=selectors.category_choices(actor=actor),
        ).filters()
    current = filters.get("queue") or selectors.DEFAULT_QUEUE
    page = page_number(request.GET.get("page"))
    if set(filters) <= {"queue"}:  # a queue as it stands: its kept statement
        rows = selectors.queue_page(
            actor=actor, queue=current, fields=ROW_FIELDS, offset=(page - 1) * PER_PAGE, limit=PER_PAGE + 1
        )
    else:
        tickets = selectors.ticket_list(actor=actor, filters=filters).values(*ROW_FIELDS)
        rows = list(tickets[(page - 1) * PER_PAGE : page * PER_PAGE + 1])
    units, categories = selectors.queue_choices(actor=actor)
    queue_query = _query_without(request, "page", "queue", "counts")
    can_dispatch = actor.is_superuser or (actor.role == Role.DESK_STAFF and not is_village_account(actor))
    detail_base = reverse("desk:queue") + "tickets/"
    context = {
        "f": {name: request.GET.get(name, "") for name in QueueFilterForm.base_fields},
        # An unfiltered queue's filter bar is kept per reader, queue and language under the desk's
        # counter (queue.html): its options are built only when it is drawn. A filtered or searched
        # one is drawn each time, so what a clerk typed (an ID number) is never kept in the cache.
        "filters_key": (
            f"{get_language()}:{actor.pk}:{versions.current(selectors.COUNTS_VERSION)}:{request.GET.urlencode()}"
            if set(request.GET) <= {"queue", "page"}
            else ""
        ),
        "options": SimpleLazyObject(lambda: _filter_options(request, units, categories)),
        "rows_html": queue_html.rows_html(_rows(rows[:PER_PAGE]), detail_base=detail_base, can_dispatch=can_dispatch),
        "has_rows": bool(rows),
        "page": page,
        "has_next": len(rows) > PER_PAGE,
        "tabs_html": queue_html.tabs_html(
            [{"code": q.code, "label": q.label} for q in selectors.queues_for(actor)],
            current=current,
            queue_query=queue_query,
        ),
        "current_queue": current,
        "query": _query_without(request, "page"),
        "queue_query": queue_query,
        "can_dispatch": can_dispatch,
        "unit_options": queue_html.options_html((pk, name, False) for pk, name in units),
        "drill_down": bool(filters.get("metric")),
    }
    if request.htmx and request.htmx.target == "queue-results":
        return render(request, "desk/_queue_results.html", context)
    return render(request, "desk/queue.html", context)


def _queue_tabs(request):
    """The queue tabs with their counts (loaded by htmx after the list, counting at most 999+)."""
    actor = request.user
    queues = selectors.queues_for(actor)
    counts = selectors.queue_counts(
        actor=actor, codes=[q.code for q in queues if q.code != "all"], cap=selectors.COUNT_CAP
    )
    tabs = [
        {
            "code": q.code,
            "label": q.label,
            "hint": q.hint,
            "count": counts.get(q.code),
            "shown": f"{selectors.COUNT_CAP}+" if counts.get(q.code, 0) > selectors.COUNT_CAP else counts.get(q.code),
        }
        for q in queues
    ]
    current = request.GET.get("queue") or selectors.DEFAULT_QUEUE
    queue_query = _query_without(request, "page", "queue", "counts")
    # A fragment with nothing of the request in it: without the context processors (the menu, the
    # unread count), which every clerk's queue load paid a second time here (decisions.md 34).
    html = render_to_string(
        "desk/_queue_tabs.html", {"tabs_html": queue_html.tabs_html(tabs, current=current, queue_query=queue_query)}
    )
    return HttpResponse(html)


@desk_view
def export(request):
    """The filtered list as .xlsx (personal data masked); a long list becomes a background job."""
    actor = request.user
    form = QueueFilterForm(
        request.GET or None,
        units=selectors.unit_choices(actor=actor),
        categories=selectors.category_choices(actor=actor),
    )
    qs = selectors.ticket_list(actor=actor, filters=form.filters() if request.GET else {})
    log_action(actor=actor, action="desk.ticket.exported", note=request.GET.urlencode())
    if qs.order_by()[: exporters.DIRECT_EXPORT_LIMIT + 1].count() <= exporters.DIRECT_EXPORT_LIMIT:
        return exporters.TicketExporter().response(qs, filename=_("咨询工单"))
    job = exporters.export_start(actor=actor, query=request.GET.urlencode())
    return redirect("core:export_status", job.pk)


@desk_view
@require_POST
def bulk_dispatch(request):
    actor = request.user
    _desk_staff_only(actor)
    back = reverse("desk:queue") + ("?" + request.POST.get("back", "") if request.POST.get("back") else "")
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
    unit = selectors.unit_choices(actor=actor).filter(pk=request.POST.get("unit") or 0).first()
    if not ids:
        messages.error(request, _("请先勾选要派单的工单。"))
        return redirect(back)
    if unit is None:
        messages.error(request, _("请选择主办单位。"))
        return redirect(back)
    tickets = list(selectors.tickets_for(actor).filter(pk__in=ids).select_related("category"))
    done, failed = services.ticket_dispatch_bulk(tickets=tickets, actor=actor, unit=unit)
    missing = len(set(ids)) - len(tickets)
    if done:
        messages.success(request, _("已将 %(n)d 张工单派至 %(u)s。") % {"n": len(done), "u": unit.name})
    for ticket, reason in failed:
        messages.error(request, _("工单 %(n)s 未派单：%(r)s") % {"n": ticket.number, "r": reason})
    if missing:
        messages.error(request, _("%(n)d 张工单不存在或不在您的范围内。") % {"n": missing})
    return redirect(back)


# --- one ticket --------------------------------------------------------------------------------


def _town_units(ticket):
    return Unit.objects.filter(jurisdiction_id=ticket.jurisdiction_id, active=True)


def _detail_context(request, ticket, bound: TransitionForm | None = None) -> dict:
    actor = request.user
    actions = []
    for t in TICKET.available(ticket, actor):
        form = (
            bound
            if bound is not None and bound.transition.name == t.name
            else TransitionForm(
                transition=t,
                units=_town_units(ticket),
                prefix=t.name,
                initial={"unit": ticket.suggested_unit_id} if t.name == "dispatch" else None,
            )
        )
        actions.append({"t": t, "form": form, "caution": t.name in CAUTION, "open": form is bound})
    _decorate([ticket])
    rating = getattr(ticket, "rating", None)
    shown = any(a["open"] for a in actions)
    return {
        "refusal": bound.non_field_errors() if bound is not None and not shown else [],
        "ticket": ticket,
        "actions": actions,
        "events": selectors.timeline(ticket=ticket, include_internal=True),
        "assignments": selectors.assignments(ticket=ticket),
        "attachments": list(
            ticket.attachments.filter(event__isnull=True)
        ),  # the request's own; replies' in the timeline
        "rating": rating,
        "rectification": getattr(ticket, "rectification", None),
        "merged": list(ticket.merged_tickets.all()),
        "origin": selectors.ticket_origin(ticket),
        "can_reveal": actor.is_superuser or actor.role in FULL_PERSONAL_DATA_ROLES,
        "status_label": TICKET.label(ticket.status),
    }


@desk_view
def ticket_detail(request, pk):
    ticket = selectors.get_ticket_for(request.user, pk)
    return render(request, "desk/ticket_detail.html", _detail_context(request, ticket))


@desk_view
@require_POST
def ticket_act(request, pk, name):
    actor = request.user
    ticket = selectors.get_ticket_for(actor, pk)
    try:
        transition = TICKET.transition(name)
    except DomainError:
        raise Http404 from None
    form = TransitionForm(request.POST, request.FILES, transition=transition, units=_town_units(ticket), prefix=name)
    if form.is_valid():
        data = form.cleaned_data
        inputs = {
            "unit": data.get("unit"),
            "co_units": list(data.get("co_units") or []),
            "days": data.get("days"),
            "outcome": data.get("outcome"),
            "files": data.get("files") or [],
        }
        if "target_number" in form.fields:
            inputs["target"] = selectors.get_ticket_by_number_for(actor, data.get("target_number"))
        with errors_on(form):
            services.ticket_transition(ticket=ticket, actor=actor, name=name, note=data.get("note", ""), inputs=inputs)
            messages.success(request, _("已完成“%(action)s”。") % {"action": transition.label})
            return redirect("desk:ticket_detail", pk=ticket.pk)
    ticket = selectors.get_ticket_for(actor, pk)
    response = render(request, "desk/ticket_detail.html", _detail_context(request, ticket, bound=form))
    response.status_code = 400
    return response


@desk_view
@require_POST
def reveal_mobile(request, pk):
    actor = request.user
    ticket = selectors.get_ticket_for(actor, pk)
    if not (actor.is_superuser or actor.role in FULL_PERSONAL_DATA_ROLES):
        raise Http404
    log_action(actor=actor, action="desk.ticket.mobile_viewed", obj=ticket, note=_("查看完整手机号"))
    return HttpResponse(f'<span class="cf-masked">{ticket.requester_mobile}</span>')


@desk_view
def attachment(request, pk, attachment_id):
    ticket = selectors.get_ticket_for(request.user, pk)
    item = ticket.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


# --- staff intake -------------------------------------------------------------------------------


@desk_view
def intake(request):
    actor = request.user
    _desk_staff_only(actor)
    categories = selectors.category_choices(actor=actor)
    form = StaffRequestForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from chuangfu.registry.models import Enterprise, Person

        person = scope_by_jurisdiction(Person.objects.all(), actor).filter(pk=data.get("person_id") or 0).first()
        enterprise = (
            scope_by_jurisdiction(Enterprise.objects.all(), actor).filter(pk=data.get("enterprise_id") or 0).first()
        )
        with errors_on(form):
            ticket, created = services.ticket_record_by_staff(
                actor=actor,
                category=data["category"],
                channel=data["channel"],
                description=data["description"],
                requester_name=data["requester_name"],
                requester_mobile=data["requester_mobile"],
                uscc=data["uscc"],
                enterprise_name=data["enterprise_name"],
                hotline_order_no=data["hotline_order_no"],
                person=person,
                enterprise=enterprise,
                id_number=data["id_number"],
                files=data["files"],
                idempotency_key=data["idempotency_key"],
            )
            if created:
                messages.success(request, _("已登记工单 %(n)s。") % {"n": ticket.number})
            else:
                messages.info(request, _("这是一次重复提交，已打开原工单 %(n)s。") % {"n": ticket.number})
            return redirect("desk:ticket_detail", pk=ticket.pk)
    return render(request, "desk/intake.html", {"form": form}, status=400 if form.errors else 200)


@desk_view
@require_POST
def intake_suggest(request):
    """Registry records and earlier tickets matching the mobile, ID number or USCC being typed.

    POST (htmx), never GET: the values are personal identifiers, and a query string ends up in
    access logs."""
    actor = request.user
    _desk_staff_only(actor)
    from chuangfu.registry.models import Enterprise, Person

    people = scope_by_jurisdiction(Person.objects.all(), actor)
    enterprises = scope_by_jurisdiction(Enterprise.objects.all(), actor)
    found_people, found_enterprises, earlier = [], [], []
    for value, validate in (
        (request.POST.get("requester_mobile"), validate_mobile),
        (request.POST.get("id_number"), validate_id_number),
    ):
        try:
            clean = validate(value)
        except ValidationError:
            continue
        field = "mobile_hash" if validate is validate_mobile else "id_number_hash"
        found_people += list(people.filter(**{field: lookup_hash(clean)})[:5])
        if validate is validate_mobile:
            earlier = list(
                selectors.tickets_for(actor)
                .filter(requester_mobile_hash=lookup_hash(clean))
                .select_related("category")[:5]
            )
    try:
        found_enterprises = list(enterprises.filter(uscc=validate_uscc(request.POST.get("uscc")))[:3])
    except ValidationError:
        pass
    found_people = list({p.pk: p for p in found_people}.values())
    return render(
        request,
        "desk/_intake_suggest.html",
        {
            "people": found_people,
            "enterprises": found_enterprises,
            "earlier": earlier,
            "has_id_number": bool(request.POST.get("id_number")),
            "has_uscc": bool(request.POST.get("uscc")),
        },
    )


# --- figures ----------------------------------------------------------------------------------


@desk_view
def figures_dashboard(request):
    actor = request.user
    metrics = selectors.metric_definitions()
    form = FiguresForm(request.GET or None, dimensions=figures.DIMENSIONS, metrics=metrics)
    data = form.cleaned_data if form.is_valid() else {}
    by = data.get("by") or "unit"
    base = selectors.tickets_for(actor)
    if data.get("date_from"):
        base = base.filter(received_on__gte=data["date_from"])
    if data.get("date_to"):
        base = base.filter(received_on__lte=data["date_to"])
    rows, total = figures.compute(base=base, by=by, metrics=metrics)
    chart_metric = next((m for m in metrics if m.code == data.get("chart")), metrics[0] if metrics else None)

    def drill(metric, part, key):
        query = {"queue": "all", "metric": metric.code, "part": part, "by": by, "key": key}
        if data.get("date_from"):
            query["date_from"] = data["date_from"].isoformat()
        if data.get("date_to"):
            query["date_to"] = data["date_to"].isoformat()
        return reverse("desk:queue") + "?" + urlencode(query)

    table = [
        {
            "row": row,
            "cells": [(m, row.cells.get(m.code), drill(m, "num", row.key), drill(m, "den", row.key)) for m in metrics],
        }
        for row in [*rows, total]
    ]
    chart = None
    if chart_metric is not None:
        chart = {
            "title": chart_metric.display_name,
            "unit": "%" if chart_metric.kind == chart_metric.Kind.RATIO else _("个工作日"),
            "labels": [r.label for r in rows],
            "values": [
                round(r.cells[chart_metric.code].value, 1)
                if r.cells.get(chart_metric.code) and r.cells[chart_metric.code].value is not None
                else None
                for r in rows
            ],
            "links": [drill(chart_metric, "num", r.key) for r in rows],
        }
    return render(
        request,
        "desk/figures.html",
        {
            "form": form,
            "metrics": metrics,
            "table": table,
            "total": total,
            "by": by,
            "dimension_label": figures.DIMENSIONS[by],
            "chart": chart,
        },
    )
