"""The survey's own figures, as sources for indicators (see ``indicators.sources``): the 工作满意度
indicator is ``indicators.survey_satisfied / indicators.survey_ratings``."""

from chuangfu.core.days import on_days
from chuangfu.core.scoping import within

from .models import Answer, Question


def _answers(jurisdiction, period):
    return Answer.objects.filter(
        within(jurisdiction, "invitation__survey__jurisdiction"),
        on_days("invitation__answered_at", period.start, period.end),
        question__kind=Question.Kind.RATING,
    )


def survey_ratings(jurisdiction, period) -> int:
    """Satisfaction-scale answers to the 工作满意度 survey given in the period."""
    return _answers(jurisdiction, period).count()


def survey_satisfied(jurisdiction, period) -> int:
    """Of ``survey_ratings``: 基本满意, 满意 or 非常满意."""
    return _answers(jurisdiction, period).filter(score__gte=3).count()


SOURCES = {"indicators.survey_ratings": survey_ratings, "indicators.survey_satisfied": survey_satisfied}
