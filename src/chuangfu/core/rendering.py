"""The project's form renderer (``FORM_RENDERER``): one field template and one place that gives each
widget its Bootstrap class, so no form or template styles its fields by hand.

``{{ form.name.as_field_group }}`` renders a field with its label, required mark, errors and help;
``{{ form.name }}`` renders the widget alone, styled the same way. A field can carry
``show_required`` (checked by a service, marked on the page) and ``options_class`` (how radio or
checkbox options are laid out).
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


def widget_class(widget) -> str:
    """The Bootstrap class of a widget's ``<input>``/``<select>``/``<textarea>``."""
    if isinstance(widget, forms.HiddenInput):
        return ""
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select"
    return "form-control"


class StyledBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        wanted = [widget_class(widget)]
        if self.form.is_bound and self.errors:
            wanted.append("is-invalid")
            attrs.setdefault("aria-invalid", "true")
        # The widget's own class (``form-control-lg cf-code``) stays; extra attrs would replace it.
        classes = (attrs.get("class") or widget.attrs.get("class") or "").split()
        classes += [c for c in wanted if c and c not in classes]
        if classes:
            attrs["class"] = " ".join(classes)
        return attrs


class FormRenderer(DjangoTemplates):
    field_template_name = "core/forms/field.html"
    bound_field_class = StyledBoundField
