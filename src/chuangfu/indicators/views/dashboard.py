"""The leadership dashboard, drill-down, computation, snapshots, evidence packs and the dossier."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import NotFound

from .. import selectors, services
from ..forms import EvidenceDocumentForm, EvidenceForm
from ..models import QUALITATIVE, Indicator


def leaders_only(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.can_view(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year


def _town(request, towns: list | None = None):
    """The town asked for (``?town=``), else the actor's first; ``towns``, when the caller has read
    the actor's towns already, saves reading them again."""
    raw = request.GET.get("town") or request.POST.get("town") or ""
    if raw:
        if not raw.isdigit() or len(raw) > 12:
            raise Http404
        if towns is None:
            return selectors.get_town_for(request.user, int(raw))
        town = next((t for t in towns if t.pk == int(raw)), None)
        if town is None:
            raise NotFound()
        return town
    town = selectors.default_town(request.user) if towns is None else next(iter(towns), None)
    if town is None:
        raise Http404
    return town


def _trend_chart(report) -> dict:
    """The monthly trend of the rate indicators, as data for core/_chart.html."""
    rates = [item for item in report if item["kind"] == "rate" and item["series"]]
    labels = sorted({p for item in report for p, _v in item["series"]})
    series = [{"name": item["label"], "data": [dict(item["series"]).get(p) for p in labels]} for item in rates]
    return {"kind": "lines", "labels": labels, "series": series, "max": 100}


def _report_kept(town, year) -> dict:
    """What the dashboard shows of the town's year that changes only when its values are recomputed,
    a target is set or a snapshot submitted: the scheme's line, the tables of every indicator against
    its target, the trend chart, the submitted snapshots, whether the year is computed — rendered
    once and kept under ``selectors.report_key``."""
    key = selectors.report_key(town, year)
    kept = cache.get(key)
    if kept is None:
        scheme = selectors.scheme_for(year)
        report = selectors.year_report(town, year, scheme=scheme)
        tables = render_to_string(
            "indicators/_tables.html",
            {"town": town, "year": year, "quantitative": [i for i in report if not i["qualitative"]],
             "qualitative": [i for i in report if i["qualitative"]]},
        )  # fmt: skip
        kept = {
            "scheme": render_to_string("indicators/_scheme.html", {"scheme": scheme}),
            "tables": tables,
            "trend": render_to_string("indicators/_trend.html", {"chart": _trend_chart(report)}),
            "snapshots": render_to_string("indicators/_snapshots.html", {"snapshots": selectors.snapshots_for(town)}),
            "computed": any(i["computed"] for i in report),
        }
        cache.set(key, kept, selectors.REPORT_KEEP)
    # rendered (and escaped) by their templates
    return {name: mark_safe(part) if isinstance(part, str) else part for name, part in kept.items()}


@leaders_only
def dashboard(request):
    year = _year(request)
    towns = list(selectors.towns_for(request.user))  # read once: the town asked for, the default and the comparison
    town = _town(request, towns)
    comparison = selectors.district_comparison(towns, selectors.scheme_for(year), year) if len(towns) > 1 else []
    return render(
        request,
        "indicators/dashboard.html",
        {
            "year": year,
            "town": town,
            "towns": towns,
            "kept": _report_kept(town, year),
            "comparison": comparison,
            "decisions": selectors.awaiting_decision_kept(town),
            "decisions_keep": selectors.DECISIONS_KEEP,
        },
    )


@leaders_only
def drill(request, code: str, part: str):
    year, town = _year(request), _town(request)
    scheme = selectors.scheme_for(year)
    indicator = Indicator.objects.filter(scheme=scheme, code=code).first() if scheme else None
    if indicator is None or part not in ("num", "den"):
        raise Http404
    rows = selectors.drill_rows(indicator, town, year, part)
    page = Paginator(rows.order_by("pk"), 50).get_page(request.GET.get("page")) if rows is not None else None
    return render(
        request,
        "indicators/drill.html",
        {"indicator": indicator, "part": part, "page": page, "town": town, "year": year,
         "expression": indicator.numerator if part == "num" else indicator.denominator},
    )  # fmt: skip


@leaders_only
@require_POST
def compute(request):
    year, town = _year(request), _town(request)
    services.compute_start(actor=request.user, jurisdiction=town, year=year)
    messages.success(request, _("已开始计算，完成后刷新本页即可看到最新数值。"))
    return redirect(f"{reverse('indicators:dashboard')}?town={town.pk}&year={year}")


@leaders_only
@require_POST
def submit_snapshot(request):
    year, town = _year(request), _town(request)
    services.snapshot_submit(actor=request.user, jurisdiction=town, year=year)
    messages.success(request, _("%(year)s 年度评估结果已提交并冻结。") % {"year": year})
    return redirect(f"{reverse('indicators:dashboard')}?town={town.pk}&year={year}")


@leaders_only
def evidence(request):
    year, town = _year(request), _town(request)
    dimension = request.POST.get("dimension", "")
    if request.method == "POST":
        if dimension not in QUALITATIVE:
            raise Http404
        try:
            if request.FILES.get("file"):
                form = EvidenceDocumentForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                pack = services.evidence_pack_save(
                    actor=request.user, jurisdiction=town, year=year, dimension=dimension,
                    self_assessment=_current_assessment(town, year, dimension),
                )  # fmt: skip
                services.evidence_document_add(
                    actor=request.user, pack=pack, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
                )
            else:
                form = EvidenceForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                services.evidence_pack_save(
                    actor=request.user, jurisdiction=town, year=year, dimension=dimension,
                    self_assessment=form.cleaned_data["self_assessment"],
                )  # fmt: skip
        except ValidationError as exc:  # a DomainError reaches the user through core.web
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已保存。"))
        return redirect(f"{request.path}?town={town.pk}&year={year}#{dimension}")
    return render(
        request,
        "indicators/evidence.html",
        {
            "year": year,
            "town": town,
            "packs": selectors.evidence_packs(town, year),
            "document_form": EvidenceDocumentForm(),
        },
    )


def _current_assessment(town, year, dimension) -> str:
    from ..models import EvidencePack

    pack = EvidencePack.objects.filter(jurisdiction=town, year=year, dimension=dimension).first()
    return pack.self_assessment if pack else ""


@leaders_only
@require_POST
def dossier_generate(request):
    """Queue the dossier (recompute, .docx and annex); its page polls the job and offers the file."""
    year, town = _year(request), _town(request)
    job = services.dossier_start(actor=request.user, jurisdiction=town, year=year)
    return redirect("core:export_status", job.pk)
