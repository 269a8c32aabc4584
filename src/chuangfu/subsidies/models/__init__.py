"""Subsidy applications (补贴申请): the application form of a policy version, applications with
their materials, 补正 notices (一次告知) and their public timeline.

* ``ApplicationForm`` belongs to one ``policies.PolicyVersion`` obtained on this platform (在本平台
  申请 / 快申快享). It holds the typed fields (``FormField``), the materials (``MaterialRequirement``),
  the amount rule (fixed, per insured employee per month, share of fees paid; capped) and the
  per-subject limits (at most N times, at most X yuan a year; "period" makes "one open application
  per policy and period" mean per year, quarter or month).
* ``Application`` is one subject's (a person's or an enterprise's) application. Its ``status``
  changes only through ``workflows.APPLICATION`` (``core.workflow.fire``), with these codes:

      draft 草稿 → submitted 已提交 → accepted 已受理 (or not_accepted 不予受理)
        → first_reviewed 初审通过 → second_reviewed 复审通过 → in_notice 公示中
        → approved 已核准 → disbursed 已拨付
      correction 待补正 (and back), rejected 已驳回, withdrawn 已撤回

  Deadlines are dates in working days (``core.workdays``): ``accept_due`` runs while submitted,
  ``decision_due`` from acceptance until the 复审 decision; both move on by the working days spent
  waiting for 补正 (``paused_days``), and ``decision_due`` by an approved extension.
* The 公示 and 拨付 stages (``in_notice``, ``approved``, ``disbursed``) are driven by the notice and
  disbursement part of the app, which owns its own models (notice batches, objections,
  disbursements) in its own migration; it reads ``Application.approved_amount``, ``subject``,
  ``version`` and fires ``publish`` / ``uphold_objection`` / ``finalise`` / ``disburse``.

Split by entity: ``forms`` (application forms), ``applications`` (applications, materials, 补正
notices), ``notices`` (公示 batches, entries, objections), ``disbursements`` (payments and their
batches), ``aftercare`` (obligations after payment, recoveries and repayments), ``entitlements``
(免申即享 batches and their lines). Import from this package (``from chuangfu.subsidies.models import
Application``).
"""

from .aftercare import (
    OPEN_RECOVERY,
    Obligation,
    ObligationCheck,
    ObligationKind,
    ObligationReport,
    ObligationStatus,
    ObligationTerm,
    Recovery,
    RecoveryStatus,
    Repayment,
)
from .applications import (
    CLOSED_STATUSES,
    GRANTED_STATUSES,
    OPEN_STATUSES,
    Application,
    ApplicationCounter,
    ApplicationMaterial,
    CorrectionNotice,
    Status,
    _material_path,  # migrations refer to it here
)
from .disbursements import Disbursement, DisbursementBatch, DisbursementItem
from .entitlements import CYCLE_KINDS, EntitlementBatch, EntitlementLine, EntitlementSource, EntitlementStatus
from .forms import (
    APPLY_MODES,
    AmountKind,
    ApplicationForm,
    FieldKind,
    FileKind,
    FormField,
    MaterialRequirement,
    PeriodKind,
)
from .notices import EntryOutcome, NoticeBatch, NoticeEntry, NoticeStatus, Objection, ObjectionStatus

__all__ = [
    "APPLY_MODES",
    "CLOSED_STATUSES",
    "CYCLE_KINDS",
    "GRANTED_STATUSES",
    "OPEN_RECOVERY",
    "OPEN_STATUSES",
    "AmountKind",
    "Application",
    "ApplicationCounter",
    "ApplicationForm",
    "ApplicationMaterial",
    "CorrectionNotice",
    "Disbursement",
    "DisbursementBatch",
    "DisbursementItem",
    "EntitlementBatch",
    "EntitlementLine",
    "EntitlementSource",
    "EntitlementStatus",
    "EntryOutcome",
    "FieldKind",
    "FileKind",
    "FormField",
    "MaterialRequirement",
    "NoticeBatch",
    "NoticeEntry",
    "NoticeStatus",
    "Objection",
    "ObjectionStatus",
    "Obligation",
    "ObligationCheck",
    "ObligationKind",
    "ObligationReport",
    "ObligationStatus",
    "ObligationTerm",
    "PeriodKind",
    "Recovery",
    "RecoveryStatus",
    "Repayment",
    "Status",
]
