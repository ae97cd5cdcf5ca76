"""The 24 setup parameters, defined once.

This table drives the forms (grouped, with units and range errors), the
admin, the legacy CSV import/export and the diffs; the model fields are
written out in ``racing.setup_values``, and a test checks that the two
agree. Blank means "not set" everywhere: NULL for numbers, "" for text.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldOpts

    from racing.setup_values import SetupValues

INT, DECIMAL, TEXT = "int", "decimal", "text"

# A parameter's value as stored (NULL or "" when not set) or as typed.
Value = Decimal | int | str | None

GROUPS = [
    ("diffs", "Diffs"),
    ("shocks", "Shocks"),
    ("geometry", "Geometry"),
    ("tyres", "Tyres"),
    ("engine", "Engine"),
]


@dataclass(frozen=True)
class SetupParam:
    code: str  # the legacy CSV column
    label: str
    kind: str  # INT, DECIMAL or TEXT
    group: str
    unit: str = ""
    min: Decimal | int | None = None
    max: Decimal | int | None = None
    max_length: int = 40
    # One sensible move of a numeric parameter: what the race day's −/+ steppers add or take away.
    step: Decimal | int | None = None

    @property
    def field(self) -> str:
        """The model and form field name."""
        return self.code.lower()

    @property
    def is_numeric(self) -> bool:
        return self.kind != TEXT

    @property
    def bounds(self) -> tuple[Decimal | int, Decimal | int]:
        """(min, max) of a numeric parameter."""
        if self.min is None or self.max is None:
            raise ValueError(f"{self.code} has no range: it is a text parameter.")
        return self.min, self.max

    def range_text(self) -> str:
        if self.kind == TEXT:
            return f"up to {self.max_length} characters"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.min:,} – {self.max:,}{unit}"

    def check_constraint(self) -> models.CheckConstraint:
        """The range check of a numeric parameter, named ``<app>_<model>_<field>_range``."""
        low, high = self.bounds
        return models.CheckConstraint(
            condition=Q(**{f"{self.field}__isnull": True})
            | Q(**{f"{self.field}__gte": low, f"{self.field}__lte": high}),
            name=f"%(app_label)s_%(class)s_{self.field}_range",
            violation_error_message=f"{self.label} must be {self.range_text()}.",
        )

    def form_field(self, *, required: bool = False) -> forms.Field:
        """The form field: blank is "not set", range errors name the unit."""
        if self.kind == TEXT:
            return forms.CharField(
                label=self.label, max_length=self.max_length, required=required, help_text=self.range_text()
            )
        low, high = self.bounds
        out_of_range = f"{self.label} must be {self.range_text()}."
        attrs = {"step": "1" if self.kind == INT else "0.01"}
        # Phones show a digits-only pad for inputmode="numeric"/"decimal";
        # that pad has no minus key, so signed parameters keep the plain
        # number keyboard.
        if low >= 0:
            attrs["inputmode"] = "numeric" if self.kind == INT else "decimal"
        messages = {"min_value": out_of_range, "max_value": out_of_range}
        if self.kind == INT:
            return forms.IntegerField(
                label=self.label,
                required=required,
                min_value=int(low),
                max_value=int(high),
                help_text=self.range_text(),
                error_messages={**messages, "invalid": f"{self.label} must be a whole number."},
                widget=forms.NumberInput(attrs=attrs),
            )
        return forms.DecimalField(
            label=self.label,
            required=required,
            min_value=low,
            max_value=high,
            max_digits=6,
            decimal_places=2,
            help_text=self.range_text(),
            error_messages={**messages, "invalid": f"{self.label} must be a number."},
            widget=DecimalInput(attrs=attrs),
        )

    def parse(self, text: object) -> Value:
        """A typed value from text ("" → not set); raises ``ValidationError``."""
        return self.form_field().clean("" if text is None else str(text).strip())

    def stored(self, value: Value) -> Value:
        """The value as the database keeps it: a text parameter not set is "", never NULL."""
        return "" if value is None and not self.is_numeric else value

    def format(self, value: Value) -> str:
        """A value as a person reads it ("" when not set)."""
        if value is None or value == "":
            return ""
        if self.kind == DECIMAL:
            return format(Decimal(value).normalize(), "f")
        return str(value)


class DecimalInput(forms.NumberInput):
    """A number input that shows 27 and 2.4, not the column's 27.00 and 2.40."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return super().format_value(value)


D = Decimal
PARAMS: tuple[SetupParam, ...] = (
    SetupParam("DF", "Front diff oil", INT, "diffs", "cSt", 100, 1_000_000, step=1000),
    SetupParam("DC", "Centre diff oil", INT, "diffs", "cSt", 100, 1_000_000, step=1000),
    SetupParam("DR", "Rear diff oil", INT, "diffs", "cSt", 100, 1_000_000, step=1000),
    SetupParam("SO_F", "Front shock oil", INT, "shocks", "cSt", 50, 5_000, step=50),
    SetupParam("SO_R", "Rear shock oil", INT, "shocks", "cSt", 50, 5_000, step=50),
    SetupParam("SP_F", "Front spring", TEXT, "shocks"),
    SetupParam("SP_R", "Rear spring", TEXT, "shocks"),
    SetupParam("SB_F", "Front sway bar", DECIMAL, "geometry", "mm", D("0"), D("5"), step=D("0.1")),
    SetupParam("SB_R", "Rear sway bar", DECIMAL, "geometry", "mm", D("0"), D("5"), step=D("0.1")),
    SetupParam("P_F", "Front shock piston", TEXT, "shocks"),
    SetupParam("P_R", "Rear shock piston", TEXT, "shocks"),
    SetupParam("Toe_O", "Front toe-out", DECIMAL, "geometry", "°", D("-5"), D("5"), step=D("0.5")),
    SetupParam("RH_F", "Front ride height", DECIMAL, "geometry", "mm", D("10"), D("60"), step=D("0.5")),
    SetupParam("RH_R", "Rear ride height", DECIMAL, "geometry", "mm", D("10"), D("60"), step=D("0.5")),
    SetupParam("C_F", "Front camber", DECIMAL, "geometry", "°", D("-6"), D("3"), step=D("0.5")),
    SetupParam("C_R", "Rear camber", DECIMAL, "geometry", "°", D("-6"), D("3"), step=D("0.5")),
    SetupParam("ST_F", "Front shock tower hole", INT, "shocks", "", 1, 10, step=1),
    SetupParam("ST_R", "Rear shock tower hole", INT, "shocks", "", 1, 10, step=1),
    SetupParam("Tread", "Tyre tread", TEXT, "tyres"),
    SetupParam("Compound", "Tyre compound", TEXT, "tyres"),
    SetupParam("Venturi", "Carburettor venturi", DECIMAL, "engine", "mm", D("4"), D("12"), step=D("0.5")),
    SetupParam("Pipe", "Exhaust pipe", TEXT, "engine"),
    SetupParam("Clutch", "Clutch shoes / springs", TEXT, "engine", max_length=60),
    SetupParam("Bell", "Clutch bell", INT, "engine", "teeth", 10, 20, step=1),
)
assert len(PARAMS) == 24

# What racers change most at the track: offered first until a racer has changes of their own.
COMMON_FIELDS = ("df", "dr", "so_f", "so_r", "rh_f", "c_f", "toe_o", "sb_f")

BY_CODE = {p.code: p for p in PARAMS}
BY_FIELD = {p.field: p for p in PARAMS}
FIELD_NAMES = [p.field for p in PARAMS]
CSV_COLUMNS = [p.code for p in PARAMS]


def grouped() -> list[tuple[str, str, list[SetupParam]]]:
    return [(key, label, [p for p in PARAMS if p.group == key]) for key, label in GROUPS]


def values_of(obj: "SetupValues") -> dict[str, Value]:
    """The 24 values of any setup-bearing object, keyed by field name."""
    return {p.field: getattr(obj, p.field) for p in PARAMS}


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[SetupParam, Any, Any]]:
    """Only the parameters whose value differs: (param, old, new)."""
    changes = []
    for p in PARAMS:
        a, b = old.get(p.field), new.get(p.field)
        if _norm(p, a) != _norm(p, b):
            changes.append((p, a, b))
    return changes


def _norm(param: SetupParam, value: Value) -> Value:
    if value is None or value == "":
        return None
    if param.kind == DECIMAL:
        return Decimal(value).normalize()
    if param.kind == INT:
        return int(value)
    return str(value)


def display_groups(setup: "SetupValues | None") -> list[tuple[str, list[dict[str, str]]]]:
    """(group label, [row]) for showing one setup (racing/_setup_table.html); [] for none.

    Each row is a dict of the parameter's label, field and unit and the
    value as text: the table shows ~50 rows, and a template reads a dict
    key faster than an attribute or a property.
    """
    if setup is None:
        return []
    values = values_of(setup)
    return [
        (
            label,
            [
                {"label": p.label, "field": p.field, "unit": p.unit, "value": p.format(values[p.field])}
                for p in params
            ],
        )
        for _key, label, params in grouped()
    ]


def admin_fieldsets() -> list[tuple[str, "_FieldOpts"]]:
    """The parameters as admin fieldsets, one per group."""
    return [(label, {"fields": [p.field for p in params]}) for _key, label, params in grouped()]
