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

# The new token's text waits here for the one page view that shows it (then it is gone).
NEW_TOKEN_KEY = "api:new_token"  # noqa: S105  # a session key, not a secret


@require_http_methods(["GET", "POST"])
@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = services.token_create(
            user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
        request.session[NEW_TOKEN_KEY] = raw
        messages.success(request, f"Created the token “{token.name}”. Copy it now: it is not shown again.")
        # Redirect, so reloading the page never creates a second token.
        return redirect("api_tokens")
    created = request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None
    context = {"form": form, "created": created, "tokens": ApiToken.objects.owned_by(request.user)}
    response = render(request, "api/tokens.html", context, status=422 if request.method == "POST" else 200)
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
