"""Queue work for the policy library: re-matching a subject after its registry record changed,
and the nightly full match."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def rematch_subject(kind: str, subject_id: int) -> int:
    """Re-match the subject and every subject whose facts read it; returns how many were matched."""
    from .services.matching import match_subject, related_subjects

    subjects = related_subjects(kind, subject_id)
    for subject_kind, pk in subjects:
        match_subject(kind=subject_kind, subject_id=pk)
    return len(subjects)


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_match() -> int:
    """Each night, a full match on the new day: eligibility moves with the calendar (ages, months
    since founding or graduation, grant windows), so the lists and counts staff read in the
    morning are the day's. Recorded as a background job like a match staff start; returns its id."""
    from .services.matching import match_start_nightly

    return match_start_nightly().pk
