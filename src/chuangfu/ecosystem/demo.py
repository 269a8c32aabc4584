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
    return {"located": located, "areas": areas, "addresses": addresses, "resources": resources}


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
