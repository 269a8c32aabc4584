"""``chuangfu seed-activities``: demo activities around today, through the services, idempotent."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from chuangfu.activities import selectors
from chuangfu.activities.demo import DEMO_ACTIVITIES
from chuangfu.activities.models import (
    Activity,
    ActivityStatus,
    CompetitionEntry,
    Feedback,
    JobPosting,
    JudgeAssignment,
    Registration,
)
from chuangfu.core.models import User
from chuangfu.desk.models import Channel, Status, Ticket
from chuangfu.registry import seeding

pytestmark = pytest.mark.django_db


def test_demo_activities_need_the_registry_demo_data():
    with pytest.raises(CommandError, match="chuangfu seed"):
        call_command("seed_activities")
    assert not Activity.objects.exists()


def test_demo_activities_are_loaded_once_and_show_a_service_day_today(client):
    seeding.seed(scale=8, seed=42, workers=1)
    call_command("seed_activities")
    titles = dict(Activity.objects.values_list("title", "status"))
    assert set(titles) == {title for title, _ in DEMO_ACTIVITIES}
    assert titles["唐创空间创业服务日"] == ActivityStatus.IN_PROGRESS
    assert titles["电商直播创业培训"] == ActivityStatus.REGISTRATION_OPEN
    assert titles["一次性创业补贴政策宣讲会"] == ActivityStatus.FINISHED
    counts = (
        Registration.objects.count(),
        Feedback.objects.count(),
        JobPosting.objects.count(),
        CompetitionEntry.objects.count(),
        Ticket.objects.count(),
    )
    call_command("seed_activities")  # idempotent
    assert Activity.objects.count() == len(DEMO_ACTIVITIES)
    assert (
        Registration.objects.count(),
        Feedback.objects.count(),
        JobPosting.objects.count(),
        CompetitionEntry.objects.count(),
        Ticket.objects.count(),
    ) == counts

    service_day = Activity.objects.get(title="唐创空间创业服务日")
    figures = selectors.activity_figures(service_day)
    assert figures["confirmed"] == 13 and figures["attended"] == 8 and figures["walk_ins"] == 1
    operator = User.objects.get(username="tz_operator")
    assert selectors.activities_for(operator).filter(pk=service_day.pk).exists()  # hosted at their incubator
    consulted = selectors.activity_consultations(service_day, actor=User.objects.get(username="tz_desk"))
    assert (consulted["total"], consulted["answered"]) == (2, 1)
    assert {t.channel for t in consulted["tickets"]} == {Channel.ACTIVITY}
    liaison_view = selectors.activity_consultations(service_day, actor=User.objects.get(username="tz_liaison"))
    assert [t.status for t in liaison_view["tickets"]] == [Status.ANSWERED] and liaison_view["hidden"] == 1

    briefing = Activity.objects.get(title="一次性创业补贴政策宣讲会")
    assert selectors.activity_figures(briefing)["rated"] == 6
    closed = selectors.activity_consultations(briefing, actor=User.objects.get(username="tz_desk"))
    assert (closed["total"], closed["closed"]) == (1, 1)
    assert JobPosting.objects.filter(activity__title="唐镇创业企业招聘会").count() == 4
    competition = Activity.objects.get(title="唐镇创新创业大赛（初赛）")
    judges = set(JudgeAssignment.objects.filter(entry__activity=competition).values_list("judge__username", flat=True))
    assert judges == {"tz_mentor", "tz_leader"} and competition.entries.count() == 4

    # the public list shows today's service day
    page = client.get(reverse("events:list")).content.decode()
    assert "唐创空间创业服务日" in page and "电商直播创业培训" in page
