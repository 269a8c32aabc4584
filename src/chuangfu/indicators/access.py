"""Role-table rows of the indicators (see ``chuangfu.core.roles``): the assessment dashboard, its
drill-down, evidence, dossier and satisfaction surveys are the leadership's and the administrator's;
a survey is answered by anyone holding the link it was sent with."""

from chuangfu.core.models import Role
from chuangfu.core.roles import ANYONE, page

from .selectors import VIEWERS

_LEADERS = ("dashboard", "compute", "snapshot", "evidence", "dossier", "drill", "surveys", "survey", "survey_action")

ROWS = [
    *(page(f"indicators:{name}", VIEWERS) for name in _LEADERS),
    page(
        "survey_answer",
        ANYONE,
        why="the link the survey was sent with carries its own token",
        every_town="one invitation, found by its link's token",
    ),
    # Unit scorecards (考评): the ranking is the leadership's; a unit's liaison sees their own card.
    *(
        page(f"indicators:{name}", VIEWERS, Role.UNIT_LIAISON, why="a liaison: their own unit's card only")
        for name in ("scorecards", "scorecard", "scorecard_drill", "scorecard_export")
    ),
]
