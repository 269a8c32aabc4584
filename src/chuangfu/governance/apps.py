from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _task_from_visit_problem(*, actor, problem):
    from .services.ledger import task_from_visit_problem

    return task_from_visit_problem(actor=actor, problem=problem)


class GovernanceConfig(AppConfig):
    name = "chuangfu.governance"
    label = "governance"
    verbose_name = _("组织领导与工作协同")
    # The ecosystem's visit page offers "转为台账任务" for a problem found on a visit (ecosystem/hooks.py):
    # found by this attribute, so neither app imports the other (they sit on the same floor).
    ecosystem_problem_destination = {"label": _("转为台账任务"), "create": _task_from_visit_problem}

    def ready(self):
        from . import home, tasks  # noqa: F401  (navigation, "my work" panels, periodic tasks)
