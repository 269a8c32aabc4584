"""Small helpers the application services share."""

import datetime

from django.utils import timezone

from ..models import Application


def today() -> datetime.date:
    return timezone.localdate()


def lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("form", "policy", "person", "enterprise")
        .get(pk=application.pk)
    )
