from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from profiles import services
from profiles.models import RacerProfile, RacerProfileQuerySet, ReservedUsername, Sponsor, Team, User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _RacerCount(TypedDict):
    _racer_count: int


class _VehicleCount(TypedDict):
    vehicle_count: int


class _MemberCount(TypedDict):
    _member_count: int


class RacerInline(admin.TabularInline):
    model = RacerProfile
    fields = ["name", "is_default", "transponder", "team"]
    readonly_fields = ["is_default"]
    extra = 0
    show_change_link = True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "racer_count", "is_staff", "date_joined"]
    inlines = [RacerInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).annotate(_racer_count=Count("racers"))

    @admin.display(description="Racers", ordering="_racer_count")
    def racer_count(self, obj: "WithAnnotations[User, _RacerCount]") -> int:
        return obj._racer_count


class SponsorInline(admin.TabularInline):
    model = Sponsor
    extra = 1


@admin.register(RacerProfile)
class RacerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_default", "team", "transponder", "vehicle_count", "created_at"]
    list_filter = ["is_default", "team", "created_at"]
    search_fields = ["name", "email", "transponder", "owner__username", "owner__email"]
    list_select_related = ["owner", "team"]
    autocomplete_fields = ["owner", "team"]
    readonly_fields = ["is_default", "created_at", "updated_at"]
    inlines = [SponsorInline]
    actions = ["make_default"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RacerProfile]:
        racers = cast(RacerProfileQuerySet, super().get_queryset(request))  # the model's own QuerySet
        return racers.with_vehicle_count()

    @admin.display(description="Vehicles", ordering="vehicle_count")
    def vehicle_count(self, obj: "WithAnnotations[RacerProfile, _VehicleCount]") -> int:
        return obj.vehicle_count

    @admin.action(description="Make default (for its owner)")
    def make_default(self, request: HttpRequest, queryset: QuerySet[RacerProfile]) -> None:
        chosen: dict[int, RacerProfile] = {}
        for racer in queryset.select_related("owner").order_by("owner_id", "-id"):
            chosen.setdefault(racer.owner_id, racer)
        for racer in chosen.values():
            services.racer_set_default(owner=racer.owner, racer_id=racer.pk)
        skipped = queryset.count() - len(chosen)
        self.message_user(request, f"{len(chosen)} racer(s) made default.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} racer(s) skipped: an owner can have only one default, so the newest selected won.",
                messages.WARNING,
            )


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["name", "racer", "racer_owner"]
    search_fields = ["name", "racer__name", "racer__owner__username"]
    list_select_related = ["racer__owner"]
    autocomplete_fields = ["racer"]

    @admin.display(description="Owner", ordering="racer__owner__username")
    def racer_owner(self, obj: Sponsor) -> str:
        return obj.racer.owner.username


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "created_at"]
    search_fields = ["name", "members__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    @admin.display(description="Members", ordering="_member_count")
    def member_count(self, obj: "WithAnnotations[Team, _MemberCount]") -> int:
        return obj._member_count


@admin.register(ReservedUsername)
class ReservedUsernameAdmin(admin.ModelAdmin):
    """Names held by sign-ups with an address that already had an account; delete one to free it."""

    list_display = ["username", "reserved_at"]
    search_fields = ["username"]
    readonly_fields = ["username", "reserved_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReservedUsername | None = None) -> bool:
        return False
