"""The scheme is configured by administrators in the admin: schemes, indicators (expressions checked
against the registered sources when saved), their test cases, and targets."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from . import sources
from .forms import IndicatorAdminForm, ScorecardMeasureAdminForm
from .models import Indicator, IndicatorCase, Scheme, ScorecardMeasure, Target
from .services.schemes import indicator_case_results, target_set


class IndicatorCaseInline(admin.TabularInline):
    model = IndicatorCase
    extra = 1


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "year_from", "year_to"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorAdminForm
    list_display = ["name", "code", "scheme", "category", "kind", "period_type"]
    list_filter = ["scheme", "category"]
    inlines = [IndicatorCaseInline]
    readonly_fields = ["available_sources", "case_results"]

    @admin.display(description=_("可用数据源"))
    def available_sources(self, obj):
        return format_html_join(
            "", "<div><code>{}</code> {}</div>", ((n, sources.describe(n)) for n in sources.names())
        )

    @admin.display(description=_("用例结果"))
    def case_results(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html_join(
            "",
            "<div>{} — {}（{}）</div>",
            (
                (r.case.name, _("通过") if r.passed else _("未通过"), r.actual if r.actual is not None else _("无数据"))
                for r in indicator_case_results(obj)
            ),
        )


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Set through ``target_set``, as everywhere else: who set it is the signed-in administrator (the
    form asked for it, a required "set by" field), and the change is audited."""

    list_display = ["indicator", "jurisdiction", "year", "target", "threshold"]
    list_filter = ["year", "jurisdiction"]
    exclude = ["set_by"]

    def get_readonly_fields(self, request, obj=None):
        # a target belongs to its indicator, town and year: another one is another target
        return ["indicator", "jurisdiction", "year"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        row = target_set(actor=request.user, indicator=obj.indicator, jurisdiction=obj.jurisdiction, year=obj.year,
                         target=obj.target, threshold=obj.threshold)  # fmt: skip
        obj.pk, obj.set_by = row.pk, row.set_by


@admin.register(ScorecardMeasure)
class ScorecardMeasureAdmin(admin.ModelAdmin):
    form = ScorecardMeasureAdminForm
    list_display = ["name", "code", "numerator", "denominator", "direction", "weight", "order", "active"]
    readonly_fields = ["available_sources"]

    @admin.display(description=_("可用的单位数据源"))
    def available_sources(self, obj):
        return format_html_join(
            "", "<div><code>{}</code> {}</div>", ((n, sources.describe(n)) for n in sources.unit_names())
        )
