from django.apps import AppConfig


class RacingConfig(AppConfig):
    name = "racing"
    verbose_name = "Garage and race days"
