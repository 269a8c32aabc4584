"""Every write of the policy library, one function per use case (see each module's docstring).

* ``library`` — policies, versions, rules, rule test cases, publishing, the version in force;
* ``matching`` — full matches (background job), re-matching one subject, explanations;
* ``outreach`` — 政策找人 campaigns and contacts;
* ``grants`` — grants recorded or imported from lists.
"""

from .grants import grant_import, grant_import_start, grant_record
from .library import (
    CaseResult,
    policy_create,
    policy_update,
    rule_case_delete,
    rule_case_results,
    rule_case_save,
    version_amend,
    version_in_force,
    version_publish,
    version_set_rule,
    version_update,
    versions_in_force,
)
from .matching import (
    explain_policy_for,
    explain_subject,
    match_policies,
    match_policy,
    match_start,
    match_subject,
    subject_explanations,
)
from .outreach import campaign_start, contact_record, outreach_record_application

__all__ = [
    "CaseResult",
    "campaign_start",
    "contact_record",
    "explain_policy_for",
    "explain_subject",
    "grant_import",
    "grant_import_start",
    "grant_record",
    "match_policies",
    "match_policy",
    "match_start",
    "match_subject",
    "outreach_record_application",
    "policy_create",
    "policy_update",
    "rule_case_delete",
    "rule_case_results",
    "rule_case_save",
    "subject_explanations",
    "version_amend",
    "version_in_force",
    "version_publish",
    "version_set_rule",
    "version_update",
    "versions_in_force",
]
