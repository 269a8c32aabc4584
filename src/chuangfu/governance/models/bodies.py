"""The bodies that run the plan (work plan 二(一)): the leadership group (领导小组), its office
(办公室), the joint meeting of member units (联席会议) and working groups, each with terms and the
members of each term. A member who leaves keeps their row (``left_on``), so past minutes and
attendance still name them; a change of person is the old row ended and a new one added."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager


class BodyKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("领导小组")
    OFFICE = "office", _("领导小组办公室")
    JOINT_MEETING = "joint_meeting", _("联席会议")
    WORKING_GROUP = "working_group", _("工作小组")


class Body(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    kind = models.CharField(_("类型"), max_length=32, choices=BodyKind.choices)
    name = models.CharField(_("名称"), max_length=128)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级机构")
    )
    duties = models.TextField(_("职责"), blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["jurisdiction__path", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="governance_body_unique_name")]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self):
        return self.name


class Term(models.Model):
    """A term of office (届) of a body; members belong to a term."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="terms", verbose_name=_("机构"))
    name = models.CharField(_("届次"), max_length=64)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = TownScopedManager("body__jurisdiction")

    class Meta:
        ordering = ["body", "-starts_on"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="governance_term_unique_name")]
        verbose_name = _("届次")
        verbose_name_plural = _("届次")

    def __str__(self):
        return f"{self.body.name} {self.name}"


class Position(models.TextChoices):
    HEAD = "head", _("组长")
    DEPUTY = "deputy", _("副组长")
    DIRECTOR = "director", _("主任")
    MEMBER = "member", _("组员")
    MEMBER_UNIT = "member_unit", _("成员单位")


class Membership(models.Model):
    """One person's seat in a term. For a joint meeting's member unit the person is its liaison."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("届次"))
    position = models.CharField(_("职位"), max_length=16, choices=Position.choices)
    name = models.CharField(_("姓名"), max_length=64)
    title = models.CharField(_("职务"), max_length=128, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("单位"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("账号")
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("离任日期"), null=True, blank=True)
    left_reason = models.CharField(_("离任原因"), max_length=255, blank=True)
    position_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["term", "position_order", "joined_on", "id"]
        constraints = [
            # A person sits once in a term at a time; after leaving they may come back (a new row).
            models.UniqueConstraint(
                fields=["term", "name"], condition=Q(left_on__isnull=True), name="governance_member_once_per_term"
            )
        ]
        verbose_name = _("成员")
        verbose_name_plural = _("成员")

    def __str__(self):
        return f"{self.name}（{self.get_position_display()}）"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


POSITION_ORDER = {p: i for i, p in enumerate(Position.values)}
