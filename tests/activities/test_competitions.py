"""Competitions: entries, criteria, judges, blind scoring, ranking, nominees."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from chuangfu.activities.models import CompetitionEntry
from chuangfu.activities.services import competitions
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest():
    staff = builders.manager()
    activity = builders.activity(actor=staff, type_code="competition", title="唐镇创业大赛")
    competitions.criteria_use_defaults(activity=activity, actor=staff)
    judges = [factories.user(role=Role.MENTOR, display_name=name) for name in ("评委甲", "评委乙")]
    entries = []
    for team, title in (("星火团队", "社区团购平台"), ("青禾科技", "智能养老床垫")):
        entry = competitions.entry_submit(
            activity=activity,
            actor=None,
            team_name=team,
            project_title=title,
            summary="项目简介",
            channel="community",
            contact_name="联系人",
            contact_mobile="13712345678",
        )
        competitions.judges_assign(entry=entry, judges=judges, actor=staff)
        entries.append(entry)
    return {"activity": activity, "staff": staff, "judges": judges, "entries": entries}


def all_criteria(activity, value):
    return {str(c.pk): value for c in activity.criteria.all()}


def test_default_criteria_are_the_district_ones(contest):
    assert [(c.name, c.max_score) for c in contest["activity"].criteria.all()] == [
        ("创新性", 25),
        ("社会价值", 25),
        ("项目团队", 25),
        ("市场及发展前景", 25),
    ]


def test_a_judge_cannot_score_an_entry_not_assigned_to_them(contest):
    outsider = factories.user(role=Role.MENTOR)
    with pytest.raises(DomainError) as exc:
        competitions.score_submit(
            entry=contest["entries"][0], judge=outsider, values=all_criteria(contest["activity"], 20)
        )
    assert exc.value.code == "not_assigned" and "您不是该参赛项目的评委" in str(exc.value.message)


def test_scores_out_of_range_or_missing_are_refused(contest):
    activity, judge, entry = contest["activity"], contest["judges"][0], contest["entries"][0]
    values = all_criteria(activity, 20)
    values[next(iter(values))] = 26
    with pytest.raises(DomainError, match="创新性”的得分应在 0 到 25 之间"):
        competitions.score_submit(entry=entry, judge=judge, values=values)
    with pytest.raises(DomainError, match="请为“社会价值”打分"):
        competitions.score_submit(entry=entry, judge=judge, values={next(iter(values)): 10})
    assert not entry.assignments.filter(submitted_at__isnull=False).exists()


def test_ranking_is_sealed_until_scoring_closes_then_ranked_by_mean_total(contest, client):
    activity, (judge_a, judge_b), (first, second) = contest["activity"], contest["judges"], contest["entries"]
    competitions.score_submit(entry=first, judge=judge_a, values=all_criteria(activity, 20))
    competitions.score_submit(entry=first, judge=judge_b, values=all_criteria(activity, 10))
    competitions.score_submit(entry=second, judge=judge_a, values=all_criteria(activity, 18))
    competitions.score_submit(entry=second, judge=judge_b, values=all_criteria(activity, 18))
    client.force_login(contest["staff"])
    before = client.get(reverse("activities:competition", args=[activity.pk])).content.decode()
    assert "已评 2 / 2" in before and "72.00" not in before and 'id="ranking"' not in before
    client.force_login(judge_b)
    assignment = first.assignments.get(judge=judge_b)
    own = client.get(reverse("activities:judging_score", args=[assignment.pk])).content.decode()
    assert 'value="10.0"' in own and 'value="20.0"' not in own  # the other judge's scores are not shown
    competitions.scoring_close(activity=activity, actor=contest["staff"])
    client.force_login(contest["staff"])
    after = client.get(reverse("activities:competition", args=[activity.pk])).content.decode()
    ranking = after[after.index('id="ranking"') :]
    assert ranking.index("智能养老床垫") < ranking.index("社区团购平台")
    assert "72.00" in ranking and "60.00" in ranking


def test_no_scoring_after_close(contest):
    activity, judge, entry = contest["activity"], contest["judges"][0], contest["entries"][0]
    competitions.score_submit(entry=entry, judge=judge, values=all_criteria(activity, 20))
    competitions.scoring_close(activity=activity, actor=contest["staff"])
    with pytest.raises(DomainError, match="评分已于"):
        competitions.score_submit(entry=entry, judge=judge, values=all_criteria(activity, 25))


def test_judge_page_refuses_an_unassigned_entry(contest, client):
    outsider = factories.user(role=Role.MENTOR)
    client.force_login(outsider)
    assignment = contest["entries"][0].assignments.first()
    assert client.get(reverse("activities:judging_score", args=[assignment.pk])).status_code == 404


def test_nominees_export_lists_only_marked_entries(contest, client):
    activity, (judge_a, _), (first, second) = contest["activity"], contest["judges"], contest["entries"]
    for entry in (first, second):
        competitions.score_submit(entry=entry, judge=judge_a, values=all_criteria(activity, 15))
    with pytest.raises(DomainError, match="评分截止后才能推荐"):
        competitions.entry_nominate(entry=second, actor=contest["staff"], nominated=True)
    competitions.scoring_close(activity=activity, actor=contest["staff"])
    client.force_login(contest["staff"])
    client.post(reverse("activities:entry_nominate", args=[activity.pk, second.pk]), {"nominated": "1"})
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("activities:competition_export", args=[activity.pk, "nominees"])).content)
        ).active.values
    )
    assert rows[0][:3] == ("名次", "企业/团队", "项目名称")
    assert [r[2] for r in rows[1:]] == ["智能养老床垫"]
    results = list(
        load_workbook(
            io.BytesIO(client.get(reverse("activities:competition_export", args=[activity.pk, "results"])).content)
        ).active.values
    )
    assert len(results) == 3 and "创新性" in results[0]


def test_entry_materials_are_checked_by_content(contest):
    fake_pdf = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    with pytest.raises(DomainError, match="按文件内容判断"):
        competitions.entry_submit(
            activity=contest["activity"],
            actor=None,
            team_name="新团队",
            project_title="新项目",
            summary="简介",
            channel="self",
            contact_name="甲",
            contact_mobile="13712345679",
            materials=fake_pdf,
        )
    assert CompetitionEntry.objects.count() == 2


def test_entrepreneur_submits_an_entry_online(contest, client):
    user = factories.user(role=Role.ENTREPRENEUR, mobile="13712340000")
    client.force_login(user)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf")
    client.post(
        reverse("events:competition_enter", args=[contest["activity"].pk]),
        {
            "team_name": "自主团队",
            "project_title": "社区咖啡",
            "summary": "社区里的咖啡店",
            "channel": "self",
            "contact_name": "小李",
            "contact_mobile": "13712340000",
            "materials": pdf,
        },
    )
    entry = CompetitionEntry.objects.get(project_title="社区咖啡")
    assert entry.submitted_by == user and entry.materials.name.endswith(".pdf")


def test_competition_pages_only_for_competition_activities(client):
    staff = builders.manager()
    act = builders.activity(actor=staff)
    client.force_login(staff)
    assert client.get(reverse("activities:competition", args=[act.pk])).status_code == 404


def test_a_competitions_public_card_and_page_count_its_entries(client, contest):
    activity = contest["activity"]
    card = client.get(reverse("events:list")).content.decode()
    assert "唐镇创业大赛" in card and "参赛项目 2 个" in card
    assert f"观众已报 0 / {activity.capacity} 人" in card  # the seats are the audience's, said so
    page = client.get(reverse("events:detail", args=[activity.pk])).content.decode()
    assert "参赛项目 2 个" in page
