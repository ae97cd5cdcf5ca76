"""Logged-in pages get the CSRF token as text; visitors keep Django's lazy token and stay cookie-free."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_logged_in_page_has_the_token_as_text_and_its_forms_post(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.get(reverse("vehicle_list"))
    token = response.context["csrf_token"]
    assert type(token) is str and f'value="{token}"' in response.content.decode()
    assert client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_public_page_sets_no_csrf_cookie(client):
    response = client.get(reverse("sim_profile_browse"))
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert type(response.context["csrf_token"]) is not str  # Django's lazy token, never evaluated
