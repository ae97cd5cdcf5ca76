"""The community setup library: setups anyone can browse, their authors (or staff) edit."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Func, Q
from django.urls import reverse

from apex.search import search_words
from racing.setup_values import SetupValues

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from profiles.models import User


class SearchLines(Func):
    """Text fields joined one per line after a leading line break (PostgreSQL).

    Reads exactly like the expression racing migration 0004 indexes with trigrams.
    """

    template = "(E'\\n' || %(expressions)s)"
    arg_joiner = " || E'\\n' || "
    output_field = models.TextField()


class LibrarySetupQuerySet(models.QuerySet):
    """Reads for the public library."""

    SEARCH_FIELDS = ("track", "brand", "vehicle", "condition", "source")

    def search(self, q: str) -> "LibrarySetupQuerySet":
        """Every word of ``q`` must match one of the text fields (``apex.search``).

        On PostgreSQL the words are matched against the fields joined one per
        line, the expression that racing migration 0004 indexes with trigrams.
        """
        return search_words(
            self, q or "", fields=self.SEARCH_FIELDS, lines=lambda: SearchLines(*self.SEARCH_FIELDS)
        )

    def filtered(
        self, *, track: str = "", brand: str = "", vehicle: str = "", condition: str = ""
    ) -> "LibrarySetupQuerySet":
        filters = {"track": track, "brand": brand, "vehicle": vehicle, "condition": condition}
        return self.filter(**{f"{name}__iexact": value for name, value in filters.items() if value})

    def choices_for(self, field: str) -> list[str]:
        """The distinct non-blank values of one filter field, for a select."""
        return list(self.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct())


class LibrarySetup(SetupValues):
    """A community setup: anyone can browse; the author or staff edit."""

    track = models.CharField(max_length=120)
    brand = models.CharField(max_length=60)
    vehicle = models.CharField(max_length=100)
    condition = models.CharField(max_length=60, blank=True)
    date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_setups",
    )
    # A fingerprint of the imported legacy row, so re-imports add nothing.
    import_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LibrarySetupQuerySet.as_manager()

    class Meta(SetupValues.Meta):
        ordering = ["-date", "-id"]
        constraints = [
            *SetupValues.Meta.constraints,
            models.UniqueConstraint(
                fields=["added_by", "import_key"],
                condition=~Q(import_key=""),
                name="unique_library_import_row",
            ),
        ]
        indexes = [models.Index(fields=["track", "brand", "vehicle"], name="library_track_brand_idx")]

    def __str__(self) -> str:
        return f"{self.brand} {self.vehicle} @ {self.track}"

    def get_absolute_url(self) -> str:
        return reverse("library_detail", args=[self.pk])

    def can_edit(self, user: "User | AnonymousUser") -> bool:
        return user.is_authenticated and (user.is_staff or self.added_by_id == user.pk)
