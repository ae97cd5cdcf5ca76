"""Owners become linked users; every profile gets an identifier.

One pass over the bare new columns of ``0002_add_identifier_links_visibility``
(no index on them, no foreign key yet): a table rewrite on PostgreSQL, an
UPDATE elsewhere. The work lives in ``sims.backfill`` so it can be run and
measured on its own.
"""

from django.db import migrations

from sims.backfill import backfill_links, restore_owners


class Migration(migrations.Migration):
    dependencies = [("sims", "0002_add_identifier_links_visibility")]

    operations = [migrations.RunPython(backfill_links, restore_owners, elidable=False)]
