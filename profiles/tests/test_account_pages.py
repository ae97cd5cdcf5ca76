"""Log-in, sign-up and password pages speak Apex's words in Apex's look."""

import pytest
from django.urls import reverse

STOCK_WORDS = ("Sign In", "Sign Up", "Signup", "Sign Out", "Remember Me", "---------", "Reset My Password")


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_login", "Log in"),
        ("account_signup", "Sign up"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your e-mail"),
        ("account_email_verification_sent", "Check your e-mail"),
    ],
)
def test_account_pages_use_one_vocabulary_and_the_project_form_rows(client, db, name, heading):
    page = client.get(reverse(name)).content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert f"<title>{heading} · Apex</title>" in page
    for stock in STOCK_WORDS:
        assert stock not in page, stock
    assert 'class="account-page"' in page
    if name not in {"account_reset_password_done", "account_email_verification_sent"}:
        assert 'class="form-row' in page and 'class="account-form"' in page


def test_the_sign_up_form_says_the_address_will_be_confirmed(client, db):
    page = client.get(reverse("account_signup")).content.decode()
    assert '<label for="id_email">E-mail:</label>' in page
    assert "We e-mail you a link to confirm it before your first log-in." in page


def test_the_log_in_form_labels_its_fields_and_the_remember_checkbox(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login">Username or e-mail:</label>' in page
    assert 'class="form-row check-row"><input type="checkbox" name="remember"' in page
    assert '<label for="id_remember">Keep me logged in on this device</label>' in page


def test_the_log_out_page_asks_in_the_same_words(owner_client):
    page = owner_client.get(reverse("account_logout")).content.decode()
    assert "<h1>Log out</h1>" in page and ">Log out</button>" in page
    assert "Sign Out" not in page


def test_a_wrong_password_is_shown_in_the_form_and_keeps_the_username(client, user):
    response = client.post(reverse("account_login"), {"login": "owner", "password": "wrong-password"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" in page and 'value="owner"' in page
