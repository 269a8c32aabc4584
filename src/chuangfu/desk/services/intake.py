"""Taking requests in: the public form (no account), desk staff recording walk-in, phone and
12345 requests, and linking them to the registry.

Guarantees: every value is validated and all problems are reported at once (a dict
``ValidationError``); nothing is saved unless the whole ticket, its attachments, its first
timeline event and its audit entry are. A double submit — the same idempotency key, or the same
category and text from the same mobile within a minute — returns the first ticket instead of
making a second (``created`` is False).
"""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from chuangfu.core import timeline
from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.crypto import lookup_hash, mask_name
from chuangfu.core.errors import DomainError
from chuangfu.core.identifiers import validate_id_number, validate_mobile, validate_uscc
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.scopes import every_town
from chuangfu.core.scoping import is_village_account, visible_jurisdiction_ids
from chuangfu.core.workdays import add_working_days

from .. import timeline_text, uploads
from ..models import (
    DESCRIPTION_MAX_LENGTH,
    STAFF_CHANNELS,
    Attachment,
    Category,
    Channel,
    Status,
    Ticket,
    TicketCounter,
)
from ..routing import suggest_unit
from ..selectors import origin_default_category
from . import notify
from .throttle import throttle_take

DUPLICATE_WINDOW = datetime.timedelta(minutes=1)
AUDITED_FIELDS = (
    "number",
    "jurisdiction",
    "category",
    "channel",
    "hotline_order_no",
    "requester_name",
    "requester_mobile",
    "requester_uscc",
    "requester_enterprise_name",
    "person",
    "enterprise",
    "status",
    "accept_due",
    "answer_due",
    "suggested_unit",
    "first_handler",
    "origin_type",
    "origin_id",
)


class _Duplicate(Exception):
    def __init__(self, ticket):
        self.ticket = ticket


def content_hash(category_id: int, description: str) -> str:
    text = " ".join(description.split())
    return hashlib.sha256(f"{category_id}|{text}".encode()).hexdigest()


def clean_request(
    *,
    category,
    description: str,
    requester_name: str,
    requester_mobile: str,
    uscc: str = "",
    enterprise_name: str = "",
    channel: str = Channel.WEB,
    hotline_order_no: str = "",
    files=(),
) -> dict:
    """Validate what a requester gives; returns the normalised values or raises a dict ValidationError."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(str(message))

    values = {
        "description": (description or "").strip(),
        "requester_name": " ".join((requester_name or "").split()),
        "requester_enterprise_name": (enterprise_name or "").strip(),
        "hotline_order_no": (hotline_order_no or "").strip(),
        "channel": channel,
    }
    if category is None:
        add("category", _("请选择咨询类别。"))
    elif not isinstance(category, Category) or not category.active:
        add("category", _("请选择有效的咨询类别。"))
    if not values["description"]:
        add("description", _("请填写诉求内容。"))
    elif len(values["description"]) > DESCRIPTION_MAX_LENGTH:
        add(
            "description",
            _("诉求内容最多 %(max)d 字，当前 %(n)d 字。")
            % {"max": DESCRIPTION_MAX_LENGTH, "n": len(values["description"])},
        )
    if not values["requester_name"]:
        add("requester_name", _("请填写姓名。"))
    elif len(values["requester_name"]) > 64:
        add("requester_name", _("姓名最多 64 个字。"))
    try:
        values["requester_mobile"] = validate_mobile(requester_mobile)
    except ValidationError as exc:
        add("requester_mobile", exc.messages[0])
    values["requester_uscc"] = ""
    if (uscc or "").strip():
        try:
            values["requester_uscc"] = validate_uscc(uscc)
        except ValidationError as exc:
            add("uscc", exc.messages[0])
    if len(values["requester_enterprise_name"]) > 255:
        add("enterprise_name", _("企业名称最多 255 个字。"))
    if channel not in Channel.values:
        add("channel", _("来源渠道无效。"))
    if channel == Channel.HOTLINE and not values["hotline_order_no"]:
        add("hotline_order_no", _("12345 转办的诉求请填写 12345 工单号。"))
    try:
        values["content_types"] = uploads.check_uploads(files)
    except ValidationError as exc:
        for message in exc.messages:
            add("files", message)
    if errors:
        raise ValidationError(errors)
    return values


def _deadlines(category: Category, received_on: datetime.date) -> dict:
    return {
        "accept_due": add_working_days(received_on, category.accept_days),
        "answer_due": add_working_days(received_on, category.answer_days),
    }


def _create(
    *,
    jurisdiction: Jurisdiction,
    category: Category,
    values: dict,
    files,
    idempotency_key: str,
    actor,
    actor_repr: str,
    account=None,
    person=None,
    enterprise=None,
    first_handler=None,
    throttles=(),
    origin=None,
) -> tuple[Ticket, bool]:
    key = (idempotency_key or "").strip()[:64] or None
    if key:
        existing = Ticket.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False
    mobile_hash = lookup_hash(values["requester_mobile"])
    digest = content_hash(category.pk, values["description"])
    # Reads first: on SQLite the transaction below holds the database's write lock throughout.
    unit, reason = suggest_unit(jurisdiction=jurisdiction, category=category, description=values["description"])
    try:
        with transaction.atomic():
            for name, throttle_key, message in throttles:
                if not throttle_take(name, throttle_key):
                    raise DomainError("rate_limited", message, status=429)
            now = timezone.now()
            duplicate = (
                Ticket.objects.filter(
                    requester_mobile_hash=mobile_hash, content_hash=digest, received_at__gte=now - DUPLICATE_WINDOW
                )
                .order_by("-id")
                .first()
            )
            if duplicate is not None:
                raise _Duplicate(duplicate)
            received_on = timezone.localdate(now)
            ticket = Ticket(
                jurisdiction=jurisdiction,
                category=category,
                channel=values["channel"],
                hotline_order_no=values["hotline_order_no"],
                requester_name=values["requester_name"],
                requester_mobile=values["requester_mobile"],
                requester_uscc=values["requester_uscc"],
                requester_enterprise_name=values["requester_enterprise_name"],
                requester_account=account,
                person=person,
                enterprise=enterprise,
                description=values["description"],
                content_hash=digest,
                idempotency_key=key,
                status=Status.RECEIVED,
                suggested_unit=unit,
                suggestion_reason=reason,
                first_handler=first_handler,
                received_at=now,
                received_on=received_on,
                origin=origin,
                **_deadlines(category, received_on),
            )
            ticket.number = TicketCounter.next_number(received_on)
            ticket.save()
            for upload, content_type in zip([f for f in files if f], values["content_types"]):
                Attachment.objects.create(
                    ticket=ticket,
                    file=upload,
                    original_name=(upload.name or "")[:255],
                    content_type=content_type,
                    size=upload.size,
                    uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            timeline.record(
                ticket,
                actor=actor if getattr(actor, "is_authenticated", False) else actor_repr,
                unit=getattr(actor, "unit", None),
                at=now,
                action="submitted",
                label=gettext_lazy("受理"),
                note=_source_note(ticket, origin),
                public=True,
                public_note=timeline_text.note(gettext_noop("您的诉求已受理，工单编号 %(n)s。"), n=ticket.number),
                to_state=Status.RECEIVED,
            )
            log_action(
                actor=actor if getattr(actor, "is_authenticated", False) else actor_repr,
                action="desk.ticket.created",
                obj=ticket,
                after=snapshot(ticket, fields=AUDITED_FIELDS),
            )
            notify.received(ticket)
    except _Duplicate as dup:
        return dup.ticket, False
    except IntegrityError:
        # Two requests with the same idempotency key at once: the other one won.
        if key:
            existing = Ticket.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return existing, False
        raise
    return ticket, True


def _source_note(ticket: Ticket, origin) -> str:
    channel = Channel(ticket.channel).label
    if origin is None:
        return timeline_text.note(gettext_noop("来源：%(c)s"), c=channel)
    return timeline_text.note(
        gettext_noop("来源：%(c)s · %(kind)s“%(origin)s”"), c=channel, kind=origin._meta.verbose_name, origin=origin
    )


def ticket_submit_public(
    *,
    jurisdiction: Jurisdiction,
    category: Category | None,
    description: str,
    requester_name: str,
    requester_mobile: str,
    uscc: str = "",
    enterprise_name: str = "",
    files=(),
    idempotency_key: str = "",
    account=None,
    ip: str | None = None,
) -> tuple[Ticket, bool]:
    """A request from the public page or API, without an account (or with an entrepreneur's).

    Rate-limited per address and per mobile (``DomainError`` ``rate_limited``, status 429). Links
    the registry enterprise with the given USCC and the one person with that mobile, if any.
    """
    if category is not None and category.jurisdiction_id != jurisdiction.pk:
        category = None
    values = clean_request(
        category=category,
        description=description,
        requester_name=requester_name,
        requester_mobile=requester_mobile,
        uscc=uscc,
        enterprise_name=enterprise_name,
        files=files,
    )
    person, enterprise = _known_requester(values)
    if account is not None and not (account.is_authenticated and account.role == Role.ENTREPRENEUR):
        account = None
    busy = _("提交太频繁了，请稍后再试。如有急事请拨打服务窗口电话。")
    throttles = [("submit_mobile", lookup_hash(values["requester_mobile"]), busy)]
    if ip:
        throttles.insert(0, ("submit_ip", ip, busy))
    return _create(
        jurisdiction=jurisdiction,
        category=category,
        values=values,
        files=files,
        idempotency_key=idempotency_key,
        actor=account,
        actor_repr=_("诉求人 %(name)s") % {"name": mask_name(values["requester_name"])},
        account=account,
        person=person,
        enterprise=enterprise,
        throttles=throttles,
    )


@every_town("a requester is one registry record wherever it is registered: found by USCC and mobile")
def _known_requester(values: dict):
    """The enterprise with the request's USCC and the one person with its mobile, if any."""
    from chuangfu.registry.models import Enterprise, Person

    enterprise = Enterprise.objects.filter(uscc=values["requester_uscc"]).first() if values["requester_uscc"] else None
    people = list(Person.objects.filter(mobile_hash=lookup_hash(values["requester_mobile"]))[:2])
    return (people[0] if len(people) == 1 else None), enterprise


def _require_desk(actor, jurisdiction) -> None:
    """Desk staff of the town, or of a village under it (a 家门口服务站 takes requests in for its town)."""
    if not (actor.is_superuser or actor.role == Role.DESK_STAFF):
        raise DomainError("forbidden", _("只有受理窗口人员可以登记诉求。"), status=403)
    ids = visible_jurisdiction_ids(actor)
    own_town = is_village_account(actor) and actor.jurisdiction.parent_id == jurisdiction.pk
    if ids is not None and jurisdiction.pk not in ids and not own_town:
        raise DomainError("forbidden", _("不能为本辖区以外的镇登记诉求。"), status=403)


def _registry_links(*, actor, jurisdiction, values, person, enterprise, id_number: str):
    """Use the chosen records, else find by ID number / USCC, else create them (with their audit)."""
    from chuangfu.registry import services as registry
    from chuangfu.registry.models import Enterprise, Person

    if person is None and id_number:
        try:
            id_number = validate_id_number(id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from None
        with every_town("one person per ID number, wherever registered (the registry refuses a second)"):
            person = Person.objects.filter(id_number_hash=lookup_hash(id_number)).first()
        if person is None:
            try:
                person = registry.person_create(
                    actor=actor,
                    name=values["requester_name"],
                    id_number=id_number,
                    jurisdiction=jurisdiction,
                    mobile=values["requester_mobile"],
                )
            except DomainError as exc:
                if exc.code != "duplicate" or exc.details.get("field") != "mobile":
                    raise
                # The mobile belongs to someone already registered: record the person without it.
                person = registry.person_create(
                    actor=actor,
                    name=values["requester_name"],
                    id_number=id_number,
                    jurisdiction=jurisdiction,
                )
    if enterprise is None and values["requester_uscc"]:
        with every_town("one enterprise per USCC, wherever registered (the registry refuses a second)"):
            enterprise = Enterprise.objects.filter(uscc=values["requester_uscc"]).first()
        if enterprise is None and values["requester_enterprise_name"]:
            enterprise = registry.enterprise_create(
                actor=actor,
                uscc=values["requester_uscc"],
                name=values["requester_enterprise_name"],
                jurisdiction=jurisdiction,
                legal_representative=None,
            )
    return person, enterprise


def ticket_record_by_staff(
    *,
    actor,
    category: Category | None,
    channel: str,
    description: str,
    requester_name: str,
    requester_mobile: str,
    uscc: str = "",
    enterprise_name: str = "",
    hotline_order_no: str = "",
    person=None,
    enterprise=None,
    id_number: str = "",
    files=(),
    idempotency_key: str = "",
) -> tuple[Ticket, bool]:
    """Desk staff record a walk-in, phone or 12345 request; the recorder is its first handler (首问负责).

    ``person``/``enterprise`` are registry records the staff picked from the suggestions; without
    them an ID number or USCC finds the record, or creates it (people need an ID number;
    enterprises a USCC and a name) through the registry's services.
    """
    values = clean_request(  # every problem of the input at once, a missing category's included
        category=category,
        description=description,
        requester_name=requester_name,
        requester_mobile=requester_mobile,
        uscc=uscc,
        enterprise_name=enterprise_name,
        channel=channel,
        hotline_order_no=hotline_order_no,
        files=files,
    )
    _require_desk(actor, category.jurisdiction)
    if channel not in STAFF_CHANNELS:
        raise ValidationError({"channel": [_("窗口登记请选择来访、来电或 12345 转办。")]})
    ids = visible_jurisdiction_ids(actor)
    for field, obj in (("person", person), ("enterprise", enterprise)):
        if obj is not None and ids is not None and obj.jurisdiction_id not in ids:
            raise ValidationError({field: [_("所选名录记录不在您的管辖范围内。")]})
    # People and enterprises a village station registers live in its village.
    home = actor.jurisdiction if is_village_account(actor) else category.jurisdiction
    with transaction.atomic():
        person, enterprise = _registry_links(
            actor=actor,
            jurisdiction=home,
            values=values,
            person=person,
            enterprise=enterprise,
            id_number=(id_number or "").strip(),
        )
        return _create(
            jurisdiction=category.jurisdiction,
            category=category,
            values=values,
            files=files,
            idempotency_key=idempotency_key,
            actor=actor,
            actor_repr=str(actor),
            person=person,
            enterprise=enterprise,
            first_handler=actor,
        )


def ticket_record_from_origin(
    *,
    actor,
    origin,
    jurisdiction: Jurisdiction,
    description: str,
    requester_name: str,
    requester_mobile: str,
    category: Category | None = None,
    uscc: str = "",
    enterprise_name: str = "",
    channel: str = Channel.ACTIVITY,
    idempotency_key: str = "",
) -> tuple[Ticket, bool]:
    """Take in a request raised at ``origin`` (a record of another app, e.g. an activity held in
    ``jurisdiction``), recorded by ``actor`` on the spot.

    The calling app decides who may record for its origin; the desk checks only that ``actor``
    is a staff account whose jurisdiction covers the origin's. Without a category the town's
    default one is used (``origin_default_category``). The ticket then follows the normal flow:
    routing suggestion, working-day deadlines, notification to the requester, 好差评. The
    recorder is the first handler (首问负责) when they are desk staff; otherwise the desk picks
    the ticket up from its "待处理" queue. Double submits return the first ticket.
    """
    if not (actor.is_authenticated and (actor.is_superuser or actor.is_staff_role)):
        raise DomainError("forbidden", _("只有工作人员可以登记诉求。"), status=403)
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and jurisdiction.pk not in ids:
        raise DomainError("forbidden", _("不能为本辖区以外的镇登记诉求。"), status=403)
    town = jurisdiction.town or jurisdiction
    if category is None:
        category = origin_default_category(town)
    elif category.jurisdiction_id != town.pk:
        category = None
    values = clean_request(
        category=category,
        description=description,
        requester_name=requester_name,
        requester_mobile=requester_mobile,
        uscc=uscc,
        enterprise_name=enterprise_name,
        channel=channel,
    )
    person, enterprise = _known_requester(values)
    return _create(
        jurisdiction=town,
        category=category,
        values=values,
        files=(),
        idempotency_key=idempotency_key,
        actor=actor,
        actor_repr=str(actor),
        person=person,
        enterprise=enterprise,
        first_handler=actor if actor.role == Role.DESK_STAFF else None,
        origin=origin,
    )
