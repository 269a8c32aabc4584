"""Demo data of the ecosystem, on top of the registry's (``chuangfu seed``): the district's
bounding area, coordinates for the demo carriers, and residential areas with geocoded
addresses for every demo village (one of them beyond the 15-minute circle on purpose).

Coordinates are invented near the real towns (唐镇 around 31.216 N, 121.652 E); they are demo
data, like the villages. Running it again changes nothing (rows are found by natural key).
"""

import math

from django.db import transaction

from chuangfu.core.models import Jurisdiction
from chuangfu.registry.models import Carrier, CarrierKind

from .models import Address, CarrierSite, DistrictBounds, ResidentialArea

DISTRICT = "310115"
TOWN_CENTRES = {"310115114": (31.2160, 121.6520), "310115125": (31.2050, 121.5900)}
PUDONG_BOUNDS = {"south": 30.85, "north": 31.42, "west": 121.45, "east": 122.00}
OPENING_HOURS = {
    CarrierKind.DOORSTEP_STATION: "周一至周五 9:00-17:00，周六 9:00-12:00",
    CarrierKind.MENTOR_WORKSTATION: "周二、周四 13:30-17:00（导师门诊）",
}
DEFAULT_HOURS = "周一至周五 9:00-18:00"
METRES_PER_DEGREE = 111_320.0
# (name suffix, metres east, metres north) of each village's residential areas from the village's point
AREAS = [("一区", 150, 120), ("二区", -220, 260)]
FAR_AREA = ("北宅", 2600, 2200)  # beyond every station: shows on the coverage page
ADDRESSES_PER_AREA = 24


class DemoDataMissing(Exception):
    pass


def _offset(point, east: float, north: float) -> tuple[float, float]:
    lat, lon = point
    return (
        round(lat + north / METRES_PER_DEGREE, 6),
        round(lon + east / (METRES_PER_DEGREE * math.cos(math.radians(lat))), 6),
    )


def _village_point(town_code: str, n: int) -> tuple[float, float]:
    angle = n * 2 * math.pi / 8
    return _offset(TOWN_CENTRES[town_code], 1400 * math.cos(angle), 1400 * math.sin(angle))


@transaction.atomic
def seed_ecosystem() -> dict:
    district = Jurisdiction.objects.filter(code=DISTRICT).first()
    if district is None or not Carrier.objects.exists():
        raise DemoDataMissing("请先运行 chuangfu seed。 Run `chuangfu seed` first.")
    DistrictBounds.objects.get_or_create(jurisdiction=district, defaults=PUDONG_BOUNDS)
    located = areas = addresses = 0
    for town_code in TOWN_CENTRES:
        town = Jurisdiction.objects.filter(code=town_code).first()
        if town is None:
            continue
        villages = list(town.children.filter(is_demo=True).order_by("code"))
        points = {v.pk: _village_point(town_code, n) for n, v in enumerate(villages)}
        for n, carrier in enumerate(Carrier.objects.filter(jurisdiction__path__startswith=town.path).order_by("pk")):
            if carrier.jurisdiction_id in points:
                point = _offset(points[carrier.jurisdiction_id], 30, -20)
            else:
                angle = n * 2.4
                point = _offset(TOWN_CENTRES[town_code], 500 * math.cos(angle), 500 * math.sin(angle))
            _site, created = CarrierSite.objects.get_or_create(
                carrier=carrier,
                defaults={
                    "latitude": point[0],
                    "longitude": point[1],
                    "opening_hours": OPENING_HOURS.get(carrier.kind, DEFAULT_HOURS),
                },
            )
            located += created
        for n, village in enumerate(villages):
            specs = AREAS + ([FAR_AREA] if n == len(villages) - 1 else [])
            for suffix, east, north in specs:
                lat, lon = _offset(points[village.pk], east, north)
                area, created = ResidentialArea.objects.get_or_create(
                    jurisdiction=village,
                    name=f"{village.name.removesuffix('居委会')}{suffix}",
                    defaults={"latitude": lat, "longitude": lon},
                )
                areas += created
                if created:
                    Address.objects.bulk_create(
                        Address(
                            text=f"{town.name}{area.name}{k // 4 + 1}号楼{k % 4 + 1}0{k % 3 + 1}室",
                            area=area,
                            jurisdiction=village,
                            latitude=_offset((lat, lon), (k % 6) * 25, (k // 6) * 25)[0],
                            longitude=_offset((lat, lon), (k % 6) * 25, (k // 6) * 25)[1],
                        )
                        for k in range(ADDRESSES_PER_AREA)
                    )
                    addresses += ADDRESSES_PER_AREA
    resources = _resources()
    return {
        "located": located,
        "areas": areas,
        "addresses": addresses,
        "resources": resources,
        **_linkages_and_cases(),
        **_industry(),
    }


RESOURCES = [
    (
        "investor",
        "唐镇天使投资基金",
        "天使轮投资，单笔 50-200 万元，重点投电子商务和数字化转型项目",
        "融资 天使轮 投资 电子商务",
        "unit",
        "投资发展集团",
    ),
    (
        "space",
        "唐创空间共享会议室",
        "30 人路演厅和 3 间会议室，入驻企业免费预约",
        "路演 会议室 场地",
        "carrier",
        "唐创空间孵化器",
    ),
    (
        "ip",
        "知识产权代理服务",
        "商标、专利申请代理，入驻企业首件申请费减半",
        "商标 专利 知识产权",
        "other",
        "上海某知识产权代理有限公司",
    ),
    (
        "training",
        "电商直播创业培训",
        "每季度一期，含直播运营和供应链课程",
        "直播 电商 培训",
        "unit",
        "社区事务受理服务中心",
    ),
    ("hr", "人才招聘对接", "对接高校毕业生，组织企业专场招聘", "招聘 人才 毕业生", "unit", "社区事务受理服务中心"),
]


def _resources() -> int:
    from chuangfu.core.models import Unit, User

    from .models import Resource

    town = Jurisdiction.objects.filter(code="310115114").first()
    author = User.objects.filter(username="tz_desk").first()
    if town is None or author is None:
        return 0
    created = 0
    for kind, name, offer, keywords, holder_kind, holder in RESOURCES:
        if Resource.objects.filter(jurisdiction=town, kind=kind, name=name).exists():
            continue
        fields = {"holder_name": holder} if holder_kind == "other" else {}
        if holder_kind == "unit":
            fields["holder_unit"] = Unit.objects.filter(jurisdiction=town, name=holder).first()
        elif holder_kind == "carrier":
            fields["holder_carrier"] = Carrier.objects.filter(jurisdiction=town, name=holder).first()
        if not any(fields.values()):
            continue
        Resource.objects.create(
            jurisdiction=town, kind=kind, name=name, offer=offer, keywords=keywords, created_by=author, **fields
        )
        created += 1
    return created


# 上海唐启一鸣数字科技有限公司's needs (tz_entrepreneur's firm): (resource kind, need, the resource
# it is put in touch with, outcome: True met, False failed, None pending, and the outcome's note).
NEEDS = [
    ("investor", "天使轮融资约 100 万元，用于扩建直播间和招聘运营人员", "唐镇天使投资基金", True, "已签投资意向书"),
    ("space", "每月一次新品路演，需要 30 人的场地", "唐创空间共享会议室", None, ""),
    ("ip", "想为社区电商小程序注册商标", "知识产权代理服务", False, "企业决定暂缓申请商标，先做市场验证"),
]


def _linkages_and_cases() -> dict:
    """Needs of tz_entrepreneur's firm linked to the demo resources (met, pending, failed with why),
    and two case files: tz_entrepreneur's, opened a month before the firm was founded (so it counts
    as 创业成功), and a young local resident's with an intention to start, opened last month."""
    import datetime

    from django.utils import timezone

    from chuangfu.core.models import User
    from chuangfu.registry.models import Enterprise, EnterprisePerson, Person

    from .models import CaseFile, Need, Resource
    from .services import cases, resources

    town = Jurisdiction.objects.filter(code="310115114").first()
    author = User.objects.filter(username="tz_desk").first()
    firm = Enterprise.objects.filter(name="上海唐启一鸣数字科技有限公司").select_related("legal_representative").first()
    if town is None or author is None or firm is None:
        return {"linkages": 0, "cases": 0}
    linked = opened = 0
    for kind, description, resource_name, met, note in NEEDS:
        resource = Resource.objects.filter(jurisdiction=town, name=resource_name).first()
        if resource is None or Need.objects.filter(enterprise=firm, description=description).exists():
            continue
        need = resources.need_create(actor=author, enterprise=firm, kinds=[kind], description=description)
        linkage = resources.linkage_create(actor=author, need=need, resource=resource)
        if met is not None:
            resources.linkage_outcome(actor=author, linkage=linkage, met=met, note=note)
        linked += 1
    founder = firm.legal_representative
    if founder is not None and not CaseFile.objects.filter(person=founder).exists():
        case = cases.case_open(
            actor=author,
            person=founder,
            opened_on=firm.founded_on - datetime.timedelta(days=30),
            diagnosis="大学毕业后想做社区电商小程序，缺场地和启动资金",
            services_planned="创业培训\n入驻唐创空间孵化器\n一次性创业补贴申请\n天使轮融资对接",
        )
        cases.followup_plan(actor=author, case=case, plan="回访融资到账和招聘情况", working_days=5)
        opened += 1
    diagnosis = "有开设社区咖啡馆的意向，不了解开业手续和补贴政策"
    hopeful = (
        Person.objects.filter(jurisdiction__path__startswith=town.path, entrepreneurial_intent=True, case_file=None)
        .exclude(pk__in=EnterprisePerson.objects.values("person_id"))
        .exclude(pk__in=Enterprise.objects.filter(legal_representative__isnull=False).values("legal_representative"))
        .order_by("pk")
        .first()
    )
    if hopeful is not None and not CaseFile.objects.filter(jurisdiction=town, diagnosis=diagnosis).exists():
        case = cases.case_open(
            actor=author,
            person=hopeful,
            opened_on=timezone.localdate() - datetime.timedelta(days=30),
            diagnosis=diagnosis,
            services_planned="开业指导\n创业培训\n创业担保贷款咨询",
        )
        cases.followup_plan(actor=author, case=case, plan="电话了解选址进展", working_days=3)
        opened += 1
    return {"linkages": linked, "cases": opened}


# The e-commerce and digital-transformation chains of work plan 二(四): (chain, description,
# [(link, stage, [(segment, GB/T 4754 大类 codes)])]).
CHAINS = [
    (
        "电子商务",
        "网上零售、直播电商及其上下游",
        [
            ("品牌与货源", "upstream", [("源头工厂与品牌商", "13,14,18"), ("供应链与批发", "51")]),
            ("平台与运营", "midstream", [("电商平台与网店运营", "52"), ("直播电商与内容运营", "72,87")]),
            ("物流与售后", "downstream", [("仓储物流与配送", "59,60"), ("售后与客服外包", "72")]),
            ("配套服务", "support", [("电子支付与金融", "66,69"), ("营销与数据服务", "64,73")]),
        ],
    ),
    (
        "数字化转型",
        "为中小企业提供上云、软件和数据服务",
        [
            ("基础技术", "upstream", [("云计算与数据中心", "64"), ("工业软件与开发工具", "65")]),
            ("解决方案", "midstream", [("系统集成与 SaaS", "65"), ("人工智能应用", "65,73")]),
            ("行业应用", "downstream", [("制造业数字化", "34,35,39"), ("商贸数字化", "51,52")]),
        ],
    ),
]
TAGS_PER_SEGMENT = 3
COMPETITION = ("“创业浦东”创新创业大赛", "浦东新区人力资源和社会保障局")


def _industry() -> dict:
    """Chains for 唐镇 with firms tagged by their industry, the default criteria, scores of this
    and last year, and nominations to this and last year's district competition (one awarded)."""
    from django.utils import timezone

    from chuangfu.core.models import User
    from chuangfu.registry.models import Enterprise, RegistrationStatus

    from .models import ChainSegment, Competition, InnovationAssessment, Nomination
    from .services import industry

    town = Jurisdiction.objects.filter(code="310115114").first()
    author = User.objects.filter(username="tz_desk").first()
    if town is None or author is None:
        return {"segments": 0, "nominations": 0}
    before = ChainSegment.objects.count()
    firms = Enterprise.objects.filter(
        jurisdiction__path__startswith=town.path, registration_status=RegistrationStatus.ACTIVE
    ).order_by("pk")
    if not ChainSegment.objects.filter(jurisdiction=town).exists():
        for n, (chain_name, description, links) in enumerate(CHAINS):
            chain = industry.chain_segment_create(
                actor=author, town=town, name=chain_name, description=description, position=n
            )
            for i, (link, stage, leaves) in enumerate(links):
                node = industry.chain_segment_create(
                    actor=author, town=town, parent=chain, name=link, stage=stage, position=i
                )
                for j, (leaf, codes) in enumerate(leaves):
                    segment = industry.chain_segment_create(
                        actor=author, town=town, parent=node, name=leaf, stage=stage, industry_codes=codes, position=j
                    )
                    for firm in firms.filter(industry_division__in=segment.codes)[:TAGS_PER_SEGMENT]:
                        industry.enterprise_tag(actor=author, segment=segment, enterprise=firm)
    criteria = industry.default_criteria(town)
    year = timezone.localdate().year
    scored = list(firms.filter(chain_memberships__isnull=False).distinct()[:8])
    for k, firm in enumerate(scored):
        for y in (year - 1, year):
            if InnovationAssessment.objects.filter(enterprise=firm, year=y).exists():
                continue
            scores = {c.pk: (c.max_points * (90 - 7 * k - 3 * (year - y)) // 100, "") for c in criteria}
            industry.innovation_assess(actor=author, enterprise=firm, year=y, scores=scores, summary="")
    nominations = 0
    for y in (year - 1, year):
        competition = Competition.objects.filter(jurisdiction=town, year=y, name=COMPETITION[0]).first()
        if competition is None:
            competition = industry.competition_create(
                actor=author, town=town, name=COMPETITION[0], organiser=COMPETITION[1], year=y, min_score=60
            )
        for firm in scored[:4]:
            if Nomination.objects.filter(competition=competition, enterprise=firm).exists():
                continue
            nomination = industry.nomination_create(
                actor=author,
                competition=competition,
                enterprise=firm,
                reason="技术创新突出，带动就业",
                track="数字经济",
            )
            nominations += 1
            if y == year - 1:
                step = scored.index(firm)
                if step < 3:
                    nomination = industry.nomination_transition(actor=author, nomination=nomination, name="advance")
                if step == 0:
                    industry.nomination_transition(actor=author, nomination=nomination, name="award", award="优胜奖")
                elif step == 1:
                    industry.nomination_transition(
                        actor=author, nomination=nomination, name="eliminate", note="复赛未晋级"
                    )
    return {"segments": ChainSegment.objects.count() - before, "nominations": nominations}
