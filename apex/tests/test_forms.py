"""Every form renders through the project's field template (apex.forms.ApexFormRenderer)."""

from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.forms.renderers import get_default_renderer
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from apex.forms import ApexFormRenderer, ModelChoiceField
from sims.models import Simulator
from sims.tests.factories import make_simulator


class _Form(forms.Form):
    name = forms.CharField(max_length=5, help_text="Up to five letters.")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


def test_the_project_renderer_is_the_default():
    assert isinstance(get_default_renderer(), ApexFormRenderer)


def test_a_field_group_has_label_input_help_and_errors_linked_for_screen_readers():
    form = _Form({"name": "too long"})
    html = form["name"].as_field_group()
    assert '<label for="id_name">Name:</label>' in html
    assert '<div class="help" id="id_name_helptext">Up to five letters.</div>' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html and 'aria-invalid="true"' in html
    assert '<ul class="errorlist" id="id_name_error">' in html
    assert 'class="form-row has-error"' in html


def test_a_whole_form_writes_every_field_once_and_hidden_ones_without_a_row():
    html = str(_Form())
    assert html.count('class="form-row') == 1
    assert '<input type="hidden" name="hidden" id="id_hidden">' in html


@pytest.mark.parametrize(
    ("name", "helped"),
    [
        ("vehicle_create", "nickname"),
        ("raceday_start", "surface"),
        ("library_create", "df"),
        ("tracklog_create", ""),
    ],
)
def test_racing_and_library_pages_render_fields_through_the_field_template(owner_client, user, name, helped):
    from racing.tests.factories import make_vehicle, racer_of

    make_vehicle(racer_of(user))
    html = owner_client.get(reverse(name)).content.decode()
    assert '<div class="form-row"><label for="id_track">' in html or name == "vehicle_create"
    if helped:
        assert f'aria-describedby="id_{helped}_helptext"' in html
        assert f'<div class="help" id="id_{helped}_helptext">' in html


def test_a_checkbox_sits_before_its_label_on_one_row_without_a_colon():
    class Agree(forms.Form):
        agree = forms.BooleanField(label="Keep me logged in", required=False)

    html = Agree()["agree"].as_field_group()
    assert 'class="form-row check-row"' in html
    assert html.index('type="checkbox"') < html.index('<label for="id_agree">Keep me logged in</label>')
    assert "Keep me logged in:" not in html


class _DjangosChoices(forms.Form):
    simulator = forms.ModelChoiceField(queryset=Simulator.objects.active(), empty_label="Pick one")


class _OurChoices(forms.Form):
    simulator = ModelChoiceField(queryset=Simulator.objects.active(), empty_label="Pick one")


@pytest.mark.django_db
def test_model_choices_render_as_djangos_from_one_plain_query(django_assert_num_queries):
    make_simulator("iracing", "iRacing")
    make_simulator("acc", "ACC")
    expected = str(_DjangosChoices(initial={"simulator": "acc"}))
    with CaptureQueriesContext(connection) as queries:
        html = str(_OurChoices(initial={"simulator": "acc"}))
    assert html == expected
    assert html.index(">ACC<") < html.index(">iRacing<")
    # One SELECT: no server-side cursor (DECLARE, FETCH, CLOSE on PostgreSQL).
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]


@pytest.mark.django_db
def test_model_choices_still_validate_against_the_queryset():
    simulator = make_simulator("iracing", "iRacing")
    assert _OurChoices({"simulator": simulator.pk}).is_valid()
    form = _OurChoices({"simulator": simulator.pk + 1000})
    assert not form.is_valid() and "simulator" in form.errors


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_project_form_uses_the_one_query_model_choice_field():
    autodiscover_modules("forms")  # every installed app's forms module
    project_apps = {app.name for app in apps.get_app_configs() if Path(app.path).parent == settings.BASE_DIR}
    checked = 0
    for form in {*_subclasses(forms.Form), *_subclasses(forms.ModelForm)}:
        module = form.__module__
        # The admin builds its own fields (with its widgets); its pages are not the hot ones.
        if (
            module.split(".")[0] not in project_apps
            or ".tests." in module
            or form.__name__.endswith("AdminForm")
        ):
            continue
        for name, field in form.base_fields.items():
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, forms.ModelMultipleChoiceField
            ):
                checked += 1
                assert isinstance(field, ModelChoiceField), f"{form.__module__}.{form.__name__}.{name}"
    assert checked >= 4  # the directory's, the add form's and two vehicle choices
