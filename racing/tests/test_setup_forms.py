from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from racing.forms import BaselineForm
from racing.setup_params import BY_FIELD, PARAMS


def _form(**values):
    data = {p.field: "" for p in PARAMS}
    data.update(values)
    return BaselineForm({**data, "based_on": "0", "note": ""})


def test_every_parameter_is_a_field_in_its_group():
    form = _form()
    groups = form.setup_groups()
    assert [label for label, _ in groups] == ["Diffs", "Shocks", "Geometry", "Tyres", "Engine"]
    assert sum(len(fields) for _, fields in groups) == 24


def test_blank_is_not_set():
    form = _form()
    assert form.is_valid()
    values = form.setup_values()
    assert values["df"] is None and values["sp_f"] == ""


def test_range_errors_name_the_parameter_and_unit():
    form = _form(rh_f="70", st_f="0")
    assert not form.is_valid()
    assert form.errors["rh_f"] == ["Front ride height must be 10 – 60 mm."]
    assert form.errors["st_f"] == ["Front shock tower hole must be 1 – 10."]


def test_phone_keyboards():
    form = _form()
    assert form["df"].field.widget.attrs["inputmode"] == "numeric"
    assert form["rh_f"].field.widget.attrs["inputmode"] == "decimal"
    # Signed values keep a keyboard with a minus key.
    assert "inputmode" not in form["c_f"].field.widget.attrs


def test_parse_turns_text_into_typed_values():
    assert BY_FIELD["c_f"].parse("-2") == Decimal("-2")
    assert BY_FIELD["df"].parse("") is None
    with pytest.raises(ValidationError):
        BY_FIELD["df"].parse("lots")


def test_decimal_inputs_show_values_as_people_write_them():
    form = BaselineForm(initial={"rh_f": Decimal("27.00"), "sb_f": Decimal("2.40"), "c_f": Decimal("-1.50")})
    html = str(form["rh_f"]) + str(form["sb_f"]) + str(form["c_f"])
    assert 'value="27"' in html and 'value="2.4"' in html and 'value="-1.5"' in html
    assert ".00" not in html and "2.40" not in html
