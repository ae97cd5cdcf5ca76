"""An account confirms its e-mail address before it can use Apex; confirming lets the racer in."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apex.tests.fixtures import PASSWORD, SIGNUP_PASSWORD, confirmation_link, mail_to, make_user, sign_up
from profiles.models import RacerProfile
from profiles.session import ACTIVE_RACER_KEY

SENT = reverse("account_email_verification_sent")
RESEND = reverse("account_email_verification_resend")


def log_in(client: Client, login: str, password: str = SIGNUP_PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_new_account_cannot_log_in_until_its_address_is_confirmed(client, db):
    sign_up(client, "newbie")
    assert not logged_in(client)
    assert client.get(reverse("racer_list"))["Location"].startswith(reverse("account_login"))

    response = log_in(Client(), "newbie")
    assert response.status_code == 302 and response["Location"] == SENT
    response = log_in(Client(), "newbie@example.com")
    assert response["Location"] == SENT
    assert not EmailAddress.objects.filter(user__username="newbie", verified=True).exists()
    assert not RacerProfile.objects.filter(owner__username="newbie").exists()


def test_confirming_in_the_browser_that_signed_up_logs_in_with_the_first_racer(client, db):
    sign_up(client, "newbie")
    link = confirmation_link("newbie@example.com")

    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Confirm your e-mail address</h1>" in html
    assert "newbie@example.com" in html and "<strong>newbie</strong>" in html
    assert ">Confirm my address</button>" in html
    assert not EmailAddress.objects.get(email="newbie@example.com").verified  # a visit confirms nothing

    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in(client)
    racer = RacerProfile.objects.get(owner__username="newbie")
    assert racer.name == "newbie" and racer.is_default
    assert client.session[ACTIVE_RACER_KEY] == racer.pk
    home = client.get(reverse("home"))
    assert "<h1>newbie</h1>" in home.content.decode()
    assert "Thanks: newbie@example.com is confirmed." in messages_of(home)


def test_confirming_in_another_browser_leads_to_log_in_and_then_the_racer(client, db):
    sign_up(client, "newbie")
    phone = Client()
    link = confirmation_link("newbie@example.com")
    response = phone.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert not logged_in(phone)
    assert "Thanks: newbie@example.com is confirmed." in messages_of(phone.get(response["Location"]))

    assert log_in(phone, "newbie")["Location"] == reverse("home")
    assert logged_in(phone)
    assert RacerProfile.objects.get(owner__username="newbie", is_default=True).name == "newbie"
    # The browser that signed up is told, rather than offered another e-mail.
    waiting = client.get(SENT)
    assert waiting["Location"] == reverse("account_login")


def test_a_used_link_says_it_no_longer_works_and_how_to_go_on(client, db):
    sign_up(client, "newbie")
    link = confirmation_link("newbie@example.com")
    client.post(link)
    page = Client().get(link).content.decode()
    assert "<h1>This link no longer works</h1>" in page
    assert "used already, or it is more than 3 days old" in page
    assert f'href="{reverse("account_login")}"' in page


def test_a_broken_link_says_it_no_longer_works(client, db):
    page = client.get(reverse("account_confirm_email", args=["not-a-key"]))
    assert page.status_code == 200
    assert "<h1>This link no longer works</h1>" in page.content.decode()


def test_someone_logged_in_as_another_account_who_opens_the_link_is_logged_out_of_it(
    other_client, other_user, db
):
    sign_up(Client(), "newbie")
    link = confirmation_link("newbie@example.com")
    other_client.get(link)
    assert not logged_in(other_client)
    other_client.post(link)
    assert EmailAddress.objects.get(email="newbie@example.com").verified
    assert not logged_in(other_client)  # the link is no log-in: the password is still needed


def test_log_in_with_an_unconfirmed_address_sends_a_link_and_says_so(client, db):
    """An account from before confirmation was needed, or one whose sign-up link expired."""
    make_user("veteran", email="veteran@example.com", email_verified=False)
    response = log_in(client, "veteran", PASSWORD)
    assert response["Location"] == SENT
    assert not logged_in(client)
    page = client.get(SENT).content.decode()
    assert "<h1>Confirm your e-mail address</h1>" in page
    assert "not confirmed yet, so you cannot log in until it is" in page
    assert "veteran@example.com" in page and ">Send the e-mail again</button>" in page

    [message] = mail_to("veteran@example.com")
    assert message.subject == "Apex: confirm your e-mail address"
    assert 'The Apex account "veteran" needs its e-mail address confirmed' in message.body
    assert client.post(confirmation_link("veteran@example.com"))["Location"] == reverse("home")
    assert logged_in(client)
    assert RacerProfile.objects.get(owner__username="veteran").is_default


def test_an_account_without_an_address_is_told_it_cannot_be_confirmed(client, db):
    make_user("nomail", email="")
    assert log_in(client, "nomail", PASSWORD)["Location"] == SENT
    page = client.get(SENT).content.decode()
    assert "Your account has no e-mail address" in page
    assert "Send the e-mail again" not in page
    assert mail.outbox == []


@pytest.mark.parametrize("address", ["newbie@example.com", "taken@example.com"])
def test_send_again_waits_a_few_minutes_then_sends_taken_or_new_alike(client, db, address):
    make_user("rider", email="taken@example.com")
    sign_up(client, "newbie", address)
    assert len(mail_to(address)) == 1

    soon = client.post(RESEND)
    assert soon["Location"] == SENT
    assert messages_of(client.get(SENT)) == [
        "We sent you one less than 3 minutes ago, so not another yet. "
        "Give it a moment, check your spam folder, then try again."
    ]
    assert len(mail_to(address)) == 1

    cache.clear()  # the cool-down is over
    later = client.post(RESEND)
    assert later["Location"] == SENT
    assert messages_of(client.get(SENT)) == ["Sent again. The newest e-mail is at the top of your inbox."]
    first, second = mail_to(address)
    assert first.subject == second.subject
    assert second.subject == (
        "Apex: you already have an account"
        if address == "taken@example.com"
        else "Apex: confirm your e-mail address to finish signing up"
    )


def test_send_again_with_nothing_waiting_leads_to_log_in(client, db):
    response = client.post(RESEND)
    assert response["Location"] == reverse("account_login")
    assert "Log in with your username and password and we will send you a new link." in messages_of(
        client.get(response["Location"])
    )
    assert mail.outbox == []


def test_send_again_is_a_post(client, db):
    assert client.get(RESEND).status_code == 405


def test_check_your_email_without_a_sign_up_explains_what_to_do(client, db):
    page = client.get(SENT)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Check your e-mail</h1>" in html
    assert "if you have just signed up, we have sent you an e-mail" in html
    assert "Send the e-mail again" not in html and f'href="{reverse("account_login")}"' in html


@pytest.mark.parametrize("is_staff", [False, True], ids=["racer", "staff"])
def test_someone_logged_in_gets_the_general_page_and_no_e_mail(client, db, is_staff):
    """Nothing is waiting for a logged-in account here: no address shown, nothing sent."""
    user = make_user("already-in", is_staff=is_staff)
    client.force_login(user)
    html = client.get(SENT).content.decode()
    assert "Check your e-mail" in html and user.email not in html
    resend = client.post(RESEND)
    assert resend.status_code == 302 and mail.outbox == []
