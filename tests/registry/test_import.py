"""Bulk import of enterprises and people: what each row does, idempotence, rejection, audit."""

import datetime
import decimal
import importlib.util
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError
from chuangfu.core.identifiers import compose_id_number, compose_uscc
from chuangfu.core.imports import ImportFileError
from chuangfu.core.models import AuditEntry, Role
from chuangfu.registry import importers
from chuangfu.registry.importers import Action, enterprise_pinyin, run_import
from chuangfu.registry.models import Enterprise, EntityType, Person, PersonGroup, RegistrationStatus, Tag
from chuangfu.registry.search import name_pinyin
from tests import factories as f

pytestmark = pytest.mark.django_db

ENTERPRISE_HEADER = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "类型",
    "法定代表人",
    "注册资本",
    "成立日期",
    "住所",
    "登记状态",
    "行业",
    "参保人数",
    "经营范围",
]


def xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def uscc(n: int, kind="91") -> str:
    return compose_uscc(kind, "310115", 20_000_000 + n)


def enterprise_file(*rows, title=True) -> io.BytesIO:
    head = [["唐镇企业名录（2024年6月）"], []] if title else []
    return xlsx([*head, ENTERPRISE_HEADER, *rows, ["合计", None, f"{len(rows)} 户"]])


def row(n: int, **over) -> list:
    values = {
        "uscc": uscc(n),
        "name": f"上海唐创{n}信息科技有限公司",
        "type": "有限责任公司（自然人投资或控股）",
        "rep": "张三",
        "capital": "100万元",
        "founded": "2021/3/5",
        "address": f"上海市浦东新区唐镇唐镇路{n}号",
        "status": "存续（在业）",
        "industry": "I65",
        "employees": "12人",
        "scope": "软件开发；技术服务",
    }
    values.update(over)
    return [n, *values.values()]


def import_enterprises(source, *, town=None, actor=None, dry_run=False, **kwargs):
    return run_import(kind="enterprise", source=source, town=town or f.town(), actor=actor, dry_run=dry_run, **kwargs)


def by_row(report) -> dict[int, importers.RowOutcome]:
    return {o.row: o for o in report.outcomes}


# --- enterprises ----------------------------------------------------------------------------------


def test_a_messy_enterprise_export_creates_every_valid_row_with_its_values_read():
    source = enterprise_file(
        row(1),
        row(
            2,
            uscc=f" {uscc(2).lower()} ",
            capital=50,
            founded=datetime.date(2019, 7, 1),
            employees=3,
            industry="信息传输、软件和信息技术服务业",
            status="吊销，未注销",
            type="个人独资企业",
        ),
        row(
            3,
            uscc=uscc(3, "92"),
            type="",
            capital="1,000,000元",
            founded="2020年2月29日",
            employees="",
            industry="F 批发和零售业",
            name="浦东新区唐镇ＡＢＣ便利店（唐镇路店）",
        ),
    )
    report = import_enterprises(source)
    assert report.counts == {"create": 3, "update": 0, "unchanged": 0, "reject": 0}
    assert report.table.skipped == 1  # the 合计 row
    first = Enterprise.objects.get(uscc=uscc(1))
    assert first.founded_on == datetime.date(2021, 3, 5)
    assert first.registered_capital == decimal.Decimal("100.00")
    assert first.insured_employees == 12
    assert (first.industry_section, first.industry_division) == ("I", "65")
    assert first.entity_type == EntityType.COMPANY
    assert first.registration_status == RegistrationStatus.ACTIVE
    assert first.jurisdiction == f.town()
    assert first.name_pinyin == name_pinyin(first.name)
    second = Enterprise.objects.get(uscc=uscc(2))
    assert (second.registered_capital, second.insured_employees, second.industry_section) == (50, 3, "I")
    assert second.registration_status == RegistrationStatus.REVOKED
    assert second.entity_type == EntityType.SOLE_INVESTMENT
    third = Enterprise.objects.get(uscc=uscc(3, "92"))
    assert third.entity_type == EntityType.SOLE_PROPRIETOR  # from the USCC when no type is given
    assert third.registered_capital == decimal.Decimal("100.00")
    assert third.insured_employees is None
    assert third.name == "浦东新区唐镇ABC便利店（唐镇路店）"


def test_a_dry_run_reports_every_row_and_writes_nothing():
    source = enterprise_file(row(1), row(2), row(3, founded="2021-02-30"))
    report = import_enterprises(source, dry_run=True)
    assert [(o.row, o.action) for o in report.outcomes] == [(4, "create"), (5, "create"), (6, "reject")]
    assert Enterprise.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert "试导入" in report.summary()


def test_importing_the_same_file_again_changes_nothing():
    data = enterprise_file(row(1), row(2), row(3)).getvalue()
    import_enterprises(io.BytesIO(data))
    stamps = dict(Enterprise.objects.values_list("uscc", "updated_at"))
    audits = AuditEntry.objects.count()
    again = import_enterprises(io.BytesIO(data))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "reject": 0}
    assert dict(Enterprise.objects.values_list("uscc", "updated_at")) == stamps
    assert AuditEntry.objects.count() == audits == 3


def test_a_changed_row_updates_only_what_changed_and_audits_before_and_after(desk):
    import_enterprises(enterprise_file(row(1)), actor=desk)
    report = import_enterprises(enterprise_file(row(1, employees="20人", rep="李四")), actor=desk, note="第二批")
    outcome = report.outcomes[0]
    assert outcome.action == Action.UPDATE
    assert "参保人数" in outcome.detail and "法定代表人" in outcome.detail
    enterprise = Enterprise.objects.get(uscc=uscc(1))
    assert (enterprise.insured_employees, enterprise.legal_representative_name) == (20, "李四")
    entry = AuditEntry.objects.filter(action="registry.enterprise.imported").order_by("-id").first()
    assert entry.object_id == str(enterprise.pk) and entry.actor == desk and entry.note == "第二批"
    assert entry.before == {"insured_employees": 12, "legal_representative_name": "张三"}
    assert entry.after == {"insured_employees": 20, "legal_representative_name": "李四"}


def test_blank_cells_never_clear_what_the_registry_holds():
    import_enterprises(enterprise_file(row(1)))
    report = import_enterprises(enterprise_file(row(1, capital="", employees="", founded="", rep="", industry="")))
    assert report.outcomes[0].action == Action.UNCHANGED
    enterprise = Enterprise.objects.get(uscc=uscc(1))
    assert enterprise.insured_employees == 12 and enterprise.founded_on == datetime.date(2021, 3, 5)


def test_bad_rows_are_rejected_with_a_chinese_reason_and_the_rest_imported():
    bad_check = uscc(2)[:-1] + ("0" if uscc(2)[-1] != "0" else "1")
    source = enterprise_file(
        row(1),
        row(2, uscc=bad_check),
        row(3, founded="2021-02-30"),
        row(4, name=""),
        row(5, uscc=""),
        row(1, name="重复的一行"),
        row(6, employees="十二人"),
        row(7, founded=(datetime.date.today() + datetime.timedelta(days=3)).isoformat()),
        row(8, capital="一百万"),
    )
    outcomes = by_row(import_enterprises(source))
    reasons = {n: o.detail for n, o in outcomes.items() if o.action == Action.REJECT}
    assert "校验位错误" in reasons[5]
    assert "成立日期" in reasons[6] and "2021 年 2 月没有 30 日" in reasons[6]
    assert "缺少企业名称" in reasons[7]
    assert "缺少统一社会信用代码" in reasons[8]
    assert "与第 4 行是同一企业" in reasons[9]
    assert "参保人数" in reasons[10]
    assert "晚于今天" in reasons[11]
    assert "注册资本" in reasons[12]
    assert set(Enterprise.objects.values_list("uscc", flat=True)) == {uscc(1)}
    assert Enterprise.objects.get(uscc=uscc(1)).name == "上海唐创1信息科技有限公司"


def test_unreadable_choices_become_warnings_not_rejections():
    report = import_enterprises(enterprise_file(row(1, status="状态不明", industry="高端制造", capital="50万美元")))
    outcome = report.outcomes[0]
    assert outcome.action == Action.CREATE
    assert "登记状态" in outcome.warnings and "高端制造" in outcome.warnings and "外币" in outcome.warnings
    assert Enterprise.objects.get().registered_capital is None


def test_rows_of_another_town_are_rejected_and_its_records_left_alone():
    other = f.enterprise(jurisdiction=f.town("310115103"), uscc=uscc(3), name="川沙的企业")
    header = [*ENTERPRISE_HEADER, "所属街镇"]
    source = xlsx(
        [
            header,
            [*row(1), "唐镇"],
            [*row(2), "川沙新镇"],
            [*row(3), ""],
            [*row(4, address="上海市浦东新区川沙新镇华夏东路1号"), ""],
            [*row(5), "火星镇"],
        ]
    )
    outcomes = by_row(import_enterprises(source))
    assert outcomes[2].action == Action.CREATE
    assert "属于川沙新镇，不属于本次导入的唐镇" in outcomes[3].detail
    assert "其他镇（街道）" in outcomes[4].detail
    assert "属于川沙新镇" in outcomes[5].detail
    assert "火星镇" in outcomes[6].detail
    other.refresh_from_db()
    assert other.name == "川沙的企业"
    assert set(Enterprise.objects.values_list("uscc", flat=True)) == {uscc(1), uscc(3)}


def test_a_village_column_places_the_record_in_that_village():
    village = f.village(name="唐镇村")
    source = xlsx([[*ENTERPRISE_HEADER, "村居"], [*row(1), village.name], [*row(2), "不存在的村"]])
    outcomes = by_row(import_enterprises(source))
    assert Enterprise.objects.get(uscc=uscc(1)).jurisdiction == village
    assert Enterprise.objects.get(uscc=uscc(2)).jurisdiction == f.town()
    assert "没有找到" in outcomes[3].warnings


def test_tags_are_added_and_never_removed():
    ecommerce = Tag.objects.create(code="ecommerce", name="电子商务")
    digital = Tag.objects.create(code="digital", name="数字化转型")
    source = xlsx([[*ENTERPRISE_HEADER, "标签"], [*row(1), "电子商务、无人机"]])
    report = import_enterprises(source)
    enterprise = Enterprise.objects.get()
    assert list(enterprise.tags.all()) == [ecommerce]
    assert "无人机" in report.outcomes[0].warnings
    again = import_enterprises(xlsx([[*ENTERPRISE_HEADER, "标签"], [*row(1), "数字化转型"]]))
    assert again.outcomes[0].action == Action.UPDATE and "标签" in again.outcomes[0].detail
    assert set(enterprise.tags.all()) == {ecommerce, digital}
    assert (
        import_enterprises(xlsx([[*ENTERPRISE_HEADER, "标签"], [*row(1), "电子商务"]])).outcomes[0].action
        == Action.UNCHANGED
    )


def test_a_row_the_database_refuses_is_rejected_whole_while_its_batch_is_saved(monkeypatch):
    taken = f.enterprise(uscc=uscc(2), name="已登记")
    audits = AuditEntry.objects.count()
    # As if someone registered uscc(2) between the lookup and the write.
    monkeypatch.setattr(importers.EnterpriseImporter, "existing", lambda self, rows: {})
    outcomes = by_row(import_enterprises(enterprise_file(row(1), row(2), row(3))))
    assert [outcomes[n].action for n in (4, 5, 6)] == ["create", "reject", "create"]
    assert "保存失败" in outcomes[5].detail
    assert Enterprise.objects.count() == 3
    taken.refresh_from_db()
    assert taken.name == "已登记"
    assert AuditEntry.objects.count() == audits + 2


def test_a_csv_in_gbk_with_a_full_width_header_is_imported():
    content = "统一社会信用代码,企业名称,成立日期,参保人数\n" + f"{uscc(1)},上海甲公司,2021.03.05,７人\n"
    report = import_enterprises(io.BytesIO(content.encode("gb18030")))
    assert report.counts["create"] == 1
    assert Enterprise.objects.get().insured_employees == 7


def test_a_file_without_a_header_is_refused_before_anything_is_read():
    with pytest.raises(ImportFileError, match="没有找到可识别的表头"):
        import_enterprises(xlsx([["姓名", "年龄"], ["张三", 30]]))


def test_only_registry_editors_import_and_only_into_their_own_town(desk):
    reviewer = f.user(Role.REVIEWER)
    with pytest.raises(DomainError, match="没有导入名录的权限"):
        import_enterprises(enterprise_file(row(1)), actor=reviewer)
    with pytest.raises(DomainError, match="管辖范围内"):
        import_enterprises(enterprise_file(row(1)), actor=desk, town=f.town("310115103"))
    with pytest.raises(DomainError, match="不是镇"):
        import_enterprises(enterprise_file(row(1)), town=f.district())
    assert Enterprise.objects.count() == 0


def test_without_a_town_each_row_goes_to_the_town_it_names():
    source = xlsx(
        [
            [*ENTERPRISE_HEADER, "所属街镇"],
            [*row(1, address="某路1号"), "唐镇"],
            [*row(2, address="某路2号"), "张江镇"],
            [*row(3, address="上海市浦东新区张江镇某路3号"), ""],
            [*row(4, address="某路4号"), ""],
        ]
    )
    report = run_import(kind="enterprise", source=source, town=None, actor=None, dry_run=False)
    outcomes = by_row(report)
    assert Enterprise.objects.get(uscc=uscc(1)).jurisdiction.code == "310115114"
    assert Enterprise.objects.get(uscc=uscc(2)).jurisdiction.code == "310115125"
    assert Enterprise.objects.get(uscc=uscc(3)).jurisdiction.code == "310115125"  # named in the address
    assert "无法确定所属街镇" in outcomes[5].detail


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="上海银行重庆长乐曾单解行长朝阳科技有限公司（）() ABCabc123-·", max_size=24))
def test_enterprise_pinyin_assembled_from_words_equals_the_registry_spelling(name):
    assert enterprise_pinyin(name) == name_pinyin(name)


# --- people ----------------------------------------------------------------------------------------

PERSON_HEADER = [
    "姓名",
    "公民身份号码",
    "性别",
    "手机号码",
    "户籍性质",
    "常住地址",
    "文化程度",
    "毕业时间",
    "就业状态",
    "重点人群",
    "目前意向",
]


def person_row(n: int, **over) -> list:
    values = {
        "name": f"王{n}",
        "id": compose_id_number("310115", datetime.date(1998, 5, 4), 100 + n * 2 + 1),
        "gender": "男",
        "mobile": f"1391234{n:04d}",
        "hukou": "本市户籍",
        "address": f"浦东新区唐镇唐安路{n}号",
        "education": "大学本科",
        "graduated": "2020.07",
        "status": "登记失业",
        "groups": "高校毕业生、登记失业人员",
        "intent": "有创业意向",
    }
    values.update(over)
    return list(values.values())


def import_people(source, **kwargs):
    kwargs.setdefault("town", f.town())
    return run_import(
        kind="person", source=source, actor=kwargs.pop("actor", None), dry_run=kwargs.pop("dry_run", False), **kwargs
    )


def test_people_are_created_with_identifiers_encrypted_and_values_mapped():
    report = import_people(xlsx([["人员名单"], PERSON_HEADER, person_row(1)]))
    assert report.counts["create"] == 1
    person = Person.objects.get()
    id_number = person_row(1)[1]
    assert person.id_number == id_number and person.id_number_hash == lookup_hash(id_number)
    assert person.mobile == "13912340001" and person.mobile_hash == lookup_hash("13912340001")
    assert (person.birth_date, person.gender) == (datetime.date(1998, 5, 4), "M")
    assert (person.hukou_kind, person.education, person.employment_status) == (
        "local",
        "bachelor",
        "unemployed_registered",
    )
    assert person.graduation_date == datetime.date(2020, 7, 1)
    assert person.entrepreneurial_intent is True
    assert person.name_pinyin == name_pinyin("王1", surname=True)
    assert sorted(PersonGroup.objects.values_list("group", flat=True)) == ["graduate", "registered_unemployed"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM registry_person")
        stored = cursor.fetchone()
    assert id_number not in stored[0] and "13912340001" not in stored[1]
    assert report.outcomes[0].key == id_number[:6] + "********" + id_number[-4:]


def test_reimporting_people_changes_nothing_and_a_new_mobile_is_findable_by_its_hash():
    data = xlsx([PERSON_HEADER, person_row(1), person_row(2)]).getvalue()
    import_people(io.BytesIO(data))
    assert import_people(io.BytesIO(data)).counts == {"create": 0, "update": 0, "unchanged": 2, "reject": 0}
    report = import_people(xlsx([PERSON_HEADER, person_row(1, mobile="13800001111")]))
    assert report.outcomes[0].action == Action.UPDATE and "手机号" in report.outcomes[0].detail
    assert Person.objects.get(mobile_hash=lookup_hash("13800001111")).name == "王1"
    entry = AuditEntry.objects.filter(action="registry.person.imported").order_by("-id").first()
    assert entry.after == {"mobile": "138****1111"} and entry.before == {"mobile": "139****0001"}


def test_bad_people_rows_are_rejected_with_reasons():
    existing = f.person(name="李四", mobile="13700001234")
    bad_id = person_row(2)[1][:-1] + ("0" if person_row(2)[1][-1] != "0" else "1")
    source = xlsx(
        [
            PERSON_HEADER,
            person_row(1),
            person_row(2, id=bad_id),
            person_row(3, mobile="12345"),
            person_row(4, mobile="13700001234"),
            person_row(5, mobile="13912340001"),
            person_row(6, graduated="2020-13"),
            person_row(
                7,
                mobile="021-58901234",
                hukou="外省市户籍",
                education="研究生",
                status="灵活就业",
                groups="退役军人、外星人",
            ),
        ]
    )
    outcomes = by_row(import_people(source))
    assert outcomes[2].action == Action.CREATE
    assert "校验位" in outcomes[3].detail
    assert "手机号码格式不正确" in outcomes[4].detail
    assert "另一人名下" in outcomes[5].detail
    assert "与第 2 行的另一人相同" in outcomes[6].detail
    assert "毕业时间" in outcomes[7].detail
    assert outcomes[8].action == Action.CREATE
    assert "固定电话" in outcomes[8].warnings and "居住证" in outcomes[8].warnings and "外星人" in outcomes[8].warnings
    person = Person.objects.get(id_number_hash=lookup_hash(person_row(7)[1]))
    assert (person.mobile, person.hukou_kind, person.education) == ("", "", "master")
    assert PersonGroup.objects.filter(person=person).get().group == "veteran"
    existing.refresh_from_db()
    assert existing.name == "李四"
    assert Person.objects.count() == 3


def test_a_gender_column_that_disagrees_with_the_id_number_is_a_warning():
    report = import_people(xlsx([PERSON_HEADER, person_row(1, gender="女")]))
    assert "以身份证号码为准" in report.outcomes[0].warnings
    assert Person.objects.get().gender == "M"


# --- the job and the command --------------------------------------------------------------------


def test_the_import_job_runs_the_dry_run_then_the_import_with_a_downloadable_report(
    desk, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from chuangfu.core.jobs import job_start
    from chuangfu.core.models import Job

    data = enterprise_file(row(1), row(2, founded="2021-02-30")).getvalue()
    for dry_run in (True, False):
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(
                kind="registry.import",
                title="导入",
                actor=desk,
                jurisdiction=f.town(),
                params={"kind": "enterprise", "town": "310115114", "dry_run": dry_run, "filename": "名录.xlsx"},
                input_file=ContentFile(data, name="名录.xlsx"),
            )
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.message
        assert job.result["counts"] == {"create": 1, "update": 0, "unchanged": 0, "reject": 1}
        assert Enterprise.objects.count() == (0 if dry_run else 1)
    rows = list(load_workbook(job.output_file.open("rb")).active.values)
    assert rows[0][:3] == ("行号", "结果", "统一社会信用代码")
    assert rows[1][:2] == (4, "新增") and rows[2][:2] == (5, "拒绝")
    entry = AuditEntry.objects.get(action="registry.enterprise.imported")
    assert f"任务 #{job.pk}" in entry.note and entry.actor == desk


def test_the_command_prints_counts_and_rejections_and_writes_the_report(tmp_path, capsys):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(enterprise_file(row(1), row(2, founded="2021-02-30")).getvalue())
    report_path = tmp_path / "报告.xlsx"
    call_command("import_registry", str(path), "--kind", "enterprise", "--town", "310115114", "--dry-run")
    assert "试导入：新增 1，更新 0，未变化 0，拒绝 1" in capsys.readouterr().out
    assert Enterprise.objects.count() == 0
    call_command("import_registry", str(path), kind="enterprise", town="310115114", report=report_path)
    captured = capsys.readouterr()
    assert "导入完成：新增 1" in captured.out and "第 5 行" in captured.err and "2 月没有 30 日" in captured.err
    assert Enterprise.objects.count() == 1
    assert len(list(load_workbook(report_path).active.values)) == 3


def test_the_command_refuses_an_unknown_town_and_an_unreadable_file(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(CommandError, match="没有区划代码为 999"):
        call_command("import_registry", str(path), kind="enterprise", town="999")
    with pytest.raises(CommandError, match="PNG"):
        call_command("import_registry", str(path), kind="enterprise", town="310115114")


def _benchmark_module():
    spec = importlib.util.spec_from_file_location(
        "bench_import", Path(__file__).parents[2] / "benchmarks" / "import.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_file_imports_every_row_once_and_again_changes_nothing(tmp_path):
    bench = _benchmark_module()
    path = tmp_path / "bench.xlsx"
    bench.generate(path, 200)
    first = import_enterprises(path)
    assert first.counts == {"create": 200, "update": 0, "unchanged": 0, "reject": 0}, first.as_result(5)["rejected"]
    assert Enterprise.objects.count() == 200
    assert AuditEntry.objects.filter(action="registry.enterprise.imported").count() == 200
    assert import_enterprises(path).counts == {"create": 0, "update": 0, "unchanged": 200, "reject": 0}


def test_a_road_named_after_a_town_does_not_place_the_row_in_that_town():
    zhangjiang = f.town("310115125")
    source = xlsx([ENTERPRISE_HEADER, row(1, address="上海市浦东新区唐镇路1号")])
    report = run_import(kind="enterprise", source=source, town=zhangjiang, actor=None, dry_run=False)
    assert report.outcomes[0].action == Action.CREATE
    assert Enterprise.objects.get().jurisdiction == zhangjiang
