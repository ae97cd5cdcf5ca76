from django.apps import AppConfig


class SimsConfig(AppConfig):
    name = "sims"
    verbose_name = "Sim racing"

    def ready(self) -> None:
        from sims import signals  # noqa: F401 - connects the receivers
