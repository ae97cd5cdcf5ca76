from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operator commands: backups, restores and the demo data. No models."""

    name = "ops"
    verbose_name = "Operations"
