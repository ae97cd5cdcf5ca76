from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Accounts and racers"

    def ready(self) -> None:
        from apex.caching import DIRECTORY, LIBRARY, invalidate_on_change
        from profiles import login_limits, signals  # noqa: F401  (connects receivers)
        from profiles.models import User

        # Sim profiles show their linked user's names and library setups their
        # author's username; a log-in only stamps last_login, which neither shows.
        invalidate_on_change(
            User, namespaces=[DIRECTORY, LIBRARY], fields=["username", "first_name", "last_name"]
        )
