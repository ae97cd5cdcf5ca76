"""Drop the legacy owner; ``linked_user`` replaces it.

Backwards the column comes back nullable (as ``0002`` left it) and empty;
``0003_backfill_links`` refills it on the way down.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sims", "0004_unique_identifier_per_simulator")]

    operations = [migrations.RemoveField(model_name="simprofile", name="user")]
