"""The 24 setup parameters as an abstract model, one field each.

Baselines, race days and library setups all carry a whole setup.
``racing.setup_params.PARAMS`` describes the same parameters for forms, CSV
files and diffs (group, unit, range);
racing/tests/test_setup_values.py checks that the two agree.
"""

from decimal import Decimal as D

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from racing.setup_params import PARAMS, Value, values_of


def between(low: int | D, high: int | D) -> list[MinValueValidator | MaxValueValidator]:
    return [MinValueValidator(low), MaxValueValidator(high)]


class SetupValues(models.Model):
    """A whole setup, in the legacy CSV's column order; blank is "not set" (NULL or "")."""

    df = models.IntegerField(
        "Front diff oil",
        null=True,
        blank=True,
        validators=between(100, 1_000_000),
        help_text="100 – 1,000,000 cSt",
    )
    dc = models.IntegerField(
        "Centre diff oil",
        null=True,
        blank=True,
        validators=between(100, 1_000_000),
        help_text="100 – 1,000,000 cSt",
    )
    dr = models.IntegerField(
        "Rear diff oil",
        null=True,
        blank=True,
        validators=between(100, 1_000_000),
        help_text="100 – 1,000,000 cSt",
    )
    so_f = models.IntegerField(
        "Front shock oil", null=True, blank=True, validators=between(50, 5_000), help_text="50 – 5,000 cSt"
    )
    so_r = models.IntegerField(
        "Rear shock oil", null=True, blank=True, validators=between(50, 5_000), help_text="50 – 5,000 cSt"
    )
    sp_f = models.CharField("Front spring", max_length=40, blank=True, default="")
    sp_r = models.CharField("Rear spring", max_length=40, blank=True, default="")
    sb_f = models.DecimalField(
        "Front sway bar",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(D("0"), D("5")),
        help_text="0 – 5 mm",
    )
    sb_r = models.DecimalField(
        "Rear sway bar",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(D("0"), D("5")),
        help_text="0 – 5 mm",
    )
    p_f = models.CharField("Front shock piston", max_length=40, blank=True, default="")
    p_r = models.CharField("Rear shock piston", max_length=40, blank=True, default="")
    toe_o = models.DecimalField(
        "Front toe-out",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(D("-5"), D("5")),
        help_text="-5 – 5 °",
    )
    rh_f = models.DecimalField(
        "Front ride height",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(D("10"), D("60")),
        help_text="10 – 60 mm",
    )
    rh_r = models.DecimalField(
        "Rear ride height",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(D("10"), D("60")),
        help_text="10 – 60 mm",
    )
    c_f = models.DecimalField(
        "Front camber",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(D("-6"), D("3")),
        help_text="-6 – 3 °",
    )
    c_r = models.DecimalField(
        "Rear camber",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(D("-6"), D("3")),
        help_text="-6 – 3 °",
    )
    st_f = models.IntegerField(
        "Front shock tower hole", null=True, blank=True, validators=between(1, 10), help_text="1 – 10"
    )
    st_r = models.IntegerField(
        "Rear shock tower hole", null=True, blank=True, validators=between(1, 10), help_text="1 – 10"
    )
    tread = models.CharField("Tyre tread", max_length=40, blank=True, default="")
    compound = models.CharField("Tyre compound", max_length=40, blank=True, default="")
    venturi = models.DecimalField(
        "Carburettor venturi",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(D("4"), D("12")),
        help_text="4 – 12 mm",
    )
    pipe = models.CharField("Exhaust pipe", max_length=40, blank=True, default="")
    clutch = models.CharField("Clutch shoes / springs", max_length=60, blank=True, default="")
    bell = models.IntegerField(
        "Clutch bell", null=True, blank=True, validators=between(10, 20), help_text="10 – 20 teeth"
    )

    class Meta:
        abstract = True
        # "<app>_<model>_<field>_range" for every numeric parameter, so no
        # write path can store a value the forms would refuse.
        constraints = [p.check_constraint() for p in PARAMS if p.is_numeric]

    def setup_values(self) -> dict[str, Value]:
        """The 24 values keyed by field name."""
        return values_of(self)
