"""Every write of the policy library, one function per use case (see each module's docstring).

* ``library`` — policies, versions, rules, rule test cases, publishing;
* ``drafting`` — a town's own policy: 征求意见 with the member units, 审定, 印发 with its 文号;
* ``matching`` — full matches (background job), re-matching one subject;
* ``outreach`` — 政策找人 campaigns and contacts;
* ``grants`` — grants recorded or imported from lists.
"""

from .grants import grant_import, grant_import_start, grant_record
from .library import (
    policy_create,
    policy_update,
    rule_case_delete,
    rule_case_save,
    version_amend,
    version_publish,
    version_set_rule,
    version_update,
)
from .matching import (
    match_policies,
    match_start,
    match_subject,
    policy_match,
)
from .outreach import campaign_start, contact_record, outreach_record_application

__all__ = [
    "campaign_start",
    "contact_record",
    "grant_import",
    "grant_import_start",
    "grant_record",
    "match_policies",
    "match_start",
    "match_subject",
    "outreach_record_application",
    "policy_create",
    "policy_match",
    "policy_update",
    "rule_case_delete",
    "rule_case_save",
    "version_amend",
    "version_publish",
    "version_set_rule",
    "version_update",
]
