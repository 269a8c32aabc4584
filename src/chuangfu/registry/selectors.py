"""Reads of the registry shared by pages, exports and the API — always scoped by the actor.

Lists start from ``core.scoping.scope_by_jurisdiction``; ``get_<entity>_for(actor, id)`` raises
``NotFound`` for a record outside the actor's jurisdiction, exactly as for a missing one.
``filters`` are plain values (ids, codes, dates) so a form, a query string or an export job
can pass them alike.
"""

import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import NotFound
from chuangfu.core.identifiers import USCC_VALUES
from chuangfu.core.models import FULL_PERSONAL_DATA_ROLES, STAFF_ROLES, Jurisdiction, Role
from chuangfu.core.scoping import get_scoped_or_404, scope_by_jurisdiction, visible_jurisdiction_ids

from .models import Carrier, Enterprise, EnterprisePerson, InsuranceMonth, Mentor, Person, PersonGroup
from .search import search_q

# Mentors see carriers and fellow mentors, not the registry of people and enterprises.
PEOPLE_VIEW_ROLES = STAFF_ROLES - {Role.MENTOR}
EDITOR_ROLES = frozenset({Role.DESK_STAFF, Role.ADMIN})


# --- who may do what -------------------------------------------------------------------------


def _role(actor) -> str | None:
    if actor is None or not actor.is_authenticated:
        return None
    return Role.ADMIN if actor.is_superuser else actor.role


def can_view_people(actor) -> bool:
    """People and enterprises: every staff role except mentors."""
    return _role(actor) in PEOPLE_VIEW_ROLES


def can_view_carriers(actor) -> bool:
    """Carriers and mentors: every staff role."""
    return _role(actor) in STAFF_ROLES


def can_edit_registry(actor) -> bool:
    return _role(actor) in EDITOR_ROLES


def can_edit_carrier(actor, carrier: Carrier) -> bool:
    """Editors, and the operator whose unit runs this carrier (its running data only, see
    ``services.CARRIER_OPERATOR_FIELDS``). The registry's pages let only editors edit: an operator
    proposes a change in the ecosystem app, which the town reviews before it is applied."""
    if can_edit_registry(actor):
        return True
    return (
        _role(actor) == Role.CARRIER_OPERATOR
        and actor.unit_id is not None
        and carrier.operator_unit_id == actor.unit_id
    )


def can_reveal_personal_data(actor) -> bool:
    return _role(actor) in FULL_PERSONAL_DATA_ROLES


def jurisdiction_is_visible(actor, jurisdiction_id) -> bool:
    ids = visible_jurisdiction_ids(actor)
    return ids is None or jurisdiction_id in ids


def is_visible(actor, obj) -> bool:
    """Whether ``obj`` (anything with a jurisdiction) is inside the actor's jurisdiction."""
    return jurisdiction_is_visible(actor, obj.jurisdiction_id)


# --- filters ---------------------------------------------------------------------------------


def _pk(value):
    return getattr(value, "pk", value)


def _subtree_ids(jurisdiction) -> list[int]:
    path = Jurisdiction.objects.filter(pk=_pk(jurisdiction)).values_list("path", flat=True).first()
    if path is None:
        return []
    return list(Jurisdiction.objects.filter(Q(path=path) | Q(path__startswith=path + "/")).values_list("id", flat=True))


def _filter_jurisdiction(qs: QuerySet, filters: Mapping) -> QuerySet:
    if filters.get("jurisdiction"):
        qs = qs.filter(jurisdiction_id__in=_subtree_ids(filters["jurisdiction"]))
    return qs


_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")


def _person_exact(term: str) -> Q | None:
    value = term.upper()
    if _ID_NUMBER.match(value):
        return Q(id_number_hash=lookup_hash(value))
    digits = re.sub(r"[\s\-]", "", value).removeprefix("+86")
    if re.fullmatch(r"1\d{10}", digits):
        return Q(mobile_hash=lookup_hash(digits))
    return None


_USCC_PREFIX = re.compile(r"^\d{2}[0-9A-HJ-NP-RTUW-Y]{4,16}$")


def _uscc_exact(term: str) -> Q | None:
    """A whole USCC, or its first 6–17 characters (e.g. "91310115": enterprises registered in Pudong)."""
    value = term.upper()
    if len(value) == 18 and all(ch in USCC_VALUES for ch in value):
        return Q(uscc=value)
    if _USCC_PREFIX.match(value):
        # A range on the unique index finds a prefix without reading the table.
        return Q(uscc__gte=value, uscc__lt=value + "~")
    return None


def _matching(model, q: Q) -> Q:
    """Rows matching ``q``, as ``pk IN (subquery)``.

    A text search cannot use an index to find rows, but SQLite answers the subquery from an
    index holding the searched column (Person.name_pinyin, Enterprise.name) without reading
    the much wider table rows: at two million people a rare name takes about half a second
    instead of two to eight. The outer query keeps its scope filter and its ``-id`` order.
    """
    return Q(pk__in=model.objects.filter(q).values("pk"))


# --- lists -----------------------------------------------------------------------------------


def person_list(*, actor, filters: Mapping | None = None) -> QuerySet[Person]:
    """People in the actor's jurisdiction. Filters: q, jurisdiction, hukou_kind, group,
    employment_status, entrepreneurial_intent."""
    if not can_view_people(actor):
        return Person.objects.none()
    filters = filters or {}
    qs = scope_by_jurisdiction(Person.objects.select_related("jurisdiction"), actor)
    if filters.get("q"):
        qs = qs.filter(
            search_q(
                filters["q"],
                text_fields=["name"],
                pinyin_field="name_pinyin",
                exact=_person_exact,
                narrow=functools.partial(_matching, Person),
            )
        )
    qs = _filter_jurisdiction(qs, filters)
    for key in ("hukou_kind", "employment_status"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("group"):
        qs = qs.filter(pk__in=PersonGroup.objects.filter(group=filters["group"]).values("person_id"))
    if filters.get("entrepreneurial_intent"):
        qs = qs.filter(entrepreneurial_intent=True)
    return qs.order_by("-id")


def enterprise_list(*, actor, filters: Mapping | None = None) -> QuerySet[Enterprise]:
    """Enterprises in the actor's jurisdiction. Filters: q (name, pinyin, USCC or its start),
    jurisdiction, entity_type, industry_section, tag (code), carrier (id), registration_status,
    founded_from, founded_to."""
    if not can_view_people(actor):
        return Enterprise.objects.none()
    filters = filters or {}
    # The carrier comes by prefetch: a LEFT JOIN would stop SQLite from reading just the first
    # page of the (jurisdiction, -id) index and make it sort every enterprise in scope.
    qs = scope_by_jurisdiction(Enterprise.objects.select_related("jurisdiction").prefetch_related("carrier"), actor)
    if filters.get("q"):
        qs = qs.filter(
            search_q(
                filters["q"],
                text_fields=["name"],
                pinyin_field="name_pinyin",
                exact=_uscc_exact,
                narrow=functools.partial(_matching, Enterprise),
                text_indexed=True,
            )
        )
    qs = _filter_jurisdiction(qs, filters)
    for key in ("entity_type", "industry_section", "registration_status"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("tag"):
        tagged = Enterprise.tags.through.objects.filter(tag__code=_tag_code(filters["tag"]))
        qs = qs.filter(pk__in=tagged.values("enterprise_id"))
    if filters.get("carrier"):
        qs = qs.filter(carrier_id=_pk(filters["carrier"]))
    if filters.get("founded_from"):
        qs = qs.filter(founded_on__gte=filters["founded_from"])
    if filters.get("founded_to"):
        qs = qs.filter(founded_on__lte=filters["founded_to"])
    return qs.order_by("-id")


def _tag_code(tag) -> str:
    return getattr(tag, "code", tag)


def carrier_list(*, actor, filters: Mapping | None = None) -> QuerySet[Carrier]:
    """Carriers in the actor's jurisdiction. Filters: q, jurisdiction, kind."""
    if not can_view_carriers(actor):
        return Carrier.objects.none()
    filters = filters or {}
    qs = scope_by_jurisdiction(Carrier.objects.select_related("jurisdiction", "operator_unit"), actor)
    if filters.get("q"):
        qs = qs.filter(search_q(filters["q"], text_fields=["name", "operator", "address"]))
    qs = _filter_jurisdiction(qs, filters)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs.order_by("jurisdiction__path", "kind", "name", "id")


def mentor_list(*, actor, filters: Mapping | None = None) -> QuerySet[Mentor]:
    """Mentors in the actor's jurisdiction. Filters: q, jurisdiction, industry (section), available."""
    if not can_view_carriers(actor):
        return Mentor.objects.none()
    filters = filters or {}
    qs = scope_by_jurisdiction(Mentor.objects.select_related("jurisdiction", "workstation"), actor)
    if filters.get("q"):
        qs = qs.filter(search_q(filters["q"], text_fields=["name", "organisation", "expertise"]))
    qs = _filter_jurisdiction(qs, filters)
    if filters.get("industry"):
        # JSON list membership, written so SQLite and PostgreSQL agree.
        qs = qs.filter(industries__icontains=f'"{filters["industry"]}"')
    if filters.get("available"):
        qs = qs.filter(available=True)
    return qs.order_by("name", "id")


# --- one record --------------------------------------------------------------------------------


def get_person_for(actor, person_id) -> Person:
    if not can_view_people(actor):
        raise NotFound()
    return get_scoped_or_404(Person.objects.select_related("jurisdiction"), actor, pk=person_id)


def get_enterprise_for(actor, enterprise_id) -> Enterprise:
    if not can_view_people(actor):
        raise NotFound()
    qs = Enterprise.objects.select_related("jurisdiction", "carrier", "legal_representative")
    return get_scoped_or_404(qs, actor, pk=enterprise_id)


def get_carrier_for(actor, carrier_id) -> Carrier:
    if not can_view_carriers(actor):
        raise NotFound()
    return get_scoped_or_404(Carrier.objects.select_related("jurisdiction", "operator_unit"), actor, pk=carrier_id)


def get_mentor_for(actor, mentor_id) -> Mentor:
    if not can_view_carriers(actor):
        raise NotFound()
    return get_scoped_or_404(
        Mentor.objects.select_related("jurisdiction", "workstation", "person"), actor, pk=mentor_id
    )


def get_person_by_id_number_for(actor, id_number: str) -> Person:
    """The person with this ID number, if the actor may see them (used to link people)."""
    if not can_view_people(actor):
        raise NotFound()
    return get_scoped_or_404(Person.objects.all(), actor, id_number_hash=lookup_hash(id_number))


# --- related records on a detail page ----------------------------------------------------------


def enterprise_people(*, actor, enterprise: Enterprise) -> QuerySet[EnterprisePerson]:
    """Links of an enterprise to people the actor may see."""
    people = scope_by_jurisdiction(Person.objects.all(), actor).values("pk")
    return (
        EnterprisePerson.objects.filter(enterprise=enterprise, person__in=people)
        .select_related("person")
        .order_by("relation", "person__name")
    )


def person_enterprises(*, actor, person: Person) -> QuerySet[EnterprisePerson]:
    """Links of a person to enterprises the actor may see."""
    enterprises = scope_by_jurisdiction(Enterprise.objects.all(), actor).values("pk")
    return (
        EnterprisePerson.objects.filter(person=person, enterprise__in=enterprises)
        .select_related("enterprise")
        .order_by("relation", "-enterprise_id")
    )


def carrier_mentors(*, actor, carrier: Carrier) -> QuerySet[Mentor]:
    return mentor_list(actor=actor).filter(workstation=carrier)


def carrier_choices(*, actor) -> QuerySet[Carrier]:
    return carrier_list(actor=actor)


def workstation_choices(*, actor) -> QuerySet[Carrier]:
    return carrier_list(actor=actor, filters={"kind": "mentor_workstation"})


# --- pages of a long list ----------------------------------------------------------------------


@dataclass
class Page:
    """One page of a list, found without counting the whole table."""

    items: list
    number: int
    per_page: int
    has_next: bool
    truncated: bool = False  # the last page that may be shown, with more rows after it

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


MAX_PAGE = 500  # beyond 10,000 rows, searching or filtering beats paging (and OFFSET gets slow)


def page_of(qs: QuerySet, *, page: int = 1, per_page: int = 20) -> Page:
    page = min(max(1, page), MAX_PAGE)
    start = (page - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    more = len(rows) > per_page
    return Page(
        items=rows[:per_page],
        number=page,
        per_page=per_page,
        has_next=more and page < MAX_PAGE,
        truncated=more and page == MAX_PAGE,
    )


COUNT_CAP = 1000


def count_capped(qs: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows match, counting at most ``cap + 1``: (count, more_than_cap)."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


@dataclass
class InsuranceSpan:
    """Consecutive months paid by one employer (or as an individual), as the detail pages show them."""

    first: datetime.date
    last: datetime.date
    employer: str
    enterprise_id: int | None
    months: int


def insurance_spans(*, actor, person: Person | None = None, enterprise: Enterprise | None = None, limit: int = 60):
    """A person's insurance history (or the months an enterprise paid, per person) as spans,
    the latest first. The caller has already checked the record is visible (``get_*_for``); an
    enterprise's insured people outside the actor's jurisdiction are not named."""
    rows = InsuranceMonth.objects.order_by("person_id", "employer_uscc", "month")
    rows = rows.filter(person=person) if person is not None else rows.filter(enterprise=enterprise)
    spans: list[tuple[int, InsuranceSpan]] = []
    for person_id, uscc, name, enterprise_id, month in rows.values_list(
        "person_id", "employer_uscc", "employer_name", "enterprise_id", "month"
    ).iterator():
        last = spans[-1] if spans else None
        if (
            last is not None
            and last[0] == person_id
            and last[1].employer == (name or uscc)
            and (month.year * 12 + month.month) - (last[1].last.year * 12 + last[1].last.month) == 1
        ):
            last[1].last, last[1].months = month, last[1].months + 1
            continue
        spans.append((person_id, InsuranceSpan(month, month, name or uscc, enterprise_id, 1)))
    spans.sort(key=lambda pair: pair[1].last, reverse=True)
    if enterprise is not None:
        wanted = {p for p, _s in spans[:limit]}
        names = dict(scope_by_jurisdiction(Person.objects.filter(pk__in=wanted), actor).values_list("pk", "name"))
        for person_id, span in spans:
            span.employer = names.get(person_id) or str(_("（其他区划人员）"))
    return [span for _p, span in spans[:limit]]
