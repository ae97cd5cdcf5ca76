"""sims 0007's backfill walks the table by primary-key ranges and fills every empty search column."""

from importlib import import_module

import pytest
from django.db import connection

from sims.tests.factories import make_profile, make_simulator

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

migration = import_module("sims.migrations.0007_search_text_trigram_index")


def search_texts() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT profile_name, search_text FROM sims_simprofile")
        return dict(cursor.fetchall())


def test_backfill_fills_every_profile_over_several_batches(monkeypatch):
    simulator = make_simulator()
    for i in range(11):
        make_profile(simulator=simulator, name=f"Driver {i}", identifier=f"d{i}")
    filled = search_texts()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sims_simprofile SET search_text = ''")  # no trigger: not one of its columns
    monkeypatch.setattr(migration, "BATCH", 3)  # 11 profiles: three full batches and a partial one
    statements: list[str] = []

    def log(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        migration.backfill(None, connection.schema_editor())

    assert search_texts() == filled
    updates = [sql for sql in statements if sql.startswith("UPDATE")]
    assert len(updates) == 4
    # Every batch but the first starts after the previous one's last key.
    assert all("id > " in sql for sql in updates[1:])
