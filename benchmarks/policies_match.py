"""``policies-match``: a full match of 20 policies over 1,000,000 subjects, from the database to
stored results.

Setup (not timed): in a child process with its own ``CHUANGFU_VAR_DIR`` (a fresh, migrated SQLite
database, ``DEBUG=0``): ``chuangfu seed --scale N/3`` (N/3 enterprises and 2N/3 people), the demo
policies (``seed-policies``) plus generated policies of the same shape (the demo rules with other
thresholds and dates) up to 20, and a grant for one subject in fifty so history conditions have
something to find; premises for one enterprise in three (``_premises``) for the bench policies that
use decision 39's facts. A site kept from an older setup is upgraded by ``UPGRADES`` instead.

Figure: the wall time of matching every policy as the ``policies.match`` job does it — one read
of the people's and one of the enterprises' fact columns into numpy (dates as day numbers and
choices as small codes, computed by the database), the related tables read once when a rule
first needs them, every policy's rule evaluated over the columns (``rules.frame``), then in one
transaction the eligible subjects stored as ``Match`` rows (one INSERT per policy) and the
almost-eligible and unknown ones compactly in each policy's ``MatchRun``
(``details.steps_done_at_seconds``: when each policy was evaluated, then stored). ``details`` gives the
CPU time of the process too (SQLite runs in-process, so CPU time is the work done, whatever else
shares the machine) and the load average at the end, to read a figure taken on a shared machine.

Baseline (i), same run, same process and database: the floor — plain SELECTs of exactly the fact
columns the rules use, fetched into Python: the people's and enterprises' columns, and the rows
of the tables the rules also read (priority groups with their own columns, person–enterprise
links, tags, grants, carriers, jurisdictions, premises; not the business scope, which the match
has the database search); the best of three runs. ``details.floor_core_seconds`` is the people
and enterprise columns alone. Goal: figure ≤ 3× floor.

Baseline (ii), same run: openfisca-core (a benchmark-only dependency, requirements-dev) after
the same read — the floor's SELECTs with their rows kept, turned into numpy arrays, a
simulation built from the arrays, the 20 rules translated into OpenFisca formula variables
(``_openfisca``) and computed on the same date. Its eligible sets are checked against the
stored matches (every policy's count and a random sample of subjects). It computes only
eligibility and stores nothing. Goal: figure ≤ 1.0× its read + compute.
``details.openfisca.split_seconds`` splits it into read, arrays, build and compute.

After the figure, a sample of subjects is explained in Python (``rules.explain``) and compared
with the stored rows, so the figure is of a correct match.
"""

import copy
import datetime
import gc
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_SCALE = 1_000_000  # subjects (people + enterprises)
POLICIES = 20
GOAL_RATIO = 1.6  # issue 17: ≤ 1.6× the floor on SQLite
PG_GOAL_RATIO = 2.5  # ≤ 2.5× its own floor on PostgreSQL
OPENFISCA_GOAL = 1.0
SAMPLE = 300
ROUNDS = 3
PAUSE = 3.0  # seconds after a large write before the next timed step


def run(scale: int, database: str = "sqlite") -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    import _policies_site

    site, record, seed_seconds, keep = _policies_site.site(scale, database)
    try:
        result = _policies_site.child(site, Path(__file__), "--measure")
    finally:
        _policies_site.finish(site, keep)
    result["details"]["setup"] = {k: v for k, v in record.items() if k != "version"}
    result["details"]["seed_seconds"] = round(seed_seconds, 1) if seed_seconds is not None else "reused"
    return result


# --- the measurement, in the child ------------------------------------------------------------


def c(fact: str, op: str, value, **args) -> dict:
    cond = {"fact": fact, "op": op, "value": value}
    if args:
        cond["args"] = args
    return cond


ACTIVE = c("registration_status", "in", ["active"])
# The benchmark's own policies, written as real Shanghai and Pudong policies say them, with the facts
# of decisions 21 and 28 — windows to the day, retirement age, 户籍地, 居住证, insurance months,
# founders and shares, industry classes, credit — and of decision 39: keywords of the business scope
# (经营范围), priority groups' own facts (就业困难人员类别, 残疾等级/类别, 退役日期, 长期失业青年's months
# out of work) and premises (a registered lease in force in a carrier, its term and area: 房租补贴).
BENCH_POLICIES = [
    (
        "person",
        "青年大学生创业补贴（毕业2年内、浦东户籍）",
        {
            "all": [
                c("graduation_date", "within_years", 2),
                c("hukou_place", "within", "310115"),
                c("below_retirement_age", "is", True),
                c("credit_listed", "is", False),
                c("founded_enterprise", "satisfies", {"all": [c("founded_on", "within_years", 3), ACTIVE]}),
            ]
        },
    ),
    (
        "enterprise",
        "初创企业社会保险补贴（成立3年内、初次创业）",
        {
            "all": [
                c("founded_on", "within_years", 3),
                c("first_founding", "is", True),
                c("employees_insured", "gte", 1, months=6),
                c("enterprise_credit_listed", "is", False),
                ACTIVE,
            ]
        },
    ),
    (
        "person",
        "来沪创业人员社保补贴（居住证满6个月、连续参保）",
        {
            "all": [
                c("holds_residence_permit", "is", True),
                c("residence_permit_months", "gte", 6),
                c("insured_continuous_months", "gte", 3),
                c("residence", "within", "310115"),
                c("age", "between", [18, 45]),
            ]
        },
    ),
    (
        "person",
        "创业带头人（持股不少于30%）",
        {
            "all": [
                c(
                    "shareholding",
                    "satisfies",
                    {"all": [ACTIVE, c("industry", "in", ["I", "65", "6510", "529"])]},
                    share=30,
                ),
                c("below_retirement_age", "is", True),
                {"any": [c("gender", "in", ["F"]), c("age", "lte", 35)]},
            ]
        },
    ),
    (
        "enterprise",
        "互联网和软件企业扶持（经营范围含互联网、软件，当年及前2年成立）",
        {
            "all": [
                c("industry", "in", ["5292", "I", "64", "65"]),
                c("business_scope", "mentions_any", ["互联网", "软件", "app"]),
                c("founded_on", "in_calendar_years", 2),
                c("is_small_micro", "is", True),
                c(
                    "legal_rep",
                    "satisfies",
                    {
                        "all": [
                            c("hukou_place", "within", "310115"),
                            c("below_retirement_age", "is", True),
                        ]
                    },
                ),
            ]
        },
    ),
    (
        "person",
        "就业困难人员、长期失业青年创业补贴（登记失业、累计参保满12个月）",
        {
            "all": [
                {
                    "any": [
                        c("hardship_type", "in", ["older", "low_income", "zero_employment", "long_unemployed"]),
                        {"all": [c("long_unemployed_months", "gte", 12), c("age", "between", [16, 35])]},
                    ]
                },
                c("registered_unemployed", "is", True),
                c("unemployment_months", "gte", 3),
                c("insured_months", "gte", 12),
                c("credit_listed", "is", False),
                c("hukou_kind", "in", ["local"]),
            ]
        },
    ),
    (
        "enterprise",
        "孵化载体入驻企业房租补贴（租期一年以上、合同已备案、面积不少于20平方米）",
        {
            "all": [
                c("leased_in_carrier", "is", True),
                c("lease_months", "gte", 12),
                c("lease_registered", "is", True),
                c("leased_area", "between", [20, 1000]),
                c("business_scope", "mentions_none", ["房地产开发", "类金融", "典当"]),
                c("founded_on", "within_years", 3),
                c("insured_employees", "gte", 1),
                c("registered_in", "within", "310115"),
                c("enterprise_credit_listed", "is", False),
            ]
        },
    ),
    (
        "person",
        "残疾人、退役军人初次创业补贴（三级以上残疾或退役5年内）",
        {
            "all": [
                {
                    "any": [
                        c("disability_grade", "at_least", "3"),
                        c("disability_kind", "in", ["physical", "hearing", "speech"]),
                        c("discharged_on", "within_years", 5),
                    ]
                },
                c("age", "between", [18, 55]),
                c(
                    "founded_enterprise",
                    "satisfies",
                    {
                        "all": [
                            c("first_founding", "is", True),
                            c("months_since_founding", "lte", 36),
                        ]
                    },
                ),
                c("hukou_kind", "in", ["local", "permit", "talent_permit"]),
            ]
        },
    ),
    (
        "person",
        "应届高校毕业生创业意向扶持（当年及前2年毕业）",
        {
            "all": [
                c("graduation_date", "in_calendar_years", 2),
                c("education", "at_least", "college"),
                c("organisations_founded", "eq", 0),
                c("entrepreneurial_intent", "is", True),
                c("below_retirement_age", "is", True),
            ]
        },
    ),
]


def _shift(node, k):
    """A demo rule with every whole-number threshold raised by ``k`` (a generated policy's rule)."""
    if "fact" in node:
        value = node.get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            node["value"] = value + k
        elif isinstance(value, list) and value and all(isinstance(v, int) for v in value):
            node["value"] = [v + k for v in value]
        elif isinstance(value, dict):
            _shift(value, k)
        return
    for key in ("all", "any"):
        for child in node.get(key, []):
            _shift(child, k)
    if "not" in node:
        _shift(node["not"], k)


def _demo_twin(made: int) -> tuple[dict, dict]:
    """The demo definition the ``made``-th generated policy (past ``BENCH_POLICIES``) copies, and its
    rule with shifted thresholds."""
    from chuangfu.policies.demo import DEMO_POLICIES

    base = DEMO_POLICIES[(made - len(BENCH_POLICIES)) % len(DEMO_POLICIES)]
    rule = copy.deepcopy(base["version"]["rule"])
    _shift(rule, 1 + (made - len(BENCH_POLICIES)) // len(DEMO_POLICIES))
    return base, rule


def _generated_policies(count: int) -> None:
    """The benchmark's own policies (``BENCH_POLICIES``), then, if more are wanted, each demo rule
    again with shifted thresholds and a new code."""
    from chuangfu.policies.demo import DEMO_POLICIES
    from chuangfu.policies.models import Policy, PolicyVersion
    from chuangfu.policies.rules import validate_rule

    by_target = {
        target: Policy.objects.get(code=next(d["code"] for d in DEMO_POLICIES if d["target"] == target))
        for target in ("person", "enterprise")
    }
    for made in range(count):
        code = f"bench-{made + 1:02d}"
        if made < len(BENCH_POLICIES):
            target, title, rule = BENCH_POLICIES[made]
            source, summary = by_target[target], title
            rule = copy.deepcopy(rule)
        else:
            base, rule = _demo_twin(made)
            source = Policy.objects.get(code=base["code"])
            target, title, summary = source.target, f"{source.title}（基准{made + 1}）", base["version"]["summary"]
        policy = Policy.objects.create(
            code=code,
            level=source.level,
            title=title,
            category=source.category,
            target=target,
            jurisdiction=source.jurisdiction,
        )
        PolicyVersion.objects.create(
            policy=policy,
            number=1,
            status="published",
            effective_from=datetime.date(2023, 1, 1),
            summary=summary,
            rule=validate_rule(rule, target),
        )


def _grants() -> int:
    """A grant of one subject in fifty, of the policies their rules ask about, so "granted" finds rows."""
    from django.db import connection

    from chuangfu.policies.models import Grant, Policy

    ids = dict(Policy.objects.values_list("code", "id"))
    rows = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM registry_person WHERE id % 50 = 0")
        people = [r[0] for r in cursor.fetchall()]
    for i, pid in enumerate(people):
        code = ("sh-personal-guaranteed-loan", "sh-first-startup-subsidy", "tz-youth-startup-launch")[i % 3]
        rows.append(
            Grant(
                policy_id=ids[code],
                person_id=pid,
                granted_on=datetime.date(2024, 6, 1) + datetime.timedelta(days=i % 300),
                source="import",
            )
        )
    Grant.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _registry_facts(on: datetime.date) -> dict:
    """The rows the new facts read that ``chuangfu seed`` does not write: a 4-digit industry class
    for four enterprises in five, founders' shares (one in ten unknown) and legal representatives
    who also hold shares, insurance months for one person in four (from the enterprise they are
    linked to, up to 19 months back, with gaps), and credit records for about one subject in 90."""
    from django.db import connection

    pg = connection.vendor == "postgresql"
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_enterprise SET industry_class = industry_division || CAST(id % 10 AS TEXT) "
            "|| CAST((id / 10) % 10 AS TEXT) WHERE industry_division <> '' AND id % 5 <> 0"
        )
        counts["industry_classes"] = cursor.rowcount
        cursor.execute(
            "UPDATE registry_enterpriseperson SET share = CASE WHEN id % 10 = 0 THEN NULL ELSE 5 + (id * 37) % 96 END "
            "WHERE relation = 'founder'"
        )
        cursor.execute(
            "INSERT INTO registry_enterpriseperson (enterprise_id, person_id, relation, since, share) "
            "SELECT id, legal_representative_id, 'founder', founded_on, 20 + (id * 13) % 71 FROM registry_enterprise "
            "WHERE legal_representative_id IS NOT NULL AND id % 4 = 0"
        )
        cursor.execute("SELECT COUNT(*) FROM registry_enterpriseperson WHERE relation = 'founder'")
        counts["founder_links"] = cursor.fetchone()[0]
        first = on.replace(day=1).isoformat()
        month = (
            f"CAST(DATE '{first}' - k.n * INTERVAL '1 month' AS DATE)"
            if pg
            else f"date('{first}', '-' || k.n || ' months')"
        )
        now = "CURRENT_TIMESTAMP"
        cursor.execute(
            "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 19) "
            "INSERT INTO registry_insurancemonth (person_id, month, employer_uscc, employer_name, enterprise_id, "
            f"imported_at) SELECT l.person_id, {month}, e.uscc, '', e.id, {now} "
            "FROM registry_enterpriseperson l JOIN registry_enterprise e ON e.id = l.enterprise_id JOIN k "
            "ON k.n <= l.person_id % 19 WHERE l.person_id % 4 = 0 AND l.relation <> 'founder' "
            "AND (l.person_id + k.n) % 13 <> 0"
        )
        cursor.execute("SELECT COUNT(*) FROM registry_insurancemonth")
        counts["insurance_months"] = cursor.fetchone()[0]
        for column, table, modulus in (
            ("person_id", "registry_person", 97),
            ("enterprise_id", "registry_enterprise", 89),
        ):
            cursor.execute(f"SELECT id FROM {table} WHERE id % {modulus} = 0")
            rows = []
            for (pk,) in cursor.fetchall():
                listed = on - datetime.timedelta(days=pk % 900)
                removed = None if pk % 3 else listed + datetime.timedelta(days=120 + pk % 400)
                rows.append((pk, listed, removed, "市信用办", "基准"))
            cursor.executemany(
                f"INSERT INTO registry_creditrecord ({column}, listed_on, removed_on, authority, reason, created_at) "
                f"VALUES (%s, %s, %s, %s, %s, {now})",
                rows,
            )
            counts[f"credit_records_{column}"] = len(rows)
    return counts


def _refresh(policy, target: str, rule: dict, title: str | None = None, summary: str | None = None) -> bool:
    """``policy`` made to have ``rule`` (and ``title``, ``summary`` when given); a policy that
    changed loses its stored matches and run (the next match stores it afresh). True if it changed."""
    from django.db import connection

    from chuangfu.policies.models import MatchRun, Policy, PolicyVersion
    from chuangfu.policies.rules import validate_rule

    rule = validate_rule(copy.deepcopy(rule), target)
    versions = PolicyVersion.objects.filter(policy=policy)
    same_title = title is None or policy.title == title
    if same_title and policy.target == target and all(v.rule == rule for v in versions):
        return False
    Policy.objects.filter(pk=policy.pk).update(title=title or policy.title, target=target)
    versions.update(rule=rule, **({"summary": summary} if summary is not None else {}))
    with connection.cursor() as cursor:  # a plain DELETE: hundreds of thousands of rows at a million
        cursor.execute("DELETE FROM policies_match WHERE policy_id = %s", [policy.pk])
    MatchRun.objects.filter(policy=policy).delete()
    return True


def _bench_policies_current() -> int:
    """The benchmark's own policies made what ``BENCH_POLICIES`` says now: a site kept from an
    older setup has ``bench-NN`` with the rules of then; each that differs gets today's title, rule
    and summary. Idempotent: returns how many changed."""
    from chuangfu.policies.models import Policy

    changed = 0
    for made, (target, title, rule) in enumerate(BENCH_POLICIES):
        policy = Policy.objects.filter(code=f"bench-{made + 1:02d}").first()
        if policy is not None and _refresh(policy, target, rule, title=title, summary=title):
            changed += 1
    return changed


def _demo_policies_current() -> int:
    """The demo policies and their generated twins made what the demo definitions say now (since
    version 3 they state founding and graduation windows to the day, and first-time founding, where
    they said months): a kept site has the rules of its seeding. Idempotent: how many changed."""
    from chuangfu.policies.demo import DEMO_POLICIES
    from chuangfu.policies.models import Policy

    changed = 0
    for definition in DEMO_POLICIES:
        policy = Policy.objects.filter(code=definition["code"]).first()
        spec = definition["version"]
        if policy is not None and _refresh(policy, policy.target, spec["rule"], summary=spec["summary"]):
            changed += 1
    for made in range(len(BENCH_POLICIES), POLICIES - len(DEMO_POLICIES)):  # none while the two fill 20
        policy = Policy.objects.filter(code=f"bench-{made + 1:02d}").first()
        if policy is not None and _refresh(policy, policy.target, _demo_twin(made)[1]):
            changed += 1
    return changed


def _step_3(on: datetime.date) -> dict:
    """The demo policies' windows to the day (and their generated twins)."""
    return {"demo_policies_changed": _demo_policies_current()}


BENCH_NOTE = "基准"  # the premises rows the benchmark writes (an upgrade removes and writes them again)


def _premises(on: datetime.date) -> dict:
    """Premises for one enterprise in three, as ``chuangfu seed`` writes none: a lease of 6 to 36
    months that started up to 900 days before the date (so some have ended), registered for four
    in five, in the enterprise's carrier for half of those hosted in one, 10–199 m² at 80 yuan a
    m² a month; one in 27 owned (no lease); one in nine also has an older lease that ended. The
    rows the benchmark wrote before are removed first (idempotent)."""
    from django.db import connection

    pg = connection.vendor == "postgresql"

    def day(base: str, offset: str) -> str:  # ``base`` plus ``offset`` days, on either database
        return f"(DATE '{base}' + CAST({offset} AS INTEGER))" if pg else f"date('{base}', ({offset}) || ' days')"

    start, length = "-(e.id % 900)", "(e.id * 11) % 900"
    owned = "e.id % 27 = 0"
    common = (
        "INSERT INTO registry_premises (enterprise_id, address, carrier_id, area, lease_start, lease_end, "
        "monthly_rent, lease_registered, note, created_at) "
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_premises WHERE note = %s", [BENCH_NOTE])
        cursor.execute(
            common
            + f"SELECT e.id, '基准路' || CAST(e.id AS TEXT) || '号', CASE WHEN e.id % 2 = 0 THEN e.carrier_id END, "
            f"10 + (e.id * 7) % 190, CASE WHEN {owned} THEN NULL ELSE {day(on.isoformat(), start)} END, "
            f"CASE WHEN {owned} THEN NULL ELSE {day(on.isoformat(), f'{start} + 179 + {length}')} END, "
            f"CASE WHEN {owned} THEN NULL ELSE (10 + (e.id * 7) % 190) * 80 END, e.id % 5 <> 0, '{BENCH_NOTE}', "
            "CURRENT_TIMESTAMP FROM registry_enterprise e WHERE e.id % 3 = 0"
        )
        cursor.execute(
            common + f"SELECT e.id, '基准旧址' || CAST(e.id AS TEXT) || '号', NULL, 30, "
            f"{day(on.isoformat(), '-1500')}, {day(on.isoformat(), '-400')}, 2400, e.id % 2 = 0, '{BENCH_NOTE}', "
            "CURRENT_TIMESTAMP FROM registry_enterprise e WHERE e.id % 9 = 0"
        )
        cursor.execute(
            "SELECT COUNT(*), COUNT(DISTINCT enterprise_id) FROM registry_premises WHERE note = %s", [BENCH_NOTE]
        )
        rows, enterprises = cursor.fetchone()
    return {"premises": rows, "enterprises_with_premises": enterprises}


def _group_details() -> dict:
    """The priority groups' own facts as seeded (``chuangfu seed`` writes them; a site seeded before
    they existed got them from its notes through the registry's migration 0008): counted only."""
    from django.db.models import Count, Q

    from chuangfu.registry.models import PersonGroup

    return PersonGroup.objects.aggregate(
        hardship_types=Count("id", filter=~Q(hardship_type="")),
        disability_grades=Count("id", filter=~Q(disability_grade="")),
        disability_kinds=Count("id", filter=~Q(disability_kind="")),
        discharge_dates=Count("id", filter=Q(discharged_on__isnull=False)),
        unemployed_since_dates=Count("id", filter=Q(unemployed_since__isnull=False)),
    )


def _step_2(on: datetime.date) -> dict:
    """Decision 39's facts in the benchmark: the bench policies that use them, premises."""
    return {"bench_policies_changed": _bench_policies_current(), **_premises(on), **_group_details()}


# What a kept site seeded by an older setup needs to become today's, by the version it reaches
# (``_policies_site.SEED_VERSION``): each step is idempotent, and a fresh setup runs them all.
UPGRADES = {2: _step_2, 3: _step_3}


def upgrade(seeded: int) -> dict:
    """Run the steps after version ``seeded``, in order: {version: counts}."""
    from django.db import transaction
    from django.utils import timezone

    done = {}
    for version in sorted(v for v in UPGRADES if v > seeded):
        started = time.perf_counter()
        with transaction.atomic():
            done[version] = UPGRADES[version](timezone.localdate())
        done[version]["seconds"] = round(time.perf_counter() - started, 1)
    return done


def setup() -> dict:
    """Everything the policies benchmarks need after ``chuangfu seed`` (not timed); returns counts."""
    from django.utils import timezone

    from chuangfu.policies.demo import seed_policies
    from chuangfu.policies.models import Policy

    seed_policies()
    _generated_policies(POLICIES - Policy.objects.count())
    counts = {"grants": _grants(), **_registry_facts(timezone.localdate())}
    for _version, step in upgrade(1).items():
        counts.update({k: v for k, v in step.items() if k != "seconds"})
    return counts


# The floor reads exactly the columns and related rows the 20 rules use, plainly.
FLOOR_PEOPLE = (
    "birth_date",
    "gender",
    "retirement_group",
    "hukou_kind",
    "hukou_place_id",
    "residence_permit_since",
    "jurisdiction_id",
    "education",
    "graduation_date",
    "employment_status",
    "unemployment_registered_on",
    "entrepreneurial_intent",
)
FLOOR_ENTERPRISES = (
    "founded_on",
    "entity_type",
    "is_small_micro",
    "registration_status",
    "jurisdiction_id",
    "industry_section",
    "industry_division",
    "industry_class",
    "insured_employees",
    "carrier_id",
    "legal_representative_id",
)
# Decision 39's facts: the groups' own columns and the leases are plain reads too; the business
# scope is not (the match has the database search it and never reads the text), so the floor leaves
# it out — a lower floor, a harder goal.
FLOOR_RELATED = (
    (
        "registry_persongroup",
        (
            "person_id",
            '"group"',
            "hardship_type",
            "disability_grade",
            "disability_kind",
            "discharged_on",
            "unemployed_since",
        ),
    ),
    ("registry_premises", ("enterprise_id", "lease_start", "lease_end", "area", "lease_registered", "carrier_id")),
    ("registry_enterpriseperson", ("person_id", "enterprise_id", "relation", "share")),
    ("registry_enterprise_tags", ("enterprise_id", "tag_id")),
    ("registry_insurancemonth", ("person_id", "enterprise_id", "month")),
    ("registry_creditrecord", ("person_id", "enterprise_id", "listed_on", "removed_on")),
    ("policies_grant", ("person_id", "enterprise_id", "policy_id", "granted_on")),
    ("registry_carrier", ("id", "kind")),
    ("core_jurisdiction", ("id", "path")),
)


def _floor() -> int:
    from django.db import connection

    tables = [("registry_person", ("id", *FLOOR_PEOPLE)), ("registry_enterprise", ("id", *FLOOR_ENTERPRISES))]
    rows = 0
    with connection.cursor() as cursor:
        for table, columns in [*tables, *FLOOR_RELATED]:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
            while True:
                chunk = cursor.fetchmany(10_000)
                if not chunk:
                    break
                rows += len(chunk)
    return rows


def _check_sample(on: datetime.date) -> dict:
    """A random sample of subjects per policy explained in Python and compared with what was
    stored (rows for the eligible, the run's lists for the almost eligible and unknown)."""
    import numpy as np

    from chuangfu.policies import rules
    from chuangfu.policies.models import Match, PolicyVersion
    from chuangfu.policies.selectors import OpenMatches
    from chuangfu.registry.models import Enterprise, Person

    checked = mismatched = 0
    for version in PolicyVersion.objects.select_related("policy"):
        policy = version.policy
        model = Person if policy.target == "person" else Enterprise
        ids = list(model.objects.order_by("?").values_list("id", flat=True)[: SAMPLE // 20])
        stored = {
            (m.person_id or m.enterprise_id): m.result
            for m in Match.objects.filter(policy=policy).filter(**{f"{policy.target}_id__in": ids})
        }
        for result in ("almost", "unknown"):  # the run's compact lists, read as the pages read them
            listed = OpenMatches.of(policy, result, None).ids
            stored.update({int(i): result for i in listed[np.isin(listed, ids)]})
        loader = rules.load_people if policy.target == "person" else rules.load_enterprises
        ctx = rules.Context(on=on, policy_code=policy.code)
        for subject_id, record in loader(ids).items():
            expected = rules.explain(version.rule, rules.RecordSource(record), ctx).result
            checked += 1
            if stored.get(subject_id, "ineligible") != expected:
                mismatched += 1
    return {"checked": checked, "mismatched": mismatched}


def _eligible_sets(out: dict, policies: list) -> dict:
    """Every policy's eligible set from OpenFisca against the stored ``Match`` rows, in full."""
    import numpy as np

    from chuangfu.policies.models import Match, Result

    differ, counts = [], {}
    for policy, _version in policies:
        ids, eligible = out["eligible"][policy.code]
        theirs = np.sort(np.asarray(ids)[np.asarray(eligible, dtype=bool)])
        column = f"{policy.target}_id"
        ours = np.sort(
            np.fromiter(
                Match.objects.filter(policy=policy, result=Result.ELIGIBLE).values_list(column, flat=True), np.int64
            )
        )
        counts[policy.code] = len(ours)
        if not np.array_equal(theirs, ours):
            differ.append({"policy": policy.code, "openfisca": len(theirs), "stored": len(ours)})
    return {"equal": not differ, "differ": differ, "eligible_counts": counts}


def _same_read(of_read: dict, match_frames) -> list[str]:
    """What OpenFisca was fed that the match did not read ([] when it was fed the match's read):
    the frames class and its reading methods, every column the people's and enterprises' frames
    read (``frame.COLUMNS``), the related reads, and decision 39's — the priority groups' own
    facts, the leases, the keyword masks and the known scopes, each read only when a rule names
    it — against the match's own."""
    import numpy as np

    from chuangfu.policies.rules.frame import COLUMNS, ENTERPRISE, PERSON, Text

    def codes(column):
        return column.codes if isinstance(column, Text) else column

    def vocabulary(column):
        return column.vocabulary if isinstance(column, Text) else None

    def read_columns(frame, kind):  # derived columns a fact adds to the match's frame are not read
        return {"ids": frame.ids, **{name: frame.columns[name] for name, _how in COLUMNS[kind]}}

    people, enterprises = match_frames.get(PERSON), match_frames.get(ENTERPRISE)
    parts = {
        "people": (read_columns(of_read["people"], PERSON), read_columns(people, PERSON)),
        "enterprises": (read_columns(of_read["enterprises"], ENTERPRISE), read_columns(enterprises, ENTERPRISE)),
        "links": (dict(enumerate(of_read["links"])), dict(enumerate(match_frames.links()))),
        "insurance": (dict(enumerate(of_read["insurance"])), dict(enumerate(match_frames.insurance()))),
        "group_details": (of_read["group_details"], _read_by(people, "group_details")),
        "premises": (of_read["premises"], _read_by(enterprises, "premises")),
        "scope_keywords": (of_read["scope_keywords"], _read_by(enterprises, "scope_keywords") or {}),
        "scope_known": (of_read["scope_known"], _read_by(enterprises, "scope_known")),
    }
    differ = []
    for part, (theirs, ours) in parts.items():
        if isinstance(theirs, np.ndarray) or isinstance(ours, np.ndarray):
            theirs, ours = {"": theirs}, {"": ours}
        if theirs is None and ours is None:
            continue
        if not isinstance(theirs, dict) or not isinstance(ours, dict) or list(theirs) != list(ours):
            differ.append(part)  # read by one and not the other, or not the same things
            continue
        for key in theirs:
            a, b = theirs[key], ours[key]
            same = (
                isinstance(codes(a), np.ndarray)
                and isinstance(codes(b), np.ndarray)
                and codes(a).dtype == codes(b).dtype
                and np.array_equal(codes(a), codes(b))
                and vocabulary(a) == vocabulary(b)
            )
            if not same:
                differ.append(f"{part}.{key}" if key != "" else part)
    of_frames = of_read["frames"]
    methods = ("get", "_read", "links", "insurance", "places")
    if not isinstance(match_frames, type(of_frames)) or any(
        getattr(type(of_frames), m) is not getattr(type(match_frames), m) for m in methods
    ):
        differ.append("frames")
    return differ


def _read_by(frame, key):
    """What ``frame`` read under ``key`` in its evaluation, or ``None`` if nothing asked for it."""

    def unread():
        raise LookupError(key)

    try:
        return frame.cached(key, unread)
    except LookupError:
        return None


def _of_version() -> str:
    from importlib.metadata import version

    return version("openfisca-core")


def _settle() -> None:
    """After a large write (the match's), before the next timed step: the write-ahead log
    checkpointed (SQLite) or the table vacuumed and analysed and a checkpoint taken (PostgreSQL),
    then a pause, so no step pays for the one before."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE policies_match")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    time.sleep(PAUSE)


class _Timed:
    def __init__(self):
        self.wall, self.cpu = [], []

    def __call__(self, fn):
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        out = fn()
        self.wall.append(time.perf_counter() - started)
        self.cpu.append(time.process_time() - cpu_started)
        return out

    def best(self) -> tuple[float, float]:
        return min(self.wall), min(self.cpu)


def measure() -> dict:
    import django

    django.setup()
    import _openfisca
    from django.db import connection
    from django.utils import timezone

    from chuangfu.policies import rules
    from chuangfu.policies.models import Match, MatchRun, Policy
    from chuangfu.policies.selectors import version_in_force
    from chuangfu.policies.services import matching
    from chuangfu.registry.models import Enterprise, Person

    on = timezone.localdate()
    policies = list(Policy.objects.order_by("id"))
    pairs = [(p, version_in_force(p, on)) for p in policies]
    seen = []

    class Recorded(rules.Frames):  # the match's own frames, kept to compare with what OpenFisca read
        def __init__(self):
            super().__init__()
            seen[:] = [self]

    import logging
    import re

    written = []

    class RowsWritten(logging.Handler):
        def emit(self, record):
            found = re.match(r"full match: (\d+) rows written", record.getMessage())
            if found:
                written.append(int(found.group(1)))

    service_log = logging.getLogger("chuangfu.policies")
    service_log.addHandler(RowsWritten(logging.INFO))
    service_log.setLevel(logging.INFO)
    floor, openfisca, match = _Timed(), _Timed(), _Timed()
    splits, ticks, out, of_read = [], [], None, None
    load_before = [round(x, 2) for x in os.getloadavg()]
    _settle()
    for _round in range(ROUNDS):  # interleaved: floor, OpenFisca, match; a pause after each write
        floor_rows = floor(_floor)
        out = of_read = None
        out = openfisca(lambda: _openfisca.run(pairs, on))
        of_read = out.pop("read")
        splits.append(out["timings"])
        mine = []

        def one_match(mine=mine):
            started = time.perf_counter()
            return matching.match_policies(
                policies=policies, on=on, progress=lambda done: mine.append(time.perf_counter() - started)
            )

        matching.rules.Frames = Recorded
        try:
            matched, skipped = match(one_match)
        finally:
            matching.rules.Frames = rules.frame.Frames
        ticks.append(mine)
        _settle()
    read_differs = _same_read(of_read, seen[0])
    same_read = not read_differs
    seen.clear()
    # A first match (or one after every row changed) writes every row: timed once, after the
    # stored rows and runs are removed and the database has settled.
    Match.objects.filter(policy__in=policies).delete()
    MatchRun.objects.filter(policy__in=policies).delete()
    _settle()
    first = _Timed()
    first(lambda: matching.match_policies(policies=policies, on=on))
    _settle()
    sets = _eligible_sets(out, pairs)
    of_read = None
    sample = _check_sample(on)
    (floor_s, floor_cpu), (of_s, of_cpu), (match_s, match_cpu) = floor.best(), openfisca.best(), match.best()
    stored = Match.objects.count() + sum(r.almost + r.unknown for r in MatchRun.objects.all())
    ratio, of_ratio = match_s / floor_s, match_s / of_s
    postgres = connection.vendor == "postgresql"
    goal_ratio = PG_GOAL_RATIO if postgres else GOAL_RATIO
    goals = {"floor": ratio <= goal_ratio}
    if not postgres:
        goals["openfisca"] = of_ratio <= OPENFISCA_GOAL
    correct = sets["equal"] and same_read and sample["mismatched"] == 0
    best_split = splits[openfisca.wall.index(of_s)]
    return {
        "value": round(match_s, 2),
        "unit": "s (20 policies matched, results stored; best of three)",
        "baseline": round(floor_s, 2),
        "baseline_unit": "s (floor: plain SELECT of the rules' fact columns and related rows into Python; best of three)",
        "goal": (
            f"≤ {PG_GOAL_RATIO:g}× the floor on PostgreSQL"
            if postgres
            else f"≤ {GOAL_RATIO:g}× the floor and ≤ {OPENFISCA_GOAL:g}× openfisca-core (same read, same rules), on SQLite"
        ),
        "meets": all(goals.values()) and correct,
        "details": {
            "database": connection.vendor,
            "subjects": Person.objects.count() + Enterprise.objects.count(),
            "people": Person.objects.count(),
            "enterprises": Enterprise.objects.count(),
            "policies": len(policies),
            "facts_used": sorted(_facts_used(pairs)),
            "matches_stored": stored,
            "floor_rows": floor_rows,
            "goals": goals,
            "openfisca_same_read": same_read,
            "openfisca_read_differs": read_differs,
            "eligible_sets_equal": sets["equal"],
            "eligible_sets_differ": sets["differ"],
            "eligible_counts": sets["eligible_counts"],
            "sample_check": sample,
            "ratio_to_floor": round(ratio, 2),
            "ratio_to_openfisca": round(of_ratio, 2),
            "cpu_seconds": round(match_cpu, 2),
            "floor_cpu_seconds": round(floor_cpu, 2),
            "openfisca_cpu_seconds": round(of_cpu, 2),
            "cpu_ratio_to_floor": round(match_cpu / floor_cpu, 2),
            "cpu_ratio_to_openfisca": round(match_cpu / of_cpu, 2),
            "runs_seconds": {
                "floor": [round(x, 2) for x in floor.wall],
                "openfisca": [round(x, 2) for x in openfisca.wall],
                "match": [round(x, 2) for x in match.wall],
            },
            "runs_cpu_seconds": {
                "floor": [round(x, 2) for x in floor.cpu],
                "openfisca": [round(x, 2) for x in openfisca.cpu],
                "match": [round(x, 2) for x in match.cpu],
            },
            "openfisca": {
                "version": _of_version(),
                "split_seconds": {k: round(v, 2) for k, v in best_split.items() if k != "total"},
            },
            "steps_done_at_seconds": [round(t, 2) for t in ticks[match.wall.index(match_s)]],
            # rows deleted + inserted by each round's match: a re-run writes only what changed
            "rows_written_per_round": written[:ROUNDS],
            "first_match": {
                "seconds": round(first.wall[0], 2),
                "cpu_seconds": round(first.cpu[0], 2),
                "rows_written": written[ROUNDS:],
                "ratio_to_floor": round(first.wall[0] / floor_s, 2),
                "cpu_ratio_to_floor": round(first.cpu[0] / floor_cpu, 2),
            },
            "matched": matched,
            "skipped": skipped,
            "order": "interleaved: floor, openfisca, match, then a checkpoint and a pause; three rounds",
            "load_average_before": load_before,
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
    }


def _facts_used(pairs) -> set:
    from chuangfu.policies.rules.nodes import conditions

    return {cond["fact"] for _policy, version in pairs for cond in conditions(version.rule)}


if __name__ == "__main__" and sys.argv[1:] == ["--measure"]:
    sys.path.insert(0, str(Path(__file__).parent))
    print(json.dumps(measure(), ensure_ascii=False))
