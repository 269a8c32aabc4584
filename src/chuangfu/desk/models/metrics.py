"""The desk's figures as data."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .tickets import Ticket, TicketAssignment

# The figures every town starts with (migrations 0002 and 0011), for the translation catalogue: their stored
# names and descriptions are shown in the reader's language; an administrator's own stay as written.
SHIPPED_WORDING = [
    gettext_noop("办结率"),
    gettext_noop("按时办结率"),
    gettext_noop("及时签收率"),
    gettext_noop("满意率"),
    gettext_noop("差评整改率"),
    gettext_noop("回访率"),
    gettext_noop("退单率"),
    gettext_noop("平均答复用时"),
    gettext_noop("已办结（含已回访）工单数 ÷ 受理工单数（不含并单）"),
    gettext_noop("在答复时限内答复的已办结工单数 ÷ 已办结工单数"),
    gettext_noop("在签收时限内签收的工单数 ÷ 已签收工单数"),
    gettext_noop("非常满意、满意、基本满意的评价数 ÷ 有效评价数（经申诉复核剔除的不计）"),
    gettext_noop("已完成整改的差评工单数 ÷ 差评工单数"),
    gettext_noop("已回访工单数 ÷ 已办结工单数"),
    gettext_noop("被退单过的工单数 ÷ 派过单的工单数"),
    gettext_noop("从受理次日起到答复的工作日数的平均值（挂起期间不计）"),
    # as migration 0011 reworded them (counted on the units' assignments)
    gettext_noop("在签收时限内签收的派单数 ÷ 已签收的派单数（每次派给单位各算一次，含协办；按签收单位统计）"),
    gettext_noop("被退回的派单数 ÷ 派单数（每次派给单位各算一次，含协办；按被派单位统计）"),
]


class MetricDefinition(models.Model):
    """A figure as data: count(numerator) / count(denominator), or the average of a field.

    Filters are ``{lookup: value}`` on the rows of the definition's ``basis`` — tickets, or
    assignments (a unit's part in a ticket, so per-unit figures count each unit's own facts) —
    e.g. ``{"status__in": ["closed", "revisited"]}``; only the lookups in ``ALLOWED_ROOTS`` (tickets)
    or ``ASSIGNMENT_ROOTS`` are accepted. Merged duplicates are never counted.
    """

    class Kind(models.TextChoices):
        RATIO = "ratio", _("比率")
        AVERAGE = "average", _("平均值")

    class Basis(models.TextChoices):
        TICKET = "ticket", _("工单")
        ASSIGNMENT = "assignment", _("承办单位的派单")

    ALLOWED_ROOTS = (
        "status",
        "channel",
        "answered_in_time",
        "answer_working_days",
        "return_count",
        "dispatched_at",
        "accepted_at",
        "answered_at",
        "closed_at",
        "revisited_at",
        "supervised",
        "extension_days",
        "paused_days",
        "revisit_outcome",
        "rating",
        "rectification",
        "lead_unit",
        "category",
    )
    AVERAGE_FIELDS = ("answer_working_days", "paused_days", "extension_days", "return_count")
    ASSIGNMENT_ROOTS = (
        "role",
        "state",
        "unit",
        "accept_due",
        "dispatched_at",
        "accepted_at",
        "accepted_in_time",
        "answered_at",
        "answered_in_time",
        "ticket",
    )

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.RATIO)
    basis = models.CharField(
        _("统计对象"),
        max_length=16,
        choices=Basis.choices,
        default=Basis.TICKET,
        help_text=_("按单位统计单位自身表现（签收、退单）时选“承办单位的派单”：改派后各单位各算各的。"),
    )
    numerator = models.JSONField(_("分子条件"), default=dict, blank=True)
    denominator = models.JSONField(_("分母条件"), default=dict, blank=True)
    value_field = models.CharField(_("平均字段"), max_length=32, blank=True)
    description = models.CharField(_("口径说明"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("统计指标")
        verbose_name_plural = _("统计指标")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (see ``SHIPPED_WORDING``)."""
        return gettext(self.name)

    @property
    def display_description(self) -> str:
        return gettext(self.description) if self.description else ""

    def clean(self):
        errors = {}
        for name in ("numerator", "denominator"):
            problem = self.filter_problem(getattr(self, name), basis=self.basis)
            if problem:
                errors[name] = problem
        if self.kind == self.Kind.AVERAGE and self.basis == self.Basis.ASSIGNMENT:
            errors["kind"] = _("按承办单位的派单统计时只能是比率。")
        elif self.kind == self.Kind.AVERAGE and self.value_field not in self.AVERAGE_FIELDS:
            errors["value_field"] = _("平均值只能取以下字段：%(f)s") % {"f": "、".join(self.AVERAGE_FIELDS)}
        if errors:
            raise ValidationError(errors)

    @classmethod
    def filter_problem(cls, spec, *, basis: str = "ticket") -> str | None:
        """Why ``spec`` is not a usable filter of the ``basis`` rows, or None."""
        from django.core.exceptions import FieldError

        on_assignments = basis == cls.Basis.ASSIGNMENT
        roots, model = (cls.ASSIGNMENT_ROOTS, TicketAssignment) if on_assignments else (cls.ALLOWED_ROOTS, Ticket)
        if not isinstance(spec, dict):
            return _('条件必须是 JSON 对象，如 {"status__in": ["closed"]}。')
        for key in spec:
            if key.split("__")[0] not in roots:
                return _("不支持的条件字段：%(k)s") % {"k": key}
        try:
            str(model.objects.filter(**spec).query)
        except (FieldError, ValueError, TypeError, ValidationError) as exc:
            return _("条件无效：%(e)s") % {"e": exc}
        return None
