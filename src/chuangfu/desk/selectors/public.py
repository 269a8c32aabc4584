"""The public side of the desk's reads: the status lookup (page and API) and a requester's own
requests. No actor scopes these: the number and the mobile, or the signed-in account, select."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from chuangfu.core import timeline as core_timeline
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.identifiers import validate_mobile
from chuangfu.core.models import TimelineEvent

from ..models import Attachment, Category, Rating, Ticket
from ..timeline_text import shown


def _public_match(number: str, mobile: str) -> dict | None:
    """The condition of a status lookup when both values are well formed; None when nothing can match."""
    number = (number or "").strip()
    try:
        mobile = validate_mobile(mobile)
    except ValidationError:
        return None
    if not re.fullmatch(r"\d{8,20}", number):
        return None
    return {"number": number, "requester_mobile_hash": lookup_hash(mobile)}


def ticket_public_lookup(*, number: str, mobile: str) -> Ticket | None:
    """The ticket when both the number and the requester's mobile match; otherwise None. It carries
    what the status page shows: its category's name, the ticket it was merged into and its rating.

    Plain SQL, one statement: through the ORM (``select_related`` of three relations with
    ``only``) building the statement cost more than the page's timeline (desk-queue benchmark,
    decisions.md 42). The instances hold only the columns read here."""
    match = _public_match(number, mobile)
    if match is None:
        return None
    q = connection.ops.quote_name
    ticket_table, category, rating_table = (q(m._meta.db_table) for m in (Ticket, Category, Rating))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id, t.number, t.status, t.received_at, t.answer_due, t.answer, t.category_id, c.name, "
            f"m.id, m.number, m.status, m.answer, r.id, r.grade "
            f"FROM {ticket_table} t JOIN {category} c ON c.id = t.category_id "
            f"LEFT JOIN {ticket_table} m ON m.id = t.merged_into_id "
            f"LEFT JOIN {rating_table} r ON r.ticket_id = t.id "
            f"WHERE t.number = %s AND t.requester_mobile_hash = %s",
            [match["number"], match["requester_mobile_hash"]],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    pk, number, status, received_at, answer_due, answer, category_id, category_name, *merged, rating_id, grade = found
    ticket = Ticket(
        pk=pk,
        number=number,
        status=status,
        received_at=_aware(received_at),
        answer_due=parse_date(answer_due) if isinstance(answer_due, str) else answer_due,
        answer=answer,
        category_id=category_id,
    )
    ticket._state.adding = False
    ticket.category = Category(pk=category_id, name=category_name)
    merged_pk, merged_number, merged_status, merged_answer = merged
    if merged_pk is not None:
        ticket.merged_into = Ticket(pk=merged_pk, number=merged_number, status=merged_status, answer=merged_answer)
        ticket.merged_into._state.adding = False
    rating = None if rating_id is None else Rating(pk=rating_id, ticket=ticket, grade=grade)
    Ticket.rating.related.set_cached_value(ticket, rating)  # None too: no second read for "not rated"
    return ticket


def _aware(value):
    """A datetime read by plain SQL: SQLite gives naive UTC (or text), PostgreSQL an aware value."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, datetime.UTC) if value and timezone.is_naive(value) else value


def ticket_public_status(*, number: str, mobile: str) -> dict | None:
    """The same lookup as ``ticket_public_lookup`` for the status API, as plain values with the public
    timeline under ``events`` as ``(at, label, public_note)``.

    Plain SQL: this is the busiest public read, and the ORM spent most of its time building two
    trivial statements (desk-queue benchmark; decisions.md)."""
    match = _public_match(number, mobile)
    if match is None:
        return None
    q = connection.ops.quote_name
    ticket, category, rating, event = (q(m._meta.db_table) for m in (Ticket, Category, Rating, TimelineEvent))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id, t.number, t.status, t.received_at, t.answer_due, t.answer, c.name, m.number, m.answer, r.id "
            f"FROM {ticket} t JOIN {category} c ON c.id = t.category_id "
            f"LEFT JOIN {ticket} m ON m.id = t.merged_into_id LEFT JOIN {rating} r ON r.ticket_id = t.id "
            f"WHERE t.number = %s AND t.requester_mobile_hash = %s",
            [match["number"], match["requester_mobile_hash"]],
        )
        found = cursor.fetchone()
        if found is None:
            return None
        cursor.execute(
            f"SELECT {q('at')}, label, public_note FROM {event} "
            f"WHERE subject_type_id = %s AND subject_id = %s AND {q('public')} ORDER BY {q('at')}, id",
            [core_timeline.subject_type(Ticket).pk, found[0]],
        )
        events = [(_aware(at), shown(label), shown(note)) for at, label, note in cursor.fetchall()]
    pk, number, status, received_at, answer_due, answer, category_name, merged_number, merged_answer, rating_id = found
    return {
        "pk": pk,
        "number": number,
        "status": status,
        "received_at": _aware(received_at),
        "answer_due": parse_date(answer_due) if isinstance(answer_due, str) else answer_due,
        "answer": answer,
        "category__name": category_name,
        "merged_into__number": merged_number,
        "merged_into__answer": merged_answer,
        "rating__id": rating_id,
        "events": events,
    }


@dataclass
class PublicFile:
    """A file of a public reply, as the status page lists it."""

    pk: int
    original_name: str
    size: int


@dataclass
class PublicStep:
    """A public step of a ticket's timeline, as the requester's status page shows it."""

    pk: int
    at: datetime.datetime
    label: str
    public_note: str
    files: list[PublicFile]
    public: bool = True


def public_timeline(ticket: Ticket) -> list[PublicStep]:
    """What the requester sees: the public steps of their own ticket, oldest first, each with the
    files of a public reply.

    Plain SQL, one statement: the status lookup page is the busiest public page, and through the
    ORM its timeline (events, then their files by ``prefetch_related``) cost more to build than
    the page's own rendering (desk-queue benchmark, decisions.md 34)."""
    q = connection.ops.quote_name
    event, attachment = q(TimelineEvent._meta.db_table), q(Attachment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id, e.{q('at')}, e.label, e.public_note, a.id, a.original_name, a.size "
            f"FROM {event} e LEFT JOIN {attachment} a ON a.event_id = e.id "
            f"WHERE e.subject_type_id = %s AND e.subject_id = %s AND e.{q('public')} "
            f"ORDER BY e.{q('at')}, e.id, a.id",
            [core_timeline.subject_type(Ticket).pk, ticket.pk],
        )
        rows = cursor.fetchall()
    steps: dict[int, PublicStep] = {}
    for pk, at, label, public_note, file_pk, name, size in rows:
        step = steps.get(pk)
        if step is None:
            step = steps[pk] = PublicStep(pk=pk, at=_aware(at), label=label, public_note=public_note, files=[])
        if file_pk is not None:
            step.files.append(PublicFile(pk=file_pk, original_name=name, size=size))
    return list(steps.values())


def public_attachment(attachment_id) -> Attachment | None:
    """A file the requester may download: attached to a public reply, never to an internal note."""
    return Attachment.objects.filter(pk=attachment_id, event__public=True).first()


def my_requests(*, user) -> QuerySet[Ticket]:
    """An entrepreneur's requests: submitted with the account, or with their verified mobile."""
    if not (user and user.is_authenticated):
        return Ticket.objects.none()
    q = Q(requester_account=user)
    if user.mobile and user.mobile_verified_at:
        q |= Q(requester_mobile_hash=lookup_hash(user.mobile))
    return Ticket.objects.filter(q).select_related("category").order_by("-id")
