from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from apex.http import AuthenticatedHttpRequest
from apex.shortcuts import client_ip
from profiles.models import User
from sims import services
from sims.models import (
    RESERVED_SIMULATOR_SLUGS,
    AuditEntry,
    Event,
    EventResult,
    ProfileAlreadyLinked,
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

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Linked"), ("no", "Unlinked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[SimProfile]) -> QuerySet[SimProfile]:
        if self.value() == "yes":
            return queryset.filter(linked_user__isnull=False)
        if self.value() == "no":
            return queryset.filter(linked_user__isnull=True)
        return queryset


class LinkToAccountForm(forms.Form):
    username = forms.CharField(label="Account (username)", max_length=150)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise forms.ValidationError(f"No account is called “{username}”.") from None


@admin.register(SimProfile)
class SimProfileAdmin(admin.ModelAdmin):
    """Links change only through the audited services, with the staff member as the actor.

    The link, its date and the verification badge are read-only in the form;
    "Link to an account" and "Unlink" (one profile, or the selected ones) go
    through ``sim_profile_link`` / ``sim_profile_unlink`` and write the
    audit log like a user's own link and unlink.
    """

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
    readonly_fields = ["id", "linked_user", "link", "linked_at", "is_verified", "created_at", "updated_at"]
    fields = [
        "id",
        "simulator",
        "profile_identifier",
        "profile_name",
        "profile_data",
        "is_public",
        "linked_user",
        "link",
        "linked_at",
        "is_verified",
        "created_at",
        "updated_at",
    ]
    actions = ["unlink_selected"]
    show_full_result_count = False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/link/",
                self.admin_site.admin_view(self.link_view),
                name="sims_simprofile_link",
            ),
            path(
                "<path:object_id>/unlink/",
                self.admin_site.admin_view(self.unlink_view),
                name="sims_simprofile_unlink",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Link")
    def link(self, obj: SimProfile) -> str:
        if obj.pk is None:
            return "Save the profile first; then link it to an account."
        if obj.linked_user_id is None:
            url = reverse("admin:sims_simprofile_link", args=[quote(obj.pk)])
            return format_html('<a class="button" href="{}">Link to an account…</a>', url)
        url = reverse("admin:sims_simprofile_unlink", args=[quote(obj.pk)])
        return format_html('<a class="button" href="{}">Unlink…</a>', url)

    def _changeable_profile(self, request: HttpRequest, object_id: str) -> SimProfile:
        profile = self.get_object(request, unquote(object_id))
        if profile is None:
            raise Http404("No such sim profile.")
        if not self.has_change_permission(request, profile):
            raise PermissionDenied
        return profile

    def _page(
        self, request: HttpRequest, profile: SimProfile, title: str, **extra: object
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": profile,
            "title": title,
            **extra,
        }
        return TemplateResponse(request, "admin/sims/simprofile/link.html", context)

    def _back_to(self, profile: SimProfile) -> HttpResponse:
        return redirect("admin:sims_simprofile_change", quote(profile.pk))

    def link_view(self, request: AuthenticatedHttpRequest, object_id: str) -> HttpResponse:
        profile = self._changeable_profile(request, object_id)
        if profile.linked_user_id is not None:
            notice = f"{profile.profile_name} is linked to {profile.linked_user}: unlink it first."
            self.message_user(request, notice, messages.ERROR)
            return self._back_to(profile)
        form = LinkToAccountForm(request.POST or None)
        if request.method != "POST" or not form.is_valid():
            return self._page(request, profile, f"Link {profile.profile_name} to an account", form=form)
        account = form.cleaned_data["username"]
        try:
            services.sim_profile_link(
                profile=profile, user=account, ip=client_ip(request), actor=request.user
            )
        except ProfileAlreadyLinked:
            notice = f"{profile.profile_name} was linked by someone else meanwhile; nothing changed."
            self.message_user(request, notice, messages.ERROR)
        else:
            self.message_user(request, f"Linked {profile.profile_name} to {account}.", messages.SUCCESS)
        return self._back_to(profile)

    def unlink_view(self, request: AuthenticatedHttpRequest, object_id: str) -> HttpResponse:
        profile = self._changeable_profile(request, object_id)
        account = profile.linked_user
        if account is None:
            self.message_user(request, f"{profile.profile_name} is not linked to any account.", messages.INFO)
            return self._back_to(profile)
        if request.method != "POST":
            return self._page(request, profile, f"Unlink {profile.profile_name}", unlinking=True)
        if self._unlink(request, profile):
            self.message_user(request, f"Unlinked {profile.profile_name} from {account}.", messages.SUCCESS)
        else:
            notice = f"{profile.profile_name} was relinked meanwhile; nothing changed."
            self.message_user(request, notice, messages.WARNING)
        return self._back_to(profile)

    def _unlink(self, request: AuthenticatedHttpRequest, profile: SimProfile) -> bool:
        """Unlink from the account it is linked to now; False if that changed meanwhile."""
        account = profile.linked_user
        if account is None:
            return False
        try:
            services.sim_profile_unlink(
                profile=profile, user=account, ip=client_ip(request), actor=request.user
            )
        except services.NotLinkedToYou:
            return False
        return True

    @admin.action(description="Unlink the selected profiles (logged)", permissions=["change"])
    def unlink_selected(self, request: AuthenticatedHttpRequest, queryset: QuerySet[SimProfile]) -> None:
        linked = queryset.filter(linked_user__isnull=False).select_related("simulator", "linked_user")
        done = skipped = 0
        for profile in linked:
            if self._unlink(request, profile):
                done += 1
            else:
                skipped += 1
        self.message_user(request, f"{done} profile(s) unlinked.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} profile(s) were relinked meanwhile and left as they are.",
                messages.WARNING,
            )


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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _decide(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[VerificationRequest], *, approve: bool
    ) -> None:
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
    def approve(self, request: AuthenticatedHttpRequest, queryset: QuerySet[VerificationRequest]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request: AuthenticatedHttpRequest, queryset: QuerySet[VerificationRequest]) -> None:
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
