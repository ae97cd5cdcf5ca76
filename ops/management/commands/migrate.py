"""Django's ``migrate``, refusing a backwards plan that would drop tables or columns holding rows.

Without ``--allow-data-loss``, a plan that unapplies migrations is checked
first (``ops.data_loss``); when it would drop a table or column that holds
rows, every one is named with its row count and nothing is run.
"""

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.management.commands import migrate
from django.db import connections
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.executor import MigrationExecutor

from ops.data_loss import plan_losses


class Command(migrate.Command):
    help = (
        migrate.Command.help + " Refuses to drop tables or columns that hold rows unless --allow-data-loss."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--allow-data-loss",
            action="store_true",
            help="Unapply migrations even when that drops tables or columns holding rows.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (
            options["allow_data_loss"] or options["fake"] or options["plan"] or options["check_unapplied"]
        ):
            self._refuse_data_loss(options)
        super().handle(*args, **options)

    def _refuse_data_loss(self, options: dict[str, Any]) -> None:
        connection = connections[options["database"]]
        executor = MigrationExecutor(connection)
        app_label, name = options["app_label"], options["migration_name"]
        graph = executor.loader.graph
        try:
            if app_label and name:
                if name == "zero":
                    targets: list[tuple[str, str | None]] = [(app_label, None)]
                else:
                    targets = [(app_label, executor.loader.get_migration_by_prefix(app_label, name).name)]
            elif app_label:
                targets = [key for key in graph.leaf_nodes() if key[0] == app_label]
            else:
                targets = list(graph.leaf_nodes())
            plan = executor.migration_plan(targets)
        except (AmbiguityError, KeyError, LookupError):
            return  # Django's own handle() says what is wrong with the target
        if not any(backwards for _migration, backwards in plan):
            return
        states = {
            (m.app_label, m.name): executor.loader.project_state((m.app_label, m.name), at_end=False)
            for m, backwards in plan
            if backwards
        }
        losses = plan_losses(plan, states, connection)
        if losses:
            lines = "\n".join(f"  {loss}" for loss in losses)
            raise CommandError(
                f"Refusing to migrate: going back would drop data.\n{lines}\n"
                "Nothing was changed. Back up first (manage.py backup_db), then run again "
                "with --allow-data-loss to drop it."
            )
