"""The renderer writes Django's input, select, label and error-list markup in Python: the same HTML as the templates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.test import override_settings

from apex import forms as apex_forms

HOSTILE = '<b>"Tom & Jerry\'s"</b>'


class EveryWidget(forms.Form):
    name = forms.CharField(
        max_length=20, help_text="Your name", widget=forms.TextInput(attrs={"autofocus": True})
    )
    count = forms.IntegerField(min_value=0, max_value=9, widget=forms.NumberInput(attrs={"disabled": False}))
    size = forms.DecimalField(max_digits=5, decimal_places=2, required=False)
    email = forms.EmailField(required=False)
    when = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    site = forms.URLField(required=False)
    q = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "data-x": HOSTILE}), required=False)
    track = forms.ChoiceField(
        choices=[("", "All tracks"), ("Genk", "Genk"), (HOSTILE, HOSTILE)], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("Oils", [("df", "Front diff"), ("dr", "Rear diff")]), ("Other", [("toe", "Toe <out>")])],
        label=HOSTILE,
    )
    kind = forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int, required=False)
    agree = forms.BooleanField(required=False, help_text=HOSTILE)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    status = forms.ChoiceField(
        choices=[("planned", "Planned"), ("kept", HOSTILE)], widget=forms.RadioSelect, help_text="Pick one"
    )
    tags = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False, label=""
    )


def _both(render) -> tuple[str, str]:
    """(rendered in Python, rendered by the templates)."""
    apex_forms._django_owns.clear()
    apex_forms._project_unchanged.clear()
    fast = render()
    saved, saved_own = dict(apex_forms._IN_PYTHON), dict(apex_forms._PROJECT_IN_PYTHON)
    apex_forms._IN_PYTHON.clear()
    apex_forms._PROJECT_IN_PYTHON.clear()
    try:
        slow = render()
    finally:
        apex_forms._IN_PYTHON.update(saved)
        apex_forms._PROJECT_IN_PYTHON.update(saved_own)
    return fast, slow


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "name": HOSTILE,
            "count": "12",
            "size": "1.5",
            "email": "x",
            "track": HOSTILE,
            "grouped": "dr",
            "kind": "2",
        },
        {"name": "", "count": "abc", "track": "nope", "grouped": ""},
    ],
)
def test_every_widget_renders_as_the_templates_render_it(data):
    initial = {"size": Decimal("2.40"), "when": datetime.datetime(2025, 5, 4, 10, 30), "token": HOSTILE}
    fast, slow = _both(lambda: str(EveryWidget(data, initial=initial)))
    assert fast == slow
    if data:
        assert 'class="errorlist"' in fast


def test_the_project_forms_render_as_the_templates_render_them(user):
    from racing.forms import BaselineForm, TrackLogFilterForm
    from racing.tests.factories import make_vehicle, racer_of

    racer = racer_of(user)
    make_vehicle(racer, brand=HOSTILE)
    for render in (
        lambda: str(BaselineForm({"df": "-1", "sp_f": HOSTILE, "based_on": "0"})),
        lambda: str(TrackLogFilterForm({"track": "Genk"}, racer=racer, tracks=["Genk", HOSTILE])),
    ):
        fast, slow = _both(render)
        assert fast == slow


def test_labels_with_and_without_attributes_render_as_the_templates_render_them():
    form = EveryWidget()
    for render in (
        lambda: form["name"].label_tag(),
        lambda: form["name"].label_tag(attrs={"class": "x"}, label_suffix=":"),
        lambda: form["grouped"].legend_tag(),
        lambda: EveryWidget(auto_id=False)["name"].label_tag(),
    ):
        fast, slow = _both(render)
        assert fast == slow


def test_a_project_template_of_the_same_name_takes_over(tmp_path, settings):
    widgets = tmp_path / "django" / "forms" / "widgets"
    widgets.mkdir(parents=True)
    (widgets / "text.html").write_text('<input class="mine" name="{{ widget.name }}">')
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        html = str(EveryWidget()["name"])
    assert html == '<input class="mine" name="name">'
    assert 'class="mine"' not in str(EveryWidget()["name"])


def test_every_field_is_written_as_the_field_template_writes_it(user):
    """Fields with and without labels, help, errors, fieldsets and checkboxes, one by one."""
    for data in (None, {"name": "", "count": "abc", "status": "nope", "agree": "on"}):
        form = EveryWidget(data)
        for name in form.fields:
            fast, slow = _both(lambda name=name: form[name].as_field_group())
            assert fast == slow, name
    without_ids = EveryWidget(auto_id=False)
    fast, slow = _both(lambda: without_ids["status"].as_field_group() + without_ids["agree"].as_field_group())
    assert fast == slow


def test_the_field_writer_follows_the_field_template(tmp_path, settings):
    """An edited forms/field.html renders itself; the writer is for the template it was written from."""
    assert (
        apex_forms._template_source_sha("forms/field.html")
        == apex_forms._PROJECT_IN_PYTHON["forms/field.html"][1]
    )
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "field.html").write_text('<p class="mine">{{ field.label }}</p>')
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        assert EveryWidget()["name"].as_field_group() == '<p class="mine">Name</p>'
    assert 'class="mine"' not in EveryWidget()["name"].as_field_group()


def test_a_project_option_template_takes_over_the_radio_buttons(tmp_path, settings):
    widgets = tmp_path / "django" / "forms" / "widgets"
    widgets.mkdir(parents=True)
    (widgets / "input_option.html").write_text('<span class="mine">{{ widget.label }}</span>')
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        assert '<span class="mine">Planned</span>' in str(EveryWidget()["status"])
    assert 'class="mine"' not in str(EveryWidget()["status"])
