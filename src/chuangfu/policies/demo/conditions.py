"""The places and condition builders the demo policies' rules are written with."""

PUDONG, TANGZHEN = "310115", "310115114"
LOCAL_OR_PERMIT = ["local", "permit", "talent_permit"]


def c(fact: str, op: str, value, **args) -> dict:
    cond = {"fact": fact, "op": op, "value": value}
    if args:
        cond["args"] = {"policy": args.get("policy", "self"), "within_months": args.get("within_months")}
    return cond


def not_granted(policy="self", within_months=None, fact="granted") -> dict:
    return c(fact, "is", False, policy=policy, within_months=within_months)


STARTUP_ORG_ACTIVE = [c("startup_organisation", "is", True), c("registration_status", "in", ["active"])]
