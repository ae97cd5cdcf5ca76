"""The setup library moves here from racing, without copying a row.

racing 0005 renamed the table (racing_librarysetup becomes
library_librarysetup, a catalogue change on both databases); this migration
declares the model in the library app's state and renames the range checks
to the names that state declares (racing_librarysetup_df_range becomes
library_librarysetup_df_range, and so on). Nothing here reads or writes rows,
so it takes the same time at 200 or 2,000,000 setups. racing 0006 then drops
the model from racing's state. The PostgreSQL search indexes of racing 0004
belong to the table and come along unchanged.
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from apex.migration_operations import RenameConstraints

RANGE_CHECKED = [
    "df",
    "dc",
    "dr",
    "so_f",
    "so_r",
    "sb_f",
    "sb_r",
    "toe_o",
    "rh_f",
    "rh_r",
    "c_f",
    "c_r",
    "st_f",
    "st_r",
    "venturi",
    "bell",
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("racing", "0005_rename_library_setup_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                RenameConstraints(
                    "library_librarysetup",
                    [
                        (f"racing_librarysetup_{name}_range", f"library_librarysetup_{name}_range")
                        for name in RANGE_CHECKED
                    ],
                ),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="LibrarySetup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "df",
                            models.IntegerField(
                                blank=True,
                                help_text="100 – 1,000,000 cSt",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(100),
                                    django.core.validators.MaxValueValidator(1000000),
                                ],
                                verbose_name="Front diff oil",
                            ),
                        ),
                        (
                            "dc",
                            models.IntegerField(
                                blank=True,
                                help_text="100 – 1,000,000 cSt",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(100),
                                    django.core.validators.MaxValueValidator(1000000),
                                ],
                                verbose_name="Centre diff oil",
                            ),
                        ),
                        (
                            "dr",
                            models.IntegerField(
                                blank=True,
                                help_text="100 – 1,000,000 cSt",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(100),
                                    django.core.validators.MaxValueValidator(1000000),
                                ],
                                verbose_name="Rear diff oil",
                            ),
                        ),
                        (
                            "so_f",
                            models.IntegerField(
                                blank=True,
                                help_text="50 – 5,000 cSt",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(50),
                                    django.core.validators.MaxValueValidator(5000),
                                ],
                                verbose_name="Front shock oil",
                            ),
                        ),
                        (
                            "so_r",
                            models.IntegerField(
                                blank=True,
                                help_text="50 – 5,000 cSt",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(50),
                                    django.core.validators.MaxValueValidator(5000),
                                ],
                                verbose_name="Rear shock oil",
                            ),
                        ),
                        (
                            "sp_f",
                            models.CharField(
                                blank=True, default="", max_length=40, verbose_name="Front spring"
                            ),
                        ),
                        (
                            "sp_r",
                            models.CharField(
                                blank=True, default="", max_length=40, verbose_name="Rear spring"
                            ),
                        ),
                        (
                            "sb_f",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="0 – 5 mm",
                                max_digits=6,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("0")),
                                    django.core.validators.MaxValueValidator(Decimal("5")),
                                ],
                                verbose_name="Front sway bar",
                            ),
                        ),
                        (
                            "sb_r",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="0 – 5 mm",
                                max_digits=6,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("0")),
                                    django.core.validators.MaxValueValidator(Decimal("5")),
                                ],
                                verbose_name="Rear sway bar",
                            ),
                        ),
                        (
                            "p_f",
                            models.CharField(
                                blank=True, default="", max_length=40, verbose_name="Front shock piston"
                            ),
                        ),
                        (
                            "p_r",
                            models.CharField(
                                blank=True, default="", max_length=40, verbose_name="Rear shock piston"
                            ),
                        ),
                        (
                            "toe_o",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="-5 – 5 °",
                                max_digits=6,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("-5")),
                                    django.core.validators.MaxValueValidator(Decimal("5")),
                                ],
                                verbose_name="Front toe-out",
                            ),
                        ),
                        (
                            "rh_f",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="10 – 60 mm",
                                max_digits=6,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("10")),
                                    django.core.validators.MaxValueValidator(Decimal("60")),
                                ],
                                verbose_name="Front ride height",
                            ),
                        ),
                        (
                            "rh_r",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="10 – 60 mm",
                                max_digits=6,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("10")),
                                    django.core.validators.MaxValueValidator(Decimal("60")),
                                ],
                                verbose_name="Rear ride height",
                            ),
                        ),
                        (
                            "c_f",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="-6 – 3 °",
                                max_digits=6,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("-6")),
                                    django.core.validators.MaxValueValidator(Decimal("3")),
                                ],
                                verbose_name="Front camber",
                            ),
                        ),
                        (
                            "c_r",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="-6 – 3 °",
                                max_digits=6,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("-6")),
                                    django.core.validators.MaxValueValidator(Decimal("3")),
                                ],
                                verbose_name="Rear camber",
                            ),
                        ),
                        (
                            "st_f",
                            models.IntegerField(
                                blank=True,
                                help_text="1 – 10",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(10),
                                ],
                                verbose_name="Front shock tower hole",
                            ),
                        ),
                        (
                            "st_r",
                            models.IntegerField(
                                blank=True,
                                help_text="1 – 10",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(10),
                                ],
                                verbose_name="Rear shock tower hole",
                            ),
                        ),
                        (
                            "tread",
                            models.CharField(
                                blank=True, default="", max_length=40, verbose_name="Tyre tread"
                            ),
                        ),
                        (
                            "compound",
                            models.CharField(
                                blank=True, default="", max_length=40, verbose_name="Tyre compound"
                            ),
                        ),
                        (
                            "venturi",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="4 – 12 mm",
                                max_digits=6,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("4")),
                                    django.core.validators.MaxValueValidator(Decimal("12")),
                                ],
                                verbose_name="Carburettor venturi",
                            ),
                        ),
                        (
                            "pipe",
                            models.CharField(
                                blank=True, default="", max_length=40, verbose_name="Exhaust pipe"
                            ),
                        ),
                        (
                            "clutch",
                            models.CharField(
                                blank=True, default="", max_length=60, verbose_name="Clutch shoes / springs"
                            ),
                        ),
                        (
                            "bell",
                            models.IntegerField(
                                blank=True,
                                help_text="10 – 20 teeth",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(10),
                                    django.core.validators.MaxValueValidator(20),
                                ],
                                verbose_name="Clutch bell",
                            ),
                        ),
                        ("track", models.CharField(max_length=120)),
                        ("brand", models.CharField(max_length=60)),
                        ("vehicle", models.CharField(max_length=100)),
                        ("condition", models.CharField(blank=True, max_length=60)),
                        ("date", models.DateField(blank=True, null=True)),
                        ("source", models.CharField(blank=True, max_length=200)),
                        (
                            "import_key",
                            models.CharField(blank=True, default="", editable=False, max_length=64),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "added_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="library_setups",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-date", "-id"],
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["track", "brand", "vehicle"], name="library_track_brand_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("df__isnull", True),
                                    models.Q(("df__gte", 100), ("df__lte", 1000000)),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_df_range",
                                violation_error_message="Front diff oil must be 100 – 1,000,000 cSt.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("dc__isnull", True),
                                    models.Q(("dc__gte", 100), ("dc__lte", 1000000)),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_dc_range",
                                violation_error_message="Centre diff oil must be 100 – 1,000,000 cSt.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("dr__isnull", True),
                                    models.Q(("dr__gte", 100), ("dr__lte", 1000000)),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_dr_range",
                                violation_error_message="Rear diff oil must be 100 – 1,000,000 cSt.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("so_f__isnull", True),
                                    models.Q(("so_f__gte", 50), ("so_f__lte", 5000)),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_so_f_range",
                                violation_error_message="Front shock oil must be 50 – 5,000 cSt.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("so_r__isnull", True),
                                    models.Q(("so_r__gte", 50), ("so_r__lte", 5000)),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_so_r_range",
                                violation_error_message="Rear shock oil must be 50 – 5,000 cSt.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("sb_f__isnull", True),
                                    models.Q(("sb_f__gte", Decimal("0")), ("sb_f__lte", Decimal("5"))),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_sb_f_range",
                                violation_error_message="Front sway bar must be 0 – 5 mm.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("sb_r__isnull", True),
                                    models.Q(("sb_r__gte", Decimal("0")), ("sb_r__lte", Decimal("5"))),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_sb_r_range",
                                violation_error_message="Rear sway bar must be 0 – 5 mm.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("toe_o__isnull", True),
                                    models.Q(("toe_o__gte", Decimal("-5")), ("toe_o__lte", Decimal("5"))),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_toe_o_range",
                                violation_error_message="Front toe-out must be -5 – 5 °.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("rh_f__isnull", True),
                                    models.Q(("rh_f__gte", Decimal("10")), ("rh_f__lte", Decimal("60"))),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_rh_f_range",
                                violation_error_message="Front ride height must be 10 – 60 mm.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("rh_r__isnull", True),
                                    models.Q(("rh_r__gte", Decimal("10")), ("rh_r__lte", Decimal("60"))),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_rh_r_range",
                                violation_error_message="Rear ride height must be 10 – 60 mm.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("c_f__isnull", True),
                                    models.Q(("c_f__gte", Decimal("-6")), ("c_f__lte", Decimal("3"))),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_c_f_range",
                                violation_error_message="Front camber must be -6 – 3 °.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("c_r__isnull", True),
                                    models.Q(("c_r__gte", Decimal("-6")), ("c_r__lte", Decimal("3"))),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_c_r_range",
                                violation_error_message="Rear camber must be -6 – 3 °.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("st_f__isnull", True),
                                    models.Q(("st_f__gte", 1), ("st_f__lte", 10)),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_st_f_range",
                                violation_error_message="Front shock tower hole must be 1 – 10.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("st_r__isnull", True),
                                    models.Q(("st_r__gte", 1), ("st_r__lte", 10)),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_st_r_range",
                                violation_error_message="Rear shock tower hole must be 1 – 10.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("venturi__isnull", True),
                                    models.Q(("venturi__gte", Decimal("4")), ("venturi__lte", Decimal("12"))),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_venturi_range",
                                violation_error_message="Carburettor venturi must be 4 – 12 mm.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("bell__isnull", True),
                                    models.Q(("bell__gte", 10), ("bell__lte", 20)),
                                    _connector="OR",
                                ),
                                name="library_librarysetup_bell_range",
                                violation_error_message="Clutch bell must be 10 – 20 teeth.",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("import_key", ""), _negated=True),
                                fields=("added_by", "import_key"),
                                name="unique_library_import_row",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
