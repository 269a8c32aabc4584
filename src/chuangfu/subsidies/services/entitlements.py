"""免申即享: building a policy's entitlement batch for a cycle, one town at a time.

A policy obtained automatically (``ObtainMode.AUTOMATIC``) has a cycle — monthly unless set
otherwise (``entitlement_cycle_set``: quarterly, yearly) — and each cycle is judged on its first
day (the *cycle date*): the subjects eligible for the version in force that day.

* Who is eligible comes from what exists: the policy's stored full match when it was run on the
  cycle date with the same version (``Match`` rows, re-evaluations included); otherwise the same
  column evaluation as a full match, for that day, storing nothing
  (``policies.services.matching.policy_eligible_on``). Each candidate is then explained with the
  per-subject evaluation on the cycle date — the explanation the line keeps — and a candidate it
  does not find eligible is left out (the two evaluations are held equal by the property tests,
  so this only drops a subject whose record changed since the stored match).
* The amount comes from the version's benefit: 定额, or 按人按月 (a person counts one head, an
  enterprise its insured employees up to the version's limit) times the cycle's months, capped.
  Other kinds of benefit (a share of fees, a loan, a service) cannot be paid without an
  application and are refused.
* A subject that already used the version's ``max_times`` (applications decided in its favour,
  grants recorded elsewhere, lines of this policy waiting in other batches) gets a line excluded
  with the reason, so reviewers see why.
* One batch per (policy, period, town): building again, by the daily job or a reviewer, returns
  the batch that exists and makes nothing new (the database refuses a second one, so two builds
  at once make one batch).

The review, approval and publication are in ``entitlement_review``.
"""

import datetime
import functools
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.policies import rules
from chuangfu.policies.models import BenefitKind, Match, MatchRun, ObtainMode, Policy, PolicyVersion, Result
from chuangfu.policies.models import Target as PolicyTarget
from chuangfu.policies.permissions import can_edit_policy
from chuangfu.policies.selectors import version_in_force
from chuangfu.policies.services.matching import policy_eligible_on

from ..models import (
    CYCLE_KINDS,
    ApplicationForm,
    EntitlementBatch,
    EntitlementLine,
    EntitlementSource,
    PeriodKind,
)
from .limits import (
    CYCLE_MONTHS,
    Usage,
    months_problem,
    months_remaining,
    period_of,
    times_problem,
    usage,
    year_problem,
    year_remaining,
)

CENT = Decimal("0.01")
log = logging.getLogger(__name__)
AUTOMATIC_BENEFITS = (BenefitKind.FIXED, BenefitKind.PER_HEAD_MONTH)
CHUNK = 500


# --- cycles ----------------------------------------------------------------------------------------


def cycle_start(kind: str, day: datetime.date) -> datetime.date:
    """The first day of the cycle ``day`` falls in: its cycle date."""
    if kind == PeriodKind.YEAR:
        return day.replace(month=1, day=1)
    if kind == PeriodKind.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def _policy_form(policy: Policy, version: PolicyVersion | None = None) -> ApplicationForm | None:
    forms = ApplicationForm.objects.filter(version__policy=policy)
    return (forms.filter(version=version).first() if version else None) or forms.order_by("-version__number").first()


def policy_cycle(policy: Policy, version: PolicyVersion | None = None) -> str:
    """The policy's cycle: the one set on its version's automatic form (a new version keeps the
    one set before), monthly when none was set."""
    form = _policy_form(policy, version)
    return form.period_kind if form is not None and form.period_kind in CYCLE_KINDS else PeriodKind.MONTH


def policy_year_max(policy: Policy, version: PolicyVersion | None = None) -> Decimal | None:
    """The most one subject may receive of the policy in a calendar year (None: no maximum)."""
    form = _policy_form(policy, version)
    return form.max_amount_per_year if form is not None else None


def automatic_form(version: PolicyVersion, cycle: str | None = None) -> ApplicationForm:
    """The version's form: no fields or materials (nobody fills it in), the version's benefit as
    its amount rule, its cycle as the period, the yearly maximum set before (a new version keeps
    it). The applications a batch publishes point at it."""
    cycle = cycle or policy_cycle(version.policy, version)
    form, _created = ApplicationForm.objects.get_or_create(
        version=version,
        defaults={
            "amount_kind": "fixed",
            "amount_value": version.benefit_amount or 0,
            "amount_cap": version.benefit_cap,
            "max_times": version.max_times,
            "max_amount_per_year": policy_year_max(version.policy, version),
            "period_kind": cycle,
            "instructions": _("免申即享：无需申请，按登记信息核定后公示、发放。"),
        },
    )
    return form


KEEP = object()


def entitlement_cycle_set(
    *, actor, policy: Policy, cycle: str, max_amount_per_year: Decimal | object | None = KEEP
) -> ApplicationForm:
    """Set the policy's cycle (monthly, quarterly, yearly) and, when given, the most one subject may
    receive in a calendar year (None: no maximum), from its version in force on."""
    if not can_edit_policy(actor, policy):
        raise DomainError("forbidden", _("您不能修改这项政策的发放周期。"), status=403)
    refuse_unless_automatic(policy)
    if cycle not in CYCLE_KINDS:
        raise DomainError("invalid_cycle", _("发放周期须为按月、按季度或按年度。"))
    if max_amount_per_year is not KEEP and max_amount_per_year is not None and max_amount_per_year <= 0:
        raise DomainError("invalid_year_max", _("每年最高金额须大于 0；不限时留空。"))
    version = version_in_force(policy, timezone.localdate())
    with transaction.atomic():
        form = automatic_form(version, cycle)
        before = {"period_kind": form.period_kind, "max_amount_per_year": str(form.max_amount_per_year or "")}
        form.period_kind, form.updated_by = cycle, actor
        if max_amount_per_year is not KEEP:
            form.max_amount_per_year = max_amount_per_year
        form.save(update_fields=["period_kind", "max_amount_per_year", "updated_by", "updated_at"])
        log_action(
            actor=actor,
            action="subsidies.entitlement.cycle_set",
            obj=form,
            jurisdiction=policy.jurisdiction_id,
            before=before,
            after={
                "period_kind": cycle,
                "max_amount_per_year": str(form.max_amount_per_year or ""),
                "policy": policy.code,
            },
        )
    return form


# --- what a line is worth ------------------------------------------------------------------------


def refuse_unless_automatic(policy: Policy, version: PolicyVersion | None = None) -> None:
    if policy.obtain_mode != ObtainMode.AUTOMATIC:
        raise DomainError("not_automatic", _("“%(title)s”不是免申即享政策。") % {"title": policy.title})
    if version is None:
        return
    if version.benefit_kind not in AUTOMATIC_BENEFITS or not version.benefit_amount:
        raise DomainError(
            "benefit_not_payable",
            _("免申即享须按定额或按人按月计发并写明金额；“%(title)s”第%(n)d版为“%(kind)s”，不能自动生成名单。")
            % {"title": policy.title, "n": version.number, "kind": version.get_benefit_kind_display()},
        )
    if not version.rule:
        raise DomainError(
            "no_rule",
            _("“%(title)s”第%(n)d版没有享受条件，不能自动认定对象。") % {"title": policy.title, "n": version.number},
        )


def line_amount(version: PolicyVersion, record, cycle: str, months: int | None = None) -> tuple[Decimal, str]:
    """(amount, how it was computed) for one subject's registry record in one cycle; ``months``: the
    months of a 按人按月 benefit still to be paid when fewer than the cycle's (最长月数)."""
    value = version.benefit_amount
    if version.benefit_kind == BenefitKind.FIXED:
        amount, basis = value, _("定额 %(value)s 元") % {"value": value}
    else:
        months = CYCLE_MONTHS[cycle] if months is None else months
        heads = getattr(record, "insured_employees", 1)
        heads = int(heads or 0)
        if version.benefit_max_heads is not None:
            heads = min(heads, version.benefit_max_heads)
        amount = value * heads * months
        basis = _("%(value)s 元 × %(heads)d 人 × %(months)d 个月") % {"value": value, "heads": heads, "months": months}
    if version.benefit_cap is not None and amount > version.benefit_cap:
        amount = version.benefit_cap
        basis += _("，封顶 %(cap)s 元") % {"cap": version.benefit_cap}
    return amount.quantize(CENT, rounding=ROUND_HALF_UP), basis


def _limited(version, max_year, record, cycle: str, used: Usage, year: int) -> dict:
    """The line's amount and basis within the subject's limits (``limits``: the same rule and the
    same reading of what was used as an application's), or why it is left out. ``max_year``: the
    policy's yearly maximum (its automatic form's, kept from version to version)."""
    if problem := times_problem(version.max_times, used):
        amount, basis = line_amount(version, record, cycle)
        return {"amount": amount, "basis": basis, "included": False, "exclusion_reason": problem}
    months = None
    if version.benefit_kind == BenefitKind.PER_HEAD_MONTH:
        left = months_remaining(version.benefit_max_months, used)
        if left is not None and left < CYCLE_MONTHS[cycle]:
            months = left
    amount, basis = line_amount(version, record, cycle, months)
    if months is not None:
        basis += _("（已享受 %(used)d 个月，最长 %(max)d 个月）") % {
            "used": used.months,
            "max": version.benefit_max_months,
        }
        if months == 0:
            problem = months_problem(version.benefit_max_months, used, None)
            return {"amount": amount, "basis": basis, "included": False, "exclusion_reason": problem}
    left = year_remaining(max_year, used)
    if left is not None and amount > left:
        if left == 0:
            problem = year_problem(max_year, used, amount, year)
            return {"amount": amount, "basis": basis, "included": False, "exclusion_reason": problem}
        basis += _("，%(year)d 年已享受 %(used)s 元，每年最高 %(max)s 元，按余额核定") % {
            "year": year,
            "used": used.amount,
            "max": max_year,
        }
        amount = left
    if amount <= 0:
        reason = _("按登记信息计算的金额为 0 元（%(basis)s）。") % {"basis": basis}
        return {"amount": amount, "basis": basis, "included": False, "exclusion_reason": reason}
    return {"amount": amount, "basis": basis}


def _explained(conditions) -> list[dict]:
    return [{"text": str(c.text), "status": c.status, "actual": str(c.actual)} for c in conditions]


# --- who is eligible on the cycle date ---------------------------------------------------------------


def town_of_places() -> dict[int, int]:
    """{jurisdiction id: its town's id} for every town and village."""
    rows = Jurisdiction.objects.values_list("id", "level", "parent_id")
    return {
        pk: (pk if level == Jurisdiction.Level.TOWN else parent)
        for pk, level, parent in rows
        if level in (Jurisdiction.Level.TOWN, Jurisdiction.Level.VILLAGE)
    }


def _candidates(
    policy: Policy, version: PolicyVersion, on: datetime.date
) -> tuple[dict[int, list[int]], str, list[int]]:
    """({town id: eligible subject ids}, source, eligible subjects placed in no town) on the cycle
    date ``on``. The registry places every person and enterprise in a town or a village (its forms,
    services and imports refuse a district), so a subject above town level was written around
    them: it has no town to review, publish and pay it, and is returned apart, to be reported."""
    towns = town_of_places()
    run = MatchRun.objects.filter(policy=policy).only("evaluated_on", "version_id").first()
    column = "person" if policy.target == PolicyTarget.PERSON else "enterprise"
    if run is not None and run.evaluated_on == on and run.version_id == version.pk:
        rows = Match.objects.filter(policy=policy, result=Result.ELIGIBLE).values_list(
            f"{column}_id", f"{column}__jurisdiction_id"
        )
        pairs, source = list(rows), EntitlementSource.STORED
    else:
        _version, ids, places = policy_eligible_on(policy, on)
        pairs, source = zip(ids.tolist(), places.tolist(), strict=True), EntitlementSource.EVALUATED
    found, unplaced = defaultdict(list), []
    for subject_id, place in pairs:
        if towns.get(place) is not None:
            found[towns[place]].append(subject_id)
        else:
            unplaced.append(subject_id)
    return {town: sorted(ids) for town, ids in found.items()}, source, sorted(unplaced)


@dataclass
class BuildReport:
    policy: Policy
    period: str
    cycle_on: datetime.date
    created: list = field(default_factory=list)  # batches made now
    existing: list = field(default_factory=list)  # batches that were there already
    dropped: int = 0  # candidates the per-subject explanation did not find eligible
    unplaced: list = field(default_factory=list)  # eligible subjects registered in no town (ids)


def _lines(policy, version, ids: list[int], on: datetime.date, cycle: str, report: BuildReport) -> list[dict]:
    """Explained, priced lines for the candidates ``ids`` (those still eligible on ``on``)."""
    ctx = rules.Context(on=on, policy_code=policy.code)
    column = "person" if policy.target == PolicyTarget.PERSON else "enterprise"
    loader = rules.load_people if column == "person" else rules.load_enterprises
    year_max = policy_year_max(policy, version)
    used = usage(policy=policy, column=column, ids=ids, year=on.year, waiting_lines=True)
    lines = []
    with translation.override(settings.LANGUAGE_CODE):  # the record is kept in the source language
        for chunk in range(0, len(ids), CHUNK):
            records = loader(ids[chunk : chunk + CHUNK])
            for subject_id in ids[chunk : chunk + CHUNK]:
                record = records.get(subject_id)
                explanation = rules.explain(version.rule, rules.RecordSource(record), ctx) if record else None
                if explanation is None or explanation.result != Result.ELIGIBLE:
                    report.dropped += 1
                    continue
                limited = functools.partial(
                    _limited, version, year_max, record, cycle, used.get(subject_id, Usage()), on.year
                )
                line = {f"{column}_id": subject_id, "explanation": _explained(explanation.conditions), **limited()}
                _translated(line["explanation"], version.rule, record, ctx)
                line["i18n"] = _worded_limits(limited)
                lines.append(line)
    return lines


def _translated(conditions: list[dict], rule: dict, record, ctx) -> None:
    """Each condition's wording and value in the other languages too (``"i18n": {"en": {...}}``):
    the same rule explained for the same record on the same day, worded in that language, so an
    English page shows the record as it was decided in English (``EntitlementLine.conditions``)."""
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        with translation.override(code):
            other = rules.explain(rule, rules.RecordSource(record), ctx).conditions
            for kept, worded in zip(conditions, other, strict=True):
                kept.setdefault("i18n", {})[code] = {"text": str(worded.text), "actual": str(worded.actual)}


def _worded_limits(limited) -> dict:
    """The line's basis and the system's reason for leaving it out, worded in the other languages
    (``{"en": {"basis", "exclusion_reason"}}``): the same limits computed again in that language."""
    worded = {}
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        with translation.override(code):
            again = limited()
        worded[code] = {"basis": str(again["basis"])[:255], "exclusion_reason": str(again.get("exclusion_reason", ""))}
    return worded


def _create_batch(*, policy, version, town_id, period, cycle, on, source, lines, actor) -> EntitlementBatch | None:
    """The town's batch with its lines, or None when another build made it first."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            batch = EntitlementBatch.objects.create(
                number=f"tmp-{timezone.now().timestamp()}-{policy.pk}-{town_id}",
                policy=policy,
                version=version,
                jurisdiction_id=town_id,
                period=period,
                cycle_kind=cycle,
                cycle_on=on,
                source=source,
                built_by=user,
            )
            batch.number = f"MS{on:%Y}{batch.pk:05d}"
            batch.save(update_fields=["number"])
            EntitlementLine.objects.bulk_create(
                [EntitlementLine(batch=batch, policy=policy, period=period, **line) for line in lines]
            )
            log_action(
                actor=actor,
                action="subsidies.entitlement.built",
                obj=batch,
                after={
                    "policy": policy.code,
                    "period": period,
                    "cycle_on": on.isoformat(),
                    "source": source,
                    "lines": len(lines),
                    "included": sum(1 for line in lines if line.get("included", True)),
                },
            )
    except IntegrityError:  # built at the same moment by someone else (or a subject already listed)
        if EntitlementBatch.objects.filter(policy=policy, period=period, jurisdiction_id=town_id).exists():
            return None
        raise
    return batch


def _report_unplaced(policy: Policy, period: str, ids: list[int], target: str, actor) -> None:
    """Eligible subjects placed above town level get no line (no town reviews, publishes or pays
    them): said in the log and the audit, so the registry's record is put right, not lost silently."""
    log.warning("entitlements %s %s: %d eligible subjects above town level", policy.code, period, len(ids))
    log_action(
        actor=actor,
        action="subsidies.entitlement.unplaced",
        obj=policy,
        jurisdiction=policy.jurisdiction_id,
        after={"period": period, "kind": target, "count": len(ids), "ids": ids[:100]},
    )


def _require_builder(actor) -> None:
    if getattr(actor, "is_authenticated", False) and not (actor.is_superuser or actor.role == Role.REVIEWER):
        raise DomainError("forbidden", _("只有审核人员可以生成免申即享名单。"), status=403)


def entitlement_batches_build(
    *, policy: Policy, on: datetime.date | None = None, town: Jurisdiction | None = None, actor=None
) -> BuildReport:
    """Build the batches of ``policy`` for the cycle ``on`` (today) falls in: for ``town`` only
    (a reviewer's "build now"), or for every town with an eligible subject (the daily job, with no
    actor). Batches that exist are left as they are. Raises ``DomainError`` for a policy that is not
    automatic, has no version in force on the cycle date, or a benefit that cannot be paid so."""
    _require_builder(actor)
    if town is not None and actor is not None:
        ids = visible_jurisdiction_ids(actor)
        if town.level != Jurisdiction.Level.TOWN or (ids is not None and town.pk not in ids):
            raise DomainError("not_found", _("记录不存在或您无权查看。"), status=404)
    refuse_unless_automatic(policy)
    today = on or timezone.localdate()
    cycle = policy_cycle(policy)
    cycle_on = cycle_start(cycle, today)
    period = period_of(cycle, cycle_on)
    version = version_in_force(policy, cycle_on)
    refuse_unless_automatic(policy, version)
    report = BuildReport(policy=policy, period=period, cycle_on=cycle_on)
    existing = EntitlementBatch.objects.filter(policy=policy, period=period)
    if town is not None:
        existing = existing.filter(jurisdiction=town)
    report.existing = list(existing)
    if town is not None and report.existing:
        return report
    candidates, source, unplaced = _candidates(policy, version, cycle_on)
    if town is None and unplaced:
        _report_unplaced(policy, period, unplaced, policy.target, actor)
    report.unplaced = unplaced
    done = {b.jurisdiction_id for b in report.existing}
    for town_id, ids in sorted(candidates.items()):
        if (town is not None and town_id != town.pk) or town_id in done:
            continue
        lines = _lines(policy, version, ids, cycle_on, cycle, report)
        if not lines:
            continue
        batch = _create_batch(
            policy=policy,
            version=version,
            town_id=town_id,
            period=period,
            cycle=cycle,
            on=cycle_on,
            source=source,
            lines=lines,
            actor=actor,
        )
        if batch is None:
            report.existing.append(EntitlementBatch.objects.get(policy=policy, period=period, jurisdiction_id=town_id))
        else:
            report.created.append(batch)
    return report


def entitlements_build_due(today: datetime.date | None = None) -> list[str]:
    """The daily job: for every automatic policy with a version in force, the current cycle's
    batches, once — a policy that has a batch of this cycle in any town was built already (its
    cycle date is past, so a later day would find the same subjects). Returns the new numbers."""
    today = today or timezone.localdate()
    made = []
    for policy in Policy.objects.filter(obtain_mode=ObtainMode.AUTOMATIC).order_by("pk"):
        cycle = policy_cycle(policy)
        period = period_of(cycle, cycle_start(cycle, today))
        if EntitlementBatch.objects.filter(policy=policy, period=period).exists():
            continue
        try:
            report = entitlement_batches_build(policy=policy, on=today)
        except DomainError:  # no version in force, or a benefit that cannot be paid without applying
            continue
        made += [b.number for b in report.created]
    return made
