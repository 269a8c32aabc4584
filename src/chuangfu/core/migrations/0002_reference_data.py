"""Reference data every deployment needs: Pudong and its towns, and the working-day calendar."""
from django.db import migrations

PUDONG = ("310115", "浦东新区")
TOWNS = [
    ("310115114", "唐镇"),
    ("310115125", "张江镇"),
    ("310115103", "川沙新镇"),
    ("310115110", "合庆镇"),
    ("310115117", "曹路镇"),
    ("310115120", "金桥镇"),
]


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("core", "Jurisdiction")
    district, _ = Jurisdiction.objects.get_or_create(
        code=PUDONG[0], defaults={"name": PUDONG[1], "level": "district", "path": PUDONG[0]}
    )
    for code, name in TOWNS:
        Jurisdiction.objects.get_or_create(
            code=code, defaults={"name": name, "level": "town", "parent": district, "path": f"{PUDONG[0]}/{code}"}
        )
    from chuangfu.core.workdays import sync_from_package

    sync_from_package(apps.get_model("core", "CalendarDay"), apps.get_model("core", "CalendarYear"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
