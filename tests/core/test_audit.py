import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.audit import diff, log_action, snapshot
from chuangfu.core.models import AuditEntry, Role
from chuangfu.core.views.audit import describe, history_rows
from tests import factories as f

pytestmark = pytest.mark.django_db

AUDIT_URL = reverse("core:audit_list")


def entry(action, obj, *, actor=None, at=None, **kw):
    e = log_action(actor=actor, action=action, obj=obj, **kw)
    if at:
        AuditEntry.objects.filter(pk=e.pk).update(at=at)
    return e


def test_snapshot_masks_identifiers_and_diff_keeps_only_changes():
    person = f.person("张三", mobile="13812345678")
    before = snapshot(person)
    assert before["mobile"] == "138****5678" and before["id_number"] == person.masked_id_number
    assert "id_number_hash" not in before
    person.name = "张叁"
    old, new = diff(before, snapshot(person))
    assert old == {"name": "张三"} and new == {"name": "张叁"}


def test_history_reads_with_field_and_choice_labels():
    person = f.person()
    entry(
        "registry.person.changed",
        person,
        before={"hukou_kind": "local", "groups": []},
        after={"hukou_kind": "permit", "groups": ["veteran"]},
    )
    (row,) = history_rows(person)
    assert row["label"] == "修改人员信息"
    assert row["changes"] == [
        {"label": "户籍性质", "before": "本市户籍", "after": "外省市户籍（持上海市居住证）"},
        {"label": "重点人群", "before": "—", "after": "退役军人"},
    ]


def test_unknown_keys_and_actions_still_read():
    e = entry("desk.ticket.dispatched", None, before={"x": 1}, after={"x": True})
    assert describe(e) == [{"label": "x", "before": 1, "after": "是"}]


def test_admin_searches_by_action_actor_object_and_date(client):
    admin = f.user(Role.ADMIN, jurisdiction=None, display_name="管理员甲")
    client.force_login(admin)
    zhang = f.person("张三")
    li = f.person("李四")
    entry("registry.person.created", zhang, actor=admin, at=timezone.now() - datetime.timedelta(days=10))
    entry("registry.person.changed", li, actor=admin)
    entry("registry.enterprise.created", f.enterprise("某公司"))

    def shown(**params):
        page = client.get(AUDIT_URL, params).content.decode()
        return {name for name in ("张三", "李四", "某公司") if name in page}

    assert shown() == {"张三", "李四", "某公司"}
    assert shown(action="registry.person") == {"张三", "李四"}
    assert shown(actor="管理员甲") == {"张三", "李四"}
    assert shown(target="李四") == {"李四"}
    assert shown(target=str(zhang.pk), action="registry.person") == {"张三"}
    today = timezone.localdate()
    assert shown(date_from=(today - datetime.timedelta(days=1)).isoformat()) == {"李四", "某公司"}
    assert shown(date_to=(today - datetime.timedelta(days=5)).isoformat()) == {"张三"}


def test_leader_sees_only_their_towns_entries(client):
    leader = f.user(Role.LEADER)
    client.force_login(leader)
    entry("registry.person.created", f.person("唐镇人"))
    entry("registry.person.created", f.person("张江人", jurisdiction=f.town("310115125")))
    page = client.get(AUDIT_URL).content.decode()
    assert "唐镇人" in page and "张江人" not in page


def test_other_roles_cannot_search_the_log(client):
    client.force_login(f.user(Role.DESK_STAFF))
    assert client.get(AUDIT_URL).status_code == 403


def test_log_is_paged_newest_first(client):
    client.force_login(f.user(Role.ADMIN, jurisdiction=None))
    person = f.person()
    for n in range(55):
        entry("registry.person.changed", person, note=f"第{n:02d}次", at=timezone.now() - datetime.timedelta(minutes=n))
    first = client.get(AUDIT_URL).content.decode()
    assert "第00次" in first and "第54次" not in first and "下一页" in first
    second = client.get(AUDIT_URL, {"page": 2}).content.decode()
    assert "第54次" in second and "第00次" not in second


# --- reading in the user's language (core.audit_labels) -------------------------------------


def test_action_codes_read_as_labels_from_the_apps_and_the_workflows():
    from chuangfu.core.audit_labels import action_label

    assert action_label("activities.score.submitted") == "提交评分"
    assert action_label("desk.ticket.dispatch") == "派单"  # the transition's own label
    assert action_label("registry.person.created") == "登记人员"


def test_every_action_the_code_logs_has_a_label():
    """The next ``log_action(action="app.entity.verb")`` without a label fails here."""
    import re
    from pathlib import Path

    import chuangfu
    from chuangfu.core.audit_labels import action_label

    source = "\n".join(p.read_text() for p in Path(chuangfu.__file__).parent.rglob("*.py"))
    codes = set(re.findall(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"', source))
    codes |= set(re.findall(r'audit_action = "([a-z_]+\.[a-z_]+\.[a-z_]+)"', source))
    assert len(codes) > 50
    assert [c for c in sorted(codes) if action_label(c) == c or "·" in action_label(c)] == []


def test_every_field_of_every_model_reads_in_chinese_or_is_hidden():
    """Fields left with Django's automatic English name (``opened at``) are the defect this catches."""
    import re

    from django.apps import apps

    from chuangfu.core.audit_labels import HIDDEN, field_label

    chinese = re.compile(r"[\u4e00-\u9fff]")
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("chuangfu.")
        for field in (*model._meta.concrete_fields, *model._meta.many_to_many)
        if field.name != "id"
        and (label := field_label(model, field.name)) is not HIDDEN
        and not chinese.search(str(label))
    ]
    assert missing == []


def _entry_on(model, action, before, after):
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.create(
        action=action, content_type=ContentType.objects.get_for_model(model), object_id="1", before=before, after=after
    )


def test_a_changes_values_read_as_names_labels_and_local_times():
    from chuangfu.desk.models import Rectification, Status, Ticket

    unit = f.unit("市场监管所")
    e = _entry_on(
        Ticket,
        "desk.ticket.dispatch",
        {"status": "received", "lead_unit": None},
        {"status": "dispatched", "lead_unit": unit.pk},
    )
    rows = {str(r["label"]): (r["before"], r["after"]) for r in describe(e)}
    assert rows["状态"] == (Status.RECEIVED.label, Status.DISPATCHED.label)
    assert ("—", "市场监管所") in rows.values()  # the unit's name, not its id
    gone = _entry_on(Ticket, "desk.ticket.dispatch", {}, {"lead_unit": 999999})
    assert describe(gone)[0]["after"] == "999999（已删除）"

    opened = datetime.datetime(2026, 12, 1, 2, 30, tzinfo=datetime.UTC)
    (row,) = describe(_entry_on(Rectification, "desk.rectification.opened", None, {"opened_at": opened.isoformat()}))
    assert str(row["label"]) == "开始时间" and row["after"] == "2026-12-01 10:30"  # Asia/Shanghai, not UTC


def test_the_log_page_reads_in_english_and_finds_entries_by_label(client):
    admin = f.user(Role.ADMIN, jurisdiction=None, display_name="管理员甲")
    client.force_login(admin)
    person = f.person("赵六")
    entry(
        "registry.person.changed", person, actor=admin, before={"hukou_kind": "local"}, after={"hukou_kind": "permit"}
    )
    entry("registry.person.created", f.person("钱七"), actor=admin)
    page = client.get(AUDIT_URL, {"action": "修改人员"}).content.decode()
    assert "赵六" in page and "钱七" not in page and "修改人员信息" in page and "外省市户籍" in page
    english = client.get(AUDIT_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Changed a person" in english and "Registered a person" in english


def test_a_foreign_key_logged_by_name_reads_as_that_name():
    from chuangfu.registry.models import EnterprisePerson

    e = _entry_on(EnterprisePerson, "registry.enterprise.person_linked", None, {"person": "钱二"})
    assert describe(e)[0]["after"] == "钱二"
