"""Resources and linkage (资源对接): the inventory, needs, and each 对接 with its outcome."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import fire
from chuangfu.registry.models import EnterprisePerson

from ..models import Linkage, Need, NeedSource, Resource, ResourceKind
from ..selectors import get_need_for, get_resource_for, is_office, linkage_reasons
from ..workflows import LINKAGE
from ._common import clean_text


def _require_office(actor) -> None:
    if not is_office(actor):
        raise DomainError("forbidden", _("只有镇里的工作人员可以登记资源和对接。"), status=403)


def _visible(actor, obj) -> bool:
    ids = visible_jurisdiction_ids(actor)
    if obj is None or ids is None:
        return True
    return (obj.pk if isinstance(obj, Jurisdiction) else obj.jurisdiction_id) in ids


def _town_of(jurisdiction: Jurisdiction) -> Jurisdiction:
    town = jurisdiction.town
    if town is None:
        raise DomainError("town_required", _("请选择一个镇（街道）。"))
    return town


@transaction.atomic
def resource_create(
    *,
    actor,
    jurisdiction: Jurisdiction,
    kind: str,
    name: str,
    offer: str,
    keywords: str = "",
    holder_carrier=None,
    holder_unit=None,
    holder_enterprise=None,
    holder_name: str = "",
    contact: str = "",
) -> Resource:
    """Add a resource to a town's inventory; it names exactly one holder in the actor's scope."""
    _require_office(actor)
    if not _visible(actor, jurisdiction):
        raise NotFound()
    town = _town_of(jurisdiction)
    if kind not in ResourceKind.values:
        raise DomainError("kind", _("请选择资源类型。"))
    name = clean_text(name, label=_("名称"), max_length=128)
    offer = clean_text(offer, label=_("可提供的内容"), max_length=5000)
    holder_name = clean_text(holder_name, label=_("其他持有方"), max_length=128, required=False)
    holders = [h for h in (holder_carrier, holder_unit, holder_enterprise) if h is not None] + (
        [holder_name] if holder_name else []
    )
    if len(holders) != 1:
        raise DomainError("holder", _("请填写且只填写一个持有方（载体、单位、企业或其他）。"))
    for holder in (holder_carrier, holder_unit, holder_enterprise):
        if not _visible(actor, holder):
            raise NotFound()
    if Resource.objects.filter(jurisdiction=town, kind=kind, name=name).exists():
        raise DomainError("duplicate", _("本镇已有同类同名资源：%(name)s。") % {"name": name})
    resource = Resource.objects.create(
        jurisdiction=town,
        kind=kind,
        name=name,
        offer=offer,
        keywords=clean_text(keywords, label=_("关键词"), max_length=255, required=False),
        holder_carrier=holder_carrier,
        holder_unit=holder_unit,
        holder_enterprise=holder_enterprise,
        holder_name=holder_name,
        contact=clean_text(contact, label=_("联系方式"), max_length=128, required=False),
        created_by=actor,
    )
    log_action(actor=actor, action="ecosystem.resource.created", obj=resource, after={"kind": kind, "name": name})
    return resource


@transaction.atomic
def resource_set_active(*, actor, resource: Resource, active: bool) -> Resource:
    _require_office(actor)
    resource = get_resource_for(actor, resource.pk)
    Resource.objects.filter(pk=resource.pk).update(active=active)
    log_action(
        actor=actor,
        action="ecosystem.resource.activated" if active else "ecosystem.resource.deactivated",
        obj=resource,
        before={"active": resource.active},
        after={"active": active},
    )
    resource.active = active
    return resource


@transaction.atomic
def need_create(
    *, actor, description: str, kinds=(), person=None, enterprise=None, source: str = NeedSource.STAFF, origin=None
) -> Need:
    """Record a person's or an enterprise's need (from a ticket, a visit, mentoring or staff)."""
    _require_office(actor)
    subject = enterprise or person
    if subject is None:
        raise DomainError("subject", _("请指明是哪位人员或哪家企业的需求。"))
    for obj in (person, enterprise):
        if not _visible(actor, obj):
            raise NotFound()
    kinds = list(dict.fromkeys(kinds))
    if set(kinds) - set(ResourceKind.values):
        raise DomainError("kind", _("需要的资源类型无效。"))
    if source not in NeedSource.values:
        raise DomainError("source", _("来源无效。"))
    description = clean_text(description, label=_("需求"), max_length=2000)
    need = Need.objects.create(
        jurisdiction=_town_of(subject.jurisdiction),
        person=person,
        enterprise=enterprise,
        kinds=kinds,
        description=description,
        source=source,
        origin_type=ContentType.objects.get_for_model(origin) if origin is not None else None,
        origin_id=origin.pk if origin is not None else None,
        created_by=actor,
    )
    log_action(
        actor=actor,
        action="ecosystem.need.created",
        obj=need,
        after={"subject": str(subject), "kinds": kinds, "source": source},
    )
    return need


def _held_by_the_needer(need: Need, resource: Resource) -> bool:
    """The resource belongs to the very person or enterprise that has the need."""
    if resource.holder_enterprise_id is None:
        return False
    if need.enterprise_id == resource.holder_enterprise_id:
        return True
    return (
        need.person_id is not None
        and EnterprisePerson.objects.filter(
            person_id=need.person_id,
            enterprise_id=resource.holder_enterprise_id,
            relation__in=[EnterprisePerson.Relation.LEGAL_REPRESENTATIVE, EnterprisePerson.Relation.FOUNDER],
        ).exists()
    )


def linkage_create(*, actor, need: Need, resource: Resource, reasons: list[dict] | None = None) -> Linkage:
    """Put a need in touch with a resource (对接). Same town only; a resource is never linked to
    its own holder's need; the same pair twice gives back the first linkage. Without ``reasons``,
    the matching's reasons for the pair are kept (or "chosen by staff")."""
    _require_office(actor)
    need = get_need_for(actor, need.pk)
    resource = get_resource_for(actor, resource.pk)
    if resource.jurisdiction_id != need.jurisdiction_id:
        raise DomainError("other_town", _("只能对接本镇的资源。"))
    if not resource.active:
        raise DomainError("inactive", _("该资源已停用。"))
    if _held_by_the_needer(need, resource):
        raise DomainError("self_link", _("资源“%(r)s”属于提出需求的一方，不能与自身对接。") % {"r": resource})
    existing = Linkage.objects.filter(need=need, resource=resource).first()
    if existing:
        return existing
    if reasons is None:
        reasons = linkage_reasons(actor=actor, need=need, resource=resource)
    try:
        with transaction.atomic():
            linkage = Linkage.objects.create(need=need, resource=resource, reasons=list(reasons), created_by=actor)
            log_action(
                actor=actor,
                action="ecosystem.linkage.created",
                obj=linkage,
                after={"need": need.pk, "resource": resource.pk, "reasons": list(reasons)},
                jurisdiction=need.jurisdiction_id,
            )
    except IntegrityError:
        return Linkage.objects.get(need=need, resource=resource)
    return linkage


def linkage_outcome(*, actor, linkage: Linkage, met: bool, note: str = "") -> Linkage:
    """Record how a 对接 ended: met, or failed with the reason why."""
    get_need_for(actor, linkage.need_id)
    note = clean_text(note, label=_("结果说明"), max_length=255, required=not met)
    return fire(
        LINKAGE,
        linkage,
        "meet" if met else "fail",
        actor=actor,
        note=note,
        changes={"outcome_note": note, "decided_at": timezone.now()},
        jurisdiction=linkage.need.jurisdiction_id,
    )
