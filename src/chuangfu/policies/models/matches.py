"""What the last evaluation found: eligible subjects as ``Match`` rows (and re-evaluated
subjects whatever the result), the almost-eligible and unknown ones compactly in the policy's
``MatchRun``."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangfu.registry.models import Enterprise, Person

from .common import Result, one_subject
from .policies import Policy, PolicyVersion, Target


class Match(models.Model):
    """A subject found eligible for a policy by the last full match, or any result of a later
    re-evaluation of that one subject (after its record changed).

    A full match stores only its eligible subjects as rows (what outreach, rates and exports
    join on); the many "almost" and "unknown" subjects go, compactly, into the policy's
    ``MatchRun``. Its rows leave ``evaluated_on`` and ``computed_at`` empty: the run says when.
    A re-evaluation of one subject (``services.matching.match_subject``) writes a row for every
    policy in force, whatever the result (``ineligible`` included), with both dates set: such a
    row overrides what the run says of that subject until the next full match.
    """

    # A full match writes up to a million rows at once, so the table carries only what the reads
    # need: one unique index per subject kind, (policy, subject), which a full match fills in
    # order, and a partial index of the re-evaluated rows, which it does not fill at all. No
    # database-level foreign keys (Django still cascades deletions; rows are only ever written
    # by the matcher from existing policies, versions and subjects).
    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="matches", db_index=False, db_constraint=False
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="matches", db_index=False, db_constraint=False
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="policy_matches",
        db_index=False,
        db_constraint=False,
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="policy_matches",
        db_index=False,
        db_constraint=False,
    )
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices)
    # The one top-level condition not met (almost) or the first not known (unknown), by position.
    open_index = models.SmallIntegerField(null=True, blank=True)
    open_count = models.SmallIntegerField(default=0)
    evaluated_on = models.DateField(_("评估日期"), null=True, blank=True)  # empty: the run's date
    computed_at = models.DateTimeField(null=True, blank=True)  # empty: written by the full match

    class Meta:
        constraints = [
            models.CheckConstraint(condition=one_subject(), name="match_one_subject"),
            models.UniqueConstraint(
                fields=["policy", "person"], condition=Q(person__isnull=False), name="match_policy_person_unique"
            ),
            models.UniqueConstraint(
                fields=["policy", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="match_policy_enterprise_unique",
            ),
        ]
        indexes = [models.Index(fields=["policy"], condition=Q(computed_at__isnull=False), name="match_reevaluated")]
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")

    @property
    def subject(self):
        return self.person if self.person_id else self.enterprise

    @property
    def evaluated(self):
        """The date this result holds for: the row's own, else its full match's (``run_on``,
        annotated by ``selectors.match_list``)."""
        return self.evaluated_on or getattr(self, "run_on", None)


class MatchRun(models.Model):
    """A policy's last full match: its date, version and counts, and its "almost" and "unknown"
    subjects, stored compactly — sorted subject ids (int64) with, for each, the open condition's
    position (int8) and the number of conditions not met or not known (int8). Read through
    ``selectors`` together with the re-evaluated ``Match`` rows that override it.

    For counting in a jurisdiction without reading a million rows, the run also keeps its counts
    by the subjects' jurisdiction then (``by_place``), every subject's jurisdiction then (int32,
    beside each list) and the eligible subjects' ids: a re-evaluated subject is taken out of
    where the run counted it."""

    policy = models.OneToOneField(Policy, on_delete=models.CASCADE, related_name="match_run")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=16, choices=Target.choices)
    evaluated_on = models.DateField(_("评估日期"))
    computed_at = models.DateTimeField()
    eligible = models.PositiveIntegerField(default=0)
    almost = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    almost_ids = models.BinaryField(default=bytes)
    almost_open = models.BinaryField(default=bytes)
    unknown_ids = models.BinaryField(default=bytes)
    unknown_open = models.BinaryField(default=bytes)
    unknown_counts = models.BinaryField(default=bytes)
    eligible_ids = models.BinaryField(default=bytes)
    eligible_places = models.BinaryField(default=bytes)
    almost_places = models.BinaryField(default=bytes)
    unknown_places = models.BinaryField(default=bytes)
    by_place = models.JSONField(default=dict)  # jurisdiction id -> [eligible, almost, unknown]
    # A digest of each result's lists ({"eligible": hex, "almost": ..., "unknown": ...}): a full
    # match rewrites only the lists that changed (a few MB each at a million subjects).
    lists_digest = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("匹配批次")
        verbose_name_plural = _("匹配批次")

    def __str__(self):
        return f"{self.policy}（{self.evaluated_on}）"


class MatchRound(models.Model):
    """A full match split by jurisdiction (``services.match_split``): the versions it evaluates,
    fixed when it starts, and its parts, each a group of towns matched by one queue task. When the
    last part is done, the parts' results are assembled into each policy's ``MatchRun``."""

    class Status(models.TextChoices):
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        ABANDONED = "abandoned", _("已放弃")

    evaluated_on = models.DateField(_("评估日期"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    versions = models.JSONField(default=dict)  # policy id (text) -> version id
    skipped = models.JSONField(default=dict)  # policy code -> why it has no version in force
    parts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("分片匹配")
        verbose_name_plural = _("分片匹配")

    def __str__(self):
        return f"{self.evaluated_on}（{self.parts}）"


class MatchPart(models.Model):
    """One part of a split match: the subjects registered in ``jurisdictions``, matched by one
    queue task, which writes their ``Match`` rows and keeps what the run needs as ``MatchPiece``s."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="match_parts")
    number = models.PositiveIntegerField()
    jurisdictions = models.JSONField(default=list)  # jurisdiction ids
    subjects = models.PositiveIntegerField(default=0)  # when planned
    done = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)  # when its facts were read
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    stats = models.JSONField(default=dict)  # subjects read, own, seconds, rows written, worker, peak memory

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="match_part_unique")]
        verbose_name = _("匹配分片")
        verbose_name_plural = _("匹配分片")


class MatchPiece(models.Model):
    """One policy's outcome over one part's own subjects, as the ``MatchRun`` keeps it (sorted ids
    and their companions), until the round is assembled."""

    part = models.ForeignKey(MatchPart, on_delete=models.CASCADE, related_name="pieces")
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="+")
    eligible_ids = models.BinaryField(default=bytes)
    eligible_places = models.BinaryField(default=bytes)
    almost_ids = models.BinaryField(default=bytes)
    almost_open = models.BinaryField(default=bytes)
    almost_places = models.BinaryField(default=bytes)
    unknown_ids = models.BinaryField(default=bytes)
    unknown_open = models.BinaryField(default=bytes)
    unknown_counts = models.BinaryField(default=bytes)
    unknown_places = models.BinaryField(default=bytes)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["part", "policy"], name="match_piece_unique")]
