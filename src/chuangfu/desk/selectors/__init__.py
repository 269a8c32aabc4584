"""Reads of the desk shared by pages, exports and the API — always scoped by the actor. The public
side (the status lookup, a requester's own requests) is ``selectors.public``.

``tickets_for(actor)`` is where scope lives: desk staff and leaders see their jurisdiction; a
unit liaison sees only tickets their unit leads or co-handles; other roles see nothing. Tickets
belong to a town; an account of a village (a 家门口服务站) sees the town's tickets of the people
and enterprises registered in its village, and those it took in itself (its first handler).
``get_ticket_for`` raises ``NotFound`` for anything outside that, exactly as for a missing id.
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

import jieba
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chuangfu.core import scopes, versions
from chuangfu.core import timeline as core_timeline
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import NotFound
from chuangfu.core.identifiers import validate_mobile, validate_uscc
from chuangfu.core.models import Jurisdiction, Role, TimelineEvent, Unit
from chuangfu.core.scoping import is_village_account, scope_by_jurisdiction, visible_jurisdiction_ids
from chuangfu.core.search import bounded_query, bounded_terms

from .. import deadlines
from ..models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Category,
    Channel,
    MetricDefinition,
    Rectification,
    Status,
    Ticket,
    TicketAssignment,
)
from .public import (
    PublicFile,
    PublicStep,
    my_requests,
    public_attachment,
    public_timeline,
    ticket_public_lookup,
    ticket_public_status,
)

DESK_ROLES = frozenset({Role.DESK_STAFF, Role.UNIT_LIAISON, Role.LEADER, Role.ADMIN})
A = TicketAssignment


def can_use_desk(actor) -> bool:
    return bool(actor and actor.is_authenticated and (actor.is_superuser or actor.role in DESK_ROLES))


def _co_handled(unit_id) -> Q:
    return Q(pk__in=A.objects.filter(unit_id=unit_id, role=A.Role.CO, state__in=A.ACTIVE).values("ticket_id"))


def _village_q(actor) -> Q:
    ids = visible_jurisdiction_ids(actor)
    return Q(person__jurisdiction_id__in=ids) | Q(enterprise__jurisdiction_id__in=ids) | Q(first_handler_id=actor.pk)


def tickets_for(actor) -> QuerySet[Ticket]:
    if not can_use_desk(actor):
        return Ticket.objects.none()
    if is_village_account(actor):
        qs = Ticket.objects.filter(jurisdiction_id=actor.jurisdiction.parent_id).filter(_village_q(actor))
    else:
        qs = scope_by_jurisdiction(Ticket.objects.all(), actor)
    if actor.role == Role.UNIT_LIAISON and not actor.is_superuser:
        if actor.unit_id is None:
            return Ticket.objects.none()
        qs = qs.filter(Q(lead_unit_id=actor.unit_id) | _co_handled(actor.unit_id))
    return qs


def get_ticket_for(actor, ticket_id) -> Ticket:
    try:
        return (
            tickets_for(actor)
            .select_related(
                "category",
                "jurisdiction",
                "lead_unit",
                "suggested_unit",
                "first_handler",
                "merged_into",
                "person",
                "enterprise",
            )
            .get(pk=int(ticket_id))
        )
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass(frozen=True)
class Origin:
    """Where a ticket was raised, as the desk shows it: the kind of record, its name, its page."""

    kind: str
    label: str
    url: str


def ticket_origin(ticket: Ticket) -> Origin | None:
    """The record another app linked the ticket to (e.g. the activity it was raised at), or None.
    The desk knows nothing of that app: the record names itself and says where its page is."""
    if ticket.origin_type_id is None:
        return None
    record = ticket.origin
    if record is None:  # the record is gone; the ticket keeps its own history
        return Origin(kind=str(ticket.origin_type.model_class()._meta.verbose_name), label=_("（已删除）"), url="")
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    return Origin(kind=str(record._meta.verbose_name), label=str(record), url=url)


def tickets_with_origin(origin, *, actor=None) -> QuerySet[Ticket]:
    """Tickets raised at ``origin``: all of them (for counts) or, given ``actor``, those the actor may see."""
    from django.contrib.contenttypes.models import ContentType

    qs = tickets_for(actor) if actor is not None else Ticket.objects.all()
    return qs.filter(origin_type=ContentType.objects.get_for_model(origin), origin_id=origin.pk)


def origin_ticket_counts(model, ids) -> dict[int, dict[str, int]]:
    """For records of ``model`` with ``ids``: ``{id: {status: count}}`` of the tickets raised at each."""
    from django.contrib.contenttypes.models import ContentType

    counts: dict[int, dict[str, int]] = {}
    rows = (
        Ticket.objects.filter(origin_type=ContentType.objects.get_for_model(model), origin_id__in=list(ids))
        .order_by()
        .values_list("origin_id", "status")
        .annotate(n=Count("id"))
    )
    for origin_id, status, n in rows:
        counts.setdefault(origin_id, {})[status] = n
    return counts


def get_ticket_by_number_for(actor, number: str) -> Ticket | None:
    return tickets_for(actor).filter(number=(number or "").strip()).first()


# --- queues and filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    code: str
    label: str
    hint: str = ""  # what the queue holds, shown on hover: 全部在办 and 待我处理 overlap and are told apart here


QUEUES = [
    Queue("open", _("全部在办"), _("所有尚未办结的工单，无论在谁手上")),
    Queue("new", _("待我处理"), _("正等着您（或本单位）做下一步的工单：派单、签收、审核答复或审批延期")),
    Queue("due_soon", _("即将到期")),
    Queue("overdue", _("已超时")),
    Queue("revisit", _("待回访")),
    Queue("rectify", _("待整改")),
    Queue("supervised", _("督办中")),
    Queue("mine", _("我首问的")),
    Queue("all", _("全部")),
]
QUEUE_CODES = {q.code for q in QUEUES}
DEFAULT_QUEUE = "open"


def queues_for(actor) -> list[Queue]:
    hidden = set()
    if actor.role != Role.DESK_STAFF:
        hidden |= {"mine", "revisit"}
    return [q for q in QUEUES if q.code not in hidden]


def queue_q(actor, code: str) -> Q:
    """The condition of queue ``code`` for ``actor`` (applied on top of ``tickets_for``)."""
    unit_id = actor.unit_id
    if code == "open":  # everything not 办结 yet — a superset of 待我处理 (an answer awaiting review included)
        return Q(status__in=[*OPEN_STATUSES, Status.ANSWERED])  # listed, not negated: the status index serves it
    if code == "new":
        if actor.role == Role.UNIT_LIAISON:
            co_pending = Q(
                pk__in=A.objects.filter(unit_id=unit_id, role=A.Role.CO, state=A.State.PENDING).values("ticket_id")
            )
            return Q(status=Status.DISPATCHED, lead_unit_id=unit_id) | co_pending
        if actor.role == Role.LEADER:
            return Q(status__in=OPEN_STATUSES, extension_pending_days__isnull=False)
        return Q(status__in=[Status.RECEIVED, Status.RETURNED]) | Q(status=Status.ANSWERED)
    if code == "due_soon":
        return deadlines.due_soon_q()
    if code == "overdue":  # for the desk, also the 回访 it owes late
        if actor.role == Role.DESK_STAFF:
            return deadlines.overdue_q() | deadlines.revisit_overdue_q()
        return deadlines.overdue_q()
    # The two rectification queues ask the (small) rectification table for its tickets rather than
    # joining it to the tickets: a join made SQLite walk every 已回访 ticket of the town (desk-queue
    # benchmark, decisions.md 34). Its base manager: the tickets around the condition are scoped, and
    # the scoped manager would put every ticket of the town into the subquery.
    if code == "revisit":
        rectified = Rectification._base_manager.filter(state=Rectification.State.RECTIFIED).values("ticket_id")
        return Q(status=Status.CLOSED) | Q(status=Status.REVISITED, pk__in=rectified)
    if code == "rectify":
        open_ = Rectification._base_manager.filter(state=Rectification.State.OPEN)
        if actor.role == Role.UNIT_LIAISON:
            open_ = open_.filter(unit_id=unit_id)
        return Q(pk__in=open_.values("ticket_id"))
    if code == "supervised":
        return Q(supervised=True) & ~Q(status__in=[*FINISHED_STATUSES, Status.MERGED])
    if code == "mine":
        return Q(first_handler=actor, status__in=[Status.RECEIVED, Status.RETURNED, Status.DISPATCHED])
    return Q()


def search_terms(text: str) -> list[str]:
    """Words of a Chinese query (jieba): 创业补贴 → 创业, 补贴."""
    words = [w.strip() for w in jieba.lcut(bounded_query(text))]
    words = [w for w in words if w and not re.fullmatch(r"[\W_]+", w)]
    if len(words) > 1:
        words = [w for w in words if len(w) > 1] or words
    return bounded_terms(words)


def search_q(text: str) -> Q:
    """A ticket number, 12345 order number, mobile or USCC finds exactly; other text is split
    into words, each of which must appear in the description, a reply or note, or the name."""
    text = bounded_query(text)
    if not text:
        return Q()
    exact, identifier = Q(pk__in=[]), False
    if re.fullmatch(r"\d{12,20}", text):
        exact |= Q(number=text) | Q(hotline_order_no=text)
        identifier = True
    try:
        exact |= Q(requester_mobile_hash=lookup_hash(validate_mobile(text)))
        identifier = True
    except ValidationError:
        pass
    if len(text) == 18:
        try:
            code = validate_uscc(text)
            exact |= Q(requester_uscc=code) | Q(enterprise__uscc=code)
            identifier = True
        except ValidationError:
            pass
    if identifier:
        return exact
    q = Q()
    for word in search_terms(text):
        q &= _word_q(word)
    if re.fullmatch(r"[A-Za-z0-9-]{6,32}", text):  # 12345 order numbers carry letters
        q |= Q(hotline_order_no=text)
    return q


def _word_q(word: str) -> Q:
    in_events = Exists(
        TimelineEvent.objects.filter(
            subject_type=core_timeline.subject_type(Ticket), subject_id=OuterRef("pk"), note__icontains=word
        )
    )
    return Q(description__icontains=word) | Q(requester_name__icontains=word) | Q(in_events)


def _pk(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def ticket_list(*, actor, filters: Mapping | None = None) -> QuerySet[Ticket]:
    """Tickets in ``actor``'s scope matching ``filters``: ``queue``, ``status``, ``unit``,
    ``category``, ``channel``, ``date_from``/``date_to`` (receipt), ``overdue``, ``q`` and a
    figure drill-down (``metric``, ``part`` num|den, ``by`` unit|category|channel|month, ``key``)."""
    f = filters or {}
    qs = tickets_for(actor)
    queue = f.get("queue") or DEFAULT_QUEUE
    if queue in QUEUE_CODES:
        qs = qs.filter(queue_q(actor, queue))
    if f.get("status") in Status.values:
        qs = qs.filter(status=f["status"])
    if _pk(f.get("unit")):
        qs = qs.filter(lead_unit_id=_pk(f["unit"]))
    if _pk(f.get("category")):
        qs = qs.filter(category_id=_pk(f["category"]))
    if f.get("channel") in Channel.values:
        qs = qs.filter(channel=f["channel"])
    if f.get("date_from"):
        qs = qs.filter(received_on__gte=f["date_from"])
    if f.get("date_to"):
        qs = qs.filter(received_on__lte=f["date_to"])
    if f.get("overdue") in (True, "1", "on", "true"):
        qs = qs.filter(deadlines.overdue_q())
    if f.get("q"):
        qs = qs.filter(search_q(f["q"]))
    if f.get("metric"):
        from ..figures import drill_down_q

        qs = qs.filter(drill_down_q(f.get("metric"), f.get("part"), f.get("by"), f.get("key")))
    return qs.select_related("category", "lead_unit").order_by("-id")


def queue_page(*, actor, queue: str, fields: tuple[str, ...], offset: int, limit: int) -> list[dict]:
    """One page of ``queue`` with no other filter, as ``ticket_list(...).values(*fields)`` would
    give it: ``limit`` rows from ``offset``.

    The statement is what ``ticket_list`` builds, compiled by the ORM once per process for
    everything its conditions depend on (``_counts_key``, as for the counts) and kept with the
    converters the ORM would apply to its rows: building it cost a sixth of the queue page, the busiest
    staff page (desk-queue benchmark, decisions.md)."""
    key = (_counts_key(actor), queue, fields, offset, limit)
    kept = _PAGE_STATEMENTS.get(key)
    if kept is None:
        if len(_PAGE_STATEMENTS) >= 1000:  # a new day, or many accounts: start again
            _PAGE_STATEMENTS.clear()
        qs = ticket_list(actor=actor, filters={"queue": queue}).values(*fields)[offset : offset + limit]
        compiler = qs.query.get_compiler(using=qs.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # nothing in scope
            sql, params = None, ()
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]]) if sql else {}
        kept = _PAGE_STATEMENTS[key] = (sql, tuple(params), list(converters.items()))
    sql, params, converters = kept
    if sql is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        row = list(row)
        for pos, (functions, expression) in converters:
            for convert in functions:
                row[pos] = convert(row[pos], expression, connection)
        out.append(dict(zip(fields, row, strict=True)))
    return out


_PAGE_STATEMENTS: dict[tuple, tuple] = {}


COUNT_CAP = 999


def queue_counts(*, actor, codes, cap: int | None = None) -> dict[str, int]:
    """How many tickets each queue holds; with ``cap``, counting stops at ``cap + 1``.

    One statement, a count per queue over the queue's own query (so a count can never differ from
    its list). Building that statement through the ORM cost ~3 ms, several times what the database
    took to answer it (desk-queue benchmark, decisions.md 34), so it is built once per process for
    everything it depends on (``_counts_key``) and kept."""
    codes = tuple(codes)
    if not codes:
        return {}
    key = (_counts_key(actor), codes, cap)
    kept = f"desk-counts:{versions.current(COUNTS_VERSION)}:" + hashlib.sha256(_plain(key).encode()).hexdigest()
    counts = cache.get(kept)
    if counts is not None:
        return counts
    statement = _COUNT_STATEMENTS.get(key)
    if statement is None:
        if len(_COUNT_STATEMENTS) >= 1000:  # a new day, or many accounts: start again
            _COUNT_STATEMENTS.clear()
        statement = _COUNT_STATEMENTS[key] = _counts_statement(actor, codes, cap)
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        counts = dict(zip(codes, cursor.fetchone(), strict=True))
    cache.set(kept, counts, COUNTS_TTL)
    return counts


# The counts are kept in the cache under a counter that every save or delete of a ticket, an
# assignment, a rectification, a unit or a category bumps (``core.versions``; desk/apps.py watches them),
# so a change shows in the next count any clerk asks for, in any process. What no save announces
# shows within ``COUNTS_TTL`` seconds; the day is in the key (``_counts_key``).
COUNTS_VERSION = "desk-queues"
COUNTS_TTL = 60


def _plain(value) -> str:
    """``value`` as text that is the same in every process (for a key shared through Redis): sets
    sorted, the scope markers by name, not by their address in memory."""
    if value is scopes.EVERY_TOWN:
        return "every-town"
    if value is scopes.REQUIRED:
        return "required"
    if isinstance(value, frozenset | set):
        return repr(sorted(value))
    if isinstance(value, tuple):
        return "(" + ",".join(_plain(v) for v in value) + ")"
    return repr(value)


_COUNT_STATEMENTS: dict[tuple, tuple[str, list]] = {}


def _counts_key(actor) -> tuple:
    """Everything ``tickets_for`` and ``queue_q`` read to build their conditions: the request's scope,
    the account, its role, unit and place, the jurisdictions it sees, and the dates the deadline
    queues compare with."""
    town = actor.jurisdiction.parent_id if is_village_account(actor) else None
    ids = visible_jurisdiction_ids(actor)
    today = deadlines.today()
    return (
        scopes.current(),  # the town-scoped managers' condition (decisions.md 33)
        actor.pk,
        actor.role,
        actor.is_superuser,
        actor.is_authenticated,
        actor.unit_id,
        actor.jurisdiction_id,
        town,
        None if ids is None else tuple(ids),
        today,
        deadlines.soon_limit(today),
    )


def _counts_statement(actor, codes: tuple, cap: int | None) -> tuple[str, list]:
    base = tickets_for(actor).order_by()
    parts, params = [], []
    for i, code in enumerate(codes):
        qs = base.filter(queue_q(actor, code)).values("pk")
        try:
            sql, part_params = (qs[: cap + 1] if cap else qs).query.sql_with_params()
        except EmptyResultSet:  # nothing in scope (an account without a unit or a jurisdiction)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) q{i})")
        params.extend(part_params)
    return "SELECT " + ", ".join(parts), params


def _town_scoped(qs: QuerySet, actor) -> QuerySet:
    """Records of the actor's towns; for a village account, of the town above it."""
    if is_village_account(actor):
        return qs.filter(jurisdiction_id=actor.jurisdiction.parent_id)
    return scope_by_jurisdiction(qs, actor)


def _town_ids(actor) -> list[int] | None:
    """The towns whose units and categories the actor chooses from; None for all."""
    if is_village_account(actor):
        return [actor.jurisdiction.parent_id]
    return visible_jurisdiction_ids(actor)


def queue_choices(*, actor) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """The queue filter's active units ``(id, name)`` and categories ``(id, name, town name)``, in
    the order of ``unit_choices`` and ``category_choices``.

    Plain SQL: the queue is the busiest staff page and the ORM spent ~0.4 ms building each of these
    two trivial queries (desk-queue benchmark; decisions.md)."""
    ids = _town_ids(actor)
    if ids == []:
        return [], []
    q = connection.ops.quote_name
    unit, category, town = (q(m._meta.db_table) for m in (Unit, Category, Jurisdiction))
    where, params = ("", []) if ids is None else (f" AND x.jurisdiction_id IN ({', '.join(['%s'] * len(ids))})", ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x.id, x.name FROM {unit} x JOIN {town} j ON j.id = x.jurisdiction_id "
            f"WHERE x.active{where} ORDER BY j.path, x.name",
            params,
        )
        units = cursor.fetchall()
        cursor.execute(
            f"SELECT x.id, x.name, j.name FROM {category} x JOIN {town} j ON j.id = x.jurisdiction_id "
            f"WHERE x.active{where} ORDER BY j.path, x.{q('order')}, x.id",
            params,
        )
        categories = cursor.fetchall()
    return units, categories


def unit_choices(*, actor) -> QuerySet[Unit]:
    return _town_scoped(Unit.objects.filter(active=True), actor).select_related("jurisdiction")


def category_choices(*, actor) -> QuerySet[Category]:
    return _town_scoped(Category.objects.filter(active=True), actor).select_related("jurisdiction")


# --- one ticket --------------------------------------------------------------------------------


def timeline(*, ticket: Ticket, include_internal: bool) -> list[TimelineEvent]:
    """The ticket's steps, plus those of duplicates merged into it (each event carries its
    ``ticket_number``, so the page can say which duplicate it came from)."""
    if not include_internal:
        return list(core_timeline.events_for(Ticket, ticket.pk, public_only=True).prefetch_related("attachments"))
    numbers = {ticket.pk: ticket.number, **dict(ticket.merged_tickets.values_list("pk", "number"))}
    events = list(
        core_timeline.events_for(Ticket, list(numbers)).select_related("unit").prefetch_related("attachments")
    )
    for event in events:
        event.ticket_number = numbers[event.subject_id]
    return events


def assignments(*, ticket: Ticket) -> list[TicketAssignment]:
    return list(ticket.assignments.select_related("unit", "accepted_by").order_by("role", "id"))


def metric_definitions() -> list[MetricDefinition]:
    return list(MetricDefinition.objects.filter(active=True))


def origin_default_category(jurisdiction: Jurisdiction) -> Category | None:
    """The category a request raised elsewhere falls into when nobody chose one: the town's
    active 其他, else its last active category."""
    town = jurisdiction.town or jurisdiction
    active = Category.objects.filter(jurisdiction=town, active=True)
    return active.filter(name="其他").first() or active.order_by("-order", "-id").first()
