"""Adding an ID: the answer never says whether a private profile has it; staff decide with the code."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apex.compiled import compiled
from apex.tests.fixtures import all_succeeded, make_user, run_together
from sims import services
from sims.models import AddRequest, AuditEntry, SimProfile, VerificationRequest
from sims.tests.factories import make_profile, make_simulator
from sims.views import _live_add_requests

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def add(client, simulator, identifier, name="Typed Name", **extra):
    return client.post(
        reverse("sim_profile_add"),
        {"simulator": simulator.pk, "profile_identifier": identifier, "profile_name": name},
        **extra,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def profile_state(profile: SimProfile) -> dict:
    return SimProfile.objects.filter(pk=profile.pk).values().get()


def _masked(text: str, request: AddRequest) -> str:
    """The text with what the driver typed, their code and its expiry time taken out."""
    text = text.replace(request.profile_identifier, "<ID>").replace(request.code, "<CODE>")
    return re.sub(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2} \w+", "<WHEN>", text)


def _masked_sql(queries: list[dict]) -> list[str]:
    return [re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"]) for q in queries]


def _answer(client, simulator, identifier, capture) -> dict:
    """Everything the driver gets back for one add: the response, the page after it, the e-mail."""
    mail.outbox.clear()
    with capture(execute=True), CaptureQueriesContext(connection) as queries:
        response = add(client, simulator, identifier)
    request = AddRequest.objects.get(profile_identifier=identifier)
    page = client.get(response["Location"])
    (email,) = mail.outbox
    return {
        "status": response.status_code,
        "location": response["Location"],
        "messages": [_masked(m, request) for m in messages_of(page)],
        "to": email.to,
        "subject": _masked(str(email.subject), request),
        "body": _masked(str(email.body), request),
        "queries": _masked_sql(queries.captured_queries),
    }


# --- the leak is closed ----------------------------------------------------------


@pytest.mark.parametrize("hidden_owner", ["another account", "nobody"])
def test_a_new_id_and_a_private_profile_get_the_same_answer(
    owner_client, user, other_user, hidden_owner, django_capture_on_commit_callbacks
):
    simulator = make_simulator()
    linked = other_user if hidden_owner == "another account" else None
    hidden = make_profile(
        simulator, name="Hidden Hal", identifier="HID-1", is_public=False, linked_user=linked
    )
    before = profile_state(hidden)

    new = _answer(owner_client, simulator, "NEW-1", django_capture_on_commit_callbacks)
    private = _answer(owner_client, simulator, "HID-1", django_capture_on_commit_callbacks)

    assert new == private
    assert new["status"] == 302 and new["location"] == reverse("my_sim_profiles")
    assert new["messages"] == [
        "We've noted <ID> on Iracing. To add it, prove it's yours: put the code <CODE> in your "
        "profile on Iracing (for example in its bio or status) within 48 hours, and our staff "
        "check it. We've e-mailed you the steps."
    ]
    assert new["to"] == ["owner@example.com"]
    assert "Hidden Hal" not in private["body"] and "linked" not in private["body"]
    # Nothing about the hidden profile changed, and nothing points at it.
    assert profile_state(hidden) == before
    assert not AuditEntry.objects.filter(profile=hidden).exists()
    assert SimProfile.objects.count() == 1


def test_each_answer_records_a_pending_request_with_a_code_valid_48_hours(
    owner_client, user, other_user, django_capture_on_commit_callbacks
):
    simulator = make_simulator()
    make_profile(simulator, identifier="HID-2", is_public=False, linked_user=other_user)
    for identifier in ("NEW-2", "HID-2"):
        with django_capture_on_commit_callbacks(execute=True):
            add(owner_client, simulator, identifier, name=" Spaced Sam ", REMOTE_ADDR="203.0.113.4")
        request = AddRequest.objects.get(profile_identifier=identifier)
        assert (request.requested_by, request.simulator, request.profile_name, request.status) == (
            user,
            simulator,
            "Spaced Sam",
            AddRequest.Status.PENDING,
        )
        assert re.fullmatch(r"APEX-[2-9A-HJKMNP-Z]{5}", request.code)
        assert abs(request.expires_at - (timezone.now() + dt.timedelta(hours=48))) < dt.timedelta(minutes=1)
        entry = AuditEntry.objects.get(
            action=AuditEntry.Action.ADD_REQUESTED, detail__startswith=request.code
        )
        assert (entry.profile, entry.actor, entry.ip_address) == (None, user, "203.0.113.4")
        assert entry.profile_label == f"Iracing · {identifier} · Spaced Sam"
    body = mail.outbox[-1].body
    assert "put this code in your profile on Iracing" in body and "valid until" in body


def test_without_an_e_mail_address_the_answer_does_not_promise_one(
    client, other_user, django_capture_on_commit_callbacks
):
    client.force_login(make_user("no-mail", email=""))
    simulator = make_simulator()
    make_profile(simulator, identifier="HID-3", is_public=False, linked_user=other_user)
    for identifier in ("NEW-3", "HID-3"):
        with django_capture_on_commit_callbacks(execute=True):
            response = add(client, simulator, identifier, follow=True)
        assert "We've e-mailed" not in messages_of(response)[0]
    assert mail.outbox == []


# --- what the driver can see keeps today's answers --------------------------------


def test_an_id_already_mine_says_so_public_or_private(owner_client, user):
    for is_public in (True, False):
        mine = make_profile(name="Mine Max", linked_user=user, is_public=is_public)
        response = add(owner_client, mine.simulator, mine.profile_identifier, follow=True)
        assert response.redirect_chain[-1][0] == reverse("my_sim_profiles")
        assert messages_of(response) == ["Mine Max is already yours."]
    assert not AddRequest.objects.exists()


def test_a_public_unlinked_id_leads_to_claiming_it(owner_client):
    existing = make_profile(identifier="42", name="Existing Eve")
    response = add(owner_client, existing.simulator, "42", name="Other Name", follow=True)
    assert response.redirect_chain[-1][0] == reverse("sim_profile_link", args=[existing.pk])
    assert messages_of(response) == ["That driver is already in the directory: claim it here."]
    existing.refresh_from_db()
    assert existing.profile_name == "Existing Eve" and existing.linked_user is None
    assert not AddRequest.objects.exists() and SimProfile.objects.count() == 1


def test_a_public_id_linked_to_someone_else_leads_to_its_page(owner_client, other_user):
    existing = make_profile(identifier="43", linked_user=other_user)
    response = add(owner_client, existing.simulator, "43", follow=True)
    assert response.redirect_chain[-1][0] == existing.get_absolute_url()
    assert messages_of(response) == ["That driver is already in the directory and linked to another account."]
    assert not AddRequest.objects.exists()


def test_a_public_id_linked_to_someone_else_with_the_directory_off_leads_home(
    owner_client, other_user, settings
):
    settings.ENABLE_PUBLIC_PROFILES = False
    existing = make_profile(identifier="44", linked_user=other_user)
    response = add(owner_client, existing.simulator, "44")
    assert response["Location"] == reverse("my_sim_profiles")


def test_visible_answers_send_no_e_mail(owner_client, user, other_user, django_capture_on_commit_callbacks):
    simulator = make_simulator()
    for fields in ({"linked_user": user}, {}, {"linked_user": other_user}):
        profile = make_profile(simulator, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            add(owner_client, simulator, profile.profile_identifier)
    assert mail.outbox == [] and not AuditEntry.objects.exists()


# --- asking again, and how many ------------------------------------------------------


def test_adding_the_same_id_again_keeps_its_live_code(owner_client, django_capture_on_commit_callbacks):
    simulator = make_simulator()
    with django_capture_on_commit_callbacks(execute=True):
        add(owner_client, simulator, "AGAIN-1")
        add(owner_client, simulator, "AGAIN-1")
    request = AddRequest.objects.get()
    assert len(mail.outbox) == 2 and all(request.code in m.body for m in mail.outbox)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ADD_REQUESTED).count() == 1


def test_an_expired_request_is_replaced_by_a_new_code(user):
    simulator = make_simulator()
    first = services.add_request_open(simulator=simulator, identifier="OLD-1", name="Old", user=user, ip=None)
    AddRequest.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    second = services.add_request_open(
        simulator=simulator, identifier="OLD-1", name="Old", user=user, ip=None
    )
    assert second.pk != first.pk and second.code != first.code
    first.refresh_from_db()
    assert first.status == AddRequest.Status.CANCELLED and first.decided_at is not None


def test_more_than_ten_waiting_ids_are_refused_with_the_reason(
    owner_client, user, django_capture_on_commit_callbacks
):
    simulator = make_simulator()
    for n in range(services.MAX_LIVE_ADD_REQUESTS):
        services.add_request_open(simulator=simulator, identifier=f"MANY-{n}", name="M", user=user, ip=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = add(owner_client, simulator, "MANY-X")
    assert response.status_code == 200
    assert "You have 10 IDs waiting for verification" in response.content.decode()
    assert not AddRequest.objects.filter(profile_identifier="MANY-X").exists() and mail.outbox == []
    # Another user is not held up by this one's queue, and a waiting ID may be asked again.
    assert services.add_request_open(
        simulator=simulator, identifier="MANY-X", name="M", user=make_user(), ip=None
    )
    assert services.add_request_open(simulator=simulator, identifier="MANY-0", name="M", user=user, ip=None)


# --- My sim profiles: waiting for verification ------------------------------------------


def test_my_sim_profiles_lists_my_waiting_ids_with_code_and_cancel(owner_client, user, other_user):
    simulator = make_simulator("iracing", "iRacing")
    mine = services.add_request_open(
        simulator=simulator, identifier="WAIT-1", name="Wendy", user=user, ip=None
    )
    theirs = services.add_request_open(
        simulator=simulator, identifier="WAIT-2", name="Theo", user=other_user, ip=None
    )
    expired = services.add_request_open(
        simulator=simulator, identifier="WAIT-3", name="Ex", user=user, ip=None
    )
    AddRequest.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    cancelled = services.add_request_open(
        simulator=simulator, identifier="WAIT-4", name="C", user=user, ip=None
    )
    services.add_request_cancel(request=cancelled, user=user, ip=None)

    page = owner_client.get(reverse("my_sim_profiles")).content.decode()
    section = page[page.index("Waiting for verification") :]
    assert "WAIT-1" in section and mine.code in section and "iRacing" in section
    assert f'<strong id="add-code-{mine.pk}">{mine.code}</strong>' in section
    assert "Put the code in your iRacing profile" in section
    assert f'href="{reverse("sim_add_request_cancel", args=[mine.pk])}"' in section
    for gone in (theirs, expired, cancelled):
        assert gone.profile_identifier not in page and gone.code not in page


def test_another_user_does_not_see_my_waiting_ids(other_client, user):
    request = services.add_request_open(
        simulator=make_simulator(), identifier="WAIT-5", name="W", user=user, ip=None
    )
    page = other_client.get(reverse("my_sim_profiles")).content.decode()
    assert request.code not in page and "WAIT-5" not in page and "No IDs waiting" in page


def test_waiting_section_empty_state(owner_client):
    page = owner_client.get(reverse("my_sim_profiles")).content.decode()
    assert "Waiting for verification" in page and "No IDs waiting" in page


def test_the_htmx_list_refresh_does_not_read_the_waiting_ids(owner_client, user):
    profile = make_profile(linked_user=user)
    services.add_request_open(simulator=profile.simulator, identifier="WAIT-6", name="W", user=user, ip=None)
    with CaptureQueriesContext(connection) as queries:
        body = owner_client.get(reverse("my_sim_profiles"), headers=HTMX).content.decode()
    assert "WAIT-6" not in body and "Waiting for verification" not in body
    assert not [q for q in queries.captured_queries if "sims_addrequest" in q["sql"]]


def test_anonymous_is_sent_to_login_for_the_list_and_cancel(client, user):
    request = services.add_request_open(
        simulator=make_simulator(), identifier="ANON-1", name="A", user=user, ip=None
    )
    url = reverse("sim_add_request_cancel", args=[request.pk])
    for response in (client.get(reverse("my_sim_profiles")), client.get(url), client.post(url)):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    request.refresh_from_db()
    assert request.status == AddRequest.Status.PENDING


# --- cancelling ---------------------------------------------------------------------------


@pytest.fixture
def waiting(user) -> AddRequest:
    return services.add_request_open(
        simulator=make_simulator("iracing", "iRacing"), identifier="CXL-1", name="Cal", user=user, ip=None
    )


def test_cancel_asks_first_and_changes_nothing(owner_client, waiting):
    url = reverse("sim_add_request_cancel", args=[waiting.pk])
    page = owner_client.get(url).content.decode()
    assert "Cancel the request for CXL-1?" in page and waiting.code in page and 'role="alertdialog"' in page
    fragment = owner_client.get(url, headers=HTMX).content.decode()
    assert 'role="alertdialog"' in fragment and "<html" not in fragment
    waiting.refresh_from_db()
    assert waiting.status == AddRequest.Status.PENDING


def test_cancel_post_cancels_and_audits(owner_client, user, waiting):
    url = reverse("sim_add_request_cancel", args=[waiting.pk])
    response = owner_client.post(url, REMOTE_ADDR="198.51.100.3", follow=True)
    assert response.redirect_chain[-1][0] == reverse("my_sim_profiles")
    assert messages_of(response) == ["Cancelled the request for CXL-1 on iRacing. Its code no longer counts."]
    waiting.refresh_from_db()
    assert waiting.status == AddRequest.Status.CANCELLED and waiting.decided_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ADD_CANCELLED)
    assert (entry.actor, entry.ip_address, entry.profile) == (user, "198.51.100.3", None)
    assert "CXL-1" not in response.content.decode().split("Waiting for verification")[1]
    # Again: nothing left to cancel, and it says so.
    again = owner_client.post(url, follow=True)
    assert messages_of(again) == ["The request for CXL-1 on iRacing is already cancelled."]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ADD_CANCELLED).count() == 1


def test_another_user_cannot_cancel_my_request(other_client, waiting):
    url = reverse("sim_add_request_cancel", args=[waiting.pk])
    assert other_client.get(url).status_code == 404
    assert other_client.post(url).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == AddRequest.Status.PENDING


def test_staff_cannot_cancel_a_users_request_through_the_site(staff_client, waiting):
    assert staff_client.post(reverse("sim_add_request_cancel", args=[waiting.pk])).status_code == 404


def test_cancel_needs_the_csrf_token(user, waiting):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(reverse("sim_add_request_cancel", args=[waiting.pk])).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == AddRequest.Status.PENDING


def test_a_request_decided_meanwhile_is_not_cancelled(user, staff_user, waiting):
    services.add_request_decide(request=waiting, staff=staff_user, approve=False, ip=None)
    with pytest.raises(services.AddRequestClosed):
        services.add_request_cancel(request=waiting, user=user, ip=None)
    waiting.refresh_from_db()
    assert waiting.status == AddRequest.Status.REJECTED


# --- the database keeps the rules ---------------------------------------------------------


def _row(user, simulator, identifier="DB-1", **fields) -> AddRequest:
    now = timezone.now()
    fields.setdefault("code", f"APEX-{AddRequest.objects.count():05d}")
    return AddRequest.objects.create(
        requested_by=user,
        simulator=simulator,
        profile_identifier=identifier,
        profile_name="Db",
        expires_at=now + dt.timedelta(hours=48),
        **fields,
    )


def test_one_pending_request_per_user_and_id(user, other_user):
    simulator = make_simulator()
    first = _row(user, simulator)
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(user, simulator)
    _row(other_user, simulator)  # someone else may ask for the same ID
    _row(user, make_simulator("acc", "ACC"))  # and so may I, on another simulator
    AddRequest.objects.filter(pk=first.pk).update(status="cancelled", decided_at=timezone.now())
    _row(user, simulator)  # once the first is closed, a new one may wait


def test_codes_are_unique(user, other_user):
    simulator = make_simulator()
    _row(user, simulator, code="APEX-SAME1")
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(other_user, simulator, identifier="DB-2", code="APEX-SAME1")


def test_status_must_be_one_of_the_choices(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(user, make_simulator(), status="maybe", decided_at=timezone.now())
    assert set(AddRequest.Status.values) == {"pending", "approved", "rejected", "cancelled"}


def test_decided_requests_say_when_and_pending_ones_do_not(user):
    simulator = make_simulator()
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(user, simulator, status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(user, simulator, decided_at=timezone.now())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_id_sent_twice_at_once_makes_one_request():
    user = make_user("twice")
    simulator = make_simulator()

    def send():
        return services.add_request_open(
            simulator=simulator, identifier="RACE-1", name="Racer", user=user, ip=None
        ).code

    codes = all_succeeded(run_together(send, send))
    request = AddRequest.objects.get()
    assert codes == [request.code, request.code]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ADD_REQUESTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_pending_rows_written_at_once_are_refused_by_the_database():
    """The constraint itself, without the service's lookup: two writers, one row."""
    user = make_user("writer")
    simulator = make_simulator()

    def write(code):
        with transaction.atomic():
            return _row(user, simulator, identifier="RACE-2", code=code)

    outcomes = run_together(lambda: write("APEX-RACE0"), lambda: write("APEX-RACE1"))
    assert sorted(type(o).__name__ for o in outcomes) == ["AddRequest", "IntegrityError"]
    assert AddRequest.objects.pending().count() == 1


# --- unrelated verification codes are left alone ------------------------------------------


def test_a_waiting_id_changes_no_verification_code(user):
    profile = make_profile(linked_user=user)
    code = services.verification_request(profile=profile, user=user, ip=None)
    services.add_request_open(simulator=profile.simulator, identifier="OTHER-1", name="O", user=user, ip=None)
    code.refresh_from_db()
    assert code.status == VerificationRequest.Status.PENDING


def test_the_listed_requests_are_the_live_ones_of_this_user_newest_first(user, other_user):
    """My Sim Profiles reads them through SQL compiled once (apex.compiled): the queryset's own objects."""
    sim = make_simulator()
    first = services.add_request_open(simulator=sim, identifier="LIVE-1", name="A", user=user, ip=None)
    second = services.add_request_open(simulator=sim, identifier="LIVE-2", name="B", user=user, ip=None)
    expired = services.add_request_open(simulator=sim, identifier="OLD-1", name="C", user=user, ip=None)
    AddRequest.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    services.add_request_open(simulator=sim, identifier="THEIRS", name="D", user=other_user, ip=None)
    listed = compiled(_live_add_requests, user.pk)
    assert [r.pk for r in listed] == [r.pk for r in _live_add_requests(user.pk)] == [second.pk, first.pk]
    assert [r.simulator.name for r in listed] == [sim.name, sim.name]
    assert [vars(r) | {"_state": None} for r in listed] == [
        vars(r) | {"_state": None} for r in _live_add_requests(user.pk)
    ]
