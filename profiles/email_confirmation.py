"""The sign-up or log-in in this browser that waits for its e-mail address to be confirmed.

allauth keeps it in the session for ``LOGIN_TIMEOUT`` (15 minutes): the
confirmation link opened in this browser within that time logs the racer in,
and the "check your e-mail" page can send the e-mail again. A sign-up with an
address that already has an account waits the same way, with no user: it is
sent the "you already have an account" e-mail again, so the page and the
answers stay the same whichever it was.
"""

from allauth.account.internal import flows
from allauth.account.models import Login
from allauth.account.stages import EmailVerificationStage, LoginStageController
from allauth.account.utils import has_verified_email
from django.http import HttpRequest


def pending_login(request: HttpRequest) -> Login | None:
    """The waiting sign-up or log-in, or None (none started here, confirmed, or timed out)."""
    stage = LoginStageController.enter(request, EmailVerificationStage.key)
    return stage.login if stage is not None else None


def address_of(login: Login) -> str | None:
    """The address the e-mail went to; None for an account that has no e-mail address at all."""
    if login.user is None:
        return login.email  # a sign-up with a taken address: what was typed
    address = flows.email_verification.get_address_for_login(login)
    return address.email if address is not None else None


def is_confirmed(login: Login) -> bool:
    """Whether the account's address was confirmed meanwhile (the link opened in another browser)."""
    return login.user is not None and has_verified_email(login.user, login.email)


def send_again(request: HttpRequest, login: Login) -> bool:
    """Send the e-mail again; False when one went to the address in the last few minutes.

    allauth's own sending, with its per-address cool-down
    (the "confirm_email" rate limit), taken or new alike.
    """
    return flows.email_verification.send_verification_email_at_login(request, login)
