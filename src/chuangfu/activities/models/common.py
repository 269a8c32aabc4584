"""Choices shared by the activities' entities: the five grades of 政务服务"好差评" with which an
attendee rates an activity (``Feedback``) and an entrepreneur rates a mentoring session
(``MentoringSession``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """The five grades of 政务服务"好差评", the same as the desk's."""

    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASIC = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")


SATISFIED_GRADES = (Grade.VERY_SATISFIED, Grade.SATISFIED, Grade.BASIC)
