from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_backfill_is_default")]

    operations = [
        migrations.AddConstraint(
            model_name="racerprofile",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_default", True)),
                fields=("owner",),
                name="one_default_racer_per_owner",
                violation_error_message="An account can have only one default racer.",
            ),
        ),
    ]
