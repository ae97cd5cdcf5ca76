"""Request ids, structured logs, error pages and /healthz."""

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection, connections
from django.test import Client, override_settings
from django.urls import path, reverse

from apex.urls import handler500
from apex.urls import urlpatterns as app_urlpatterns


def boom(request):
    raise RuntimeError("kaboom")


def database_down(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def forbidden(request):
    raise PermissionDenied


# This module doubles as a URLconf: the app's URLs plus views that fail.
urlpatterns = [
    path("test/boom/", boom),
    path("test/database-down/", database_down),
    path("test/forbidden/", forbidden),
    *app_urlpatterns,
]
__all__ = ["handler500", "urlpatterns"]

use_failing_urls = override_settings(ROOT_URLCONF=__name__)


ROOT = Path(__file__).resolve().parents[2]
REQUEST_FIELDS = {"method", "path", "status", "duration_ms", "user_id", "request_id"}


class JsonLog:
    """What the console handler writes, through its own formatter (settings.LOGGING)."""

    def __init__(self, stream: io.StringIO):
        self.stream = stream

    def records(self) -> list[dict]:
        lines = self.stream.getvalue().splitlines()
        # One JSON object per line, whatever the record: a traceback never spills over.
        return [json.loads(line) for line in lines]

    def requests(self) -> list[dict]:
        return [r for r in self.records() if r["logger"] == "apex.request" and r["event"] == "request"]

    def with_traceback(self) -> list[dict]:
        return [r for r in self.records() if "exception" in r]


@pytest.fixture
def json_log():
    root = logging.getLogger()
    console = next(h for h in root.handlers if h.name == "console")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    root.addHandler(handler)
    yield JsonLog(stream)
    root.removeHandler(handler)


@contextmanager
def database_refuses(monkeypatch):
    """Every new cursor fails, as when the database server is down.

    Undone inside the test, so the test database can still be cleaned up.
    """

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        # On the class: /healthz asks from a thread of its own, with its own connection.
        patch.setattr(type(connections["default"]), "cursor", refuse)
        yield


@pytest.fixture
def quiet_client():
    """A client that returns the 500 page instead of re-raising the error."""
    return Client(raise_request_exception=False)


# --- request log -----------------------------------------------------------------


def test_every_request_logs_one_json_line_with_all_fields(owner_client, user, json_log):
    response = owner_client.get(reverse("racer_list"), {"page": "1"})
    [line] = json_log.requests()
    assert set(line) == REQUEST_FIELDS | {"event", "logger", "level", "timestamp"}
    assert line["level"] == "info"
    assert line["method"] == "GET"
    assert line["path"] == reverse("racer_list")
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == user.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert uuid.UUID(hex=line["request_id"]).version == 4


def test_anonymous_requests_log_no_user(client, db, json_log):
    client.get(reverse("home"))
    [line] = json_log.requests()
    assert line["user_id"] is None and line["status"] == 200


def test_well_formed_incoming_request_id_is_kept(client, db, json_log):
    response = client.get(reverse("home"), headers={"X-Request-ID": "lb-2f9c.7_A-1"})
    assert response["X-Request-ID"] == "lb-2f9c.7_A-1"
    assert json_log.requests()[0]["request_id"] == "lb-2f9c.7_A-1"


@pytest.mark.parametrize("incoming", ["", "has space", 'quote"', "x" * 129, "-leading-dash", "новый"])
def test_malformed_incoming_request_id_is_replaced(client, db, incoming):
    response = client.get(reverse("home"), headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert uuid.UUID(hex=response["X-Request-ID"]).hex == response["X-Request-ID"]


def test_each_request_gets_its_own_id(client, db):
    first = client.get(reverse("home"))["X-Request-ID"]
    second = client.get(reverse("home"))["X-Request-ID"]
    assert first != second


# --- errors ----------------------------------------------------------------------


@use_failing_urls
def test_server_error_shows_and_logs_the_request_id(quiet_client, db, json_log):
    response = quiet_client.get("/test/boom/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    body = response.content.decode()
    assert request_id in body and "Something went wrong" in body

    # One record carries the traceback: Django's own, with the request id.
    [error] = json_log.with_traceback()
    assert error["logger"] == "django.request" and error["level"] == "error"
    assert error["request_id"] == request_id and error["status_code"] == 500
    assert error["exception"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: kaboom" in error["exception"]
    [line] = json_log.requests()
    assert (line["status"], line["request_id"], line["path"]) == (500, request_id, "/test/boom/")
    assert line["level"] == "error"
    assert len(json_log.records()) == 2


def test_django_request_warnings_are_json_with_the_request_id(client, db, json_log):
    response = client.get("/no-such-page/")
    [warning] = [r for r in json_log.records() if r["logger"] == "django.request"]
    assert warning["event"] == "Not Found: /no-such-page/"
    assert (warning["level"], warning["status_code"]) == ("warning", 404)
    assert warning["request_id"] == response["X-Request-ID"]


def test_records_after_the_request_carry_no_request_id(client, db, json_log):
    client.get(reverse("home"))
    logging.getLogger("allauth").warning("between requests")
    assert json_log.records()[0]["request_id"]
    assert "request_id" not in json_log.records()[-1]


def test_django_security_records_are_json(client, db, json_log):
    response = client.get(reverse("home"), HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    [record] = [r for r in json_log.records() if r["logger"].startswith("django.security")]
    assert "evil.example.com" in record["event"] and record["level"] == "error"
    assert record["request_id"] == response["X-Request-ID"]


def test_allauth_records_are_json(client, db, json_log):
    # allauth logs through logging.getLogger(__name__), e.g. when a login stage aborts.
    from allauth.account import stages

    stages.logger.error("Login stage aborted, redirecting to login")
    [record] = json_log.records()
    assert record["logger"] == "allauth.account.stages"
    assert (record["event"], record["level"]) == ("Login stage aborted, redirecting to login", "error")


def test_runserver_lines_are_json_without_the_socket(json_log):
    # What django.core.servers.basehttp logs for each request `runserver` serves.
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET / HTTP/1.1", "200", "512", extra={"request": object(), "status_code": 200}
    )
    [record] = json_log.records()
    assert record["event"] == '"GET / HTTP/1.1" 200 512'
    assert (record["logger"], record["status_code"]) == ("django.server", 200)
    assert "request" not in record
    # Django's own plain-text handlers for its loggers are gone; the root's JSON handler writes them.
    assert logging.getLogger("django.server").handlers == []
    assert logging.getLogger("django").handlers == []


def run_app(env: dict, code: str) -> subprocess.CompletedProcess:
    """``code`` after django.setup() in a fresh process, logging to its real stderr."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"LOG_LEVEL", "REQUEST_LOG_LEVEL", "DATABASE_URL"}
    }
    script = "import django; django.setup()\nfrom django.test import Client\n" + code
    return subprocess.run(  # noqa: S603 - the project's own code, in the test's interpreter
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "apex.settings",
            "DEBUG": "1",
            "DATABASE_URL": "sqlite://:memory:",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


HEALTHZ = 'Client().get("/healthz", HTTP_HOST="localhost")\n'


def test_stderr_is_one_json_object_per_line():
    result = run_app({}, HEALTHZ + 'import logging; logging.getLogger("allauth").warning("two\\nlines")')
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(r["logger"], r["event"]) for r in records] == [
        ("apex.request", "request"),
        ("allauth", "two\nlines"),
    ]


def test_request_log_level_silences_the_request_lines():
    result = run_app({"REQUEST_LOG_LEVEL": "WARNING"}, HEALTHZ)
    assert result.returncode == 0 and result.stderr == ""


def test_log_level_sets_the_root_level():
    result = run_app(
        {"LOG_LEVEL": "ERROR"}, HEALTHZ + 'import logging; logging.getLogger("allauth").warning("quiet")'
    )
    assert result.returncode == 0
    assert [json.loads(line)["logger"] for line in result.stderr.splitlines()] == ["apex.request"]


@use_failing_urls
def test_server_error_page_renders_with_the_database_down(quiet_client, db, monkeypatch):
    with database_refuses(monkeypatch):
        response = quiet_client.get("/test/database-down/", headers={"X-Request-ID": "outage-42"})
    assert response.status_code == 503 and response["Retry-After"]
    page = response.content.decode()
    assert "outage-42" in page and "cannot reach its database" in page


def test_server_error_page_falls_back_to_plain_html_when_the_template_fails(rf, monkeypatch):
    from apex import views

    def broken(*args, **kwargs):
        raise RuntimeError("template engine broken")

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    request = rf.get("/")
    request.request_id = "abc123"
    response = views.server_error(request)
    assert response.status_code == 500 and b"abc123" in response.content


def test_missing_page_is_the_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]


def test_other_users_racer_is_the_friendly_404(other_client, user):
    from profiles import services

    racer = services.create_profile(user, "Mine")
    response = other_client.get(reverse("racer_detail", args=[racer.pk]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@use_failing_urls
def test_forbidden_is_the_friendly_403(client, db):
    response = client.get("/test/forbidden/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert response.templates[0].name == "403.html"


# --- healthz ---------------------------------------------------------------------


def test_healthz_reports_ok(client, db):
    response = client.get(reverse("healthz"))
    assert reverse("healthz") == "/healthz"
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_503_when_the_database_fails(client, db, monkeypatch):
    with database_refuses(monkeypatch):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_healthz_needs_no_login_and_writes_no_session(client, db, django_assert_num_queries):
    # Its SELECT 1 runs on the checker thread's own connection, not the request's.
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert not response.cookies
    assert Session.objects.count() == 0


def test_healthz_for_logged_in_user_does_not_touch_the_session(owner_client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = owner_client.get(reverse("healthz"))
    assert response.status_code == 200 and "sessionid" not in response.cookies


def test_healthz_answers_plain_http_on_localhost_when_https_is_enforced(client, db):
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["apex.example.com", "localhost"]):
        response = client.get(reverse("healthz"), HTTP_HOST="localhost")
        assert response.status_code == 200
        other = Client().get(reverse("home"), HTTP_HOST="apex.example.com")
        assert other.status_code == 301 and other["Location"].startswith("https://")


def test_healthz_only_answers_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405
