from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operator commands: backups, restores and the demo data. No models."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from django.core import checks

        from ops.checks import email_is_delivered

        checks.register(email_is_delivered)
