"""What several policy models share: the result of evaluating a rule for a subject, and the
condition of a row that is about exactly one subject (a person or an enterprise)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Result(models.TextChoices):
    ELIGIBLE = "eligible", _("符合")
    ALMOST = "almost", _("差一项")  # not eligible, exactly one top-level condition not met
    UNKNOWN = "unknown", _("待核实")  # the rule cannot be decided: facts are missing
    INELIGIBLE = "ineligible", _("不符合")


def one_subject():
    """The condition of a row about exactly one subject: a person or an enterprise."""
    return Q(person__isnull=False, enterprise__isnull=True) | Q(person__isnull=True, enterprise__isnull=False)
