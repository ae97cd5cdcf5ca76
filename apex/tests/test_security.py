"""The security baseline: deploy checks, response headers, CSP, rate limits, CSRF."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from profiles import services
from profiles.models import RacerProfile

ROOT = Path(__file__).resolve().parents[2]

_ENV_KEYS = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    # Set in-process by the browser tests; never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_python(args: list[str], env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _ENV_KEYS}
    return subprocess.run(  # noqa: S603 - this interpreter, arguments from the tests
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=False
    )


def production_env(**extra) -> dict:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "apex.example.com",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        **extra,
    }


def settings_values(env: dict, *names: str) -> dict:
    code = (
        f"import json, apex.settings as s; print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}))"
    )
    result = run_python(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_is_clean_in_production():
    result = run_python(["manage.py", "check", "--deploy"], production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stderr.upper()


def test_deploy_check_warns_when_e_mails_would_only_be_printed():
    env = production_env(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    result = run_python(["manage.py", "check", "--deploy"], env)
    assert result.returncode == 0, result.stderr  # a warning, not an error: the site still serves
    assert "ops.W001" in result.stderr and "not sent" in result.stderr


def test_production_defaults_are_strict():
    values = settings_values(
        production_env(),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "ALLOWED_HOSTS",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        # The container healthcheck calls /healthz on localhost.
        "ALLOWED_HOSTS": ["apex.example.com", "localhost", "127.0.0.1"],
    }


def test_development_serves_plain_http():
    values = settings_values(
        {"DEBUG": "1"},
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_https_settings_follow_the_environment():
    env = production_env(SECURE_HSTS_SECONDS="3600", SECURE_SSL_REDIRECT="0")
    values = settings_values(env, "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT")
    assert values == {"SECURE_HSTS_SECONDS": 3600, "SECURE_SSL_REDIRECT": False}
    result = run_python(["-c", "import apex.settings"], production_env(SECURE_HSTS_SECONDS="a year"))
    assert result.returncode != 0 and "SECURE_HSTS_SECONDS" in result.stderr


# --- headers on real responses -------------------------------------------------

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def parse_csp(header: str) -> dict:
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def assert_security_headers(response):
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp == EXPECTED_CSP
    assert "unsafe" not in csp["script-src"] and "unsafe" not in csp["default-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def assert_no_inline_code(html: str):
    """Every script is a file (or inert JSON data); no inline styles or handlers."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def project_templates() -> list[Path]:
    return sorted(p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts)


def test_no_template_has_inline_script_or_style():
    """The policy would block them: every script and style is a static file."""
    templates = project_templates()
    assert any(p.name == "base.html" for p in templates)
    offenders = []
    for template in templates:
        html = template.read_text()
        tags = re.findall(r"<script\b[^>]*>", html)
        if any("src=" not in tag and 'type="application/json"' not in tag for tag in tags):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"<style\b|\sstyle=|\son[a-z]+=", html):
            offenders.append(f"{template}: inline style or event handler")
    assert offenders == []


@pytest.mark.parametrize(
    "url_name", ["home", "account_login", "account_signup", "account_email_verification_sent"]
)
def test_public_pages_send_security_headers(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_no_inline_code(response.content.decode())


def test_logged_in_page_sends_security_headers_and_no_inline_code(owner_client, user):
    services.create_profile(user, "Kid")
    response = owner_client.get(reverse("racer_list"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_no_inline_code(response.content.decode())


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/profiles/racerprofile/", "/admin/profiles/racerprofile/add/"]
)
def test_admin_works_under_the_policy(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 200
    assert_security_headers(response)
    assert_no_inline_code(response.content.decode())


def test_htmx_runs_without_eval_or_inline_styles(client, db):
    html = client.get(reverse("home")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert config is not None
    htmx_config = json.loads(config.group(1))
    assert htmx_config["allowEval"] is False
    assert htmx_config["includeIndicatorStyles"] is False


# --- rate limits -----------------------------------------------------------------


def login(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_login_flood_from_one_address_gets_the_429_page(client, db):
    # Failed log-ins wait sooner (profiles/tests/test_login_limits.py); any
    # 31 log-in posts a minute from one address are a flood whatever they hold.
    for number in range(30):
        client.post(reverse("account_login"), {"login": f"nobody{number}"})
    response = login(client, "nobody", "guessing")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_signup_flood_from_one_address_gets_the_429_page(client, db):
    for _ in range(20):
        # Invalid sign-ups count too: the limit is on attempts.
        assert client.post(reverse("account_signup"), {"username": "x"}).status_code == 200
    response = client.post(reverse("account_signup"), {"username": "x"})
    assert response.status_code == 429


# --- CSRF on state changes, including htmx ----------------------------------------


@pytest.fixture
def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def default_racer(user) -> RacerProfile:
    return RacerProfile.objects.get(is_default=True, owner=user)


def test_state_change_without_csrf_token_is_refused(csrf_client, user):
    second = services.create_profile(user, "Second")
    before = default_racer(user)
    csrf_client.get(reverse("home"))  # the CSRF cookie is set; only the token is missing
    assert "csrftoken" in csrf_client.cookies
    response = csrf_client.post(
        reverse("racer_set_default", args=[second.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert "nothing was changed" in response.content.decode()
    assert default_racer(user) == before != second


def test_htmx_state_change_with_the_token_from_hx_headers_succeeds(csrf_client, user):
    second = services.create_profile(user, "Second")
    assert default_racer(user) != second
    page = csrf_client.get(reverse("home")).content.decode()
    hx_headers = re.search(r"<body data-hx-headers='([^']+)'", page)
    assert hx_headers is not None
    token = json.loads(hx_headers.group(1))["X-CSRFToken"]
    response = csrf_client.post(
        reverse("racer_set_default", args=[second.pk]),
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert default_racer(user) == second


def test_plain_form_state_change_with_the_form_token_succeeds(csrf_client, user):
    second = services.create_profile(user, "Second")
    assert default_racer(user) != second
    page = csrf_client.get(reverse("racer_list")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = csrf_client.post(
        reverse("racer_set_default", args=[second.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert default_racer(user) == second
