"""Queue work for the policy library: re-matching a subject after its registry record changed."""
from huey.contrib.djhuey import db_task


@db_task()
def rematch_subject(kind: str, subject_id: int) -> int:
    """Re-match the subject and every subject whose facts read it; returns how many were matched."""
    from .services.matching import match_subject, related_subjects

    subjects = related_subjects(kind, subject_id)
    for subject_kind, pk in subjects:
        match_subject(kind=subject_kind, subject_id=pk)
    return len(subjects)
