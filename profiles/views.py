from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apex.http import AuthenticatedHttpRequest, HtmxHttpRequest
from apex.shortcuts import redirect_next, render_page, safe_next
from profiles import email_confirmation, login_limits, services
from profiles.forms import NewRacerForm, RacerForm, SponsorFormSet
from profiles.models import RacerProfile
from profiles.session import ACTIVE_RACER_KEY, activate_racer
from racing.racer_pages import landing_after_switch


def _get_own_racer(request: AuthenticatedHttpRequest, pk: int) -> RacerProfile:
    """The racer if it belongs to the logged-in user, else 404."""
    try:
        return RacerProfile.objects.owned_by(request.user).get(pk=pk)
    except RacerProfile.DoesNotExist:
        raise Http404("No such racer.") from None


def _switcher(request: AuthenticatedHttpRequest, **extra: object) -> HttpResponse:
    response = render(request, "base.html#switcher", extra)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@login_required
def racer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    racers = (
        RacerProfile.objects.owned_by(request.user)
        .with_vehicle_count()
        .default_first()
        .select_related("team")
    )
    return render_page(request, "profiles/racer_list.html", {"racers": racers}, partial="racers")


@require_http_methods(["GET", "POST"])
@login_required
def racer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.POST.get("from_switcher"):
        switcher_form = NewRacerForm(request.POST)
        if switcher_form.is_valid():
            racer = services.racer_create(owner=request.user, name=switcher_form.cleaned_data["name"])
            if request.htmx:
                return _switcher(request, switcher_created=racer)
            messages.success(request, f"Added racer {racer.name}.")
            return redirect_next(request, reverse("racer_list"))
        error = "; ".join(str(message) for message in switcher_form.errors.get("name", ["Check the name."]))
        if request.htmx:  # the typed name stays in the box, with the reason beside it
            return _switcher(request, switcher_form=switcher_form, switcher_error=error)
        messages.error(request, f"Racer not added: {error}")
        return redirect_next(request, reverse("racer_list"))

    form = RacerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        racer = services.racer_create(owner=request.user, **form.cleaned_data)
        messages.success(request, f"Added racer {racer.name}. Add sponsors on the edit page.")
        return redirect(racer)
    return render(request, "profiles/racer_form.html", {"form": form, "creating": True})


@require_GET
@login_required
def racer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    racer = _get_own_racer(request, pk)
    return render(
        request,
        "profiles/racer_detail.html",
        {"racer": racer, "sponsors": racer.sponsors.all(), "vehicles": racer.vehicles.all()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def racer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    racer = _get_own_racer(request, pk)
    form = RacerForm(request.POST or None, instance=racer)
    sponsors = SponsorFormSet(request.POST or None, instance=racer, prefix="sponsors")
    if request.method == "POST" and form.is_valid() and sponsors.is_valid():
        with transaction.atomic():
            form.save()
            sponsors.save()
        messages.success(request, f"Saved {racer.name}.")
        return redirect(racer)
    return render(request, "profiles/racer_form.html", {"form": form, "sponsors": sponsors, "racer": racer})


@require_http_methods(["GET", "POST"])
@login_required
def racer_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    racer = _get_own_racer(request, pk)
    # Who takes over, so the page and the messages can say it: the oldest other racer, or nobody.
    successor = (
        RacerProfile.objects.owned_by(request.user).exclude(pk=racer.pk).order_by("created_at", "id").first()
    )
    if request.method == "POST":
        was_only_racer = successor is None
        successor = services.racer_delete(owner=request.user, racer_id=racer.pk)
        messages.success(request, f"Deleted racer {racer.name} and everything recorded for them.")
        if successor is not None:
            messages.info(request, f"{successor.name} is now your default racer.")
        if was_only_racer or request.session.get(ACTIVE_RACER_KEY) == racer.pk:
            replacement = services.racer_get_or_create_default(owner=request.user)
            if was_only_racer:
                messages.info(
                    request, f"That was your only racer, so Apex made a new one: {replacement.name}."
                )
            activate_racer(request, replacement)
        return redirect("racer_list")
    return render_page(
        request,
        "profiles/racer_confirm_delete.html",
        {"racer": racer, "successor": successor},
        partial="dialog",
    )


@require_POST
@login_required
def racer_switch(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    racer = _get_own_racer(request, pk)
    activate_racer(request, racer)
    # Never the previous racer's page under the new racer's name: the same section, for the new racer.
    target = landing_after_switch(safe_next(request, reverse("home")), racer)
    if request.htmx:
        # The whole page shows the racer's data: load it afresh.
        return HttpResponseClientRedirect(target)
    messages.success(request, f"Switched to {racer.name}.")
    return redirect(target)


@require_POST
@login_required
def racer_set_default(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    racer = _get_own_racer(request, pk)
    services.racer_set_default(owner=request.user, racer_id=racer.pk)
    if request.htmx:
        return _switcher(request)
    messages.success(request, f"{racer.name} is now your default racer; it loads when you log in.")
    return redirect_next(request, reverse("racer_list"))


@require_http_methods(["GET", "POST"])
def login_unlock(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The e-mailed link that lifts an account's log-in pause (a button, so link scanners lift nothing)."""
    if request.method == "POST":
        account = login_limits.unlock(token)
        if account is not None:
            response = render(request, "profiles/login_unlock.html", {"done": True})
            login_limits.mark_owner_browser(response, account)
            return response
        return render(request, "profiles/login_unlock.html", {"bad_link": True}, status=400)
    return render(request, "profiles/login_unlock.html", {"token": token})


@require_GET
@never_cache
def email_verification_sent(request: HtmxHttpRequest) -> HttpResponse:
    """The "check your e-mail" page, after sign-up or a log-in whose address is not confirmed yet.

    A sign-up with an address that already has an account gets the same page
    (that address gets an e-mail saying so instead of a link).
    """
    pending = email_confirmation.pending_login(request)
    if pending is not None and email_confirmation.is_confirmed(pending):
        messages.success(request, "Your e-mail address is confirmed: log in to start.")
        return redirect("account_login")
    context = {
        "pending": pending is not None,
        "signup": pending is None or pending.signup,
        "email": email_confirmation.address_of(pending) if pending is not None else None,
    }
    return render(request, "account/verification_sent.html", context)


@require_POST
def email_verification_resend(request: HtmxHttpRequest) -> HttpResponse:
    """Send the e-mail of the waiting sign-up or log-in again (at most one every few minutes)."""
    pending = email_confirmation.pending_login(request)
    if pending is None:
        messages.info(request, "Log in with your username and password and we will send you a new link.")
        return redirect("account_login")
    if email_confirmation.is_confirmed(pending):
        messages.success(request, "Your e-mail address is confirmed: log in to start.")
        return redirect("account_login")
    if email_confirmation.send_again(request, pending):
        messages.success(request, "Sent again. The newest e-mail is at the top of your inbox.")
    else:
        messages.info(  # the "confirm_email" rate limit in settings
            request,
            "We sent you one less than 3 minutes ago, so not another yet. "
            "Give it a moment, check your spam folder, then try again.",
        )
    return redirect("account_email_verification_sent")
