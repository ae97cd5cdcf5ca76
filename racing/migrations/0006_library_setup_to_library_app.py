"""Last step of moving the setup library into its own app: racing forgets the model.

State only: the table now belongs to library.LibrarySetup (library 0001).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("racing", "0005_rename_library_setup_table"),
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="LibrarySetup")]),
    ]
