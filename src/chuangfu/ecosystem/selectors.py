"""Reads of the ecosystem shared by pages, exports and the API, scoped by the actor.

The town's office (desk staff, leaders, admins) sees the carriers of its jurisdiction; a carrier
operator only the carriers its unit runs (and what hangs off them). Anything else is "not
found". The public sees carriers on the map (name, kind, address, hours, services, places,
contact, published photos): that is what the 15-minute circle answers with.
"""

import itertools
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Job, Jurisdiction, Role
from chuangfu.core.scopes import every_town
from chuangfu.core.scoping import scope_by_jurisdiction, visible_jurisdiction_ids
from chuangfu.core.search import bounded_terms
from chuangfu.registry.models import Carrier, CarrierKind

from . import geo
from .models import (
    Address,
    CarrierChange,
    CarrierChangeStatus,
    CarrierSite,
    CaseFile,
    Incubation,
    IncubationStatus,
    Linkage,
    LinkageStatus,
    Need,
    ResidentialArea,
    Resource,
    ResourceKind,
    Visit,
    VisitStatus,
)
from .models.resources import reasons_display
from .workflows import CARRIER_REVIEWER_ROLES, OFFICE_ROLES

# Kinds that count as a "station" of the 15-minute circle unless the page asks for others.
STATION_KINDS = (CarrierKind.DOORSTEP_STATION,)


def _role(actor) -> str | None:
    if actor is None or not actor.is_authenticated:
        return None
    return Role.ADMIN if actor.is_superuser else actor.role


def is_office(actor) -> bool:
    return _role(actor) in OFFICE_ROLES


def can_use(actor) -> bool:
    return is_office(actor) or _role(actor) == Role.CARRIER_OPERATOR


def can_review_carriers(actor) -> bool:
    return _role(actor) in CARRIER_REVIEWER_ROLES


def is_operator_of(actor, carrier: Carrier) -> bool:
    return (
        _role(actor) == Role.CARRIER_OPERATOR
        and actor.unit_id is not None
        and carrier.operator_unit_id == actor.unit_id
    )


# --- carriers ----------------------------------------------------------------------------------


def carriers_for(actor) -> QuerySet[Carrier]:
    """Carriers the actor may work with: the office's jurisdiction, or the operator's own."""
    qs = Carrier.objects.select_related("jurisdiction", "operator_unit", "site")
    if not can_use(actor):
        return qs.none()
    qs = scope_by_jurisdiction(qs, actor)
    if _role(actor) == Role.CARRIER_OPERATOR:
        return qs.filter(operator_unit_id=actor.unit_id) if actor.unit_id else qs.none()
    return qs


def carrier_list(*, actor, kind: str = "", q: str = "") -> QuerySet[Carrier]:
    qs = carriers_for(actor)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return qs.order_by("jurisdiction__path", "kind", "name")


def get_carrier_for(actor, carrier_id) -> Carrier:
    try:
        return carriers_for(actor).get(pk=carrier_id)
    except (Carrier.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def changes_for(actor) -> QuerySet[CarrierChange]:
    return CarrierChange.objects.filter(carrier__in=carriers_for(actor).values("pk")).select_related(
        "carrier", "submitted_by", "decided_by"
    )


def get_change_for(actor, change_id) -> CarrierChange:
    try:
        return changes_for(actor).get(pk=change_id)
    except (CarrierChange.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def waiting_changes(*, actor) -> QuerySet[CarrierChange]:
    return changes_for(actor).filter(status=CarrierChangeStatus.SUBMITTED).order_by("submitted_at")


def operator_accounts(carrier: Carrier):
    from chuangfu.core.models import User

    if not carrier.operator_unit_id:
        return User.objects.none()
    return User.objects.filter(role=Role.CARRIER_OPERATOR, unit_id=carrier.operator_unit_id, is_active=True)


# --- the 15-minute circle ----------------------------------------------------------------------


@dataclass
class NearbyCarrier:
    carrier: Carrier
    metres: float

    @property
    def minutes(self) -> int:
        return max(1, round(geo.walking_minutes(self.metres)))

    @property
    def within_circle(self) -> bool:
        return self.metres <= geo.walking_metres()


_SITE_COLUMNS = ("id", "carrier_id", "latitude", "longitude", "opening_hours")


def _nearby_sql(kinds: int) -> str:
    """One statement for the square around a point: each site with its carrier's whole row
    (SQLite answers it from the site's (latitude, longitude) index, then the carrier by key)."""
    site, carrier = CarrierSite._meta.db_table, Carrier._meta.db_table
    q = connection.ops.quote_name
    columns = (
        ", ".join(f"s.{q(c)}" for c in _SITE_COLUMNS)
        + ", "
        + ", ".join(f"c.{q(f.column)}" for f in Carrier._meta.concrete_fields)
    )
    kind_filter = f" AND c.{q('kind')} IN ({', '.join(['%s'] * kinds)})" if kinds else ""
    return (
        f"SELECT {columns} FROM {q(site)} s JOIN {q(carrier)} c ON c.{q('id')} = s.{q('carrier_id')}"
        f" WHERE s.{q('latitude')} BETWEEN %s AND %s AND s.{q('longitude')} BETWEEN %s AND %s"
        f" AND s.{q('published')}{kind_filter}"
    )


def nearest_carriers(*, latitude: float, longitude: float, kinds=(), limit: int = 5) -> list[NearbyCarrier]:
    """The ``limit`` published carriers nearest to a point by straight-line distance (public data).

    Reads only the carriers inside a square around the point (index on the site's latitude and
    longitude), doubling the square until enough are found or it spans 40 km. The square is one
    hand-written statement whose rows become model instances directly (``from_db``, the site
    cached on its carrier as ``select_related`` would): the ORM's compiling of two queries and
    building of related instances was two thirds of the answer's time (decision 27).
    """
    kinds = list(kinds)
    sql = _nearby_sql(len(kinds))
    half = geo.walking_metres() * 2
    while True:
        dlat, dlon = geo.degree_box(latitude, half)
        with connection.cursor() as cursor:
            cursor.execute(sql, [latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon, *kinds])
            rows = cursor.fetchall()
        if len(rows) >= limit or half >= 20_000:
            break
        half *= 2
    if not rows:
        return []
    metres = geo.distances(latitude, longitude, [r[2] for r in rows], [r[3] for r in rows])
    order = np.argsort(metres, kind="stable")[:limit]
    carrier_fields = [f.attname for f in Carrier._meta.concrete_fields]
    db, width = connection.alias, len(_SITE_COLUMNS)
    found = []
    for i in order:
        row = rows[i]
        carrier = Carrier.from_db(db, carrier_fields, row[width:])
        site = CarrierSite.from_db(db, list(_SITE_COLUMNS), row[:width])
        site._state.fields_cache["carrier"] = carrier
        carrier._state.fields_cache["site"] = site
        found.append(NearbyCarrier(carrier, float(metres[i])))
    return found


def public_carriers(*, kind: str = "", q: str = "", town_id: int | None = None) -> QuerySet[Carrier]:
    """The public directory: carriers whose site the town publishes, by kind, a word of their
    name, address or services, and town (its villages included)."""
    qs = Carrier.objects.filter(site__published=True).select_related("site", "jurisdiction")
    if kind:
        qs = qs.filter(kind=kind)
    for term in bounded_terms(q.split()):
        qs = qs.filter(Q(name__icontains=term) | Q(services__icontains=term) | Q(address__icontains=term))
    if town_id:
        town = Jurisdiction.objects.filter(pk=town_id).first()
        qs = qs.filter(jurisdiction__path__startswith=town.path) if town else qs.none()
    return qs.order_by("jurisdiction__path", "kind", "name", "pk")


def get_public_carrier(carrier_id) -> Carrier:
    try:
        return Carrier.objects.select_related("site", "jurisdiction").get(pk=carrier_id, site__published=True)
    except (Carrier.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def public_carrier_towns() -> list[Jurisdiction]:
    """The towns with a published carrier (in the town or one of its villages)."""
    paths = set(Carrier.objects.filter(site__published=True).values_list("jurisdiction__path", flat=True).distinct())
    towns = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).order_by("path")
    return [t for t in towns if any(p == t.path or p.startswith(t.path + "/") for p in paths)]


def address_search(*, q: str, limit: int = 10) -> list[Address]:
    q = (q or "").strip()
    if len(q) < 2:
        return []
    return list(Address.objects.filter(text__contains=q).select_related("jurisdiction")[:limit])


def town_choices(actor) -> QuerySet[Jurisdiction]:
    return scope_by_jurisdiction(Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN), actor, field="")


def _village_ids(town: Jurisdiction) -> list[int]:
    return list(town.children.values_list("pk", flat=True))


def read_address_coordinates(village_ids: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Area ids, latitudes and longitudes of every address in the villages, as arrays (one query)."""
    if not village_ids:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty, empty
    table = connection.ops.quote_name(Address._meta.db_table)
    marks = ", ".join(["%s"] * len(village_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT area_id, latitude, longitude FROM {table} WHERE jurisdiction_id IN ({marks})", village_ids
        )
        rows = cursor.fetchall()
    if not rows:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty, empty
    data = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=3 * len(rows)).reshape(-1, 3)
    return data[:, 0].astype(np.int64), data[:, 1], data[:, 2]


@dataclass
class AreaCoverage:
    area: ResidentialArea
    addresses: int
    uncovered: int

    @property
    def share_uncovered(self) -> float:
        return self.uncovered / self.addresses if self.addresses else 0.0

    @property
    def is_uncovered(self) -> bool:
        """More than half of the area's addresses are beyond the circle."""
        return self.share_uncovered > 0.5


def town_coverage(*, actor, town: Jurisdiction, kinds=STATION_KINDS) -> list[AreaCoverage]:
    """Residential areas of ``town`` with addresses beyond 15 minutes' walk (straight line) of
    every station of ``kinds``, worst first. An area without geocoded addresses is measured at
    its own point. Stations anywhere in the district count (a station across the town line
    serves residents too)."""
    ids = visible_jurisdiction_ids(actor)
    if not is_office(actor) or (ids is not None and town.pk not in ids):
        raise NotFound()
    area_ids, lat, lon = read_address_coordinates(_village_ids(town))
    areas = {a.pk: a for a in ResidentialArea.objects.filter(jurisdiction__parent=town).select_related("jurisdiction")}
    measured = set(np.unique(area_ids).tolist())
    bare = [a for pk, a in areas.items() if pk not in measured]
    if bare:
        area_ids = np.concatenate([area_ids, np.array([a.pk for a in bare], dtype=np.int64)])
        lat = np.concatenate([lat, np.array([a.latitude for a in bare])])
        lon = np.concatenate([lon, np.array([a.longitude for a in bare])])
    stations = np.array(
        CarrierSite.objects.filter(carrier__kind__in=kinds, latitude__isnull=False).values_list(
            "latitude", "longitude"
        ),
        dtype=np.float64,
    ).reshape(-1, 2)
    reached = geo.covered(lat, lon, stations[:, 0], stations[:, 1], geo.walking_metres())
    return coverage_by_area(area_ids, reached, areas)


def coverage_by_area(area_ids: np.ndarray, reached: np.ndarray, areas: dict) -> list[AreaCoverage]:
    if len(area_ids) == 0:
        return []
    keys, inverse = np.unique(area_ids, return_inverse=True)
    totals = np.bincount(inverse)
    missed = np.bincount(inverse, weights=~reached).astype(np.int64)
    rows = [
        AreaCoverage(areas[int(k)], int(t), int(m))
        for k, t, m in zip(keys, totals, missed, strict=True)
        if m and int(k) in areas
    ]
    rows.sort(key=lambda r: (-r.share_uncovered, -r.uncovered, r.area.name))
    return rows


# --- visits ------------------------------------------------------------------------------------


def visits_for(actor) -> QuerySet[Visit]:
    """Visits to the carriers the actor may see (an operator sees those of their own carriers)."""
    return Visit.objects.filter(carrier__in=carriers_for(actor).values("pk")).select_related(
        "carrier", "carrier__jurisdiction", "recorded_by"
    )


def visit_list(*, actor, status: str = "", overdue: bool = False, carrier_id=None) -> QuerySet[Visit]:
    qs = visits_for(actor)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=VisitStatus.PLANNED, planned_on__lt=timezone.localdate())
    if carrier_id:
        qs = qs.filter(carrier_id=carrier_id)
    return qs.prefetch_related("visitors").order_by("-planned_on", "-id")


def get_visit_for(actor, visit_id) -> Visit:
    try:
        return visits_for(actor).get(pk=visit_id)
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def overdue_visit_count(actor) -> int:
    return visits_for(actor).filter(status=VisitStatus.PLANNED, planned_on__lt=timezone.localdate()).count()


def visitor_choices(actor):
    """Staff of the actor's jurisdiction who go on visits (desk staff, leaders, admins)."""
    from chuangfu.core.models import User

    return scope_by_jurisdiction(User.objects.filter(is_active=True, role__in=OFFICE_ROLES), actor).order_by(
        "display_name", "username"
    )


# --- resources and linkage ---------------------------------------------------------------------


def resources_for(actor) -> QuerySet[Resource]:
    if not is_office(actor):
        return Resource.objects.none()
    return scope_by_jurisdiction(
        Resource.objects.select_related("holder_carrier", "holder_unit", "holder_enterprise"), actor
    )


def get_resource_for(actor, resource_id) -> Resource:
    try:
        return resources_for(actor).get(pk=resource_id)
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def resource_list(*, actor, kind: str = "", q: str = "") -> QuerySet[Resource]:
    qs = resources_for(actor)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(offer__icontains=q) | Q(keywords__icontains=q))
    return qs


def needs_for(actor) -> QuerySet[Need]:
    if not is_office(actor):
        return Need.objects.none()
    return scope_by_jurisdiction(Need.objects.select_related("person", "enterprise", "jurisdiction"), actor)


def get_need_for(actor, need_id) -> Need:
    try:
        return needs_for(actor).get(pk=need_id)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def linkages_for(actor) -> QuerySet[Linkage]:
    return Linkage.objects.filter(need__in=needs_for(actor).values("pk")).select_related(
        "need", "need__person", "need__enterprise", "resource"
    )


@dataclass
class Match:
    resource: Resource
    score: int
    reasons: list[dict]  # language-free (see ``models.resources.reason_text``), stored on the linkage as they are

    @property
    def reasons_display(self) -> str:
        return reasons_display(self.reasons)


def match_resources(*, actor, need: Need, limit: int = 10) -> list[Match]:
    """Active resources of the need's town ranked for it, each with the reasons it was chosen:
    a kind the need asks for (3), each keyword of the resource found in the need (2 each), the
    enterprise's industry (its GB/T 4754 section's name) named in the resource's offer or keywords
    (1), held by the carrier hosting the enterprise (1). Resources of the needer itself and those
    already linked are left out. What is compared is what staff wrote, so the page's language
    changes nothing."""
    from django.utils import translation

    from chuangfu.registry.industry import SECTIONS

    linked = set(need.linkages.values_list("resource_id", flat=True))
    enterprise = need.enterprise
    section = enterprise.industry_section if enterprise and enterprise.industry_section in SECTIONS else ""
    with translation.override("zh-hans"):
        industry = str(SECTIONS[section][0]) if section else ""
    text = need.description
    matches = []
    for resource in resources_for(actor).filter(jurisdiction_id=need.jurisdiction_id, active=True):
        if resource.pk in linked or (enterprise and resource.holder_enterprise_id == enterprise.pk):
            continue
        score, reasons = 0, []
        if resource.kind in need.kinds:
            score += 3
            reasons.append({"code": "kind", "kind": resource.kind})
        words = [w for w in resource.keyword_list if w in text]
        if words:
            score += 2 * len(words)
            reasons.append({"code": "keywords", "words": words})
        if industry and (industry in resource.offer or industry in resource.keywords):
            score += 1
            reasons.append({"code": "industry", "section": section})
        if enterprise and enterprise.carrier_id and resource.holder_carrier_id == enterprise.carrier_id:
            score += 1
            reasons.append({"code": "carrier"})
        if score:
            matches.append(Match(resource, score, reasons))
    matches.sort(key=lambda m: (-m.score, m.resource.name))
    return matches[:limit]


def linkage_reasons(*, actor, need: Need, resource: Resource) -> list[dict]:
    """Why ``resource`` is put in touch with ``need``: the match's reasons, or "chosen by staff"
    for a resource the matching did not offer."""
    match = next((m for m in match_resources(actor=actor, need=need, limit=10**6) if m.resource == resource), None)
    return match.reasons if match else [{"code": "staff"}]


def linkage_counts(*, actor) -> dict:
    """对接 counted by outcome and by resource kind (from the linkage rows)."""
    from django.db.models import Count

    rows = linkages_for(actor).values("resource__kind", "status").annotate(n=Count("pk")).order_by()
    by_kind: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(LinkageStatus.values, 0)
    for row in rows:
        by_kind.setdefault(row["resource__kind"], dict.fromkeys(LinkageStatus.values, 0))[row["status"]] = row["n"]
        totals[row["status"]] += row["n"]
    labels = dict(ResourceKind.choices)
    return {
        "totals": totals,
        "total": sum(totals.values()),
        "by_kind": [(code, labels.get(code, code), counts) for code, counts in sorted(by_kind.items())],
    }


# --- incubation --------------------------------------------------------------------------------


def incubations_for(actor) -> QuerySet[Incubation]:
    """Hosted enterprises of the carriers the actor may work with (an operator: their own)."""
    return Incubation.objects.filter(carrier__in=carriers_for(actor).values("pk")).select_related(
        "carrier", "enterprise", "carrier__jurisdiction"
    )


def get_incubation_for(actor, incubation_id) -> Incubation:
    try:
        return incubations_for(actor).get(pk=incubation_id)
    except (Incubation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


QUARTERLY_IMPORT_KIND = "ecosystem.quarterly_import"


def get_quarterly_import_for(actor, carrier_id, job_id) -> Job:
    """A quarterly import (a job) of a carrier the actor may work with; anything else is not found."""
    carrier = get_carrier_for(actor, carrier_id)
    try:
        return Job.objects.get(pk=job_id, kind=QUARTERLY_IMPORT_KIND, params__carrier=carrier.pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class CarrierIncubationFigures:
    carrier: Carrier
    hosted: int  # 入孵 and 在孵 now
    graduated: int
    ever: int
    surviving: int  # of those ever hosted, still 存续 in the registry

    @property
    def occupancy(self) -> float | None:
        total = self.carrier.workstations_total
        return (total - self.carrier.workstations_free) / total if total else None

    @property
    def survival(self) -> float | None:
        return self.surviving / self.ever if self.ever else None


def incubation_figures(*, actor) -> list[CarrierIncubationFigures]:
    """Per carrier: hosted now, graduated, ever hosted and how many of those still operate."""
    from django.db.models import Count

    from chuangfu.registry.models import RegistrationStatus

    rows = (
        incubations_for(actor)
        .values("carrier_id")
        .annotate(
            hosted=Count("pk", filter=Q(status__in=[IncubationStatus.ADMITTED, IncubationStatus.INCUBATING])),
            graduated=Count("pk", filter=Q(status=IncubationStatus.GRADUATED)),
            ever=Count("enterprise", distinct=True),
            surviving=Count(
                "enterprise", distinct=True, filter=Q(enterprise__registration_status=RegistrationStatus.ACTIVE)
            ),
        )
        .order_by()
    )
    carriers = carriers_for(actor).in_bulk([r["carrier_id"] for r in rows])
    result = [
        CarrierIncubationFigures(carriers[r["carrier_id"]], r["hosted"], r["graduated"], r["ever"], r["surviving"])
        for r in rows
        if r["carrier_id"] in carriers
    ]
    result.sort(key=lambda f: (-f.hosted, f.carrier.name))
    return result


# --- case files (创业帮扶档案) -------------------------------------------------------------------


def success_months() -> int:
    """How long an enterprise must have operated for its founder to count as helped to start a
    business (创业成功); ``CHUANGFU_SUCCESS_MONTHS`` in the settings, 6 by default."""
    from django.conf import settings

    return int(getattr(settings, "CHUANGFU_SUCCESS_MONTHS", 6))


def cases_for(actor) -> QuerySet[CaseFile]:
    if not is_office(actor):
        return CaseFile.objects.none()
    return scope_by_jurisdiction(CaseFile.objects.select_related("person", "helper", "jurisdiction"), actor)


def get_case_for(actor, case_id) -> CaseFile:
    try:
        return cases_for(actor).get(pk=case_id)
    except (CaseFile.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _months_before(day, months: int):
    import datetime

    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue


@dataclass
class CaseOutcome:
    founded: list  # enterprises the person founded or represents, founded on/after the file was opened
    successful: list  # of those, 存续 and operating at least success_months()
    jobs: int  # insured headcount of the successful ones (latest quarterly report, else the registry), or hires if more

    @property
    def success(self) -> bool:
        return bool(self.successful)


@every_town("the outcome of cases already in scope: the enterprises their people founded, wherever registered")
def case_outcomes(cases, *, as_of=None) -> dict[int, CaseOutcome]:
    """The outcome of each case file on ``as_of`` (today by default), read from the registry,
    the quarterly figures and hires."""
    from django.apps import apps

    from chuangfu.registry.models import Enterprise, EnterprisePerson, RegistrationStatus

    from .models import QuarterlyReport

    cases = list(cases)
    if not cases:
        return {}
    by_person = {c.person_id: c for c in cases}
    links = EnterprisePerson.objects.filter(
        person_id__in=by_person,
        relation__in=[EnterprisePerson.Relation.FOUNDER, EnterprisePerson.Relation.LEGAL_REPRESENTATIVE],
    ).values_list("person_id", "enterprise_id")
    owned: dict[int, set[int]] = {}
    for person_id, enterprise_id in links:
        owned.setdefault(person_id, set()).add(enterprise_id)
    for person_id, enterprise_id in Enterprise.objects.filter(legal_representative_id__in=by_person).values_list(
        "legal_representative_id", "pk"
    ):
        owned.setdefault(person_id, set()).add(enterprise_id)
    enterprises = Enterprise.objects.in_bulk({e for ids in owned.values() for e in ids})
    headcount = {}
    for enterprise_id, count in (
        QuarterlyReport.objects.filter(incubation__enterprise_id__in=enterprises)
        .order_by("incubation__enterprise_id", "year", "quarter")
        .values_list("incubation__enterprise_id", "insured_headcount")
    ):
        headcount[enterprise_id] = count  # the latest quarter wins
    hires = {}
    if apps.is_installed("chuangfu.activities"):
        from django.db.models import Count

        Hire = apps.get_model("activities", "Hire")
        hires = dict(
            Hire.objects.filter(posting__enterprise_id__in=enterprises)
            .values_list("posting__enterprise_id")
            .annotate(n=Count("pk"))
            .values_list("posting__enterprise_id", "n")
        )
    cutoff = _months_before(as_of or timezone.localdate(), success_months())
    result = {}
    for person_id, case in by_person.items():
        founded = sorted(
            (
                enterprises[e]
                for e in owned.get(person_id, ())
                if enterprises[e].founded_on and enterprises[e].founded_on >= case.opened_on
            ),
            key=lambda e: e.founded_on,
        )
        successful = [
            e for e in founded if e.registration_status == RegistrationStatus.ACTIVE and e.founded_on <= cutoff
        ]
        jobs = sum(max(headcount.get(e.pk, e.insured_employees or 0), hires.get(e.pk, 0)) for e in successful)
        result[case.pk] = CaseOutcome(founded, successful, jobs)
    return result


def case_history(*, actor, case: CaseFile) -> dict:
    """Everything the platform knows of the person, gathered for the case file page: what is
    recorded against the person, their account, or an enterprise they founded or represent.
    Apps on the same floor (activities, subsidies) are read through the app registry, not
    imported."""
    from django.apps import apps

    from chuangfu.desk.selectors import tickets_for
    from chuangfu.policies.models import Grant, Match, Result

    person = case.person
    outcome = case_outcomes([case])[case.pk]
    enterprise_ids = {e.pk for e in outcome.founded} | set(
        person.enterprise_links.values_list("enterprise_id", flat=True)
    )
    enterprise_ids |= set(person.represented_enterprises.values_list("pk", flat=True))
    theirs = Q(person=person) | Q(enterprise_id__in=enterprise_ids)
    history = {
        "outcome": outcome,
        "tickets": list(tickets_for(actor).filter(theirs)[:50]),
        # A re-evaluation writes a row whatever the result: only 符合 is a match.
        "matches": list(Match.objects.filter(theirs, result=Result.ELIGIBLE).select_related("policy")[:50]),
        "grants": list(Grant.objects.filter(theirs).select_related("policy")[:50]),
        "linkages": list(
            linkages_for(actor).filter(Q(need__person=person) | Q(need__enterprise_id__in=enterprise_ids))
        ),
        "incubations": list(incubations_for(actor).filter(enterprise_id__in=enterprise_ids)),
        "visits": list(
            visits_for(actor).filter(carrier__incubations__enterprise_id__in=enterprise_ids).distinct()[:20]
        ),
        "registrations": [],
        "mentoring": [],
        "applications": [],
    }
    account = Q(pk__in=[])  # nothing, unless the person has an account
    if person.account_id:
        account = Q(user_id=person.account_id)
    if apps.is_installed("chuangfu.activities"):
        Registration = apps.get_model("activities", "Registration")
        MentoringRequest = apps.get_model("activities", "MentoringRequest")
        history["registrations"] = list(
            Registration.objects.filter(Q(person=person) | account)
            .select_related("activity")
            .order_by("-activity__starts_at")[:50]
        )
        asked = Q(requester_id=person.account_id) if person.account_id else Q(pk__in=[])
        history["mentoring"] = list(
            MentoringRequest.objects.filter(theirs | asked).prefetch_related("sessions__mentor").order_by("-pk")[:20]
        )
    if apps.is_installed("chuangfu.subsidies"):
        Application = apps.get_model("subsidies", "Application")
        history["applications"] = list(Application.objects.filter(theirs).select_related("policy")[:20])
    return history


def case_figures(*, actor) -> dict:
    """The town's count of people helped to start a business and the jobs their enterprises
    created, from the case files (with the rows behind them for drill-down)."""
    cases = list(cases_for(actor))
    outcomes = case_outcomes(cases)
    rows = [(c, outcomes[c.pk]) for c in cases]
    return {
        "cases": len(cases),
        "helped": sum(1 for _c, o in rows if o.success),
        "jobs": sum(o.jobs for _c, o in rows),
        "rows": rows,
        "months": success_months(),
    }
