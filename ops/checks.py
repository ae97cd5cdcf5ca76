"""Start-up checks for operators: settings that run but leave part of the site unable to work."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning

# Backends that never deliver: the console prints, locmem keeps, dummy drops.
UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend": "printed to the log",
    "django.core.mail.backends.locmem.EmailBackend": "kept in memory",
    "django.core.mail.backends.dummy.EmailBackend": "thrown away",
    "django.core.mail.backends.filebased.EmailBackend": "written to files",
}


def email_is_delivered(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With DEBUG off, e-mail must reach people: sign-up, password reset and add requests depend on it."""
    how = UNDELIVERED.get(settings.EMAIL_BACKEND)
    if settings.DEBUG or how is None:
        return []
    return [
        Warning(
            f"E-mails are {how}, not sent: new racers cannot confirm their address, and password "
            "resets and sim-profile add requests never arrive.",
            hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST "
            "(README, Deploy).",
            id="ops.W001",
        )
    ]
