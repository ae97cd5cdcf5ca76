from django.apps import AppConfig


class SimsConfig(AppConfig):
    name = "sims"
    verbose_name = "Sim racing"

    def ready(self) -> None:
        from apex.caching import DIRECTORY, invalidate_on_change
        from sims import signals  # noqa: F401 - connects the receivers
        from sims.models import Event, EventResult, SimProfile, Simulator

        for model in (Simulator, SimProfile, Event, EventResult):
            invalidate_on_change(model, namespaces=[DIRECTORY])
