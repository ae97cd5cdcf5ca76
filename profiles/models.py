from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse

DEFAULT_RACER_NAME = "Default Racer"


class User(AbstractUser):
    """The account. One user manages several racers."""


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RacerProfileQuerySet(models.QuerySet):
    def owned_by(self, user: "User | int") -> "RacerProfileQuerySet":
        return self.filter(owner=user)

    def with_vehicle_count(self) -> "RacerProfileQuerySet":
        return self.annotate(vehicle_count=Count("vehicles", distinct=True))

    def default_first(self) -> "RacerProfileQuerySet":
        """The order racers are listed in: the default, then by name."""
        return self.order_by("-is_default", "name", "id")

    def in_promotion_order(self) -> "RacerProfileQuerySet":
        """Who becomes the default when an account has none: "Default Racer" by name, then the oldest."""
        return self.order_by(
            Case(When(name=DEFAULT_RACER_NAME, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "created_at",
            "id",
        )

    def default(self) -> "RacerProfile | None":
        """The default racer among these (one per owner), or None."""
        return self.filter(is_default=True).first()


class RacerProfile(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="racers")
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    facebook = models.CharField(max_length=200, blank=True)
    instagram = models.CharField(max_length=200, blank=True)
    transponder = models.CharField(max_length=40, blank=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    is_default = models.BooleanField(
        default=False, help_text="Loads on login. Exactly one racer per account is the default."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RacerProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "name", "id"]
        verbose_name = "racer"
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(is_default=True),
                name="one_default_racer_per_owner",
                violation_error_message="An account can have only one default racer.",
            ),
        ]
        indexes = [models.Index(fields=["owner", "created_at"], name="racer_owner_created_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("racer_detail", args=[self.pk])


class Sponsor(models.Model):
    racer = models.ForeignKey(RacerProfile, on_delete=models.CASCADE, related_name="sponsors")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["racer", "name"], name="unique_sponsor_per_racer"),
        ]

    def __str__(self) -> str:
        return self.name


class ReservedUsername(models.Model):
    """A username asked for in a sign-up with an address that already has an account.

    Nothing is created for such a sign-up, but a new address would have
    created an account under that username: holding the name the same way
    keeps "is this username free now?" from telling which it was.
    """

    username = models.CharField(max_length=150)
    reserved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reserved_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("username"), name="unique_reserved_username_ci"),
        ]

    def __str__(self) -> str:
        return self.username
