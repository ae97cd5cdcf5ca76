"""Profiles stand on their own: an identifier, an optional linked user, visibility.

``user`` becomes nullable here, before the backfill, so that on the way back
``0005_remove_user`` can re-add it empty, ``0003_backfill_links`` can fill it,
and only then this migration makes it required again.
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
            ),
        ),
        migrations.AddField(
            model_name="simprofile",
            name="is_public",
            field=models.BooleanField(db_index=True, default=True),
        ),
        migrations.AddField(
            model_name="simprofile",
            name="linked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="simprofile",
            index=models.Index(
                condition=models.Q(("is_public", True)),
                fields=["-updated_at", "-id"],
                name="sim_profile_public_recent_idx",
            ),
        ),
        migrations.AlterField(
            model_name="simprofile",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sim_profiles_owned",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
