"""Baseline (ii) of ``policies-match``: openfisca-core computing the same rules on the same people
and enterprises, after the same read as the floor.

What a team without our engine would write: read the registry (the floor's SELECTs, fetched
into Python), turn the columns into numpy arrays, describe the facts as OpenFisca variables and
each policy's rule as a formula variable, and let OpenFisca compute every policy's eligibility on
the evaluation date. The simulation is built from the arrays (``SimulationBuilder`` with
``declare_person_entity`` / ``declare_entity`` / ``join_with_persons``), not from a dict, whose
set-up is quadratic.

Entities. A person may represent several enterprises while an enterprise has one legal
representative, so OpenFisca's person entity is the enterprise and its group entity is the
natural person ("individual"), whose members are the enterprises they represent (role
``represented``): "represents an enterprise that …" is ``individual.any(…, role=represented)``,
"the legal representative …" is the individual's value projected onto its enterprises.
openfisca-core 46.0.1 scrambles membership when a group has no member, so every person who
represents no enterprise gets one placeholder enterprise (role ``placeholder``, never counted),
and enterprises without a legal representative in the registry share one placeholder person
(``in_registry`` false, so their legal-representative conditions are unknown, as in our engine).

Rules. Every rule is translated, node by node, into numpy over the fact variables — the same
facts, operators, dates and Kleene reading of missing data as ``rules.facts`` (a condition on a
missing fact is neither met nor not met). Derived facts are OpenFisca formulas: age and the
months since graduation, unemployment registration and founding are computed from the dates on
the evaluation day, as ``rules.dates`` defines whole years and months. OpenFisca computes only
eligibility (met or not): it stores nothing and says nothing of "almost" or "unknown", which
is less work than our match does.
"""

import datetime
import time
from operator import itemgetter

import numpy as np

PLACEHOLDER_PERSON = 0  # person ids start at 1


def _codes(values, table: dict) -> np.ndarray:
    """Category codes as small integers (a missing '' or None is -1)."""
    return np.fromiter((table.get(v, -1) for v in values), dtype=np.int16, count=len(values))


EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def _dates(values) -> tuple[np.ndarray, np.ndarray]:
    """datetime.date | None -> (datetime64[D] with missing as 1970-01-01, known mask)."""
    ordinals = np.fromiter((0 if v is None else v.toordinal() for v in values), np.int64, len(values))
    known = ordinals != 0
    return np.where(known, ordinals - EPOCH_ORDINAL, 0).astype("datetime64[D]"), known


def _columns(rows: list, n: int) -> list[list]:
    return [list(map(itemgetter(k), rows)) for k in range(n)]


def _index(ids: np.ndarray, wanted) -> np.ndarray:
    """Positions in ``ids`` of the ``wanted`` ids (all present)."""
    wanted = np.fromiter(wanted, np.int64)
    order = np.argsort(ids, kind="stable")
    return order[np.searchsorted(ids, wanted, sorter=order)]


def _ymd(arr: np.ndarray):
    years = arr.astype("datetime64[Y]").astype(np.int64) + 1970
    months = arr.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (arr - arr.astype("datetime64[M]")).astype(np.int64) + 1
    return years, months, days


def years_between(start: np.ndarray, on: datetime.date) -> np.ndarray:
    y, m, d = _ymd(start)
    before = (on.month < m) | ((on.month == m) & (on.day < d))
    return on.year - y - before.astype(np.int64)


def months_between(start: np.ndarray, on: datetime.date) -> np.ndarray:
    y, m, d = _ymd(start)
    return (on.year - y) * 12 + on.month - m - (on.day < d).astype(np.int64)


# --- the read: the floor's SELECTs, kept, then arrays ---------------------------------------------


def read(select) -> dict:
    """Run the floor's SELECTs (``select(table, columns) -> rows``) and keep what they return."""
    from policies_match import FLOOR_ENTERPRISES, FLOOR_PEOPLE, FLOOR_RELATED

    data = {
        "people": select("registry_person", ("id", *FLOOR_PEOPLE)),
        "enterprises": select("registry_enterprise", ("id", *FLOOR_ENTERPRISES)),
    }
    for table, columns in FLOOR_RELATED:
        data[table] = select(table, columns)
    return data


def arrays(data: dict, on: datetime.date, lookups: dict) -> dict:
    """The rows as numpy columns, the related tables aggregated per subject."""
    from chuangfu.registry.industry import DIVISION_CHOICES, SECTION_CHOICES
    from chuangfu.registry.models import (
        CarrierKind,
        Education,
        EmploymentStatus,
        EntityType,
        HukouKind,
        PriorityGroup,
        RegistrationStatus,
    )

    def table(choices):
        return {code: i for i, (code, _label) in enumerate(choices)}

    people = data["people"]
    (pid, birth, hukou, jur, edu, grad, status, unemp, intent) = _columns(people, 9)
    p = {"id": np.array(pid, dtype=np.int64)}
    p["birth_date"], p["birth_date_known"] = _dates(birth)
    p["hukou_kind"] = _codes(hukou, table(HukouKind.choices))
    p["residence_jurisdiction_id"] = np.array(jur, dtype=np.int64)
    p["education"] = _codes(edu, table(Education.choices))
    p["graduation_date"], p["graduation_date_known"] = _dates(grad)
    p["employment_status"] = _codes(status, table(EmploymentStatus.choices))
    p["unemployment_registered_on"], p["unemployment_registered_on_known"] = _dates(unemp)
    p["entrepreneurial_intent"] = np.fromiter(intent, bool, len(intent))

    enterprises = data["enterprises"]
    (eid, founded, etype, small, reg, ejur, sect, div, insured, carrier, rep) = _columns(enterprises, 11)
    e = {"id": np.array(eid, dtype=np.int64)}
    e["founded_on"], e["founded_on_known"] = _dates(founded)
    e["entity_type"] = _codes(etype, table(EntityType.choices))
    e["is_small_micro"] = np.fromiter(small, bool, len(small))
    e["registration_status"] = _codes(reg, table(RegistrationStatus.choices))
    e["registered_jurisdiction_id"] = np.array(ejur, dtype=np.int64)
    e["industry_section"] = _codes(sect, table(SECTION_CHOICES))
    e["industry_division"] = _codes(div, table(DIVISION_CHOICES))
    e["insured_employees_known"] = np.array([v is not None for v in insured], dtype=bool)
    e["insured_employees"] = np.array([v or 0 for v in insured], dtype=np.int64)
    carrier_kind = dict(data["registry_carrier"])
    kinds = table([*CarrierKind.choices, ("none", "")])
    e["carrier_kind"] = _codes(["none" if c is None else carrier_kind[c] for c in carrier], kinds)
    e["legal_rep"] = np.fromiter((r or PLACEHOLDER_PERSON for r in rep), np.int64, len(rep))

    # related tables, aggregated per subject
    group_bit = {code: 1 << i for i, code in enumerate(PriorityGroup.values)}
    p["groups"] = np.zeros(len(pid), dtype=np.int64)
    rows = data["registry_persongroup"]
    if rows:
        who, what = _columns(rows, 2)
        np.bitwise_or.at(
            p["groups"], _index(p["id"], who), np.fromiter((group_bit[g] for g in what), np.int64, len(what))
        )
    founders = {(pe, en) for pe, en, rel in data["registry_enterpriseperson"] if rel in ("legal_rep", "founder")}
    p["organisations_founded"] = np.bincount(_index(p["id"], (pe for pe, _en in founders)), minlength=len(pid))
    tag_bit = {tag_id: 1 << i for i, tag_id in enumerate(sorted(lookups["tags"].values()))}
    e["tags"] = np.zeros(len(eid), dtype=np.int64)
    rows = data["registry_enterprise_tags"]
    if rows:
        who, what = _columns(rows, 2)
        np.bitwise_or.at(e["tags"], _index(e["id"], who), np.fromiter((tag_bit[t] for t in what), np.int64, len(what)))
    # grants: the latest grant of each policy on or before the evaluation day, per subject
    for column, cols, n, kind in ((0, p, len(pid), "person"), (1, e, len(eid), "enterprise")):
        rows = [g for g in data["policies_grant"] if g[column] is not None and g[3] <= on]
        for policy_id in sorted({g[2] for g in rows}):
            mine = [g for g in rows if g[2] == policy_id]
            last = np.zeros(n, dtype=np.int64)  # days since 1970 + 1; 0 = never
            np.maximum.at(
                last,
                _index(cols["id"], (g[column] for g in mine)),
                np.fromiter((g[3].toordinal() - EPOCH_ORDINAL + 1 for g in mine), np.int64, len(mine)),
            )
            cols[f"{kind}_last_grant_{policy_id}_known"] = last > 0
            cols[f"{kind}_last_grant_{policy_id}"] = np.maximum(last - 1, 0).astype("datetime64[D]")
    return {
        "people": p,
        "enterprises": e,
        "choice_tables": {
            "hukou_kind": table(HukouKind.choices),
            "education": table(Education.choices),
            "employment_status": table(EmploymentStatus.choices),
            "entity_type": table(EntityType.choices),
            "registration_status": table(RegistrationStatus.choices),
            "industry_section": table(SECTION_CHOICES),
            "industry_division": table(DIVISION_CHOICES),
            "carrier_kind": kinds,
        },
        "group_bits": group_bit,
        "tag_bits": {code: tag_bit[tid] for code, tid in lookups["tags"].items()},
        "jurisdictions": data["core_jurisdiction"],
    }


# --- the tax and benefit system -------------------------------------------------------------------


def system(columns: dict, rules: list[tuple[str, str, dict, object]]):
    """A TaxBenefitSystem with the fact variables and one ``eligible_<n>`` variable per rule.

    ``rules``: (variable name, target, rule, ctx) with ctx a ``rules.Context`` (date, policy)."""
    from openfisca_core import periods
    from openfisca_core.entities import build_entity
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    enterprise = build_entity(key="enterprise", plural="enterprises", label="企业", is_person=True)
    individual = build_entity(
        key="individual",
        plural="individuals",
        label="个人",
        roles=[
            {"key": "represented", "plural": "represented", "label": "担任法定代表人的企业"},
            {"key": "placeholder", "plural": "placeholders", "label": "占位", "max": 1},
        ],
    )
    tbs = TaxBenefitSystem([enterprise, individual])
    represented = next(r for r in individual.roles if r.key == "represented")

    def input_variable(name, entity, array):
        value_type = {"b": bool, "M": datetime.date}.get(array.dtype.kind, int)
        tbs.add_variable(
            type(
                name,
                (Variable,),
                {"value_type": value_type, "entity": entity, "definition_period": periods.ETERNITY, "label": name},
            )
        )

    for name, array in columns["people"].items():
        if name != "id":
            input_variable(name, individual, array)
    input_variable("in_registry", individual, np.zeros(1, dtype=bool))
    for name, array in columns["enterprises"].items():
        if name not in ("id", "legal_rep"):
            input_variable(name, enterprise, array)

    def elapsed(name, entity, column, in_years):
        def formula(population, period):
            start = population(column, period)
            day = period.start.date
            return years_between(start, day) if in_years else months_between(start, day)

        tbs.add_variable(
            type(
                name,
                (Variable,),
                {
                    "value_type": int,
                    "entity": entity,
                    "definition_period": periods.DAY,
                    "label": name,
                    "formula": formula,
                },
            )
        )

    elapsed("age", individual, "birth_date", True)
    elapsed("months_since_graduation", individual, "graduation_date", False)
    elapsed("unemployment_months", individual, "unemployment_registered_on", False)
    elapsed("months_since_founding", enterprise, "founded_on", False)

    translator = _Translator(columns, represented)

    def rule_formula(rule, ctx):
        def formula(population, period):
            met, _not_met = translator.node(rule, ctx, population, period)
            return met

        return formula

    for name, target, rule, ctx in rules:
        entity = individual if target == "person" else enterprise
        formula = rule_formula(rule, ctx)
        tbs.add_variable(
            type(
                name,
                (Variable,),
                {
                    "value_type": bool,
                    "entity": entity,
                    "definition_period": periods.DAY,
                    "label": name,
                    "formula": formula,
                },
            )
        )
    return tbs


def simulation(tbs, columns: dict):
    """The simulation built from the arrays: enterprises (and placeholders) as OpenFisca's
    persons, natural persons (and one placeholder person if needed) as the groups."""
    from openfisca_core import periods
    from openfisca_core.simulations import SimulationBuilder

    p, e = columns["people"], columns["enterprises"]
    person_ids = p["id"]
    reps = e["legal_rep"]
    represented = np.isin(person_ids, reps)
    lonely = person_ids[~represented]  # one placeholder enterprise each
    orphans = bool((reps == PLACEHOLDER_PERSON).any())
    group_ids = np.concatenate([[PLACEHOLDER_PERSON], person_ids]) if orphans else person_ids
    member_groups = np.concatenate([reps, lonely])
    n_real, n_members = len(reps), len(reps) + len(lonely)

    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("enterprise", np.arange(n_members))
    groups = builder.declare_entity("individual", group_ids)
    roles = np.concatenate([np.zeros(n_real, dtype=np.int64), np.ones(len(lonely), dtype=np.int64)])
    builder.join_with_persons(groups, member_groups, roles)
    sim = builder.build(tbs)
    eternity = periods.period(periods.ETERNITY)
    for name, array in p.items():
        if name != "id":
            sim.set_input(name, eternity, np.concatenate([array[:1], array]) if orphans else array)
    sim.set_input(
        "in_registry",
        eternity,
        np.concatenate([[False], np.ones(len(person_ids), bool)]) if orphans else np.ones(len(person_ids), bool),
    )
    for name, array in e.items():
        if name not in ("id", "legal_rep"):
            sim.set_input(name, eternity, np.concatenate([array, np.resize(array[:1], len(lonely))]))
    return sim, n_real, orphans


class _Translator:
    """Our rule JSON as numpy over the OpenFisca variables: (met, not met) per node."""

    def __init__(self, columns, represented_role):
        self.columns = columns
        self.represented = represented_role
        self.places = {}

    def place_ids(self, path: str) -> np.ndarray:
        if path not in self.places:
            self.places[path] = np.array(
                [jid for jid, jpath in self.columns["jurisdictions"] if jpath == path or jpath.startswith(path + "/")],
                dtype=np.int64,
            )
        return self.places[path]

    def node(self, node, ctx, population, period):
        if "all" in node or "any" in node:
            kind = "all" if "all" in node else "any"
            parts = [self.node(child, ctx, population, period) for child in node[kind]]
            mets, not_mets = [m for m, _n in parts], [n for _m, n in parts]
            if kind == "all":
                return np.logical_and.reduce(mets), np.logical_or.reduce(not_mets)
            return np.logical_or.reduce(mets), np.logical_and.reduce(not_mets)
        if "not" in node:
            met, not_met = self.node(node["not"], ctx, population, period)
            return not_met, met
        return self.condition(node, ctx, population, period)

    def condition(self, cond, ctx, pop, period):
        from chuangfu.policies.rules import dates
        from chuangfu.policies.rules.facts import FACTS, STARTUP_ENTITY_TYPES
        from chuangfu.policies.rules.operators import NEGATION

        fact = FACTS[cond["fact"]]
        op, value = fact.normalise(cond["op"], cond.get("value"), ctx)
        name = fact.name
        tables = self.columns["choice_tables"]

        if name == "represents":
            enterprises = pop.members
            met, not_met = self.node(value, ctx, enterprises, period)
            return (pop.any(met, role=self.represented), ~pop.any(~not_met, role=self.represented))
        if name == "legal_rep":
            individuals = pop.simulation.populations["individual"]
            met, not_met = self.node(value, ctx, individuals, period)
            known = individuals.project(individuals("in_registry", period))
            return known & individuals.project(met), known & individuals.project(not_met)

        def test(op, value):  # on known values
            actual, v = actual_value, value
            if op in ("gte", "on_or_after"):
                return actual >= v
            if op in ("gt", "after"):
                return actual > v
            if op in ("lte", "on_or_before"):
                return actual <= v
            if op in ("lt", "before"):
                return actual < v
            if op == "eq":
                return actual == v
            if op == "ne":
                return actual != v
            if op == "between":
                return (actual >= v[0]) & (actual <= v[1])
            if op == "outside":
                return (actual < v[0]) | (actual > v[1])
            if op == "in":
                return np.isin(actual, v)
            if op == "not_in":
                return ~np.isin(actual, v)
            if op == "is":
                return actual == v
            raise ValueError(op)

        known = True
        if name in ("age", "months_since_graduation", "unemployment_months", "months_since_founding"):
            column = {
                "age": "birth_date",
                "months_since_graduation": "graduation_date",
                "unemployment_months": "unemployment_registered_on",
                "months_since_founding": "founded_on",
            }[name]
            known = pop(f"{column}_known", period)
            actual_value = pop(name, period)
        elif name == "founded_on":
            known = pop("founded_on_known", period)
            actual_value = pop("founded_on", period)
            value = [np.datetime64(v) for v in value] if isinstance(value, list) else np.datetime64(value)
        elif name in tables:
            codes = tables[name]
            actual_value = pop(name, period)
            if name != "carrier_kind":
                known = actual_value >= 0
            value = [codes[v] for v in value]
        elif name == "registered_unemployed":
            status = pop("employment_status", period)
            known = status >= 0
            actual_value = status == tables["employment_status"]["unemployed_registered"]
        elif name == "insured_employees":
            known = pop("insured_employees_known", period)
            actual_value = pop("insured_employees", period)
        elif name in ("entrepreneurial_intent", "is_small_micro"):
            actual_value = pop(name, period)
        elif name == "startup_organisation":
            startup = [tables["entity_type"][t] for t in STARTUP_ENTITY_TYPES]
            actual_value = np.isin(pop("entity_type", period), startup) | pop("is_small_micro", period)
        elif name == "organisations_founded":
            actual_value = pop("organisations_founded", period)
        elif name in ("groups", "tags"):
            bits = self.columns["group_bits" if name == "groups" else "tag_bits"]
            wanted = sum(bits.get(code, 0) for code in set(value))
            hit = pop(name, period) & wanted
            met = {"has_any": hit != 0, "has_none": hit == 0, "has_all": hit == wanted, "lacks_any": hit != wanted}[op]
            return met, ~met
        elif name in ("residence", "registered_in"):
            column = "residence_jurisdiction_id" if name == "residence" else "registered_jurisdiction_id"
            inside = np.isin(pop(column, period), self.place_ids(value))
            return (inside, ~inside) if op == "within" else (~inside, inside)
        elif name in ("granted", "enterprise_granted"):
            args = cond.get("args") or {}
            policy_id = ctx.policy_id(args.get("policy", "self"))
            within = args.get("within_months")
            kind = "person" if name == "granted" else "enterprise"
            variable = f"{kind}_last_grant_{policy_id}"
            if variable in pop.simulation.tax_benefit_system.variables:
                granted = pop(f"{variable}_known", period).copy()
                if within:
                    granted &= pop(variable, period) > np.datetime64(dates.months_before(ctx.on, within))
            else:
                granted = np.zeros(pop.count, dtype=bool)
            met = granted if value else ~granted
            return met, ~met
        else:
            raise ValueError(f"fact {name} is not translated")
        if op == "is":
            met, not_met = test("is", value), test("is", not value)
        else:
            met, not_met = test(op, value), test(NEGATION[op], value)
        return known & met, known & not_met


def run(select, policies: list, on: datetime.date) -> dict:
    """Read, prepare, build and compute every policy's eligibility; timings and the results.

    ``policies``: (policy, version) pairs in force on ``on``."""
    from chuangfu.policies import rules
    from chuangfu.registry.models import Tag

    timings = {}
    started = time.perf_counter()
    data = read(select)
    timings["read"] = time.perf_counter() - started
    t = time.perf_counter()
    lookups = {"tags": dict(Tag.objects.values_list("code", "id"))}
    columns = arrays(data, on, lookups)
    timings["arrays"] = time.perf_counter() - t
    t = time.perf_counter()
    base = rules.Context(on=on).for_policy("")
    items = [
        (f"eligible_{i}", policy.target, version.rule, base.for_policy(policy.code))
        for i, (policy, version) in enumerate(policies)
    ]
    tbs = system(columns, items)
    sim, n_real, orphans = simulation(tbs, columns)
    timings["build"] = time.perf_counter() - t
    t = time.perf_counter()
    period = on.isoformat()
    eligible = {}
    for (name, target, _rule, _ctx), (policy, _version) in zip(items, policies):
        result = sim.calculate(name, period)
        if target == "person":
            ids = columns["people"]["id"]
            result = result[1:] if orphans else result
        else:
            ids = columns["enterprises"]["id"]
            result = result[:n_real]
        eligible[policy.code] = (ids, result)
    timings["compute"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return {"timings": timings, "eligible": eligible}
