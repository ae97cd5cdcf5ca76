"""How every form renders: through the project's templates, one template per field.

``{{ form }}`` writes non-field errors, then each field through
``templates/forms/field.html`` (``{{ form.field.as_field_group }}`` writes
one): label, input, help text and errors, with ``aria-describedby`` linking
the input to its help text and errors. Widget attributes (input modes,
placeholders, htmx attributes) belong in the form classes, not templates.

Django's own templates for inputs, selects and their options, radio
buttons and checkboxes, text areas, labels and error lists are small and rendered thousands of times a page (a select of
40 tracks is 40 template includes): while nothing overrides them, the
renderer writes the same markup in Python, escaped the same way. A project
template of the same name (``templates/django/forms/...``) takes over again.
"""

import hashlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import django
from django import forms
from django.core.signals import setting_changed
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

_DJANGO_FORMS_TEMPLATES = Path(django.__file__).resolve().parent / "forms" / "templates"


def _text(value: object) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, always escaped."""
    return escape("%s" % (value,))  # noqa: UP031  (stringformat's own formatting)


def _value(value: object) -> str:
    """``{{ value }}``: text, escaped unless already safe."""
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """django/forms/widgets/attrs.html (and django/forms/attrs.html, whose attrs may be None)."""
    out = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        out.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{_text(value)}"'
        )
    return "".join(out)


def _input(context: Mapping[str, Any]) -> str | None:
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _option(option: Mapping[str, Any]) -> str:
    label = conditional_escape(option["label"])
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{label}</option>'


def _select(context: Mapping[str, Any]) -> str | None:
    widget = context["widget"]
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None  # a widget with its own option template: the templates render it
            out.append(f"\n  {_option(option)}\n")  # the option template ends with a line break
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


_OPTION_TEMPLATES = frozenset(
    ("django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html")
)
_MULTIPLE_INPUT_TEMPLATES = (
    "django/forms/widgets/multiple_input.html",
    "django/forms/widgets/input_option.html",
    "django/forms/widgets/input.html",
    "django/forms/widgets/attrs.html",
)


def _multiple_input(context: Mapping[str, Any]) -> str | None:
    """radio.html and checkbox_select.html: multiple_input.html with an input_option.html per choice."""
    if not all(_is_djangos_own(name) for name in _MULTIPLE_INPUT_TEMPLATES):
        return None
    widget = context["widget"]
    attrs = widget["attrs"]
    ident = f' id="{_value(attrs["id"])}"' if attrs.get("id") else ""
    kind = f' class="{_value(attrs["class"])}"' if attrs.get("class") else ""
    out = [f"<div{ident}{kind}>"]
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_value(group)}</label>")
        for option in options:
            template = option["template_name"]
            if template not in _OPTION_TEMPLATES or not _is_djangos_own(template):
                return None
            # Each include keeps its template's closing line break.
            html = f"{_input({'widget': option})}\n"
            if option["wrap_label"]:
                option_id = option["attrs"].get("id")
                label_for = f' for="{_value(option_id)}"' if option_id else ""
                html = f"<label{label_for}>{html} {_value(option['label'])}</label>"
            out.append(f"<div>\n    {html}\n\n</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>")
    return "".join(out)


def _textarea(context: Mapping[str, Any]) -> str | None:
    if not _is_djangos_own("django/forms/widgets/attrs.html"):
        return None
    widget = context["widget"]
    value = _value(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _label(context: Mapping[str, Any]) -> str | None:
    if not context["use_tag"]:
        return str(conditional_escape(context["label"]))
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{conditional_escape(context['label'])}</{tag}>"


def _error_list(context: Mapping[str, Any]) -> str | None:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    ident = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{ident}>{items}</ul>'


_IN_PYTHON: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in ("color", "date", "datetime", "email", "hidden", "number", "password")
        + ("search", "tel", "text", "time", "url", "input")
    },
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
}
_django_owns: dict[str, bool] = {}


def _field(context: Mapping[str, Any]) -> str | None:
    """templates/forms/field.html, written out (every field of every form goes through it)."""
    field = context["field"]
    errors = field.errors
    checkbox = field.widget_type == "checkbox"
    use_fieldset = field.use_fieldset
    out = [f'<div class="form-row{" has-error" if errors else ""}{" check-row" if checkbox else ""}">']
    if checkbox:
        out.append(f'{_value(field)} <label for="{_value(field.id_for_label)}">{_value(field.label)}</label>')
    elif use_fieldset:
        described_by = field.aria_describedby
        out.append(f'<fieldset aria-describedby="{_value(described_by)}">' if described_by else "<fieldset>")
        if field.label:
            out.append(_value(field.legend_tag()))
    elif field.label:
        out.append(_value(field.label_tag()))
    if not checkbox:
        out.append(_value(field))
    if field.help_text:
        out.append(f'<div class="help" id="{_value(field.auto_id)}_helptext">{_value(field.help_text)}</div>')
    out.append(_value(errors))
    if use_fieldset:
        out.append("</fieldset>")
    out.append("</div>")
    return "".join(out)


# The project's own templates written in Python, each while the template is
# the one the writer was written from (its SHA-256): an edited template
# renders itself at once, and test_form_renderer fails until the writer
# follows it.
_PROJECT_IN_PYTHON: dict[str, tuple[Callable[[Mapping[str, Any]], str | None], str]] = {
    "forms/field.html": (_field, "a47f1a53c2a71b26f30c548eecdc1415317c860ba764d808286b48bfbaaed19a"),
}
_project_unchanged: dict[str, bool] = {}


def _template_source_sha(template_name: str) -> str | None:
    origin = getattr(get_template(template_name), "origin", None)
    if origin is None or not Path(origin.name).is_file():
        return None
    return hashlib.sha256(Path(origin.name).read_bytes()).hexdigest()


def _is_unchanged(template_name: str, sha: str) -> bool:
    unchanged = _project_unchanged.get(template_name)
    if unchanged is None:
        unchanged = _project_unchanged[template_name] = _template_source_sha(template_name) == sha
    return unchanged


def _is_djangos_own(template_name: str) -> bool:
    """Whether the template found for this name is Django's (nothing in the project overrides it)."""
    owned = _django_owns.get(template_name)
    if owned is None:
        # Django's template backend names where it found the template; any
        # other engine's template is left to render itself.
        origin = getattr(get_template(template_name), "origin", None)
        found = Path(origin.name).resolve() if origin is not None else None
        owned = _django_owns[template_name] = found is not None and found.is_relative_to(
            _DJANGO_FORMS_TEMPLATES
        )
    return owned


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in ("TEMPLATES", "FORM_RENDERER"):
        _django_owns.clear()
        _project_unchanged.clear()


setting_changed.connect(_forget, dispatch_uid="apex-forms-forget")


class ApexFormRenderer(TemplatesSetting):
    """Django's template-based renderer with the project's form and field templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> SafeString:
        write = _IN_PYTHON.get(template_name)
        if write is not None and _is_djangos_own(template_name):
            html = write(context)
            if html is not None:
                return mark_safe(html.strip())  # noqa: S308  (every value above is escaped)
        own = _PROJECT_IN_PYTHON.get(template_name)
        if own is not None and _is_unchanged(template_name, own[1]):
            html = own[0](context)
            if html is not None:
                return mark_safe(html)  # noqa: S308  (every value above is escaped; Django strips a template's output)
        return mark_safe(super().render(template_name, context, request))  # noqa: S308  (a template's output)


class _OneQueryChoices(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():  # all(): a fresh query each render, as Django's does
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with its options read by one plain query.

    Django's ``ModelChoiceIterator`` reads them through ``queryset.iterator()``,
    which on PostgreSQL is a server-side cursor: DECLARE, FETCH and CLOSE,
    three round trips for a select of a few rows on every render. Use this
    one in the project's forms.
    """

    iterator: type[ModelChoiceIterator] = _OneQueryChoices
