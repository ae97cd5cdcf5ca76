"""Request ids, structured request logs, error pages and /healthz."""

import json
import logging
import uuid
from contextlib import contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
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


def request_lines(caplog) -> list[dict]:
    return [
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == "apex.request" and "event" not in r.getMessage()
    ]


def exception_records(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "apex.request" and '"event": "exception"' in r.getMessage()
    ]


@contextmanager
def database_refuses(monkeypatch):
    """Every new cursor fails, as when the database server is down.

    Undone inside the test, so the test database can still be cleaned up.
    """

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        yield


@pytest.fixture
def quiet_client():
    """A client that returns the 500 page instead of re-raising the error."""
    return Client(raise_request_exception=False)


# --- request log -----------------------------------------------------------------


def test_every_request_logs_one_json_line_with_all_fields(owner_client, user, caplog):
    caplog.set_level(logging.INFO, logger="apex.request")
    response = owner_client.get(reverse("racer_list"), {"page": "1"})
    [line] = request_lines(caplog)
    assert set(line) == {"method", "path", "status", "duration_ms", "user_id", "request_id"}
    assert line["method"] == "GET"
    assert line["path"] == reverse("racer_list")
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == user.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert uuid.UUID(hex=line["request_id"]).version == 4


def test_anonymous_requests_log_no_user(client, db, caplog):
    caplog.set_level(logging.INFO, logger="apex.request")
    client.get(reverse("home"))
    [line] = request_lines(caplog)
    assert line["user_id"] is None and line["status"] == 200


def test_well_formed_incoming_request_id_is_kept(client, db, caplog):
    caplog.set_level(logging.INFO, logger="apex.request")
    response = client.get(reverse("home"), headers={"X-Request-ID": "lb-2f9c.7_A-1"})
    assert response["X-Request-ID"] == "lb-2f9c.7_A-1"
    assert request_lines(caplog)[0]["request_id"] == "lb-2f9c.7_A-1"


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
def test_server_error_shows_and_logs_the_request_id(quiet_client, db, caplog):
    caplog.set_level(logging.INFO, logger="apex.request")
    response = quiet_client.get("/test/boom/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    body = response.content.decode()
    assert request_id in body and "Something went wrong" in body

    [error] = exception_records(caplog)
    assert json.loads(error.getMessage())["request_id"] == request_id
    assert error.levelno == logging.ERROR
    assert error.exc_info[0] is RuntimeError
    [line] = request_lines(caplog)
    assert (line["status"], line["request_id"], line["path"]) == (500, request_id, "/test/boom/")


@use_failing_urls
def test_server_error_page_renders_with_the_database_down(quiet_client, db, monkeypatch):
    with database_refuses(monkeypatch):
        response = quiet_client.get("/test/database-down/", headers={"X-Request-ID": "outage-42"})
    assert response.status_code == 500
    assert "outage-42" in response.content.decode()


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
    with django_assert_num_queries(1):  # SELECT 1, nothing else
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert not response.cookies
    assert Session.objects.count() == 0


def test_healthz_for_logged_in_user_does_not_touch_the_session(owner_client, django_assert_num_queries):
    with django_assert_num_queries(1):
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
