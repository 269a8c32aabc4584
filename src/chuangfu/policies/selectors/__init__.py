"""Reads shared by the pages, the API and the services.

Policies are public once a version is published; drafts are seen only by those who may edit
them. Everything that names a person or an enterprise — matches, outreach lists, grants, rates —
is scoped by the subject's jurisdiction (``core.scoping``), never only in a template. Split by
what is read:

- ``library``   policies and versions, the version in force, explanations, rule test-case results
- ``matches``   matches, counts, outreach lists, campaigns and grants (people's data, scoped)
- ``drafting``  a town's own policy in consultation: rounds, clauses with comments, replies

The names below are the package's surface: ``from chuangfu.policies import selectors`` then
``selectors.policy_list(...)``.
"""

from .drafting import ClauseView, consultation_clauses, consultation_for, consultation_units, drafting_rounds
from .library import (
    CaseResult,
    PolicyExplanation,
    current_version,
    explain_policy_for,
    explain_subject,
    get_policy,
    get_version,
    policy_list,
    rule_case_results,
    search_q,
    subject_explanations,
    version_in_force,
    version_list,
    version_validity,
    versions_in_force,
)
from .matches import (
    RESULTS,
    OpenMatches,
    OutreachMatches,
    campaign_contacts,
    campaign_jurisdictions,
    campaign_list,
    get_campaign_for,
    get_subject_for,
    grant_list,
    match_counts,
    match_list,
    outreach_list,
    outreach_pages,
    scoped_match_counts,
)

__all__ = [
    "RESULTS",
    "CaseResult",
    "ClauseView",
    "OpenMatches",
    "OutreachMatches",
    "PolicyExplanation",
    "campaign_contacts",
    "campaign_list",
    "consultation_clauses",
    "consultation_for",
    "consultation_units",
    "current_version",
    "drafting_rounds",
    "explain_policy_for",
    "explain_subject",
    "get_campaign_for",
    "get_policy",
    "get_subject_for",
    "get_version",
    "grant_list",
    "match_counts",
    "match_list",
    "outreach_list",
    "outreach_pages",
    "policy_list",
    "rule_case_results",
    "scoped_match_counts",
    "search_q",
    "subject_explanations",
    "version_in_force",
    "version_list",
    "version_validity",
    "versions_in_force",
]
