from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Accounts and racers"

    def ready(self) -> None:
        from apex.caching import invalidate_on_change
        from profiles import signals  # noqa: F401  (connects receivers)
        from profiles.models import User

        # Sim profile pages show their linked user's name.
        invalidate_on_change(User)
