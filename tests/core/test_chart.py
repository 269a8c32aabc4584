"""The one chart component: data by json_script, drawn by core/charts.js, used by every figures page."""

from pathlib import Path

from django.template.loader import render_to_string

import chuangfu

SRC = Path(chuangfu.__file__).parent


def test_the_chart_component_sends_its_data_by_json_script_not_inline_code():
    html = render_to_string(
        "core/_chart.html",
        {
            "chart": {"title": "按时办结率", "unit": "%", "labels": ["市场监管所</script>"], "values": [80]},
            "chart_id": "c",
        },
    )
    assert 'id="c" data-chart="c-data"' in html and 'aria-label="按时办结率"' in html
    assert '<script id="c-data" type="application/json">' in html
    assert '</script>"' not in html and "\\u003C/script\\u003E" in html  # a label cannot close the script
    assert "core/charts.js" in html and "echarts.init" not in html


def test_no_chart_without_data():
    assert render_to_string("core/_chart.html", {"chart": {"labels": [], "values": []}, "chart_id": "c"}).strip() == ""


def test_every_chart_in_the_templates_is_the_component():
    drawn_inline = [
        str(p.relative_to(SRC)) for p in SRC.rglob("templates/**/*.html") if "echarts.init" in p.read_text("utf-8")
    ]
    assert drawn_inline == []
    users = {str(p.relative_to(SRC)) for p in SRC.rglob("*.html") if '"core/_chart.html"' in p.read_text("utf-8")}
    assert {"desk/templates/desk/figures.html", "subsidies/templates/subsidies/reports/figures.html"} <= users
