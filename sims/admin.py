from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet

from apex.shortcuts import client_ip
from sims import services
from sims.models import (
    RESERVED_SIMULATOR_SLUGS,
    AuditEntry,
    Event,
    EventResult,
    SimProfile,
    Simulator,
    VerificationRequest,
)


class SimulatorForm(forms.ModelForm):
    class Meta:
        model = Simulator
        fields = ["name", "slug", "is_active"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SIMULATOR_SLUGS:
            raise forms.ValidationError(f"“{slug}” is taken by a page of the directory; choose another slug.")
        return slug


@admin.register(Simulator)
class SimulatorAdmin(admin.ModelAdmin):
    form = SimulatorForm
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class LinkedFilter(admin.SimpleListFilter):
    title = "linked"
    parameter_name = "linked"

    def lookups(self, request, model_admin):
        return [("yes", "Linked"), ("no", "Unlinked")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(linked_user__isnull=False)
        if self.value() == "no":
            return queryset.filter(linked_user__isnull=True)
        return queryset


@admin.register(SimProfile)
class SimProfileAdmin(admin.ModelAdmin):
    list_display = [
        "profile_name",
        "simulator",
        "profile_identifier",
        "linked_user",
        "is_verified",
        "is_public",
        "updated_at",
    ]
    list_filter = ["simulator", "is_verified", "is_public", LinkedFilter]
    search_fields = ["profile_name", "profile_identifier", "linked_user__username"]
    list_select_related = ["simulator", "linked_user"]
    raw_id_fields = ["linked_user"]
    readonly_fields = ["id", "created_at", "updated_at"]
    # Links change through the site (audited); the admin corrects data.
    show_full_result_count = False


@admin.register(VerificationRequest)
class VerificationRequestAdmin(admin.ModelAdmin):
    list_display = ["code", "profile", "requested_by", "status", "created_at", "expires_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["code", "profile__profile_name", "profile__profile_identifier", "requested_by__username"]
    list_select_related = ["profile__simulator", "requested_by", "decided_by"]
    actions = ["approve", "reject"]
    readonly_fields = [
        "profile",
        "requested_by",
        "code",
        "status",
        "created_at",
        "expires_at",
        "decided_at",
        "decided_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def _decide(self, request, queryset: QuerySet, *, approve: bool) -> None:
        done, refused = 0, []
        for verification in queryset:
            try:
                services.verification_decide(
                    request=verification, staff=request.user, approve=approve, ip=client_ip(request)
                )
                done += 1
            except (services.VerificationExpired, services.VerificationClosed) as exc:
                refused.append(str(exc))
        verb = "approved" if approve else "rejected"
        if done:
            self.message_user(request, f"{done} verification request(s) {verb}.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, f"Not {verb}: {reason}", messages.WARNING)

    @admin.action(description="Approve: the code is on the driver's profile", permissions=["change"])
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, approve=False)


class EventResultInline(admin.TabularInline):
    model = EventResult
    raw_id_fields = ["sim_profile"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "simulator", "start_time", "source"]
    list_filter = ["simulator"]
    search_fields = ["name", "source"]
    list_select_related = ["simulator"]
    inlines = [EventResultInline]


@admin.register(EventResult)
class EventResultAdmin(admin.ModelAdmin):
    list_display = ["event", "position", "sim_profile", "laps", "best_lap_ms", "points"]
    list_filter = ["event__simulator"]
    search_fields = ["event__name", "sim_profile__profile_name", "sim_profile__profile_identifier"]
    list_select_related = ["event", "sim_profile__simulator"]
    raw_id_fields = ["event", "sim_profile"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "profile_label", "ip_address", "detail"]
    list_filter = ["action"]
    search_fields = ["profile_label", "actor__username", "ip_address", "detail"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
