"""The public side: upcoming activities (list and month calendar), a detail page, registration
(account, or name + mobile proven by an SMS code), the ticket with its QR code and .ics,
cancelling, accepting an offered seat, and rating afterwards."""

import calendar
import datetime
import io

import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.web import errors_on, refused_with
from chuangfu.registry.models import Enterprise

from .. import selectors
from ..forms import FeedbackForm, PublicRegistrationForm
from ..models import ActivityStatus, Feedback, RegistrationStatus
from ..services import activities as activity_services
from ..services import feedback as feedback_services
from ..services import registrations, verification
from ..services._common import clean_mobile, clean_uscc
from ._common import parse_int, parse_month, prove_mobile, this_month


def _public_or_404(pk):
    return activity_services.activity_advance_if_due(selectors.get_public_activity(pk))


def activity_list(request):
    view = "calendar" if request.GET.get("view") == "calendar" else "list"
    month = parse_month(request.GET.get("month", ""))
    if view == "calendar" and month is None:
        month = this_month()
    filters = selectors.PublicFilters(
        town=parse_int(request.GET.get("town")),
        type=parse_int(request.GET.get("type")),
        carrier=parse_int(request.GET.get("carrier")),
        month=month,
    )
    activities = list(selectors.public_activities(filters)[:500])
    context = {"activities": activities, "view": view, "filters": filters, **selectors.public_filter_choices()}
    if view == "calendar":
        context.update(_calendar(month, activities))
    return render(request, "activities/public/list.html", context)


def _calendar(month: datetime.date, activities) -> dict:
    by_day: dict[datetime.date, list] = {}
    for activity in activities:
        by_day.setdefault(timezone.localdate(activity.starts_at), []).append(activity)
    weeks = [
        [{"date": day, "in_month": day.month == month.month, "activities": by_day.get(day, [])} for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    weekdays = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
    return {
        "weeks": weeks,
        "weekdays": weekdays,
        "month": month,
        "previous_month": previous,
        "next_month": following,
        "today": timezone.localdate(),
    }


def activity_detail(request, pk):
    activity = _public_or_404(pk)
    taken = selectors.seats_taken(activity)
    now = timezone.now()
    return render(
        request,
        "activities/public/detail.html",
        {
            "activity": activity,
            "seats_left": max(activity.capacity - taken, 0),
            "entry_count": activity.entries.count() if activity.type.is_competition else 0,
            "window_open": activity.status in (ActivityStatus.PUBLISHED, ActivityStatus.REGISTRATION_OPEN)
            and activity.registration_opens_at <= now < activity.registration_closes_at,
            "not_yet_open": now < activity.registration_opens_at,
        },
    )


def register(request, pk):
    activity = _public_or_404(pk)
    user = request.user if request.user.is_authenticated else None
    own_enterprise = getattr(user, "enterprise", None) if user else None
    initial = (
        {
            "name": user.display_name,
            "mobile": user.mobile,
            "enterprise_name": getattr(own_enterprise, "name", ""),
            "enterprise_uscc": getattr(own_enterprise, "uscc", ""),
        }
        if user
        else {}
    )
    form = PublicRegistrationForm(
        request.POST or None, activity=activity, questions=activity.questions.all(), initial=initial
    )
    existing_key = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form) as refusal:
            mobile = clean_mobile(data["mobile"])
            prove_mobile(request, mobile, data.get("sms_code", ""))
            enterprise = None
            if data.get("enterprise_uscc"):
                enterprise = Enterprise.objects.filter(uscc=clean_uscc(data["enterprise_uscc"])).first()
            registration = registrations.registration_create(
                activity=activity,
                name=data["name"],
                mobile=mobile,
                user=user,
                actor=user,
                enterprise=enterprise,
                enterprise_name=data.get("enterprise_name", ""),
                answers=form.answers(),
            )
            return redirect("events:ticket", registration.manage_key)
        if refusal.code == "duplicate_registration":
            existing_key = refusal.details.get("manage_key", "")
    return render(
        request,
        "activities/public/register.html",
        {
            "activity": activity,
            "form": form,
            "existing_key": existing_key,
            "needs_code": not (user and user.mobile and user.mobile_verified_at),
        },
    )


def _code_refused(request, exc):
    return render(request, "activities/public/_code_status.html", {"error": exc.message})


@require_POST
@refused_with(_code_refused)
def send_code(request):
    """htmx: send an SMS code to the mobile typed in the registration form."""
    verification.mobile_code_send(mobile=request.POST.get("mobile", ""))
    return render(request, "activities/public/_code_status.html", {"sent": True})


def _registration_or_404(key):
    return selectors.get_registration_by_key(key)


def ticket(request, key):
    registration = _registration_or_404(key)
    activity = activity_services.activity_advance_if_due(registration.activity)
    if registrations.registration_expire_offers(activity=activity):
        registration.refresh_from_db()
    registration.activity = activity
    now = timezone.now()
    return render(
        request,
        "activities/public/ticket.html",
        {
            "registration": registration,
            "activity": activity,
            "rank": selectors.waitlist_rank(registration),
            "can_cancel": registration.is_active
            and not registration.checked_in_at
            and activity.status in registrations.OFFERING_STATUSES,
            "can_rate": registration.checked_in_at is not None
            and (activity.status in feedback_services.RATEABLE_STATUSES or now >= activity.ends_at),
            "feedback": Feedback.objects.filter(registration=registration).first(),
            "show_qr": registration.status == RegistrationStatus.CONFIRMED
            and activity.status != ActivityStatus.CANCELLED,
        },
    )


def ticket_qr(request, key):
    """The QR image: it encodes the opaque check-in token and nothing else."""
    registration = _registration_or_404(key)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise Http404()
    image = qrcode.make(registration.qr_token, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


def _ics_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _ics_fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def ticket_ics(request, key):
    registration = _registration_or_404(key)
    activity = registration.activity
    stamp = "%Y%m%dT%H%M%SZ"
    utc = datetime.UTC
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Chuangfu//Activities//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{registration.manage_key}@chuangfu",
        f"DTSTAMP:{timezone.now().astimezone(utc).strftime(stamp)}",
        f"DTSTART:{activity.starts_at.astimezone(utc).strftime(stamp)}",
        f"DTEND:{activity.ends_at.astimezone(utc).strftime(stamp)}",
        f"SUMMARY:{_ics_text(activity.title)}",
        f"LOCATION:{_ics_text(activity.place_display)}",
        f"DESCRIPTION:{_ics_text(activity.description)}",
        f"URL:{request.build_absolute_uri(request.path.rsplit('event.ics', 1)[0])}",
        "STATUS:CANCELLED" if activity.status == ActivityStatus.CANCELLED else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    body = "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="activity.ics"'
    return response


@require_POST
def ticket_cancel(request, key):
    registration = _registration_or_404(key)
    was_waiting = registration.status == RegistrationStatus.WAITLISTED
    registrations.registration_cancel(
        registration=registration, actor=request.user if request.user.is_authenticated else None
    )
    messages.success(request, _("您已退出候补名单。") if was_waiting else _("报名已取消。"))
    return redirect("events:ticket", key)


@require_POST
def ticket_accept(request, key):
    registration = _registration_or_404(key)
    registrations.registration_accept_offer(registration=registration)
    messages.success(request, _("名额已确认，请凭电子票二维码签到。"))
    return redirect("events:ticket", key)


def feedback(request, key):
    registration = _registration_or_404(key)
    existing = Feedback.objects.filter(registration=registration).first()
    form = FeedbackForm(request.POST or None)
    if existing is None and request.method == "POST" and form.is_valid():
        with errors_on(form) as refusal:
            existing = feedback_services.feedback_submit(
                registration=registration, grade=form.cleaned_data["grade"], comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("感谢您的评价！"))
            return redirect("events:feedback", key)
        if refusal.code == "already_rated":
            existing = Feedback.objects.filter(registration=registration).first()
    return render(
        request,
        "activities/public/feedback.html",
        {
            "registration": registration,
            "activity": registration.activity,
            "form": form,
            "existing": existing,
        },
    )


@login_required
def my_registrations(request):
    return render(
        request, "activities/public/mine.html", {"registrations": selectors.registrations_of_user(request.user)}
    )
