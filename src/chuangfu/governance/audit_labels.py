"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import HIDDEN, register_actions, register_fields

register_actions(
    {
        "governance.body.created": pgettext_lazy("audit", "设立议事协调机构"),
        "governance.member.added": pgettext_lazy("audit", "增加成员"),
        "governance.member.left": pgettext_lazy("audit", "成员离任"),
        "governance.term.created": pgettext_lazy("audit", "设立届次"),
    }
)
register_fields("governance.Membership", {"position_order": HIDDEN})  # derived from the position, for sorting
