"""Industry focus (issue 14 point 5): the chain as a configurable tree with firms counted per
segment and thin segments shown; innovation scores against stated criteria; nominations to the
district competition with their later stages and awards recorded on the enterprise."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import AuditEntry, Role
from chuangfu.ecosystem.models import ChainSegment, InnovationAssessment, Nomination, SegmentMembership
from chuangfu.ecosystem.selectors import industry as reads
from chuangfu.ecosystem.services import industry as services
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


@pytest.fixture
def chain(desk, tangzhen):
    root = services.chain_segment_create(actor=desk, town=tangzhen, name="电子商务")
    up = services.chain_segment_create(actor=desk, town=tangzhen, parent=root, name="平台与运营", stage="midstream")
    shop = services.chain_segment_create(
        actor=desk, town=tangzhen, parent=up, name="网店运营", stage="midstream", industry_codes="52", thin_below=2
    )
    live = services.chain_segment_create(actor=desk, town=tangzhen, parent=up, name="直播电商", thin_below=2)
    return {"root": root, "up": up, "shop": shop, "live": live}


@pytest.fixture
def village(tangzhen):
    return f.village(tangzhen)


@pytest.fixture
def criteria(tangzhen):
    return services.default_criteria(tangzhen)


@pytest.fixture
def firm(tangzhen):
    return f.enterprise("上海唐镇网店有限公司", jurisdiction=tangzhen, industry_division="52")


def full_marks(criteria, share=1.0):
    return {c.pk: (int(c.max_points * share), "理由") for c in criteria}


# --- the chain ---------------------------------------------------------------------------------


def test_the_chain_counts_operating_firms_per_segment_once_and_marks_thin_ones(desk, tangzhen, village, chain, firm):
    other = f.enterprise("上海另一网店有限公司", jurisdiction=village)  # registered in a village of the town
    gone = f.enterprise("上海已注销网店有限公司", jurisdiction=tangzhen, registration_status="cancelled")
    for enterprise in (firm, other, gone):
        services.enterprise_tag(actor=desk, segment=chain["shop"], enterprise=enterprise)
    services.enterprise_tag(actor=desk, segment=chain["live"], enterprise=firm)  # a firm on two segments
    services.enterprise_tag(actor=desk, segment=chain["live"], enterprise=firm)  # tagged twice: one tag
    [root] = reads.chain_tree(actor=desk, town=tangzhen)
    nodes = {n.segment.name: n for n in root.walk()}
    assert (nodes["网店运营"].direct, nodes["网店运营"].total, nodes["网店运营"].thin) == (2, 2, False)
    assert (nodes["直播电商"].total, nodes["直播电商"].thin) == (1, True)
    assert nodes["平台与运营"].total == 2 and nodes["电子商务"].total == 2  # firm counted once up the tree
    assert SegmentMembership.objects.filter(segment=chain["live"]).count() == 1


def test_the_chain_page_shows_counts_thin_segments_and_candidates_by_industry(client, desk, tangzhen, chain, firm):
    client.force_login(desk)
    page = client.get(reverse("ecosystem:chain_overview")).content.decode()
    assert "网店运营" in page and "薄弱环节" in page and "直播电商" in page
    segment_page = client.get(reverse("ecosystem:chain_segment", args=[chain["shop"].pk])).content.decode()
    assert "可能属于本环节的企业" in segment_page and firm.name in segment_page
    response = client.post(reverse("ecosystem:chain_tag", args=[chain["shop"].pk]), {"uscc": firm.uscc.lower()})
    assert response.status_code == 302
    assert SegmentMembership.objects.filter(segment=chain["shop"], enterprise=firm).exists()


def test_the_tree_is_configurable_and_refuses_cycles_depth_and_bad_codes(desk, tangzhen, chain):
    deeper = services.chain_segment_create(actor=desk, town=tangzhen, parent=chain["shop"], name="淘宝店")
    with pytest.raises(DomainError) as exc:  # five levels
        services.chain_segment_create(actor=desk, town=tangzhen, parent=deeper, name="更深")
    assert exc.value.code == "parent"
    with pytest.raises(DomainError):  # under itself
        services.chain_segment_update(actor=desk, segment=chain["up"], parent=chain["shop"], name="平台与运营")
    with pytest.raises(DomainError):  # under its own child: a cycle
        services.chain_segment_update(actor=desk, segment=chain["shop"], parent=deeper, name="网店运营")
    for codes in ("99", "5a", "12345", "<script>", "00"):
        with pytest.raises(DomainError) as exc:
            services.chain_segment_create(
                actor=desk, town=tangzhen, parent=chain["up"], name="新环节", industry_codes=codes
            )
        assert exc.value.code == "industry_codes"
    with pytest.raises(DomainError) as exc:
        services.chain_segment_create(actor=desk, town=tangzhen, parent=chain["up"], name="网店运营")
    assert exc.value.code == "duplicate_segment"
    moved = services.chain_segment_update(
        actor=desk,
        segment=chain["live"],
        parent=chain["root"],
        name="直播电商",
        stage="support",
        industry_codes="87，72",
    )
    assert moved.parent == chain["root"] and moved.codes == ["87", "72"]
    with pytest.raises(DomainError):  # something hangs off it
        services.chain_segment_delete(actor=desk, segment=chain["up"])
    services.chain_segment_delete(actor=desk, segment=deeper)
    assert not ChainSegment.objects.filter(pk=deeper.pk).exists()
    assert AuditEntry.objects.filter(action="ecosystem.chain_segment.deleted").exists()


def test_another_towns_chain_and_firms_are_not_found(desk, zj_desk, tangzhen, zhangjiang, chain, firm, client):
    with pytest.raises(NotFound):
        services.enterprise_tag(actor=zj_desk, segment=chain["shop"], enterprise=firm)
    zj_firm = f.enterprise("上海张江软件有限公司", jurisdiction=zhangjiang)
    with pytest.raises(NotFound):
        services.enterprise_tag(actor=desk, segment=chain["shop"], enterprise=zj_firm)
    with pytest.raises(NotFound):
        services.chain_segment_create(actor=zj_desk, town=zhangjiang, parent=chain["up"], name="越界")
    with pytest.raises(NotFound):
        services.chain_segment_create(actor=desk, town=zhangjiang, name="越界")
    client.force_login(zj_desk)
    for name in ("chain_segment", "chain_segment_delete", "chain_tag"):
        method = client.get if name == "chain_segment" else client.post
        assert method(reverse(f"ecosystem:{name}", args=[chain["shop"].pk])).status_code == 404
    assert client.get(reverse("ecosystem:enterprise_innovation", args=[firm.pk])).status_code == 404
    assert client.get(reverse("ecosystem:chain_overview")).content.decode().count("网店运营") == 0
    assert ChainSegment.objects.count() == 4


@pytest.mark.parametrize("role", [Role.CARRIER_OPERATOR, Role.ENTREPRENEUR, Role.UNIT_LIAISON])
def test_only_the_office_reaches_the_industry_pages(client, chain, firm, role, operator_unit):
    client.force_login(f.user(role, unit_=operator_unit if role == Role.CARRIER_OPERATOR else None))
    for url in (
        reverse("ecosystem:chain_overview"),
        reverse("ecosystem:chain_segment", args=[chain["shop"].pk]),
        reverse("ecosystem:innovation_overview"),
        reverse("ecosystem:enterprise_innovation", args=[firm.pk]),
        reverse("ecosystem:export_chain"),
    ):
        assert client.get(url).status_code == 403, url  # the role table refuses the role


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "", "thin_below": "3"},
        {"name": "x" * 65, "thin_below": "3"},
        {"name": "新链", "thin_below": "-1"},
        {"name": "新链", "thin_below": "99999999999999999999"},
        {"name": "新链", "thin_below": "3", "position": "1e9"},
        {"name": "新链", "thin_below": "3", "industry_codes": "52,\x00"},
        {"name": "新链", "thin_below": "3", "stage": "sideways"},
    ],
)
def test_hostile_segment_input_gets_a_clear_error_and_saves_nothing(client, desk, chain, payload):
    client.force_login(desk)
    response = client.post(reverse("ecosystem:chain_overview"), payload)
    assert response.status_code == 400
    assert ChainSegment.objects.count() == 4


def test_hostile_ids_in_addresses_are_not_found(client, desk):
    client.force_login(desk)
    for url in ("/ecosystem/chain/99999999999999999999/", "/ecosystem/nominations/99999999999999999999/"):
        assert client.get(url).status_code == 404
    assert client.get(reverse("ecosystem:chain_overview") + "?town=abc").status_code == 200
    assert client.get(reverse("ecosystem:export_chain") + "?town=99999999999999999999").status_code == 200


# --- scoring and nominations -------------------------------------------------------------------


def test_a_score_covers_every_stated_criterion_within_its_points(desk, firm, criteria):
    with pytest.raises(DomainError) as exc:
        services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores={criteria[0].pk: (10, "")})
    assert "项目团队" in exc.value.message and "社会价值" in exc.value.message  # every missing one named
    too_many = full_marks(criteria) | {criteria[0].pk: (criteria[0].max_points + 1, "")}
    with pytest.raises(DomainError):
        services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=too_many)
    with pytest.raises(DomainError):
        services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria) | {-5: (1, "")})
    with pytest.raises(DomainError):
        services.innovation_assess(actor=desk, enterprise=firm, year=YEAR + 1, scores=full_marks(criteria))
    assert not InnovationAssessment.objects.exists()
    services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria, 0.5))
    again = services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria, 0.8))
    assert InnovationAssessment.objects.count() == 1
    assert services.assessment_percent(again) == 80


def test_a_nomination_needs_a_score_over_the_bar_and_happens_once(desk, tangzhen, firm, criteria):
    competition = services.competition_create(actor=desk, town=tangzhen, name="“创业浦东”大赛", year=YEAR, min_score=70)
    with pytest.raises(DomainError) as exc:
        services.nomination_create(actor=desk, competition=competition, enterprise=firm, reason="创新")
    assert exc.value.code == "not_scored"
    services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria, 0.6))
    with pytest.raises(DomainError) as exc:
        services.nomination_create(actor=desk, competition=competition, enterprise=firm, reason="创新")
    assert exc.value.code == "below_bar" and "70" in exc.value.message
    services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria, 0.9))
    nomination = services.nomination_create(actor=desk, competition=competition, enterprise=firm, reason="创新")
    with pytest.raises(DomainError) as exc:
        services.nomination_create(actor=desk, competition=competition, enterprise=firm, reason="再推荐一次")
    assert exc.value.code == "duplicate_nomination"
    assert Nomination.objects.count() == 1 and nomination.assessment.year == YEAR
    gone = f.enterprise("上海注销有限公司", jurisdiction=tangzhen, registration_status="cancelled")
    with pytest.raises(DomainError) as exc:
        services.nomination_create(actor=desk, competition=competition, enterprise=gone, reason="创新")
    assert exc.value.code == "not_operating"


def test_later_stages_and_the_award_are_recorded_back_on_the_enterprise(client, desk, tangzhen, firm, criteria):
    competition = services.competition_create(actor=desk, town=tangzhen, name="“创业浦东”大赛", year=YEAR)
    services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria, 0.9))
    nomination = services.nomination_create(
        actor=desk, competition=competition, enterprise=firm, reason="创新", track="数字经济"
    )
    with pytest.raises(DomainError):  # an award needs its name
        services.nomination_transition(actor=desk, nomination=nomination, name="advance")
        services.nomination_transition(actor=desk, nomination=nomination, name="award", award="")
    client.force_login(desk)
    url = reverse("ecosystem:nomination_step", args=[nomination.pk, "award"])
    assert client.post(url, {"award": "一等奖", "expect": "advanced"}).status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.award) == ("awarded", "一等奖")
    page = client.get(reverse("ecosystem:enterprise_innovation", args=[firm.pk])).content.decode()
    assert "一等奖" in page and "获奖" in page and competition.name in page
    assert client.post(reverse("ecosystem:nomination_step", args=[nomination.pk, "advance"])).status_code == 409
    nomination.refresh_from_db()
    assert nomination.status == "awarded"  # a finished nomination takes no further step
    assert client.post(reverse("ecosystem:nomination_step", args=[nomination.pk, "explode"])).status_code == 404
    assert AuditEntry.objects.filter(action="ecosystem.nomination.award").exists()


def test_the_scoring_and_nomination_forms_on_the_enterprise_page(client, desk, tangzhen, firm, criteria):
    competition = services.competition_create(actor=desk, town=tangzhen, name="“创业浦东”大赛", year=YEAR)
    client.force_login(desk)
    url = reverse("ecosystem:enterprise_innovation", args=[firm.pk])
    payload = {"action": "score", "year": YEAR, "summary": "好"}
    payload |= {f"points_{c.pk}": c.max_points - 1 for c in criteria}
    bad = payload | {f"points_{criteria[0].pk}": 999}
    assert client.post(url, bad).status_code == 400 and not InnovationAssessment.objects.exists()
    assert client.post(url, payload).status_code == 302
    response = client.post(url, {"action": "nominate", "competition": competition.pk, "reason": "创新", "track": ""})
    assert response.status_code == 302 and Nomination.objects.get().enterprise == firm
    response = client.post(url, {"action": "nominate", "competition": competition.pk, "reason": "又一次"})
    assert response.status_code == 400 and "已推荐" in response.content.decode()


def test_another_towns_competition_cannot_take_our_firm(desk, zj_desk, zhangjiang, firm, criteria):
    theirs = services.competition_create(actor=zj_desk, town=zhangjiang, name="张江大赛", year=YEAR)
    services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria))
    with pytest.raises(NotFound):
        services.nomination_create(actor=desk, competition=theirs, enterprise=firm, reason="越界")
    with pytest.raises(NotFound):
        services.nomination_create(actor=zj_desk, competition=theirs, enterprise=firm, reason="越界")
    with pytest.raises(NotFound):
        services.innovation_assess(actor=zj_desk, enterprise=firm, year=YEAR, scores=full_marks(criteria))


# --- exports and API ---------------------------------------------------------------------------


def test_the_chain_and_nominations_export_as_xlsx(client, desk, tangzhen, chain, firm, criteria):
    services.enterprise_tag(actor=desk, segment=chain["shop"], enterprise=firm)
    competition = services.competition_create(actor=desk, town=tangzhen, name="“创业浦东”大赛", year=YEAR)
    services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria))
    services.nomination_create(actor=desk, competition=competition, enterprise=firm, reason="创新")
    client.force_login(desk)
    sheet = load_workbook(io.BytesIO(client.get(reverse("ecosystem:export_chain")).getvalue())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert any(r[1] and "网店运营" in r[1] and r[6] == 1 for r in rows)
    sheet = load_workbook(io.BytesIO(client.get(reverse("ecosystem:export_nominations")).getvalue())).active
    values = [c.value for r in sheet.iter_rows() for c in r]
    assert firm.name in values and 100 in values


def test_the_api_gives_the_chain_an_enterprises_scores_and_nominations(
    client, desk, zj_desk, tangzhen, chain, firm, criteria
):
    services.enterprise_tag(actor=desk, segment=chain["shop"], enterprise=firm)
    competition = services.competition_create(actor=desk, town=tangzhen, name="“创业浦东”大赛", year=YEAR)
    services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria, 0.8))
    services.nomination_create(actor=desk, competition=competition, enterprise=firm, reason="创新")
    client.force_login(desk)
    [root] = client.get(f"/api/ecosystem/chain?town_id={tangzhen.pk}").json()
    shop = root["children"][0]["children"][0]
    assert (shop["name"], shop["total"], shop["thin"], shop["industry_codes"]) == ("网店运营", 1, True, ["52"])
    profile = client.get(f"/api/ecosystem/enterprises/{firm.pk}/innovation").json()
    assert profile["segments"] == ["网店运营"] and profile["assessments"][0]["percent"] == 80
    assert profile["nominations"][0]["status"] == "nominated"
    assert client.get("/api/ecosystem/nominations?status=nominated").json()[0]["score"] == 80
    firms = client.get(f"/api/ecosystem/chain/{chain['shop'].pk}/enterprises").json()
    assert firms[0]["uscc"] == firm.uscc
    client.force_login(zj_desk)
    assert client.get(f"/api/ecosystem/chain?town_id={tangzhen.pk}").status_code == 404
    assert client.get(f"/api/ecosystem/enterprises/{firm.pk}/innovation").status_code == 404
    assert client.get(f"/api/ecosystem/chain/{chain['shop'].pk}/enterprises").status_code == 404
    assert client.get("/api/ecosystem/nominations").json() == []
    assert client.get("/api/ecosystem/chain?town_id=99999999999999999999").status_code in (404, 422)


def test_the_administrator_keeps_the_criteria_in_the_configuration_screens(client, criteria, firm, desk):
    admin = f.user(Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/ecosystem/innovationcriterion/").status_code == 200
    url = f"/admin/ecosystem/innovationcriterion/{criteria[0].pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "jurisdiction": criteria[0].jurisdiction_id,
        "name": criteria[0].name,
        "guidance": criteria[0].guidance,
        "max_points": 40,
        "position": 0,
        "active": "on",
    }
    assert client.post(url, data).status_code == 302
    assessment = services.innovation_assess(actor=desk, enterprise=firm, year=YEAR, scores=full_marks(criteria))
    assert services.assessment_percent(assessment) == round(100 * 100 / 110)  # 30 of the criterion's new 40
