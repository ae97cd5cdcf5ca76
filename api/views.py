"""The API tokens page: create a token (its text shown once) and revoke tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apex.http import AuthenticatedHttpRequest
from api import services
from api.forms import ApiTokenForm
from api.models import ApiToken


@require_http_methods(["GET", "POST"])
@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, created = services.token_create(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
            form = ApiTokenForm()
            messages.success(
                request, f"Created the token “{token.name}”. Copy it now: it is not shown again."
            )
        else:
            status = 422
    context = {"form": form, "created": created, "tokens": ApiToken.objects.owned_by(request.user)}
    response = render(request, "api/tokens.html", context, status=status)
    if created:  # the secret must not linger in any cache
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not services.token_revoke(user=request.user, token_id=pk):
        raise Http404("No such token (already revoked?).")
    messages.success(request, "Revoked the token: anything using it is refused from now on.")
    return redirect("api_tokens")
