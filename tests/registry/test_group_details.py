"""A priority group's own facts as structured fields: read from the old free-text note where it
says them (the data migration), edited on the person's form (each only with its group, dates not
in the future, nothing half-saved), imported with the people (implying the group; the same file
again changes nothing), shown on the person's page with what is still to be filled in."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.models import AuditEntry, Role
from chuangfu.registry import services
from chuangfu.registry.groups import read_detail
from chuangfu.registry.importers import Action, run_import
from chuangfu.registry.models import PersonGroup, PriorityGroup
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
SOON = timezone.localdate() + datetime.timedelta(days=10)


@pytest.mark.parametrize(
    "group, note, expected",
    [
        ("disabled", "二级肢体残疾", {"disability_grade": "2", "disability_kind": "physical"}),
        ("disabled", "残疾人证 视力残疾 4级", {"disability_grade": "4", "disability_kind": "visual"}),
        ("disabled", "持证", {}),
        ("hard_to_employ", "4050人员", {"hardship_type": "older"}),
        ("hard_to_employ", "低保家庭", {"hardship_type": "low_income"}),
        ("hard_to_employ", "零就业家庭成员", {"hardship_type": "zero_employment"}),
        ("hard_to_employ", "困难", {}),
        ("veteran", "2021年9月退役", {"discharged_on": D(2021, 9, 1)}),
        ("veteran", "退役时间：2020-12-15", {"discharged_on": D(2020, 12, 15)}),
        ("long_unemployed_youth", "自2024.03.05起失业", {"unemployed_since": D(2024, 3, 5)}),
        ("graduate", "二级", {}),  # a group without details
    ],
)
def test_the_old_notes_are_read_where_they_say_it(group, note, expected):
    assert read_detail(group, note) == expected


def test_the_data_migration_fills_the_fields_and_keeps_the_note():
    person = f.person()
    readable = PersonGroup.objects.create(person=person, group="disabled", detail="三级听力残疾")
    unreadable = PersonGroup.objects.create(person=person, group="hard_to_employ", detail="见纸质档案")
    migration = importlib.import_module("chuangfu.registry.migrations.0008_person_group_details")
    migration.read_old_details(apps, None)
    readable.refresh_from_db()
    unreadable.refresh_from_db()
    assert (readable.disability_grade, readable.disability_kind, readable.detail) == ("3", "hearing", "三级听力残疾")
    assert (unreadable.hardship_type, unreadable.detail) == ("", "见纸质档案")


def _post(person, **changes):
    data = {
        "name": person.name,
        "id_number": "",
        "mobile": "",
        "jurisdiction": person.jurisdiction_id,
        "groups": ["disabled", "veteran"],
        "disability_grade": "2",
        "disability_kind": "physical",
        "discharged_on": "2023-07-01",
    }
    data.update(changes)
    return data


def test_staff_edit_the_details_on_the_persons_form_and_see_them(client, desk, tangzhen):
    person = f.person(jurisdiction=tangzhen)
    client.force_login(desk)
    response = client.post(reverse("registry:person_edit", args=[person.pk]), _post(person))
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = {g.group: g for g in person.groups.all()}
    assert (rows["disabled"].disability_grade, rows["disabled"].disability_kind) == ("2", "physical")
    assert rows["veteran"].discharged_on == D(2023, 7, 1)
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "残疾等级：二级" in page and "退役日期：2023-07-01" in page
    form = client.get(reverse("registry:person_edit", args=[person.pk])).content.decode()
    assert 'value="2023-07-01"' in form


def test_a_detail_without_its_group_or_a_future_date_is_refused_and_nothing_is_saved(client, desk, tangzhen):
    person = f.person(jurisdiction=tangzhen, education="")
    client.force_login(desk)
    response = client.post(
        reverse("registry:person_edit", args=[person.pk]),
        _post(person, groups=["veteran"], discharged_on=SOON.isoformat(), education="bachelor"),
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "填写残疾等级须同时勾选重点人群“残疾人”" in text and "退役日期不能晚于今天" in text
    person.refresh_from_db()
    assert person.education == "" and not person.groups.exists()


def test_a_member_whose_detail_is_blank_is_shown_as_to_be_completed(client, desk, tangzhen):
    person = f.person(jurisdiction=tangzhen)
    PersonGroup.objects.create(person=person, group="hard_to_employ", detail="见纸质档案")
    client.force_login(desk)
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "待补全：就业困难人员类别" in page and "见纸质档案" in page


def test_removing_a_group_removes_its_details_and_the_audit_log_names_them(desk, tangzhen):
    person = services.person_create(
        actor=desk,
        name="赵六",
        id_number=f.id_number(),
        jurisdiction=tangzhen,
        groups=["disabled"],
        group_details={"disability_grade": "1"},
    )
    assert person.groups.get().disability_grade == "1"
    services.person_update(actor=desk, person=person, data={"groups": []})
    assert not PersonGroup.objects.filter(person=person).exists()
    entry = AuditEntry.objects.filter(action="registry.person.changed").order_by("-id").first()
    assert "残疾人（残疾等级：一级）" in str(entry.before)


HEADER = ["姓名", "身份证号码", "重点人群", "就业困难人员类别", "残疾等级", "残疾类别", "退役日期"]


def _csv(*rows) -> io.BytesIO:
    return io.BytesIO("\n".join(",".join(str(c) for c in row) for row in rows).encode("utf-8-sig"))


def _run(source, town):
    return run_import(kind="person", source=source, town=town, actor=f.user(role=Role.ADMIN), dry_run=False)


def test_the_details_are_imported_with_the_people_and_a_second_import_changes_nothing(tangzhen):
    number, other = f.id_number(), f.id_number()
    rows = [
        HEADER,
        ["孙八", number, "残疾人", "", "二级", "肢体残疾", ""],
        ["周九", other, "", "4050人员", "", "", "2022-05-01"],
    ]
    report = _run(_csv(*rows), tangzhen)
    assert [o.action for o in report.outcomes] == [Action.CREATE, Action.CREATE], [o.detail for o in report.outcomes]
    sun = PersonGroup.objects.get(person__name="孙八")
    assert (sun.group, sun.disability_grade, sun.disability_kind) == ("disabled", "2", "physical")
    zhou = {g.group: g for g in PersonGroup.objects.filter(person__name="周九")}
    assert zhou[PriorityGroup.HARD_TO_EMPLOY].hardship_type == "older"  # the detail implies its group
    assert zhou[PriorityGroup.VETERAN].discharged_on == D(2022, 5, 1)
    assert [o.action for o in _run(_csv(*rows), tangzhen).outcomes] == [Action.UNCHANGED, Action.UNCHANGED]
    rows[1][4] = "一级"
    assert [o.action for o in _run(_csv(*rows), tangzhen).outcomes] == [Action.UPDATE, Action.UNCHANGED]
    sun.refresh_from_db()
    assert sun.disability_grade == "1"


def test_an_unreadable_detail_is_a_warning_and_a_future_date_refuses_the_row(tangzhen):
    rows = [
        HEADER,
        ["吴十", f.id_number(), "残疾人", "", "五级", "", ""],
        ["郑一", f.id_number(), "", "", "", "", SOON.isoformat()],
    ]
    report = _run(_csv(*rows), tangzhen)
    assert report.outcomes[0].action == Action.CREATE and "残疾等级“五级”无法识别" in report.outcomes[0].warnings
    assert report.outcomes[1].action == Action.REJECT and "晚于今天" in report.outcomes[1].detail
