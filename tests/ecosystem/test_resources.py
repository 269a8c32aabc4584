"""Resources and linkage (资源对接): needs matched with reasons, each 对接 with its outcome, counted."""

import pytest
from django.urls import reverse
from django.utils import translation

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Role, Unit
from chuangfu.ecosystem import selectors
from chuangfu.ecosystem.models import Linkage, Need, Resource
from chuangfu.ecosystem.services import resources as services
from chuangfu.registry.models import EnterprisePerson
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def investor(desk, tangzhen):
    unit = Unit.objects.create(name="唐镇投资发展集团", jurisdiction=tangzhen)
    return services.resource_create(
        actor=desk,
        jurisdiction=tangzhen,
        kind="investor",
        name="唐镇天使基金",
        offer="天使轮投资，单笔 50-200 万元",
        keywords="融资 天使轮 电子商务",
        holder_unit=unit,
    )


@pytest.fixture
def lawyer(desk, tangzhen):
    return services.resource_create(
        actor=desk, jurisdiction=tangzhen, kind="legal", name="法律服务站", offer="合同审查", holder_name="某律所"
    )


@pytest.fixture
def need(desk, tangzhen):
    firm = f.enterprise("上海唐启电子商务有限公司", jurisdiction=tangzhen)
    return services.need_create(
        actor=desk, enterprise=firm, kinds=["investor"], description="直播电商项目需要天使轮融资约 100 万元"
    )


def test_a_need_is_matched_to_resources_with_reasons(desk, need, investor, lawyer):
    matches = selectors.match_resources(actor=desk, need=need)
    assert [m.resource for m in matches] == [investor]
    assert matches[0].reasons_display == "类型符合：投资机构；关键词：融资、天使轮" and matches[0].score == 7


def test_a_linkage_keeps_its_reasons_as_data_and_reads_them_in_the_pages_language(client, desk, need, investor):
    linkage = services.linkage_create(actor=desk, need=need, resource=investor)  # made on a Chinese page
    assert linkage.reasons == [{"code": "kind", "kind": "investor"}, {"code": "keywords", "words": ["融资", "天使轮"]}]
    client.force_login(desk)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("ecosystem:need_detail", args=[need.pk])).content.decode()
    assert "Kind wanted: Investor; Keywords: 融资, 天使轮" in page and "类型符合" not in page
    with translation.override("en"):
        assert Linkage(reasons=["旧的理由"]).reasons_display == "旧的理由"  # a row written as text stays as written


def test_the_enterprises_industry_is_matched_by_its_section_name_whatever_the_pages_language(desk, tangzhen):
    firm = f.enterprise(jurisdiction=tangzhen, industry_section="I")
    need = services.need_create(actor=desk, enterprise=firm, description="想做一个小程序")
    software = services.resource_create(
        actor=desk,
        jurisdiction=tangzhen,
        kind="upstream",
        name="唐镇软件园",
        offer="面向信息传输、软件和信息技术服务业企业的上下游对接",
        holder_name="软件园",
    )
    for language in ("zh-hans", "en"):
        with translation.override(language):
            matches = selectors.match_resources(actor=desk, need=need)
            assert [(m.resource, m.reasons) for m in matches] == [(software, [{"code": "industry", "section": "I"}])]
    with translation.override("en"):
        assert matches[0].reasons_display == "Same industry: Information transmission, software and IT services"
    chosen = services.linkage_create(actor=desk, need=need, resource=software)
    assert chosen.reasons == [{"code": "industry", "section": "I"}]


def test_each_linkage_is_recorded_once_with_its_outcome_and_counted(desk, need, investor, lawyer):
    first = services.linkage_create(actor=desk, need=need, resource=investor)
    again = services.linkage_create(actor=desk, need=need, resource=investor)
    assert first == again and Linkage.objects.count() == 1
    assert selectors.match_resources(actor=desk, need=need) == []
    services.linkage_outcome(actor=desk, linkage=first, met=True, note="已签投资意向书")
    other = services.linkage_create(actor=desk, need=need, resource=lawyer)
    with pytest.raises(DomainError):
        services.linkage_outcome(actor=desk, linkage=other, met=False, note="")
    services.linkage_outcome(actor=desk, linkage=other, met=False, note="企业暂不需要")
    counts = selectors.linkage_counts(actor=desk)
    assert counts["totals"] == {"pending": 0, "met": 1, "failed": 1} and counts["total"] == 2
    with pytest.raises(DomainError):
        services.linkage_outcome(actor=desk, linkage=first, met=False, note="改主意")


def test_a_resource_is_never_linked_to_its_own_holder(desk, tangzhen):
    founder = f.person("赵一", jurisdiction=tangzhen)
    firm = f.enterprise("上海赵氏资本有限公司", jurisdiction=tangzhen)
    EnterprisePerson.objects.create(enterprise=firm, person=founder, relation="founder")
    fund = services.resource_create(
        actor=desk, jurisdiction=tangzhen, kind="fund", name="赵氏基金", offer="投资", holder_enterprise=firm
    )
    for subject in ({"enterprise": firm}, {"person": founder}):
        need = services.need_create(actor=desk, kinds=["fund"], description="需要投资", **subject)
        with pytest.raises(DomainError) as exc:
            services.linkage_create(actor=desk, need=need, resource=fund)
        assert exc.value.code == "self_link" and "不能与自身对接" in exc.value.message
    assert not Linkage.objects.exists()


def test_a_resource_names_exactly_one_holder(desk, tangzhen):
    with pytest.raises(DomainError) as exc:
        services.resource_create(actor=desk, jurisdiction=tangzhen, kind="space", name="场地", offer="100 平方米")
    assert exc.value.code == "holder"
    assert not Resource.objects.exists()


def test_another_towns_needs_and_resources_are_not_found(zj_desk, desk, need, investor, zhangjiang):
    with pytest.raises(NotFound):
        services.linkage_create(actor=zj_desk, need=need, resource=investor)
    zj_fund = services.resource_create(
        actor=zj_desk, jurisdiction=zhangjiang, kind="investor", name="张江基金", offer="投资", holder_name="张江"
    )
    with pytest.raises(NotFound):
        services.linkage_create(actor=desk, need=need, resource=zj_fund)
    district = f.user(Role.ADMIN, jurisdiction=f.district())
    with pytest.raises(DomainError) as exc:
        services.linkage_create(actor=district, need=need, resource=zj_fund)
    assert exc.value.code == "other_town"


def test_staff_link_a_need_to_an_investor_and_record_the_outcome_on_the_pages(client, desk, investor, tangzhen):
    firm = f.enterprise("上海星火直播科技有限公司", jurisdiction=tangzhen)
    client.force_login(desk)
    response = client.post(
        reverse("ecosystem:need_list"),
        {"uscc": firm.uscc, "kinds": ["investor"], "description": "扩大直播间需要融资", "source": "staff"},
    )
    need = Need.objects.get()
    assert response.status_code == 302 and need.enterprise == firm
    page = client.get(reverse("ecosystem:need_detail", args=[need.pk])).content.decode()
    assert "唐镇天使基金" in page and "关键词：融资" in page
    client.post(reverse("ecosystem:linkage_create", args=[need.pk, investor.pk]))
    linkage = Linkage.objects.get()
    client.post(reverse("ecosystem:linkage_outcome", args=[need.pk, linkage.pk, "met"]), {"note": "已投资"})
    linkage.refresh_from_db()
    assert linkage.status == "met" and linkage.outcome_note == "已投资"
    figures = client.get(reverse("ecosystem:linkage_figures"), {"status": "met"}).content.decode()
    assert "上海星火直播科技有限公司" in figures


def test_an_unknown_enterprise_gets_a_clear_message(client, desk):
    client.force_login(desk)
    response = client.post(
        reverse("ecosystem:need_list"), {"uscc": "91310115MA1K000000", "description": "x", "source": "staff"}
    )
    assert "企业名录中没有" in response.content.decode() and not Need.objects.exists()
