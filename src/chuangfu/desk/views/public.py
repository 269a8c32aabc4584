"""Public pages of the desk (no account needed): submit a request, look up its status with the
number and mobile, rate the answer; and an entrepreneur's own requests when logged in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chuangfu.core import public_cache
from chuangfu.core.clientip import client_ip
from chuangfu.core.models import Jurisdiction, Role, Unit
from chuangfu.core.web import errors_on

from .. import queue_html, selectors, services
from ..forms import LookupForm, PublicRequestForm, RatingForm
from ..models import NEGATIVE_GRADES, RATEABLE_STATUSES, Status, Ticket
from ..services.notify import attachment_from_token, attachment_token, rating_token, ticket_from_rating_token

DONE_SALT = "desk.done"


def _client_ip(request) -> str:
    return client_ip(request) or "unknown"


def _towns():
    """Towns taking requests; those with active units (ready to handle them) first."""
    has_units = Exists(Unit.objects.filter(jurisdiction=OuterRef("pk"), active=True))
    return (
        Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN, category__active=True)
        .distinct()
        .annotate(ready=has_units)
        .order_by("-ready", "path")
    )


def submit(request):
    towns = _towns()
    town = towns.filter(code=request.GET.get("t")).first() if request.GET.get("t") else None
    account = request.user if request.user.is_authenticated and request.user.role == Role.ENTREPRENEUR else None
    initial = {}
    if account is not None:
        initial = {"requester_name": account.display_name, "requester_mobile": account.mobile}
    data = request.POST if request.method == "POST" else (request.GET if "town" in request.GET else None)
    form = PublicRequestForm(data, request.FILES or None, towns=towns, town=town, initial=initial)
    if request.method == "GET" and data is not None:
        form.errors.clear()  # re-rendered for a new town's categories, not submitted yet
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with errors_on(form) as refusal:
            ticket, _created = services.ticket_submit_public(
                jurisdiction=d["town"],
                category=d["category"],
                description=d["description"],
                requester_name=d["requester_name"],
                requester_mobile=d["requester_mobile"],
                uscc=d["uscc"],
                enterprise_name=d["enterprise_name"],
                files=d["files"],
                idempotency_key=d["idempotency_key"],
                account=account,
                ip=_client_ip(request),
            )
            return redirect("service:done", token=signing.dumps(ticket.number, salt=DONE_SALT))
        status = refusal.status
    if request.method == "POST" and form.errors and status == 200:
        status = 400
    return render(
        request,
        "desk/public/submit.html",
        {"form": form, "single_town": towns.count() == 1, "active": "submit"},
        status=status,
    )


def done(request, token):
    try:
        number = signing.loads(token, salt=DONE_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    ticket = Ticket.objects.filter(number=number).select_related("category").first()
    if ticket is None:
        raise Http404
    return render(request, "desk/public/done.html", {"ticket": ticket})


# The empty form is the same page for every anonymous visitor: served whole from the cache, with the
# visitor's own CSRF token put in (a POST, a signed-in visitor or a message waiting get the view).
@public_cache.anonymous_page("desk-lookup")
def lookup(request):
    form = LookupForm(request.POST or None)
    ticket = None
    status = 200
    if request.method == "POST" and form.is_valid():
        ip, number = _client_ip(request), form.cleaned_data["number"].strip()
        if services.throttle_exceeded(("lookup_fail_ip", ip), ("lookup_fail_number", number)):
            form.add_error(None, _("查询失败次数太多，请稍后再试。"))
            status = 429
        else:
            ticket = selectors.ticket_public_lookup(number=number, mobile=form.cleaned_data["mobile"])
            if ticket is None:
                services.throttle_take("lookup_fail_ip", ip)
                services.throttle_take("lookup_fail_number", number)
                form.add_error(None, _("没有找到与该编号和手机号相符的工单，请核对后重试。"))
    if ticket is not None:
        return render(request, "desk/public/status.html", _status_context(ticket))
    return render(request, "desk/public/lookup.html", {"form": form, "active": "lookup"}, status=status)


def _with_files(events):
    """Each public event with its files as ``(attachment, download token)``."""
    for event in events:
        event.public_files = [(a, attachment_token(a)) for a in event.files]
    return events


def _status_context(ticket: Ticket) -> dict:
    rating = getattr(ticket, "rating", None)
    shown = ticket.merged_into if ticket.status == Status.MERGED and ticket.merged_into else ticket
    merged_events = _with_files(selectors.public_timeline(shown)) if shown is not ticket else []
    return {
        "active": "lookup",
        "ticket": ticket,
        "shown": shown,
        "timeline_html": queue_html.public_timeline_html(_with_files(selectors.public_timeline(ticket))),
        "merged_events": merged_events,
        "merged_timeline_html": queue_html.public_timeline_html(merged_events),
        "rating": rating,
        "rate_token": rating_token(ticket) if ticket.status in RATEABLE_STATUSES and rating is None else "",
    }


def attachment(request, token):
    """A file of a public reply, by the signed link on the status page (valid for a day)."""
    item = selectors.public_attachment(attachment_from_token(token))
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


def rate(request, token):
    number = ticket_from_rating_token(token)
    ticket = Ticket.objects.filter(number=number).select_related("category").first() if number else None
    if ticket is None or ticket.status == Status.MERGED:
        raise Http404
    rating = getattr(ticket, "rating", None)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST" and rating is None and form.is_valid():
        with errors_on(form) as refusal:
            rating, created = services.rating_submit(
                ticket=ticket, grade=form.cleaned_data["grade"], comment=form.cleaned_data["comment"]
            )
            if created and rating.grade in NEGATIVE_GRADES:
                messages.info(request, _("很抱歉没有让您满意。我们已要求承办单位整改，并会回访您。"))
            elif created:
                messages.success(request, _("感谢您的评价！"))
            return redirect("service:rate", token=token)
        if refusal:
            status = refusal.status
    elif request.method == "POST" and form.errors:
        status = 400
    return render(
        request,
        "desk/public/rate.html",
        {
            "ticket": ticket,
            "rating": rating,
            "form": form,
            "rateable": ticket.status in RATEABLE_STATUSES,
        },
        status=status,
    )


@login_required
def mine(request):
    tickets = list(selectors.my_requests(user=request.user)[:200])
    return render(request, "desk/public/mine.html", {"tickets": tickets, "active": "mine"})


@login_required
def mine_detail(request, number):
    ticket = selectors.my_requests(user=request.user).filter(number=number).first()
    if ticket is None:
        raise Http404
    return render(request, "desk/public/status.html", {**_status_context(ticket), "from_mine": True, "active": "mine"})
