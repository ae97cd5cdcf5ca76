"""First step of moving the setup library into its own app: rename its table.

``ALTER TABLE racing_librarysetup RENAME TO library_librarysetup`` on both
databases: a catalogue change that reads no rows, however many there are.
Its indexes (also the PostgreSQL search indexes of 0004) and constraints come
along. library 0001 then takes the model over; 0006 drops it from racing.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("racing", "0004_library_search_indexes")]

    operations = [migrations.AlterModelTable(name="librarysetup", table="library_librarysetup")]
