"""A policy version's one state machine.

A district's or the city's policy is entered from its published text: 草稿 → 已发布. A town's own
policy may be drafted here (``services.drafting``): 草稿 → 征求意见中 (the member units comment, clause
by clause) → back to 草稿 to change the text, or → 已审定 (the leadership) → 已发布 when the office
issues it with its 文号. A version that went to consultation can only be published by being issued.

Publishing or issuing is allowed only when the version has test cases and every one of them gives the
expected result; a published version is read-only, and an amendment is a new draft.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chuangfu.core.models import Role
from chuangfu.core.workflow import State, StateMachine, Transition

from .models import Adoption, Level, PolicyVersion, VersionStatus
from .permissions import EDITOR_ROLES, can_approve_policy, can_edit_policy
from .selectors import rule_case_results

APPROVER_ROLES = frozenset({Role.LEADER, Role.ADMIN})


def _publishable(version, actor):
    if not can_edit_policy(actor, version.policy):
        return _("这项政策由%(owner)s维护，您不能发布它的版本。") % {"owner": version.policy.jurisdiction}
    results = rule_case_results(version)
    if not results:
        return _("发布前请至少添加一个测试用例，并确认结果符合预期。")
    failing = [r for r in results if not r.passed]
    if failing:
        return _("有 %(n)d 个测试用例未通过：%(names)s。") % {
            "n": len(failing),
            "names": "；".join(r.describe() for r in failing),
        }
    return None


def _publishable_directly(version, actor):
    if version.consultations.exists():
        return _("这一版本征求过意见，须经领导小组审定后印发（填写文号），不能直接发布。")
    return _publishable(version, actor)


def _consultable(version, actor):
    if version.policy.level != Level.TOWN:
        return _("只有本镇制定的镇级政策在平台上征求意见；区、市政策按已印发的原文录入后直接发布。")
    if not can_edit_policy(actor, version.policy):
        return _("这项政策由%(owner)s维护，您不能发起征求意见。") % {"owner": version.policy.jurisdiction}
    return None


def _maintainer(version, actor):
    if not can_edit_policy(actor, version.policy):
        return _("这项政策由%(owner)s维护。") % {"owner": version.policy.jurisdiction}
    return None


def _approvable(version, actor):
    if not can_approve_policy(actor, version.policy):
        return _("只有本镇领导小组可以审定本镇的政策。")
    consultation = version.consultations.filter(closed_at__isnull=True).order_by("-number").first()
    if consultation is None:
        return _("没有进行中的征求意见。")
    pending = consultation.comments.filter(adoption=Adoption.PENDING).count()
    if pending:
        return _("还有 %(n)d 条意见未答复，请先逐条答复采纳情况。") % {"n": pending}
    replied = set(consultation.replies.values_list("unit_id", flat=True))
    missing = [u.name for u in consultation.units.all() if u.pk not in replied]
    if missing and consultation.due_on >= timezone.localdate():
        return _("%(units)s 尚未反馈；反馈截止日期（%(due)s）之前不能审定。") % {
            "units": "、".join(missing),
            "due": consultation.due_on.isoformat(),
        }
    return None


VERSION = StateMachine(
    name="policies.version",
    model=PolicyVersion,
    states=[
        State(VersionStatus.DRAFT, _l("草稿")),
        State(VersionStatus.CONSULTATION, _l("征求意见中")),
        State(VersionStatus.APPROVED, _l("已审定")),
        State(VersionStatus.PUBLISHED, _l("已发布"), terminal=True),
    ],
    transitions=[
        Transition(
            "publish",
            _l("发布"),
            sources={VersionStatus.DRAFT},
            target=VersionStatus.PUBLISHED,
            roles=EDITOR_ROLES,
            guard=_publishable_directly,
        ),
        Transition(
            "consult",
            _l("征求意见"),
            sources={VersionStatus.DRAFT},
            target=VersionStatus.CONSULTATION,
            roles=EDITOR_ROLES,
            guard=_consultable,
        ),
        Transition(
            "revise",
            _l("退回修改"),
            sources={VersionStatus.CONSULTATION, VersionStatus.APPROVED},
            target=VersionStatus.DRAFT,
            roles=EDITOR_ROLES,
            guard=_maintainer,
        ),
        Transition(
            "approve",
            _l("审定"),
            sources={VersionStatus.CONSULTATION},
            target=VersionStatus.APPROVED,
            roles=APPROVER_ROLES,
            guard=_approvable,
        ),
        Transition(
            "issue",
            _l("印发"),
            sources={VersionStatus.APPROVED},
            target=VersionStatus.PUBLISHED,
            roles=EDITOR_ROLES,
            guard=_publishable,
        ),
    ],
)
