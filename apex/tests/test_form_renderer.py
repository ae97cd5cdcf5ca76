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
    agree = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)


def _both(render) -> tuple[str, str]:
    """(rendered in Python, rendered by the templates)."""
    apex_forms._django_owns.clear()
    fast = render()
    saved = dict(apex_forms._IN_PYTHON)
    apex_forms._IN_PYTHON.clear()
    try:
        slow = render()
    finally:
        apex_forms._IN_PYTHON.update(saved)
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
