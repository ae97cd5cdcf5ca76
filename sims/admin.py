from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from apex.http import AuthenticatedHttpRequest
from apex.shortcuts import client_ip
from profiles.models import User
from sims import services
from sims.models import (
    RESERVED_SIMULATOR_SLUGS,
    AddRequest,
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


def _profile_with_same_id() -> QuerySet[SimProfile]:
    """The directory's profile with an add request's simulator and ID, if there is one."""
    return SimProfile.objects.filter(
        simulator=OuterRef("simulator"), profile_identifier=OuterRef("profile_identifier")
    ).order_by()


class InDirectoryFilter(admin.SimpleListFilter):
    title = "profile with this ID"
    parameter_name = "directory"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("none", "None yet"), ("unlinked", "Unlinked"), ("linked", "Linked to an account")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AddRequest]) -> QuerySet[AddRequest]:
        same = _profile_with_same_id()
        if self.value() == "none":
            return queryset.filter(~Exists(same))
        if self.value() == "unlinked":
            return queryset.filter(Exists(same.filter(linked_user__isnull=True)))
        if self.value() == "linked":
            return queryset.filter(Exists(same.filter(linked_user__isnull=False)))
        return queryset


# Every one read-only: decisions go through the service, nothing through the form.
ADD_REQUEST_FIELDS = (
    "requested_by",
    "requester_email",
    "simulator",
    "profile_identifier",
    "profile_name",
    "code",
    "status",
    "created_at",
    "expires_at",
    "decided_at",
    "decided_by",
    "in_directory",
    "approving",
)


@admin.register(AddRequest)
class AddRequestAdmin(admin.ModelAdmin):
    """Read-only requests, decided only through ``add_request_decide``: the list's actions or the page's buttons.

    Each row says what the directory holds under the ID (which the driver was
    not told), so staff see what approving would do before they do it.
    """

    list_display = ["code", "requested_by", "identifier", "in_directory", "status", "age"]
    list_filter = ["status", InDirectoryFilter, "simulator"]
    search_fields = [
        "code",
        "profile_identifier",
        "profile_name",
        "requested_by__username",
        "requested_by__email",
    ]
    actions = ["approve", "reject"]
    fields = ADD_REQUEST_FIELDS
    readonly_fields = ADD_REQUEST_FIELDS
    show_full_result_count = False

    class Media:
        css = {"all": ["css/admin-add-requests.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[AddRequest]:
        same = _profile_with_same_id()
        return (
            super()
            .get_queryset(request)
            .select_related("simulator", "requested_by", "decided_by")
            .annotate(
                existing_pk=Subquery(same.values("pk")[:1]),
                existing_public=Subquery(same.values("is_public")[:1]),
                existing_verified=Subquery(same.values("is_verified")[:1]),
                existing_owner=Subquery(same.values("linked_user__username")[:1]),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # The page's form changes nothing; deciding takes the model's change permission.
        return obj is None and super().has_change_permission(request)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="sims_addrequest_approve",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="sims_addrequest_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, object] | None = None,
    ) -> HttpResponse:
        extra = {"can_decide": self.has_change_permission(request), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    @admin.display(description="ID", ordering="profile_identifier")
    def identifier(self, obj: AddRequest) -> str:
        # The ID over its simulator, in one column: the list fits beside the admin's sidebar.
        return format_html('{}<br><span class="quiet">{}</span>', obj.profile_identifier, obj.simulator.name)

    @admin.display(description="profile with this ID")
    def in_directory(self, obj: AddRequest) -> str:
        existing_pk = getattr(obj, "existing_pk", None)
        if existing_pk is None:
            return "none yet"
        owner = obj.existing_owner  # type: ignore[attr-defined]
        state = "unlinked" if owner is None else f"linked to {owner}"
        if owner is not None and obj.existing_verified:  # type: ignore[attr-defined]
            state += ", verified"
        state += ", public" if obj.existing_public else ", private"  # type: ignore[attr-defined]
        url = reverse("admin:sims_simprofile_change", args=[quote(existing_pk)])
        return format_html('<a href="{}">{}</a>', url, state)

    @admin.display(description="approving would")
    def approving(self, obj: AddRequest) -> str:
        if obj.status != AddRequest.Status.PENDING:
            return "—"
        if obj.is_expired:
            return "Nothing: the code has expired. Reject it; the driver can add the ID again."
        user = obj.requested_by.username
        owner = getattr(obj, "existing_owner", None)
        if getattr(obj, "existing_pk", None) is None:
            return f"Add the profile, linked to {user} and verified."
        if owner is None:
            return f"Link the profile to {user}, verified."
        if owner == user:
            return f"Mark the profile verified (it is already linked to {user})."
        return (
            f"Move the profile from {owner} to {user}, verified. {owner}'s pending codes for it are "
            f"cancelled and {owner} is told by e-mail."
        )

    @admin.display(description="requester's e-mail")
    def requester_email(self, obj: AddRequest) -> str:
        return obj.requested_by.email or "—"

    @admin.display(description="age", ordering="created_at")
    def age(self, obj: AddRequest) -> str:
        age = timesince(obj.created_at, timezone.now(), depth=1)
        if obj.status == AddRequest.Status.PENDING and obj.is_expired:
            return f"{age} (code expired)"
        return age

    def _decide(
        self,
        request: AuthenticatedHttpRequest,
        queryset: QuerySet[AddRequest] | list[AddRequest],
        *,
        approve: bool,
    ) -> None:
        decided, refused = [], []
        for add_request in queryset:
            try:
                decision = services.add_request_decide(
                    request=add_request, staff=request.user, approve=approve, ip=client_ip(request)
                )
            except (services.AddRequestExpired, services.AddRequestClosed) as exc:
                refused.append(str(exc))
            else:
                decided.append(decision)
        verb = "approved" if approve else "rejected"
        for decision in decided:
            self.message_user(request, _decision_notice(decision), messages.SUCCESS)
        for reason in refused:
            self.message_user(request, f"Not {verb}: {reason}", messages.WARNING)

    @admin.action(description="Approve: the code is on the driver's profile", permissions=["change"])
    def approve(self, request: AuthenticatedHttpRequest, queryset: QuerySet[AddRequest]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request: AuthenticatedHttpRequest, queryset: QuerySet[AddRequest]) -> None:
        self._decide(request, queryset, approve=False)

    def _decide_one(
        self, request: AuthenticatedHttpRequest, object_id: str, *, approve: bool
    ) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        add_request = self.get_object(request, unquote(object_id))
        if add_request is None:
            raise Http404("No such add request.")
        self._decide(request, [add_request], approve=approve)
        return redirect("admin:sims_addrequest_change", quote(add_request.pk))

    def approve_view(self, request: AuthenticatedHttpRequest, object_id: str) -> HttpResponse:
        return self._decide_one(request, object_id, approve=True)

    def reject_view(self, request: AuthenticatedHttpRequest, object_id: str) -> HttpResponse:
        return self._decide_one(request, object_id, approve=False)


def _decision_notice(decision: services.AddDecision) -> str:
    request, profile = decision.request, decision.profile
    what = f"{request.profile_identifier} on {request.simulator.name}"
    user = request.requested_by.username
    if profile is None:
        return f"{request.code} rejected: {what} was not added to {user}."
    if decision.created:
        done = f"added {what}, linked to {user} and verified"
    elif decision.moved_from is not None:
        done = f"moved {what} from {decision.moved_from.username} to {user}, verified"
    else:
        done = f"linked {what} to {user}, verified"
    return f"{request.code} approved: {done}."


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
