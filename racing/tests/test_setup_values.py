"""The abstract SetupValues model and the PARAMS table describe the same 24 parameters."""

from decimal import Decimal

import pytest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string

from racing.models import BaselineVersion, RaceDay
from racing.setup_params import BY_FIELD, COMMON_FIELDS, DECIMAL, INT, PARAMS, TEXT, display_groups
from racing.setup_values import SetupValues

KINDS = {INT: models.IntegerField, DECIMAL: models.DecimalField, TEXT: models.CharField}
FIELDS = {f.name: f for f in SetupValues._meta.get_fields()}


def test_the_model_has_exactly_the_parameters_in_their_order():
    assert list(FIELDS) == [p.field for p in PARAMS]


@pytest.mark.parametrize("param", PARAMS, ids=lambda p: p.field)
def test_each_field_has_the_parameters_kind_label_and_blank_meaning_not_set(param):
    field = FIELDS[param.field]
    assert type(field) is KINDS[param.kind]
    assert field.verbose_name == param.label
    assert field.blank
    if param.kind == TEXT:
        assert (field.null, field.default, field.max_length) == (False, "", param.max_length)
    else:
        assert field.null
        assert field.help_text == param.range_text()
    if param.kind == DECIMAL:
        assert (field.max_digits, field.decimal_places) == (6, 2)


@pytest.mark.parametrize("param", [p for p in PARAMS if p.is_numeric], ids=lambda p: p.field)
def test_each_numeric_field_validates_the_parameters_range(param):
    field = FIELDS[param.field]
    assert field.validators[:2] == [MinValueValidator(param.min), MaxValueValidator(param.max)]
    assert isinstance(param.min, Decimal if param.kind == DECIMAL else int)


@pytest.mark.parametrize("model", [BaselineVersion, RaceDay])
def test_every_numeric_parameter_has_its_range_check_constraint(model):
    checks = {
        c.name: c.condition
        for c in model._meta.constraints
        if isinstance(c, models.CheckConstraint) and c.name.endswith("_range")
    }
    label = f"{model._meta.app_label}_{model._meta.model_name}"
    assert checks == {
        f"{label}_{p.field}_range": Q(**{f"{p.field}__isnull": True})
        | Q(**{f"{p.field}__gte": p.min, f"{p.field}__lte": p.max})
        for p in PARAMS
        if p.is_numeric
    }


@pytest.mark.parametrize("param", PARAMS, ids=lambda p: p.field)
def test_each_numeric_parameter_has_a_step_the_form_field_can_hold(param):
    """The race day's −/+ steppers move by ``step``: a value it gives must pass the field."""
    if param.kind == TEXT:
        assert param.step is None
        return
    low, high = param.bounds
    assert param.step is not None and 0 < param.step < high - low
    assert isinstance(param.step, Decimal if param.kind == DECIMAL else int)
    # One step up from the minimum is a value the parameter's own form field accepts.
    assert param.parse(str(low + param.step)) == low + param.step


def test_the_common_parameters_are_numeric_parameters_with_a_step():
    assert len(set(COMMON_FIELDS)) == len(COMMON_FIELDS)
    assert all(BY_FIELD[name].step is not None for name in COMMON_FIELDS)


def test_the_setup_table_shows_each_setups_own_values_though_its_markup_is_kept():
    """racing/_setup_table.html is kept per process under the rows it shows ({% memo groups %})."""
    soft, hard = RaceDay(df=1000, so_f="25.5"), RaceDay(df=7000, so_f="")
    for _ in range(2):  # the second time from the kept markup
        soft_html = render_to_string("racing/_setup_table.html", {"groups": display_groups(soft)})
        hard_html = render_to_string("racing/_setup_table.html", {"groups": display_groups(hard)})
        assert 'data-param="df" data-value="1000"' in soft_html and 'data-value="7000"' not in soft_html
        assert 'data-param="df" data-value="7000"' in hard_html and 'data-value="1000"' not in hard_html
        assert 'data-param="so_f" data-value=""><span class="muted">not set</span>' in hard_html
    assert (
        render_to_string("racing/_setup_table.html", {"groups": []}).strip()
        == '<div class="setup-groups">\n\n</div>'
    )
