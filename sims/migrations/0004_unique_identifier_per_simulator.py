from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sims", "0003_backfill_links")]

    operations = [
        migrations.AddConstraint(
            model_name="simprofile",
            constraint=models.UniqueConstraint(
                fields=("simulator", "profile_identifier"),
                name="unique_identifier_per_simulator",
                violation_error_message="A profile with this identifier already exists on this simulator.",
            ),
        ),
    ]
