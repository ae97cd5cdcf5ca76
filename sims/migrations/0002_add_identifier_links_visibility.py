"""Profiles stand on their own: an identifier, an optional linked user, visibility.

The new columns come bare: no index on ``linked_user`` or ``is_public``, no
``sim_profile_public_recent_idx``, and ``linked_user`` without its foreign
key constraint. ``0003_backfill_links`` rewrites every row; indexes that
already existed would be updated entry by entry for each of those rows, and
the foreign key checked once per row, where building each index and
validating the constraint afterwards is one pass
(``0004_unique_identifier_per_simulator`` does that, reaching the final
field definitions).

``user`` becomes nullable here, before the backfill, so that on the way back
``0005_remove_user`` can re-add it empty, ``0003_backfill_links`` can fill it,
and only then this migration makes it required again. It also loses its
index: the column is only read once more (by the backfill's scan) before
``0005_remove_user`` drops it, and the index would be rewritten for every
row the backfill touches. On the way back the index is rebuilt here, once,
after ``restore_owners`` has filled the column.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import sims.models


class Migration(migrations.Migration):
    dependencies = [
        ("sims", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="simprofile",
            name="profile_identifier",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The simulator platform's own ID for the driver.",
                max_length=100,
                validators=[sims.models.identifier_validator],
                verbose_name="identifier",
            ),
        ),
        migrations.AddField(
            model_name="simprofile",
            name="linked_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sim_profiles",
                to=settings.AUTH_USER_MODEL,
                db_constraint=False,
                db_index=False,
            ),
        ),
        migrations.AddField(
            model_name="simprofile",
            name="is_public",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="simprofile",
            name="linked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="simprofile",
            name="user",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sim_profiles_owned",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
