"""The shape of a rule tree: groups ("all", "any", "not") around conditions (``{"fact": …}``).

Read by the frame, the per-subject evaluation, the validation and the editor; it imports nothing,
so any of them can use it."""

GROUPS = ("all", "any", "not")


def node_kind(node) -> str:
    if isinstance(node, dict):
        for kind in GROUPS:
            if kind in node:
                return kind
        if "fact" in node:
            return "condition"
    return "invalid"


def top_conditions(rule: dict) -> list[dict]:
    """The rule's top-level conditions: "almost eligible" means exactly one of these is not met."""
    return list(rule["all"]) if node_kind(rule) == "all" else [rule]


def conditions(node):
    """Every condition of a rule at any depth, depth first: inside groups, and inside a relation's
    rule (a condition whose value is a rule) after the relation's own condition."""
    kind = node_kind(node)
    if kind in ("all", "any"):
        for child in node[kind]:
            yield from conditions(child)
    elif kind == "not":
        yield from conditions(node["not"])
    elif kind == "condition":
        yield node
        if isinstance(node.get("value"), dict):
            yield from conditions(node["value"])
