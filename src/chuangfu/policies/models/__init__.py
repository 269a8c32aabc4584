"""The policy library: policies and their versions with eligibility rules as data, rule test
cases, stored matches, grants, and outreach campaigns (政策找人).

A ``Policy`` is the stable identity (title, document, level, how it is obtained); each amendment
is a ``PolicyVersion`` with its own validity dates, benefit and rule. A version is edited while
it is a draft and becomes read-only once published (``workflows.VERSION``); eligibility on a date
is always evaluated against the published version in force that day. The rule is JSON checked by
``rules.validate_rule``; ``Match`` rows are what the last evaluation found, ``Grant`` rows what
was actually granted (imported lists now, subsidy decisions later). Split by entity:

- ``policies``   policies, their versions and their choices (level, category, target, benefit …)
- ``testcases``  rule test cases
- ``matches``    matches, each policy's last full match run, and the rounds of a split full match
- ``grants``     grants
- ``outreach``   outreach campaigns and their contacts
- ``drafting``   a town's own policy in consultation: rounds, clause comments, units' replies
- ``common``     the result of a rule for a subject; the one-subject condition

Import from this package (``from chuangfu.policies.models import Policy``), not from the
modules: the names below are the public surface.
"""

from .common import Result
from .drafting import Adoption, ClauseComment, Consultation, ConsultationReply
from .grants import Grant
from .matches import Match, MatchPart, MatchPiece, MatchRound, MatchRun
from .outreach import OutreachCampaign, OutreachContact
from .policies import (
    BenefitKind,
    Category,
    Level,
    ObtainMode,
    Policy,
    PolicyVersion,
    Target,
    VersionStatus,
)
from .testcases import RuleTestCase

__all__ = [
    "Adoption",
    "BenefitKind",
    "Category",
    "ClauseComment",
    "Consultation",
    "ConsultationReply",
    "Grant",
    "Level",
    "Match",
    "MatchPart",
    "MatchPiece",
    "MatchRound",
    "MatchRun",
    "ObtainMode",
    "OutreachCampaign",
    "OutreachContact",
    "Policy",
    "PolicyVersion",
    "Result",
    "RuleTestCase",
    "Target",
    "VersionStatus",
]
