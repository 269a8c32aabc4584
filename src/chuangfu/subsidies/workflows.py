"""The subsidy application's one state machine, declared as data.

    草稿 ─提交→ 已提交 ─受理→ 已受理 ─初审通过→ 初审通过 ─复审通过→ 复审通过
        ─公示→ 公示中 ─公示期满核准→ 已核准 ─拨付→ 已拨付

    已提交 ─不予受理→ 不予受理            已提交/已受理/初审通过 ─补正→ 待补正
    待补正 ─提交补正材料→ 已提交 (returned before acceptance) or 已受理 (returned in review)
    已受理/初审通过 ─驳回→ 已驳回          草稿/已提交/待补正 (not yet accepted) ─撤回→ 已撤回
    公示中 ─异议成立→ 已驳回
    已受理/初审通过: 申请延期 · 批准延期 · 不批准延期 · 调整金额 (recorded, no change of state)

Who fires what:
* the applicant (entrepreneur account of the person or enterprise) or desk staff on their behalf:
  ``submit``, ``resubmit`` / ``resubmit_in_review``, ``withdraw`` (services in ``services.applying``);
* reviewers of the application's town: ``accept``, ``refuse``, ``request_correction``,
  ``first_approve``, ``second_approve`` (by another reviewer than the first), ``reject``,
  ``request_extension``, ``approve_extension`` / ``reject_extension`` (another reviewer or a leader),
  ``set_amount`` (services in ``services.reviewing``). Nobody acts on an application they submitted
  or that concerns them (``involvement``).
* the 公示 and disbursement part (notice batches, objections, disbursements — its own models and
  migration) fires ``publish`` (复审通过 → 公示中), ``uphold_objection`` (公示中 → 已驳回),
  ``finalise`` (公示中 → 已核准) and ``disburse`` (已核准 → 已拨付); it may add guards to them here.

Pages and the API offer ``APPLICATION.available(application, actor)`` only.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from chuangfu.core.models import Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import SYSTEM, SYSTEM_ROLE, State, StateMachine, Transition, all_of, transitions_checking
from chuangfu.policies.models import ObtainMode

from .models import (
    Application,
    EntitlementBatch,
    EntitlementStatus,
    NoticeBatch,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    Status,
)

S = Status
APPLICANT = {Role.ENTREPRENEUR, Role.DESK_STAFF}
REVIEWER = {Role.REVIEWER}
LEADER = {Role.LEADER}
IN_REVIEW = {S.ACCEPTED, S.FIRST_REVIEWED}  # the decision clock runs (paused while 待补正)
TERMINAL = {S.DISBURSED, S.NOT_ACCEPTED, S.REJECTED, S.WITHDRAWN}


# --- who is who ---------------------------------------------------------------------------------


def is_applicant(application, actor) -> bool:
    """The subject's own account (the person's, or the enterprise's), or whoever filled it in."""
    if actor is None or not actor.is_authenticated:
        return False
    if application.created_by_id == actor.pk:
        return True
    subject = application.subject
    return subject is not None and subject.account_id == actor.pk


def is_automatic(application) -> bool:
    """A 免申即享 grant: written by the platform from an approved entitlement batch, not filled in."""
    return application.policy.obtain_mode == ObtainMode.AUTOMATIC


def involvement(application, actor) -> str | None:
    """Why ``actor`` is too close to ``application`` to decide on it, or None. The reviewer who
    published a 免申即享 batch is its applications' ``created_by`` but filled nothing in."""
    filled_in = application.created_by_id == actor.pk and not is_automatic(application)
    if filled_in or application.submitted_by_id == actor.pk:
        return _("您填报或提交了这份申请，不能审核它。")
    person = getattr(actor, "person", None) if actor.pk else None
    if application.person_id:
        if application.person.account_id == actor.pk or (person is not None and person.pk == application.person_id):
            return _("这份申请是您本人的，不能审核。")
        return None
    enterprise = application.enterprise
    if enterprise.account_id == actor.pk:
        return _("这份申请是您所在企业的，不能审核。")
    if person is not None and (
        enterprise.legal_representative_id == person.pk or enterprise.people_links.filter(person_id=person.pk).exists()
    ):
        return _("您与申请企业有关联（法定代表人、创办人或员工），不能审核。")
    return None


# --- guards: (application, actor) -> None when allowed, else the reason -------------------------


def _in_scope(application, actor):
    if actor.role == Role.ENTREPRENEUR:
        return None if is_applicant(application, actor) else _("这不是您的申请。")
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and application.jurisdiction_id not in ids:
        return _("该申请不在您的管辖范围内。")
    return None


T = transitions_checking(_in_scope)


def _applicant(application, actor):
    if actor.role == Role.DESK_STAFF or is_applicant(application, actor):
        return None
    return _("只有申请人或代办窗口可以执行此操作。")


def _not_involved(application, actor):
    return involvement(application, actor)


def _not_yet_accepted(application, actor):
    if application.accepted_at is not None or application.deemed_accepted_on is not None:
        return _("申请已受理，不能再撤回；如需放弃请联系审核人员。")
    return None


def _returned_before_acceptance(application, actor):
    if application.accepted_at is not None:
        return _("这份申请是在审核中退回补正的。")
    return None


def _returned_in_review(application, actor):
    if application.accepted_at is None:
        return _("这份申请是在受理前退回补正的。")
    return None


def _not_deemed_accepted(application, actor):
    if application.deemed_accepted_on is not None:
        return _("受理期限已过，申请已视为受理，不能再作不予受理决定。")
    return None


def _automatic(application, actor):
    if not is_automatic(application):
        return _("只有免申即享政策的发放记录由名单生成。")
    return None


def _not_first_reviewer(application, actor):
    if application.first_reviewer_id == actor.pk:
        return _("初审和复审须由不同人员进行：您已做过这份申请的初审。")
    return None


def _no_extension_yet(application, actor):
    if application.extension_pending_days:
        return _("已有一项延期申请等待审批。")
    if application.extension_days:
        return _("审核期限只能延长一次。")
    return None


def _extension_pending(application, actor):
    if not application.extension_pending_days:
        return _("没有待审批的延期申请。")
    return None


def _not_extension_requester(application, actor):
    if application.extension_requested_by_id == actor.pk:
        return _("延期申请须由其他审核人员或领导批准。")
    return None


def _clock_or(guard):
    """The clock (``SYSTEM``, from the daily job) passes; anyone else must pass ``guard``."""

    def checked(application, actor):
        return None if actor is SYSTEM else guard(application, actor)

    return checked


def R(name, label, sources, target, *, roles=REVIEWER, public=False, note=False, guards=()):
    """A reviewer's decision: in scope and not involved."""
    return T(name, label, sources, target, roles, public=public, note=note, guards=(_not_involved, *guards))


def handled_message(locked: Application) -> str:
    """What someone acting on an out-of-date page is told: who handled it, when, and how."""
    from chuangfu.core.models import User

    state = APPLICATION.label(locked.status)
    # read the handler on its own: under PostgreSQL a row re-read after waiting for a lock keeps the
    # joined columns of the snapshot it first saw
    who = User.objects.filter(pk=locked.handled_by_id).first() if locked.handled_by_id else None
    if who is not None and locked.handled_at:
        return _("该申请已由%(who)s于 %(when)s 处理（%(action)s），当前状态为“%(state)s”，请刷新后查看。") % {
            "who": who,
            "when": timezone.localtime(locked.handled_at).strftime("%Y-%m-%d %H:%M"),
            "action": locked.handled_action,
            "state": state,
        }
    return _("该申请的状态已变为“%(state)s”，请刷新后查看。") % {"state": state}


def _stale(locked: Application, actor) -> str | None:
    """A stale page (``actor`` None) is always told who handled it; a refused transition only when
    someone else moved the application on."""
    if actor is not None and locked.handled_by_id in (None, actor.pk):
        return None
    return handled_message(locked)


def _stamp(transition, actor) -> dict:
    """Every transition records who handled the application last, when and how (the clock as nobody)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return {"handled_by": user, "handled_at": timezone.now(), "handled_action": str(transition.label)}


APPLICATION = StateMachine(
    name="subsidies.application",
    model=Application,
    timeline=True,
    lock_related=("form", "policy", "person", "enterprise"),
    stamp=_stamp,
    stale_message=_stale,
    note_required_message=gettext_lazy("“%(action)s”需要填写理由。"),
    states=[State(s.value, s.label, terminal=s in TERMINAL) for s in Status],
    transitions=[
        # the applicant, or desk staff on their behalf
        T("submit", gettext_lazy("提交申请"), {S.DRAFT}, S.SUBMITTED, APPLICANT, public=True, guards=[_applicant]),
        T(
            "resubmit",
            gettext_lazy("提交补正材料"),
            {S.CORRECTION},
            S.SUBMITTED,
            APPLICANT,
            public=True,
            guards=[_applicant, _returned_before_acceptance],
        ),
        T(
            "resubmit_in_review",
            gettext_lazy("提交补正材料"),
            {S.CORRECTION},
            S.ACCEPTED,
            APPLICANT,
            public=True,
            guards=[_applicant, _returned_in_review],
        ),
        T(
            "withdraw",
            gettext_lazy("撤回申请"),
            {S.DRAFT, S.SUBMITTED, S.CORRECTION},
            S.WITHDRAWN,
            APPLICANT,
            public=True,
            guards=[_applicant, _not_yet_accepted],
        ),
        # acceptance (受理)
        R("accept", pgettext_lazy("subsidy", "受理"), {S.SUBMITTED}, S.ACCEPTED, public=True),
        R(
            "refuse",
            gettext_lazy("不予受理"),
            {S.SUBMITTED},
            S.NOT_ACCEPTED,
            public=True,
            note=True,
            guards=[_not_deemed_accepted],
        ),
        R("request_correction", gettext_lazy("退回补正"), {S.SUBMITTED} | IN_REVIEW, S.CORRECTION, public=True),
        # review (初审 · 复审) and its deadline
        R("first_approve", gettext_lazy("初审通过"), {S.ACCEPTED}, S.FIRST_REVIEWED, public=True),
        R(
            "second_approve",
            gettext_lazy("复审通过"),
            {S.FIRST_REVIEWED},
            S.SECOND_REVIEWED,
            public=True,
            guards=[_not_first_reviewer],
        ),
        R("reject", gettext_lazy("驳回"), IN_REVIEW, S.REJECTED, public=True, note=True),
        R("set_amount", gettext_lazy("调整核定金额"), IN_REVIEW, None, note=True),
        R("request_extension", gettext_lazy("申请延期"), IN_REVIEW, None, note=True, guards=[_no_extension_yet]),
        R(
            "approve_extension",
            gettext_lazy("批准延期"),
            IN_REVIEW | {S.CORRECTION},
            None,
            roles=REVIEWER | LEADER,
            public=True,
            guards=[_extension_pending, _not_extension_requester],
        ),
        R(
            "reject_extension",
            gettext_lazy("不批准延期"),
            IN_REVIEW | {S.CORRECTION},
            None,
            roles=REVIEWER | LEADER,
            note=True,
            guards=[_extension_pending, _not_extension_requester],
        ),
        # 免申即享: an approved entitlement batch's line becomes a decided application (services.entitlements)
        R("entitle", gettext_lazy("免申即享核定"), {S.DRAFT}, S.SECOND_REVIEWED, public=True, guards=[_automatic]),
        # 公示 and disbursement (driven by the notice and disbursement services)
        R("publish", gettext_lazy("公示"), {S.SECOND_REVIEWED}, S.IN_NOTICE, public=True),
        R("uphold_objection", gettext_lazy("异议成立"), {S.IN_NOTICE}, S.REJECTED, public=True, note=True),
        Transition(
            name="finalise",
            label=gettext_lazy("公示期满核准"),
            sources={S.IN_NOTICE},
            target=S.APPROVED,
            roles=REVIEWER | {SYSTEM_ROLE},
            public=True,
            guard=_clock_or(all_of(_in_scope, _not_involved)),
        ),
        R("disburse", gettext_lazy("拨付"), {S.APPROVED}, S.DISBURSED, public=True),
    ],
)

# Transitions shown with a warning colour in the UI.
CAUTION = {"refuse", "reject", "request_correction", "withdraw", "reject_extension", "uphold_objection"}
# Transitions the staff detail page handles with its own form (the rest are a button plus a note).
WITH_FORM = {"request_correction", "set_amount", "request_extension"}


# --- 公示 batches and objections ---------------------------------------------------------------------

NOTICE_BATCH = StateMachine(
    name="subsidies.notice",
    model=NoticeBatch,
    states=[
        State(NoticeStatus.DRAFT, NoticeStatus.DRAFT.label),
        State(NoticeStatus.PUBLISHED, NoticeStatus.PUBLISHED.label),
        State(NoticeStatus.CLOSED, NoticeStatus.CLOSED.label, terminal=True),
    ],
    transitions=[
        Transition("publish", gettext_lazy("发布公示"), {NoticeStatus.DRAFT}, NoticeStatus.PUBLISHED, REVIEWER),
        # closed by the finalising service once every entry is decided (approved or withdrawn)
        Transition(
            "close", gettext_lazy("公示办结"), {NoticeStatus.PUBLISHED}, NoticeStatus.CLOSED, REVIEWER | {SYSTEM_ROLE}
        ),
    ],
)

OBJECTION = StateMachine(
    name="subsidies.objection",
    model=Objection,
    states=[
        State(ObjectionStatus.OPEN, ObjectionStatus.OPEN.label),
        State(ObjectionStatus.UPHELD, ObjectionStatus.UPHELD.label, terminal=True),
        State(ObjectionStatus.DISMISSED, ObjectionStatus.DISMISSED.label, terminal=True),
    ],
    transitions=[
        Transition(
            "uphold",
            gettext_lazy("异议成立"),
            {ObjectionStatus.OPEN},
            ObjectionStatus.UPHELD,
            REVIEWER,
            note_required=True,
        ),
        Transition(
            "dismiss",
            gettext_lazy("异议不成立"),
            {ObjectionStatus.OPEN},
            ObjectionStatus.DISMISSED,
            REVIEWER,
            note_required=True,
        ),
    ],
)


# --- 免申即享 batches -----------------------------------------------------------------------------------


def _batch_in_scope(batch: EntitlementBatch, actor):
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and batch.jurisdiction_id not in ids:
        return _("该名单不在您的管辖范围内。")
    return None


def _has_included_lines(batch: EntitlementBatch, actor):
    if not batch.lines.filter(included=True).exists():
        return _("名单中没有列入发放的对象。")
    return None


E = EntitlementStatus
ENTITLEMENT = StateMachine(
    name="subsidies.entitlement",
    model=EntitlementBatch,
    note_required_message=gettext_lazy("“%(action)s”需要填写意见。"),
    states=[State(s.value, s.label, terminal=s == E.PUBLISHED) for s in EntitlementStatus],
    transitions=[
        Transition(
            "submit",
            gettext_lazy("提交审批"),
            {E.REVIEWING},
            E.SUBMITTED,
            REVIEWER,
            guard=all_of(_batch_in_scope, _has_included_lines),
        ),
        Transition(
            "return",
            gettext_lazy("退回审核"),
            {E.SUBMITTED, E.APPROVED},
            E.REVIEWING,
            LEADER,
            note_required=True,
            guard=_batch_in_scope,
        ),
        Transition(
            "approve",
            gettext_lazy("批准发放"),
            {E.SUBMITTED},
            E.APPROVED,
            LEADER,
            guard=all_of(_batch_in_scope, _has_included_lines),
        ),
        Transition("publish", gettext_lazy("发布公示"), {E.APPROVED}, E.PUBLISHED, REVIEWER, guard=_batch_in_scope),
    ],
)
