"""Request bodies above the limit are refused with 413 before anything reads them; uploads have their own limit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from advisor.models import TheoryDocument

MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A body that fails the test if anything reads it."""

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readinto = read


def post_declaring(client: Client, path: str, length: int):
    extra: dict = {"CONTENT_LENGTH": str(length), "wsgi.input": UnreadableBody()}
    return client.generic("POST", path, content_type="multipart/form-data; boundary=x", **extra)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/admin/login/", "/racers/new/"])
def test_a_large_body_is_refused_unread_with_413(client, db, path):
    response = post_declaring(client, path, 20 * MB)
    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page and "1 MB" in page and response["X-Request-ID"] in page


def test_the_limit_is_settable_and_exact(client, db, settings):
    settings.REQUEST_MAX_BYTES = 1000
    from django.http import HttpResponse

    from apex.middleware import RequestSizeLimitMiddleware

    assert RequestSizeLimitMiddleware(lambda request: HttpResponse()).limit_for("/accounts/login/") == 1000
    assert post_declaring(client, "/accounts/login/", 1001).status_code == 413
    # At the limit the body is read as usual (a log-in form with errors).
    body = b"login=x" + b"&" * 993
    response = client.generic(
        "POST", "/accounts/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 403)


def test_upload_pages_have_their_own_larger_limit(staff_client):
    assert post_declaring(staff_client, reverse("theory_upload"), 22 * MB).status_code == 413
    assert post_declaring(staff_client, "/admin/advisor/theorydocument/add/", 22 * MB).status_code == 413
    # Over the general limit, under the upload limit (the text stays under the
    # library's 300,000 characters: the rest of the file is blank lines).
    text = ("# Diff oil\n\n" + "Thicker front diff oil pushes on entry. " * 5_000).encode() + b"\n" * (2 * MB)
    assert 2 * MB < len(text) < 3 * MB
    response = staff_client.post(
        reverse("theory_upload"),
        {"file": SimpleUploadedFile("diff-oil.md", text, "text/markdown"), "category": "diffs"},
    )
    assert response.status_code in (200, 302), response.content.decode()[-3000:]
    assert TheoryDocument.objects.filter(title="Diff oil").exists()


def test_small_posts_pass_as_before(owner_client):
    response = owner_client.post(reverse("racer_create"), {"name": "Junior"})
    assert response.status_code == 302
