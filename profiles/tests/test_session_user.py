"""The session's user and active racer, read in one query: Django's rules for the user still hold."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles.models import RacerProfile, User
from profiles.session import ACTIVE_RACER_KEY
from profiles.tests.factories import make_racer

GARAGE = "/garage/"


def _set_session(client, **values) -> None:
    session = client.session
    for key, value in values.items():
        if value is None:
            session.pop(key, None)
        else:
            session[key] = value
    session.save()


def _user_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"profiles_user"' in q["sql"]]


def _active_racer_name(response) -> str:
    text = response.content.decode()
    start = text.index("data-active-racer")
    return text[text.index(">", start) + 1 : text.index("<", start)].strip()


def test_user_and_active_racer_come_from_one_query(owner_client, racers):
    _set_session(owner_client, **{ACTIVE_RACER_KEY: racers[1].pk})
    owner_client.get(GARAGE)
    with CaptureQueriesContext(connection) as captured:
        response = owner_client.get(GARAGE)
    assert response.status_code == 200
    assert _active_racer_name(response) == "Sam"
    user_queries = _user_queries(captured)
    assert len(user_queries) == 1, user_queries
    assert '"profiles_racerprofile"' in user_queries[0]  # joined, not a query of its own
    racer_queries = [
        q["sql"] for q in captured.captured_queries if 'FROM "profiles_racerprofile"' in q["sql"]
    ]
    assert len(racer_queries) == 1, racer_queries


def test_a_changed_password_logs_the_other_sessions_out(owner_client, user, racers):
    assert owner_client.get(GARAGE).status_code == 200
    user.set_password("a-new-long-passphrase-2026")
    user.save()
    response = owner_client.get(GARAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert ACTIVE_RACER_KEY not in owner_client.session  # flushed, as Django flushes it


def test_a_deactivated_user_is_logged_out(owner_client, user, racers):
    assert owner_client.get(GARAGE).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert owner_client.get(GARAGE).status_code == 302


def test_a_session_without_a_known_backend_is_logged_out(owner_client, racers):
    assert owner_client.get(GARAGE).status_code == 200
    _set_session(owner_client, **{BACKEND_SESSION_KEY: "no.such.Backend"})
    assert owner_client.get(GARAGE).status_code == 302


def test_a_session_with_a_forged_hash_is_logged_out(owner_client, racers):
    assert owner_client.get(GARAGE).status_code == 200
    _set_session(owner_client, **{HASH_SESSION_KEY: "0" * 64})
    assert owner_client.get(GARAGE).status_code == 302


def test_a_deleted_active_racer_gives_way_to_the_default(owner_client, racers):
    _set_session(owner_client, **{ACTIVE_RACER_KEY: racers[1].pk})
    assert _active_racer_name(owner_client.get(GARAGE)) == "Sam"
    RacerProfile.objects.filter(pk=racers[1].pk).delete()
    response = owner_client.get(GARAGE)
    assert response.status_code == 200
    assert _active_racer_name(response) == "Alex"
    assert owner_client.session[ACTIVE_RACER_KEY] == racers[0].pk


def test_another_accounts_racer_in_the_session_is_never_loaded(owner_client, other_user, racers):
    theirs = make_racer(other_user, "Intruder's racer")
    _set_session(owner_client, **{ACTIVE_RACER_KEY: theirs.pk})
    response = owner_client.get(GARAGE)
    assert response.status_code == 200
    assert _active_racer_name(response) == "Alex"
    assert "Intruder" not in response.content.decode()
    assert owner_client.session[ACTIVE_RACER_KEY] == racers[0].pk


def test_a_session_with_no_racer_yet_loads_the_default(owner_client, racers):
    _set_session(owner_client, **{ACTIVE_RACER_KEY: None})
    response = owner_client.get(GARAGE)
    assert response.status_code == 200
    assert _active_racer_name(response) == "Alex"
    assert owner_client.session[ACTIVE_RACER_KEY] == racers[0].pk


def test_anonymous_is_still_sent_to_log_in(client, racers):
    response = client.get(GARAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
