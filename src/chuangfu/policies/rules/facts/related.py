"""Facts read from rows related to the subject: the kind of carrier hosting it, how many
organisations a person founded, policies granted before, credit (失信) records and months of
social insurance."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from chuangfu.registry.models import CarrierKind

from .. import dates, months
from ..frame import MISSING
from .base import Fact, compare_vector

# --- hosted in a carrier of a kind ("none" = not hosted) ----------------------------------------

NOT_HOSTED = "none"


@dataclass(frozen=True, eq=False)
class CarrierKindFact(Fact):
    def choices(self):
        return [*CarrierKind.choices, (NOT_HOSTED, _("未入驻载体"))]

    def value_of(self, record, cond, ctx):
        return record.carrier_kind or NOT_HOSTED

    def vector_test(self, op, value, cond, ctx, frame):
        kinds = [v for v in value if v != NOT_HOSTED]
        hosted = frame.column("carrier_id") != MISSING
        of_kind = frame.carrier_kind().among(kinds) & hosted
        if op == "in":
            return of_kind | ~hosted if NOT_HOSTED in value else of_kind
        outside = hosted & ~of_kind
        return outside if NOT_HOSTED in value else outside | ~hosted


# --- how many organisations a person has founded ------------------------------------------------


@dataclass(frozen=True, eq=False)
class FoundedFact(Fact):
    def value_of(self, record, cond, ctx):
        return record.founded_count

    def vector_test(self, op, value, cond, ctx, frame):
        return compare_vector(frame.founded_count(), op, value)


# --- history: granted a policy before, optionally within N months -------------------------------


@dataclass(frozen=True, eq=False)
class GrantedFact(Fact):
    def value_of(self, record, cond, ctx):
        args = cond.get("args") or {}
        policy_id = ctx.policy_id(args.get("policy", "self"))
        within = args.get("within_months")
        since = dates.months_before(ctx.on, within) if within else None
        return any(pid == policy_id and on <= ctx.on and (since is None or on > since) for pid, on in record.grants)

    def from_given(self, raw, cond, ctx):
        """Given as {policy code: months since it was granted}; a policy not listed was never granted."""
        if raw is None or raw == "":
            return None
        args = cond.get("args") or {}
        months = raw.get(ctx.policy_code_of(args.get("policy", "self")))
        if months is None:
            return False
        within = args.get("within_months")
        return within is None or int(months) < within

    def vector_test(self, op, value, cond, ctx, frame):
        args = cond.get("args") or {}
        within = args.get("within_months")
        granted = frame.granted(
            ctx.policy_id(args.get("policy", "self")), ctx.on, dates.months_before(ctx.on, within) if within else None
        )
        return granted if value else ~granted

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无数据"))
        return str(_("已享受过") if actual else _("未享受过"))


# --- credit: on a dishonesty list (失信) on the date ------------------------------------------------


def listed_on(records, on) -> bool:
    """Listed on ``on``: from the day of listing, until the day before removal."""
    return any(listed <= on and (removed is None or on < removed) for listed, removed in records)


@dataclass(frozen=True, eq=False)
class CreditFact(Fact):
    """On a dishonesty list on the evaluation date (``registry.CreditRecord``); a subject with
    no record is not listed (known)."""

    true_text: str = ""
    false_text: str = ""

    def value_of(self, record, cond, ctx):
        return listed_on(record.credit, ctx.on)

    def vector_test(self, op, value, cond, ctx, frame):
        listed = frame.credit_listed(ctx.on)
        return listed if value else ~listed

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无数据"))
        return str(self.true_text if actual else self.false_text)


# --- social insurance in Shanghai (``months``) ---------------------------------------------------


@dataclass(frozen=True, eq=False)
class InsuredFact(Fact):
    """A person's insured months before the month of the evaluation date: in all, or in a row
    up to last month. A person the extract does not list has none (0, not unknown)."""

    continuous: bool = False

    def value_of(self, record, cond, ctx):
        count = months.continuous if self.continuous else months.total
        return count(record.insured_months, ctx.on)

    def vector_test(self, op, value, cond, ctx, frame):
        return compare_vector(frame.insured_months(ctx.on, self.continuous), op, value)


MAX_INSURED_MONTHS = 600


def months_arg(cond: dict) -> int:
    return int((cond.get("args") or {}).get("months") or 1)


@dataclass(frozen=True, eq=False)
class EmployeesInsuredFact(Fact):
    """How many people the enterprise has insured for at least N months in a row up to last
    month (``args.months``): "insures at least one employee for 6 months". Described as
    ``{"6": 2}`` (months → people); a count of months not stated is unknown."""

    def label_for(self, cond):
        return _("连续参保满 %(n)s 个月的职工人数") % {"n": months_arg(cond)}

    def value_of(self, record, cond, ctx):
        n = months_arg(cond)
        return sum(1 for paid in record.insured if months.continuous(paid, ctx.on) >= n)

    def from_given(self, raw, cond, ctx):
        if not isinstance(raw, dict):
            return None
        count = raw.get(str(months_arg(cond)))
        return None if count is None else int(count)

    def vector_test(self, op, value, cond, ctx, frame):
        return compare_vector(frame.employees_insured(ctx.on, months_arg(cond)), op, value)
