"""Queue work for the policy library: re-matching a subject after its registry record changed
(``services.matching.rematch_subject``, defined beside what it runs), the nightly full match and
the parts of a full match split by jurisdiction (``services.match_split.match_part``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.match_split import match_part, nightly_start
from .services.matching import rematch_subject

__all__ = ["match_part", "nightly_match", "rematch_subject"]


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_match() -> int:
    """Each night, a full match on the new day: eligibility moves with the calendar (ages, months
        since founding or graduation, grant windows), so the lists and counts staff read in the
        morning are the day's. Recorded as a background job like a match staff start, or as a round of
    parts when split (``POLICIES_MATCH_PART_SUBJECTS``); returns its id."""
    return nightly_start().pk
