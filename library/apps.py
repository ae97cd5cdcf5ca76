from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Setup library"

    def ready(self) -> None:
        from apex.caching import LIBRARY, invalidate_on_change
        from library.models import LibrarySetup

        # Library pages and their filter choices show every field of a setup.
        invalidate_on_change(LibrarySetup, namespaces=[LIBRARY])
