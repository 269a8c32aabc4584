from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from huey.contrib.djhuey import HUEY

from .. import workdays
from ..calendar_entry import can_enter_calendar
from ..homepanels import panels_for
from ..models import Job, Role


@login_required
def home(request):
    """The "my work" page: what needs this user's attention now. Apps add panels as they land."""
    return render(
        request,
        "core/home.html",
        {
            "title": gettext("我的主页") if request.user.role == Role.ENTREPRENEUR else gettext("我的工作"),
            "panels": panels_for(request.user),
            # only to those who can enter them, with the link that does it
            "uncovered_years": workdays.uncovered_years() if can_enter_calendar(request.user) else [],
            "recent_jobs": Job.objects.filter(created_by=request.user)[:5],
        },
    )


@never_cache
def healthz(request):
    """Liveness and readiness for operators: database, queue and working-day calendar.

    503 when the database or the queue cannot be reached; 200 with ``"status": "warning"``
    when this or next year's holidays are not entered yet (deadlines still work, on Mon–Fri).
    """
    status = {"status": "ok", "time": timezone.now().isoformat()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # reported, not raised: this page must answer when things are broken
        status["database"] = {"ok": False, "vendor": connection.vendor, "error": str(exc)}
        status["status"] = "error"
    status["queue"] = _queue_status()
    if not status["queue"]["ok"]:
        status["status"] = "error"
    if status["database"]["ok"]:
        status["calendar"] = _calendar_status()
        if not status["calendar"]["ok"] and status["status"] == "ok":
            status["status"] = "warning"
    return JsonResponse(
        status, status=503 if status["status"] == "error" else 200, json_dumps_params={"ensure_ascii": False}
    )


def _calendar_status() -> dict:
    this_year = timezone.localdate().year
    missing = workdays.uncovered_years((this_year, this_year + 1))
    warning = ""
    if missing:
        warning = gettext("%(years)s 年节假日安排未录入，截止日期暂按周一至周五计算；请管理员录入。") % {
            "years": "、".join(str(y) for y in missing)
        }
    return {"ok": not missing, "uncovered_years": missing, "warning": warning}


def _queue_status() -> dict:
    try:
        pending = HUEY.pending_count()
        return {"ok": True, "backend": type(HUEY).__name__, "pending": pending, "immediate": HUEY.immediate}
    except Exception as exc:
        return {"ok": False, "backend": type(HUEY).__name__, "error": str(exc)}


@login_required
def notification_list(request):
    notifications = request.user.notifications.all()[:100]
    response = render(request, "core/notifications.html", {"notifications": notifications})
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return response
