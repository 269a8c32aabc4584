"""Small helpers the application services share."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.scoping import visible_jurisdiction_ids

from ..models import Application


def today() -> datetime.date:
    return timezone.localdate()


def lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("form", "policy", "person", "enterprise")
        .get(pk=application.pk)
    )


def lock_for_batch(applications, actor, *, status: str, code: str, refusal: str) -> list[Application]:
    """Lock the chosen applications (in id order, so two batches never deadlock) for a batch —
    a 公示 or a disbursement — and check each is in the actor's scope and in ``status``. Inside
    the caller's transaction. ``refusal`` says why one may not join, with ``%(number)s`` and
    ``%(status)s``."""
    ids = visible_jurisdiction_ids(actor)
    chosen = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("jurisdiction__parent")
        .filter(pk__in=[a.pk for a in applications])
        .order_by("pk")
    )
    for application in chosen:
        if ids is not None and application.jurisdiction_id not in ids:
            raise DomainError("not_found", _("记录不存在或您无权查看。"), status=404)
        if application.status != status:
            raise DomainError(
                code, refusal % {"number": application.number, "status": application.get_status_display()}
            )
    return chosen
