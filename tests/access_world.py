"""Two towns with a record of every kind each, and an account of every role in the first: the
world the role-matrix test walks. ``values(town, accounts)`` returns, for one town, the path
parameters of every URL and operation, keyed by ``"<url name or operation id glob>.<param>"``
(``"desk:*.pk"``: the ``pk`` of every desk page; ``"desk.ticket_*.ticket_id"``). The first key
that matches wins, so the specific keys come before the globs.

A new app adds a ``values`` section here for its own URLs; a URL whose parameter has no value
fails the matrix test with a message naming it.
"""

import datetime
import fnmatch
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from chuangfu.core.models import Job, Role, Unit
from tests import factories as f

_seq = itertools.count(1)
OWN_TOWN = "310115114"  # 唐镇
OTHER_TOWN = "310115125"  # 张江镇


class Multipart(dict):
    """A body sent as multipart/form-data (an operation that takes files), not as JSON."""


def accounts(town) -> dict:
    """One account of every role in ``town`` (units where the role needs one) and a superuser."""
    centre = f.unit("社区事务受理服务中心", town)
    market = f.unit("市场监管所", town, kind=Unit.Kind.GOVERNMENT)
    incubator = f.unit("测试孵化器", town, kind=Unit.Kind.CARRIER)
    units = {Role.DESK_STAFF: centre, Role.UNIT_LIAISON: market, Role.CARRIER_OPERATOR: incubator}
    out = {}
    for role in Role.values:
        if role == Role.ENTREPRENEUR:
            out[role] = f.user(role, None, mobile=f"136{next(_seq):08d}")
            f.person(name="创业者", account=out[role], jurisdiction=town)
        else:
            out[role] = f.user(role, town, units.get(role))
    out["superuser"] = f.user(Role.ADMIN, None, is_superuser=True, is_staff=True)
    return out


def _job(kind: str, town, by) -> Job:
    return Job.objects.create(kind=kind, title="测试任务", created_by=by, jurisdiction=town, status=Job.Status.DONE)


def registry(town, people) -> dict:
    from chuangfu.registry.exporters import JOB_KIND as EXPORT_KIND
    from chuangfu.registry.importers import JOB_KIND as IMPORT_KIND
    from chuangfu.registry.models import Carrier, CarrierKind, EnterprisePerson, Mentor, Premises

    person = f.person(name="王五", jurisdiction=town)
    enterprise = f.enterprise(jurisdiction=town)
    link = EnterprisePerson.objects.create(enterprise=enterprise, person=person, relation="founder")
    premises = Premises.objects.create(enterprise=enterprise, address="测试路1号", area=50)
    operator = people[Role.CARRIER_OPERATOR]
    carrier = Carrier.objects.create(
        kind=CarrierKind.INCUBATOR, name=f"测试孵化器{next(_seq)}", jurisdiction=town, operator_unit=operator.unit
    )
    mentor = Mentor.objects.create(name="导师", jurisdiction=town, account=people[Role.MENTOR])
    desk = people[Role.DESK_STAFF]
    return {
        "registry:person_reveal.field_name": "id_number",
        "registry:person_*.pk": person,
        "registry:enterprise_unlink.link_id": link,
        "registry:enterprise_premises_remove.premises_id": premises,
        "registry:enterprise_premises_edit.premises_id": premises,
        "registry:enterprise_*.pk": enterprise,
        "registry:carrier_*.pk": carrier,
        "registry:mentor_*.pk": mentor,
        "registry:export_*.job_id": _job(EXPORT_KIND, town, desk),
        "registry:import_template.kind": "person",
        "registry:import_*.job_id": _job(IMPORT_KIND, town, desk),
        "registry.person_*.person_id": person,
        "registry.enterprise_*.enterprise_id": enterprise,
        "registry.carrier_*.carrier_id": carrier,
        "registry.mentor_*.mentor_id": mentor,
        "_person": person,
        "_enterprise": enterprise,
        "_carrier": carrier,
        "_mentor": mentor,
    }


def desk(town, people, found) -> dict:
    from chuangfu.desk import services
    from chuangfu.desk.exporters import JOB_KIND
    from chuangfu.desk.models import Attachment, Category, TicketAssignment

    category = Category.objects.filter(jurisdiction=town).first()
    ticket, _ = services.ticket_submit_public(
        jurisdiction=town,
        category=category,
        description="想了解一次性创业补贴的申请条件。",
        requester_name="李娜",
        requester_mobile=f"137{next(_seq):08d}",
    )
    liaison = people[Role.UNIT_LIAISON]
    TicketAssignment.objects.create(
        ticket=ticket, unit=liaison.unit, role=TicketAssignment.Role.LEAD, accept_due=ticket.accept_due
    )
    ticket.lead_unit = liaison.unit
    ticket.save(update_fields=["lead_unit"])
    attachment = Attachment.objects.create(
        ticket=ticket,
        file=ContentFile(b"%PDF-1.4\n", name="a.pdf"),
        original_name="a.pdf",
        content_type="application/pdf",
        size=9,
    )
    return {
        "desk:attachment.attachment_id": attachment,
        "desk:ticket_act.name": "dispatch",
        "desk:*.pk": ticket,
        "desk:export_*.job_id": _job(JOB_KIND, town, people[Role.DESK_STAFF]),
        "service:mine_detail.number": ticket.number,
        "service:*.token": "not-a-token",
        "desk.ticket_fire.name": "dispatch",
        "desk.*.ticket_id": ticket,
    }


def activities(town, people, found) -> dict:
    from chuangfu.activities.models import (
        CompetitionCriterion,
        CompetitionEntry,
        JobPosting,
        MentoringRequest,
        MentoringSession,
        RegistrationQuestion,
    )
    from tests.activities import builders

    manager = people[Role.DESK_STAFF]
    activity = builders.activity(actor=manager, jurisdiction=town, type_code="competition")
    question = RegistrationQuestion.objects.create(activity=activity, text="您的行业？")
    registration = builders.register(activity)
    criterion = CompetitionCriterion.objects.create(activity=activity, name="创新性", max_score=30)
    entry = CompetitionEntry.objects.create(
        activity=activity,
        team_name="测试团队",
        project_title="测试项目",
        summary="简介",
        channel="self",
        contact_name="赵六",
        contact_mobile=f"137{next(_seq):08d}",
    )
    posting = JobPosting.objects.create(
        jurisdiction=town, enterprise=found["_enterprise"], position="店员", headcount=2
    )
    request = MentoringRequest.objects.create(
        jurisdiction=town, name="钱七", mobile=f"137{next(_seq):08d}", topic="融资", description="想了解融资。"
    )
    session = MentoringSession.objects.create(
        request=request,
        mentor=found["_mentor"],
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        mode="on_site",
    )
    del criterion
    return {
        "activities:transition.name": "close_registration",
        "activities:question_remove.question_pk": question,
        "activities:registration_action.registration_pk": registration,
        "activities:registration_action.action": "cancel",
        "activities:checkin_mark.registration_pk": registration,
        "activities:export.kind": "registrations",
        "activities:competition_export.kind": "scores",
        "activities:*.entry_pk": entry,
        "activities:job_*.pk": posting,
        "activities:mentoring_session.pk": session,
        "activities:mentoring_*.pk": request,
        "activities:judging_score.pk": entry,
        "activities:*.pk": activity,
        "events:ticket*.key": registration.manage_key,
        "events:feedback.key": registration.manage_key,
        "events:job_interest.pk": posting,
        "events:mentoring_rate.pk": session,
        "events:*.pk": activity,
        "activities.activity_transition.name": "close_registration",
        "activities.checkin.body": {"token": "not-a-token"},
        "activities.consultation_create.body": {
            "requester_name": "孙八",
            "requester_mobile": "13700000000",
            "description": "咨询",
        },
        "activities.*.activity_id": activity,
    }


def policies(town, people, found) -> dict:
    from chuangfu.policies.models import (
        ClauseComment,
        Consultation,
        OutreachCampaign,
        OutreachContact,
        RuleTestCase,
        VersionStatus,
    )
    from tests.policies.conftest import make_policy

    # The other town's policy is a draft: issue 12.2 (a draft is visible only to its own town).
    policy = make_policy(
        code=f"policy-{next(_seq)}", jurisdiction=town, status=VersionStatus.DRAFT, title="测试草稿政策"
    )
    version = policy.versions.get(number=1)
    case = RuleTestCase.objects.create(version=version, name="30岁", expected="eligible", facts={"age": 30})
    campaign = OutreachCampaign.objects.create(
        policy=policy, version=version, jurisdiction=town, title="提醒", message="请申请。"
    )
    contact = OutreachContact.objects.create(campaign=campaign, channel="phone", person=found["_person"])
    drafted = make_policy(
        code=f"policy-{next(_seq)}", jurisdiction=town, status=VersionStatus.CONSULTATION, title="测试征求意见政策"
    ).versions.get()
    consultation = Consultation.objects.create(
        version=drafted, number=1, summary="摘要", full_text="第一条\n第二条", due_on=timezone.localdate(),
        opened_by=people[Role.DESK_STAFF],
    )  # fmt: skip
    liaison = people[Role.UNIT_LIAISON]
    consultation.units.set([liaison.unit])
    comment = ClauseComment.objects.create(
        consultation=consultation, unit=liaison.unit, clause=1, text="意见", author=liaison
    )
    return {
        "policies:*.consultation_id": consultation,
        "policies:comment_respond.comment_id": comment,
        "policies:*.number": 1,
        "policies:*.case_id": case,
        "policies:contact_update.contact_id": contact,
        "policies:*.campaign_id": campaign,
        "policies:job_status.job_id": _job("policies.match", town, people[Role.DESK_STAFF]),
        "policies:subject_panel.kind": "person",
        "policies:subject_panel.subject_id": found["_person"],
        "policies:*.pk": policy,
        "policy:self_check_mine.kind": "person",
        "policy:*.number": 1,
        "policy:*.pk": policy,
        "policies.subject_policies.kind": "person",
        "policies.subject_policies.subject_id": found["_person"],
        "policies.*.policy_id": policy,
        "_policy": policy,
    }


def subsidies(town, people, found) -> dict:
    from chuangfu.subsidies.models import (
        Application,
        ApplicationMaterial,
        DisbursementBatch,
        EntitlementBatch,
        EntitlementLine,
        NoticeBatch,
        NoticeEntry,
        Objection,
    )
    from tests.policies.conftest import make_policy
    from tests.subsidies.conftest import make_form

    policy = make_policy(code=f"grant-{next(_seq)}", jurisdiction=town, title="测试补贴")
    form = make_form(policy)
    applicant = people[Role.ENTREPRENEUR] if town.code == OWN_TOWN else None
    if applicant is None:
        applicant = f.user(Role.ENTREPRENEUR, None, mobile=f"136{next(_seq):08d}")
        f.person(name="外镇创业者", account=applicant, jurisdiction=town)
    application = Application.objects.create(
        policy=policy,
        version=form.version,
        form=form,
        jurisdiction=town,
        person=applicant.person,
        created_by=applicant,
        data={"project": "咖啡馆"},
    )
    requirement = form.materials.first()
    material = ApplicationMaterial.objects.create(
        application=application,
        requirement=requirement,
        file=ContentFile(b"%PDF-1.4\n", name="m.pdf"),
        original_name="m.pdf",
        content_type="application/pdf",
        size=9,
    )
    n = next(_seq)
    notice = NoticeBatch.objects.create(number=f"GS{n:06d}", jurisdiction=town, title="公示", days=5)
    entry = NoticeEntry.objects.create(
        batch=notice, application=application, public_name="李*", policy_title=policy.title, amount=Decimal("5000")
    )
    objection = Objection.objects.create(entry=entry, jurisdiction=town, source="staff", name="匿名", content="有异议")
    payout = DisbursementBatch.objects.create(number=f"BF{n:06d}", jurisdiction=town, title="拨付")
    automatic = make_policy(code=f"auto-{next(_seq)}", jurisdiction=town, title="免申即享补贴", obtain_mode="automatic")
    entitled = EntitlementBatch.objects.create(
        number=f"MS{n:06d}",
        policy=automatic,
        version=automatic.versions.get(),
        jurisdiction=town,
        period="2026-03",
        cycle_kind="month",
        cycle_on=datetime.date(2026, 3, 1),
        source="evaluated",
    )
    line = EntitlementLine.objects.create(
        batch=entitled,
        policy=automatic,
        period="2026-03",
        person=applicant.person,
        amount=Decimal("3000"),
        basis="定额",
    )
    return {
        "subsidies:entitlement_cycle.policy_id": automatic,
        "subsidies:entitlement_line.line_id": line,
        "subsidies:entitlement_act.name": "submit",
        "subsidies:entitlement_*.pk": entitled,
        "subsidies:apply.policy_id": policy,
        "subsidies:upload.requirement_id": requirement,
        "subsidies:*.material_id": material,
        "subsidies:form_edit.version_id": form.version,
        "subsidies:staff_act.name": "accept",
        "subsidies:*.pk": application,
        "notices:objection_resolve.objection_id": objection,
        "notices:*.pk": notice,
        "disbursements:pay.application_id": application,
        "disbursements:import_status.job_id": _job("subsidies.disbursement_import", town, people[Role.REVIEWER]),
        "disbursements:*.pk": payout,
        "public_notices:detail.number": notice.number,
        "subsidies.application_fire.name": "accept",
        "subsidies.*.application_id": application,
        "subsidies.entitlement_detail.batch_id": entitled,
        "subsidies.*.batch_id": notice,
        "subsidies.public_objection.number": notice.number,
    }


def aftercare(town, people, found) -> dict:
    """An obligation of the subsidies world's application (its applicant's) and a recovery of it."""
    from chuangfu.subsidies.models import Obligation, ObligationTerm, Recovery

    application = found["subsidies:*.pk"]
    term = ObligationTerm.objects.create(version=application.version, kind="report", months=3, title="提交报告")
    day = datetime.date(2026, 1, 15)
    obligation = Obligation.objects.create(
        application=application, term=term, jurisdiction=town, kind="report", title="提交报告", months=3,
        starts_on=day, due_on=datetime.date(2026, 4, 15), remind_on=datetime.date(2026, 4, 1),
    )  # fmt: skip
    recovery = Recovery.objects.create(
        application=application, obligation=obligation, jurisdiction=town, granted=Decimal("5000"),
        amount=Decimal("5000"), reason="未提交报告", number=f"ZH{next(_seq):09d}",
    )  # fmt: skip
    return {
        "aftercare:obligation_mark.name": "meet",
        "aftercare:recovery_act.name": "recover",
        "aftercare:recover*.pk": recovery,
        "aftercare:repay.pk": recovery,
        "aftercare:*.pk": obligation,
        "aftercare:terms.version_id": application.version,
        "subsidies.obligation_mark.name": "meet",
        "subsidies.recovery_act.name": "recover",
        "subsidies.obligation_report.body": {"content": "经营情况报告"},
        "subsidies.repayment_record.body": {"amount": "100", "paid_on": "2026-06-01", "reference": "JK0001"},
        "subsidies.*.obligation_id": obligation,
        "subsidies.*.recovery_id": recovery,
    }


def governance(town, people, found) -> dict:
    from chuangfu.governance.models import (
        AgendaItem,
        Body,
        Evidence,
        Meeting,
        MeetingSeries,
        Membership,
        Minutes,
        Plan,
        ProgressReport,
        Task,
        Term,
    )

    today = datetime.date(2026, 3, 2)
    body = Body.objects.create(jurisdiction=town, kind="leading_group", name=f"领导小组{next(_seq)}")
    term = Term.objects.create(body=body, name="第一届", starts_on=datetime.date(2025, 1, 1))
    member = Membership.objects.create(term=term, position="member", name="组员", joined_on=datetime.date(2025, 1, 1))
    plan = Plan.objects.create(jurisdiction=town, year=2026, title=f"工作计划{next(_seq)}")
    liaison = people[Role.UNIT_LIAISON]
    task = Task.objects.create(
        plan=plan, jurisdiction=town, title="开展服务日", lead_unit=liaison.unit, starts_on=today, due_on=today
    )
    report = ProgressReport.objects.create(task=task, unit=liaison.unit, author=liaison, text="已完成一半", percent=50)
    evidence = Evidence.objects.create(
        report=report, file=ContentFile(b"%PDF-1.4\n", name="e.pdf"), name="e.pdf", content_type="application/pdf"
    )
    series = MeetingSeries.objects.create(
        jurisdiction=town, body=body, kind="joint_meeting", name=f"联席会议{next(_seq)}", minutes_prefix="纪要"
    )
    meeting = Meeting.objects.create(
        series=series, jurisdiction=town, title="第一次会议", starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    item = AgendaItem.objects.create(meeting=meeting, title="议题", unit=liaison.unit, submitted_by=liaison)
    minutes = Minutes.objects.create(meeting=meeting, series=series, version=1, text="纪要稿")
    return {
        "governance:member_*.pk": member,
        "governance:*.term_pk": term,
        "governance:body*.pk": body,
        "governance:term_add.pk": body,
        "governance:plan*.pk": plan,
        "governance:task_create.plan_pk": plan,
        "governance:evidence.pk": evidence,
        "governance:task_transition.name": "supervise",
        "governance:task*.pk": task,
        "governance:milestone_add.pk": task,
        "governance:report_submit.pk": task,
        "governance:agenda_item_decide.name": "accept",
        "governance:agenda_item_decide.pk": item,
        "governance:agenda_item_move.pk": item,
        "governance:agenda_item_move.direction": "up",
        "governance:meeting_transition.name": "hold",
        "governance:minutes_transition.name": "approve",
        "governance:minutes*.pk": minutes,
        "governance:minutes_save.pk": meeting,
        "governance:*.pk": meeting,
        "governance.report_create.body": {"text": "进展", "percent": 10},
        "governance.report_create_with_files.body": Multipart(text="进展", percent="10"),
        "governance.*.task_id": task,
        "governance.plan_rollup.plan_id": plan,
    }


def portal(town, people, found) -> dict:
    from chuangfu.portal.models import Article, Case, CaseNomination, Dataset

    editor = people[Role.DESK_STAFF]
    case = Case.objects.create(
        jurisdiction=town,
        title="案例",
        summary="摘要",
        story="故事",
        theme="ecommerce",
        person=found["_person"],
        created_by=editor,
    )
    nomination = CaseNomination.objects.create(
        case=case, level="district", selection="区级创业典型", nominated_on=datetime.date(2026, 3, 2), created_by=editor
    )
    article = Article.objects.create(
        jurisdiction=town, title="新闻", summary="摘要", body="<p>正文</p>", created_by=editor
    )
    dataset = Dataset.objects.create(
        jurisdiction=town,
        name=f"dataset-{next(_seq)}",
        title="数据集",
        description="说明",
        publisher="唐镇",
        source="desk",
    )
    return {
        "portal:dataset*.name": dataset.name,
        "portal:dataset_download.fmt": "csv",
        "portal:*.pk": 1,
        "ckan_action*.action": "package_list",
        "portal_staff:case_action.name": "submit",
        "portal_staff:article_action.name": "submit",
        "portal_staff:nomination_result.nomination_pk": nomination,
        "portal_staff:case*.pk": case,
        "portal_staff:nomination_result.pk": case,
        "portal_staff:article*.pk": article,
        "portal_staff:dataset*.pk": dataset,
    }


def ecosystem(town, people, found) -> dict:
    from chuangfu.ecosystem.models import (
        CarrierChange,
        CaseFile,
        ChainSegment,
        Competition,
        FollowUp,
        Incubation,
        InnovationAssessment,
        Linkage,
        Need,
        Nomination,
        Resource,
        SegmentMembership,
        Visit,
        VisitProblem,
    )

    change = CarrierChange.objects.create(carrier=found["_carrier"], submitted_by=people[Role.CARRIER_OPERATOR])
    visit = Visit.objects.create(
        carrier=found["_carrier"], planned_on=datetime.date(2026, 3, 2), purpose="走访", created_by=people[Role.LEADER]
    )
    problem = VisitProblem.objects.create(visit=visit, description="缺少停车位")
    desk = people[Role.DESK_STAFF]
    incubation = Incubation.objects.create(
        carrier=found["_carrier"],
        enterprise=found["_enterprise"],
        admitted_on=datetime.date(2026, 1, 5),
        created_by=desk,
    )
    resource = Resource.objects.create(jurisdiction=town, kind="space", name="场地", offer="工位", created_by=desk)
    need = Need.objects.create(
        jurisdiction=town, description="需要工位", enterprise=found["_enterprise"], created_by=desk
    )
    linkage = Linkage.objects.create(need=need, resource=resource, created_by=desk)
    case = CaseFile.objects.create(
        person=found["_person"],
        jurisdiction=town,
        helper=desk,
        opened_on=datetime.date(2026, 1, 5),
        diagnosis="缺少资金",
        services_planned="创业贷款",
    )
    follow_up = FollowUp.objects.create(case=case, plan="回访", due_on=datetime.date(2026, 3, 2))
    chain = ChainSegment.objects.create(jurisdiction=town, name="电子商务")
    membership = SegmentMembership.objects.create(segment=chain, enterprise=found["_enterprise"], tagged_by=desk)
    assessment = InnovationAssessment.objects.create(enterprise=found["_enterprise"], year=2026, scored_by=desk)
    competition = Competition.objects.create(jurisdiction=town, name="创业大赛", year=2026, created_by=desk)
    nomination = Nomination.objects.create(
        competition=competition,
        enterprise=found["_enterprise"],
        assessment=assessment,
        reason="推荐",
        nominated_by=desk,
    )
    return {
        "ecosystem:chain_untag.membership_pk": membership,
        "ecosystem.segment_enterprises.segment_id": chain,
        "ecosystem.enterprise_innovation.enterprise_id": found["_enterprise"],
        "ecosystem:chain_*.pk": chain,
        "ecosystem:enterprise_innovation.pk": found["_enterprise"],
        "ecosystem:nomination_step.name": "advance",
        "ecosystem:nomination_*.pk": nomination,
        "ecosystem:quarterly_import_status.job_id": Job.objects.create(
            kind="ecosystem.quarterly_import",
            title="季度数据导入",
            created_by=desk,
            jurisdiction=town,
            status=Job.Status.DONE,
            params={"carrier": found["_carrier"].pk},
        ),
        "ecosystem:followup_done.follow_up_pk": follow_up,
        "ecosystem:case_*.pk": case,
        "ecosystem:followup_*.pk": case,
        "ecosystem.coverage.town_id": town,
        "ecosystem.need_matches.need_id": need,
        "ecosystem.linkage_create.need_id": need,
        "ecosystem.linkage_create.body": {"resource_id": resource.pk},
        "ecosystem.linkage_outcome.linkage_id": linkage,
        "ecosystem.linkage_outcome.body": {"met": True, "note": ""},
        "ecosystem.quarterly_report.body": {"year": 2026, "quarter": 1, "insured_headcount": 3, "revenue_band": "x"},
        "ecosystem.quarterly_report.incubation_id": incubation,
        "ecosystem:incubation_step.name": "start",
        "ecosystem:incubation_detail.pk": incubation,
        "ecosystem:incubation_step.pk": incubation,
        "ecosystem:resource_*.pk": resource,
        "ecosystem:linkage_create.resource_pk": resource,
        "ecosystem:linkage_outcome.linkage_pk": linkage,
        "ecosystem:linkage_outcome.outcome": "meet",
        "ecosystem:need_*.pk": need,
        "ecosystem:linkage_*.pk": need,
        "ecosystem:problem_*.problem_pk": problem,
        "ecosystem:problem_send.destination": "governance",
        "ecosystem:visit_*.pk": visit,
        "ecosystem:problem_*.pk": visit,
        "ecosystem:change_transition.name": "approve",
        "ecosystem:change_*.pk": change,
        "ecosystem:*.pk": found["_carrier"],
        "nearby:carrier.pk": found["_carrier"],
    }


def core(town, people, found) -> dict:
    from chuangfu.core import api_tokens
    from chuangfu.indicators.models import Survey
    from chuangfu.registry.exporters import JOB_KIND as EXPORT_KIND

    token, _raw = api_tokens.token_issue(
        actor=people[Role.ADMIN],
        name="一网通办",
        jurisdiction=town,
        role=Role.DESK_STAFF,
        operations=["registry.person_list"],
        days=30,
        known={"registry.person_list"},
    )

    survey = Survey.objects.create(
        jurisdiction=town,
        title="满意度调查",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        closes_on=datetime.date(2026, 4, 30),
        sample_size=10,
        created_by=people[Role.LEADER],
    )
    return {
        "indicators:survey*.pk": survey,
        "core:export_*.job_id": _job(EXPORT_KIND, town, people[Role.DESK_STAFF]),
        "core:api_token_revoke.pk": token,
        "django.views.static.serve.path": "no-such-file.png",
        "indicators:survey_action.action": "open",
        "survey_answer.token": "not-a-token",
        "indicators:drill.code": "no-such-indicator",
        "indicators:drill.part": "num",
        "indicators:scorecard*.pk": people[Role.UNIT_LIAISON].unit,
        "indicators:scorecard_drill.code": "no-such-measure",
        "indicators:scorecard_drill.part": "num",
        "admin:app_list.app_label": "core",
        "admin:*.url": "no-such-page/",
        "admin:*.object_id": "1",
        "admin:*.content_type_id": "1",
        "admin:*.id": "1",
    }


BUILDERS = [desk, activities, policies, subsidies, aftercare, governance, portal, ecosystem, core]


def values(town, people) -> dict:
    found = registry(town, people)
    for build in BUILDERS:
        found.update(build(town, people, found))
    return found


def lookup(found: dict, name: str, param: str, default=None):
    """The value of ``param`` for the URL or operation ``name``; KeyError when none is declared.

    ``body`` is the JSON body an operation is called with (``{}`` unless declared), so that an
    operation with required input is judged on its lookup, not refused as invalid input first."""
    for key, value in found.items():
        glob, _, key_param = key.rpartition(".")
        if key_param == param and fnmatch.fnmatchcase(name, glob):
            return getattr(value, "pk", value)
    if default is not None:
        return default
    raise KeyError(f"{name}: no value for the path parameter {param!r} (add one to tests/access_world.py)")
