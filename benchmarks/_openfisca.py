"""Baseline (ii) of ``policies-match``: openfisca-core computing the same rules on the same people
and enterprises, fed the same encoded read as the match.

The read is the match's own (``rules.frame.Frames``): one plain SELECT per table in which the
database turns dates into day numbers and choices into small integer codes, fetched in chunks
into numpy arrays; the related tables (priority groups, tags, founders, person–enterprise
links with shares, insurance months, grants, credit records, carriers, places) by the same
methods the match calls. A team without our engine would then describe the facts as OpenFisca
variables, each policy's rule as a formula variable, build the simulation from the arrays and
let OpenFisca compute every policy's eligibility on the evaluation date. What is left between
the read and OpenFisca ("arrays") is per-subject aggregation of the related rows: group and tag
bit masks, the foundings per person, the last grant of each policy, who is on a credit list on
the date, insured months in all and in a row, and per enterprise its leases in force on the date
(the longest term, computed here from the first and last day, the area in all, registered or in
a carrier).

Decision 39's facts are read as the match reads them, and only when a rule names them, as the
match does: the priority groups' own facts (``facts.groups.group_columns``: one SELECT, choices as
codes, a non-member's day far in the future), every lease (``facts.premises.premises_columns``),
and the business-scope keywords, which the database searches (``facts.text.search_keywords``: every
keyword the rules name and the blank scopes in one scan, as the match does) — the text never reaches Python, for the match or for OpenFisca.

Entities. A person may represent several enterprises while an enterprise has one legal
representative, so OpenFisca's person entity is the enterprise and its group entity is the
natural person ("individual"), whose members are the enterprises they represent (role
``represented``): "represents an enterprise that …" is ``individual.any(…, role=represented)``,
"the legal representative …" is the individual's value projected onto its enterprises. Links
that OpenFisca's entities cannot hold (a person founded or holds shares of many enterprises, an
enterprise has many founders) are gathered with numpy over the link rows. openfisca-core
46.0.1 scrambles membership when a group has no member, so every person who represents no
enterprise gets one placeholder enterprise (role ``placeholder``, never counted), and
enterprises without a legal representative in the registry share one placeholder person
(``in_registry`` false, so their legal-representative conditions are unknown, as in our engine).

Rules (``_openfisca_rules``) are translated node by node into numpy over the OpenFisca variables,
with the Kleene reading of missing data of ``rules.facts``. OpenFisca computes only eligibility
(met or not): it stores nothing and says nothing of "almost" or "unknown", which is less work
than our match does.
"""

import datetime
import time

import numpy as np

PLACEHOLDER_PERSON = 0  # person ids start at 1
EPOCH = datetime.date(1970, 1, 1)


def day_number(day: datetime.date) -> int:
    return (day - EPOCH).days


def month_index(day: datetime.date) -> int:
    return (day.year - 1970) * 12 + day.month - 1


def _ymd(days: np.ndarray):
    arr = days.astype("datetime64[D]")
    years = arr.astype("datetime64[Y]").astype(np.int64) + 1970
    months = arr.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (arr - arr.astype("datetime64[M]")).astype(np.int64) + 1
    return years, months, day


def years_between(start: np.ndarray, on: datetime.date) -> np.ndarray:
    y, m, d = _ymd(start)
    before = (on.month < m) | ((on.month == m) & (on.day < d))
    return on.year - y - before.astype(np.int64)


def months_between(start: np.ndarray, on: datetime.date) -> np.ndarray:
    y, m, d = _ymd(start)
    return (on.year - y) * 12 + on.month - m - (on.day < d).astype(np.int64)


# --- the read: the match's own -------------------------------------------------------------------


def conditions(node: dict):
    """Every condition of a rule, depth first in the order the match evaluates them (a relation's
    condition before the ones inside it)."""
    if "all" in node or "any" in node:
        for child in node.get("all", node.get("any")):
            yield from conditions(child)
    elif "not" in node:
        yield from conditions(node["not"])
    else:
        yield node
        if isinstance(node.get("value"), dict):
            yield from conditions(node["value"])


GROUP_FACTS = {"hardship_type", "disability_grade", "disability_kind", "discharged_on", "long_unemployed_months"}
PREMISES_FACTS = {"lease_months", "leased_area", "lease_registered", "leased_in_carrier"}


def read(rules: list[dict] = ()) -> dict:
    """The match's column read (``rules.Frames``) of everything ``rules`` ask about."""
    from chuangfu.policies.rules.facts.groups import group_columns
    from chuangfu.policies.rules.facts.premises import premises_columns
    from chuangfu.policies.rules.facts.text import fold, keyword_masks, scope_known, search_keywords
    from chuangfu.policies.rules.frame import ENTERPRISE, PERSON, Frames

    frames = Frames()
    people, enterprises = frames.get(PERSON), frames.get(ENTERPRISE)
    named = [cond for rule in rules for cond in conditions(rule)]
    facts = {cond["fact"] for cond in named}
    keywords, known = {}, None
    search_keywords(frames, rules)  # as the match: every keyword and the blank scopes in one scan
    for cond in named:
        if cond["fact"] == "business_scope":
            named_here = list(dict.fromkeys(fold(k) for k in cond["value"]))
            keywords.update(zip(named_here, keyword_masks(enterprises, named_here)))
            known = scope_known(enterprises)
    return {
        "group_details": group_columns(people) if facts & GROUP_FACTS else None,
        "premises": premises_columns(enterprises) if facts & PREMISES_FACTS else None,
        "scope_keywords": keywords,
        "scope_known": known,
        "frames": frames,
        "people": people,
        "enterprises": enterprises,
        "groups": people.member_rows(),
        "tags": enterprises.member_rows(),
        "links": frames.links(),
        "insurance": frames.insurance(),
        "person_grants": people.grant_rows(),
        "enterprise_grants": enterprises.grant_rows(),
        "person_credit": people.credit_rows(),
        "enterprise_credit": enterprises.credit_rows(),
        "carriers": enterprises.carrier_rows(),
        "places": frames.places(),
    }


def _bits(frame, keys: dict, pairs: np.ndarray) -> tuple[np.ndarray, dict]:
    """Memberships as one bit mask per subject; returns (masks, {code: bit})."""
    order = {key: i for i, key in enumerate(sorted(set(keys.values())))}
    bits = {code: 1 << order[key] for code, key in keys.items()}
    masks = np.zeros(frame.size, dtype=np.int64)
    at = frame.positions(pairs[:, 0])
    bit_of_key = np.zeros(max(order, default=0) + 1, dtype=np.int64)
    for key, i in order.items():
        bit_of_key[key] = 1 << i
    keep = (at >= 0) & (pairs[:, 1] >= 0) & (pairs[:, 1] < len(bit_of_key))
    np.bitwise_or.at(masks, at[keep], bit_of_key[pairs[keep, 1]])
    return masks, bits


def _last_grants(frame, rows, on: datetime.date, kind: str, out: dict) -> None:
    """The latest grant of each policy on or before ``on`` per subject: day number + 1, 0 = never."""
    subject, policy, day = rows
    at = frame.positions(subject)
    keep = (at >= 0) & (day <= day_number(on))
    for policy_id in np.unique(policy[keep]):
        mine = keep & (policy == policy_id)
        last = np.zeros(frame.size, dtype=np.int64)
        np.maximum.at(last, at[mine], day[mine] + 1)
        out[f"{kind}_last_grant_{int(policy_id)}"] = last


def _listed(frame, rows, on: datetime.date) -> np.ndarray:
    subject, listed, removed = rows
    at = frame.positions(subject)
    today = day_number(on)
    chosen = (at >= 0) & (listed <= today) & ((removed == MISSING) | (today < removed))
    mask = np.zeros(frame.size, bool)
    mask[at[chosen]] = True
    return mask


def _unique(keys: np.ndarray, return_inverse: bool = False):
    """``np.unique`` by sorting (numpy 2's hash-based ``np.unique`` is ~20× slower on a million keys)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if len(ordered) else np.zeros(0, bool)
    if not return_inverse:
        return ordered[first]
    inverse = np.empty(len(keys), np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def insured_runs(owner: np.ndarray, month: np.ndarray, size: int, on: datetime.date) -> tuple[np.ndarray, np.ndarray]:
    """Per owner 0 … size − 1: distinct months paid before the month of ``on``, and the months in a
    row that end with last month."""
    last = month_index(on) - 1
    keep = (owner >= 0) & (month <= last)
    owner, back = owner[keep], last - month[keep]
    total, run = np.zeros(size, np.int64), np.zeros(size, np.int64)
    if not len(owner):
        return total, run
    width = int(back.max()) + 1
    key = _unique(owner.astype(np.int64) * width + back)  # sorted by owner, then the latest month first
    owner, back = key // width, key % width
    total = np.bincount(owner, minlength=size)
    first = np.searchsorted(owner, owner, side="left")
    in_run = back == np.arange(len(owner)) - first  # the k-th latest month is k months back
    return total, np.bincount(owner[in_run], minlength=size)


MISSING = np.iinfo(np.int32).min
FAR = np.iinfo(np.int32).max  # a group's day for someone outside the group (``facts.groups.FAR``)


def leases(rows: dict, size: int, on: datetime.date) -> dict:
    """Per enterprise of the frame, its leases in force on ``on`` (first to last day inclusive):
    the longest term in whole months from the first day to the day after the last, the areas
    summed (whole m²), whether one is registered, whether one lies in a carrier; and whether it
    has premises recorded at all."""
    at, start, end = rows["at"], rows["start"], rows["end"]
    today = day_number(on)
    live = (at >= 0) & (start != MISSING) & (start <= today) & (today <= end)
    y1, m1, d1 = _ymd(start[live])
    y2, m2, d2 = _ymd(end[live] + 1)
    term = (y2 - y1) * 12 + m2 - m1 - (d2 < d1).astype(np.int64)
    months, area = np.zeros(size, np.int64), np.zeros(size, np.int64)
    np.maximum.at(months, at[live], term)
    np.add.at(area, at[live], rows["area"][live])
    registered, in_carrier, recorded = np.zeros(size, bool), np.zeros(size, bool), np.zeros(size, bool)
    registered[at[live & rows["registered"]]] = True
    in_carrier[at[live & rows["in_carrier"]]] = True
    recorded[at[at >= 0]] = True
    return {
        "lease_months": months,
        "leased_area": area // 100,
        "lease_registered": registered,
        "leased_in_carrier": in_carrier,
        "premises_recorded": recorded,
    }


def arrays(data: dict, on: datetime.date) -> dict:
    """OpenFisca's input columns: the frames' arrays as they are, the related rows aggregated per
    subject."""
    from chuangfu.policies.rules.frame import Text
    from chuangfu.policies.rules.links import FOUNDER_RELATIONS, LINK_CODES

    pf, ef = data["people"], data["enterprises"]

    def plain(frame):
        return {name: (column.codes if isinstance(column, Text) else column) for name, column in frame.columns.items()}

    p, e = plain(pf), plain(ef)
    p["groups"], group_bits = _bits(pf, *data["groups"])
    e["tags"], tag_bits = _bits(ef, *data["tags"])
    _last_grants(pf, data["person_grants"], on, "person", p)
    _last_grants(ef, data["enterprise_grants"], on, "enterprise", e)
    p["credit_listed"] = _listed(pf, data["person_credit"], on)
    e["enterprise_credit_listed"] = _listed(ef, data["enterprise_credit"], on)
    p["residence_jurisdiction_id"] = p.pop("jurisdiction_id")  # one name per variable across entities
    e["registered_jurisdiction_id"] = e.pop("jurisdiction_id")
    person, _enterprise, month = data["insurance"]
    p["insured_months"], p["insured_continuous_months"] = insured_runs(pf.positions(person), month, pf.size, on)
    # per person, the earliest founding day of what they founded, and how many have no date
    person_at, enterprise_at, relation, _share = data["links"]
    chosen = np.isin(relation, [LINK_CODES[r] for r in FOUNDER_RELATIONS]) & (person_at >= 0) & (enterprise_at >= 0)
    width = int(enterprise_at.max(initial=0)) + 1
    pairs = np.sort(person_at[chosen] * width + enterprise_at[chosen])  # distinct (person, enterprise)
    pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])] if len(pairs) else pairs
    p["organisations_founded"] = np.bincount(pairs // width, minlength=pf.size)
    day = e["founded_on"][enterprise_at[chosen]]
    who = person_at[chosen]
    p["earliest_founding"] = np.full(pf.size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(p["earliest_founding"], who[day != MISSING], day[day != MISSING])
    p["undated_foundings"] = np.bincount(who[day == MISSING], minlength=pf.size)
    vocabulary, carriers = data["carriers"]
    by_id = np.zeros(max([pk for pk, _k in carriers] + [int(e["carrier_id"].max(initial=0))]) + 1, dtype=np.int32)
    for pk, kind in carriers:
        by_id[pk] = vocabulary.get(kind, 0)
    e["carrier_kind"] = np.where(e["carrier_id"] >= 0, by_id[np.maximum(e["carrier_id"], 0)], vocabulary[""])
    vocabularies = {}
    if data["group_details"] is not None:  # a group's own facts: choices as codes, days as numbers
        for name, column in data["group_details"].items():
            if isinstance(column, Text):
                p[name], vocabularies[name] = column.codes, column.vocabulary
            else:
                p[name] = column
    if data["premises"] is not None:
        e.update(leases(data["premises"], ef.size, on))
    keywords = {keyword: f"scope_mentions_{i}" for i, keyword in enumerate(data["scope_keywords"])}
    for keyword, name in keywords.items():
        e[name] = data["scope_keywords"][keyword]
    if data["scope_known"] is not None:
        e["scope_known"] = data["scope_known"]
    rep = e.pop("legal_representative_id")
    return {
        "people": p,
        "enterprises": e,
        "person_ids": pf.ids,
        "enterprise_ids": ef.ids,
        "legal_rep": np.where(rep == MISSING, PLACEHOLDER_PERSON, rep),
        "vocabularies": {
            **{n: c.vocabulary for n, c in pf.columns.items() if isinstance(c, Text)},
            **{n: c.vocabulary for n, c in ef.columns.items() if isinstance(c, Text)},
            "carrier_kind": vocabulary,
            **vocabularies,
        },
        "keywords": keywords,
        "group_bits": group_bits,
        "tag_bits": tag_bits,
        "links": data["links"],
        "insurance": data["insurance"],
        "places": data["places"],
    }


# --- the tax and benefit system -------------------------------------------------------------------

ELAPSED = {  # fact: (entity, date column, in years)
    "age": ("individual", "birth_date", True),
    "months_since_graduation": ("individual", "graduation_date", False),
    "unemployment_months": ("individual", "unemployment_registered_on", False),
    "residence_permit_months": ("individual", "residence_permit_since", False),
    "months_since_founding": ("enterprise", "founded_on", False),
    "long_unemployed_months": ("individual", "unemployed_since", False),
}


def system(columns: dict, rules: list[tuple[str, str, dict, object]]):
    """A TaxBenefitSystem with the fact variables and one ``eligible_<n>`` variable per rule.

    ``rules``: (variable name, target, rule, ctx) with ctx a ``rules.Context`` (date, policy)."""
    from _openfisca_rules import Translator
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
    entities = {"individual": individual, "enterprise": enterprise}
    represented = next(r for r in individual.roles if r.key == "represented")

    def variable(name, entity, value_type, period=periods.ETERNITY, formula=None):
        attrs = {"value_type": value_type, "entity": entity, "definition_period": period, "label": name}
        if formula is not None:
            attrs["formula"] = formula
        tbs.add_variable(type(name, (Variable,), attrs))

    for name, array in columns["people"].items():
        variable(name, individual, bool if array.dtype.kind == "b" else int)
    variable("in_registry", individual, bool)
    for name, array in columns["enterprises"].items():
        variable(name, enterprise, bool if array.dtype.kind == "b" else int)

    def elapsed(column, in_years):
        def formula(population, period):
            start = population(column, period)
            safe = np.where((start == MISSING) | (start == FAR), 0, start)
            day = period.start.date
            return years_between(safe, day) if in_years else months_between(safe, day)

        return formula

    for name, (entity, column, in_years) in ELAPSED.items():
        variable(name, entities[entity], int, periods.DAY, elapsed(column, in_years))

    translator = Translator(columns, represented)

    def rule_formula(rule, ctx):
        def formula(population, period):
            met, _not_met = translator.node(rule, ctx, population, period)
            return met

        return formula

    for name, target, rule, ctx in rules:
        entity = individual if target == "person" else enterprise
        variable(name, entity, bool, periods.DAY, rule_formula(rule, ctx))
    return tbs


def simulation(tbs, columns: dict):
    """The simulation built from the arrays: enterprises (and placeholders) as OpenFisca's
    persons, natural persons (and one placeholder person if needed) as the groups."""
    from openfisca_core import periods
    from openfisca_core.simulations import SimulationBuilder

    p, e = columns["people"], columns["enterprises"]
    person_ids = columns["person_ids"]
    reps = columns["legal_rep"]
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
        sim.set_input(name, eternity, np.concatenate([array[:1], array]) if orphans else array)
    known = np.ones(len(person_ids), bool)
    sim.set_input("in_registry", eternity, np.concatenate([[False], known]) if orphans else known)
    for name, array in e.items():
        sim.set_input(name, eternity, np.concatenate([array, np.resize(array[:1], len(lonely))]))
    columns["person_offset"] = 1 if orphans else 0  # row of the people's frame → row in OpenFisca
    return sim, n_real, orphans


def run(policies: list, on: datetime.date) -> dict:
    """Read, prepare, build and compute every policy's eligibility; timings and the results.

    ``policies``: (policy, version) pairs in force on ``on``."""
    from chuangfu.policies import rules

    timings = {}
    started = time.perf_counter()
    data = read([version.rule for _policy, version in policies])
    timings["read"] = time.perf_counter() - started
    t = time.perf_counter()
    columns = arrays(data, on)
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
            ids = columns["person_ids"]
            result = result[1:] if orphans else result
        else:
            ids = columns["enterprise_ids"]
            result = result[:n_real]
        eligible[policy.code] = (ids, result)
    timings["compute"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return {"timings": timings, "eligible": eligible, "read": data}
