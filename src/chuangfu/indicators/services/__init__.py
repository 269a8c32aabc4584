"""Every write of the indicators app: schemes and indicators, test cases, targets, computation,
snapshots and the evidence packs."""

from .computing import compute_start, compute_town_year
from .dossier_jobs import dossier_start, write_dossier
from .evidence import evidence_document_add, evidence_pack_save
from .schemes import indicator_case_results, indicator_save, target_set
from .snapshots import snapshot_submit
from .surveys import survey_answer, survey_close, survey_create, survey_open
