"""Log-in limits that an attacker cannot aim at somebody else.

Three counters of failed log-ins, kept in the cache (shared by every app
process when ``CACHE_URL`` points at Redis):

- per (account, address): after ``PAIR_FREE`` failures the next try from that
  address for that account waits, twice as long after each further failure
  (``BASE_DELAY`` up to ``MAX_DELAY``). Only the guesser waits: the account's
  owner, logging in from elsewhere, does not.
- per address: the same back-off after ``ADDRESS_FREE`` failures whatever the
  accounts, so one address cannot spray guesses over many accounts. It is
  generous because many people may share one address.
- per account, from everywhere: a generous ceiling (``ACCOUNT_CEILING`` in
  ``WINDOW``), against guesses spread over many addresses. Reaching it locks
  the account and e-mails its owner a link that lifts the lock and marks
  that browser as the owner's, so a renewed lock-out does not stop them.

A refused try is answered with HTTP 429, ``Retry-After`` and a page that says
what to do. The same limits guard ``/accounts/login/`` and ``/admin/login/``.
"""

import hashlib
import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from allauth.account.adapter import get_adapter
from allauth.account.signals import password_reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from apex.http import View
from profiles.models import User

PAIR_FREE = 5
ADDRESS_FREE = 20
ACCOUNT_CEILING = 100
WINDOW = 24 * 60 * 60  # failures are forgotten a day after the last one
BASE_DELAY = 30
MAX_DELAY = 60 * 60
UNLOCK_MAX_AGE = 24 * 60 * 60
UNLOCK_SALT = "apex.login-unlock"
OWNER_COOKIE = "apex_login_owner"
OWNER_COOKIE_MAX_AGE = 30 * 24 * 60 * 60
_PREFIX = "apex:login-limits"


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # seconds
    account_locked: bool


def _client_address(request: HttpRequest) -> str:
    """The client's address (allauth's reading honours ALLAUTH_TRUSTED_PROXY_COUNT).

    An IPv6 client counts as its /64: one subscriber usually holds a whole
    /64, so single addresses inside it would be free for the taking.
    """
    address = cast(str, get_adapter(request).get_client_ip(request))
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def account_key(login: str) -> str:
    """The account a typed log-in names: its user id, else a digest of the text.

    A user name and an e-mail address of one account count as one account.
    """
    login = login.strip()
    if login:
        pk = (
            User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            return f"user:{pk}"
    return "login:" + hashlib.sha256(login.lower().encode("utf-8", "surrogateescape")).hexdigest()


def _keys(account: str, address: str) -> dict[str, str]:
    address_digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return {
        "pair": f"{_PREFIX}:pair:{account}:{address_digest}",
        "address": f"{_PREFIX}:address:{address_digest}",
        "account": f"{_PREFIX}:account:{account}",
        "locked": f"{_PREFIX}:locked:{account}",
    }


def _count(key: str) -> int:
    return cast(int, cache.get(key, 0))


def _increment(key: str) -> int:
    cache.add(key, 0, WINDOW)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        value = 1
    cache.touch(key, WINDOW)
    return value


def _back_off(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` when ``free`` are allowed without waiting."""
    if failures < free:
        return 0
    return min(BASE_DELAY * 2 ** (failures - free), MAX_DELAY)


def _until_key(key: str) -> str:
    return key + ":until"


def _wait(key: str, now: float) -> int:
    until = cast(float, cache.get(_until_key(key), 0.0))
    return max(0, int(until - now + 0.999))


def _owner_cookie_account(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(
        OWNER_COOKIE, default=None, salt=UNLOCK_SALT, max_age=OWNER_COOKIE_MAX_AGE
    )


def refusal(request: HttpRequest, account: str) -> Refusal | None:
    """Why this try must wait, or None when it may go ahead."""
    now = time.time()
    keys = _keys(account, _client_address(request))
    locked_until = cast(float | None, cache.get(keys["locked"]))
    locked = locked_until is not None and _owner_cookie_account(request) != account
    wait = max(_wait(keys["pair"], now), _wait(keys["address"], now))
    if locked and locked_until is not None:
        wait = max(wait, int(locked_until - now + 0.999), 1)
    if wait <= 0:
        return None
    return Refusal(retry_after=wait, account_locked=locked)


def record_failure(request: HttpRequest, account: str) -> None:
    now = time.time()
    keys = _keys(account, _client_address(request))
    for name, free in (("pair", PAIR_FREE), ("address", ADDRESS_FREE)):
        delay = _back_off(_increment(keys[name]), free)
        if delay:
            cache.set(_until_key(keys[name]), now + delay, delay)
    if _increment(keys["account"]) == ACCOUNT_CEILING:
        cache.set(keys["locked"], now + MAX_DELAY, MAX_DELAY)
        _mail_the_owner(request, account)


def record_success(request: HttpRequest, account: str) -> None:
    """The owner got in from here: their own earlier typos no longer count."""
    keys = _keys(account, _client_address(request))
    cache.delete_many([keys["pair"], _until_key(keys["pair"])])


def _mail_the_owner(request: HttpRequest, account: str) -> None:
    if not account.startswith("user:"):
        return
    user = User.objects.filter(pk=int(account.removeprefix("user:"))).first()
    if user is None or not user.email:
        return
    token = signing.dumps({"account": account}, salt=UNLOCK_SALT)
    link = request.build_absolute_uri(reverse("login_unlock", args=[token]))
    send_mail(
        "Apex: log-in to your account is paused",
        (
            f"Hello {user.get_username()},\n\n"
            f"Someone has typed a wrong password for your Apex account {ACCOUNT_CEILING} times "
            "in the last day, from many places, so log-in to it is paused for an hour.\n\n"
            "If that was not you, your password has not been given away: nobody got in. "
            "To log in now, open this link in your browser (it works for a day):\n\n"
            f"{link}\n\n"
            "That browser can then log in even if the pause comes back. If you forgot your "
            "password, reset it from the log-in page instead.\n"
        ),
        None,
        [user.email],
    )


def unlock(token: str) -> str | None:
    """The account a valid unlock token names, with its lock lifted; None when the token is bad."""
    try:
        account = cast(str, signing.loads(token, salt=UNLOCK_SALT, max_age=UNLOCK_MAX_AGE)["account"])
    except (signing.BadSignature, KeyError, TypeError):
        return None
    cache.delete_many([f"{_PREFIX}:locked:{account}", f"{_PREFIX}:account:{account}"])
    return account


def mark_owner_browser(response: HttpResponse, account: str) -> None:
    response.set_signed_cookie(
        OWNER_COOKIE,
        account,
        salt=UNLOCK_SALT,
        max_age=OWNER_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def refused_response(request: HttpRequest, why: Refusal) -> HttpResponse:
    minutes = max(1, (why.retry_after + 59) // 60)
    response = render(
        request,
        "profiles/login_limited.html",
        {"minutes": minutes, "account_locked": why.account_locked},
        status=429,
    )
    response["Retry-After"] = str(why.retry_after)
    return response


def login_limited(field: str) -> Callable[[View], View]:
    """Refuse a log-in POST that must wait; ``field`` is the form's log-in field."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                account = account_key(request.POST.get(field, ""))
                request._login_limit_account = account  # type: ignore[attr-defined]  # read by the signals below
                why = refusal(request, account)
                if why is not None:
                    return refused_response(request, why)
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


@receiver(user_login_failed, dispatch_uid="profiles.login_limits.failed")
def _count_failure(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    account = getattr(request, "_login_limit_account", None)
    if request is not None and account is not None:
        record_failure(request, account)


@receiver(user_logged_in, dispatch_uid="profiles.login_limits.succeeded")
def _forget_failures(sender: object, request: HttpRequest | None, user: User, **kw: Any) -> None:
    if request is not None and getattr(request, "_login_limit_account", None) is not None:
        record_success(request, f"user:{user.pk}")


@receiver(password_reset, dispatch_uid="profiles.login_limits.password_reset")
def _lift_after_password_reset(sender: object, request: HttpRequest, user: User, **kw: Any) -> None:
    """Whoever reset the password through the e-mailed link owns the account: let them in."""
    account = f"user:{user.pk}"
    keys = _keys(account, _client_address(request))
    cache.delete_many([keys["pair"], _until_key(keys["pair"]), keys["account"], keys["locked"]])
