from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import calendar_entry, workdays
from .audit import log_action, snapshot
from .bounds import BoundedInputsMixin
from .models import AuditEntry, CalendarDay, CalendarYear, Job, Jurisdiction, Unit, User


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_demo"]
    list_filter = ["level", "is_demo"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "jurisdiction", "active"]
    list_filter = ["kind", "jurisdiction", "active"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "unit", "jurisdiction", "is_active"]
    list_filter = ["role", "jurisdiction", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("平台角色"), {"fields": ["display_name", "role", "unit", "jurisdiction"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("平台角色"), {"fields": ["display_name", "role", "unit", "jurisdiction"]}),
    )


class CalendarYearForm(BoundedInputsMixin, forms.ModelForm):
    """A year and its special days as the State Council notice lists them (see calendar_entry)."""

    days = forms.CharField(
        label=_("放假与补班安排"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "cols": 60, "placeholder": "2027-02-05~2027-02-13 放假 春节\n2027-02-14 补班 春节"}
        ),
        help_text=_(
            "每行一项：日期或日期范围（用 ~ 或“至”连接）、“放假”或“补班”、节日名称。"
            "范围中的周末会自动识别，只保存与周一至周五不同的日子。保存后该年份由管理员维护，"
            "calendar_sync 不会覆盖。"
        ),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.initial["days"] = calendar_entry.calendar_text_for_year(self.instance.year)

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year:
            try:
                calendar_entry.parse_calendar_text(cleaned.get("days", ""), year=year)
            except ValidationError as exc:
                self.add_error("days", exc)
        return cleaned


class CalendarKeeperPermissions:
    """Town administrators keep the calendar too (``calendar_entry.can_enter_calendar``): the warning
    on their home page sends them here. Deleting stays with the superuser."""

    def has_module_permission(self, request):
        return calendar_entry.can_enter_calendar(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return calendar_entry.can_enter_calendar(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return calendar_entry.can_enter_calendar(request.user) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return calendar_entry.can_enter_calendar(request.user) or super().has_change_permission(request, obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarKeeperPermissions, admin.ModelAdmin):
    list_display = ["date", "is_working", "name"]
    list_filter = ["is_working"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        year = CalendarYear.objects.filter(year=obj.date.year).first()
        if year is None:
            self.message_user(
                request,
                _(
                    "%(year)d 年尚未登记为已发布的年份，仍按周一至周五计算并显示警告；"
                    "请在“已发布节假日安排的年份”中录入整年安排。"
                )
                % {"year": obj.date.year},
                level=messages.WARNING,
            )
        elif year.source == CalendarYear.Source.PACKAGE:
            year.source = CalendarYear.Source.ADMIN
            year.save(update_fields=["source", "updated_at"])
            self.message_user(
                request, _("%(year)d 年已改为管理员维护，calendar_sync 不会再覆盖。") % {"year": year.year}
            )
        log_action(
            actor=request.user,
            action="core.calendar_day.changed" if change else "core.calendar_day.added",
            obj=obj,
            after=snapshot(obj),
        )


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarKeeperPermissions, admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ["year", "source", "note", "updated_at"]
    readonly_fields = ["source"]
    fields = ["year", "source", "note", "days"]

    def save_model(self, request, obj, form, change):
        entered = calendar_entry.calendar_year_enter(
            year=form.cleaned_data.get("year") or obj.year,
            text=form.cleaned_data.get("days", ""),
            note=form.cleaned_data.get("note", ""),
            actor=request.user,
        )
        obj.pk, obj.source = entered.pk, entered.source

    def changelist_view(self, request, extra_context=None):
        missing = workdays.uncovered_years()
        if missing:
            self.message_user(request, uncovered_years_message(missing), level=messages.WARNING)
        return super().changelist_view(request, extra_context)


def uncovered_years_message(years) -> str:
    return _(
        "%(years)s 年的节假日安排尚未录入，截止日期暂按周一至周五计算。国务院办公厅发布安排后（通常在 11 月），"
        "请在“已发布节假日安排的年份”中新增该年份并录入放假与补班日期。"
    ) % {"years": "、".join(str(y) for y in years)}


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_repr", "action", "object_repr", "jurisdiction"]
    list_filter = ["action", "jurisdiction"]
    search_fields = ["action", "object_repr", "actor_repr", "object_id", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "done", "total", "created_by", "created_at"]
    list_filter = ["kind", "status"]


# The admin home page warns when this or next year's holidays are missing (see the template).
admin.site.index_template = "admin/chuangfu_index.html"
admin.site.site_header = _("创服平台配置")
admin.site.site_title = _("创服平台配置")
admin.site.index_title = _("配置与维护")
