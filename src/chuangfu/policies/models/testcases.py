"""Rule test cases: a described subject and the result a version's rule must give it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .common import Result
from .policies import PolicyVersion


class RuleTestCase(models.Model):
    """A described subject (fact values by fact name) and the result the rule must give it."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="test_cases")
    name = models.CharField(_("用例说明"), max_length=128)
    facts = models.JSONField(_("对象情况"), default=dict)
    expected = models.CharField(_("预期结果"), max_length=16, choices=Result.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("规则测试用例")
        verbose_name_plural = _("规则测试用例")

    def __str__(self):
        return self.name
