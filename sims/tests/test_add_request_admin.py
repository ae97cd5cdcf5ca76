"""Staff decide add requests in the admin, only through the audited service."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from apex.tests.fixtures import make_user
from sims import services
from sims.models import AddRequest, AuditEntry, SimProfile, VerificationRequest
from sims.tests.factories import make_profile, make_simulator

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:sims_addrequest_changelist"


def change_url(request: AddRequest) -> str:
    return reverse("admin:sims_addrequest_change", args=[request.pk])


def approve_url(request: AddRequest) -> str:
    return reverse("admin:sims_addrequest_approve", args=[request.pk])


def reject_url(request: AddRequest) -> str:
    return reverse("admin:sims_addrequest_reject", args=[request.pk])


@pytest.fixture
def iracing():
    return make_simulator("iracing", "iRacing")


def ask(user, simulator, identifier: str, name: str = "Asked Ann") -> AddRequest:
    return services.add_request_open(
        simulator=simulator, identifier=identifier, name=name, user=user, ip=None
    )


def act(client, action: str, *requests: AddRequest, capture, **extra):
    with capture(execute=True):
        return client.post(
            reverse(CHANGELIST),
            {"action": action, "_selected_action": [r.pk for r in requests]},
            follow=True,
            **extra,
        )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- what the list and the page show ------------------------------------------------------


def test_the_list_says_what_the_directory_holds_under_each_id(staff_client, user, other_user, iracing):
    new = ask(user, iracing, "NEW-1")
    make_profile(iracing, identifier="LOOSE-1", is_public=False)
    loose = ask(user, iracing, "LOOSE-1")
    held = make_profile(
        iracing, identifier="HELD-1", is_public=False, linked_user=other_user, is_verified=True
    )
    taken = ask(user, iracing, "HELD-1")
    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    for request in (new, loose, taken):
        assert request.code in page
    assert "css/admin-add-requests.css" in page  # one labelled block per request on a phone
    assert "none yet" in page and "unlinked, private" in page
    assert "linked to intruder, verified, private" in page
    assert reverse("admin:sims_simprofile_change", args=[held.pk]) in page
    filtered = staff_client.get(reverse(CHANGELIST), {"directory": "linked"}).content.decode()
    assert taken.code in filtered and new.code not in filtered and loose.code not in filtered
    filtered = staff_client.get(reverse(CHANGELIST), {"directory": "none"}).content.decode()
    assert new.code in filtered and taken.code not in filtered and loose.code not in filtered
    filtered = staff_client.get(reverse(CHANGELIST), {"directory": "unlinked"}).content.decode()
    assert loose.code in filtered and new.code not in filtered and taken.code not in filtered


def test_the_list_searches_code_id_and_username_and_filters_status(staff_client, user, other_user, iracing):
    mine = ask(user, iracing, "FIND-ME")
    theirs = ask(other_user, iracing, "OTHER-9")
    url = reverse(CHANGELIST)
    for q in (mine.code, "find-me", "owner", "owner@example.com"):
        body = staff_client.get(url, {"q": q}).content.decode()
        assert mine.code in body and theirs.code not in body, q
    services.add_request_cancel(request=theirs, user=other_user, ip=None)
    body = staff_client.get(url, {"status__exact": "pending"}).content.decode()
    assert mine.code in body and theirs.code not in body


def test_an_expired_code_shows_in_the_list(staff_client, user, iracing):
    request = ask(user, iracing, "OLD-1")
    AddRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    AddRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    assert "(code expired)" in staff_client.get(reverse(CHANGELIST)).content.decode()


def test_the_page_is_read_only_and_says_what_approving_would_do(staff_client, user, other_user, iracing):
    make_profile(iracing, identifier="HELD-2", is_public=False, linked_user=other_user)
    request = ask(user, iracing, "HELD-2")
    page = staff_client.get(change_url(request)).content.decode()
    assert "Move the profile from intruder to owner, verified." in page
    assert 'name="_save"' not in page and approve_url(request) in page and reject_url(request) in page
    assert "owner@example.com" in page
    # Posting the form itself changes nothing, and there is no adding or deleting.
    assert staff_client.post(change_url(request), {"status": "approved"}).status_code == 403
    assert staff_client.get(reverse("admin:sims_addrequest_add")).status_code == 403
    staff_client.post(reverse("admin:sims_addrequest_delete", args=[request.pk]), {"post": "yes"})
    request.refresh_from_db()
    assert request.status == AddRequest.Status.PENDING


def test_a_decided_request_offers_no_buttons(staff_client, staff_user, user, iracing):
    request = ask(user, iracing, "DONE-1")
    services.add_request_decide(request=request, staff=staff_user, approve=False, ip=None)
    page = staff_client.get(change_url(request)).content.decode()
    assert approve_url(request) not in page and "Rejected" in page


# --- approving, case by case --------------------------------------------------------------


def test_approving_a_new_id_adds_the_profile_linked_and_verified(
    staff_client, staff_user, user, iracing, django_capture_on_commit_callbacks
):
    request = ask(user, iracing, "NEW-2", name="Brand New")
    response = act(
        staff_client, "approve", request, capture=django_capture_on_commit_callbacks, REMOTE_ADDR="10.0.0.8"
    )
    assert messages_of(response) == [
        f"{request.code} approved: added NEW-2 on iRacing, linked to owner and verified."
    ]
    profile = SimProfile.objects.get(profile_identifier="NEW-2")
    assert (profile.profile_name, profile.linked_user, profile.is_verified, profile.is_public) == (
        "Brand New",
        user,
        True,
        True,
    )
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (AddRequest.Status.APPROVED, staff_user)
    actions = list(AuditEntry.objects.filter(profile=profile).order_by("id").values_list("action", "actor"))
    assert actions == [
        (AuditEntry.Action.CREATE, staff_user.pk),
        (AuditEntry.Action.LINK, staff_user.pk),
        (AuditEntry.Action.ADD_APPROVED, staff_user.pk),
    ]
    assert AuditEntry.objects.get(action=AuditEntry.Action.ADD_APPROVED).ip_address == "10.0.0.8"
    (email,) = mail.outbox
    assert email.to == ["owner@example.com"] and "now linked to your Apex account" in email.body


def test_approving_a_hidden_unlinked_profile_links_it_verified_and_keeps_it_private(
    staff_client, staff_user, user, iracing, django_capture_on_commit_callbacks
):
    hidden = make_profile(iracing, name="Quiet Quinn", identifier="LOOSE-2", is_public=False)
    request = ask(user, iracing, "LOOSE-2", name="Typed Otherwise")
    response = act(staff_client, "approve", request, capture=django_capture_on_commit_callbacks)
    assert messages_of(response) == [
        f"{request.code} approved: linked LOOSE-2 on iRacing to owner, verified."
    ]
    hidden.refresh_from_db()
    assert (hidden.linked_user, hidden.is_verified, hidden.is_public, hidden.profile_name) == (
        user,
        True,
        False,
        "Quiet Quinn",
    )
    assert SimProfile.objects.count() == 1
    assert list(
        AuditEntry.objects.filter(profile=hidden).values_list("action", flat=True).order_by("id")
    ) == [
        AuditEntry.Action.LINK,
        AuditEntry.Action.ADD_APPROVED,
    ]
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]


def test_approving_a_profile_linked_to_another_account_moves_it_and_tells_them(
    staff_client, staff_user, user, other_user, iracing, django_capture_on_commit_callbacks
):
    held = make_profile(iracing, identifier="HELD-3", is_public=False, linked_user=other_user)
    their_code = services.verification_request(profile=held, user=other_user, ip=None)
    request = ask(user, iracing, "HELD-3")
    response = act(staff_client, "approve", request, capture=django_capture_on_commit_callbacks)
    assert messages_of(response) == [
        f"{request.code} approved: moved HELD-3 on iRacing from intruder to owner, verified."
    ]
    held.refresh_from_db()
    their_code.refresh_from_db()
    assert (held.linked_user, held.is_verified, held.is_public) == (user, True, False)
    assert their_code.status == VerificationRequest.Status.CANCELLED
    unlink = AuditEntry.objects.get(action=AuditEntry.Action.UNLINK)
    assert (unlink.profile, unlink.actor) == (held, staff_user)
    assert unlink.detail == (
        f"account: intruder; moved by add request {request.code}; 1 pending verification request(s) cancelled"
    )
    approved = AuditEntry.objects.get(action=AuditEntry.Action.ADD_APPROVED)
    assert "moved from account: intruder" in approved.detail
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"owner@example.com", "intruder@example.com"}
    assert "now linked to them" in by_address["intruder@example.com"].body
    assert "owner" not in by_address["intruder@example.com"].body.replace("Hello intruder", "")


def test_approving_an_id_already_mine_marks_it_verified(
    staff_client, user, iracing, django_capture_on_commit_callbacks
):
    request = ask(user, iracing, "MINE-1")
    mine = make_profile(iracing, identifier="MINE-1", linked_user=user)
    act(staff_client, "approve", request, capture=django_capture_on_commit_callbacks)
    mine.refresh_from_db()
    assert (mine.linked_user, mine.is_verified) == (user, True)


def test_the_page_buttons_approve_and_reject(staff_client, user, iracing, django_capture_on_commit_callbacks):
    approved, rejected = ask(user, iracing, "BTN-1"), ask(user, iracing, "BTN-2")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(approve_url(approved))
        staff_client.post(reject_url(rejected))
    assert response["Location"] == change_url(approved)
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert (approved.status, rejected.status) == (AddRequest.Status.APPROVED, AddRequest.Status.REJECTED)
    assert SimProfile.objects.filter(profile_identifier="BTN-1", linked_user=user, is_verified=True).exists()
    assert not SimProfile.objects.filter(profile_identifier="BTN-2").exists()
    assert staff_client.get(approve_url(approved)).status_code == 405


# --- refusals -----------------------------------------------------------------------------


def test_an_expired_code_cannot_be_approved(staff_client, user, iracing, django_capture_on_commit_callbacks):
    request = ask(user, iracing, "LATE-1")
    AddRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = act(staff_client, "approve", request, capture=django_capture_on_commit_callbacks)
    assert messages_of(response) == [
        f"Not approved: {request.code} expired; the driver has to add the ID again."
    ]
    request.refresh_from_db()
    assert request.status == AddRequest.Status.PENDING
    assert not SimProfile.objects.exists() and mail.outbox == []
    assert not AuditEntry.objects.exclude(action=AuditEntry.Action.ADD_REQUESTED).exists()


def test_approving_twice_changes_nothing_the_second_time(
    staff_client, user, other_user, iracing, django_capture_on_commit_callbacks
):
    request = ask(user, iracing, "TWICE-1")
    act(staff_client, "approve", request, capture=django_capture_on_commit_callbacks)
    entries = AuditEntry.objects.count()
    mail.outbox.clear()
    response = act(staff_client, "approve", request, capture=django_capture_on_commit_callbacks)
    assert messages_of(response) == [f"Not approved: {request.code} is already approved."]
    response = act(staff_client, "reject", request, capture=django_capture_on_commit_callbacks)
    assert messages_of(response) == [f"Not rejected: {request.code} is already approved."]
    assert AuditEntry.objects.count() == entries and mail.outbox == []
    assert SimProfile.objects.get().linked_user == user


def test_a_cancelled_request_cannot_be_approved(user, staff_user, iracing):
    request = ask(user, iracing, "GONE-1")
    services.add_request_cancel(request=request, user=user, ip=None)
    with pytest.raises(services.AddRequestClosed):
        services.add_request_decide(request=request, staff=staff_user, approve=True, ip=None)
    assert not SimProfile.objects.exists()


def test_rejecting_adds_nothing_and_tells_the_driver_without_saying_what_exists(
    staff_client, staff_user, user, other_user, iracing, django_capture_on_commit_callbacks
):
    held = make_profile(iracing, identifier="HELD-4", is_public=False, linked_user=other_user)
    before = SimProfile.objects.filter(pk=held.pk).values().get()
    taken, new = ask(user, iracing, "HELD-4"), ask(user, iracing, "NEW-4")
    # Each request is decided under its own lock: one locked read each on purpose, not an N+1.
    with zeal_ignore([{"model": "sims.AddRequest", "field": "get()"}]):
        response = act(staff_client, "reject", taken, new, capture=django_capture_on_commit_callbacks)
    assert sorted(messages_of(response)) == sorted(
        [
            f"{taken.code} rejected: HELD-4 on iRacing was not added to owner.",
            f"{new.code} rejected: NEW-4 on iRacing was not added to owner.",
        ]
    )
    assert SimProfile.objects.filter(pk=held.pk).values().get() == before
    assert SimProfile.objects.count() == 1
    rejected = AuditEntry.objects.filter(action=AuditEntry.Action.ADD_REJECTED)
    assert rejected.count() == 2 and not rejected.filter(profile__isnull=False).exists()
    bodies = sorted(
        m.body.replace(taken.code, "<CODE>")
        .replace(new.code, "<CODE>")
        .replace("HELD-4", "<ID>")
        .replace("NEW-4", "<ID>")
        for m in mail.outbox
    )
    assert len(bodies) == 2 and bodies[0] == bodies[1] and "not added" in bodies[0]


# --- who may decide -----------------------------------------------------------------------


def test_non_staff_and_anonymous_cannot_decide(owner_client, user, iracing):
    request = ask(user, iracing, "NOPE-1")
    for browser in (owner_client, Client()):
        for url in (approve_url(request), reject_url(request), reverse(CHANGELIST)):
            response = browser.post(url, {"action": "approve", "_selected_action": [request.pk]})
            assert response["Location"].startswith(reverse("admin:login")), url
    request.refresh_from_db()
    assert request.status == AddRequest.Status.PENDING


def test_staff_who_may_only_view_add_requests_cannot_decide(client, user, iracing):
    viewer = make_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_addrequest"))
    client.force_login(viewer)
    request = ask(user, iracing, "VIEW-1")
    page = client.get(change_url(request)).content.decode()
    assert request.code in page and approve_url(request) not in page
    assert client.post(approve_url(request)).status_code == 403
    client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == AddRequest.Status.PENDING and not SimProfile.objects.exists()
