"""The advisor's migrations reverse: rules and starter documents go and come back, search with them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def migrator(transactional_db):
    yield migrate
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_advisor_back_to_zero_and_forward_again(migrator):
    migrator([("advisor", None)])
    tables = set(connection.introspection.table_names())
    assert not {t for t in tables if t.startswith("advisor_")}, tables

    migrator([("advisor", "0004_load_starter_theory")])
    from advisor.models import AdviceRule, ParameterStep, TheoryDocument

    assert ParameterStep.objects.count() == 24
    assert AdviceRule.objects.count() > 100
    assert TheoryDocument.objects.count() == 10
    assert [d.title for d in TheoryDocument.objects.search("clutch bell")][:1] == [
        "Engine, clutch and gearing"
    ]


def test_data_migrations_reverse_to_empty_tables_and_keep_staff_rows(migrator):
    from advisor.models import AdviceRule, TheoryDocument

    AdviceRule.objects.create(
        symptom="traction_roll", parameter="sp_r", direction=1, weight=1, reason="Staff's."
    )
    migrator([("advisor", "0002_theory_full_text_search")])
    assert list(AdviceRule.objects.values_list("reason", flat=True)) == ["Staff's."]
    assert TheoryDocument.objects.count() == 0
