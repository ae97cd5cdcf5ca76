from django.apps import AppConfig


class RacingConfig(AppConfig):
    name = "racing"
    verbose_name = "Garage and setups"

    def ready(self) -> None:
        from apex.caching import LIBRARY, invalidate_on_change
        from racing.models import LibrarySetup

        invalidate_on_change(LibrarySetup, namespaces=[LIBRARY])
