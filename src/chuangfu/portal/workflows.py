"""One publication machine for model cases and articles: 草稿 → 待审核 → 已发布 → 已撤回.

Editors (the office, desk staff, administrators) write and submit; publishers (the leadership
office and administrators) approve or send back, and withdraw. A model case cannot go to review
or be published without the subject's recorded consent.
"""

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Role
from chuangfu.core.workflow import State, StateMachine, Transition

from .models import Article, Case, Publication

EDITORS = frozenset({Role.DESK_STAFF, Role.LEADER, Role.ADMIN})
PUBLISHERS = frozenset({Role.LEADER, Role.ADMIN})

STATES = [
    State(Publication.DRAFT, Publication.DRAFT.label),
    State(Publication.IN_REVIEW, Publication.IN_REVIEW.label),
    State(Publication.PUBLISHED, Publication.PUBLISHED.label),
    State(Publication.WITHDRAWN, Publication.WITHDRAWN.label),
]


def _consent_recorded(case, actor):
    if case.consent_on is None:
        return gettext("尚未记录本人同意公开（日期与方式），不能送审或发布。")
    return None


def _transitions(consent_guard=None):
    return [
        Transition("submit", _("送审"), {Publication.DRAFT}, Publication.IN_REVIEW, EDITORS, guard=consent_guard),
        Transition("return", _("退回修改"), {Publication.IN_REVIEW}, Publication.DRAFT, PUBLISHERS, note_required=True),
        Transition(
            "publish", _("审核发布"), {Publication.IN_REVIEW}, Publication.PUBLISHED, PUBLISHERS, guard=consent_guard
        ),
        Transition(
            "withdraw",
            pgettext_lazy("publication", "撤回"),
            {Publication.PUBLISHED},
            Publication.WITHDRAWN,
            PUBLISHERS,
            note_required=True,
        ),
        Transition("revise", _("重新编辑"), {Publication.WITHDRAWN}, Publication.DRAFT, EDITORS),
    ]


CASE = StateMachine(name="portal.case", model=Case, states=STATES, transitions=_transitions(_consent_recorded))
ARTICLE = StateMachine(name="portal.article", model=Article, states=STATES, transitions=_transitions())
