"""The OpenFisca baseline's rule translation (``_openfisca``): our rule JSON as numpy over the
OpenFisca variables, (met, not met) per node, with the Kleene reading of missing data of
``rules.facts`` (a condition on a missing fact is neither met nor not met; "time since a date"
of a date after the evaluation date meets no comparison)."""

import datetime

import numpy as np
from _openfisca import ELAPSED, FAR, MISSING, _unique, day_number, insured_runs

CHOICES = (
    "hukou_kind",
    "education",
    "employment_status",
    "gender",
    "entity_type",
    "registration_status",
    "industry_section",
    "industry_division",
    "hardship_type",  # a priority group's own: "none" outside the group, "" a member not recorded
    "disability_grade",
    "disability_kind",
)


def _test(op: str, actual, v):
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
    raise ValueError(op)


def _days(value):
    if isinstance(value, list):
        return [day_number(v) for v in value]
    return day_number(value)


class Translator:
    def __init__(self, columns, represented_role):
        self.columns = columns
        self.represented = represented_role
        self.places = {}
        self.employees = {}

    def place_ids(self, path: str) -> np.ndarray:
        if path not in self.places:
            self.places[path] = np.array(
                [pk for pk, p in self.columns["places"].items() if p == path or p.startswith(path + "/")],
                dtype=np.int64,
            )
        return self.places[path]

    def node(self, node, ctx, population, period):
        if "all" in node or "any" in node:
            kind = "all" if "all" in node else "any"
            parts = [self.node(child, ctx, population, period) for child in node[kind]]
            if not parts:
                full, empty = np.ones(population.count, bool), np.zeros(population.count, bool)
                return (full, empty) if kind == "all" else (empty, full)
            mets, not_mets = [m for m, _n in parts], [n for _m, n in parts]
            if kind == "all":
                return np.logical_and.reduce(mets), np.logical_or.reduce(not_mets)
            return np.logical_or.reduce(mets), np.logical_and.reduce(not_mets)
        if "not" in node:
            met, not_met = self.node(node["not"], ctx, population, period)
            return not_met, met
        return self.condition(node, ctx, population, period)

    # --- relations ---------------------------------------------------------------------------

    def _linked(self, name, cond, value, ctx, pop, period):
        """A person's enterprises as founder (or holder of ≥ N %): gathered over the link rows,
        which OpenFisca's one-group-per-entity model cannot hold."""
        from chuangfu.policies.rules.links import FOUNDER_RELATIONS, LINK_CODES
        from chuangfu.registry.models import EnterprisePerson

        enterprises = pop.members
        met_there, not_met_there = self.node(value, ctx, enterprises, period)
        person_at, enterprise_at, relation, share = self.columns["links"]
        relations = FOUNDER_RELATIONS if name == "founded_enterprise" else (EnterprisePerson.Relation.FOUNDER,)
        chosen = np.isin(relation, [LINK_CODES[r] for r in relations]) & (person_at >= 0) & (enterprise_at >= 0)
        capped = np.zeros(len(chosen), bool)
        if name == "shareholding":
            wanted = int((cond.get("args") or {}).get("share") or 0) * 100
            capped = chosen & (share == MISSING)
            chosen &= (share != MISSING) & (share >= wanted)
        at = np.maximum(enterprise_at, 0)
        row = person_at + self.columns["person_offset"]
        met, open_somewhere = np.zeros(pop.count, bool), np.zeros(pop.count, bool)
        met[row[chosen & met_there[at]]] = True
        open_somewhere[row[(chosen | capped) & ~not_met_there[at]]] = True
        return met, ~open_somewhere

    def _first_founding(self, pop, period):
        individuals = pop.simulation.populations["individual"]
        earliest = individuals.project(individuals("earliest_founding", period))
        undated = individuals.project(individuals("undated_foundings", period))
        has_rep = individuals.project(individuals("in_registry", period))
        day = pop("founded_on", period)
        known = has_rep & (day != MISSING)
        first = earliest >= day
        known &= ~first | (undated == 0)
        return known, first

    def _retirement(self, pop, period, on: datetime.date):
        """(known, below the statutory age on ``on``) by ``registry.retirement``'s schedules."""
        from chuangfu.registry.retirement import SCHEDULES, RetirementGroup

        tables = self.columns["vocabularies"]
        birth = pop("birth_date", period)
        gender, group = pop("gender", period), pop("retirement_group", period)
        groups = tables["retirement_group"]
        month = np.where(birth == MISSING, 0, birth).astype("datetime64[D]").astype("datetime64[M]")
        born = month.astype(np.int64)
        known = np.zeros(pop.count, bool)
        ages = np.zeros(pop.count, np.int64)
        for key, schedule in SCHEDULES.items():
            if key == "male":
                rows = (gender == tables["gender"]["M"]) & (group != groups[RetirementGroup.ELECTED])
            else:
                rows = (gender == tables["gender"]["F"]) & (group == groups[key])
            rows &= birth != MISSING
            k = born - ((schedule.first_cohort[0] - 1970) * 12 + schedule.first_cohort[1] - 1)
            delay = np.where(k < 0, 0, np.minimum(schedule.max_delay, k // schedule.months_per_step + 1))
            ages = np.where(rows, schedule.base_years * 12 + delay, ages)
            known |= rows
        birth_day = (np.where(birth == MISSING, 0, birth) - month.astype("datetime64[D]").astype(np.int64)) + 1
        age = (on.year - 1970) * 12 + on.month - 1 - born - (on.day < birth_day)
        return known, age < ages

    def _employees(self, n, pop, on):
        if n not in self.employees:
            person, enterprise, month = self.columns["insurance"]
            width = int(person.max(initial=0)) + 1
            pairs, pair = _unique(np.where(enterprise != MISSING, enterprise, -1) * width + person, return_inverse=True)
            _total, run = insured_runs(pair.astype(np.int64), month, len(pairs), on)
            owners = pairs // width
            ids = self.columns["enterprise_ids"]
            qualified = owners[(run >= n) & (owners >= 0)]
            at = np.searchsorted(ids, qualified)
            count = np.zeros(pop.count, np.int64)
            hit = at < len(ids)
            hit[hit] = ids[at[hit]] == qualified[hit]
            np.add.at(count, at[hit], 1)
            self.employees[n] = count
        return self.employees[n]

    # --- one condition -----------------------------------------------------------------------

    def condition(self, cond, ctx, pop, period):
        from chuangfu.policies.rules import dates
        from chuangfu.policies.rules.facts import FACTS, STARTUP_ENTITY_TYPES
        from chuangfu.policies.rules.operators import NEGATION
        from chuangfu.registry.models import HukouKind

        fact = FACTS[cond["fact"]]
        op, value = fact.normalise(cond["op"], cond.get("value"), ctx)
        name = fact.name
        tables = self.columns["vocabularies"]

        if name == "represents":
            met, not_met = self.node(value, ctx, pop.members, period)
            return pop.any(met, role=self.represented), ~pop.any(~not_met, role=self.represented)
        if name in ("founded_enterprise", "shareholding"):
            return self._linked(name, cond, value, ctx, pop, period)
        if name == "legal_rep":
            individuals = pop.simulation.populations["individual"]
            met, not_met = self.node(value, ctx, individuals, period)
            known = individuals.project(individuals("in_registry", period))
            return known & individuals.project(met), known & individuals.project(not_met)

        truth = None  # yes/no facts: (known, truth)
        known = np.ones(pop.count, bool)
        future = None
        if name in ELAPSED:
            start = pop(ELAPSED[name][1], period)
            known = start != MISSING
            future = known & (start > day_number(ctx.on))
            actual = pop(name, period)
        elif name in ("founded_on", "graduation_date"):
            actual = pop(name, period)
            known = actual != MISSING
            value = _days(value)
        elif name in CHOICES:
            vocabulary = tables[name]
            actual = pop(name, period)
            known = actual != vocabulary[""]
            value = [vocabulary[v] for v in value if v in vocabulary]
        elif name == "carrier_kind":
            vocabulary = tables[name]
            hosted = pop("carrier_id", period) != MISSING
            of_kind = np.isin(pop(name, period), [vocabulary[v] for v in value if v in vocabulary]) & hosted
            met = (of_kind | ~hosted) if "none" in value else of_kind
            return (met, ~met) if op == "in" else (~met, met)
        elif name == "discharged_on":  # outside the group: meets nothing, so its negation is met
            actual = pop(name, period)
            absent = actual == FAR
            known = (actual != MISSING) & ~absent
            value = _days(value)
            return known & _test(op, actual, value), (known & _test(NEGATION[op], actual, value)) | absent
        elif name in ("lease_months", "leased_area"):
            actual = pop(name, period)
            known = pop("premises_recorded", period)
        elif name in ("lease_registered", "leased_in_carrier"):
            truth = pop(name, period)
            known = pop("premises_recorded", period)
        elif name == "business_scope":
            masks = [pop(self.columns["keywords"][k], period) for k in value]
            some = np.logical_or.reduce(masks) if masks else np.zeros(pop.count, bool)
            every = np.logical_and.reduce(masks) if masks else np.ones(pop.count, bool)
            hit = {"mentions_any": some, "mentions_none": ~some, "mentions_all": every, "lacks_mention": ~every}[op]
            known = pop("scope_known", period)
            return known & hit, known & ~hit
        elif name in ("insured_employees",):
            actual = pop(name, period)
            known = actual != MISSING
        elif name in ("organisations_founded", "insured_months", "insured_continuous_months"):
            actual = pop(name, period)
        elif name == "employees_insured":
            actual = self._employees(int((cond.get("args") or {}).get("months") or 1), pop, ctx.on)
        elif name in ("entrepreneurial_intent", "is_small_micro", "credit_listed", "enterprise_credit_listed"):
            truth = pop(name, period)
        elif name == "registered_unemployed":
            status = pop("employment_status", period)
            known = status != tables["employment_status"][""]
            truth = status == tables["employment_status"]["unemployed_registered"]
        elif name == "holds_residence_permit":
            kind = pop("hukou_kind", period)
            known = kind != tables["hukou_kind"][""]
            truth = np.isin(kind, [tables["hukou_kind"][k] for k in (HukouKind.PERMIT, HukouKind.TALENT_PERMIT)])
        elif name == "startup_organisation":
            startup = [tables["entity_type"][t] for t in STARTUP_ENTITY_TYPES]
            truth = np.isin(pop("entity_type", period), startup) | pop("is_small_micro", period)
        elif name == "first_founding":
            known, truth = self._first_founding(pop, period)
        elif name == "below_retirement_age":
            known, truth = self._retirement(pop, period, ctx.on)
        elif name in ("groups", "tags"):
            bits = self.columns["group_bits" if name == "groups" else "tag_bits"]
            wanted = sum(bits.get(code, 0) for code in set(value))
            hit = pop(name, period) & wanted
            met = {"has_any": hit != 0, "has_none": hit == 0, "has_all": hit == wanted, "lacks_any": hit != wanted}[op]
            return met, ~met
        elif name in ("residence", "registered_in"):
            places = pop("residence_jurisdiction_id" if name == "residence" else "registered_jurisdiction_id", period)
            known = np.isin(places, np.array(list(self.columns["places"]), dtype=np.int64))
            inside = np.isin(places, self.place_ids(value))
            met = inside if op == "within" else ~inside
            return known & met, known & ~met
        elif name == "hukou_place":
            place = pop("hukou_place_id", period)
            kind = pop("hukou_kind", period)
            outside = (kind != tables["hukou_kind"][""]) & (kind != tables["hukou_kind"][HukouKind.LOCAL])
            known = np.isin(place, np.array(list(self.columns["places"]), dtype=np.int64)) | outside
            inside = np.isin(place, self.place_ids(value)) & ~outside
            met = inside if op == "within" else ~inside
            return known & met, known & ~met
        elif name == "industry":
            return self._industry(cond, value, pop, period)
        elif name in ("granted", "enterprise_granted"):
            args = cond.get("args") or {}
            policy_id = ctx.policy_id(args.get("policy", "self"))
            within = args.get("within_months")
            kind = "person" if name == "granted" else "enterprise"
            variable = f"{kind}_last_grant_{policy_id}"
            if variable in pop.simulation.tax_benefit_system.variables:
                last = pop(variable, period)
                granted = last > 0
                if within:
                    granted &= last - 1 > day_number(dates.months_before(ctx.on, within))
            else:
                granted = np.zeros(pop.count, dtype=bool)
            met = granted if value else ~granted
            return met, ~met
        else:
            raise ValueError(f"fact {name} is not translated")
        if truth is not None:
            return known & (truth == bool(value)), known & (truth != bool(value))
        met, not_met = known & _test(op, actual, value), known & _test(NEGATION[op], actual, value)
        if future is not None:
            return met & ~future, not_met | future
        return met, not_met

    def _industry(self, cond, value, pop, period):
        tables = self.columns["vocabularies"]
        section, division = pop("industry_section", period), pop("industry_division", period)
        klass = pop("industry_class", period)
        met, not_met = np.zeros(pop.count, bool), np.ones(pop.count, bool)
        for code in value:
            if code.isalpha():
                known = section != tables["industry_section"][""]
                hit = section == tables["industry_section"].get(code, -1)
            elif len(code) == 2:
                known = division != tables["industry_division"][""]
                hit = division == tables["industry_division"].get(code, -1)
            else:
                has_class = klass != MISSING
                hit = has_class & (klass // 10 ** (4 - len(code)) == int(code))
                other = (division != tables["industry_division"][""]) & (
                    division != tables["industry_division"].get(code[:2], -1)
                )
                known = has_class | other
            met |= known & hit
            not_met &= known & ~hit
        return (met, not_met) if cond["op"] == "in" else (not_met, met)
