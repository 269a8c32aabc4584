"""Demo policies: the Shanghai entrepreneurship policies of ../shared/REFERENCE.md §4 encoded as
rules, a national training policy, and a town-level 唐镇 policy.

Items whose terms were not published ([U] in the reference: 创业见习补贴, 赛事获奖专项补贴, the
town's own amounts, validity dates of the documents) are marked ``is_example``: the town must
confirm them before use. Conditions the registry cannot know (a feasible business plan, clean
credit, the employment test of guaranteed loans) are stated in the summary and checked on
application; the rule encodes what the registry does know. Windows are stated to the day
(``graduation_date within_years 2``, ``founded_on within_months 18``; "经营满 1 年" as
``months_since_founding gte 12``, which the anniversary meets) and 首次创业 as ``first_founding``.
Months of insurance per employee can be stated (``employees_insured`` with ``months``, read from an
insurance extract), but the demo registry imports no extract: the demo rules read the enterprise's
insured count and the months are checked on application, as their summaries say.

``seed_policies()`` is idempotent (policies are keyed by code) and validates every rule and runs
every test case before a version is stored as published — the same invariant as the publish
button. ``chuangfu seed-policies`` runs it; the registry's ``seed`` may call it.
"""

from django.db import transaction
from django.utils import timezone

from chuangfu.core.models import Jurisdiction
from chuangfu.registry.models import Tag
from chuangfu.registry.seeding.vocab import TAGS

from .. import rules
from ..models import Policy, PolicyVersion, RuleTestCase, VersionStatus
from ..services.library import policy_search_text_refresh
from .conditions import PUDONG, TANGZHEN
from .examples import EXAMPLES
from .loans import LOANS
from .startup import STARTUP
from .town_facts import TOWN_FACT_POLICIES

DEMO_POLICIES = [*STARTUP, *LOANS, *EXAMPLES]
# With the town's policies written with the structured facts (``town_facts``), which the
# policies-match benchmark's OpenFisca baseline does not translate: what ``seed-policies`` loads.
ALL_DEMO_POLICIES = [*DEMO_POLICIES, *TOWN_FACT_POLICIES]


class DemoPolicyError(Exception):
    """A demo definition breaks its own rules (invalid rule or failing test case): a bug here."""


@transaction.atomic
def seed_policies(definitions=None) -> int:
    """Create the demo policies (``DEMO_POLICIES`` unless told which) that do not exist yet;
    returns how many were created."""
    for code, name in TAGS:  # the tags the demo rules name
        Tag.objects.get_or_create(code=code, defaults={"name": name})
    places = {j.code: j for j in Jurisdiction.objects.filter(code__in=[PUDONG, TANGZHEN])}
    created = 0
    pending = [
        d
        for d in (DEMO_POLICIES if definitions is None else definitions)
        if not Policy.objects.filter(code=d["code"]).exists()
    ]
    policies = {}
    for definition in pending:  # every policy first: rules refer to each other by code
        fields = {k: v for k, v in definition.items() if k not in ("version", "jurisdiction")}
        policies[definition["code"]] = Policy.objects.create(jurisdiction=places[definition["jurisdiction"]], **fields)
    for definition in pending:
        policy = policies[definition["code"]]
        spec = dict(definition["version"])
        cases = spec.pop("cases")
        try:
            spec["rule"] = rules.validate_rule(spec["rule"], policy.target)
        except rules.RuleError as exc:
            raise DemoPolicyError(f"{policy.code}: {exc.errors}") from exc
        ctx = rules.Context(on=spec["effective_from"], policy_code=policy.code)
        for name, expected, facts in cases:
            actual = rules.explain(spec["rule"], rules.GivenSource(facts), ctx).result
            if actual != expected:
                raise DemoPolicyError(f"{policy.code}: {name}: expected {expected}, got {actual}")
        version = PolicyVersion.objects.create(
            policy=policy, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now(), **spec
        )
        RuleTestCase.objects.bulk_create(
            [
                RuleTestCase(version=version, name=name, expected=expected, facts=facts)
                for name, expected, facts in cases
            ]
        )
        policy_search_text_refresh(policy)
        created += 1
    return created
