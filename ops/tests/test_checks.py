"""Start-up checks: a production site whose e-mails go nowhere says so."""

import pytest
from django.core.checks import run_checks

from ops.checks import email_is_delivered

CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _ids(messages):
    return [message.id for message in messages]


@pytest.mark.parametrize("backend", [CONSOLE, "django.core.mail.backends.locmem.EmailBackend"])
def test_debug_off_with_mail_that_never_arrives_warns(settings, backend):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    [warning] = email_is_delivered()
    assert warning.id == "ops.W001" and "cannot confirm their address" in warning.msg
    assert "ops.W001" in _ids(run_checks())  # registered: manage.py check and migrate show it


def test_smtp_or_development_is_quiet(settings):
    settings.DEBUG, settings.EMAIL_BACKEND = False, SMTP
    assert email_is_delivered() == []
    settings.DEBUG, settings.EMAIL_BACKEND = True, CONSOLE
    assert email_is_delivered() == []
