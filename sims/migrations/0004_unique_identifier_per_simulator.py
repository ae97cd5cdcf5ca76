"""Identifiers unique per simulator; the new columns get their indexes and foreign key.

Everything here is built once over the backfilled table (one sort per index,
one scan to validate the foreign key) rather than maintained row by row
during ``0003_backfill_links``; see ``0002_add_identifier_links_visibility``.
The fields reach their final definitions here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from sims.backfill import more_memory_for_builds


class Migration(migrations.Migration):
    dependencies = [
        ("sims", "0003_backfill_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(more_memory_for_builds, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="simprofile",
            constraint=models.UniqueConstraint(
                fields=("simulator", "profile_identifier"),
                name="unique_identifier_per_simulator",
                violation_error_message="A profile with this identifier already exists on this simulator.",
            ),
        ),
        migrations.AlterField(
            model_name="simprofile",
            name="linked_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sim_profiles",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="simprofile",
            name="is_public",
            field=models.BooleanField(db_index=True, default=True),
        ),
        migrations.AddIndex(
            model_name="simprofile",
            index=models.Index(
                condition=models.Q(("is_public", True)),
                fields=["-updated_at", "-id"],
                name="sim_profile_public_recent_idx",
            ),
        ),
    ]
