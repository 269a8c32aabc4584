"""A policy version's one state machine: 草稿 → 已发布.

Publishing is allowed only when the version has test cases and every one of them gives the
expected result (``guard``); a published version is read-only, and an amendment is a new draft.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chuangfu.core.workflow import State, StateMachine, Transition

from .models import PolicyVersion, VersionStatus
from .permissions import EDITOR_ROLES, can_edit_policy
from .selectors import rule_case_results


def _publishable(version, actor):
    if not can_edit_policy(actor, version.policy):
        return _("这项政策由%(owner)s维护，您不能发布它的版本。") % {"owner": version.policy.jurisdiction}
    results = rule_case_results(version)
    if not results:
        return _("发布前请至少添加一个测试用例，并确认结果符合预期。")
    failing = [r for r in results if not r.passed]
    if failing:
        return _("有 %(n)d 个测试用例未通过：%(names)s。") % {
            "n": len(failing),
            "names": "；".join(r.describe() for r in failing),
        }
    return None


VERSION = StateMachine(
    name="policies.version",
    model=PolicyVersion,
    states=[State(VersionStatus.DRAFT, _l("草稿")), State(VersionStatus.PUBLISHED, _l("已发布"), terminal=True)],
    transitions=[
        Transition(
            "publish",
            _l("发布"),
            sources={VersionStatus.DRAFT},
            target=VersionStatus.PUBLISHED,
            roles=EDITOR_ROLES,
            guard=_publishable,
        ),
    ],
)
