from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Accounts and racers"

    def ready(self) -> None:
        from profiles import signals  # noqa: F401  (connects receivers)
