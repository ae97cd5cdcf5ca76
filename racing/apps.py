from django.apps import AppConfig


class RacingConfig(AppConfig):
    name = "racing"
    verbose_name = "Garage and race days"

    def ready(self) -> None:
        from racing import caching

        caching.connect()
