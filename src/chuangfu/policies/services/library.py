"""Maintaining the library: policies, versions (drafts, amendments, publishing), rules and
rule test cases. Every write checks the actor's right, runs in a transaction and is audited."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import diff, log_action, snapshot
from chuangfu.core.errors import DomainError
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import fire
from chuangfu.registry.search import words

from .. import rules
from ..models import (
    BenefitKind,
    ObtainMode,
    Policy,
    PolicyVersion,
    Result,
    RuleTestCase,
    Target,
    VersionStatus,
)
from ..permissions import can_edit_policies, can_edit_policy
from ..selectors import version_validity
from ..workflows import VERSION
from .matching import policy_match_queue

POLICY_FIELDS = (
    "code",
    "level",
    "title",
    "document_number",
    "issuing_body",
    "category",
    "target",
    "jurisdiction",
    "handling_unit",
    "handling_unit_name",
    "obtain_mode",
    "apply_url",
    "is_example",
)
VERSION_FIELDS = (
    "effective_from",
    "effective_to",
    "summary",
    "full_text",
    "benefit_kind",
    "benefit_amount",
    "benefit_cap",
    "benefit_max_months",
    "benefit_max_heads",
    "max_times",
    "benefit_note",
    "materials",
)


def _refuse(code: str, message, field: str | None = None, status: int = 400):
    raise DomainError(code, message, status=status, details={"field": field} if field else None)


def _require_editor(actor, policy: Policy | None = None) -> None:
    allowed = can_edit_policy(actor, policy) if policy is not None else can_edit_policies(actor)
    if not allowed:
        _refuse("forbidden", _("您没有维护这项政策的权限。"), status=403)


def _require_draft(version: PolicyVersion) -> None:
    if version.status in (VersionStatus.CONSULTATION, VersionStatus.APPROVED):
        _refuse(
            "version_in_consultation",
            _("第%(n)d版正在征求意见或已审定，不能修改；如需修改，请先退回修改。") % {"n": version.number},
            status=409,
        )
    if version.status != VersionStatus.DRAFT:
        _refuse(
            "version_published",
            _("第%(n)d版已发布，不能再修改；如需调整，请新建修订版本。") % {"n": version.number},
            status=409,
        )


def _check_policy(actor, values: dict, policy: Policy | None) -> None:
    if values.get("obtain_mode") == ObtainMode.ELSEWHERE and not values.get("apply_url"):
        _refuse("apply_url_required", _("在其他渠道申请的政策必须填写办理链接。"), "apply_url")
    jurisdiction = values.get("jurisdiction")
    ids = visible_jurisdiction_ids(actor)
    if jurisdiction is not None and ids is not None and jurisdiction.pk not in ids:
        _refuse("jurisdiction_out_of_scope", _("只能维护本辖区的政策。"), "jurisdiction")
    clash = Policy.objects.filter(code=values.get("code"))
    if policy is not None:
        clash = clash.exclude(pk=policy.pk)
    if values.get("code") and clash.exists():
        _refuse("duplicate_code", _("政策代码“%(code)s”已被使用。") % {"code": values["code"]}, "code")
    if policy is not None and values.get("target", policy.target) != policy.target and policy.versions.exists():
        _refuse("target_fixed", _("政策已有版本，不能更改对象（个人/企业），否则已写好的条件将失效。"), "target")


def _check_version(values: dict) -> None:
    start, end = values.get("effective_from"), values.get("effective_to")
    if start is None:
        _refuse("effective_from_required", _("请填写生效日期。"), "effective_from")
    if end is not None and end < start:
        _refuse(
            "dates_reversed",
            _("失效日期（%(end)s）早于生效日期（%(start)s）。") % {"end": end, "start": start},
            "effective_to",
        )
    for name in ("benefit_amount", "benefit_cap"):
        if values.get(name) is not None and values[name] < 0:
            _refuse("negative_amount", _("金额不能为负数。"), name)
    if values.get("benefit_kind") == BenefitKind.PERCENTAGE and (values.get("benefit_amount") or 0) > Decimal(100):
        _refuse("percentage_too_large", _("比例不能超过 100%。"), "benefit_amount")
    if not (values.get("summary") or "").strip():
        _refuse("summary_required", _("请填写政策摘要。"), "summary")


def policy_search_text_refresh(policy: Policy) -> None:
    """The words a search matches: title, document, issuing body and the newest summary, cut by jieba."""
    latest = policy.versions.order_by("-number").values_list("summary", flat=True).first() or ""
    text = " ".join([policy.title, policy.document_number, policy.issuing_body, policy.get_category_display(), latest])
    policy.search_text = f"{text} {' '.join(words(text))}"
    Policy.objects.filter(pk=policy.pk).update(search_text=policy.search_text)


@transaction.atomic
def policy_create(*, actor, policy_data: Mapping, version_data: Mapping) -> PolicyVersion:
    """A new policy with its first version, as a draft (not yet visible to the public)."""
    _require_editor(actor)
    values = {k: policy_data.get(k) for k in POLICY_FIELDS if k in policy_data}
    _check_policy(actor, values, None)
    version_values = {k: version_data.get(k) for k in VERSION_FIELDS if k in version_data}
    _check_version(version_values)
    policy = Policy.objects.create(**values)
    version = PolicyVersion.objects.create(policy=policy, number=1, rule={}, **version_values)
    policy_search_text_refresh(policy)
    log_action(actor=actor, action="policies.policy.created", obj=policy, after=snapshot(policy))
    return version


@transaction.atomic
def policy_update(*, actor, policy: Policy, data: Mapping) -> Policy:
    _require_editor(actor, policy)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    before = snapshot(policy)
    values = {k: data.get(k) for k in POLICY_FIELDS if k in data}
    _check_policy(actor, {**{k: getattr(policy, k) for k in POLICY_FIELDS}, **values}, policy)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    policy_search_text_refresh(policy)
    old, new = diff(before, snapshot(policy))
    if new:
        log_action(actor=actor, action="policies.policy.changed", obj=policy, before=old, after=new)
    return policy


@transaction.atomic
def version_amend(*, actor, policy: Policy) -> PolicyVersion:
    """A new draft version copying the newest one (fields, rule and test cases), for an amendment."""
    _require_editor(actor, policy)
    Policy.objects.select_for_update().get(pk=policy.pk)
    draft = policy.versions.exclude(status=VersionStatus.PUBLISHED).first()  # a draft, or one in consultation
    if draft is not None:
        _refuse("draft_exists", _("已有未发布的第%(n)d版草稿，请先完成或修改它。") % {"n": draft.number}, status=409)
    latest = policy.versions.order_by("-number").first()
    number = (policy.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    values = {k: getattr(latest, k) for k in VERSION_FIELDS} if latest else {}
    if latest is not None:
        values["effective_from"] = max(timezone.localdate(), latest.effective_from + datetime.timedelta(days=1))
        values["effective_to"] = None
    version = PolicyVersion.objects.create(policy=policy, number=number, rule=latest.rule if latest else {}, **values)
    if latest is not None:
        RuleTestCase.objects.bulk_create(
            [
                RuleTestCase(version=version, name=c.name, facts=c.facts, expected=c.expected)
                for c in latest.test_cases.all()
            ]
        )
    log_action(
        actor=actor,
        action="policies.version.created",
        obj=policy,
        after={"version": number, "copied_from": latest.number if latest else None},
    )
    return version


@transaction.atomic
def version_update(*, actor, version: PolicyVersion, data: Mapping) -> PolicyVersion:
    _require_editor(actor, version.policy)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    before = snapshot(version, fields=VERSION_FIELDS)
    values = {**{k: getattr(version, k) for k in VERSION_FIELDS}, **{k: data[k] for k in VERSION_FIELDS if k in data}}
    _check_version(values)
    for name, value in values.items():
        setattr(version, name, value)
    version.save()
    policy_search_text_refresh(version.policy)
    old, new = diff(before, snapshot(version, fields=VERSION_FIELDS))
    if new:
        log_action(
            actor=actor,
            action="policies.version.changed",
            obj=version.policy,
            before=old,
            after={**new, "version": version.number},
        )
    return version


@transaction.atomic
def version_set_rule(*, actor, version: PolicyVersion, rule) -> PolicyVersion:
    """Replace a draft's eligibility rule; ``rules.RuleError`` lists every problem and nothing is saved."""
    _require_editor(actor, version.policy)
    version = PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)
    _require_draft(version)
    canonical = rules.validate_rule(rule, version.policy.target)
    before = version.rule
    version.rule = canonical
    version.save(update_fields=["rule", "updated_at"])
    log_action(
        actor=actor,
        action="policies.version.rule_changed",
        obj=version.policy,
        before={"version": version.number, "rule": before},
        after={"version": version.number, "rule": canonical},
    )
    return version


# --- rule test cases ----------------------------------------------------------------------------


def _check_case_facts(facts: Mapping, subject: str) -> dict:
    allowed = {f.name: f for f in rules.facts_for(subject)}
    unknown = [k for k in facts if k not in allowed and k != "name"]
    if unknown:
        _refuse("unknown_fact", _("用例中有未知的条件项：%(names)s。") % {"names": "、".join(unknown)}, "facts")
    return dict(facts)


@transaction.atomic
def rule_case_save(
    *, actor, version: PolicyVersion, name: str, facts: Mapping, expected: str, case: RuleTestCase | None = None
) -> RuleTestCase:
    _require_editor(actor, version.policy)
    _require_draft(version)
    if not name.strip():
        _refuse("name_required", _("请填写用例说明。"), "name")
    if expected not in Result.values:
        _refuse("bad_expected", _("请选择预期结果。"), "expected")
    facts = _check_case_facts(facts, version.policy.target)
    if case is None:
        case = RuleTestCase.objects.create(version=version, name=name.strip(), facts=facts, expected=expected)
        action = "policies.rule_case.created"
    else:
        case.name, case.facts, case.expected = name.strip(), facts, expected
        case.save()
        action = "policies.rule_case.changed"
    log_action(
        actor=actor,
        action=action,
        obj=version.policy,
        after={"version": version.number, "case": case.name, "facts": facts, "expected": expected},
    )
    return case


@transaction.atomic
def rule_case_delete(*, actor, case: RuleTestCase) -> None:
    version = case.version
    _require_editor(actor, version.policy)
    _require_draft(version)
    log_action(
        actor=actor,
        action="policies.rule_case.deleted",
        obj=version.policy,
        before={"version": version.number, "case": case.name},
    )
    case.delete()


# --- publishing and the version in force ------------------------------------------------------


def version_publish(*, actor, version: PolicyVersion) -> PolicyVersion:
    """Publish a draft whose test cases all pass (a town's drafted policy is issued instead:
    ``drafting.version_issue``)."""
    return publish_checked(actor=actor, version=version, transition="publish")


def publish_checked(
    *, actor, version: PolicyVersion, transition: str, changes: Mapping | None = None, policy_changes=None
) -> PolicyVersion:
    """Publish ``version`` by ``transition`` (``publish`` or ``issue``), with its own ``changes``.

    A published version that started earlier and is still open on the new version's first day
    ends the day before (an amendment takes over); one that starts on or after that day is a
    clash and publishing is refused. Matching for the policy is queued after commit.
    """
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=version.policy_id)
        version.refresh_from_db()
        start, end = version.effective_from, version.effective_to
        overlapping = version.policy.versions.filter(status=VersionStatus.PUBLISHED).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=start)
        )
        if end is not None:
            overlapping = overlapping.filter(effective_from__lte=end)
        later = [v for v in overlapping if v.effective_from >= start]
        if later:
            _refuse(
                "validity_overlap",
                _("有效期与已发布的第%(n)d版（%(validity)s）重叠：修订版本的生效日期须晚于它。")
                % {"n": later[0].number, "validity": version_validity(later[0])},
                "effective_from",
                status=409,
            )
        published = fire(
            VERSION,
            version,
            transition,
            actor=actor,
            changes={"published_at": timezone.now(), "published_by": actor, **(changes or {})},
        )
        if policy_changes:
            before = snapshot(policy, fields=policy_changes.keys())
            Policy.objects.filter(pk=policy.pk).update(**policy_changes)
            log_action(
                actor=actor, action="policies.policy.changed", obj=policy, before=before, after=dict(policy_changes)
            )
        for earlier in overlapping:
            before = {"version": earlier.number, "effective_to": str(earlier.effective_to or "")}
            earlier.effective_to = start - datetime.timedelta(days=1)
            earlier.save(update_fields=["effective_to", "updated_at"])
            log_action(
                actor=actor,
                action="policies.version.superseded",
                obj=version.policy,
                before=before,
                after={
                    "version": earlier.number,
                    "effective_to": str(earlier.effective_to),
                    "superseded_by": version.number,
                },
            )
        published.policy.refresh_from_db()
        policy_search_text_refresh(published.policy)
        policy_match_queue(actor=actor, policy=published.policy)
    return published


__all__ = [
    "Target",
    "policy_create",
    "policy_update",
    "publish_checked",
    "rule_case_delete",
    "rule_case_save",
    "version_amend",
    "version_publish",
    "version_set_rule",
    "version_update",
]
