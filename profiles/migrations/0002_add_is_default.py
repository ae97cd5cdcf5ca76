from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="racerprofile",
            name="is_default",
            field=models.BooleanField(
                default=False, help_text="Loads on login. Exactly one racer per account is the default."
            ),
        ),
        migrations.AlterModelOptions(
            name="racerprofile",
            options={"ordering": ["-is_default", "name", "id"], "verbose_name": "racer"},
        ),
    ]
