"""Industry focus (issue 14 point 5): the town keeps its industry chains as a tree of segments,
tags enterprises on them, scores innovative firms against its stated criteria and nominates them
to the district's competitions, recording the later stages and awards as they come back.

Only the town's office (desk staff, leaders, admins) writes here; every write is audited, and
anything of another town is "not found"."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.workflow import fire
from chuangfu.registry.industry import section_of_division
from chuangfu.registry.models import Enterprise, RegistrationStatus

from ..models import (
    MAX_CHAIN_DEPTH,
    ChainSegment,
    ChainStage,
    Competition,
    InnovationAssessment,
    InnovationCriterion,
    InnovationScore,
    Nomination,
    SegmentMembership,
)
from ..selectors import industry as reads
from ..selectors import is_office
from ..workflows import NOMINATION
from ._common import clean_text

# The criteria a district contest states (普陀 2021: 创新性, 社会价值, 项目团队, 市场及发展前景),
# with the weights a town starts from; admins change them in the configuration screens.
DEFAULT_CRITERIA = [
    ("创新性", "技术、产品或商业模式的新颖程度，知识产权情况", 30),
    ("市场及发展前景", "市场需求、营收增长、融资情况和可持续性", 25),
    ("项目团队", "团队结构、专业背景和执行力", 20),
    ("社会价值", "带动就业、服务社区、绿色低碳等社会效益", 25),
]


def _require_office(actor) -> None:
    if not is_office(actor):
        raise NotFound()


# --- the chain ---------------------------------------------------------------------------------


def _clean_codes(value: str) -> str:
    """GB/T 4754-2017 codes of 2–4 digits whose 大类 exists; returned comma-joined, no repeats."""
    raw = (value or "").replace("，", ",").replace("、", ",").replace(" ", ",")
    codes = []
    for code in (c.strip() for c in raw.split(",")):
        if not code:
            continue
        if not (code.isascii() and code.isdigit() and 2 <= len(code) <= 4) or section_of_division(code[:2]) is None:
            raise DomainError(
                "industry_codes",
                _("行业代码“%(code)s”不是 GB/T 4754-2017 的行业大类、中类或小类（2–4 位数字）。") % {"code": code[:8]},
            )
        if code not in codes:
            codes.append(code)
    joined = ",".join(codes)
    if len(joined) > ChainSegment._meta.get_field("industry_codes").max_length:
        raise DomainError("industry_codes", _("行业代码太多，请只填写主要的几个。"))
    return joined


def _clean_segment(values: dict) -> dict:
    stage = values.get("stage") or ""
    if stage not in ChainStage.values and stage != "":
        raise DomainError("stage", _("请选择链上位置。"))
    thin_below = values.get("thin_below")
    thin_below = 3 if thin_below is None else thin_below
    position = values.get("position") or 0
    if not (0 <= thin_below <= 1000) or not (0 <= position <= 1000):
        raise DomainError("thin_below", _("薄弱线和排序须为 0–1000 之间的整数。"))
    return {
        "name": clean_text(values.get("name"), label=_("名称"), max_length=64),
        "stage": stage,
        "description": clean_text(values.get("description"), label=_("说明"), max_length=255, required=False),
        "industry_codes": _clean_codes(values.get("industry_codes", "")),
        "thin_below": thin_below,
        "position": position,
    }


def _depth(segment: ChainSegment | None) -> int:
    depth = 0
    while segment is not None:
        depth += 1
        segment = segment.parent
    return depth


def _subtree_height(segment: ChainSegment) -> int:
    children = list(segment.children.all())
    return 1 + max((_subtree_height(c) for c in children), default=0)


def _check_parent(segment: ChainSegment | None, parent: ChainSegment | None, town) -> None:
    """The parent is of the same town, is not the segment or below it, and the tree stays shallow."""
    if parent is None:
        return
    if parent.jurisdiction_id != town.pk:
        raise NotFound()
    node = parent
    while node is not None:
        if segment is not None and node.pk == segment.pk:
            raise DomainError("parent", _("不能把环节移到它自己或它的下级之下。"))
        node = node.parent
    height = _subtree_height(segment) if segment is not None and segment.pk else 1
    if _depth(parent) + height > MAX_CHAIN_DEPTH:
        raise DomainError("parent", _("产业链最多 %(n)d 层。") % {"n": MAX_CHAIN_DEPTH})


def _save_segment(segment: ChainSegment) -> ChainSegment:
    try:
        with transaction.atomic():
            segment.save()
    except IntegrityError:
        raise DomainError(
            "duplicate_segment", _("同一上级下已有名为“%(name)s”的环节。") % {"name": segment.name}
        ) from None
    return segment


@transaction.atomic
def chain_segment_create(*, actor, town, parent: ChainSegment | None = None, **values) -> ChainSegment:
    """Add a chain (no parent) or a segment under ``parent`` in ``town``'s tree."""
    _require_office(actor)
    town = reads.get_town_for(actor, town.pk)
    if parent is not None:
        parent = reads.get_segment_for(actor, parent.pk)
    _check_parent(None, parent, town)
    segment = _save_segment(ChainSegment(jurisdiction=town, parent=parent, **_clean_segment(values)))
    log_action(
        actor=actor,
        action="ecosystem.chain_segment.created",
        obj=segment,
        after={"name": segment.name, "parent": parent.name if parent else "", "stage": segment.stage},
    )
    return segment


@transaction.atomic
def chain_segment_update(*, actor, segment: ChainSegment, parent: ChainSegment | None = None, **values) -> ChainSegment:
    """Rename, re-describe or move a segment (a chain stays a chain: roots are not moved under others)."""
    segment = reads.get_segment_for(actor, segment.pk)
    if parent is not None:
        parent = reads.get_segment_for(actor, parent.pk)
    if (segment.parent_id is None) != (parent is None):
        raise DomainError("parent", _("产业链本身不能移到其他环节之下，环节也不能脱离产业链。"))
    _check_parent(segment, parent, segment.jurisdiction)
    before = {"name": segment.name, "parent": segment.parent_id, "industry_codes": segment.industry_codes}
    for name, value in _clean_segment(values).items():
        setattr(segment, name, value)
    segment.parent = parent
    _save_segment(segment)
    log_action(
        actor=actor,
        action="ecosystem.chain_segment.changed",
        obj=segment,
        before=before,
        after={"name": segment.name, "parent": segment.parent_id, "industry_codes": segment.industry_codes},
    )
    return segment


@transaction.atomic
def chain_segment_delete(*, actor, segment: ChainSegment) -> None:
    """Remove a segment nothing hangs off (no lower segment, no tagged firm)."""
    segment = reads.get_segment_for(actor, segment.pk)
    if segment.children.exists() or segment.memberships.exists():
        raise DomainError(
            "in_use", _("“%(name)s”下还有环节或已标注的企业，请先移走后再删除。") % {"name": segment.name}
        )
    log_action(
        actor=actor,
        action="ecosystem.chain_segment.deleted",
        obj=segment,
        before={"name": segment.name, "parent": segment.parent_id},
    )
    segment.delete()


@transaction.atomic
def enterprise_tag(*, actor, segment: ChainSegment, enterprise: Enterprise) -> SegmentMembership:
    """Tag an enterprise of the segment's town on it; tagging it twice keeps one tag."""
    segment = reads.get_segment_for(actor, segment.pk)
    enterprise = reads.get_enterprise_for(actor, enterprise.pk)
    if not reads.enterprise_in_town(enterprise, segment.jurisdiction):
        raise DomainError("other_town", _("“%(e)s”不是本镇的企业。") % {"e": enterprise})
    membership, created = SegmentMembership.objects.get_or_create(
        segment=segment, enterprise=enterprise, defaults={"tagged_by": actor}
    )
    if created:
        log_action(
            actor=actor,
            action="ecosystem.enterprise.chain_tagged",
            obj=enterprise,
            after={"segment": segment.name},
        )
    return membership


@transaction.atomic
def enterprise_untag(*, actor, segment: ChainSegment, membership_id) -> None:
    segment = reads.get_segment_for(actor, segment.pk)
    membership = segment.memberships.select_related("enterprise").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound()
    log_action(
        actor=actor,
        action="ecosystem.enterprise.chain_untagged",
        obj=membership.enterprise,
        before={"segment": segment.name},
    )
    membership.delete()


# --- innovation scoring ------------------------------------------------------------------------


@transaction.atomic
def innovation_assess(
    *, actor, enterprise: Enterprise, year: int, scores: dict, summary: str = ""
) -> InnovationAssessment:
    """Score an enterprise for a year against every active criterion of its town.

    ``scores`` maps a criterion's id to ``(points, reason)``. Every criterion must be scored,
    within its full marks; every problem is reported at once and nothing is saved half-way.
    Scoring the same year again replaces that year's scores (one assessment per firm and year).
    """
    enterprise = reads.get_enterprise_for(actor, enterprise.pk)
    today = timezone.localdate()
    if not isinstance(year, int) or not 2000 <= year <= today.year:
        raise DomainError("year", _("年度须在 2000 年至今年之间。"))
    criteria = list(reads.criteria_of(reads.town_of(enterprise)))
    if not criteria:
        raise DomainError("no_criteria", _("本镇还没有设置创新评分项，请管理员先设置。"))
    problems, rows = [], []
    for criterion in criteria:
        points, reason = scores.get(criterion.pk, (None, ""))
        if points is None or not isinstance(points, int) or not 0 <= points <= criterion.max_points:
            problems.append(
                _("“%(c)s”的得分须为 0–%(max)d 之间的整数。") % {"c": criterion.name, "max": criterion.max_points}
            )
            continue
        reason = (reason or "").strip()
        if len(reason) > 255:
            problems.append(_("“%(c)s”的评分理由不能超过 255 个字。") % {"c": criterion.name})
            continue
        rows.append((criterion, points, reason))
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        problems.append(_("评分中有不属于本镇的评分项。"))
    if problems:
        raise DomainError("scores", "；".join(problems))
    summary = clean_text(summary, label=_("评价意见"), max_length=255, required=False)
    assessment, created = InnovationAssessment.objects.select_for_update().get_or_create(
        enterprise=enterprise, year=year, defaults={"scored_by": actor, "summary": summary}
    )
    before = None
    if not created:
        before = {s.criterion.name: s.points for s in assessment.scores.select_related("criterion")}
        assessment.scores.all().delete()
        assessment.scored_by, assessment.summary, assessment.scored_at = actor, summary, timezone.now()
        assessment.save(update_fields=["scored_by", "summary", "scored_at"])
    InnovationScore.objects.bulk_create(
        InnovationScore(assessment=assessment, criterion=c, points=p, out_of=c.max_points, reason=r) for c, p, r in rows
    )
    log_action(
        actor=actor,
        action="ecosystem.innovation.scored",
        obj=enterprise,
        before=before,
        after={"year": year, **{c.name: p for c, p, _r in rows}},
    )
    return assessment


def assessment_percent(assessment: InnovationAssessment) -> int | None:
    points = out_of = 0
    for score in assessment.scores.all():
        points += score.points
        out_of += score.out_of
    return reads.percent(points, out_of)


# --- competitions and nominations --------------------------------------------------------------


@transaction.atomic
def competition_create(*, actor, town, name: str, year: int, organiser: str = "", min_score: int = 60) -> Competition:
    """Record a competition the town nominates to (its name, year and the town's bar for a nomination)."""
    _require_office(actor)
    town = reads.get_town_for(actor, town.pk)
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year + 1:
        raise DomainError("year", _("年度须在 2000 年至明年之间。"))
    if not isinstance(min_score, int) or not 0 <= min_score <= 100:
        raise DomainError("min_score", _("推荐门槛须为 0–100 之间的整数。"))
    competition = Competition(
        jurisdiction=town,
        name=clean_text(name, label=_("赛事名称"), max_length=128),
        organiser=clean_text(organiser, label=_("主办方"), max_length=128, required=False),
        year=year,
        min_score=min_score,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            competition.save()
    except IntegrityError:
        raise DomainError("duplicate_competition", _("本镇已登记过 %(y)d 年的这项赛事。") % {"y": year}) from None
    log_action(actor=actor, action="ecosystem.competition.created", obj=competition, after={"name": competition.name})
    return competition


@transaction.atomic
def nomination_create(
    *, actor, competition: Competition, enterprise: Enterprise, reason: str, track: str = ""
) -> Nomination:
    """Put an enterprise forward to a competition, once.

    Preconditions the town states: the firm is of the competition's town and operating (存续), it
    was scored in the competition's year (or the year before), and that score reaches the
    competition's bar. A second nomination of the same firm to the same competition is refused
    (the database's unique constraint holds it under a double submit)."""
    competition = reads.get_competition_for(actor, competition.pk)
    enterprise = reads.get_enterprise_for(actor, enterprise.pk)
    if not reads.enterprise_in_town(enterprise, competition.jurisdiction):
        raise DomainError("other_town", _("“%(e)s”不是本镇的企业。") % {"e": enterprise})
    if enterprise.registration_status != RegistrationStatus.ACTIVE:
        raise DomainError(
            "not_operating",
            _("“%(e)s”的登记状态是“%(s)s”，只能推荐存续企业。")
            % {"e": enterprise, "s": enterprise.get_registration_status_display()},
        )
    assessment = (
        InnovationAssessment.objects.filter(enterprise=enterprise, year__in=[competition.year, competition.year - 1])
        .order_by("-year")
        .first()
    )
    if assessment is None:
        raise DomainError(
            "not_scored",
            _("“%(e)s”在 %(y)d 年或上一年没有创新评分，请先评分。") % {"e": enterprise, "y": competition.year},
        )
    score = assessment_percent(assessment)
    if score is None or score < competition.min_score:
        raise DomainError(
            "below_bar",
            _("“%(e)s”的创新评分为 %(s)s 分，未达到本赛事 %(bar)d 分的推荐门槛。")
            % {"e": enterprise, "s": score if score is not None else "—", "bar": competition.min_score},
        )
    nomination = Nomination(
        competition=competition,
        enterprise=enterprise,
        assessment=assessment,
        track=clean_text(track, label=_("赛道"), max_length=64, required=False),
        reason=clean_text(reason, label=_("推荐理由"), max_length=255),
        nominated_by=actor,
    )
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise DomainError(
            "duplicate_nomination", _("“%(e)s”已推荐参加“%(c)s”。") % {"e": enterprise, "c": competition}
        ) from None
    log_action(
        actor=actor,
        action="ecosystem.nomination.created",
        obj=nomination,
        after={"competition": str(competition), "enterprise": enterprise.name, "score": score},
    )
    return nomination


def nomination_transition(
    *, actor, nomination: Nomination, name: str, note: str = "", award: str = "", expect: str = ""
):
    """Record a later stage the competition reported: 晋级复赛, 进入决赛, 获奖 (with the award's
    name), 未晋级 (with a note), or the town's 撤回推荐 (with a note)."""
    nomination = reads.get_nomination_for(actor, nomination.pk)
    NOMINATION.transition(name)
    changes = {}
    if name == "award":
        changes["award"] = clean_text(award, label=_("所获奖项"), max_length=64)
    return fire(
        NOMINATION,
        nomination,
        name,
        actor=actor,
        note=clean_text(note, label=_("说明"), max_length=255, required=False),
        changes=changes,
        expect=expect or None,
        jurisdiction=nomination.competition.jurisdiction_id,
    )


def default_criteria(town) -> list:
    """The criteria a town starts from (``seed-ecosystem``), created once."""
    return [
        InnovationCriterion.objects.get_or_create(
            jurisdiction=town, name=name, defaults={"guidance": guidance, "max_points": points, "position": i}
        )[0]
        for i, (name, guidance, points) in enumerate(DEFAULT_CRITERIA)
    ]
