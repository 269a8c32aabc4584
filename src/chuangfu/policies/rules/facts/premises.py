"""Facts of an enterprise's premises and their leases (``registry.Premises``), for 房租补贴: the
term of a lease in force on the evaluation date, the area leased, whether a lease in force is
registered (备案) or lies in one of the registry's carriers.

A lease is in force on the date from its first day to its last, both included; its term is the
whole months from the first day to the day after the last (1 January – 31 December is 12). An
enterprise with no premises recorded is unknown ("to be verified"); one with premises but no
lease in force on the date has a term and an area of 0 and neither a registered lease nor one
in a carrier. Premises without a lease (owned) count for none of the facts.

Over columns the premises table is read once (dates as day numbers, the area in hundredths of
a square metre), each lease's term computed once; per evaluation date the leases in force are
one comparison and the per-enterprise figures one ``maximum.at`` / ``add.at``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chuangfu.registry.models import Premises

from .. import dates
from ..frame import MISSING, _days_sql, _int_sql, _table, day_number
from ..operators import BOOL, NUMBER
from .base import ENTERPRISE, Fact, compare_vector

LEASE_MONTHS, AREA, REGISTERED, IN_CARRIER = "lease_months", "area", "registered", "in_carrier"


@dataclass(frozen=True)
class Lease:
    start: datetime.date | None
    end: datetime.date | None
    area: Decimal
    registered: bool
    carrier_id: int | None

    def in_force(self, on: datetime.date) -> bool:
        return self.start is not None and self.start <= on <= self.end

    def term(self) -> int:
        return dates.months_between(self.start, self.end + datetime.timedelta(days=1))


def measure(premises: tuple, what: str, on: datetime.date):
    """The fact ``what`` of an enterprise's premises on ``on`` (``None``: none recorded)."""
    if not premises:
        return None
    leases = [p for p in premises if p.in_force(on)]
    if what == LEASE_MONTHS:
        return max((p.term() for p in leases), default=0)
    if what == AREA:
        return int(sum((p.area for p in leases), Decimal(0)))
    if what == REGISTERED:
        return any(p.registered for p in leases)
    return any(p.carrier_id is not None for p in leases)


def _month_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(months since 1970-01, day of the month) of day numbers."""
    day = days.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    return month.astype(np.int64), (day - month.astype("datetime64[D]")).astype(np.int64) + 1


def premises_columns(frame) -> dict:
    """Every lease as arrays: the enterprise's row, first and last day, term, area in hundredths,
    registered, in a carrier; and which enterprises have premises recorded at all."""

    def read():
        rows = frame.frames.rows(
            f"SELECT s.enterprise_id, {_days_sql('lease_start')}, {_days_sql('lease_end')}, "
            f"CAST(ROUND(s.area * 100) AS INTEGER), CASE WHEN s.lease_registered THEN 1 ELSE 0 END, "
            f"{_int_sql('carrier_id')} FROM {_table(Premises)} s",
            kind=ENTERPRISE,
            column="s.enterprise_id",
        )
        enterprise, start, end, area, registered, carrier = np.array(rows, dtype=np.int64).reshape(-1, 6).T
        at = frame.positions(enterprise)
        leased = (start != MISSING) & (at >= 0)
        first_month, first_day = _month_parts(np.where(leased, start, 0))
        after_month, after_day = _month_parts(np.where(leased, end + 1, 0))
        term = after_month - first_month - (after_day < first_day)
        recorded = np.zeros(frame.size, bool)
        recorded[at[at >= 0]] = True
        return {
            "at": at,
            "start": start,
            "end": end,
            "leased": leased,
            "term": term,
            "area": area,
            "registered": registered == 1,
            "in_carrier": carrier != MISSING,
            "recorded": recorded,
        }

    return frame.cached("premises", read)


def premises_measure(frame, what: str, on: datetime.date) -> np.ndarray:
    def compute():
        lease = premises_columns(frame)
        day = day_number(on)
        live = lease["leased"] & (lease["start"] <= day) & (day <= lease["end"])
        at = lease["at"][live]
        if what in (LEASE_MONTHS, AREA):
            out = np.zeros(frame.size, np.int64)
            if what == LEASE_MONTHS:
                np.maximum.at(out, at, lease["term"][live])
                return out
            np.add.at(out, at, lease["area"][live])
            return out // 100
        chosen = lease[what][live]
        out = np.zeros(frame.size, bool)
        out[at[chosen]] = True
        return out

    return frame.cached(("premises", what, day_number(on)), compute)


@dataclass(frozen=True, eq=False)
class PremisesFact(Fact):
    what: str = ""
    true_text: str = ""
    false_text: str = ""

    def value_of(self, record, cond, ctx):
        return measure(record.premises, self.what, ctx.on)

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无数据（名录中没有该企业的经营场地记录）"))
        if self.type == BOOL:
            return str(self.true_text if actual else self.false_text)
        return super().display(actual, ctx)

    def vector_known(self, frame):
        return premises_columns(frame)["recorded"]

    def vector_test(self, op, value, cond, ctx, frame):
        column = premises_measure(frame, self.what, ctx.on)
        if self.type == BOOL:
            return column if value else ~column
        return compare_vector(column, op, value)


_HELP = _("按名录中的经营场地记录：评估日在租期内（起止日均含）的租赁合同；没有场地记录的企业待核实")

# In the catalogue after the carrier the enterprise is hosted in (``catalogue.CATALOGUE``).
PREMISES_FACTS = (
    PremisesFact(
        "lease_months",
        _("在租场地租期"),
        ENTERPRISE,
        NUMBER,
        unit=_("个月"),
        maximum=1200,
        what=LEASE_MONTHS,
        question=_("企业目前在租经营场地的租赁合同期限（月）"),
        help=format_lazy(
            "{}{}", _("评估日在租期内的租赁合同中最长的合同期限，按整月计（1月1日至12月31日为 12 个月）；"), _HELP
        ),
    ),
    PremisesFact(
        "leased_area",
        _("在租场地面积"),
        ENTERPRISE,
        NUMBER,
        unit=_("平方米"),
        maximum=1_000_000,
        what=AREA,
        question=_("企业目前在租经营场地的总面积（平方米，取整）"),
        help=format_lazy("{}{}", _("评估日在租期内的各处场地面积之和，舍去小数；"), _HELP),
    ),
    PremisesFact(
        "lease_registered",
        _("租赁合同已备案"),
        ENTERPRISE,
        BOOL,
        what=REGISTERED,
        true_text=_("在租场地的租赁合同已备案"),
        false_text=_("在租场地的租赁合同未备案"),
        question=_("企业目前在租场地的租赁合同是否已备案"),
        help=_HELP,
    ),
    PremisesFact(
        "leased_in_carrier",
        _("在租场地位于载体内"),
        ENTERPRISE,
        BOOL,
        what=IN_CARRIER,
        true_text=_("在租场地位于载体内"),
        false_text=_("在租场地不在载体内"),
        question=_("企业目前是否租用孵化器、园区等载体内的场地"),
        help=_HELP,
    ),
)
