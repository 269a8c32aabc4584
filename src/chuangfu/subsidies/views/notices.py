"""公示 pages: for staff the batches (gather, publish, objections, finalise, export); for everyone
the notices in their period, mobile-friendly, with a form to object. Thin: parse, call a service
or selector, render. Another town's batch is a 404; refusals are shown where they belong."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.clientip import client_ip
from chuangfu.core.errors import DomainError
from chuangfu.core.models import STAFF_ROLES, Role
from chuangfu.core.web import errors_on

from .. import selectors
from ..exporters import NoticeExporter
from ..forms import NoticeBatchForm, ObjectionForm, ResolveForm
from ..models import EntryOutcome, NoticeStatus
from ..services import notices


def staff_view(view):
    """Staff only; anything outside the actor's scope (``NotFound``) is a plain 404."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.role in STAFF_ROLES):
            raise Http404()
        return view(request, *args, **kwargs)

    return wrapped


def _is_reviewer(user) -> bool:
    return user.is_superuser or user.role == Role.REVIEWER


@staff_view
def batch_list(request):
    return render(
        request,
        "subsidies/notices/list.html",
        {
            "batches": selectors.notice_batches(actor=request.user)[:200],
            "candidates": selectors.notice_candidates(actor=request.user).count(),
            "can_manage": _is_reviewer(request.user),
        },
    )


@staff_view
def batch_create(request):
    candidates = selectors.notice_candidates(actor=request.user)
    form = NoticeBatchForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            with errors_on(form) as refusal:
                batch = notices.notice_batch_create(
                    actor=request.user, title=d["title"], days=d["days"], applications=list(d["applications"])
                )
                messages.success(request, _("已生成公示批次 %(number)s，请核对后发布。") % {"number": batch.number})
                return redirect("notices:batch_detail", batch.pk)
            if refusal:
                status = refusal.status
        status = status if status != 200 else 400
    return render(request, "subsidies/notices/create.html", {"form": form}, status=status)


@staff_view
def batch_detail(request, pk):
    batch = selectors.get_notice_batch_for(request.user, pk)
    entries = list(selectors.notice_entries(batch))
    pending = [e for e in entries if e.outcome == EntryOutcome.PENDING]
    return render(
        request,
        "subsidies/notices/detail.html",
        {
            "batch": batch,
            "entries": entries,
            "objections": selectors.batch_objections(batch),
            "can_manage": _is_reviewer(request.user),
            "record_form": ObjectionForm(prefix="record", entries=batch.entries.filter(outcome=EntryOutcome.PENDING)),
            "resolve_form": ResolveForm(prefix="resolve"),
            "pending": pending,
            "published": batch.status != NoticeStatus.DRAFT,
        },
    )


def _act(request, pk, action):
    batch = selectors.get_notice_batch_for(request.user, pk)
    message = action(batch)
    messages.success(request, message)
    return redirect("notices:batch_detail", batch.pk)


@require_POST
@staff_view
def batch_publish(request, pk):
    def publish(batch):
        batch = notices.notice_batch_publish(actor=request.user, batch=batch)
        return _("已发布，公示期至 %(date)s。") % {"date": batch.ends_on.isoformat()}

    return _act(request, pk, publish)


@require_POST
@staff_view
def batch_discard(request, pk):
    batch = selectors.get_notice_batch_for(request.user, pk)
    notices.notice_batch_discard(actor=request.user, batch=batch)
    messages.success(request, _("已删除公示草稿 %(number)s。") % {"number": batch.number})
    return redirect("notices:batch_list")


@require_POST
@staff_view
def batch_finalise(request, pk):
    def finalise(batch):
        report = notices.notice_batch_finalise(actor=request.user, batch=batch)
        text = _("已核准 %(n)d 份申请。") % {"n": len(report.approved)}
        if report.waiting:
            text += _("另有 %(n)d 份有待处理的异议，处理后再核准：%(numbers)s。") % {
                "n": len(report.waiting),
                "numbers": "、".join(report.waiting),
            }
        return text

    return _act(request, pk, finalise)


@require_POST
@staff_view
def objection_record(request, pk):
    batch = selectors.get_notice_batch_for(request.user, pk)
    form = ObjectionForm(request.POST, prefix="record", entries=batch.entries.filter(outcome=EntryOutcome.PENDING))
    if form.is_valid():
        d = form.cleaned_data
        try:
            notices.objection_record(
                actor=request.user, entry=d["entry"], name=d["name"], mobile=d["mobile"], content=d["content"]
            )
        except (DomainError, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(getattr(exc, "message", exc))])))
        else:
            messages.success(request, _("异议已登记，处理前该申请不会核准。"))
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("notices:batch_detail", batch.pk)


@require_POST
@staff_view
def objection_resolve(request, pk, objection_id):
    batch = selectors.get_notice_batch_for(request.user, pk)
    objection = selectors.get_objection_for(request.user, objection_id)
    if objection.entry.batch_id != batch.pk:
        raise Http404()
    form = ResolveForm(request.POST, prefix="resolve")
    if form.is_valid():
        notices.objection_resolve(
            actor=request.user,
            objection=objection,
            upheld=form.cleaned_data["decision"] == "uphold",
            resolution=form.cleaned_data["resolution"],
        )
        messages.success(request, _("异议已处理。"))
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("notices:batch_detail", batch.pk)


@staff_view
def batch_export(request, pk):
    batch = selectors.get_notice_batch_for(request.user, pk)
    return NoticeExporter().response(selectors.notice_entries(batch), filename=f"{_('公示名单')}-{batch.number}")


# --- public -----------------------------------------------------------------------------------------


def public_list(request):
    return render(request, "subsidies/notices/public_list.html", {"batches": selectors.public_notices()})


def public_detail(request, number):
    batch = selectors.get_public_notice(number)
    if batch is None:
        raise Http404()
    open_for_objections = batch.status == NoticeStatus.PUBLISHED and timezone.localdate() <= batch.ends_on
    entries = batch.entries.order_by("id")
    form = ObjectionForm(request.POST or None, entries=entries.filter(outcome=EntryOutcome.PENDING))
    status = 200
    if request.method == "POST" and open_for_objections:
        if form.is_valid():
            d = form.cleaned_data
            with errors_on(form) as refusal:
                notices.objection_submit_public(
                    entry=d["entry"], name=d["name"], mobile=d["mobile"], content=d["content"], ip=client_ip(request)
                )
                messages.success(request, _("您的异议已收到，我们将在公示办结前核查处理，并以短信告知结果。"))
                return redirect("public_notices:detail", number=batch.number)
            status = refusal.status
        else:
            status = 400
    return render(
        request,
        "subsidies/notices/public_detail.html",
        {
            "batch": batch,
            "entries": entries,
            "form": form,
            "open_for_objections": open_for_objections,
        },
        status=status,
    )
