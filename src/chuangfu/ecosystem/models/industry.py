"""Industry focus (work plan 二(四)): the town's industry chains as a configurable tree of
segments with the enterprises tagged on them, innovation scoring against stated criteria, and
nominations to the district's competitions with their later stages and awards."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Enterprise

# A chain (the root), its links (上游/中游/下游), their segments and one level below: deeper trees
# stop being readable on a phone, and no chain the work plan names needs more.
MAX_CHAIN_DEPTH = 4


class ChainStage(models.TextChoices):
    UPSTREAM = "upstream", _("上游")
    MIDSTREAM = "midstream", _("中游")
    DOWNSTREAM = "downstream", _("下游")
    SUPPORT = "support", _("配套服务")


class ChainSegment(models.Model):
    """One node of a town's industry chain; a node without a parent is the chain itself
    (电子商务, 数字化转型)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属镇（街道）")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级环节")
    )
    name = models.CharField(_("名称"), max_length=64)
    stage = models.CharField(_("链上位置"), max_length=16, choices=ChainStage.choices, blank=True)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    # GB/T 4754-2017 大类 (2 digits), 中类 (3) or 小类 (4): registry firms of these industries
    # not yet tagged are offered as candidates for the segment.
    industry_codes = models.CharField(
        _("对应行业代码"),
        max_length=128,
        blank=True,
        help_text=_("GB/T 4754-2017 行业大类（2 位数字），多个用逗号分隔；用于提示可能属于本环节的企业。"),
    )
    thin_below = models.PositiveSmallIntegerField(
        _("薄弱线（企业数少于）"),
        default=3,
        validators=[MaxValueValidator(1000)],
        help_text=_("本环节（含下级）存续企业少于此数时，在产业链图上标为薄弱。"),
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0, validators=[MaxValueValidator(1000)])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="chain_segment_unique_sibling"),
            models.UniqueConstraint(
                fields=["jurisdiction", "name"],
                condition=models.Q(parent__isnull=True),
                name="chain_unique_root",
            ),
        ]
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ecosystem:chain_segment", args=[self.pk])

    @property
    def codes(self) -> list[str]:
        return [c for c in self.industry_codes.replace("，", ",").replace(" ", ",").split(",") if c]


class SegmentMembership(models.Model):
    """An enterprise tagged on a segment of the chain (a firm may sit on several)."""

    segment = models.ForeignKey(
        ChainSegment, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("产业链环节")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="chain_memberships", verbose_name=_("企业")
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("标注人")
    )
    tagged_at = models.DateTimeField(_("标注时间"), default=timezone.now)

    objects = TownScopedManager("segment__jurisdiction")

    class Meta:
        ordering = ["segment__position", "segment_id"]
        constraints = [models.UniqueConstraint(fields=["segment", "enterprise"], name="segment_membership_once")]
        verbose_name = _("产业链标注")
        verbose_name_plural = _("产业链标注")

    def __str__(self):
        return f"{self.enterprise} · {self.segment}"


class InnovationCriterion(models.Model):
    """A stated criterion innovative firms are scored on, with the points it is worth."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属镇（街道）")
    )
    name = models.CharField(_("评分项"), max_length=32)
    guidance = models.CharField(_("评分要点"), max_length=255)
    max_points = models.PositiveSmallIntegerField(_("满分"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("排序"), default=0, validators=[MaxValueValidator(1000)])
    active = models.BooleanField(_("启用"), default=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="innovation_criterion_unique"),
            models.CheckConstraint(condition=models.Q(max_points__gte=1), name="innovation_criterion_points"),
        ]
        verbose_name = _("创新评分项")
        verbose_name_plural = _("创新评分项")

    def __str__(self):
        return self.name


class InnovationAssessment(models.Model):
    """One year's innovation score of an enterprise: a row per criterion, the total added up on read."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="innovation_assessments", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    summary = models.CharField(_("评价意见"), max_length=255, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("评分人")
    )
    scored_at = models.DateTimeField(_("评分时间"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="innovation_assessment_once")]
        verbose_name = _("创新评分")
        verbose_name_plural = _("创新评分")

    def __str__(self):
        return f"{self.enterprise} {self.year}"

    @property
    def jurisdiction_id(self):
        return self.enterprise.jurisdiction_id


class InnovationScore(models.Model):
    assessment = models.ForeignKey(InnovationAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(InnovationCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("得分"), validators=[MaxValueValidator(100)])
    # the criterion's full marks when scored: changing a criterion later leaves old scores readable
    out_of = models.PositiveSmallIntegerField(_("满分"), validators=[MaxValueValidator(100)])
    reason = models.CharField(_("评分理由"), max_length=255, blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="innovation_score_once"),
            models.CheckConstraint(
                condition=models.Q(points__lte=models.F("out_of")), name="innovation_score_in_range"
            ),
        ]
        verbose_name = _("评分项得分")
        verbose_name_plural = _("评分项得分")


class Competition(models.Model):
    """A district (or city) competition the town nominates innovative firms to."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("推荐镇（街道）")
    )
    name = models.CharField(_("赛事名称"), max_length=128)
    organiser = models.CharField(_("主办方"), max_length=128, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    min_score = models.PositiveSmallIntegerField(
        _("推荐门槛（创新评分总分不低于）"),
        default=60,
        validators=[MaxValueValidator(100)],
        help_text=_("只有当年创新评分达到此分数（按百分制折算）的企业才能被推荐。"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year", "name"], name="competition_unique")]
        verbose_name = _("创业大赛")
        verbose_name_plural = _("创业大赛")

    def __str__(self):
        return f"{self.year} {self.name}"


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    ADVANCED = "advanced", _("晋级复赛")
    FINALIST = "finalist", _("进入决赛")
    AWARDED = "awarded", _("获奖")
    ELIMINATED = "eliminated", _("未晋级")
    WITHDRAWN = "withdrawn", _("撤回推荐")


class Nomination(models.Model):
    """An enterprise the town put forward to a competition, and how far it went."""

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("创业大赛")
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业"))
    assessment = models.ForeignKey(
        InnovationAssessment, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("推荐依据的评分")
    )
    track = models.CharField(_("赛道"), max_length=64, blank=True)
    reason = models.CharField(_("推荐理由"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=16, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    award = models.CharField(_("所获奖项"), max_length=64, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("推荐人")
    )
    nominated_at = models.DateTimeField(_("推荐时间"), default=timezone.now)

    objects = TownScopedManager("competition__jurisdiction")

    class Meta:
        ordering = ["-nominated_at", "-id"]
        # an enterprise is put forward to a competition once (a double submit makes one row)
        constraints = [models.UniqueConstraint(fields=["competition", "enterprise"], name="nomination_once")]
        verbose_name = _("大赛推荐")
        verbose_name_plural = _("大赛推荐")

    def __str__(self):
        return f"{self.enterprise} → {self.competition}"

    def get_absolute_url(self):
        return reverse("ecosystem:nomination_detail", args=[self.pk])

    @property
    def jurisdiction_id(self):
        return self.competition.jurisdiction_id
